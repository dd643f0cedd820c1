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


@needs_data
def test_scoop_keeps_one_item_per_story_and_pages_have_text():
    scoop = tam.load_scoop()
    assert len({d["group"] for d in scoop}) == len(scoop) > 300
    pages = tam.load_pages()
    assert pages and all(d["text"] for d in pages)


@needs_data
def test_dump_shows_only_id_title_text(tmp_path: Path):
    docs = tam.load_all()[:5] + [d for d in tam.load_all() if d["corpus"] == "pages"][:2]
    tam.dump(docs, tmp_path)
    text = (tmp_path / "modern_scoop.txt").read_text()
    assert text.count("===== [") == 5
    assert "tune" not in text.split("\n")[0] and "test" not in text.split("\n")[0]


@needs_data
def test_every_labelled_id_is_a_doc_and_labels_use_known_topics():
    from bench import topic_audit_modern_labels as tml
    ids = {d["id"] for d in tam.load_all()}
    assert set(tml.LABELS) <= ids
    assert {d["id"] for d in tam.load_scoop()} <= set(tml.LABELS)
    assert {t for topics in tml.LABELS.values() for t in topics} <= set(tam.TOPICS)


@needs_data
def test_audit_prints_every_topic_and_half():
    out = io.StringIO()
    assert tam.audit(tam.load_all(), errors="none", out=out) == 0
    text = out.getvalue()
    for topic in tam.TOPICS:
        for half in ("tune", "test", "all"):
            assert f"{topic:<24} {half}" in text
