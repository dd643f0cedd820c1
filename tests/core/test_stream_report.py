"""The streaming job's per-file skip report (pipelines.core.stream_report) and the counts read_chunk keeps for it."""
import io

from pipelines.core import stream_report, stream_state
from pipelines.core.raw_files import iter_file
from tests.core.test_warc import http_block, page_record, warc_record

STORY = ("<html><head><title>Tram extension delayed</title></head><body><article><h1>Tram extension delayed</h1>"
         + "<p>The tram extension to the harbour will open in September, three months late, the transport office "
           "said on Monday after a review of the works.</p>" * 4 + "</article><section id=comments>")


def truncated_warc() -> bytes:
    """A page, a WARC-Truncated page whose stored part holds its story, a request: 2 records and 1 skip."""
    stored = (STORY + "<p>reader comment</p>" * 200).encode()
    return (page_record(1)
            + warc_record(http_block(stored), url="https://x/tram", extra=["WARC-Truncated: length"])
            + warc_record(b"GET /a HTTP/1.1\r\n\r\n", url="https://x/tram", rec_type="request"))


def test_read_chunk_counts_a_kept_truncated_page_as_a_record_and_apart_from_the_skips():
    units = iter_file(io.BytesIO(truncated_warc()), "crawl.warc", 5_000_000)
    progress = stream_state.FileProgress("crawl.warc", 1, 0.0, False)
    sent = list(stream_state.read_chunk(units, progress, set(), 100, 1 << 20))
    assert len(sent) == progress.records == 2 and progress.finished
    assert progress.skipped == {"not_response": 1, "truncated_payload_kept": 1}


def test_the_skip_report_carries_truncated_payload_kept_outside_the_skips_and_the_total_sums_it():
    report = stream_report.skip_report("2026-11-24", "crawl.warc", {"not_response": 1, "truncated_payload_kept": 1})
    assert report["truncated_payload_kept"] == 1
    assert report["skipped"] == 1 and report["skipped_by_reason"] == {"not_response": 1}
    assert report["inputs"] == [{"path": "crawl.warc", "records": 0, "skipped": {"not_response": 1}}]
    other = stream_report.skip_report("2026-11-24", "b.warc", {"truncated_payload_kept": 2})
    pane = stream_report.pane_report(None, None, "2026-11-24", [], {}, None, None, None, {})
    total = stream_report.total([report, other, pane])
    assert total["truncated_payload_kept"] == 3 and total["skipped"] == 1
    assert pane["truncated_payload_kept"] == 0  # the batch report's key, in every streaming report
