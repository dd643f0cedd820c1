"""Re-tagging a published day: same taxonomy -> the very same rows; another taxonomy -> only the tag columns
change, the result validates and publishes, and other dates are not touched."""
from __future__ import annotations

import os
import shutil

import pyarrow.parquet as pq
import pytest
import yaml

from pipelines.core.topics import DEFAULT_TAXONOMY_PATH
from pipelines.orchestration.publication import publish_staged, read_manifest
from pipelines.orchestration.retag import NotPublished, published_articles, retag_to_staging
from pipelines.orchestration.validate import validate_staging
from tests.orchestration.conftest import DT, index_as_schema_1, rows_multiset, tree_digest

TAG_COLUMNS = {"topics", "primary_topic", "topic_scores", "topic_evidence", "taxonomy_version"}
DROPPED = "sport"


def _taxonomy_without(topic: str, path) -> str:
    with open(DEFAULT_TAXONOMY_PATH, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    data["version"] = data["version"] + "-test"
    data["topics"] = [t for t in data["topics"] if t["slug"] != topic]
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, sort_keys=False)
    return str(path)


def test_retagging_with_the_same_taxonomy_keeps_every_row_identical(published):
    before = rows_multiset(published, "articles")
    staging = retag_to_staging(published, DT)
    validate_staging(staging, DT)
    publish_staged(staging, published, DT)
    assert rows_multiset(published, "articles") == before


def test_a_date_published_with_a_schema_1_index_can_be_retagged(staged):
    output, staging = staged
    index_as_schema_1(staging)
    publish_staged(staging, output, DT)
    index = rows_multiset(output, "index")
    retagged = retag_to_staging(output, DT)
    validate_staging(retagged, DT)
    publish_staged(retagged, output, DT)
    assert rows_multiset(output, "index") == index


def test_a_new_taxonomy_changes_only_the_tag_columns_and_leaves_other_dates_alone(published, tmp_path):
    other = "2026-11-23"  # a second published date, which the retag must not touch
    for table in ("articles", "duplicates", "rejected", "index", "reports"):
        shutil.copytree(os.path.join(published, table, f"dt={DT}"), os.path.join(published, table, f"dt={other}"))
    untouched = {k: v for k, v in tree_digest(published).items() if f"dt={other}" in k}
    old = {r["article_id"]: r for r in published_articles(published, DT).to_pylist()}
    assert any(r["primary_topic"] == DROPPED for r in old.values()), "the sample day should have sport articles"

    staging = retag_to_staging(published, DT, _taxonomy_without(DROPPED, tmp_path / "topics.yaml"))
    report = validate_staging(staging, DT)
    publish_staged(staging, published, DT)

    new = {r["article_id"]: r for r in published_articles(published, DT).to_pylist()}
    assert new.keys() == old.keys()
    for aid, row in new.items():
        assert {k: v for k, v in row.items() if k not in TAG_COLUMNS} == {
            k: v for k, v in old[aid].items() if k not in TAG_COLUMNS}
        assert DROPPED not in row["topics"] and row["taxonomy_version"].endswith("-test")
    assert not os.path.exists(os.path.join(published, "articles", f"dt={DT}", f"topic={DROPPED}"))
    assert report["taxonomy_version"].endswith("-test") and report["retagged_from"] == old[aid]["taxonomy_version"]
    assert read_manifest(published, DT)["versions"]["taxonomy_version"].endswith("-test")
    assert {k: v for k, v in tree_digest(published).items() if f"dt={other}" in k} == untouched
    for table in ("duplicates", "rejected", "index"):
        assert rows_multiset(published, table) == rows_multiset(published, table, other)


def test_only_published_dates_can_be_retagged(staged):
    output, _ = staged
    with pytest.raises(NotPublished):
        retag_to_staging(output, DT)
