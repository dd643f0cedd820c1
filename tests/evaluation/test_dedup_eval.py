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


@pytest.mark.integration
def test_generated_reuters_devset(tmp_path):
    if not REUTERS.exists():
        pytest.skip("/work/shared/data/reuters21578-train is absent: real-text dev set not available")
    from bench.build_dedup_devset import build_reuters
    rows = build_reuters(REUTERS, bases=300, seed=3)
    result = dedup_eval.evaluate(rows, load_config())
    by_case = result["by_case"]
    assert by_case["syndicated"][2] / by_case["syndicated"][1] > 0.95
    assert by_case["template_figures"][3] <= 1
    assert result["precision"] > 0.95 and result["recall"] > 0.8
