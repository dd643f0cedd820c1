"""The streaming job's rejected-record writer (pipelines/io/windowed_writer.py)."""
import glob
import json

import pyarrow.parquet as pq
from apache_beam.utils.timestamp import Timestamp

from pipelines.io import windowed_writer

DAY = 1764374400.0  # 2025-11-29T00:00:00Z


def _rejection(i: int, raw: bytes) -> dict:
    return {"input_ref": f"/in/batch.jsonl:{i}", "stage": "parse", "reason": "bad_json", "detail": None,
            "raw": raw, "raw_size": len(raw)}


def test_rejections_are_written_a_file_at_a_time_and_counted_once(tmp_path, monkeypatch):
    """A file read once is one bundle: rows go out in files of BATCH_ROWS (or REJECTED_BATCH_BYTES of raw input)
    while the bundle runs, not all at its end, and the ledger hears of every row once."""
    monkeypatch.setattr(windowed_writer, "BATCH_ROWS", 3)
    monkeypatch.setattr(windowed_writer, "REJECTED_BATCH_BYTES", 1000)
    fn = windowed_writer._RejectedFn(str(tmp_path), {"pipeline_version": "test"})
    fn.start_bundle()
    written_during = []
    for i in range(7):
        fn.process(_rejection(i, b"x" * 10), timestamp=Timestamp(DAY + i))
        written_during.append(len(glob.glob(f"{tmp_path}/rejected/dt=*/*.parquet")))
    fn.process(_rejection(7, b"y" * 1200), timestamp=Timestamp(DAY + 7))  # the raw bytes pass the limit
    assert len(glob.glob(f"{tmp_path}/rejected/dt=*/*.parquet")) == 3
    assert written_during == [0, 0, 1, 1, 1, 2, 2]
    ledger = list(fn.finish_bundle())
    files = sorted(glob.glob(f"{tmp_path}/rejected/dt=2025-11-29/*.parquet"))
    assert sorted(pq.read_table(f).num_rows for f in files) == [2, 3, 3]  # 3 rows, 3 rows, then 2 over 1,000 bytes
    refs = sorted(r for f in files for r in pq.read_table(f).column("input_ref").to_pylist())
    assert refs == sorted(f"/in/batch.jsonl:{i}" for i in range(8))
    assert [wv.value for wv in ledger] == [("/in/batch.jsonl", (windowed_writer.WRITTEN, 8))]
    reports = glob.glob(f"{tmp_path}/**/*.json", recursive=True)
    assert len(reports) == len(files)
    assert sum(json.load(open(r)).get("rejected", 0) for r in reports) == 8


def test_markers_of_two_files_retracted_at_once_by_two_workers_both_go(tmp_path, monkeypatch):
    """Two files' '#cut' markers rejected in one bundle, then both files grow and two workers retract their
    markers at the same moment. Each marker has a file of its own, so neither retraction rewrites what the other
    reads (a shared file rewritten by both brought one marker back). Writes are slowed to widen the race."""
    import threading
    import time

    from pipelines.core import stream_report, stream_state

    out = str(tmp_path)
    fn = windowed_writer._RejectedFn(out, {"pipeline_version": "test"})
    fn.start_bundle()
    markers = ["/in/a.warc.gz@90#cut", "/in/b.jsonl:7#cut"]
    for i, ref in enumerate(markers + ["/in/c.jsonl:1", "/in/c.jsonl:2"]):
        fn.process(dict(_rejection(i, b"z"), input_ref=ref), timestamp=Timestamp(DAY + i))
    list(fn.finish_bundle())
    real = stream_state.write_atomic

    def slow_write(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)
    monkeypatch.setattr(stream_state, "write_atomic", slow_write)
    start = threading.Barrier(2)
    counts = {}

    def retract(ref):
        start.wait()
        counts[ref] = stream_report.retract_rejections(out, {ref})
    workers = [threading.Thread(target=retract, args=(ref,)) for ref in markers]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert counts == {ref: 1 for ref in markers}
    left = stream_state.written_refs(out, {"/in/a.warc.gz", "/in/b.jsonl", "/in/c.jsonl"})
    assert left == {"/in/c.jsonl:1", "/in/c.jsonl:2"}
    total = stream_report.total(stream_report.read_reports(out))
    assert [(i["path"], i["records"]) for i in total["inputs"]] == [("/in/c.jsonl", 2)]
