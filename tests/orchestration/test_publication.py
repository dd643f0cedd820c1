"""publish_staged: swaps the validated day in, writes the _SUCCESS manifest, and is safe to retry."""
from __future__ import annotations

import os

import pyarrow.parquet as pq
import pytest

from pipelines.orchestration.publication import (
    NothingToPublish,
    is_published,
    marker_path,
    publish_staged,
    read_manifest,
)
from pipelines.orchestration.validate import table_files
from tests.orchestration.conftest import DT, kill_worker_at_rename


def test_publishing_moves_the_day_in_and_the_manifest_lists_every_file_and_row(staged):
    output, staging = staged
    assert not is_published(output, DT)
    manifest = publish_staged(staging, output, DT, run_id="r1")
    assert not os.path.exists(staging) and is_published(output, DT)
    assert manifest == read_manifest(output, DT) and manifest["run_id"] == "r1"
    for table, listed in manifest["tables"].items():
        files = table_files(output, table, DT)
        assert sorted(f["path"] for f in listed["files"]) == sorted(os.path.relpath(f, output) for f in files)
        assert listed["rows"] == sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    assert manifest["report"]["articles_written"] <= manifest["tables"]["articles"]["rows"]
    versions = manifest["versions"]
    assert set(versions) == {"pipeline_version", "taxonomy_version", "cleaning_version", "near_dup_version",
                             "extraction_version"} and all(versions.values())


def test_a_retried_publish_rewrites_the_same_manifest(staged):
    output, staging = staged
    first = publish_staged(staging, output, DT, run_id="r1")
    os.remove(marker_path(output, DT))
    assert publish_staged(staging, output, DT, run_id="r1") == first


def test_nothing_staged_and_nothing_published_is_an_error(tmp_path):
    with pytest.raises(NothingToPublish):
        publish_staged(str(tmp_path / "staging"), str(tmp_path / "out"), DT)


def test_a_retry_whose_staging_is_gone_does_not_vouch_for_another_publication(staged):
    output, staging = staged
    publish_staged(staging, output, DT, run_id="r1")
    with pytest.raises(NothingToPublish, match="was not published from it"):
        publish_staged(os.path.join(os.path.dirname(staging), "another"), output, DT, run_id="r2")
    assert read_manifest(output, DT)["run_id"] == "r1"


def test_the_marker_moves_in_with_the_articles_and_lists_what_was_staged(staged):
    from pipelines.orchestration.publication import build_manifest

    output, staging = staged
    expected = build_manifest(staging, DT, "r1")
    assert publish_staged(staging, output, DT, run_id="r1") == expected == build_manifest(output, DT, "r1")


def test_a_retry_after_its_half_publish_was_undone_does_not_report_success(staged, staged_source, monkeypatch):
    import shutil

    from pipelines.orchestration import staging_dir

    output, staging = staged
    first = publish_staged(staging, output, DT, run_id="first")
    rerun = os.path.join(os.path.dirname(staging), "rerun")
    shutil.copytree(staging_dir(staged_source, DT), rerun)
    kill_worker_at_rename(monkeypatch, after=3)
    with pytest.raises(SystemExit):
        publish_staged(rerun, output, DT, run_id="rerun")
    monkeypatch.undo()
    shutil.rmtree(rerun)  # lost before the retry: the half publish can only be undone

    with pytest.raises(NothingToPublish, match="not published from it"):
        publish_staged(rerun, output, DT, run_id="rerun")
    assert read_manifest(output, DT) == first
