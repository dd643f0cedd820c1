"""dedup_eval on a tiny labelled set, and on the generated Reuters dev set when ../shared is present."""

import json
from pathlib import Path

import pytest

from pipelines.core.near_dup import load_config
from pipelines.evaluation import dedup_eval
from tests.conftest import SHARED

STORY = ("Copper producers in Chile said output fell in March because of a strike at the largest mine, "
         "and smelters warned that concentrate shipments to Asia would be delayed until the dispute "
         "is settled, according to industry officials who asked not to be named on Monday.")
OTHER = ("The central bank left its main lending rate unchanged on Thursday, saying inflation had eased "
         "in recent months while growth remained modest, and economists expect no change before the summer.")


def write(tmp_path, rows):
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_scores_a_tiny_set(tmp_path):
    rows = [{"id": "a", "cluster": "s1", "text": STORY, "scraped_at": "2026-01-01T00:00:00.000000Z"},
            {"id": "b", "cluster": "s1", "text": "SITE HEADER\n\n" + STORY, "scraped_at": "2026-01-01T01:00:00.000000Z"},
            {"id": "c", "cluster": "s2", "text": OTHER}]
    result = dedup_eval.evaluate(dedup_eval.read_rows(write(tmp_path, rows)), load_config())
    assert (result["precision"], result["recall"], result["one_kept_share"]) == (1.0, 1.0, 1.0)
    assert result["wrongly_dropped"] == 0


def test_counts_a_wrong_merge(tmp_path):
    rows = [{"id": "a", "cluster": "s1", "text": STORY}, {"id": "b", "cluster": "s2", "text": STORY}]
    result = dedup_eval.evaluate(dedup_eval.read_rows(write(tmp_path, rows)), load_config())
    assert result["precision"] == 0.0 and result["wrongly_dropped"] == 1 and result["stories_lost"] == 1


def test_main_prints_report(tmp_path, capsys):
    path = write(tmp_path, [{"id": "a", "cluster": "s1", "text": STORY}])
    assert dedup_eval.main(["--data", str(path), "--set", "jaccard_threshold=0.9"]) == 0
    assert "pairwise precision" in capsys.readouterr().out


REUTERS = Path(SHARED) / "data" / "reuters21578-train" / "train.jsonl"


def _doc(newid, text, when, title=""):
    from datetime import datetime
    return {"newid": newid, "title": title, "text": text, "date": datetime.fromisoformat(when)}


def test_builder_judges_real_pairs():
    from bench.build_dedup_devset import judge_pair
    story = STORY + " Output was 120,000 tonnes in the month, down from 150,000 tonnes a year earlier."
    base = _doc(1, story, "1987-03-02 10:00")
    assert judge_pair(base, _doc(2, story + " Reuter", "1987-03-02 11:00"))[0] == "copy"
    next_day = story.replace("120,000", "95,000").replace("150,000", "130,000")
    assert judge_pair(base, _doc(3, next_day, "1987-03-03 10:00"))[0] == "template"
    assert judge_pair(base, _doc(4, next_day, "1987-03-02 14:00"))[0] == "intraday"
    assert judge_pair(base, _doc(5, story.replace("120,000", "121,000"), "1987-03-02 14:00"))[0] == "copy"
    assert judge_pair(base, _doc(6, OTHER, "1987-03-02 12:00"))[0] == "related"
    prime = "{} said it is raising its prime lending rate to 7-3/4 pct from 7-1/2 pct, effective immediately."
    assert judge_pair(_doc(7, prime.format("Marine Midland Banks Inc"), "1987-04-01 10:00"),
                      _doc(8, prime.format("Chemical Bank"), "1987-04-01 10:05"))[0] == "entity"


def test_builder_candidates_find_copies_only():
    from bench.build_dedup_devset import candidate_pairs
    docs = [{"text": STORY}, {"text": OTHER}, {"text": "Site header. " + STORY}]
    assert candidate_pairs(docs) == [(0, 2)]


@pytest.mark.integration
def test_generated_reuters_devset(tmp_path):
    if not REUTERS.exists():
        pytest.skip("/work/shared/data/reuters21578-train is absent: real-text dev set not available")
    from bench.build_dedup_devset import build_reuters
    rows = build_reuters(REUTERS, bases=300, seed=3, weeks="odd")
    result = dedup_eval.evaluate(rows, load_config())
    by_case = result["by_case"]
    assert by_case["syndicated"][2] / by_case["syndicated"][1] > 0.95
    assert by_case["template_figures"][3] <= 1 and by_case["real_template"][3] <= 2
    assert result["precision"] > 0.98 and result["recall"] > 0.85
