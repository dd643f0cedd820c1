"""Where a scheduled run reads and writes, and the report check that decides whether the day stands."""
from __future__ import annotations

import json
import os

import pytest

from pipelines.orchestration import (
    DEFAULT_INPUTS,
    DEFAULT_OUTPUT,
    INPUT_ENV,
    OUTPUT_ENV,
    ReportCheckFailed,
    check_report_file,
    input_patterns,
    output_dir,
    report_path,
    report_summary,
)

DS = "2026-11-25"


def _report(**changes) -> dict:
    report = {"dt": DS, "records_read": 10, "articles_written": 6, "duplicates": 3, "rejected": 1,
              "balanced": True, "problems": [], "rows_per_topic_partition": {"sport": 4, "untagged": 2}}
    report.update(changes)
    return report


def _write(tmp_path, content) -> str:
    path = report_path(str(tmp_path), DS)
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as f:
        f.write(content if isinstance(content, str) else json.dumps(content))
    return path


def test_first_source_that_sets_inputs_wins_and_gets_the_date():
    env = {INPUT_ENV: "/env/{ds}/*.jsonl"}
    assert input_patterns(DS, ["/p/{ds}/a.jsonl", "/p/b.txt"], "/v/{ds}", env) == [f"/p/{DS}/a.jsonl", "/p/b.txt"]
    assert input_patterns(DS, None, "/v/{ds}/*.jsonl, /v/{ds}/*.gz", env) == [f"/v/{DS}/*.jsonl", f"/v/{DS}/*.gz"]
    assert input_patterns(DS, [], "  ", env) == [f"/env/{DS}/*.jsonl"]


def test_inputs_default_to_the_repo_samples_as_absolute_paths():
    patterns = input_patterns(DS, None, None, {})
    assert len(patterns) == len(DEFAULT_INPUTS)
    assert all(os.path.isabs(p) and os.path.join("samples", "raw", DS) in p for p in patterns)


def test_output_comes_from_param_then_variable_then_environment_then_default():
    env = {OUTPUT_ENV: "/env-out"}
    assert output_dir("/p", "/v", env) == "/p"
    assert output_dir(None, "/v", env) == "/v"
    assert output_dir("", None, env) == "/env-out"
    assert output_dir(None, None, {}) == DEFAULT_OUTPUT


def test_report_path_is_the_dates_report_partition():
    assert report_path("/out", DS) == os.path.join("/out", "reports", f"dt={DS}", "report.json")


def test_a_sound_report_passes_and_is_summarised(tmp_path):
    report = _report()
    checked = check_report_file(_write(tmp_path, report), DS)
    assert checked == report
    assert report_summary(checked)["articles_written"] == report["articles_written"]
    assert "problems" not in report_summary(checked)


def test_unbalanced_report_fails_with_the_sum(tmp_path):
    path = _write(tmp_path, _report(balanced=False, articles_written=5))
    with pytest.raises(ReportCheckFailed, match=r"does not add up.*read 10 != written 5 \+ duplicates 3"):
        check_report_file(path, DS)


def test_report_with_problems_fails_listing_them(tmp_path):
    path = _write(tmp_path, _report(problems=["some article appears more than once in its primary topic partition"]))
    with pytest.raises(ReportCheckFailed, match="more than once"):
        check_report_file(path, DS)


@pytest.mark.parametrize("content, reason", [
    ('{"dt": "2026-11-25", "balanced": tr', "unreadable"),
    ("[1, 2]", "not a JSON object"),
    ({"dt": DS, "records_read": 3}, "lacks balanced, problems"),
    ({"dt": DS, "records_read": 3, "balanced": True, "problems": "none"}, "should be a list"),
    ({"dt": DS, "records_read": 3, "balanced": "true", "problems": []}, "does not add up"),
])
def test_corrupted_report_fails_clearly(tmp_path, content, reason):
    with pytest.raises(ReportCheckFailed, match=reason):
        check_report_file(_write(tmp_path, content), DS)


def test_missing_report_fails_saying_nothing_was_published(tmp_path):
    with pytest.raises(ReportCheckFailed, match="did not publish"):
        check_report_file(report_path(str(tmp_path), DS), DS)


def test_report_for_another_date_fails(tmp_path):
    path = _write(tmp_path, _report(dt="2026-11-24"))
    with pytest.raises(ReportCheckFailed, match="expected dt=2026-11-25"):
        check_report_file(path, DS)


def test_requested_dates_are_sorted_unique_iso_dates_and_required():
    import pytest

    from pipelines.orchestration import requested_dates

    assert requested_dates({"dates": ["2026-11-25", "2026-11-24", "2026-11-25"]}, "x") == ["2026-11-24", "2026-11-25"]
    with pytest.raises(ValueError, match="news_retag needs params.dates"):
        requested_dates({}, "news_retag")
    with pytest.raises(ValueError):
        requested_dates({"dates": ["24/11/2026"]}, "x")
