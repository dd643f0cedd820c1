"""Tests for the topic-tagging evaluator."""
import json

from pipelines.core.topics import TopicMatcher, load_taxonomy
from pipelines.evaluation.topics_eval import evaluate, main, read_rows

ROWS = [
    {"id": "a", "title": "Chipmakers face semiconductor shortage", "text": "", "labels": ["semiconductors"]},
    {"id": "b", "title": "Potato chip prices rise", "text": "Potato chips cost more.", "labels": []},
    {"id": "c", "title": "Council meeting", "text": "Nothing here.", "labels": ["semiconductors"]},
    {"id": "d", "title": "TSMC profit jumps on chip demand", "text": "", "labels": [],
     "judged": ["telecom"]},
]


def _write(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    return path


def test_evaluate_counts_only_judged_topics(tmp_path):
    counts = evaluate(read_rows(_write(tmp_path)), TopicMatcher(load_taxonomy()))
    semis = counts["semiconductors"]
    assert (semis.tp, semis.fp, semis.fn, semis.judged) == (1, 0, 1, 3)  # row d not judged for chips
    assert semis.precision == 1.0 and semis.recall == 0.5
    assert [d[0] for d in semis.misses] == ["c"]


def test_main_prints_table_and_errors(tmp_path, capsys):
    assert main(["--data", str(_write(tmp_path)), "--show", "5"]) == 0
    out = capsys.readouterr().out
    assert "semiconductors" in out and "micro" in out and "macro" in out
    assert "semiconductors misses (1" in out and "c: 'Council meeting'" in out
