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


def test_select_split_keeps_one_split_and_rejects_unknown():
    import pytest

    from pipelines.evaluation.topics_eval import select_split

    rows = [{"id": "a", "labels": [], "split": "dev"}, {"id": "b", "labels": [], "split": "heldout"}]
    assert [r["id"] for r in select_split(rows, "heldout")] == ["b"]
    assert select_split(rows, None) == rows
    with pytest.raises(ValueError):
        select_split(rows, "test")


def test_main_with_split_counts_only_that_split(tmp_path, capsys):
    rows = [dict(r, split="dev" if r["id"] in "ab" else "heldout") for r in ROWS]
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert main(["--data", str(path), "--split", "dev", "--show", "0"]) == 0
    out = capsys.readouterr().out
    assert "2 rows" in out and "(split dev)" in out


def test_devset_split_is_fixed_and_roughly_thirty_percent():
    from bench.build_topics_devset import split_of

    ids = [f"doc-{i}" for i in range(2000)]
    held = sum(split_of(i) == "heldout" for i in ids)
    assert 450 < held < 750
    assert [split_of(i) for i in ids[:50]] == [split_of(i) for i in ids[:50]]


def test_devset_relabel_rules():
    from bench.build_topics_devset import _relabel

    labels = ["trade-tariffs"]
    doc = {"newid": 1, "title": "N.Z. CURRENT ACCOUNT DEFICIT NARROWS", "topics": ["bop", "trade"]}
    assert _relabel(doc, labels) == ["T1"] and labels == []
    labels = []
    doc = {"newid": 2, "title": "MALAYSIA RAISES PALM OIL EXPORT DUTIES", "topics": ["palm-oil"]}
    assert _relabel(doc, labels) == ["T2"] and labels == ["trade-tariffs"]
    labels = []
    doc = {"newid": 3, "title": "U.S. DEFENDS STOCKPILED TIN SALES", "topics": ["tin"]}
    assert _relabel(doc, labels) == ["C1"] and labels == ["critical-minerals"]


def test_project_written_articles_are_labelled_with_known_topics():
    from bench.build_topics_devset import CODES, NAMED, PROJECT_WRITTEN

    ids = [row[0] for row in PROJECT_WRITTEN]
    assert len(ids) == len(set(ids)) and all(i.startswith("pw-") for i in ids)
    for topic in ("artificial-intelligence", "rare-earths", "export-controls", "semiconductors", "telecom"):
        code = next(c for c, t in CODES.items() if t == topic)
        prefix = {"AI": "pw-ai-", "RE": "pw-re-", "EC": "pw-ec-", "SC": "pw-sc-", "TC": "pw-tc-"}[code]
        rows = [r for r in PROJECT_WRITTEN if r[0].startswith(prefix)]
        assert len(rows) >= 25
        assert sum(code in r[3].split() for r in rows) >= 10  # positives
        assert sum(code not in r[3].split() for r in rows) >= 10  # near-miss negatives
    assert set(CODES.values()) == set(NAMED)


def test_devset_round3_relabel_rules():
    from bench.build_topics_devset import T5_ICO_TALKS, _relabel

    labels = []
    doc = {"newid": 1, "title": "SOUTH KOREAN TRADE SURPLUS NARROWS", "topics": ["bop"]}
    assert _relabel(doc, labels) == ["T3"] and labels == ["trade-tariffs"]
    labels = ["trade-tariffs"]
    doc = {"newid": 2, "title": "PERU SHORT-TERM TRADE CREDIT UP", "topics": ["trade"]}
    assert _relabel(doc, labels) == ["T4"] and labels == []
    labels = []
    doc = {"newid": min(T5_ICO_TALKS), "title": "SENIOR DELEGATES PESSIMISTIC", "topics": ["coffee"]}
    assert _relabel(doc, labels) == ["T5"] and labels == ["trade-tariffs"]


def test_round3_articles_have_unique_ids_and_known_codes():
    from bench.build_topics_devset import CODES, PROJECT_WRITTEN, PROJECT_WRITTEN_R3

    ids = [row[0] for row in PROJECT_WRITTEN_R3]
    assert len(ids) == len(set(ids)) and all(i.startswith("r3-") for i in ids)
    assert not set(ids) & {row[0] for row in PROJECT_WRITTEN}
    assert all(c in CODES for row in PROJECT_WRITTEN_R3 for c in row[3].split())
    ai = [r for r in PROJECT_WRITTEN_R3 if r[0].startswith("r3-ai-")]
    assert sum("AI" in r[3].split() for r in ai) >= 10 and sum("AI" not in r[3].split() for r in ai) >= 5
