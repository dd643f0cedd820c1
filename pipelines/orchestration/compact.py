"""Compaction: rewrites a published date's files into files of about a target size (warehouses like 128-512 MB)
without changing a row. Streams record batches, so memory stays at one batch; publishes through staging."""
from __future__ import annotations

import glob
import os
import shutil
import uuid

from pipelines.orchestration.paths import staging_dir
from pipelines.orchestration.publication import is_published

COMPRESSION = "zstd"
DEFAULT_TARGET_BYTES = 256 * 1024 * 1024
BATCH_ROWS = 4096


class NotPublished(RuntimeError):
    """Only published dates are compacted."""


def partition_dirs(root: str, dt: str) -> list[tuple[str, str]]:
    """(table, relative leaf dir) of every Parquet-holding partition of dt."""
    from schemas.articles import SCHEMAS

    leaves = []
    for table in SCHEMAS:
        base = os.path.join(root, table, f"dt={dt}")
        for d in sorted({os.path.dirname(f) for f in glob.glob(os.path.join(base, "**", "*.parquet"), recursive=True)}):
            leaves.append((table, os.path.relpath(d, root)))
    return leaves


def source_schema(files: list[str], accepted) -> "pa.Schema":
    """The accepted schema (schemas.articles.ACCEPTED_SCHEMAS, current first) to rewrite files with: the one they
    have, so an older date stays as it was published; the widest one present when versions are mixed (index:
    uint64 holds every uint32 hash); the current one when none matches (the writer then rejects the rows)."""
    import pyarrow.parquet as pq

    found = [pq.read_schema(f) for f in files]
    present = [s for s in accepted if any(f.equals(s, check_metadata=False) for f in found)]
    return present[-1] if present else accepted[0]


def compact_dir(src: str, dst: str, accepted, target_bytes: int) -> int:
    """Copies the rows of src/*.parquet, in file order, into dst/part-NNNNN.parquet files of about target_bytes
    (estimated from the source's bytes per row), with source_schema(). Returns the number of files written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipelines.core.tables import read_batches

    files = sorted(glob.glob(os.path.join(src, "*.parquet")))
    schema = source_schema(files, accepted)
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    size = sum(os.path.getsize(f) for f in files)
    rows_per_file = max(1, int(target_bytes / (size / rows))) if rows else 1
    os.makedirs(dst, exist_ok=True)
    writer, in_file, written = None, 0, 0
    try:
        for f in files:
            for batch in read_batches(f, BATCH_ROWS):
                if not batch.schema.equals(schema, check_metadata=False):  # a narrower version, widened
                    batch = batch.cast(schema)
                while batch.num_rows:
                    if writer is None:
                        path = os.path.join(dst, f"part-{written:05d}.parquet")
                        writer = pq.ParquetWriter(path, schema, compression=COMPRESSION)
                        written, in_file = written + 1, 0
                    take = batch.slice(0, rows_per_file - in_file)
                    writer.write_batch(take)
                    in_file += take.num_rows
                    batch = batch.slice(take.num_rows)
                    if in_file >= rows_per_file:
                        writer.close()
                        writer = None
    finally:
        if writer is not None:
            writer.close()
    return written


def compact_to_staging(output: str, dt: str, target_bytes: int = DEFAULT_TARGET_BYTES,
                       staging: str | None = None) -> tuple[str, dict]:
    """Writes dt compacted under a staging dir with the published report copied; returns (staging, stats).
    The caller validates and publishes it like any run."""
    from pipelines.core.publish import record_base, recover
    from schemas.articles import ACCEPTED_SCHEMAS

    if target_bytes <= 0:
        raise ValueError("target_bytes must be positive")
    base = recover(output, dt)  # taken before reading: publish() refuses the staging once dt moves on
    if not is_published(output, dt):
        raise NotPublished(f"dt={dt} is not published under {output}")
    staging = staging or staging_dir(output, dt, f"compact-{uuid.uuid4().hex[:12]}")  # each try its own
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    record_base(staging, base)
    before = after = 0
    for table, rel in partition_dirs(output, dt):
        before += len(glob.glob(os.path.join(output, rel, "*.parquet")))
        after += compact_dir(os.path.join(output, rel), os.path.join(staging, rel), ACCEPTED_SCHEMAS[table],
                             target_bytes)
    shutil.copytree(os.path.join(output, "reports", f"dt={dt}"), os.path.join(staging, "reports", f"dt={dt}"))
    return staging, {"dt": dt, "files_before": before, "files_after": after, "target_bytes": target_bytes}
