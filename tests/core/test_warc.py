"""Tests for pipelines.core.warc with WARC files written in the test by warcio."""

import gzip
import io
import random

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.core.warc import iter_warc_records, member_start, rfc3339

def noisy_page(seed: int, words: int = 3000) -> bytes:
    """A page that does not compress away, so byte offsets in the file are meaningful."""
    rng = random.Random(seed)
    text = " ".join("".join(rng.choice("abcdefghij") for _ in range(6)) for _ in range(words))
    return f"<html><body><p>{text}</p></body></html>".encode()


PAGE = "<html><head><title>Zürich</title></head><body><p>Café prices rose in Zürich.</p></body></html>"


def build_warc(records, gzipped=True) -> bytes:
    """records: (type, url, status line or None, content type, payload bytes, extra http headers)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzipped)
    for rec_type, url, status, ctype, payload, extra in records:
        http = None
        if status is not None:
            http = StatusAndHeaders(status, [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, rec_type, payload=io.BytesIO(payload), length=len(payload),
                                           http_headers=http,
                                           warc_headers_dict={"WARC-Date": "2024-05-31T10:00:00Z"})
        writer.write_record(record)
    return buf.getvalue()


def html_response(url="https://news.example/a", body=None, ctype="text/html; charset=iso-8859-1", status="200 OK", extra=()):
    payload = body if body is not None else PAGE.encode("latin-1")
    return ("response", url, status, ctype, payload, list(extra))


MIXED = [
    ("warcinfo", None, None, None, b"software: test\r\n", []),
    html_response(),
    ("request", "https://news.example/a", None, None, b"GET /a HTTP/1.1\r\n\r\n", []),
    html_response("https://news.example/missing", body=b"not here", status="404 Not Found"),
    html_response("https://news.example/logo.png", body=b"\x89PNG....", ctype="image/png"),
    html_response("https://news.example/b", body=PAGE.encode("utf-8"), ctype="application/xhtml+xml"),
]


@pytest.mark.parametrize("gzipped", [True, False])
def test_html_responses_become_raw_records_and_the_rest_skip_reasons(gzipped):
    out = list(iter_warc_records(io.BytesIO(build_warc(MIXED, gzipped)), "crawl-1.warc"))
    assert [reason for _, _, reason in out] == ["not_response", None, "not_response", "http_status_404", "not_html", None]
    positions = [pos for pos, _, _ in out]
    assert all(p.startswith("crawl-1.warc@") for p in positions) and len(set(positions)) == len(positions)
    raw = out[1][1]
    assert raw["url"] == "https://news.example/a"
    assert raw["scraped_at"] == "2024-05-31T10:00:00Z"
    assert raw["html"] == PAGE  # decoded with the declared latin-1
    assert raw["headers"]["Content-Type"] == "text/html; charset=iso-8859-1"
    assert out[5][1]["html"] == PAGE  # no charset declared: UTF-8 wins


def test_decompression_bomb_is_capped():
    bomb = gzip.compress(b"<p>" + b"a" * 3_000_000)
    records = [html_response("https://news.example/bomb", body=bomb, ctype="text/html", extra=[("Content-Encoding", "gzip")]),
               html_response("https://news.example/after")]
    out = list(iter_warc_records(io.BytesIO(build_warc(records)), "bomb.warc.gz", max_record_bytes=100_000))
    assert [reason for _, _, reason in out] == ["record_too_large", None]
    assert out[1][1]["url"] == "https://news.example/after"


@pytest.mark.parametrize("gzipped", [True, False])
def test_truncated_warc_ends_with_a_marker(gzipped):
    records = [html_response("https://news.example/1"),
               html_response("https://news.example/2", body=noisy_page(2))]
    data = build_warc(records, gzipped)
    out = list(iter_warc_records(io.BytesIO(data[: len(data) - 2000]), "cut.warc"))
    assert out[0][2] is None
    assert out[-1][1] is None and out[-1][2] == "truncated_warc"
    assert sum(1 for _, _, r in out if r == "truncated_warc") == 1


def test_garbage_input_is_reported_not_raised():
    out = list(iter_warc_records(io.BytesIO(b"this is not a warc file at all\r\n" * 10), "junk.warc"))
    assert out and out[-1][2] == "truncated_warc"


def test_streaming_reads_lazily():
    class CountingFile(io.BytesIO):
        pulled = 0

        def read(self, size=-1):
            data = super().read(size)
            CountingFile.pulled += len(data)
            return data

    records = [html_response(f"https://news.example/{i}", body=noisy_page(i, 1000)) for i in range(50)]
    data = build_warc(records)
    first = next(iter_warc_records(CountingFile(data), "big.warc.gz"))
    assert first[1]["url"] == "https://news.example/0"
    assert CountingFile.pulled < len(data) / 2


def test_rfc3339():
    assert rfc3339("2024-05-31T10:00:00Z") == "2024-05-31T10:00:00Z"
    assert rfc3339("2024-05-31T12:00:00.123+02:00") == "2024-05-31T10:00:00.123000Z"
    assert rfc3339("garbage") is None


def _cut_positions(data: bytes, boundaries: list[int]) -> list[int]:
    """Every 7th byte, plus every byte within 12 of a record boundary (gzip trailers, member headers, CRLF CRLF)."""
    near = {b + d for b in boundaries for d in range(-12, 13)}
    return sorted(c for c in set(range(1, len(data), 7)) | near if 0 < c < len(data))


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_cut_anywhere_gives_one_marker_after_every_whole_record(gzipped):
    """Cuts inside headers, payloads, gzip trailers, between members or in the record separator."""
    records = [html_response(f"https://news.example/{i}", body=noisy_page(i, 120)) for i in range(3)]
    data = build_warc(records, gzipped)
    whole = list(iter_warc_records(io.BytesIO(data), "full.warc"))
    assert [reason for _, _, reason in whole] == [None, None, None]
    starts = [int(pos.rsplit("@", 1)[1]) for pos, _, _ in whole]
    boundaries = starts[1:] + [len(data)]
    for cut in _cut_positions(data, starts + [len(data)]):
        out = list(iter_warc_records(io.BytesIO(data[:cut]), "cut.warc"))
        reasons = [reason for _, _, reason in out]
        complete_before = sum(1 for b in boundaries if b <= cut)
        good = [raw["url"] for _, raw, _ in out if raw]
        # Records wholly before the cut survive, in order; a record whose payload was whole but whose
        # gzip trailer or separator was cut may survive too.
        assert good[:complete_before] == [f"https://news.example/{i}" for i in range(complete_before)], cut
        assert len(good) <= complete_before + 1, cut
        if cut in starts:
            assert "truncated_warc" not in reasons, cut  # a cut on a record boundary is indistinguishable from the end
        else:
            assert reasons.count("truncated_warc") == 1 and reasons[-1] == "truncated_warc", (cut, reasons)


def test_cut_inside_the_last_gzip_trailer_is_counted():
    records = [html_response("https://news.example/1"), html_response("https://news.example/2")]
    data = build_warc(records, gzipped=True)
    out = list(iter_warc_records(io.BytesIO(data[:-3]), "cut.warc.gz"))
    assert [raw["url"] for _, raw, _ in out if raw] == ["https://news.example/1", "https://news.example/2"]
    assert out[-1][2] == "truncated_warc"


def test_one_stray_byte_is_not_a_warc():
    assert [reason for _, _, reason in iter_warc_records(io.BytesIO(b"W"), "tiny.warc")] == ["truncated_warc"]
    assert list(iter_warc_records(io.BytesIO(b""), "empty.warc")) == []


def test_a_warc_member_that_inflates_to_a_huge_record_is_streamed_past():
    """A gzip bomb at the WARC level (the record itself, not its Content-Encoding): capped, never held in memory."""
    import tracemalloc

    huge = b"<p>" + b"\0" * 150_000_000
    data = build_warc([html_response("https://news.example/bomb", body=huge, ctype="text/html"),
                       html_response("https://news.example/after")])
    assert len(data) < 300_000
    tracemalloc.start()
    out = list(iter_warc_records(io.BytesIO(data), "bomb.warc.gz", max_record_bytes=1_000_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [reason for _, _, reason in out] == ["record_too_large", None]
    # warcio inflates one 16 KB block at a time (at most ~1000x, so ~16 MB live, a few copies of it):
    # the peak is bounded by that, well under the record's size.
    assert peak < 100_000_000


def _read_in_ranges(data: bytes, name: str, range_bytes: int) -> list:
    """iter_warc_records over each byte range of data, as ReadRawRecords reads a large .warc.gz."""
    out = []
    for start in range(0, len(data), range_bytes):
        stop = min(start + range_bytes, len(data))
        f = io.BytesIO(data)
        first = member_start(f, start, stop) if start else 0
        if first is None:
            continue
        f.seek(first)
        out += iter_warc_records(f, name, start=first, stop=stop)
    return out


def test_byte_ranges_of_a_gzip_per_record_file_give_every_record_once():
    records = MIXED + [html_response(f"https://news.example/{i}", body=noisy_page(i, 200 + 40 * i)) for i in range(12)]
    data = build_warc(records)
    whole = list(iter_warc_records(io.BytesIO(data), "crawl.warc.gz"))
    assert len(whole) == len(records)
    for range_bytes in (97, 1000, 4093, len(data) // 3, len(data)):
        assert _read_in_ranges(data, "crawl.warc.gz", range_bytes) == whole, range_bytes


def test_a_cut_file_read_in_ranges_keeps_the_whole_records_and_one_marker():
    records = [html_response(f"https://news.example/{i}", body=noisy_page(i, 120)) for i in range(4)]
    data = build_warc(records)
    whole = list(iter_warc_records(io.BytesIO(data), "full.warc.gz"))
    starts = [int(pos.rsplit("@", 1)[1]) for pos, _, _ in whole]
    for cut in _cut_positions(data, starts + [len(data)])[::3]:
        expected = list(iter_warc_records(io.BytesIO(data[:cut]), "cut.warc.gz"))
        for range_bytes in (300, 1100):
            out = _read_in_ranges(data[:cut], "cut.warc.gz", range_bytes)
            assert [raw["url"] for _, raw, _ in out if raw] == [raw["url"] for _, raw, _ in expected if raw], cut
            assert [r for _, _, r in out].count("truncated_warc") == [r for _, _, r in expected].count("truncated_warc")


def test_a_whole_file_gzip_is_read_by_its_first_range():
    """One gzip member for the whole file (not record-at-a-time): no later range finds a record start."""
    plain = build_warc([html_response(f"https://news.example/{i}", body=noisy_page(i, 300)) for i in range(6)], False)
    data = gzip.compress(plain)
    whole = list(iter_warc_records(io.BytesIO(data), "one-member.warc.gz"))
    assert _read_in_ranges(data, "one-member.warc.gz", 500) == whole
