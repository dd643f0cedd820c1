"""Checks a staged date before it may be published: the report's sum holds on counts taken again from the files,
per-topic row counts match the report, every file has a schema in schemas/ (an older index version too), and no
partition is empty that should not be. Reads Parquet footers and two small columns only."""
from __future__ import annotations

import glob
import os

from pipelines.orchestration.paths import ReportCheckFailed, check_report_file, report_path

TOPIC_PREFIX = "topic="


class ValidationFailed(RuntimeError):
    """A staged date failed validation; it must not be published."""

    def __init__(self, dt: str, problems: list[str]):
        super().__init__(f"dt={dt} failed validation: " + "; ".join(problems))
        self.dt, self.problems = dt, problems


def table_files(root: str, table: str, dt: str) -> list[str]:
    return sorted(glob.glob(os.path.join(root, table, f"dt={dt}", "**", "*.parquet"), recursive=True))


def schema_problems(path: str, expected, *also) -> list[str]:
    """Differences between a file's schema and the expected one (names, order, types, nullability); none when it
    matches expected or any schema in also (older accepted versions). The footer is read once."""
    import pyarrow.parquet as pq

    try:
        actual = pq.read_schema(path)
    except Exception as e:  # a truncated or non-Parquet file
        return [f"{path}: unreadable Parquet ({e})"]
    if any(actual.remove_metadata().equals(s.remove_metadata()) for s in (expected, *also)):
        return []
    if actual.names != expected.names:
        return [f"{path}: columns {actual.names} != schema {expected.names}"]
    return [
        f"{path}: column {a.name} is {a.type}{'' if a.nullable else ' not null'},"
        f" schema says {e.type}{'' if e.nullable else ' not null'}"
        for a, e in zip(actual, expected)
        if not a.equals(e)
    ]


def _count_articles(root: str, dt: str, problems: list[str]) -> tuple[dict, int]:
    """(rows per topic partition, articles counted once in their primary partition)."""
    import pyarrow.parquet as pq

    per_topic: dict[str, int] = {}
    once = 0
    partition = os.path.join(root, "articles", f"dt={dt}")
    for entry in sorted(os.listdir(partition)) if os.path.isdir(partition) else []:
        if entry.startswith(("_", ".")):
            continue
        if not entry.startswith(TOPIC_PREFIX) or not os.path.isdir(os.path.join(partition, entry)):
            problems.append(f"articles/dt={dt}/{entry} is not a topic= partition")
            continue
        topic = entry[len(TOPIC_PREFIX):]
        files = sorted(glob.glob(os.path.join(partition, entry, "*.parquet")))
        rows = 0
        for f in files:
            try:
                primary = pq.read_table(f, columns=["primary_topic"]).column("primary_topic").to_pylist()
            except Exception:
                continue  # reported by the schema check
            rows += len(primary)
            once += sum(1 for p in primary if (p or "untagged") == topic)
        if rows == 0:
            problems.append(f"articles/dt={dt}/{entry} holds no rows")
        per_topic[topic] = rows
    return per_topic, once


def _rows(files: list[str]) -> int:
    import pyarrow.parquet as pq

    total = 0
    for f in files:
        try:
            total += pq.ParquetFile(f).metadata.num_rows
        except Exception:
            pass  # reported by the schema check
    return total


def validate_staging(root: str, dt: str, allow_empty: bool = False) -> dict:
    """The report of the date staged under root, if every check passes; raises ValidationFailed listing every
    problem otherwise. `allow_empty`: a day that read no record may be published (off by default: an empty day
    usually means the input went missing)."""
    from schemas.articles import ACCEPTED_SCHEMAS

    problems: list[str] = []
    try:
        report = check_report_file(report_path(root, dt), dt)
    except ReportCheckFailed as e:
        raise ValidationFailed(dt, [str(e)]) from None

    for table, schemas in ACCEPTED_SCHEMAS.items():
        for f in table_files(root, table, dt):
            # a file of an older schema version (index files before near_dup 2026.11.6) is still valid
            problems += schema_problems(f, *schemas)

    per_topic, articles = _count_articles(root, dt, problems)
    duplicates = _rows(table_files(root, "duplicates", dt))
    rejected = _rows(table_files(root, "rejected", dt))
    index_rows = _rows(table_files(root, "index", dt))
    expected = {
        "rows_per_topic_partition": (per_topic, report.get("rows_per_topic_partition")),
        "articles_written": (articles, report.get("articles_written")),
        "duplicates": (duplicates, report.get("duplicates")),
        "rejected": (rejected, report.get("rejected")),
        "index_rows": (index_rows, report.get("index_rows")),
    }
    for key, (counted, reported) in expected.items():
        if counted != reported:
            problems.append(f"{key}: files hold {counted}, report says {reported}")
    if report.get("records_read") != articles + duplicates + rejected:
        problems.append(
            f"sum does not hold on the files: read {report.get('records_read')} != written {articles}"
            f" + duplicates {duplicates} + rejected {rejected}"
        )
    if index_rows != articles:
        problems.append(f"fingerprint index holds {index_rows} rows for {articles} articles")
    if not allow_empty and not report.get("records_read"):
        problems.append("the run read no record (missing input?)")
    if problems:
        raise ValidationFailed(dt, problems)
    return report
