"""Publication of a validated date, and its marker: `articles/dt=<dt>/_SUCCESS` holds the manifest (every
published file with its rows and bytes, plus the report's counts). Readers that skip `_`-files (Spark, Hive,
DuckDB and BigQuery with a `*.parquet` glob) never see it; loaders load only dates that carry it."""
from __future__ import annotations

import json
import os

from pipelines.orchestration.paths import report_path, report_summary

MARKER = "_SUCCESS"
TABLES = ("articles", "duplicates", "rejected", "index")


class NothingToPublish(RuntimeError):
    """No staged run and no earlier publication for the date."""


def marker_path(output: str, dt: str) -> str:
    return os.path.join(output, "articles", f"dt={dt}", MARKER)


def is_published(output: str, dt: str) -> bool:
    return os.path.isfile(marker_path(output, dt))


def read_manifest(output: str, dt: str) -> dict:
    with open(marker_path(output, dt), encoding="utf-8") as f:
        return json.load(f)


def build_manifest(root: str, dt: str, run_id: str | None = None) -> dict:
    """What root (the output, or a staging dir about to be published) holds for dt, from the files themselves;
    paths are relative to root, so a staging dir's manifest lists the paths its files will have once published."""
    import pyarrow.parquet as pq

    from pipelines.orchestration.validate import table_files

    tables = {}
    for table in TABLES:
        files = []
        for path in table_files(root, table, dt):
            files.append({
                "path": os.path.relpath(path, root),
                "rows": pq.ParquetFile(path).metadata.num_rows,
                "bytes": os.path.getsize(path),
            })
        tables[table] = {"rows": sum(f["rows"] for f in files), "files": files}
    with open(report_path(root, dt), encoding="utf-8") as f:
        report = json.load(f)
    return {"dt": dt, "run_id": run_id, "tables": tables, "report": report_summary(report),
            "versions": {k: report.get(k) for k in ("pipeline_version", "taxonomy_version", "cleaning_version",
                                                   "near_dup_version", "extraction_version")}}


def write_marker(output: str, dt: str, run_id: str | None = None) -> dict:
    """Writes the manifest as the date's _SUCCESS marker (atomically) and returns it."""
    from pipelines.core.report import write_json

    manifest = build_manifest(output, dt, run_id)
    write_json(manifest, marker_path(output, dt))
    return manifest


def publish_staged(staging: str, output: str, dt: str, run_id: str | None = None) -> dict:
    """Swaps the validated staging dir in (pipelines.core.publish.publish) with the manifest written into its articles
    partition first, so the marker moves in with them (they move in last). Safe to retry: a publish that died half
    way is finished, and a retry after this staging was published returns the published manifest."""
    from pipelines.core.publish import NothingStaged, publish, settled

    def with_manifest(root: str) -> None:
        from pipelines.core.report import write_json

        write_json(build_manifest(root, dt, run_id), marker_path(root, dt))

    try:
        publish(staging, output, dt, prepare=with_manifest)
    except NothingStaged as e:
        raise NothingToPublish(f"nothing staged at {staging}, and dt={dt} was not published from it") from e
    if not is_published(output, dt):  # the marker was lost after an earlier try published this staging
        with settled(output, dt):
            return write_marker(output, dt, run_id)
    return read_manifest(output, dt)
