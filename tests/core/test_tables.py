import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.core.tables import (
    articles_table, duplicates_table, iter_topic_parts, read_batches, read_tables, split_by_topic, take_rows,
)
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


def _parquet_of(path, group_sizes):
    """A file of articles-like rows in row groups of the given sizes; row n has topics cycling through four shapes."""
    shapes = [[], ["x"], ["x", "y"], ["y"]]
    n = 0
    schema = pa.schema([("n", pa.int64()), ("text", pa.string()), ("topics", pa.list_(pa.string()))])
    with pq.ParquetWriter(path, schema) as w:
        for size in group_sizes:
            ns = list(range(n, n + size))
            w.write_table(pa.table({"n": ns, "text": [f"text {i} " * (i % 7) for i in ns],
                                    "topics": [shapes[i % 4] for i in ns]}))
            n += size
    return n


def test_read_tables_gives_read_batches_windows_and_rows(tmp_path):
    path = str(tmp_path / "t.parquet")
    total = _parquet_of(path, [7, 13, 5, 20, 1, 9])
    for batch_rows in (10, 8, 100):
        whole = list(read_batches(path, batch_rows))
        for read_rows in (1, 3, 4, 10, 25):
            tables = list(read_tables(path, batch_rows, read_rows))
            assert [t.num_rows for t in tables] == [b.num_rows for b in whole]
            assert [t.to_pylist() for t in tables] == [b.to_pylist() for b in whole]
            assert sum(t.num_rows for t in tables) == total
    # decoded a few rows at a time and not joined: a window is several chunks
    assert max(t.column("text").num_chunks for t in read_tables(path, 10, 3)) > 1


def test_take_rows_is_take_on_a_chunked_table(tmp_path):
    path = str(tmp_path / "t.parquet")
    _parquet_of(path, [7, 13, 5])
    (table,) = read_tables(path, 25, 4)
    assert table.column("n").num_chunks > 1
    for indices in ([0], [3, 4, 5, 12, 24], [1, 1, 2, 20, 20], list(range(25)), [24]):
        assert take_rows(table, pa.array(indices)).to_pylist() == table.combine_chunks().take(indices).to_pylist()
    assert take_rows(table, pa.array([], pa.int64())).num_rows == 0
    single = table.combine_chunks()
    assert take_rows(single, pa.array([2, 9])).to_pylist() == single.take([2, 9]).to_pylist()


def test_topic_parts_of_a_chunked_table_are_those_of_the_joined_table(tmp_path):
    path = str(tmp_path / "t.parquet")
    _parquet_of(path, [7, 13, 5])
    (table,) = read_tables(path, 25, 4)
    keep = pa.array([n % 5 != 2 for n in range(25)])
    for mask in (None, keep):
        chunked = [(topic, part.to_pylist()) for topic, part in iter_topic_parts(table, mask)]
        joined = [(topic, part.to_pylist()) for topic, part in iter_topic_parts(table.combine_chunks(), mask)]
        assert chunked == joined
        assert [topic for topic, _ in chunked] == ["untagged", "x", "y"]
