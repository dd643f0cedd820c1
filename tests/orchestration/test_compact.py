"""Compaction: the row multiset of every table is identical before and after; file counts follow the target."""
from __future__ import annotations

import glob
import os

import pytest

from pipelines.orchestration.compact import NotPublished, compact_to_staging
from pipelines.orchestration.publication import publish_staged, read_manifest
from pipelines.orchestration.validate import validate_staging
from pipelines.orchestration.warehouse import counts_by_partition, load_date
from tests.orchestration.conftest import DT, index_as_schema_1, rows_multiset

TABLES = ("articles", "duplicates", "rejected", "index")


def _compact(output, target_bytes):
    staging, stats = compact_to_staging(output, DT, target_bytes)
    validate_staging(staging, DT)
    publish_staged(staging, output, DT)
    return stats


def _leaf_dirs(output):
    return {os.path.dirname(f) for f in glob.glob(os.path.join(output, "*", f"dt={DT}", "**", "*.parquet"),
                                                   recursive=True)}


def test_a_large_target_leaves_one_file_per_partition_and_every_row(published):
    before = {t: rows_multiset(published, t) for t in TABLES}
    stats = _compact(published, 512 * 1024 * 1024)
    assert {t: rows_multiset(published, t) for t in TABLES} == before
    leaves = _leaf_dirs(published)
    assert stats["files_after"] == len(leaves) <= stats["files_before"]
    assert all(len(glob.glob(os.path.join(d, "*.parquet"))) == 1 for d in leaves)


def test_a_tiny_target_splits_files_without_changing_a_row(published, tmp_path):
    db = str(tmp_path / "w.duckdb")
    load_date(db, published, DT)
    loaded = counts_by_partition(db)
    before = {t: rows_multiset(published, t) for t in TABLES}
    stats = _compact(published, 2000)
    assert stats["files_after"] > len(_leaf_dirs(published)) - 1 and stats["files_after"] > stats["files_before"]
    assert {t: rows_multiset(published, t) for t in TABLES} == before
    assert sum(len(t["files"]) for t in read_manifest(published, DT)["tables"].values()) == stats["files_after"]
    load_date(db, published, DT)
    assert counts_by_partition(db) == loaded


def test_only_published_dates_are_compacted(staged):
    output, _ = staged
    with pytest.raises(NotPublished):
        compact_to_staging(output, DT)


def test_a_date_published_with_a_schema_1_index_compacts_and_keeps_its_hashes(staged):
    import pyarrow as pa
    import pyarrow.parquet as pq

    output, staging = staged
    index_as_schema_1(staging)
    publish_staged(staging, output, DT)
    before = {t: rows_multiset(output, t) for t in TABLES}
    _compact(output, 512 * 1024 * 1024)
    assert {t: rows_multiset(output, t) for t in TABLES} == before
    for path in glob.glob(os.path.join(output, "index", f"dt={DT}", "*.parquet")):
        assert pq.read_schema(path).field("shingle_hashes").type == pa.list_(pa.uint64())
