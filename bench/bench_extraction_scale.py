"""Does extraction time grow linearly with page size? CPU seconds per MB on invented long pages.

A rule that scans the whole page once per box it judges is quadratic: fine on a 100 KB page, an
extract_timeout on a 2 MB one. Each shape below repeats one unit of story plus one kind of box (each kind
a check judges: linked boxes, asides, <br> lines, section heads beside a Share button, captioned figures,
dialogs, social-profile lists, and dialogs nested deeper as the page grows); a linear extractor shows a flat
s/MB column, and the last column is the s/MB ratio of the largest page to the smallest.

    python bench/bench_extraction_scale.py [--sizes 0.25,0.5,1,2] [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipelines.core.extraction import extract_article  # noqa: E402

SENTENCE = ("The harbour board met on Tuesday to settle the future of the northern pier, closed since the winter "
            "storms damaged its outer section, and heard from engineers and fishermen ({n}).")
SHAPES = {
    "paragraphs": lambda n: f"<p>{SENTENCE.format(n=n)}</p>",
    "linked boxes": lambda n: f"<p>{SENTENCE.format(n=n)}</p><div><a href='/s/{n}'>See also: report {n}</a></div>",
    "asides": lambda n: f"<p>{SENTENCE.format(n=n)}</p><aside><p>Board members serve four years.</p>"
                        f"<p>The pier opened in 1893.</p></aside>",
    "br lines": lambda n: f"<p>{SENTENCE.format(n=n)}<br>the board will meet again<br>next month.</p>",
    # A section head in a plain div beside a Share button, boxed between two paragraphs (the widget check).
    "section heads": lambda n: f"<p>{SENTENCE.format(n=n)}</p><div class='head'><div>Where the money goes ({n})"
                               f"</div><button>Share</button></div>",
    # A picture with its own caption and a sentence set loose in the figure (the caption checks).
    "figures": lambda n: f"<p>{SENTENCE.format(n=n)}</p><figure><img src='/pier-{n}.jpg'><figcaption>The pier in "
                         f"March ({n})</figcaption>Repairs to the outer section should finish before the summer "
                         f"season begins in June, the board said ({n}).</figure>",
    # ARIA dialogs (sign-up modals) between paragraphs, on a page with no <article> (the dialog-story check).
    "dialogs": lambda n: f"<p>{SENTENCE.format(n=n)}</p><div role='dialog'><p>Get the harbour newsletter every "
                         f"Friday ({n}).</p></div>",
    # Lists of linked social-network profiles (the sources check, and its social_profile exception).
    "social lists": lambda n: f"<p>{SENTENCE.format(n=n)}</p><ul><li><a href='https://twitter.com/pier{n}'>"
                              f"https://twitter.com/pier{n}</a></li><li><a href='https://www.facebook.com/pier{n}'>"
                              f"https://www.facebook.com/pier{n}</a></li></ul>",
}
# Shapes whose story sits in a plain <div>: no <article> or <main> on the page (the dialog check reads the body).
PLAIN_STORY = frozenset({"dialogs"})
# A story in a plain <div>, then sign-up dialogs nested one inside the next, one for every eight paragraphs (the
# nest deepens with the page: judging each dialog by its subtree is quadratic).
NESTED = {"nested dialogs": ("<dialog open>", "</dialog>"), "nested role": ("<div role='dialog'>", "</div>")}
NEST_EVERY = 8


def page(shape: str, mb: float) -> str:
    if shape in NESTED:
        opening, closing = NESTED[shape]
        unit = SHAPES["paragraphs"]
        n = max(NEST_EVERY, int(mb * 1e6 / len(unit(0))))
        depth = n // NEST_EVERY
        nest = "".join(f"{opening}<p>Get the harbour newsletter every Friday ({i}).</p>" for i in range(depth))
        story = "".join(unit(i) for i in range(n - depth // 2))
        return f"<html><body><div><h1>Pier repairs</h1>{story}</div>{nest}{closing * depth}</body></html>"
    unit = SHAPES[shape]
    n = max(1, int(mb * 1e6 / len(unit(0))))
    tag = "div" if shape in PLAIN_STORY else "article"
    return f"<html><body><{tag}><h1>Pier repairs</h1>{''.join(unit(i) for i in range(n))}</{tag}></body></html>"


def cpu_seconds(html: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        extract_article(html, max_bytes=10**9, time_budget_s=600)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.25,0.5,1,2", help="page sizes in MB, comma-separated")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    extract_article(page("paragraphs", 0.01))  # rules, parser and memo warm, as in a running job
    print(f"{'shape':<14}" + "".join(f"{s:>8g} MB" for s in sizes) + "   (CPU s/MB, median of runs)  largest/smallest")
    for shape in [*SHAPES, *NESTED]:
        per_mb = []
        for mb in sizes:
            html = page(shape, mb)
            per_mb.append(cpu_seconds(html, args.runs) / (len(html) / 1e6))
        print(f"{shape:<14}" + "".join(f"{v:>11.3f}" for v in per_mb) + f"   {per_mb[-1] / per_mb[0]:>6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
