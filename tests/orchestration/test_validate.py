"""validate_staging: passes a sound staged day, and names the problem in every kind of broken one."""
from __future__ import annotations

import glob
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.orchestration import report_path
from pipelines.orchestration.validate import ValidationFailed, schema_problems, validate_staging
from schemas.articles import ARTICLES
from tests.orchestration.conftest import DT, index_as_schema_1


def _edit_report(staging, **changes):
    path = report_path(staging, DT)
    with open(path) as f:
        report = json.load(f)
    report.update(changes(report) if callable(changes) else changes)
    with open(path, "w") as f:
        json.dump(report, f)
    return report


def _problems(staging, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as e:
        validate_staging(staging, DT, **kwargs)
    return " | ".join(e.value.problems)


def test_a_sound_staged_day_passes_and_its_counts_add_up(staged):
    _, staging = staged
    report = validate_staging(staging, DT)
    assert report["dt"] == DT
    assert report["records_read"] == report["articles_written"] + report["duplicates"] + report["rejected"]
    assert report["articles_written"] > 0 and sum(report["rows_per_topic_partition"].values()) >= report[
        "articles_written"]


def test_an_index_of_schema_1_written_before_near_dup_2026_11_6_passes(staged):
    _, staging = staged
    index_as_schema_1(staging)
    assert validate_staging(staging, DT)["index_rows"] > 0


def test_an_index_with_another_hash_type_fails(staged):
    _, staging = staged
    path = glob.glob(os.path.join(staging, "index", f"dt={DT}", "*.parquet"))[0]
    table = pq.read_table(path)
    i = table.schema.get_field_index("shingle_hashes")
    column = table.column(i).cast(pa.list_(pa.int64()))
    pq.write_table(table.set_column(i, pa.field("shingle_hashes", column.type, nullable=False), column), path)
    problems = _problems(staging)
    assert "shingle_hashes" in problems and "int64" in problems and "uint32" in problems


def test_a_report_whose_topic_counts_disagree_with_the_files_fails(staged):
    _, staging = staged
    with open(report_path(staging, DT)) as f:
        per_topic = json.load(f)["rows_per_topic_partition"]
    topic = sorted(per_topic)[0]
    _edit_report(staging, rows_per_topic_partition={**per_topic, topic: per_topic[topic] + 1})
    assert "rows_per_topic_partition" in _problems(staging)


def test_a_report_claiming_more_records_than_the_files_hold_fails_even_if_it_says_balanced(staged):
    _, staging = staged
    with open(report_path(staging, DT)) as f:
        read = json.load(f)["records_read"]
    _edit_report(staging, records_read=read + 5, balanced=True)
    assert "sum does not hold" in _problems(staging)


def test_an_unreadable_report_fails(staged):
    _, staging = staged
    with open(report_path(staging, DT), "w") as f:
        f.write("{ not json")
    assert "unreadable" in _problems(staging)


def test_a_file_with_the_wrong_schema_fails(staged):
    _, staging = staged
    path = sorted(glob.glob(os.path.join(staging, "articles", f"dt={DT}", "topic=*", "*.parquet")))[0]
    table = pq.read_table(path)
    i = table.schema.get_field_index("word_count")
    pq.write_table(table.set_column(i, pa.field("word_count", pa.int64()), table.column(i).cast(pa.int64())), path)
    problems = _problems(staging)
    assert "word_count" in problems and "int64" in problems


def test_schema_problems_name_missing_columns(tmp_path):
    path = str(tmp_path / "x.parquet")
    pq.write_table(pa.table({"article_id": ["a"]}), path)
    assert "columns" in schema_problems(path, ARTICLES)[0]
    assert schema_problems(path, pa.schema([pa.field("article_id", pa.string())])) == []


def test_an_empty_topic_partition_fails(staged):
    _, staging = staged
    os.makedirs(os.path.join(staging, "articles", f"dt={DT}", "topic=ghost"))
    assert "topic=ghost holds no rows" in _problems(staging)


def test_a_missing_duplicates_file_fails(staged):
    _, staging = staged
    for path in glob.glob(os.path.join(staging, "duplicates", f"dt={DT}", "*.parquet")):
        os.remove(path)
    assert "duplicates: files hold 0" in _problems(staging)


def test_a_day_that_read_nothing_fails_unless_allowed(staged):
    _, staging = staged
    for table in ("articles", "duplicates", "rejected", "index"):
        for path in glob.glob(os.path.join(staging, table, f"dt={DT}", "**", "*.parquet"), recursive=True):
            os.remove(path)
        for d in glob.glob(os.path.join(staging, table, f"dt={DT}", "topic=*")):
            os.rmdir(d)
    _edit_report(staging, records_read=0, articles_written=0, duplicates=0, rejected=0, index_rows=0,
                 rows_per_topic_partition={}, inputs=[])
    assert "read no record" in _problems(staging)
    assert validate_staging(staging, DT, allow_empty=True)["records_read"] == 0
