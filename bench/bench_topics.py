"""Speed of the topic tagger alone (TopicMatcher.tag), articles/s, median of 5 runs.

Usage: python bench/bench_topics.py [--n 2000] [--runs 5] [--compare GIT_REV] [--corpus synth|reuters]
                                   [--floor] [--cpu]

synth: synthetic scraped news pages (bench/synth.py, no duplicates) cut to 3-4 KB at a line break;
dense in topic words (about 50 taxonomy matches per page) and mostly non-ASCII (curly quotes).
reuters: consecutive Reuters-21578 stories (read from /work/shared/data by path) joined into
3-4 KB plain-ASCII articles: ordinary wire copy with fewer topic words.
--compare REV also loads pipelines/core/topics.py and pipelines/taxonomy/topics.yaml as they were
at REV (git show) and times both in the same process, runs interleaved, so noise hits both alike.
--floor also times the part no tagging logic can avoid: building the normalised copy and one
Aho-Corasick pass over it (no scoring, no evidence). tag() can never beat that rate.
--cpu times with process CPU time instead of wall time (the machine is shared: other jobs'
time slices then do not count, though their cache pressure still does).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.synth import generate_records  # noqa: E402
from pipelines.core import topics as current  # noqa: E402


def articles(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """n (title, text) pairs whose text is 3,000-4,096 bytes."""
    out = []
    for rec in generate_records(n * 2, seed=seed, dup_rate=0.0):
        text = rec["text"]
        if len(text.encode("utf-8")) > 4096:
            cut = text.rfind("\n", 0, 4096)
            text = text[:cut] if cut >= 3000 else text[:4096]
        if len(text.encode("utf-8")) >= 3000:
            out.append((rec["title"], text))
        if len(out) == n:
            break
    return out


REUTERS = Path("/work/shared/data/reuters21578-train/train.jsonl")


def reuters_articles(n: int) -> list[tuple[str, str]]:
    """n (title, text) pairs of 3,000-4,096 bytes made of consecutive Reuters stories."""
    import json

    if not REUTERS.exists():
        raise SystemExit(f"{REUTERS} not found (/work/shared absent): use --corpus synth")
    out, title, parts, size = [], None, [], 0
    with REUTERS.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            body = d["body"].strip()
            if not body:
                continue
            title = title or d["title"]
            parts.append(body)
            size += len(body) + 2
            if size >= 3000:
                out.append((title, "\n\n".join(parts)[:4096]))
                title, parts, size = None, [], 0
                if len(out) == n:
                    break
    return out


def load_at_rev(rev: str):
    """(module, taxonomy path) of the tagger as committed at rev."""
    tmp = Path(tempfile.mkdtemp(prefix="topics_rev_"))
    for rel, name in (("pipelines/core/topics.py", "topics_old.py"), ("pipelines/taxonomy/topics.yaml", "topics_old.yaml")):
        blob = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{rel}"], check=True, capture_output=True).stdout
        (tmp / name).write_bytes(blob)
    spec = importlib.util.spec_from_file_location("topics_old", tmp / "topics_old.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["topics_old"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module, tmp / "topics_old.yaml"


class _ScanOnly:
    """The floor: normalise and scan, nothing else (uses the tagger's own automaton)."""

    def __init__(self, matcher):
        self.automaton, self.doc = matcher._automaton, current._Doc

    def tag(self, title, text):
        return list(self.automaton.iter(self.doc(title, text).norm))


CLOCK = time.perf_counter


def time_once(matcher, docs) -> float:
    tag = matcher.tag
    start = CLOCK()
    for title, text in docs:
        tag(title, text)
    return CLOCK() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--compare", default=None, help="git revision to time side by side")
    ap.add_argument("--corpus", choices=("synth", "reuters"), default="synth")
    ap.add_argument("--floor", action="store_true", help="also time normalise + scan alone")
    ap.add_argument("--cpu", action="store_true", help="process CPU time instead of wall time")
    args = ap.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    docs = articles(args.n) if args.corpus == "synth" else reuters_articles(args.n)
    kb = sum(len(t.encode("utf-8")) for _, t in docs) / len(docs) / 1024
    matchers = {}
    if args.compare:
        old, old_yaml = load_at_rev(args.compare)
        matchers[f"at {args.compare}"] = old.TopicMatcher(old.load_taxonomy(old_yaml))
    matchers["working tree"] = current.TopicMatcher(current.load_taxonomy())
    if args.floor:
        matchers["scan floor"] = _ScanOnly(matchers["working tree"])
    for m in matchers.values():
        time_once(m, docs[:200])  # warm up
    times = {name: [] for name in matchers}
    for _ in range(args.runs):
        for name, m in matchers.items():
            times[name].append(time_once(m, docs))
    clock = "CPU" if args.cpu else "wall"
    print(f"{args.corpus}: {len(docs)} articles, mean {kb:.2f} KB, {args.runs} runs each (interleaved, {clock} time)")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:>16}: median {len(docs) / med:>9,.0f} articles/s "
              f"({med / len(docs) * 1e6:.1f} us/article; runs {', '.join(f'{len(docs) / t:,.0f}' for t in ts)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
