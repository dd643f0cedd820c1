"""Arrow conversions for the output tables: dict rows to record batches, and the per-topic explode."""
from __future__ import annotations

import ctypes
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.articles import ARTICLES, DUPLICATES, REJECTED

UNTAGGED = "untagged"


def _ts(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def read_batches(source, batch_rows: int, columns: list[str] | None = None, use_threads: bool = True):
    """Record batches of a Parquet file (path or file object), reading one row group's bytes at a time.
    pre_buffer off: with pyarrow's default (on), iter_batches fetches every row group before the first batch, so a
    reader held the whole compressed file (finalizing a shard: about 190 MB per GiB of WARC)."""
    return pq.ParquetFile(source, pre_buffer=False).iter_batches(batch_size=batch_rows, columns=columns,
                                                                 use_threads=use_threads)


def read_tables(source, batch_rows: int, read_rows: int, schema: pa.Schema | None = None):
    """Tables of `batch_rows` rows of a Parquet file (the last may be shorter): the same rows, in the same windows,
    as read_batches(source, batch_rows), but decoded `read_rows` at a time and held as chunks, never copied whole.
    pyarrow's reader holds several times what it decodes at once (a string column's builder doubles as it grows),
    so a small read bounds that to a small batch's worth. Decoded on this thread: the reader's worker threads keep
    their own allocator pages, which releasing the pool from here does not hand back."""
    pending, rows = [], 0
    for batch in read_batches(source, read_rows, use_threads=False):
        while batch.num_rows:
            take = batch.slice(0, batch_rows - rows)
            pending.append(take)
            rows += take.num_rows
            batch = batch.slice(take.num_rows)
            if rows == batch_rows:
                yield pa.Table.from_batches(pending, schema=schema)
                pending, rows = [], 0
    if pending:
        yield pa.Table.from_batches(pending, schema=schema)


def articles_table(rows: list[dict], schema: pa.Schema = ARTICLES) -> pa.Table:
    cols = {name: [r.get(name) for r in rows] for name in schema.names}
    cols["scraped_at"] = [_ts(v) for v in cols["scraped_at"]]
    cols["published_at"] = [_ts(v) for v in cols["published_at"]]
    cols["modified_at"] = [_ts(v) for v in cols["modified_at"]]
    for name in ("authors", "metadata_sources", "topics", "topic_scores", "topic_evidence"):
        cols[name] = [v if v is not None else [] for v in cols[name]]
    return pa.Table.from_pydict(cols, schema=schema)


def rejected_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pydict({name: [r.get(name) for r in rows] for name in REJECTED.names}, schema=REJECTED)


def iter_topic_parts(table: pa.Table, keep: pa.Array | None = None):
    """(topic, rows) pairs: each article once per topic it is tagged with, untagged ones under 'untagged' first,
    then the topics in sorted order; only the rows `keep` (a boolean mask) marks, when given. Each part is a copy
    made when asked for, so a writer that writes it before asking for the next holds one topic's copy, not every
    topic's; and the mask spares a filtered copy of the whole table."""
    topics = table.column("topics")
    untagged_rows = pc.equal(pc.list_value_length(topics), 0)
    untagged = table.filter(untagged_rows if keep is None else pc.and_(untagged_rows, keep))
    if untagged.num_rows:
        yield UNTAGGED, untagged
    del untagged
    flat = pc.list_flatten(topics)
    parents = pc.list_parent_indices(topics)
    if keep is not None and len(flat):
        kept = pc.take(keep, parents)
        flat, parents = flat.filter(kept), parents.filter(kept)
    if len(flat):
        for topic in sorted(set(flat.to_pylist())):
            yield topic, take_rows(table, pc.filter(parents, pc.equal(flat, topic)))


def take_rows(table: pa.Table, indices) -> pa.Table:
    """table.take(indices) for ascending indices, one record batch of the table at a time: Arrow's take on a column
    of several chunks first joins them all (a copy of the whole column, text included, for every part), so a table
    read as chunks (read_tables) is taken from chunk by chunk; the result keeps those chunks."""
    batches = table.to_batches()
    if len(batches) < 2:
        return table.take(indices)
    indices = np.asarray(indices, dtype=np.int64)
    starts = np.cumsum([0] + [b.num_rows for b in batches])
    cuts = np.searchsorted(indices, starts)
    parts = [b.take(pa.array(indices[lo:hi] - start))
             for b, start, lo, hi in zip(batches, starts, cuts[:-1], cuts[1:]) if hi > lo]
    return pa.Table.from_batches(parts, schema=table.schema) if parts else table.slice(0, 0)


def split_by_topic(table: pa.Table) -> dict[str, pa.Table]:
    """Each article once per topic it is tagged with; untagged ones under 'untagged'."""
    return dict(iter_topic_parts(table))


def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # by name: find_library runs ldconfig at import
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


_TRIM = _malloc_trim()


def release_freed_memory() -> None:
    """Hands memory that is free but still held back to the OS: pyarrow's pool (mimalloc keeps the pages of a
    written row group, ~150 MB after a 2,000-article one) and glibc's heap (freed pages between live blocks).
    Called after a row group is written, so at most once per few hundred articles."""
    pa.default_memory_pool().release_unused()
    if _TRIM is not None:
        _TRIM(0)


def duplicates_table(dropped: pa.Table, decisions: list[tuple[str, str, float]], pipeline_version: str) -> pa.Table:
    """Ledger rows for dropped articles; `decisions` are (duplicate_of, rule, similarity) aligned with the rows."""
    n = dropped.num_rows
    return pa.Table.from_pydict(
        {
            "article_id": dropped.column("article_id"),
            "url": dropped.column("url"),
            "canonical_url": dropped.column("canonical_url"),
            "duplicate_of": [d[0] for d in decisions],
            "rule": [d[1] for d in decisions],
            "similarity": [float(d[2]) for d in decisions],
            "scraped_at": dropped.column("scraped_at"),
            "content_hash": dropped.column("content_hash"),
            "input_ref": dropped.column("input_ref"),
            "pipeline_version": [pipeline_version] * n,
        },
        schema=DUPLICATES,
    )
