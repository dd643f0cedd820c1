"""The run report, computed from the files a run wrote (not from counters), so it proves the sum."""
from __future__ import annotations

import glob
import json
import os
from collections import Counter

import pyarrow.parquet as pq

from pipelines.core.records import TRUNCATED_KEPT


def _files(root: str, table: str, dt: str, pattern: str = "*.parquet") -> list[str]:
    return sorted(glob.glob(os.path.join(root, table, f"dt={dt}", "**", pattern), recursive=True))


def _column_counts(files: list[str], columns: list[str]) -> list[dict]:
    return [pq.read_table(f, columns=columns).to_pydict() for f in files]


# Tallies the readers keep beside the skips that are not skips: records read, counted for the report.
NOT_SKIPS = frozenset({TRUNCATED_KEPT})


def build_report(root: str, dt: str, inputs: list[tuple], versions: dict) -> dict:
    """Counts everything under root for partition dt. `inputs` are (path, records read[, skipped by reason])
    per input file; skipped WARC records (requests, non-HTML, non-200) are counted apart from records read."""
    article_files = _files(root, "articles", dt)
    per_topic: Counter = Counter()
    primary: Counter = Counter()
    ids_in_primary: Counter = Counter()
    for path in article_files:
        topic = os.path.basename(os.path.dirname(path)).split("=", 1)[1]
        cols = pq.read_table(path, columns=["article_id", "primary_topic"]).to_pydict()
        per_topic[topic] += len(cols["article_id"])
        for aid, prim in zip(cols["article_id"], cols["primary_topic"]):
            if (prim or "untagged") == topic:
                primary[topic] += 1
                ids_in_primary[aid] += 1
    articles = sum(primary.values())

    dup_files = _files(root, "duplicates", dt)
    dup_rules: Counter = Counter()
    for cols in _column_counts(dup_files, ["rule"]):
        dup_rules.update(cols["rule"])
    rej_files = _files(root, "rejected", dt)
    reasons: Counter = Counter()
    for cols in _column_counts(rej_files, ["stage", "reason"]):
        reasons.update(f"{s}:{r}" for s, r in zip(cols["stage"], cols["reason"]))

    index_rows = sum(pq.ParquetFile(f).metadata.num_rows for f in _files(root, "index", dt))
    inputs = [(i[0], i[1], dict(i[2]) if len(i) > 2 else {}) for i in inputs]
    notes = [{k: by_reason.pop(k) for k in NOT_SKIPS if k in by_reason} for _, _, by_reason in inputs]
    skipped: Counter = Counter()
    for _, _, by_reason in inputs:
        skipped.update(by_reason)
    truncated_kept = sum(n.get("truncated_payload_kept", 0) for n in notes)
    records_read = sum(n for _, n, _ in inputs)
    duplicates, rejected = sum(dup_rules.values()), sum(reasons.values())
    return {
        "dt": dt,
        **versions,
        "inputs": [{"path": p, "records": n, "skipped": s} for p, n, s in sorted(inputs)],
        "skipped_by_reason": dict(sorted(skipped.items())),
        # Records read (and in the sum) that are pages published from a truncated payload (WARC-Truncated, or a
        # compressed body that ends early) because what was stored holds an article.
        "truncated_payload_kept": truncated_kept,
        "records_read": records_read,
        "articles_written": articles,
        "duplicates": duplicates,
        "rejected": rejected,
        "balanced": records_read == articles + duplicates + rejected,
        "articles_once_in_primary_partition": all(v == 1 for v in ids_in_primary.values()),
        "index_rows": index_rows,
        "rejected_by_reason": dict(sorted(reasons.items())),
        "duplicates_by_rule": dict(sorted(dup_rules.items())),
        "rows_per_topic_partition": dict(sorted(per_topic.items())),
        "articles_by_primary_topic": dict(sorted(primary.items())),
        "files": {"articles": len(article_files), "duplicates": len(dup_files), "rejected": len(rej_files)},
    }


def check_report(report: dict) -> list[str]:
    """Problems that must stop a publication; empty when the run is sound."""
    problems = []
    if not report["balanced"]:
        problems.append(
            f"sum does not hold: read {report['records_read']} != written {report['articles_written']}"
            f" + duplicates {report['duplicates']} + rejected {report['rejected']}"
        )
    if report["index_rows"] != report["articles_written"]:
        problems.append(f"fingerprint index has {report['index_rows']} rows for {report['articles_written']} articles")
    if not report["articles_once_in_primary_partition"]:
        problems.append("some article appears more than once in its primary topic partition")
    return problems


def write_json(value, path: str) -> None:
    """Written to a temporary name and renamed, so a reader never sees half a file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def write_report(report: dict, path: str) -> None:
    write_json(report, path)
