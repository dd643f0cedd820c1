"""Evaluate the body-text cleaner on JSONL records: 4-word-shingle P/R/F1 of title + text against gold.

Records: {id, raw_text, gold_title?, gold_text, title?}. `title`, when present, is passed to the cleaner as
scraper metadata; otherwise the cleaner finds the headline itself. Records with `with`/`without` snippet
lists (and no gold_text) are scored by snippet checks instead.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from pipelines.core.cleaning import CleanRules, clean_article, load_rules, normalize_text
from pipelines.core.text_metrics import prf_counts, shingle_prf


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _joined(title: str, text: str) -> str:
    return f"{title}\n\n{text}" if title else text


def evaluate(records: list[dict], rules: CleanRules, shingle_size: int = 4) -> dict:
    """Per-record and overall scores; 'baseline' is the same metric for keeping the raw text unchanged."""
    rows, snippet_rows = [], []
    totals = {"cleaned": [0, 0, 0], "baseline": [0, 0, 0]}
    for rec in records:
        res = clean_article(rec.get("raw_text", ""), title=rec.get("title"), rules=rules)
        predicted = _joined(res.title, res.text)
        if "gold_text" in rec:
            reference = _joined(rec.get("gold_title") or "", rec["gold_text"])
            cleaned = shingle_prf(predicted, reference, shingle_size)
            baseline = shingle_prf(rec.get("raw_text", ""), reference, shingle_size)
            for key, score in (("cleaned", cleaned), ("baseline", baseline)):
                totals[key][0] += score.overlap
                totals[key][1] += score.predicted
                totals[key][2] += score.reference
            rows.append({"id": rec.get("id", ""), "cleaned": cleaned, "baseline": baseline})
        if "with" in rec or "without" in rec:
            haystack = normalize_text(predicted).casefold()
            kept = [normalize_text(s).casefold() in haystack for s in rec.get("with", [])]
            leaked = [normalize_text(s).casefold() in haystack for s in rec.get("without", [])]
            snippet_rows.append({"id": rec.get("id", ""), "with_found": sum(kept), "with_total": len(kept),
                                 "without_found": sum(leaked), "without_total": len(leaked)})
    summary: dict = {"records": len(records), "rows": rows, "snippets": snippet_rows}
    if rows:
        for key in ("cleaned", "baseline"):
            summary[key] = {
                "macro_f1": statistics.fmean(r[key].f1 for r in rows),
                "macro_precision": statistics.fmean(r[key].precision for r in rows),
                "macro_recall": statistics.fmean(r[key].recall for r in rows),
                "micro": prf_counts(*totals[key]),
            }
    if snippet_rows:
        with_total = sum(r["with_total"] for r in snippet_rows)
        without_total = sum(r["without_total"] for r in snippet_rows)
        summary["snippet_with_recall"] = sum(r["with_found"] for r in snippet_rows) / with_total if with_total else 1.0
        summary["snippet_without_rejected"] = (
            1 - sum(r["without_found"] for r in snippet_rows) / without_total if without_total else 1.0)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsflow eval cleaning", description="Score the cleaner on a JSONL dev set.")
    parser.add_argument("--data", type=Path, required=True, help="JSONL file of records")
    parser.add_argument("--rules", type=Path, default=None, help="rules YAML (default: the packaged rules)")
    parser.add_argument("--quiet", action="store_true", help="only print the overall lines")
    args = parser.parse_args(argv)
    rules = load_rules(args.rules) if args.rules else load_rules()
    summary = evaluate(read_jsonl(args.data), rules)
    if not args.quiet:
        for r in summary["rows"]:
            c, b = r["cleaned"], r["baseline"]
            print(f"{r['id']}\tP={c.precision:.3f}\tR={c.recall:.3f}\tF1={c.f1:.3f}\t(keep-all F1={b.f1:.3f})")
        for r in summary["snippets"]:
            print(f"{r['id']}\twith {r['with_found']}/{r['with_total']}\twithout leaked "
                  f"{r['without_found']}/{r['without_total']}")
    print(f"rules version {rules.version}; {summary['records']} records")
    for key in ("cleaned", "baseline"):
        if key in summary:
            s = summary[key]
            m = s["micro"]
            print(f"{key:9s} macro P={s['macro_precision']:.3f} R={s['macro_recall']:.3f} F1={s['macro_f1']:.3f}"
                  f" | micro P={m.precision:.3f} R={m.recall:.3f} F1={m.f1:.3f}")
    if "snippet_with_recall" in summary:
        print(f"snippets: 'with' found {summary['snippet_with_recall']:.3f}, "
              f"'without' rejected {summary['snippet_without_rejected']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
