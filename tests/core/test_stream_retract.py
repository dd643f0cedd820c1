"""A file read again after it grew: its stale markers (pipelines.core.stream_state.stale_markers), their retraction
from rejected/ and its reports (pipelines.core.stream_report.retract_rejections), and the ledger's count over
both reads (stream_state.FileTally)."""
import pyarrow.parquet as pq

from pipelines.core import stream_report, stream_state
from pipelines.core.tables import rejected_table


def test_stale_markers_are_the_path_s_markers_the_new_read_does_not_end_at():
    written = {"/in/a.warc.gz@10", "/in/a.warc.gz@90#cut", "/in/a.warc.gz@200#cut", "/in/b.warc.gz@5#cut",
               "/in/c.jsonl:4#cut"}
    assert stream_state.stale_markers(written, "/in/a.warc.gz", "/in/a.warc.gz@200#cut") == {"/in/a.warc.gz@90#cut"}
    assert stream_state.stale_markers(written, "/in/a.warc.gz", None) == {"/in/a.warc.gz@90#cut",
                                                                         "/in/a.warc.gz@200#cut"}
    assert stream_state.stale_markers(written, "/in/c.jsonl", None) == {"/in/c.jsonl:4#cut"}


def _write_rejected(out, dt, name, refs):
    rows = [{"input_ref": r, "stage": "parse", "reason": "truncated_warc" if r.endswith("#cut") else "bad_json",
             "raw": b"", "raw_size": 0, "pipeline_version": "v"} for r in refs]
    table = rejected_table(rows)
    stream_state.write_parquet(out, f"rejected/dt={dt}/{name}.parquet", table)
    report = stream_report.pane_report(None, None, dt, rows, {}, None, table, None, {"pipeline_version": "v"})
    stream_report.write_report(out, stream_report.report_path(dt, None, name), report)


def test_retracting_rewrites_or_removes_the_files_and_reports_that_hold_the_markers(tmp_path):
    out = str(tmp_path)
    _write_rejected(out, "2026-11-01", "part-mixed", ["/in/a.warc.gz@90#cut", "/in/b.jsonl:3"])
    _write_rejected(out, "2026-11-01", "part-only", ["/in/a.warc.gz@300#cut"])
    _write_rejected(out, "2026-11-02", "part-other", ["/in/c.jsonl:1"])
    assert stream_report.retract_rejections(out, {"/in/a.warc.gz@90#cut", "/in/a.warc.gz@300#cut"}) == 2
    mixed = pq.ParquetFile(f"{out}/rejected/dt=2026-11-01/part-mixed.parquet").read()
    assert mixed.column("input_ref").to_pylist() == ["/in/b.jsonl:3"]
    assert not (tmp_path / "rejected" / "dt=2026-11-01" / "part-only.parquet").exists()
    reports = stream_report.read_reports(out)
    total = stream_report.total(reports)
    assert (total["records_read"], total["rejected"], total["balanced"]) == (2, 2, True)
    assert total["rejected_by_reason"] == {"parse:bad_json": 2}
    assert [i["path"] for i in total["inputs"]] == ["/in/b.jsonl", "/in/c.jsonl"]
    assert all(r["pipeline_version"] == "v" for r in reports)
    assert stream_report.retract_rejections(out, {"/in/a.warc.gz@90#cut"}) == 0  # already gone: nothing to do



def test_a_file_read_twice_in_a_run_is_done_at_its_new_size_only_once_every_read_s_records_are_written():
    # read 1 at size 100 sends on 3 records; one is written. The file grows to 5 records: read 2 finds that one
    # written (already), sends on the other two again (still in a pane: dedup answers for them) and 2 new ones.
    tally = stream_state.FileTally()
    tally.expect(3, 100)
    tally.written = 1
    assert tally.done() == []
    tally.expect(5, 180)
    tally.written += 1 + 2 + 2  # read 2's already count, dedup's two answers, the two new records
    # the old rule (expected overwritten by read 2's 5, written kept) marked 180 done here, with read 1's two
    # records still in a pane: a crash now would lose them
    assert tally.done() == [(100, 3)]  # that size is gone from disk, so this mark is harmless
    tally.written += 2  # read 1's two records written
    assert tally.done() == [(180, 5)]
    tally.written += 1
    assert tally.done() == []  # each size once


def test_a_read_cut_short_by_a_size_change_is_expected_without_a_size():
    tally = stream_state.FileTally()
    tally.expect(2, None)  # sent on 2 records, then the file changed size
    tally.expect(4, 180)
    tally.written = 4
    assert tally.done() == []  # the 2 of the cut read and 2 of the new one: not through yet
    tally.written = 6
    assert tally.done() == [(180, 4)]


def _consistent(out) -> dict:
    """The rejected rows on disk and the rejected reports agree, per input file; returns the rows per file."""
    import collections

    t = stream_state.scan(*stream_state.filesystem(out)[:1], f"{out}/rejected", ["input_ref"])
    on_disk = collections.Counter(stream_state.file_of_ref(r) for r in ([] if t is None else
                                                                        t.column("input_ref").to_pylist()))
    reported = collections.Counter()
    for report in stream_report.read_reports(out):
        for i in report["inputs"]:
            reported[i["path"]] += i["records"]
    assert on_disk == reported
    return dict(on_disk)


def _marker_row(ref):
    return {"input_ref": ref, "stage": "parse", "reason": "truncated_warc", "raw": b"", "raw_size": 0,
            "pipeline_version": "v"}


def _write_marker(out, dt, ref):
    """A marker as the job's rejected writer lands it: alone, in the file its ref names."""
    stream_report.write_marker(out, dt, _marker_row(ref), {"pipeline_version": "v"})


def _crash_at(monkeypatch, module, name, step):
    """Makes module.name raise on its step-th call (1-based), as a worker killed there."""
    real, calls = getattr(module, name), []

    def fake(*args, **kwargs):
        calls.append(1)
        if len(calls) == step:
            raise RuntimeError("killed")
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, fake)


def test_a_marker_file_is_removed_by_name_and_a_crash_at_either_step_is_repaired_by_the_next_read(
        tmp_path, monkeypatch):
    import pytest

    for step in (1, 2):
        out = str(tmp_path / f"crash{step}")
        _write_rejected(out, "2026-11-01", "part-shared", ["/in/b.jsonl:3", "/in/c.jsonl:1"])
        _write_marker(out, "2026-11-01", "/in/a.warc.gz@90#cut")
        _write_marker(out, "2026-11-02", "/in/a.warc.gz@300#cut")
        refs = {"/in/a.warc.gz@90#cut", "/in/a.warc.gz@300#cut"}
        with monkeypatch.context() as m:
            _crash_at(m, stream_report, "_delete", step)
            with pytest.raises(RuntimeError):
                stream_report.retract_rejections(out, refs)
        # what is left half done is still on disk as a row, so the file's next read finds and retracts it
        left = stream_state.written_refs(out, {"/in/a.warc.gz"})
        assert left == refs  # (step 1: nothing gone; step 2: a report gone, its row still there)
        assert stream_report.retract_rejections(out, left) == 2
        assert _consistent(out) == {"/in/b.jsonl": 1, "/in/c.jsonl": 1}
        assert stream_report.retract_rejections(out, refs) == 0  # once more: nothing to do, nothing breaks
        assert _consistent(out) == {"/in/b.jsonl": 1, "/in/c.jsonl": 1}


def test_a_shared_file_s_rewrite_killed_at_either_step_is_repaired_by_the_next_read(tmp_path, monkeypatch):
    """Markers written before they had files of their own sit in shared files: the report is rewritten from the
    rows kept, then the file; a kill between them leaves the marker's row for the next read to retract."""
    import pytest

    for step in (1, 2):
        out = str(tmp_path / f"crash{step}")
        _write_rejected(out, "2026-11-01", "part-mixed", ["/in/a.warc.gz@90#cut", "/in/b.jsonl:3"])
        with monkeypatch.context() as m:
            _crash_at(m, stream_state, "write_atomic", step)
            with pytest.raises(RuntimeError):
                stream_report.retract_rejections(out, {"/in/a.warc.gz@90#cut"})
        left = stream_state.written_refs(out, {"/in/a.warc.gz"})
        assert left == {"/in/a.warc.gz@90#cut"}
        assert stream_report.retract_rejections(out, left) == 1
        assert _consistent(out) == {"/in/b.jsonl": 1}


def test_scans_meet_files_removed_under_them_as_already_handled(tmp_path, monkeypatch):
    """Another worker retracting a marker removes its file while this one scans rejected/: the scan lists the
    folder again instead of failing the bundle."""
    import os

    import pyarrow.dataset as ds

    out = str(tmp_path)
    _write_rejected(out, "2026-11-01", "part-shared", ["/in/b.jsonl:3"])
    _write_marker(out, "2026-11-01", "/in/a.warc.gz@90#cut")
    marker = f"{out}/rejected/dt=2026-11-01/{stream_report.marker_name('/in/a.warc.gz@90#cut')}.parquet"
    real, removed = ds.dataset, []

    def dataset_then_removal(*args, **kwargs):
        found = real(*args, **kwargs)
        if not removed and os.path.exists(marker):  # listed, then removed before it is read
            os.remove(marker)
            removed.append(marker)
        return found
    monkeypatch.setattr(stream_state.ds, "dataset", dataset_then_removal)
    assert stream_state.written_refs(out, {"/in/a.warc.gz", "/in/b.jsonl"}) == {"/in/b.jsonl:3"}
    assert removed
    _write_marker(out, "2026-11-01", "/in/a.warc.gz@90#cut")
    removed.clear()
    # the shared-file retraction's scan meets the same
    assert stream_report.retract_rejections(out, {"/in/b.jsonl:3"}) == 1
    assert removed
    assert stream_report.read_reports(out)  # the marker's report is still listed and read


def test_a_marker_written_again_is_counted_once_and_a_kill_before_its_report_is_mended_by_the_next_read(
        tmp_path, monkeypatch):
    import pytest

    out = str(tmp_path)
    ref = "/in/a.jsonl:3#cut"
    _write_rejected(out, "2026-11-01", "part-other", ["/in/b.jsonl:1"])
    _write_marker(out, "2026-11-01", ref)
    _write_marker(out, "2026-11-02", ref)  # sent again by a later read, landed on another date
    assert _consistent(out) == {"/in/a.jsonl": 1, "/in/b.jsonl": 1}
    with monkeypatch.context() as m:
        _crash_at(m, stream_state, "write_atomic", 2)  # the file is written, its report is not
        with pytest.raises(RuntimeError):
            _write_marker(out, "2026-11-03", ref)
    assert stream_state.written_refs(out, {"/in/a.jsonl"}) == {ref}  # on disk, so the file is read again
    assert stream_report.unreported_markers(out, {ref, "/in/b.jsonl:1"}) == {ref}
    # a read that still ends there sends it again: rewritten whole, once
    _write_marker(out, "2026-11-04", ref)
    assert stream_report.unreported_markers(out, {ref}) == set()
    assert _consistent(out) == {"/in/a.jsonl": 1, "/in/b.jsonl": 1}
    # had the file grown, the read would retract it instead
    with monkeypatch.context() as m:
        _crash_at(m, stream_state, "write_atomic", 2)
        with pytest.raises(RuntimeError):
            _write_marker(out, "2026-11-05", ref)
    assert stream_report.retract_rejections(out, {ref}) == 1
    assert _consistent(out) == {"/in/b.jsonl": 1}
