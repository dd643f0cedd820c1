"""DuckDB load: rows equal the Parquet rows per (dt, topic); reloading replaces, never doubles."""
from __future__ import annotations

import collections
import os

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.orchestration.publication import read_manifest
from pipelines.orchestration.warehouse import (
    NotPublished,
    WarehouseSchemaOutdated,
    counts_by_partition,
    load_date,
)
from pipelines.orchestration.validate import table_files
from tests.orchestration.conftest import DT


def parquet_counts(output: str, dt: str = DT) -> dict:
    counts = collections.Counter()
    for path in table_files(output, "articles", dt):
        topic = os.path.basename(os.path.dirname(path)).split("=", 1)[1]
        counts[(dt, topic)] += pq.ParquetFile(path).metadata.num_rows
    return dict(counts)


def test_loading_twice_leaves_exactly_the_parquet_rows(published, tmp_path):
    db = str(tmp_path / "w.duckdb")
    first = load_date(db, published, DT)
    assert load_date(db, published, DT) == first
    assert counts_by_partition(db) == parquet_counts(published)
    assert first == sum(parquet_counts(published).values())


def test_the_file_answers_topics_by_day_and_keeps_the_columns(published, tmp_path):
    db = str(tmp_path / "w.duckdb")
    load_date(db, published, DT)
    con = duckdb.connect(db, read_only=True)
    by_day = dict(con.execute("SELECT topic, articles FROM topics_by_day WHERE dt = ?", [DT]).fetchall())
    ids = con.execute("SELECT count(DISTINCT article_id) FROM articles WHERE topic = coalesce(primary_topic, 'untagged')"
                      ).fetchone()[0]
    loads = con.execute("SELECT rows, run_id FROM loads").fetchall()
    con.close()
    assert by_day == {t: n for (_, t), n in parquet_counts(published).items()}
    assert ids == read_manifest(published, DT)["report"]["articles_written"]
    assert loads == [(sum(by_day.values()), "test")]


def test_an_unpublished_day_is_not_loaded(staged, tmp_path):
    output, _ = staged
    with pytest.raises(NotPublished):
        load_date(str(tmp_path / "w.duckdb"), output, DT)


def test_a_warehouse_built_for_another_schema_is_refused_with_a_clear_message(published, tmp_path):
    db = str(tmp_path / "w.duckdb")
    con = duckdb.connect(db)
    con.execute("CREATE TABLE articles (article_id VARCHAR, dt DATE, topic VARCHAR)")
    con.close()
    with pytest.raises(WarehouseSchemaOutdated, match="reload"):
        load_date(db, published, DT)


def test_the_load_holds_the_date_lock_while_it_reads(published, tmp_path, monkeypatch):
    from pipelines.core.publish import DateLocked, date_lock
    from pipelines.orchestration import warehouse

    real, tried = warehouse._load, []

    def load_while_a_publish_tries_the_lock(*args):
        with pytest.raises(DateLocked):  # a publish cannot move the files the load is reading
            with date_lock(published, DT, timeout=0):
                pass
        tried.append(True)
        return real(*args)

    monkeypatch.setattr(warehouse, "_load", load_while_a_publish_tries_the_lock)
    assert load_date(str(tmp_path / "w.duckdb"), published, DT) == sum(parquet_counts(published).values())
    assert tried == [True]
