"""Evaluate the topic tagger on a labelled JSONL set: per-topic P/R/F1, micro/macro, errors with evidence.

Input rows: {"id", "title", "text", "labels": [slug, ...]} and optionally "judged": [slug, ...]
(the topics the row's labels are complete for; default: every topic labelled anywhere in the file)
and "split" ("dev" / "heldout"; --split keeps one of them, default all rows).

    python -m pipelines.evaluation.topics_eval --data DEVSET.jsonl [--split dev|heldout]
        [--taxonomy PATH] [--show N] [--topics a,b]
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.core.topics import TopicMatcher, load_taxonomy


@dataclass
class TopicCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    judged: int = 0
    false_positives: list = field(default_factory=list)
    misses: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_rows(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            for key in ("id", "labels"):
                if key not in row:
                    raise ValueError(f"{path}:{n}: row without {key!r}")
            rows.append(row)
    return rows


def select_split(rows: list[dict], split: str | None) -> list[dict]:
    """Rows of one split; all rows when split is None. A split no row has is an error."""
    if split is None:
        return rows
    chosen = [r for r in rows if r.get("split") == split]
    if not chosen:
        raise ValueError(f"no rows with split {split!r}")
    return chosen


def evaluate(rows: list[dict], matcher: TopicMatcher, topics: list[str] | None = None) -> dict[str, TopicCounts]:
    """Counts per topic over the rows where that topic is judged."""
    known = {t.slug for t in matcher.taxonomy.topics}
    labelled = sorted({t for r in rows for t in r["labels"]} | {t for r in rows for t in r.get("judged", ())})
    topics = [t for t in (topics or labelled) if t in known]
    counts = {t: TopicCounts() for t in topics}
    for row in rows:
        title, text = row.get("title") or "", row.get("text") or ""
        cands = matcher.explain(title, text)
        tagged = {slug for slug, c in cands.items() if c.tagged}
        gold = set(row["labels"])
        judged = set(row["judged"]) if "judged" in row else set(labelled)
        for t in topics:
            if t not in judged:
                continue
            c = counts[t]
            c.judged += 1
            cand = cands.get(t)
            detail = (row["id"], title, cand)
            if t in tagged and t in gold:
                c.tp += 1
            elif t in tagged:
                c.fp += 1
                c.false_positives.append(detail)
            elif t in gold:
                c.fn += 1
                c.misses.append(detail)
    return counts


def _describe(detail, topic: str, min_score: float) -> str:
    row_id, title, cand = detail
    head = f"    {row_id}: {title[:90]!r}"
    if cand is None:
        return head + f"\n      no evidence (min_score {min_score})"
    kept = ", ".join(f"{e.phrase!r}@{e.field}:{e.start}" for e in cand.evidence[:8]) or "-"
    dropped = ", ".join(f"{e.phrase!r}({why})" for e, why in cand.dropped[:5])
    line = f"{head}\n      score {cand.score} (min {min_score}), {cand.distinct_terms} terms: {kept}"
    if cand.reason:  # enough evidence, yet not tagged
        line += f"\n      not tagged: {cand.reason}"
    return line + (f"\n      dropped: {dropped}" if dropped else "")


def report(counts: dict[str, TopicCounts], matcher: TopicMatcher, show: int, out=None) -> None:
    out = out or sys.stdout
    w = max([len(t) for t in counts] + [5])
    print(f"{'topic':<{w}}  judged    tp    fp    fn  precision  recall     f1", file=out)
    for t, c in counts.items():
        print(f"{t:<{w}}  {c.judged:>6} {c.tp:>5} {c.fp:>5} {c.fn:>5}  {c.precision:>9.3f}  "
              f"{c.recall:>6.3f}  {c.f1:>5.3f}", file=out)
    tp = sum(c.tp for c in counts.values())
    fp = sum(c.fp for c in counts.values())
    fn = sum(c.fn for c in counts.values())
    micro = TopicCounts(tp, fp, fn)
    n = len(counts) or 1
    macro_p = sum(c.precision for c in counts.values()) / n
    macro_r = sum(c.recall for c in counts.values()) / n
    macro_f = sum(c.f1 for c in counts.values()) / n
    print(f"{'micro':<{w}}  {'':>6} {tp:>5} {fp:>5} {fn:>5}  {micro.precision:>9.3f}  "
          f"{micro.recall:>6.3f}  {micro.f1:>5.3f}", file=out)
    print(f"{'macro':<{w}}  {'':>6} {'':>5} {'':>5} {'':>5}  {macro_p:>9.3f}  {macro_r:>6.3f}  "
          f"{macro_f:>5.3f}", file=out)
    if show <= 0:
        return
    for t, c in counts.items():
        min_score = matcher.taxonomy.topic(t).min_score
        for kind, items in (("false positives", c.false_positives), ("misses", c.misses)):
            if items:
                print(f"\n{t} {kind} ({len(items)}, showing {min(show, len(items))}):", file=out)
                for detail in items[:show]:
                    print(_describe(detail, t, min_score), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", dest="devset", type=Path, required=True, help="the labelled JSONL file")
    parser.add_argument("--taxonomy", type=Path, default=None)
    parser.add_argument("--show", type=int, default=10, help="errors to list per topic and kind")
    parser.add_argument("--topics", default="", help="comma-separated slugs (default: all labelled)")
    parser.add_argument("--split", default=None, help="only rows whose 'split' is this (dev, heldout)")
    args = parser.parse_args(argv)
    matcher = TopicMatcher(load_taxonomy(args.taxonomy))
    rows = select_split(read_rows(args.devset), args.split)
    topics = [t for t in args.topics.split(",") if t] or None
    counts = evaluate(rows, matcher, topics)
    where = f" (split {args.split})" if args.split else ""
    print(f"taxonomy {matcher.taxonomy.version}, {len(rows)} rows from {args.devset}{where}")
    report(counts, matcher, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
