"""The rejected-records writer: row groups are cut by the raw bytes they hold, not only by row count."""
import glob

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
