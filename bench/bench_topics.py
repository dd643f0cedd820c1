"""Speed of the topic tagging stage alone, articles/s, median of --runs runs (5).

Usage: python bench/bench_topics.py [--n 2000] [--runs 5] [--compare GIT_REV] [--corpus synth|reuters|pages]
                                   [--floor] [--cpu] [--batch 256] [--taxonomy FILE]

Timed, interleaved run by run so noise hits all alike:
  stage      what the TagTopics DoFn runs: apply_tags_many on batches of --batch article dicts
             (the batch tagger's rows, BatchTagger.columns_many)
  tag_many   TopicMatcher.tag_many alone on the same batches (TopicResults, no row columns)
  tag        TopicMatcher.tag one article at a time (the one-article reference path, pyahocorasick)
synth: synthetic scraped news pages (bench/synth.py, no duplicates) cut to 3-4 KB at a line break;
dense in topic words (about 60 taxonomy matches per page) and mostly non-ASCII (curly quotes).
reuters: consecutive Reuters-21578 stories (read from /work/shared/data by path) joined into
3-4 KB plain-ASCII articles: ordinary wire copy with fewer topic words.
pages: the whole-article gold texts of the extraction dev pages (/tmp/exdev/dev.jsonl, built by
bench/build_extraction_devset.py; skipped with a message when absent): 130 real modern pages in
several languages, 8 KB on average, cycled up to --n.
--compare REV also loads the tagger as it was at REV (git show: topics.py, tagging.py and the batch
modules it has, and REV's taxonomy unless --taxonomy is given), checks that both revisions give
equal rows, and times REV's stage path in the same process.
--taxonomy FILE runs both sides on that taxonomy (to compare code while the taxonomy is edited).
--floor also times the part no tagging logic can avoid: building the normalised copy and one
Aho-Corasick pass over it (no scoring, no evidence), one article at a time with pyahocorasick
(the tag() path) and per batch with the compiled scanner (the stage's path).
--cpu times with process CPU time instead of wall time (the machine is shared: other jobs'
time slices then do not count, though their cache pressure still does).
The garbage collector is set up as the stage's setup() sets it (settle_gc).
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
from pipelines.core import tagging  # noqa: E402
from pipelines.stages.common import settle_gc  # noqa: E402
from pipelines.core.tagging import MAX_BATCH  # noqa: E402


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


REUTERS = Path("/work/shared/data/reuters21578-train/train.jsonl")  # --source overrides it


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


_TAGGER_MODULES = ("topic_scan", "topics", "tagging", "topic_batch")  # dependency order


PAGES = Path("/tmp/exdev/dev.jsonl")  # --source overrides it


def page_articles(n: int) -> list[tuple[str, str]] | None:
    """n (title, text) pairs cycling through the whole-article gold texts of the extraction dev pages
    (real modern pages, many languages); None when the file is absent."""
    import json

    if not PAGES.exists():
        return None
    pages = []
    with PAGES.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("gold_kind") == "full" and (d.get("gold_text") or "").strip():
                pages.append((d.get("gold_title") or "", d["gold_text"]))
    return [pages[i % len(pages)] for i in range(n)] if pages else None


def load_at_rev(rev: str):
    """(topics module, tagging module, taxonomy path) of the tagger as committed at rev: topics.py,
    tagging.py and, where rev has them, the batch modules, loaded under other names so both revisions
    run side by side."""
    tmp = Path(tempfile.mkdtemp(prefix="topics_rev_"))

    def show(rel: str) -> bytes | None:
        got = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{rel}"], capture_output=True)
        return got.stdout if got.returncode == 0 else None

    (tmp / "topics_old.yaml").write_bytes(show("pipelines/taxonomy/topics.yaml"))
    present = [m for m in _TAGGER_MODULES if show(f"pipelines/core/{m}.py") is not None]
    for name in present:
        source = show(f"pipelines/core/{name}.py").decode("utf-8")
        for other in present:  # imports between these modules point at the old copies
            source = source.replace(f"pipelines.core.{other} ", f"{other}_at_rev ")
            source = source.replace(f"pipelines.core.{other}\n", f"{other}_at_rev\n")
        (tmp / f"{name}_at_rev.py").write_text(source, encoding="utf-8")
    modules = {}
    for name in present:  # in dependency order
        spec = importlib.util.spec_from_file_location(f"{name}_at_rev", tmp / f"{name}_at_rev.py")
        module = modules[name] = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return modules["topics"], modules["tagging"], tmp / "topics_old.yaml"


class _ScanOnly:
    """The floor: normalise and scan, nothing else (uses the tagger's own automaton)."""

    def __init__(self, matcher):
        self.automaton, self.doc = matcher._automaton, current._Doc

    def __call__(self, docs, rows):
        automaton, doc = self.automaton, self.doc
        for title, text in docs:
            list(automaton.iter(doc(title, text).norm))


class _BatchScanOnly:
    """The stage's floor: the batch's ASCII image and one compiled scan over it, per batch."""

    def __init__(self, matcher, batch):
        self.scanner, self.batch = matcher.batch_tagger().scanner, batch

    def __call__(self, docs, rows):
        from pipelines.core.topic_batch import batch_image  # the image as the stage builds it

        for i in range(0, len(docs), self.batch):
            raw, bases, _ = batch_image(docs[i:i + self.batch])
            self.scanner.scan(raw, bases)


def stage_runner(tagging, matcher, iptc, version, batch):
    """The DoFn's work: tagging.apply_tags_many per batch (apply_tags per article where the tagging
    module has no batch call)."""
    if not hasattr(tagging, "apply_tags_many"):
        def run(docs, rows):
            for row in rows:
                tagging.apply_tags(row, matcher, iptc, version)
        return run

    def run(docs, rows):
        for i in range(0, len(rows), batch):
            tagging.apply_tags_many(rows[i:i + batch], matcher, iptc, version)
    return run


def tag_many_runner(matcher, batch):
    def run(docs, rows):
        for i in range(0, len(docs), batch):
            matcher.tag_many(docs[i:i + batch])
    return run


def tag_runner(matcher):
    def run(docs, rows):
        tag = matcher.tag
        for title, text in docs:
            tag(title, text)
    return run


def _same_rows(old_stage, new_stage, docs) -> bool:
    """Both stage runs give equal rows for docs (scores compared bit for bit)."""
    rows = []
    for stage in (old_stage, new_stage):
        rows.append([{"title": t, "text": x} for t, x in docs])
        stage(docs, rows[-1])

    def bits(row):
        return [s["score"].hex() for s in row["topic_scores"]]
    return all(a == b and bits(a) == bits(b) for a, b in zip(*rows))


CLOCK = time.perf_counter


def time_once(run, docs, rows) -> float:
    start = CLOCK()
    run(docs, rows)
    return CLOCK() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--compare", default=None, help="git revision to time side by side")
    ap.add_argument("--corpus", choices=("synth", "reuters", "pages"), default="synth")
    ap.add_argument("--floor", action="store_true", help="also time normalise + scan alone")
    ap.add_argument("--cpu", action="store_true", help="process CPU time instead of wall time")
    ap.add_argument("--taxonomy", default=None,
                    help="taxonomy file for both sides (default: this tree's, and REV's own for --compare)")
    ap.add_argument("--batch", type=int, default=MAX_BATCH, help="articles per tag_many call (the stage's)")
    ap.add_argument("--source", type=Path, default=None,
                    help="input file of the reuters or pages corpus (defaults: the paths above)")
    args = ap.parse_args(argv)
    global REUTERS, PAGES
    if args.source and args.corpus == "reuters":
        REUTERS = args.source
    elif args.source and args.corpus == "pages":
        PAGES = args.source
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    if args.corpus == "pages":
        docs = page_articles(args.n)
        if docs is None:
            print(f"{PAGES} absent: build it with python bench/build_extraction_devset.py {PAGES}; skipping")
            return 0
    else:
        docs = articles(args.n) if args.corpus == "synth" else reuters_articles(args.n)
    rows = [{"title": t, "text": x} for t, x in docs]
    kb = sum(len(t.encode("utf-8")) for _, t in docs) / len(docs) / 1024
    taxonomy = current.load_taxonomy(args.taxonomy)
    matcher = current.TopicMatcher(taxonomy)
    iptc = {t.slug: t.iptc_code for t in taxonomy.topics}
    runners = {}
    if args.compare:
        old, old_tagging, old_yaml = load_at_rev(args.compare)
        old_tax = old.load_taxonomy(args.taxonomy or old_yaml)
        old_matcher = old.TopicMatcher(old_tax)
        old_stage = stage_runner(old_tagging, old_matcher, iptc, old_tax.version, args.batch)
        runners[f"stage at {args.compare}"] = old_stage
        same = _same_rows(old_stage, stage_runner(tagging, matcher, iptc, taxonomy.version, args.batch), docs)
        print(f"rows identical to {args.compare}'s (topic columns, scores, evidence; taxonomy version "
              f"{'same' if old_tax.version == taxonomy.version else 'differs'}): {same}")
    runners["stage"] = stage_runner(tagging, matcher, iptc, taxonomy.version, args.batch)
    runners["tag_many"] = tag_many_runner(matcher, args.batch)
    runners["tag"] = tag_runner(matcher)
    if args.floor:
        runners["scan floor"] = _ScanOnly(matcher)
        runners["batch scan floor"] = _BatchScanOnly(matcher, args.batch)
    settle_gc()
    for run in runners.values():
        time_once(run, docs[:200], rows[:200])  # warm up
    times = {name: [] for name in runners}
    for _ in range(args.runs):
        for name, run in runners.items():
            times[name].append(time_once(run, docs, rows))
    clock = "CPU" if args.cpu else "wall"
    print(f"{args.corpus}: {len(docs)} articles, mean {kb:.2f} KB, batches of {args.batch}, "
          f"{args.runs} runs each (interleaved, {clock} time)")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:>16}: median {len(docs) / med:>9,.0f} articles/s "
              f"({med / len(docs) * 1e6:.1f} us/article; runs {', '.join(f'{len(docs) / t:,.0f}' for t in ts)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
