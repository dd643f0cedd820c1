import pyarrow as pa

from pipelines.core.tables import articles_table, duplicates_table, iter_topic_parts, split_by_topic
from schemas.articles import ARTICLES, DUPLICATES


def row(aid, topics):
    return {
        "article_id": aid, "url": f"https://e.com/{aid}", "canonical_url": f"https://e.com/{aid}", "source": None,
        "title": "T", "text": "Body", "published_at": None, "scraped_at": "2026-11-24T08:00:00.000000Z",
        "language": "en", "word_count": 1, "content_hash": "h", "topics": topics,
        "primary_topic": topics[0] if topics else None, "topic_scores": [], "topic_evidence": [],
        "input_ref": f"f:{aid}", "pipeline_version": "v", "taxonomy_version": "t", "cleaning_version": "c",
    }


def test_articles_table_matches_schema_and_parses_timestamps():
    t = articles_table([row("a", ["x"])])
    assert t.schema.equals(ARTICLES)
    assert t.column("scraped_at")[0].as_py().isoformat() == "2026-11-24T08:00:00+00:00"


def test_split_by_topic_puts_an_article_in_every_topic_and_untagged_apart():
    t = articles_table([row("a", ["x", "y"]), row("b", []), row("c", ["y"])])
    parts = split_by_topic(t)
    assert {k: v.column("article_id").to_pylist() for k, v in parts.items()} == {
        "untagged": ["b"], "x": ["a"], "y": ["a", "c"],
    }


def test_topic_parts_of_kept_rows_are_those_of_the_filtered_table():
    rows = [row("a", ["x", "y"]), row("b", []), row("c", ["y"]), row("d", ["x"]), row("e", []), row("f", ["y", "x"])]
    t = articles_table(rows)
    keep = pa.array([False, True, True, False, False, True])
    masked = [(topic, part.to_pylist()) for topic, part in iter_topic_parts(t, keep)]
    assert masked == [(topic, part.to_pylist()) for topic, part in iter_topic_parts(t.filter(keep))]
    assert [(topic, [r["article_id"] for r in part]) for topic, part in masked] == [
        ("untagged", ["b"]), ("x", ["f"]), ("y", ["c", "f"])]
    assert list(iter_topic_parts(t, pa.array([False] * 6))) == []


def test_duplicates_table():
    t = articles_table([row("a", ["x"])])
    ledger = duplicates_table(t, [("b", "exact_url", 1.0)], "v")
    assert ledger.schema.equals(DUPLICATES)
    assert ledger.to_pylist()[0]["duplicate_of"] == "b"
