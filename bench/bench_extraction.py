"""Speed of our extractor vs trafilatura, readability-lxml and resiliparse on the same pages: pages/s, median and p99 ms.

Usage: python bench/bench_extraction.py DEV.jsonl [--min-kb 50 --max-kb 300] [--repeat 1] [--runs 3]
       [--tools ours,trafilatura,readability,resiliparse] [--no-trafilatura]
Each page is timed alone (text + metadata, as the pipeline calls it; the reference tools through
extraction_eval's run_* functions, so each is timed with the options it is scored with); pages/s = pages /
summed page time.
With --runs N the corpus is timed N times per tool, the tools taking turns run by run (so machine noise hits
them alike), and the median run (by pages/s) is reported beside every run's rate. Our memo of class/id names is
cleared before each of our runs, so every run starts cold as a fresh worker would (a long-lived worker that
meets the same sites again is faster). Tools that are not installed are skipped with a message.
With --against CHECKOUT (a git worktree of another revision, e.g. `git worktree add /tmp/base HEAD~3`) that
checkout's extractor is timed too, turn about with ours: each run, its own copy of this script times the same
pages with the same options in a subprocess (one run, its memo cold), then ours runs here. Its median run and
the per-run ratios (ours / its pages/s) are printed; both sides are timed the same way.
The last line is the language step's own cost per page (part of the extractor's time, shown separately).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipelines.core.extraction import ExtractionError, extract_article  # noqa: E402
from pipelines.core.extraction.html import RULES, clear_caches  # noqa: E402
from pipelines.core.extraction.language import classify_language  # noqa: E402
from pipelines.evaluation import extraction_eval  # noqa: E402


def ours_cold() -> None:
    clear_caches()


def ours(html: str, url: str | None) -> None:
    try:
        extract_article(html, url=url)
    except ExtractionError:
        pass


def _scored(run):
    """A reference tool timed exactly as extraction_eval scores it (same options, same text and title calls)."""
    def call(html: str, url: str | None) -> None:
        run({"html": html, "url": url})
    return call


# Run before each timed run of a tool: forget what an earlier run memoised.
BEFORE_RUN = {"ours": ours_cold}

# name on the command line -> (name in the output, timed call, module that must import)
TOOLS = {
    "ours": ("ours", ours, None),
    "trafilatura": ("trafilatura(precision)", _scored(extraction_eval.run_trafilatura), "trafilatura"),
    "readability": ("readability-lxml", _scored(extraction_eval.run_readability), "readability"),
    "resiliparse": ("resiliparse(main_content)", _scored(extraction_eval.run_resiliparse), "resiliparse"),
}


def language_cost(pages, clock) -> dict:
    """CPU or wall ms per page of the language step alone (the model on the extracted text's prefix)."""
    t = RULES.t
    texts = []
    for html, url in pages:
        try:
            texts.append(extract_article(html, url=url).text)
        except ExtractionError:
            pass
    seconds = []
    for text in texts:
        start = clock()
        classify_language(text, t["language_sample_chars"], t["language_min_letters"])
        seconds.append(clock() - start)
    return {"step": "language", "pages": len(seconds), "median_ms": round(statistics.median(seconds) * 1000, 3),
            "mean_ms": round(statistics.fmean(seconds) * 1000, 3), "p99_ms": round(percentile(seconds, 0.99) * 1000, 3)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def time_pages(fn, pages, repeat: int, clock=time.perf_counter) -> list[float]:
    """Per-page seconds: the best of `repeat` runs (the machine is shared and noisy).

    clock=time.process_time counts only this process's CPU time, so other jobs on a loaded
    machine do not slow the numbers down (the extractor is single-threaded and does no I/O).
    """
    out = []
    for html, url in pages:
        best = float("inf")
        for _ in range(repeat):
            start = clock()
            fn(html, url)
            best = min(best, clock() - start)
        out.append(best)
    return out


def summary(name: str, seconds: list[float]) -> dict:
    return {"extractor": name, "pages": len(seconds), "pages_per_s": len(seconds) / sum(seconds),
            "median_ms": statistics.median(seconds) * 1000, "p99_ms": percentile(seconds, 0.99) * 1000,
            "max_ms": max(seconds) * 1000}


def run_checkout(checkout: Path, args) -> dict:
    """One run of another checkout's extractor on the same pages: its own bench script, in a subprocess."""
    cmd = [sys.executable, "bench/bench_extraction.py", str(Path(args.path).resolve()), "--min-kb", str(args.min_kb),
           "--max-kb", str(args.max_kb), "--limit", str(args.limit), "--repeat", str(args.repeat),
           "--clock", args.clock, "--runs", "1", "--tools", "ours"]
    out = subprocess.run(cmd, cwd=checkout, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        row = json.loads(line)
        if row.get("extractor") == "ours":
            return row
    raise RuntimeError(f"{checkout}: no timing of 'ours' in its output")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--min-kb", type=float, default=0)
    ap.add_argument("--max-kb", type=float, default=float("inf"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                    help="wall time, or this process's CPU time (steadier on a shared machine)")
    ap.add_argument("--runs", type=int, default=1, help="time the corpus this many times; report the median run")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, from: " + ", ".join(TOOLS))
    ap.add_argument("--no-trafilatura", action="store_true", help="ours alone (same as --tools ours)")
    ap.add_argument("--against", metavar="CHECKOUT", type=Path, default=None,
                    help="also time the extractor of this checkout (a git worktree), run by run with ours")
    args = ap.parse_args(argv)
    pages = []
    with open(args.path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            kb = len(rec["html"].encode("utf-8")) / 1024
            if args.min_kb <= kb <= args.max_kb:
                pages.append((rec["html"], rec.get("url")))
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        print("no pages in range", file=sys.stderr)
        return 2
    sizes = [len(h.encode("utf-8")) / 1024 for h, _ in pages]
    print(json.dumps({"pages": len(pages), "median_kb": statistics.median(sizes), "max_kb": max(sizes)}))
    names = ["ours"] if args.no_trafilatura else [n.strip() for n in args.tools.split(",") if n.strip()]
    tools = []
    for name in names:
        label, fn, module = TOOLS[name]
        if module is not None and importlib.util.find_spec(module) is None:
            print(json.dumps({"extractor": label, "skipped": f"{module} is not installed"}))
            continue
        fn(*pages[0])  # warm imports and rule loading outside the timing
        tools.append((label, fn, BEFORE_RUN.get(name)))
    clock = CLOCKS[args.clock]
    timed: dict[str, list[dict]] = {label: [] for label, _, _ in tools}
    against = f"ours at {args.against}" if args.against else None
    if against:
        timed[against] = []
    for _ in range(max(1, args.runs)):
        if against:
            timed[against].append(dict(run_checkout(args.against, args), extractor=against))
        for label, fn, before in tools:
            if before is not None:
                before()
            timed[label].append(summary(label, time_pages(fn, pages, args.repeat, clock)))
    for label in ([against] if against else []) + [label for label, _, _ in tools]:
        runs = sorted(timed[label], key=lambda r: r["pages_per_s"])
        result = dict(runs[len(runs) // 2], clock=args.clock)
        if len(runs) > 1:
            result["runs"] = len(runs)
            result["pages_per_s_each_run"] = [round(r["pages_per_s"], 1) for r in runs]
            result["pages_per_s_first_run"] = round(timed[label][0]["pages_per_s"], 1)
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}))
    if against and "ours" in timed:
        ratios = sorted(ours["pages_per_s"] / theirs["pages_per_s"] for ours, theirs in zip(timed["ours"], timed[against]))
        print(json.dumps({"ours_vs": str(args.against), "pages_per_s_ratio_median": round(statistics.median(ratios), 3),
                          "pages_per_s_ratio_each_run": [round(r, 3) for r in ratios]}))
    print(json.dumps(dict(language_cost(pages, CLOCKS[args.clock]), clock=args.clock)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
