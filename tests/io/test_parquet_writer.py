"""The Parquet writers: rejected row groups are cut by the raw bytes they hold, not only by row count; shards are
read back one row group at a time."""
import glob
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

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
    source = _CountingFile(path)
    batches = parquet_writer.read_batches(source, batch_rows=50)
    first = next(batches)
    assert first.num_rows == 50
    # The first row group is an eighth of the file; pre-buffering would have read all of it by now.
    assert source.bytes_read < size / 4
    assert first.num_rows + sum(b.num_rows for b in batches) == 8 * 50
    source.close()
