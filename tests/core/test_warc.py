"""Tests for pipelines.core.warc with WARC files written in the test by warcio."""

import gzip
import io
import os
import random
import zlib

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.core.warc import iter_warc_records, rfc3339, warc_ranges

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


@pytest.mark.parametrize("shape", ["gzip_per_record", "whole_file_gzip", "plain"])
def test_a_cut_file_never_gives_a_marker_the_position_of_a_record(shape):
    """Whatever the cut, each position comes out once: a record whose member trailer or separator was cut comes out
    whole and the marker goes after it, never at its offset. Only the marker's ref ends in '#cut'."""
    records = [MIXED[0]] + [html_response(f"https://news.example/{i}", body=noisy_page(i, 120)) for i in range(3)]
    plain = build_warc(records, False)
    data = {"gzip_per_record": build_warc(records), "whole_file_gzip": gzip.compress(plain), "plain": plain}[shape]
    starts = _offsets(iter_warc_records(io.BytesIO(data), "full.warc"))
    for cut in _cut_positions(data, starts + [len(data)]):
        out = list(iter_warc_records(io.BytesIO(data[:cut]), "cut.warc"))
        offsets = [int(pos.removesuffix("#cut").rsplit("@", 1)[1]) for pos, _, _ in out]
        assert len(set(offsets)) == len(offsets) and offsets == sorted(offsets), (cut, out)
        assert [pos.endswith("#cut") for pos, _, _ in out] == [r == "truncated_warc" for _, _, r in out], cut


def test_a_record_whose_last_gzip_trailer_is_cut_comes_out_once_and_the_marker_after_it():
    records = [html_response("https://news.example/1"), html_response("https://news.example/2")]
    data = build_warc(records, gzipped=True)
    intact = list(iter_warc_records(io.BytesIO(data), "cut.warc.gz"))
    out = list(iter_warc_records(io.BytesIO(data[:-3]), "cut.warc.gz"))
    assert out[:-1] == intact
    marker_at = int(out[-1][0].removesuffix("#cut").rsplit("@", 1)[1])
    assert out[-1][0].endswith("#cut") and marker_at > _offsets(intact)[-1]


@pytest.mark.parametrize("members", [1, 3])
def test_a_valid_gzip_of_an_empty_warc_gives_nothing_like_an_empty_file(members):
    assert list(iter_warc_records(io.BytesIO(gzip.compress(b"") * members), "empty.warc.gz")) == []


@pytest.mark.parametrize("data", [gzip.compress(b"\r\n"), gzip.compress(b"")[:-3], gzip.compress(b"") + b"junk"])
def test_a_gzip_of_no_record_that_is_not_empty_or_intact_still_gives_a_marker(data):
    assert [r for _, _, r in iter_warc_records(io.BytesIO(data), "odd.warc.gz")] == ["truncated_warc"]


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
    """Each range warc_ranges gives, read by iter_warc_records as ReadRawRecords reads a large .warc.gz."""
    out = []
    for start, stop in warc_ranges(io.BytesIO(data), range_bytes):
        out += iter_warc_records(io.BytesIO(data), name, start=start, stop=stop)
    return out


def _offsets(records) -> list[int]:
    return [int(pos.rsplit("@", 1)[1]) for pos, _, _ in records]


def test_byte_ranges_of_a_gzip_per_record_file_give_every_record_once():
    records = MIXED + [html_response(f"https://news.example/{i}", body=noisy_page(i, 200 + 40 * i)) for i in range(12)]
    data = build_warc(records)
    whole = list(iter_warc_records(io.BytesIO(data), "crawl.warc.gz"))
    assert len(whole) == len(records)
    for range_bytes in (97, 1000, 4093, len(data) // 3, len(data)):
        ranges = warc_ranges(io.BytesIO(data), range_bytes)
        assert len(ranges) > 1 or range_bytes == len(data), range_bytes
        assert {start for start, _ in ranges} <= set(_offsets(whole)), range_bytes  # true record starts only
        assert [stop for _, stop in ranges[:-1]] == [start for start, _ in ranges[1:]]
        assert ranges[-1][1] in (None, len(data))
        assert _read_in_ranges(data, "crawl.warc.gz", range_bytes) == whole, range_bytes


def test_random_range_sizes_on_intact_files_give_the_whole_read():
    rng = random.Random(11)
    for seed in range(6):
        sizes = [rng.randint(5, 900) for _ in range(rng.randint(2, 25))]
        records = [html_response(f"https://news.example/{seed}/{i}", body=noisy_page(seed * 100 + i, words))
                   for i, words in enumerate(sizes)]
        data = build_warc(MIXED[:2] + records + MIXED[2:])
        whole = list(iter_warc_records(io.BytesIO(data), "crawl.warc.gz"))
        for _ in range(5):
            range_bytes = rng.randint(1, len(data))
            assert _read_in_ranges(data, "crawl.warc.gz", range_bytes) == whole, (seed, range_bytes)


def archived_warc() -> bytes:
    """A .warc.gz with a response whose payload is itself a gzip-per-record .warc.gz (a crawl that fetched one):
    the inner file's gzip members sit byte for byte inside the outer record (random bytes stay stored)."""
    rng = random.Random(7)
    inner = build_warc([html_response(f"https://inner.example/{i}", body=rng.randbytes(20_000) if i % 2 else
                                      noisy_page(500 + i, 150)) for i in range(8)])
    before = [html_response(f"https://news.example/{i}", body=noisy_page(i, 80)) for i in range(4)]
    after = [html_response(f"https://news.example/after{i}", body=noisy_page(50 + i, 80)) for i in range(6)]
    return build_warc(MIXED + before + [html_response("https://archive.example/crawl.warc.gz", body=inner,
                                                      ctype="application/gzip")] + after)


def test_an_archived_warc_in_a_payload_read_in_tiny_ranges_gives_the_whole_read():
    data = archived_warc()
    whole = list(iter_warc_records(io.BytesIO(data), "outer.warc.gz"))
    assert len(whole) == len(MIXED) + 11 and "truncated_warc" not in [r for _, _, r in whole]
    assert data.count(b"\x1f\x8b\x08") > len(whole)  # the inner file's gzip headers are there to be mistaken
    for range_bytes in (50, 333, 1024, 5000):
        ranges = warc_ranges(io.BytesIO(data), range_bytes)
        assert len(ranges) > 1 and {start for start, _ in ranges} <= set(_offsets(whole)), range_bytes
        assert _read_in_ranges(data, "outer.warc.gz", range_bytes) == whole, range_bytes


def test_a_damaged_file_is_one_range_and_reads_as_the_whole_file():
    records = [html_response(f"https://news.example/{i}", body=noisy_page(i, 120)) for i in range(4)]
    data = build_warc(records)
    whole = list(iter_warc_records(io.BytesIO(data), "full.warc.gz"))
    starts = _offsets(whole)
    flipped = bytearray(data)
    flipped[starts[2] + 40] ^= 0xFF  # corrupt deflate data inside the third member
    damaged = [data[:cut] for cut in _cut_positions(data, starts + [len(data)])[::5] if cut not in starts]
    for bad in damaged + [bytes(flipped), data + b"\0" * 8, data + b"trailing garbage"]:
        assert warc_ranges(io.BytesIO(bad), 300) == [(0, None)]
        assert _read_in_ranges(bad, "bad.warc.gz", 300) == list(iter_warc_records(io.BytesIO(bad), "bad.warc.gz"))


def test_a_whole_file_gzip_is_one_range():
    """One gzip member for the whole file (not record-at-a-time)."""
    plain = build_warc([html_response(f"https://news.example/{i}", body=noisy_page(i, 300)) for i in range(6)], False)
    data = gzip.compress(plain)
    assert warc_ranges(io.BytesIO(data), 500) == [(0, None)]
    whole = list(iter_warc_records(io.BytesIO(data), "one-member.warc.gz"))
    assert _read_in_ranges(data, "one-member.warc.gz", 500) == whole


def test_a_whole_file_gzip_gives_every_record_at_its_inflated_offset():
    """Older WARCs are one gzip stream for the whole file: warcio reads one record of them and stops; they are read
    again inflated, with the plain file's offsets (a record has no compressed offset of its own)."""
    plain = build_warc(MIXED, False)
    want = list(iter_warc_records(io.BytesIO(plain), "one.warc.gz"))
    got = list(iter_warc_records(io.BytesIO(gzip.compress(plain)), "one.warc.gz"))
    assert got == want and len(got) == len(MIXED)


def test_whole_file_gzips_joined_end_to_end_give_every_record():
    """Several small gzip streams in one read chunk: each member after the first starts in what the one before
    left over (only the first two were read before)."""
    parts = [build_warc([html_response(f"https://news.example/{k}{i}") for i in range(2)], False) for k in "abc"]
    data = b"".join(gzip.compress(part) for part in parts)
    urls = [r["url"] for _, r, _ in iter_warc_records(io.BytesIO(data), "joined.warc.gz")]
    assert urls == [f"https://news.example/{k}{i}" for k in "abc" for i in range(2)]


def test_a_cut_whole_file_gzip_keeps_the_records_before_the_cut():
    plain = build_warc([html_response(f"https://news.example/{i}", body=noisy_page(i, 300)) for i in range(6)], False)
    data = gzip.compress(plain)
    got = list(iter_warc_records(io.BytesIO(data[: len(data) * 2 // 3]), "cut.warc.gz"))
    pages = [r for _, r, _ in got if r is not None]
    assert 2 <= len(pages) < 6 and [r["url"] for r in pages] == [f"https://news.example/{i}" for i in range(len(pages))]
    assert got[-1][2] == "truncated_warc"


def test_several_records_in_a_gzip_member_make_one_range():
    plain = [build_warc([html_response(f"https://news.example/{i}", body=noisy_page(i, 50))], False) for i in range(6)]
    data = b"".join(gzip.compress(plain[i] + plain[i + 1]) for i in range(0, 6, 2))
    assert warc_ranges(io.BytesIO(data), 100) == [(0, None)]


def _members(records) -> list[bytes]:
    """Each record's uncompressed bytes, to be changed and gzipped one member each."""
    return [gzip.decompress(build_warc([record])) for record in records]


def test_a_member_the_reader_would_stop_at_makes_one_range():
    plain = _members([html_response(f"https://news.example/{i}", body=noisy_page(i, 50)) for i in range(3)])
    for bad in (plain[1].replace(b"WARC-Type: response", b"WARC-Type: nonsense", 1),
                plain[1].replace(b"Content-Length: ", b"Content-Length: 9", 1),
                plain[1].replace(b"WARC-Record-ID", b"Content-Length: 5\r\nWARC-Record-ID", 1),  # warcio reads the 1st
                plain[1].replace(b"WARC/1.0", b"WARC/9.9", 1),
                plain[1].replace(b"WARC-Target-URI", b"WARC-Target-VRI", 1),  # warcio raises on a response without
                plain[1][:-1] + b"x",  # not CRLF CRLF after the record
                b"WARX" + plain[1][4:]):
        data = b"".join(gzip.compress(p) for p in (plain[0], bad, plain[2]))
        assert warc_ranges(io.BytesIO(data), 100) == [(0, None)]
        assert _read_in_ranges(data, "bad.warc.gz", 100) == list(iter_warc_records(io.BytesIO(data), "bad.warc.gz"))
    data = b"".join(gzip.compress(p) for p in plain)
    assert len(warc_ranges(io.BytesIO(data), 100)) == 3


def test_records_changed_at_random_in_an_intact_gzip_chain_read_in_ranges_give_the_whole_read():
    """Whatever a record holds, a file is either split where every range reads as the whole read does, or one range."""
    rng = random.Random(3)
    base = _members(MIXED + [html_response(f"https://news.example/{i}", body=noisy_page(i, 40)) for i in range(4)])
    split = 0
    for trial in range(60):
        records = list(base)
        for _ in range(rng.randint(1, 3)):
            k, op = rng.randrange(len(records)), rng.random()
            data = bytearray(records[k])
            at = rng.randrange(len(data))
            if op < 0.4:
                data[at] = rng.randrange(256)
            elif op < 0.6:
                del data[at:at + rng.randint(1, 5)]
            else:
                data[at:at] = rng.choice([b"\r\n", b"\n", b" ", b":", b"WARC/1.0\r\n", b"\r\n\r\n", records[0][:90]])
            records[k] = bytes(data)
        data = b"".join(gzip.compress(r) for r in records)
        whole = list(iter_warc_records(io.BytesIO(data), "f.warc.gz"))
        for range_bytes in (1, 700):
            split += len(warc_ranges(io.BytesIO(data), range_bytes)) > 1
            assert _read_in_ranges(data, "f.warc.gz", range_bytes) == whole, (trial, range_bytes)
    assert split > 20  # most changed files are still split, so the comparison above means something


@pytest.mark.parametrize("scan_chunk", [1, 7, 1 << 20])
def test_member_offsets_survive_any_read_size_and_records_inflating_past_the_scan_buffer(monkeypatch, scan_chunk):
    import pipelines.core.warc as warc

    monkeypatch.setattr(warc, "_SCAN_CHUNK", scan_chunk)
    data = build_warc([html_response(f"https://news.example/{i}", body=b"<p>" + b"a" * (700_000 + 12_345 * i))
                       for i in range(4)] + [html_response("https://news.example/x", body=noisy_page(3, 500))])
    whole = list(iter_warc_records(io.BytesIO(data), "big.warc.gz"))
    assert [start for start, _ in warc_ranges(io.BytesIO(data), 100)] == _offsets(whole)


@pytest.mark.parametrize("words", [0, 30000])
def test_whole_file_gzips_joined_end_to_end_give_each_record_its_plain_offset(words):
    """Positions are input_refs (reruns, the streaming ledger): unique, non-negative, stable. For gzip streams
    joined end to end they are the offsets in the inflated data, as for one whole-file stream; small members share
    one read chunk (warcio gave negative offsets there), large ones do not."""
    parts = [build_warc([html_response(f"https://news.example/{k}{i}", body=noisy_page(i, words) if words else None)
                         for i in range(2)], False) for k in "abc"]
    data = b"".join(gzip.compress(part) for part in parts)
    got = [pos for pos, _, _ in iter_warc_records(io.BytesIO(data), "joined.warc.gz")]
    want = [pos for pos, _, _ in iter_warc_records(io.BytesIO(b"".join(parts)), "joined.warc.gz")]
    assert got == want and len(got) == 6
    assert got == [pos for pos, _, _ in iter_warc_records(io.BytesIO(data), "joined.warc.gz")]


def test_a_record_per_member_then_a_whole_stream_keeps_offsets_unique_and_increasing():
    """A file that starts gzip-per-record and goes on as one stream: the first records keep their member offsets,
    the rest are counted on from the member where the file stops being one record a member."""
    head = build_warc([html_response(f"https://news.example/m{i}", body=noisy_page(i, 200)) for i in range(3)])
    tail = build_warc([html_response(f"https://news.example/s{i}") for i in range(4)], False)
    data = head + gzip.compress(tail)
    out = list(iter_warc_records(io.BytesIO(data), "mixed.warc.gz"))
    assert [r["url"] for _, r, _ in out] == [f"https://news.example/m{i}" for i in range(3)] + [
        f"https://news.example/s{i}" for i in range(4)]
    offsets = [int(pos.rsplit("@", 1)[1]) for pos, _, _ in out]
    assert offsets[:4] == [0] + [o for o in warc_ranges_starts(head)] + [len(head)]
    assert all(b > a >= 0 for a, b in zip(offsets, offsets[1:]))


def warc_ranges_starts(data: bytes) -> list[int]:
    """Member offsets after the first, from a 1-byte range size (every member starts a range)."""
    return [start for start, _ in warc_ranges(io.BytesIO(data), 1)][1:]


@pytest.mark.parametrize("tail", [b"trailing garbage", b"\x1f\x8b\x08 not a member", b"\0" * 8])
def test_a_whole_file_gzip_with_bytes_after_it_keeps_its_records_and_ends_with_a_marker(tail):
    """The bytes after the stream are no gzip member: every record before them comes out (only the first did, the
    zlib error escaped the inflating reader), then one truncated_warc marker at the end of the last record."""
    plain = build_warc([html_response(f"https://news.example/{i}") for i in range(3)], False)
    want = list(iter_warc_records(io.BytesIO(plain), "w.warc.gz"))
    got = list(iter_warc_records(io.BytesIO(gzip.compress(plain) + tail), "w.warc.gz"))
    assert got[:-1] == want and got[-1] == (f"w.warc.gz@{len(plain) - 4}#cut", None, "truncated_warc")


def test_a_whole_file_gzip_cut_inside_its_trailer_ends_with_a_marker():
    plain = build_warc([html_response(f"https://news.example/{i}") for i in range(3)], False)
    got = list(iter_warc_records(io.BytesIO(gzip.compress(plain)[:-3]), "w.warc.gz"))
    assert [r["url"] for _, r, _ in got[:-1]] == [f"https://news.example/{i}" for i in range(3)]
    assert got[-1][2] == "truncated_warc"


# --- Hand-built records: damage, codings and shapes that warcio's writer would not produce -----------------------

STORY = ("<html><head><title>Bridge</title></head><body><p>The council approved the bridge plan on Tuesday, and "
         "work starts in spring.</p></body></html>")


def http_block(body: bytes, ctype="text/html; charset=utf-8", status="HTTP/1.1 200 OK", extra=()) -> bytes:
    lines = [status] + ([f"Content-Type: {ctype}"] if ctype else []) + list(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def warc_record(payload: bytes, url="https://news.example/a", rec_type="response", clen=None, extra=()) -> bytes:
    head = ["WARC/1.0", f"WARC-Type: {rec_type}", "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>",
            "WARC-Date: 2026-11-24T08:00:00Z", f"WARC-Target-URI: {url}",
            "Content-Type: application/http; msgtype=response", *extra,
            f"Content-Length: {len(payload) if clen is None else clen}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload + b"\r\n\r\n"


def page_record(i: int, **kw) -> bytes:
    return warc_record(http_block(STORY.replace("Bridge", f"Bridge {i}").encode()), url=f"https://news.example/{i}",
                       **kw)


def summary(data: bytes, name="f.warc", **kw):
    """(url or reason) per item, plus the positions."""
    out = list(iter_warc_records(io.BytesIO(data), name, **kw))
    return [raw["url"] if raw else str(reason) for _, raw, reason in out], out


def test_a_brotli_body_is_decoded_and_a_broken_one_is_that_records_rejection():
    import brotli

    body = STORY.encode()
    compressed = brotli.compress(noisy_page(7, 400))
    broken = compressed[:100] + bytes(b ^ 0x5A for b in compressed[100:200]) + compressed[200:]
    data = (page_record(0)
            + warc_record(http_block(brotli.compress(body), extra=["Content-Encoding: br"]), url="https://x/br")
            + warc_record(http_block(body, extra=["Content-Encoding: br"]), url="https://x/br-label-only")
            + warc_record(http_block(broken, extra=["Content-Encoding: br"]), url="https://x/br-broken")
            + warc_record(http_block(compressed[:-20], extra=["Content-Encoding: br"]), url="https://x/br-cut")
            + page_record(1))
    got, out = summary(data)
    assert got == ["https://news.example/0", "https://x/br", "https://x/br-label-only", "bad_content_encoding",
                   "https://x/br-cut", "https://news.example/1"]  # the cut body's text so far is an article
    assert out[1][1]["html"] == STORY and out[2][1]["html"] == STORY
    assert "Content-Encoding br" in out[3][2].detail and "ends inside" in out[4][2].detail
    assert out[4][2] == "truncated_payload_kept" and out[4][1]["html"].startswith("<html><body><p>")


def test_a_brotli_bomb_stops_at_the_record_limit():
    import brotli

    bomb = brotli.compress(b"\0" * 50_000_000)
    data = warc_record(http_block(bomb, extra=["Content-Encoding: br"]), url="https://x/bomb") + page_record(1)
    got, out = summary(data, max_record_bytes=1_000_000)
    assert got == ["record_too_large", "https://news.example/1"]
    assert "over 1000000 bytes" in out[0][2].detail and "br" in out[0][2].detail and "https://x/bomb" in out[0][2].detail


def test_any_error_while_reading_one_payload_rejects_that_record_only(monkeypatch):
    import pipelines.core.warc as warc

    real = warc._read_payload

    def flaky(record, limit):
        if record.rec_headers.get_header("WARC-Target-URI").endswith("/1"):
            raise AttributeError("a decoder bug")
        return real(record, limit)

    monkeypatch.setattr(warc, "_read_payload", flaky)
    got, out = summary(b"".join(page_record(i) for i in range(3)))
    assert got == ["https://news.example/0", "unreadable_payload", "https://news.example/2"]
    assert "AttributeError" in out[1][2].detail


def test_gzip_bodies_a_bad_checksum_keeps_the_page_and_corrupt_data_is_bad_content_encoding():
    z = gzip.compress(STORY.encode() * 30, mtime=0)
    bad_crc = z[:-8] + b"\0\0\0\0" + z[-4:]
    corrupt = z[:40] + bytes(b ^ 0x5A for b in z[40:100]) + z[100:]
    data = (warc_record(http_block(bad_crc, extra=["Content-Encoding: gzip"]), url="https://x/crc")
            + warc_record(http_block(corrupt, extra=["Content-Encoding: gzip"]), url="https://x/corrupt")
            + warc_record(http_block(STORY.encode(), extra=["Content-Encoding: gzip"]), url="https://x/label-only")
            + warc_record(http_block(zlib.compress(STORY.encode())[2:-4], extra=["Content-Encoding: deflate"]),
                          url="https://x/raw-deflate")
            + warc_record(http_block(z[: len(z) // 2], extra=["Content-Encoding: gzip"]), url="https://x/cut"))
    got, out = summary(data)
    assert got == ["https://x/crc", "bad_content_encoding", "https://x/label-only", "https://x/raw-deflate",
                   "https://x/cut"]  # cut in half: the stories so far are kept, and said to be cut
    assert out[0][1]["html"] == STORY * 30 and out[2][1]["html"] == STORY and out[3][1]["html"] == STORY
    assert out[4][2] == "truncated_payload_kept" and "ends inside" in out[4][2].detail


def _damaged(case: str, gzipped: bool) -> bytes:
    """Five pages, 0 to 4, with damage at page 2 (or just before it)."""
    parts = [page_record(i) for i in range(5)]
    if case == "clen_long":
        parts[2] = page_record(2, clen=len(http_block(STORY.encode())) + 40)
    elif case == "clen_short":
        parts[2] = page_record(2, clen=len(http_block(STORY.encode())) - 40)
    elif case == "unknown_type":
        parts[2] = page_record(2, rec_type="x-custom")
    members = [gzip.compress(p, mtime=0) for p in parts] if gzipped else parts
    if case == "junk":
        members.insert(2, b"this is no record\r\n" * 3 + b"junk")
    elif case == "cut_member" and gzipped:
        members[2] = members[2][: len(members[2]) // 2]
    return b"".join(members)


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("case", ["clen_long", "clen_short", "junk", "cut_member", "unknown_type"])
def test_damage_in_the_middle_is_one_rejection_and_the_records_after_it_are_read(case, gzipped):
    if case == "cut_member" and not gzipped:
        pytest.skip("a gzip member only")
    got, out = summary(_damaged(case, gzipped), "d.warc.gz" if gzipped else "d.warc")
    after = ["https://news.example/3", "https://news.example/4"]
    if case == "junk":  # the junk is before page 2, which is whole
        after = ["https://news.example/2"] + after
    if case == "unknown_type":
        assert got == ["https://news.example/0", "https://news.example/1", "unknown_type"] + after
        return
    assert got == ["https://news.example/0", "https://news.example/1", "warc_damaged"] + after
    position, _, reason = out[2]
    assert "#cut" not in position and "skipped" in reason.detail and "resumed" in reason.detail
    positions = [p for p, _, _ in out]
    assert len(set(positions)) == len(positions)


def test_junk_before_the_first_member_of_a_warc_gz_is_searched_past():
    data = b"partial upload\r\n" + b"".join(gzip.compress(page_record(i), mtime=0) for i in range(2))
    got, _ = summary(data, "j.warc.gz")
    assert got == ["warc_damaged", "https://news.example/0", "https://news.example/1"]


def test_a_too_short_content_length_never_publishes_the_cut_page():
    got, out = summary(_damaged("clen_short", False))
    assert all(raw is None or "work starts in spring" in raw["html"] for _, raw, _ in out)
    assert "https://news.example/2" not in got


def test_a_cut_at_the_end_is_still_truncated_warc_and_not_damage():
    data = b"".join(page_record(i) for i in range(3))
    got, out = summary(data[:-30])
    assert got == ["https://news.example/0", "https://news.example/1", "truncated_warc"]
    assert out[-1][0].endswith("#cut")


def test_the_search_for_the_next_record_crosses_windows_and_reads_boundedly():
    """3 MiB of junk (several resync windows) between two pages: the read finds the second page, and no single
    read asks for more than the resync window."""
    import pipelines.core.warc as warc

    class Sizes(io.BytesIO):
        biggest = 0

        def read(self, size=-1):
            Sizes.biggest = max(Sizes.biggest, size if size is not None and size >= 0 else 1 << 40)
            return super().read(size)

    data = page_record(0) + b"WARC/1.0 but not a header block\r\n" + os.urandom(3 << 20) + page_record(1)
    out = list(iter_warc_records(Sizes(data), "j.warc"))
    assert [raw["url"] if raw else str(reason) for _, raw, reason in out] == [
        "https://news.example/0", "warc_damaged", "https://news.example/1"]
    assert Sizes.biggest <= warc._RESYNC_WINDOW


def test_skip_reasons_are_a_fixed_set_never_page_text():
    fr = "<html lang=\"fr\"><head><title>Gare</title></head><body><p>La gare rouvre.</p></body></html>".encode()
    data = (warc_record(fr, url="https://x/bare-page")  # no HTTP header block: warcio reads the page as one
            + warc_record(http_block(b"", ctype="text/html"), url="https://x/revisit", rec_type="revisit")
            + warc_record(fr, url="https://x/resource", rec_type="resource")
            + warc_record(b"via: x\r\n", url="https://x/meta", rec_type="metadata")
            + warc_record(http_block(fr, ctype=None), url="https://x/no-ctype")
            + warc_record(http_block(fr, status="HTTP/1.1 2xx Odd"), url="https://x/odd-status"))
    got, _ = summary(data)
    assert got == ["no_http_headers", "revisit", "resource", "metadata", "no_content_type", "no_http_headers"]


def test_warc_truncated_pages_are_kept_when_what_is_there_holds_an_article():
    """Review rv4 M3: Common Crawl cuts a payload at 1 MiB; the story usually ends long before (scripts, comments,
    inline state come after it). Kept with a truncated_payload_kept note when the stored part gives an article;
    rejected as truncated_payload when it does not (cut inside the head), or a compressed body stops before any
    text."""
    story = ("<html><head><title>Tram extension delayed</title></head><body><article><h1>Tram extension delayed"
             "</h1>" + "<p>The tram extension to the harbour will open in September, three months late, the transport "
             "office said on Monday after a review of the works.</p>" * 4 + "</article><section id=comments>")
    stored = (story + "<p>reader comment</p>" * 60_000)[: 1 << 20]  # cut at 1 MiB inside the comments
    head_only = "<html><head><title>Tram extension delayed</title><style>" + "a{color:red}" * 100_000
    gz_head = gzip.compress(head_only.encode() + b"</style></head><body><p>story</p></body></html>")
    data = (warc_record(http_block(stored.encode()), url="https://x/tram", extra=["WARC-Truncated: length"])
            + warc_record(http_block(head_only[: 1 << 20].encode()), url="https://x/head",
                          extra=["WARC-Truncated: length"])
            + warc_record(http_block(gz_head[:2000], extra=["Content-Encoding: gzip"]), url="https://x/gz-head")
            + page_record(1))
    got, out = summary(data)
    assert got == ["https://x/tram", "truncated_payload", "truncated_payload", "https://news.example/1"]
    assert out[0][2] == "truncated_payload_kept" and "WARC-Truncated: length (1048576 bytes kept)" in out[0][2].detail
    assert "no article" in out[1][2].detail and "ends inside" in out[2][2].detail
    assert out[3][2] is None


def _with_clen(record: bytes, delta: int) -> bytes:
    head, sep, rest = record.partition(b"\r\n\r\n")
    lines = [b"Content-Length: %d" % (int(line.split(b":")[1]) + delta) if line.startswith(b"Content-Length:")
             else line for line in head.split(b"\r\n")]
    return b"\r\n".join(lines) + sep + rest


def test_a_wrong_content_length_in_a_plain_warc_never_costs_the_next_record():
    """Review rv4 H2: r2's Content-Length off by -120..-1 and +1..+1300 bytes (overruns that end before a CRLF in
    the next record's header, or swallow it whole, included). r2 is one warc_damaged at its own offset, or (+1..+3,
    the separator absorbs it) read whole; every other record is read at its own offset."""
    bad = []
    for delta in [*range(-120, 0), *range(1, 1301)]:
        parts = [page_record(i) for i in range(6)]
        parts[2] = _with_clen(parts[2], delta)
        offsets = [sum(len(p) for p in parts[:i]) for i in range(6)]
        got, out = summary(b"".join(parts))
        others = [(f"f.warc@{offsets[i]}", f"https://news.example/{i}") for i in (0, 1, 3, 4, 5)]
        items = [(pos, raw["url"] if raw else str(reason)) for pos, raw, reason in out]
        r2 = [item for item in items if item not in others]
        ok = all(item in items for item in others) and (
            r2 == [(f"f.warc@{offsets[2]}", "warc_damaged")]
            or (1 <= delta <= 3 and r2 == [(f"f.warc@{offsets[2]}", "https://news.example/2")]))
        if not ok:
            bad.append((delta, items))
    assert not bad, bad[:3]


def test_a_header_cut_by_a_dead_writer_and_the_next_record_after_it():
    """Review rv4 M4: a record header cut mid-field, then a whole record: one warc_damaged at the cut header, and
    the next page under its own URL and offset."""
    parts = [page_record(i) for i in range(3)]
    cut = page_record(77)[:150]
    assert cut.endswith(b"news.example/77\r\nC") or b"\r\n\r\n" not in cut
    data = parts[0] + cut + b"".join(parts[1:])
    got, out = summary(data)
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/1", "https://news.example/2"]
    assert out[1][0] == f"f.warc@{len(parts[0])}"
    assert out[2][0] == f"f.warc@{len(parts[0]) + len(cut)}"


def test_junk_lines_that_begin_with_warc_are_damage_not_a_header_block():
    """Review rv4 L4: lines like 'WARC/1.0 response ...' before a record are not read as its header block."""
    junk = b"WARC/1.0 response https://news.example/x 200 text/html\r\n" * 300
    parts = [page_record(0), junk, page_record(1)]
    got, out = summary(b"".join(parts))
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/1"]
    assert out[2][0] == f"f.warc@{len(parts[0]) + len(junk)}"


def test_a_record_quoted_inside_a_damaged_record_is_not_published():
    """Review rv4 L3: a page quoting a whole WARC record, its own Content-Length 50 bytes short: the quote is not
    taken for a record (nothing follows it where it ends)."""
    quoted = warc_record(http_block(b"<html><p>example page</p></html>"), url="https://fake.example/inside")
    page = http_block(b"<html><body><p>How a WARC record looks:</p><pre>" + quoted + b"</pre></body></html>")
    parts = [page_record(0), warc_record(page, url="https://news.example/q", clen=len(page) - 50), page_record(1)]
    got, _ = summary(b"".join(parts))
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/1"]


def test_a_plain_warc_named_warc_gz_is_resynced_as_plain():
    """Review rv4 L5: a .warc.gz that a download decompressed: damage in the middle is searched past as plain."""
    parts = [page_record(0), _with_clen(page_record(1), 200), page_record(2), page_record(3)]
    got, _ = summary(b"".join(parts), "misnamed.warc.gz")
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/2", "https://news.example/3"]


def test_content_coding_chains_zstd_unknown_codings_and_multi_member_gzip():
    """Review rv4 L1, L2: 'gzip, br' is undone right to left; zstd is decoded (zstandard installed); a coding the
    reader does not know is bad_content_encoding unless the body is plain markup (a made-up label); a gzip body of
    two members is read whole."""
    import brotli
    import zstandard

    page = (STORY * 20).encode()
    half = len(page) // 2
    records = [
        (brotli.compress(gzip.compress(page)), "gzip, br", "https://x/chain"),
        (zstandard.ZstdCompressor().compress(page), "zstd", "https://x/zstd"),
        (os.urandom(300), "compress", "https://x/compress"),
        (page, "utf-8", "https://x/made-up"),
        (gzip.compress(page[:half]) + gzip.compress(page[half:]), "gzip", "https://x/two-members"),
    ]
    data = b"".join(warc_record(http_block(body, extra=[f"Content-Encoding: {coding}"]), url=url)
                    for body, coding, url in records)
    got, out = summary(data)
    assert got == ["https://x/chain", "https://x/zstd", "bad_content_encoding", "https://x/made-up",
                   "https://x/two-members"]
    assert all(out[i][1]["html"] == STORY * 20 for i in (0, 1, 3, 4))
    assert "compress not supported" in out[2][2].detail


def test_lf_only_record_separators_end_a_whole_file_without_a_marker():
    """Review rv4 L7: a writer that separates records with LF LF; a cut inside the separator is still a cut."""
    data = b"".join(page_record(i)[:-4] + b"\n\n" for i in range(3))
    got, _ = summary(data)
    assert got == ["https://news.example/0", "https://news.example/1", "https://news.example/2"]
    got, _ = summary(data[:-1])
    assert got[-1] == "truncated_warc"


@pytest.mark.parametrize("version", [b"0.17", b"0.18"])
def test_plain_warc_0_17_and_0_18_files_give_every_record(version):
    """Review rv6 H1: pre-2008 crawls (WARC/0.17, 0.18, which warcio reads) lost every record after the first."""
    data = b"".join(page_record(i) for i in range(3)).replace(b"WARC/1.0\r\n", b"WARC/" + version + b"\r\n")
    got, out = summary(data)
    assert got == ["https://news.example/0", "https://news.example/1", "https://news.example/2"]
    # Damage between records: reading resumes at the next 0.18 record (the resync looks for the same versions).
    junk = page_record(0).replace(b"WARC/1.0\r\n", b"WARC/" + version + b"\r\n") + b"junk line\r\n"
    got, out = summary(junk + data[len(junk) - len(b"junk line\r\n"):])
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/1", "https://news.example/2"]


@pytest.mark.parametrize("gap", [b"\r\n", b"\r\n\r\n\r\n", b"\n", b" \r\n"])
def test_extra_blank_lines_between_records_are_skipped_silently(gap):
    """Review rv6 L1: a writer or a concatenation that leaves blank lines too many between records (as warcio and
    845443a read them: no damage)."""
    data = gap.join(page_record(i) for i in range(3))
    got, _ = summary(data)
    assert got == ["https://news.example/0", "https://news.example/1", "https://news.example/2"]
    lf = gap.replace(b"\r\n", b"\n").join(page_record(i)[:-4] + b"\n\n" for i in range(3))
    assert summary(lf)[0] == got
    assert summary(data + gap)[0] == got  # at the end of the file too (not a cut)
    assert summary(data + gap + b"WARC/1.0\r\n")[0][-1] == "truncated_warc"  # a record cut in its header still is


def test_a_second_gzip_member_after_a_first_that_fills_the_cap_is_never_inflated_unbounded(monkeypatch):
    """Review rv6 M2: when the first member ends exactly at the cap (+1), the next member was inflated with
    max_length 0, which zlib reads as no limit. Inflated bytes are counted through a wrapper around zlib's
    decompressor: never more than the cap plus one read chunk, and never a call with max_length 0."""
    import pipelines.core.warc as warc

    limit = 100_000
    body = gzip.compress(b"<p>" + b"a" * (limit - 2)) + gzip.compress(bytes(20_000_000), 9)
    real = zlib.decompressobj
    produced, lengths = [], []

    class Counting:
        def __init__(self, *args):
            self.inner = real(*args)

        def decompress(self, data, max_length=0):
            lengths.append(max_length)
            out = self.inner.decompress(data, max_length)
            produced.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self.inner, name)

    # warc's own zlib only (warcio's reader uses the module too, with no limit, on its own gzip members)
    import types

    monkeypatch.setattr(warc, "zlib", types.SimpleNamespace(**{**vars(zlib), "decompressobj": Counting}))
    data = warc_record(http_block(body, extra=["Content-Encoding: gzip"]), url="https://x/bomb") + page_record(1)
    got, _ = summary(data, max_record_bytes=limit)
    assert got == ["record_too_large", "https://news.example/1"]
    assert 0 not in lengths
    assert sum(produced) <= limit + 1 + warc._READ_CHUNK


def _dated_warc(records) -> bytes:
    """records: (url, WARC-Date, Content-Type, body); plain (not gzipped) response records."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for url, date, ctype, body in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                      http_headers=http, warc_headers_dict={"WARC-Date": date}))
    return buf.getvalue()


GOOD_DATE = "2024-05-31T10:00:00Z"
IDNA_PAGE = ('<html><head><meta charset="idna"></head><body><p>The caf\xe9 reopened.</p></body></html>').encode("cp1252")
ESCAPE_PAGE = b"<html><body><p>Emoji cut: \\ud83d and \\u0041</p></body></html>"


def test_a_date_outside_utc_range_is_unparsable_not_a_crash():
    assert rfc3339("0001-01-01T00:30:00+01:00") is None
    assert rfc3339("9999-12-31T23:30:00-01:00") is None


def test_bad_records_between_good_ones_never_end_the_file(monkeypatch):
    import pipelines.core.warc as warc

    real = warc.decode_html

    def decode(body, headers=None):  # a stand-in for any bug met while building one record
        if b"BOOM" in body:
            raise RuntimeError("decoder bug")
        return real(body, headers)

    monkeypatch.setattr(warc, "decode_html", decode)
    good = (GOOD_DATE, "text/html", PAGE.encode("utf-8"))
    data = _dated_warc([
        ("https://news.example/1", *good),
        ("https://news.example/idna", GOOD_DATE, "text/html", IDNA_PAGE),
        ("https://news.example/2", *good),
        ("https://news.example/year1", "0001-01-01T00:30:00+01:00", "text/html", PAGE.encode("utf-8")),
        ("https://news.example/3", *good),
        ("https://news.example/escape", GOOD_DATE, "text/html; charset=unicode_escape", ESCAPE_PAGE),
        ("https://news.example/4", *good),
        ("https://news.example/boom", GOOD_DATE, "text/html", b"<p>BOOM</p>"),
        ("https://news.example/5", *good),
    ])
    out = list(iter_warc_records(io.BytesIO(data), "mix.warc"))
    assert len(out) == 9
    by_url = {raw["url"]: raw for _, raw, _ in out if raw}
    assert [url for url in by_url if url.rsplit("/", 1)[1].isdigit()] == [f"https://news.example/{n}" for n in range(1, 6)]
    assert all(by_url[f"https://news.example/{n}"]["html"] == PAGE for n in range(1, 6))
    assert "The café reopened." in by_url["https://news.example/idna"]["html"]  # the idna label is no label
    assert by_url["https://news.example/year1"]["scraped_at"] is None  # as for any unparsable WARC-Date
    assert r"Emoji cut: \ud83d and \u0041" in by_url["https://news.example/escape"]["html"]  # text not rewritten
    position, raw, reason = out[7]
    assert raw is None and reason == "unreadable_payload"
    assert reason.detail.startswith(f"RuntimeError building the record at {position}: decoder bug")
    assert reason.detail.endswith("url=https://news.example/boom")
    assert [reason for _, _, reason in out if reason] == ["unreadable_payload"]


def resource_record(payload: bytes, ctype: str | None, url="https://news.example/saved", extra=()) -> bytes:
    """A resource record as wget --warc-file or a browser archiver writes a page: the payload is the page itself,
    typed by the WARC Content-Type; no HTTP message, so no status."""
    head = ["WARC/1.0", "WARC-Type: resource", "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000002>",
            "WARC-Date: 2026-11-24T09:30:00Z", f"WARC-Target-URI: {url}", *([f"Content-Type: {ctype}"] if ctype else []),
            *extra, f"Content-Length: {len(payload)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload + b"\r\n\r\n"


@pytest.mark.parametrize("gzipped", [False, True])
def test_html_resource_records_are_pages_and_other_resources_stay_skips(gzipped):
    records = [resource_record(PAGE.encode("latin-1"), "text/html; charset=iso-8859-1", url="https://x/gare"),
               resource_record(b"\x89PNG\r\n\x1a\n....", "image/png", url="https://x/logo.png"),
               resource_record(b"%PDF-1.7 ...", "application/pdf", url="https://x/report.pdf"),
               resource_record(b"wget log: 200 OK", "text/plain", url="urn:X-wget:log"),
               resource_record(PAGE.encode(), None, url="https://x/untyped"),
               resource_record(PAGE.encode(), "application/xhtml+xml", url="https://x/xhtml"),
               page_record(1)]
    data = b"".join(gzip.compress(r, mtime=0) for r in records) if gzipped else b"".join(records)
    got, out = summary(data, "r.warc.gz" if gzipped else "r.warc")
    assert got == ["https://x/gare", "resource", "resource", "resource", "resource", "https://x/xhtml",
                   "https://news.example/1"]
    gare = out[0][1]
    assert gare["html"] == PAGE  # decoded with the charset of the WARC Content-Type
    assert gare["scraped_at"] == "2026-11-24T09:30:00Z"  # WARC-Date
    assert gare["headers"] == {"Content-Type": "text/html; charset=iso-8859-1"}  # no HTTP headers: the WARC type
    assert out[0][2] is None and out[5][2] is None and out[5][1]["html"] == PAGE


def test_a_truncated_html_resource_record_is_kept_or_rejected_as_a_response_is():
    story = ("<html><head><title>Tram extension delayed</title></head><body><article><h1>Tram extension delayed"
             "</h1>" + "<p>The tram extension to the harbour will open in September, three months late, the "
             "transport office said on Monday after a review of the works.</p>" * 4 + "</article><section>")
    data = (resource_record((story + "<p>comment</p>" * 500).encode(), "text/html", url="https://x/tram",
                            extra=["WARC-Truncated: length"])
            + resource_record(b"<html><head><title>t</title><style>" + b"a{}" * 500, "text/html", url="https://x/head",
                              extra=["WARC-Truncated: length"]))
    got, out = summary(data)
    assert got == ["https://x/tram", "truncated_payload"]
    assert out[0][2] == "truncated_payload_kept"


def test_two_damaged_records_in_a_row_are_one_span_that_names_both_and_loses_nothing_after_them():
    """Two records with Content-Lengths too long, one after the other: the second starts inside the first's claimed
    length and does not end cleanly either, so one warc_damaged covers both; its detail names the record start it
    passed over, and the next good record is read at its own offset."""
    parts = [page_record(0), _with_clen(page_record(1), 30), _with_clen(page_record(2), 30), page_record(3)]
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    got, out = summary(b"".join(parts))
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/3"]
    detail = out[1][2].detail
    assert out[1][0] == f"f.warc@{offsets[1]}" and f"bytes {offsets[1]}-{offsets[3]} skipped" in detail
    assert f"record start passed over at {offsets[2]}" in detail
    assert out[2][0] == f"f.warc@{offsets[3]}"


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_good_record_between_two_damaged_ones_is_read(gzipped):
    """A Content-Length far too long claims the good record after it and the junk after that: the good record,
    right after the damaged one's separator and ending at its own, is read, not skipped as part of the span (it
    was, when the record after it did not end cleanly: found by a random sweep of damaged files)."""
    junk = b"garbage line from a crashed writer\r\n"
    parts = [page_record(0), _with_clen(page_record(1), 600), page_record(2), junk, _with_clen(page_record(3), 30),
             page_record(4)]
    if gzipped:
        parts = [gzip.compress(p, mtime=0) for p in parts]
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    got, out = summary(b"".join(parts), "f.warc.gz" if gzipped else "f.warc")
    assert "https://news.example/2" in got and got[-1] == "https://news.example/4"
    assert (f"f.warc{'.gz' if gzipped else ''}@{offsets[2]}", "https://news.example/2") in [
        (pos, raw["url"] if raw else None) for pos, raw, _ in out]


def test_a_good_record_after_a_header_cut_and_before_junk_is_read():
    """A header block cut by a dead writer takes the next record's header lines as its own; a record start inside
    a header block cannot be a quote, so the next record is read even when junk follows it."""
    parts = [page_record(0), page_record(77)[:150], page_record(1), b"garbage line\r\n", page_record(2)]
    got, out = summary(b"".join(parts))
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/1", "warc_damaged",
                   "https://news.example/2"]
    assert out[2][0] == f"f.warc@{len(parts[0]) + len(parts[1])}"


def _quoting_text_page(i: int) -> bytes:
    """A plain-text page (no '</html>' to tell where it ends) that quotes a whole WARC record, then a line."""
    quoted = warc_record(http_block(b"<html><p>example page</p></html>"), url=f"https://fake.example/{i}")
    return warc_record(http_block(b"How a WARC record looks:\r\n\r\n" + quoted + b"That is all.\r\n"),
                       url=f"https://news.example/{i}")


@pytest.mark.parametrize("after", [b"", b"garbage line from a crashed writer\r\n" * 2])
def test_a_good_record_after_a_damaged_plain_text_page_that_quotes_a_record_is_read(after):
    """Found by a damage sweep (3 of 800 files): a plain-text page quoting a record, its Content-Length too long,
    then a good record followed by junk (and maybe more records). The good record was passed over with the quote:
    neither ended at a record start, and a text page has no '</html>'. The damaged record cannot end after the
    good one (no record separator before the next record start, or the file's end, there), so the good record is
    not in its page; the quote is (the damaged record can end after it), and stays unpublished."""
    parts = [page_record(0), _with_clen(_quoting_text_page(1), 29), page_record(2),
             b"garbage line from a crashed writer\r\n"] + ([after + page_record(3)] if after else [])
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    got, out = summary(b"".join(parts))
    items = [(pos, raw["url"] if raw else str(reason)) for pos, raw, reason in out]
    assert (f"f.warc@{offsets[2]}", "https://news.example/2") in items
    assert not any("fake.example" in g for g in got)
    assert items[1] == (f"f.warc@{offsets[1]}", "warc_damaged")
    if after:
        assert got[-1] == "https://news.example/3"


def test_a_quote_in_a_plain_text_page_with_a_short_content_length_is_not_published():
    """The guard beside it: the quote ends where the page goes on, and the page ends at a record separator right
    before the next record, so the damaged record can end after the quote: the quote is passed over."""
    parts = [page_record(0), _with_clen(_quoting_text_page(1), -10), page_record(2), b"junk\r\n", page_record(3)]
    got, _ = summary(b"".join(parts))
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/2", "warc_damaged",
                   "https://news.example/3"]


def test_a_short_content_length_inside_a_gzip_member_costs_only_its_record():
    """Found by the same sweep on .warc.gz files: a record whose Content-Length ends just before a line break of
    its page leaves page text after a blank line in its member. That was read as a second record in the member, so
    the member and the rest of the file were read again inflated, where the text stopped the read: every record
    after it was lost behind one truncated_warc. Text after a record in its member is damage to that record; the
    read resumes at the next member."""
    body = http_block(b"A plain page.\r\nThat is all.\r\n")
    short = warc_record(body, url="https://news.example/1", clen=len(body) - len(b"\r\nThat is all.\r\n"))
    parts = [page_record(0), short, page_record(2), page_record(3)]
    members = [gzip.compress(p, mtime=0) for p in parts]
    offsets = [sum(len(m) for m in members[:i]) for i in range(len(members))]
    got, out = summary(b"".join(members), "f.warc.gz")
    assert got == ["https://news.example/0", "warc_damaged", "https://news.example/2", "https://news.example/3"]
    assert [p for p, _, _ in out] == [f"f.warc.gz@{o}" for o in offsets]


def _digest(payload: bytes) -> str:
    import base64
    import hashlib

    return "WARC-Block-Digest: sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()


def test_a_page_that_ends_quoting_a_record_is_whole_when_its_block_digest_says_so():
    """A page whose text ends with a whole quoted record looks like a Content-Length that swallowed the next
    record; the record's own WARC-Block-Digest (warcio, wget and Heritrix write one) says its block is whole as
    its Content-Length gives it: the page is read, the quote stays in it, the next record is read."""
    quoted = warc_record(http_block(b"<html><p>example page</p></html>"), url="https://fake.example/q")
    block = http_block(b"How a WARC record looks:\r\n\r\n" + quoted, ctype="text/html")
    parts = [page_record(0), warc_record(block, url="https://news.example/1", extra=[_digest(block)]),
             page_record(2)]
    got, out = summary(b"".join(parts))
    assert got == ["https://news.example/0", "https://news.example/1", "https://news.example/2"]
    assert "fake.example" in out[1][1]["html"]


@pytest.mark.parametrize("digested", [False, True])
def test_a_damaged_records_block_digest_tells_its_true_end(digested):
    """A plain-text page quoting a record, its Content-Length too long, then a good record, then junk that holds a
    blank line: the page could end in the junk too, so without a digest the good record is passed over with the
    quote (counted in the warc_damaged span). The damaged record's WARC-Block-Digest matches its block up to the
    good record's start: the good record is read, the quote is not."""
    page = _quoting_text_page(1)
    if digested:
        block = page.split(b"\r\n\r\n", 1)[1][:-4]
        page = page.replace(b"Content-Length:", _digest(block).encode() + b"\r\nContent-Length:", 1)
    parts = [page_record(0), _with_clen(page, 29), page_record(2), b"crashed writer\r\n\r\n", page_record(4)]
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    got, out = summary(b"".join(parts))
    items = [(pos, raw["url"] if raw else str(reason)) for pos, raw, reason in out]
    assert ((f"f.warc@{offsets[2]}", "https://news.example/2") in items) == digested
    assert not any("fake.example" in g for g in got) and got[-1] == "https://news.example/4"


def _lf_record(i: int) -> bytes:
    """page_record(i) as a writer that ends every line with a bare LF writes it."""
    head, _, rest = page_record(i).partition(b"\r\n\r\n")
    http_head, _, body = rest[:-4].partition(b"\r\n\r\n")
    block = http_head.replace(b"\r\n", b"\n") + b"\n\n" + body
    lines = [b"Content-Length: %d" % len(block) if line.startswith(b"Content-Length:") else line
             for line in head.split(b"\r\n")]
    return b"\n".join(lines) + b"\n\n" + block + b"\n\n"


def test_an_lf_record_followed_by_text_in_its_gzip_member_is_whole():
    """Review rv13 R2: an LF-only record is whole by its own separator (LF LF, 2 bytes) when a line of text
    follows it in its gzip member; it was rejected warc_damaged because 4 separator bytes were expected. The text
    is the damage; the next member is read."""
    data = gzip.compress(_lf_record(1) + b"# end of batch 12\n", mtime=0) + gzip.compress(_lf_record(2), mtime=0)
    got, _ = summary(data, "f.warc.gz")
    assert got == ["https://news.example/1", "warc_damaged", "https://news.example/2"]


def test_a_whole_file_gzip_of_lf_records_ends_without_a_marker():
    """Review rv13 S3: one gzip stream over LF-separated records was read inflated, where the last record's LF LF
    was taken for a cut separator (a false truncated_warc); a cut inside it is still one."""
    data = b"".join(_lf_record(i) for i in range(3))
    got, _ = summary(gzip.compress(data, mtime=0), "f.warc.gz")
    assert got == ["https://news.example/0", "https://news.example/1", "https://news.example/2"]
    got, _ = summary(gzip.compress(data[:-1], mtime=0), "f.warc.gz")
    assert got[-1] == "truncated_warc"


def _howto_page(url: str, html: bool, digested: bool, between: bytes) -> bytes:
    """A how-to page that quotes two whole records one after the other (plain text, or raw in <pre> blocks)."""
    quotes = [warc_record(http_block(STORY.replace("Bridge", f"Quoted {i}").encode()),
                          url=f"https://fake.example/{i}") for i in (1, 2)]
    if html:
        text = (b"<html><body><p>Two records from a test crawl:</p><pre>" + quotes[0] + b"</pre>" + between
                + b"<pre>" + quotes[1] + b"</pre><p>End of the example.</p></body></html>")
    else:
        text = b"Two records from a test crawl:\r\n\r\n" + quotes[0] + between + quotes[1] + b"End of the example.\r\n"
    block = http_block(text, ctype="text/html" if html else "text/plain; charset=utf-8")
    return warc_record(block, url=url, extra=[_digest(block)] if digested else [])


@pytest.mark.parametrize("html", [False, True])
@pytest.mark.parametrize("delta", [300, 29])
@pytest.mark.parametrize("between,digested", [(b"(the second record follows)\r\n", False),
                                              (b"(the second record follows)\r\n", True), (b"", True)])
def test_a_damaged_page_quoting_two_records_publishes_neither_quote(html, digested, delta, between):
    """Review rv13 R1: a page quoting two records, its Content-Length too long. The second quote was taken as the
    next record start for the first ('no separator before the next start'), so the first was published, and
    every quote after it; with a correct block digest too. The good record after the page is read, no quote is.
    (Two quotes back to back without a digest look exactly like two records after damage: both readers take
    them; the digest, when there is one, decides.)"""
    parts = [page_record(0), _with_clen(_howto_page("https://news.example/1", html, digested, between), delta),
             page_record(2), page_record(3)]
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    got, out = summary(b"".join(parts))
    assert not any("fake.example" in g for g in got)
    assert got[:2] == ["https://news.example/0", "warc_damaged"] and got[-1] == "https://news.example/3"
    if digested:  # the digest matches at the good record's start: it is read where it starts
        assert (f"f.warc@{offsets[2]}", "https://news.example/2") in [(p, r and r["url"]) for p, r, _ in out]


@pytest.mark.parametrize("html", [False, True])
@pytest.mark.parametrize("long_by,quoting_off_by", [(100, -10), (500, -10), (500, 40), (300, 300)])
def test_damage_after_damage_in_a_page_quoting_two_records_publishes_no_quote(html, long_by, quoting_off_by):
    """Found by the rv13 mend's sweep: a page whose Content-Length is too long, then a page quoting two records
    whose own Content-Length is wrong too. A start in the second page's extent (a record passed over for a quote
    may be a page quoting records) or in what follows a record the read resumed inside must show it is no quote;
    the next start after the claimed end counts only when it ends alone itself (no page text after it)."""
    quoting = _with_clen(_howto_page("https://news.example/2", html, False, b" and then "), quoting_off_by)
    parts = [page_record(0), _with_clen(page_record(1), long_by), quoting, page_record(3)]
    got, _ = summary(b"".join(parts))
    assert not any("fake.example" in g for g in got)
    assert got[0] == "https://news.example/0" and got[-1] == "https://news.example/3"


class _CountingReads(io.BytesIO):
    """A file that counts the bytes read from it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def _damaged_page_quoting_records(quotes: int) -> bytes:
    """A page quoting `quotes` whole WARC records, its Content-Length 100 bytes too long (the reader looks for the
    next record inside it), with warcio's WARC-Block-Digest; then a good page."""
    quote = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://quoted.example/x\r\n"
             "WARC-Date: 2026-01-01T00:00:00Z\r\nContent-Length: 10\r\n\r\n0123456789\r\n\r\n")
    page = ("<html><body><pre>" + "".join(f"<p>Example {i}: {'a record as a crawler writes it ' * 150}</p>\n{quote}"
                                           for i in range(quotes)) + "</pre></body></html>")
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    for url, html in (("https://howto.example/warc", page), ("https://news.example/good", "<html><p>Good.</p></html>")):
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=http))
    data = buf.getvalue()
    at = data.index(b"Content-Length: ")
    end = data.index(b"\r\n", at)
    return data[:at] + b"Content-Length: " + str(int(data[at + 16:end]) + 100).encode() + data[end:]


def test_resync_inside_a_page_quoting_many_records_reads_linearly():
    # The damaged record's digest is checked at every quoted record start: hashing from the block's start each time
    # read the block once per quote (a 32 MB page with 1,600 quotes: 16 s). Bytes read per byte of file must not grow
    # with the number of quotes (counted, not timed).
    per_byte = []
    for quotes in (100, 200):
        data = _damaged_page_quoting_records(quotes)
        f = _CountingReads(data)
        out = [(pos, raw is not None, reason) for pos, raw, reason in iter_warc_records(f, "q")]
        assert [(ok, reason) for _, ok, reason in out] == [(False, "warc_damaged"), (True, None)]
        per_byte.append(f.bytes_read / len(data))
    assert per_byte[1] < per_byte[0] * 1.3, per_byte
