"""Beam-free streaming logic: durations and windows, first-seen dedup decisions, the file ledger."""
import pytest

from pipelines.core import stream_dedup as sd
from pipelines.core import stream_state, stream_windows as sw


@pytest.mark.parametrize("text,seconds", [("60s", 60), ("5m", 300), ("1h", 3600), ("7d", 604800), ("90", 90)])
def test_parse_duration(text, seconds):
    assert sw.parse_duration(text) == seconds


def test_parse_duration_refuses_junk():
    with pytest.raises(ValueError):
        sw.parse_duration("soon")


def test_windows_are_epoch_aligned_and_dated_by_their_start():
    ts = sw.epoch_seconds("2026-11-24T23:59:59.500000Z")
    start = sw.window_start(ts, 60)
    assert start % 60 == 0 and start <= ts < start + 60
    assert sw.window_dt(start) == "2026-11-24"


def test_too_old_is_measured_from_landing():
    assert sw.is_too_old(0, 8 * 86400, 7 * 86400)
    assert not sw.is_too_old(2 * 86400, 8 * 86400, 7 * 86400)


def test_too_late_is_landing_past_window_end_plus_lateness():
    start = 1_800_000_000.0  # a multiple of 60
    assert not sw.is_too_late(start + 10, start + 60 + 30, 60, 30)  # exactly at the limit: still in
    assert sw.is_too_late(start + 10, start + 60 + 31, 60, 30)


def test_dedup_state_expires_by_the_records_event_time():
    assert not sw.expired(0, 7 * 86400, 7 * 86400)
    assert sw.expired(0, 7 * 86400 + 1, 7 * 86400)


def test_url_step_first_copy_survives_later_copy_points_at_it():
    seen, decision = sd.url_step(None, "a1", "h1", "f:1")
    assert decision == (sd.SURVIVOR, "a1", "h1")
    _, decision = sd.url_step(seen, "a2", "h2", "f:2")
    assert decision == (sd.DUPLICATE, "a1", "h1")


def test_url_step_same_record_read_again_was_already_written():
    seen, _ = sd.url_step(None, "a1", "h1", "f:1")
    assert sd.url_step(seen, "a1", "h1", "f:1")[1][0] == sd.ALREADY_WRITTEN
    # the same article in another record (a byte-identical line elsewhere) is a duplicate, as in batch
    assert sd.url_step(seen, "a1", "h1", "g:7")[1][0] == sd.DUPLICATE


def test_content_step_order_of_first_copy_and_url_copy_does_not_matter():
    # URL copy first: it claims the hash for its first copy, which then survives when it arrives.
    first, decision = sd.content_step(None, "b2", url_duplicate_of="a1")
    assert decision == (sd.DUPLICATE, "a1", "exact_url")
    assert sd.content_step(first, "a1", None)[1] == (sd.SURVIVOR, None, None)
    # Another article with the same body is a content copy of the first.
    assert sd.content_step(first, "c3", None)[1] == (sd.DUPLICATE, "a1", "exact_content")


def test_ledger_marks_and_loads(tmp_path):
    out = str(tmp_path)
    stream_state.mark(out, stream_state.SEEN, "/in/a.jsonl", 10)
    stream_state.mark(out, stream_state.SEEN, "/in/b.jsonl", 20)
    stream_state.mark(out, stream_state.DONE, "/in/a.jsonl", 10, 3)
    done, seen = stream_state.load_ledger(out)
    assert done == {("/in/a.jsonl", 10)}
    assert seen == {"/in/a.jsonl", "/in/b.jsonl"}


def test_empty_output_has_no_ledger_and_no_keys(tmp_path):
    assert stream_state.load_ledger(str(tmp_path)) == (set(), set())
    assert stream_state.written_keys(str(tmp_path), 7) == ({}, {})
    assert stream_state.written_refs(str(tmp_path), {"/x.jsonl"}) == set()


@pytest.mark.parametrize("ref,path", [
    ("/in/a.jsonl:12", "/in/a.jsonl"),
    ("gs://b/in/a.jsonl.gz:3", "gs://b/in/a.jsonl.gz"),
    ("/in/pages/story.txt", "/in/pages/story.txt"),
    ("pubsub:123:1", "pubsub:123:1"),
    ("/in/CC-NEWS-20261124.warc.gz@48213", "/in/CC-NEWS-20261124.warc.gz"),
    ("gs://b/in/crawl.warc@0", "gs://b/in/crawl.warc"),
    ("/in/mail@example.jsonl:4", "/in/mail@example.jsonl"),
    ("/in/pages/a@2.html", "/in/pages/a@2.html"),
    ("/in/CC-NEWS-20261124.warc.gz@48213#cut", "/in/CC-NEWS-20261124.warc.gz"),
    ("/in/a.jsonl.gz:7#cut", "/in/a.jsonl.gz"),
    ("/in/pages/story.html.gz#cut", "/in/pages/story.html.gz"),
])
def test_file_of_ref(ref, path):
    assert stream_state.file_of_ref(ref) == path


def test_batch_style_input_flag_selects_the_folder_watcher():
    from pipelines.stream_options import parse_args

    args, beam_args = parse_args(["--streaming", "--input", "landing/*.jsonl", "--output", "out", "--window", "5m"])
    assert args.watch == ["landing/*.jsonl"] and args.window == 300
    assert "--streaming" in beam_args


def test_skip_reports_count_apart_from_records_read_and_a_reread_replaces_them(tmp_path):
    from pipelines.core import stream_report

    out, warc = str(tmp_path), "/in/crawl.warc.gz"
    stream_report.write_skip_report(out, "2026-11-24", warc, {"not_response": 3, "http_status_404": 1})
    stream_report.write_skip_report(out, "2026-11-24", "/in/other.warc.gz", {"not_html": 2})
    # the file read again the next day (a restart before it was done): its counts replace the first day's
    stream_report.write_skip_report(out, "2026-11-25", warc, {"not_response": 3, "http_status_404": 1}, replace=True)
    reports = stream_report.read_reports(out)
    assert len(reports) == 2 and all(r["balanced"] and r["window"] is None for r in reports)
    total = stream_report.total(reports)
    assert total["records_read"] == 0 and total["balanced"]
    assert total["skipped"] == 6
    assert total["skipped_by_reason"] == {"http_status_404": 1, "not_html": 2, "not_response": 3}
    assert {i["path"]: i["skipped"] for i in total["inputs"]} == {
        warc: {"http_status_404": 1, "not_response": 3}, "/in/other.warc.gz": {"not_html": 2}}
    assert [r["dt"] for r in reports if r["inputs"][0]["path"] == warc] == ["2026-11-25"]
