"""Tests for the cleaning evaluation: scoring on inline records and a dev-set run when the shared data exists."""

import json
from pathlib import Path

import pytest

from pipelines.core.cleaning import load_rules
from pipelines.evaluation import cleaning_eval

BODY = ("The harbour authority approved a plan on Monday to deepen the main channel so that larger container ships "
        "can dock without waiting for high tide.")
SECOND = "Work is due to start next year and will take about eighteen months, officials said at a press briefing."


def _write(tmp_path, records):
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_clean_record_beats_keep_everything(tmp_path):
    raw = "\n\n".join(["Skip to content", "Home", "Harbour channel to be deepened", BODY, BODY, SECOND,
                       "Related stories", "Ferry fares will rise by five percent in the new year, the operator said.",
                       "© 2024 Example Port News"])
    records = [{"id": "a", "raw_text": raw, "gold_title": "Harbour channel to be deepened",
                "gold_text": BODY + "\n\n" + SECOND}]
    summary = cleaning_eval.evaluate(records, load_rules())
    cleaned, baseline = summary["cleaned"], summary["baseline"]
    assert cleaned["macro_f1"] == pytest.approx(1.0)
    assert baseline["macro_f1"] < cleaned["macro_f1"]
    assert summary["rows"][0]["cleaned"].recall == pytest.approx(1.0)


def test_snippet_records_are_checked(tmp_path):
    raw = "\n\n".join(["Harbour channel to be deepened", BODY, SECOND, "Most read",
                       "A short teaser about something else entirely that readers also clicked on today."])
    records = [{"id": "s", "raw_text": raw, "with": ["larger container ships"], "without": ["teaser about"]}]
    summary = cleaning_eval.evaluate(records, load_rules())
    assert summary["snippet_with_recall"] == 1.0
    assert summary["snippet_without_rejected"] == 1.0


def test_main_prints_overall_scores(tmp_path, capsys):
    path = _write(tmp_path, [{"id": "a", "raw_text": "Title here\n\n" + BODY, "gold_title": "Title here",
                              "gold_text": BODY}])
    assert cleaning_eval.main(["--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "a\tP=1.000" in out and "cleaned" in out and "baseline" in out


DEV_SET = Path("/tmp/cleaning-dev/readability.jsonl")


def test_dev_set_run_beats_baseline():
    if not DEV_SET.exists():
        pytest.skip(f"dev set not built at {DEV_SET}: run `python bench/build_cleaning_devset.py` (needs /work/shared)")
    summary = cleaning_eval.evaluate(cleaning_eval.read_jsonl(DEV_SET), load_rules())
    assert summary["cleaned"]["micro"].f1 > summary["baseline"]["micro"].f1
    assert summary["cleaned"]["macro_f1"] > summary["baseline"]["macro_f1"]
