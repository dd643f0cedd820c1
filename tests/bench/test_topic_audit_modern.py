"""The modern-text audit: stable halves, one item per story, labels covering the dump, a scoring run."""

import io
from pathlib import Path

import pytest

from bench import topic_audit_modern as tam

needs_data = pytest.mark.skipif(not tam.SCOOP.exists(), reason="../shared/data (scoop, extraction-dev) not present")


def test_halves_are_stable_and_both_used():
    groups = [f"g{i}" for i in range(200)]
    halves = [tam.half_of(g) for g in groups]
    assert halves == [tam.half_of(g) for g in groups]
    assert 60 < halves.count("test") < 140


def test_halves_are_pinned():
    """Changing the salt would move tuned docs into the test half: these must not move."""
    pinned = {"gt_story_0001": "test", "gt_story_0002": "tune", "gt_story_0003": "tune", "gt_story_0004": "test",
              "mozilla/bbc-1": "test", "mozilla/nytimes-1": "tune"}
    assert {g: tam.half_of(g) for g in pinned} == pinned


def test_borderline_covers_close_positives_and_listed_negatives():
    labels = {"a": {"telecom": "borderline: deal mechanics", "semiconductors": "a chip"}, "b": {}}
    negatives = {"b": ("trade-tariffs",)}
    assert tam._borderline(labels, negatives, "a", "telecom")
    assert not tam._borderline(labels, negatives, "a", "semiconductors")
    assert tam._borderline(labels, negatives, "b", "trade-tariffs")
    assert not tam._borderline(labels, negatives, "b", "telecom")


@pytest.fixture(scope="module")
def docs():
    return tam.load_all()


@needs_data
def test_real_halves_and_borderline_negatives_match_the_labels(docs):
    from bench import topic_audit_modern_labels as tml
    assert (sum(d["half"] == "tune" for d in docs), sum(d["half"] == "test" for d in docs)) == (255, 231)
    close = {k for k, v in tml.NOTES.items() if v.lower().startswith("borderline")}
    assert close == set(tml.BORDERLINE_NEGATIVES)
    assert {t for ts in tml.BORDERLINE_NEGATIVES.values() for t in ts} <= set(tam.TOPICS)


@needs_data
def test_scoop_keeps_one_item_per_story_and_pages_have_text():
    scoop = tam.load_scoop()
    assert len({d["group"] for d in scoop}) == len(scoop) > 300
    pages = tam.load_pages()
    assert pages and all(d["text"] for d in pages)


@needs_data
def test_dump_shows_only_id_title_text(tmp_path: Path, docs):
    docs = docs[:5] + [d for d in docs if d["corpus"] == "pages"][:2]
    tam.dump(docs, tmp_path)
    text = (tmp_path / "modern_scoop.txt").read_text()
    assert text.count("===== [") == 5
    heads = [line for line in text.splitlines() if line.startswith("===== [")]
    assert all(len(h.split()) == 3 for h in heads)  # marker, number, id: no half, no labels
    assert all(any(line.startswith("TITLE: ") for line in block.splitlines()[:2]) for block in text.split("=====")[1:])


@needs_data
def test_every_labelled_id_is_a_doc_and_labels_use_known_topics(docs):
    from bench import topic_audit_modern_labels as tml
    ids = {d["id"] for d in docs}
    assert set(tml.LABELS) <= ids
    assert {d["id"] for d in tam.load_scoop()} <= set(tml.LABELS)
    assert {t for topics in tml.LABELS.values() for t in topics} <= set(tam.TOPICS)


@needs_data
def test_audit_prints_every_topic_and_half(docs):
    out = io.StringIO()
    assert tam.audit(docs, errors="none", out=out) == 0
    text = out.getvalue()
    for topic in tam.TOPICS:
        for half in ("tune", "test", "all"):
            assert f"{topic:<24} {half}" in text
