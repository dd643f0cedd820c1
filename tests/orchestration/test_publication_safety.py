"""Reruns, re-tags and compactions of one date, through the real functions on the sample day: a re-tag or compaction
built before a daily rerun is refused instead of overwriting the rerun's rows, and a publish that dies half way
leaves the warehouse loading one whole publication."""
from __future__ import annotations

import os
import shutil
import threading

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipelines.core.publish import PublicationConflict, published_generation
from pipelines.orchestration import staging_dir
from pipelines.orchestration.compact import compact_to_staging
from pipelines.orchestration.publication import publish_staged, read_manifest
from pipelines.orchestration.retag import published_articles, retag_to_staging
from pipelines.orchestration.validate import table_files, validate_staging
from pipelines.orchestration.warehouse import counts_by_partition, load_date
from tests.orchestration.conftest import DT, kill_worker_at_rename, rows_multiset

CORRECTED = " (corrected)"


def stage_daily_rerun(staged_source: str, output: str) -> str:
    """news_daily rerunning DT: the sample day staged again, its upstream titles corrected since the first run."""
    staging = staging_dir(output, DT)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(staging_dir(staged_source, DT), staging)
    for path in table_files(staging, "articles", DT):
        table = pq.read_table(path)
        i = table.schema.get_field_index("title")
        pq.write_table(table.set_column(i, table.schema.field(i), pc.binary_join_element_wise(
            table.column("title"), CORRECTED, "")), path, compression="zstd")
    validate_staging(staging, DT)
    return staging


def titles(output: str) -> list[str]:
    return published_articles(output, DT).column("title").to_pylist()


def test_a_retag_built_before_a_daily_rerun_is_refused_and_its_retry_keeps_the_rerun(published, staged_source):
    retag = retag_to_staging(published, DT)  # news_retag reads the published day ...
    validate_staging(retag, DT)
    publish_staged(stage_daily_rerun(staged_source, published), published, DT, run_id="rerun")  # ... a rerun lands
    rerun = rows_multiset(published, "articles")

    with pytest.raises(PublicationConflict, match="republished"):
        publish_staged(retag, published, DT)
    assert rows_multiset(published, "articles") == rerun and read_manifest(published, DT)["run_id"] == "rerun"

    retried = retag_to_staging(published, DT)  # the task's retry starts over from what is published
    validate_staging(retried, DT)
    publish_staged(retried, published, DT)
    assert titles(published) and all(t is None or t.endswith(CORRECTED) for t in titles(published))


def test_a_retag_and_a_daily_rerun_racing_on_one_date_end_with_both(published, staged_source, tmp_path, monkeypatch):
    from pipelines.orchestration import retag as retag_module
    from tests.orchestration.test_retag import DROPPED, _taxonomy_without

    taxonomy = _taxonomy_without(DROPPED, tmp_path / "topics.yaml")
    rerun_staging = stage_daily_rerun(staged_source, published)
    tagging, rerun_published = threading.Event(), threading.Event()
    real_tagger = retag_module._tagger

    def tagger_that_lets_the_rerun_in(path):
        version, tag = real_tagger(path)

        def tag_after_the_rerun(rows):
            tagging.set()
            rerun_published.wait(60)
            return tag(rows)
        return version, tag_after_the_rerun

    monkeypatch.setattr(retag_module, "_tagger", tagger_that_lets_the_rerun_in)
    outcomes, errors = [], []

    def news_retag_task():  # the task body, with Airflow's retries
        try:
            for _ in range(3):
                try:
                    staging = retag_module.retag_to_staging(published, DT, taxonomy)
                    validate_staging(staging, DT)
                    publish_staged(staging, published, DT)
                    outcomes.append("published")
                    return
                except PublicationConflict:
                    outcomes.append("refused")
        except Exception as e:  # noqa: BLE001 (asserted below)
            errors.append(repr(e))

    def news_daily_publish_task():
        try:
            tagging.wait(60)
            publish_staged(rerun_staging, published, DT, run_id="rerun")
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))
        finally:
            rerun_published.set()

    writers = [threading.Thread(target=news_retag_task), threading.Thread(target=news_daily_publish_task)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    assert errors == [] and outcomes == ["refused", "published"]
    rows = published_articles(published, DT).to_pylist()
    assert rows and all(r["title"] is None or r["title"].endswith(CORRECTED) for r in rows)  # the rerun's rows ...
    assert all(DROPPED not in r["topics"] and r["taxonomy_version"].endswith("-test") for r in rows)  # ... re-tagged


def test_a_compaction_built_before_a_daily_rerun_is_refused(published, staged_source):
    compacted, _ = compact_to_staging(published, DT, 512 * 1024 * 1024)
    validate_staging(compacted, DT)
    publish_staged(stage_daily_rerun(staged_source, published), published, DT, run_id="rerun")
    rerun = {t: rows_multiset(published, t) for t in ("articles", "duplicates", "rejected", "index")}

    with pytest.raises(PublicationConflict):
        publish_staged(compacted, published, DT)
    assert {t: rows_multiset(published, t) for t in rerun} == rerun


def test_a_retag_dying_half_way_is_finished_before_the_warehouse_loads(published, tmp_path, monkeypatch):
    db = str(tmp_path / "w.duckdb")
    load_date(db, published, DT)
    before = published_generation(published, DT)
    staging = retag_to_staging(published, DT)
    validate_staging(staging, DT)
    kill_worker_at_rename(monkeypatch, after=3)  # old articles, duplicates and rejected out: no partition of them
    with pytest.raises(SystemExit):
        publish_staged(staging, published, DT, run_id="retag")
    monkeypatch.undo()

    rows = load_date(db, published, DT)  # the loader finishes the publish, then loads it

    manifest = read_manifest(published, DT)
    assert manifest["run_id"] == "retag" and published_generation(published, DT) not in (None, before)
    assert rows == manifest["tables"]["articles"]["rows"]
    assert sum(counts_by_partition(db).values()) == rows
    for table, listed in manifest["tables"].items():
        assert sorted(f["path"] for f in listed["files"]) == sorted(
            os.path.relpath(f, published) for f in table_files(published, table, DT))
    assert publish_staged(staging, published, DT, run_id="retag") == manifest  # the task's retry: nothing left to do
