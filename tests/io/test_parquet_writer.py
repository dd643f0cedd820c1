"""The Parquet writers: rejected row groups are cut by the raw bytes they hold, not only by row count; shards are
read back one row group at a time."""
import glob
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.core.tables import read_batches, read_tables
from pipelines.io import parquet_writer


def _rejection(n: int, size: int) -> dict:
    return {"input_ref": f"in.warc:{n}", "stage": "parse", "reason": "no_text", "detail": None,
            "raw": b"x" * size, "raw_size": size}


def test_rejected_row_groups_are_cut_by_raw_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_writer, "REJECTED_BATCH_BYTES", 2500)
    fn = parquet_writer._RejectedFn(str(tmp_path), "2026-11-29")
    fn.start_bundle()
    for n in range(7):
        fn.process(_rejection(n, 1000))
        assert len(fn.rows) < 3  # never more than the byte budget's worth held
    fn.finish_bundle()
    (path,) = glob.glob(str(tmp_path / "rejected" / "dt=2026-11-29" / "*.parquet"))
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [3, 3, 1]
    assert pq.read_table(path).column("input_ref").to_pylist() == [f"in.warc:{n}" for n in range(7)]


class _CountingFile:
    """A file object that counts the bytes read from it."""

    def __init__(self, path):
        self.f, self.bytes_read, self.closed = open(path, "rb"), 0, False

    def read(self, n=-1):
        data = self.f.read(n)
        self.bytes_read += len(data)
        return data

    def seek(self, offset, whence=0):
        return self.f.seek(offset, whence)

    def tell(self):
        return self.f.tell()

    def close(self):
        self.closed = True
        self.f.close()


def test_read_batches_fetches_one_row_group_at_a_time(tmp_path):
    path = str(tmp_path / "shard.parquet")
    rng = random.Random(3)
    with pq.ParquetWriter(path, pa.schema([("text", pa.string())])) as w:
        for _ in range(8):
            w.write_table(pa.table({"text": ["".join(rng.choice("abcdefgh ") for _ in range(2000)) for _ in range(50)]}))
    size = os.path.getsize(path)
    for read in (lambda source: read_batches(source, batch_rows=50), lambda source: read_tables(source, 50, 25)):
        source = _CountingFile(path)
        batches = read(source)
        first = next(batches)
        assert first.num_rows == 50
        # The first row group is an eighth of the file; pre-buffering would have read all of it by now.
        assert source.bytes_read < size / 4
        assert first.num_rows + sum(b.num_rows for b in batches) == 8 * 50
        source.close()


def _article(n: int, text: str, topics: list[str]) -> dict:
    return {"article_id": f"{n:016x}", "url": f"https://example.com/{n}", "canonical_url": f"https://example.com/{n}",
            "title": f"Story {n}", "text": text, "scraped_at": "2026-11-29T08:00:00+00:00", "word_count": 3,
            "content_hash": f"h{n}", "topics": topics, "topic_scores": [], "topic_evidence": [],
            "input_ref": f"in.warc@{n}", "taxonomy_version": "t1", "cleaning_version": "c1"}


def test_staged_row_groups_are_cut_by_text_size(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_writer, "SHARD_BATCH_TEXT", 2500)
    fn = parquet_writer._StageFn(str(tmp_path), None)
    fn.start_bundle()
    keys = []
    for n in range(7):
        keys += list(fn.process(_article(n, "word " * 200, [])))  # 1,000 characters each
        assert fn.text_chars < 2500  # never more than the text budget's worth held
    (shard,) = [out.value.value for out in fn.finish_bundle()]
    assert [k.article_id for k in keys] == [f"{n:016x}" for n in range(7)]
    meta = pq.ParquetFile(shard).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [3, 3, 1]
    assert pq.read_table(shard).column("article_id").to_pylist() == [k.article_id for k in keys]


def test_finalize_writes_each_article_under_each_of_its_topics(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_writer, "BATCH_ROWS", 2)  # several batches, each split by topic
    topics = [[], ["energy"], ["energy", "mining"], ["mining"], []]
    stage = parquet_writer._StageFn(str(tmp_path / "_shards"), None)
    stage.start_bundle()
    for n, t in enumerate(topics):
        list(stage.process(_article(n, f"text {n}", t)))
    (shard,) = [out.value.value for out in stage.finish_bundle()]
    drop = {"in.warc@4": ("0000000000000000", "exact_content", 1.0)}
    fn = parquet_writer._FinalizeShardFn(str(tmp_path), "2026-11-29")
    assert list(fn.process(shard, drop, {})) == [shard]
    written = {}
    for path in glob.glob(str(tmp_path / "articles" / "dt=2026-11-29" / "topic=*" / "*.parquet")):
        topic = path.split("topic=")[1].split(os.sep)[0]
        written[topic] = sorted(pq.read_table(path).column("article_id").to_pylist())
    ids = [f"{n:016x}" for n in range(5)]
    assert written == {"untagged": [ids[0]], "energy": [ids[1], ids[2]], "mining": [ids[2], ids[3]]}
    (dups,) = glob.glob(str(tmp_path / "duplicates" / "dt=2026-11-29" / "*.parquet"))
    assert pq.read_table(dups).column("article_id").to_pylist() == [ids[4]]


def _finalized(tmp_path, shard, drop):
    fn = parquet_writer._FinalizeShardFn(str(tmp_path), "2026-11-29")
    assert list(fn.process(shard, drop, {})) == [shard]
    files = {}
    for path in sorted(glob.glob(str(tmp_path / "*" / "dt=2026-11-29" / "**" / "*.parquet"), recursive=True)):
        meta = pq.ParquetFile(path).metadata
        files[os.path.relpath(path, tmp_path)] = (pq.read_table(path).to_pylist(),
                                                  [meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
    return files


def test_finalize_reading_a_few_rows_at_a_time_writes_the_same_files(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_writer, "SHARD_BATCH_TEXT", 2500)  # staged row groups of 2 and 3 rows
    monkeypatch.setattr(parquet_writer, "BATCH_ROWS", 4)
    topics = [[], ["energy"], ["energy", "mining"], ["mining"], [], ["mining", "energy"], ["energy"], [], ["mining"]]
    stage = parquet_writer._StageFn(str(tmp_path / "_shards"), None)
    stage.start_bundle()
    for n, t in enumerate(topics):
        list(stage.process(_article(n, "word " * (100 + 60 * (n % 3)), t)))
    (shard,) = [out.value.value for out in stage.finish_bundle()]
    meta = pq.ParquetFile(shard).metadata
    assert len({meta.row_group(i).num_rows for i in range(meta.num_row_groups)}) > 1
    drop = {"in.warc@4": ("0000000000000000", "exact_content", 1.0),
            "in.warc@5": ("0000000000000002", "exact_url", 1.0)}
    monkeypatch.setattr(parquet_writer, "READ_ROWS", 4)  # whole windows, as read before
    whole = _finalized(tmp_path / "whole", shard, drop)
    assert {k.split(os.sep)[0] for k in whole} == {"articles", "duplicates", "index"}
    for read_rows in (1, 3):  # windows gathered from smaller reads, across the staged row groups
        monkeypatch.setattr(parquet_writer, "READ_ROWS", read_rows)
        assert _finalized(tmp_path / f"read{read_rows}", shard, drop) == whole
