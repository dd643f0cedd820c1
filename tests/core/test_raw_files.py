import gzip
import io
import json
import random

import pytest

from pipelines.core.raw_files import count_kept, count_skip, iter_file, kind_of
from pipelines.core.records import REJECTED_RAW_CAP, RawInput


def test_kind_by_extension():
    assert [kind_of(p) for p in ["a.jsonl", "a.JSONL.GZ", "a.txt", "a.csv"]] == ["jsonl", "jsonl", "txt", "unsupported"]


def test_jsonl_lines_carry_their_position_and_blank_lines_are_not_records():
    data = b'{"a": 1}\n\n{"b": 2}\r\n   \n{"c": 3}'
    items = list(iter_file(io.BytesIO(data), "in/x.jsonl", 1000))
    assert [i.input_ref for i in items] == ["in/x.jsonl:1", "in/x.jsonl:3", "in/x.jsonl:5"]
    assert [i.raw for i in items] == [b'{"a": 1}', b'{"b": 2}', b'{"c": 3}']


def test_gzip_is_read_transparently():
    data = gzip.compress(b'{"a": 1}\n{"b": 2}\n')
    assert [i.raw for i in iter_file(io.BytesIO(data), "x.jsonl.gz", 1000)] == [b'{"a": 1}', b'{"b": 2}']


def test_oversized_line_is_yielded_with_its_true_size_and_the_next_line_survives():
    long_line = b'{"text": "' + b"x" * 5000 + b'"}'
    data = long_line + b"\n" + b'{"ok": 1}\n'
    items = list(iter_file(io.BytesIO(data), "x.jsonl", 100))
    assert items[0].size == len(long_line) + 1 and items[0].raw == long_line
    assert items[1].raw == b'{"ok": 1}' and items[1].input_ref == "x.jsonl:2"


def test_rejected_raw_is_capped():
    data = b"y" * (REJECTED_RAW_CAP + 10)
    (item,) = iter_file(io.BytesIO(data), "x.jsonl", 100)
    assert len(item.raw) == REJECTED_RAW_CAP and item.size == REJECTED_RAW_CAP + 10


def test_txt_is_one_record():
    (item,) = iter_file(io.BytesIO(b"Head\nbody\n"), "p/a.txt", 100)
    assert item.kind == "txt" and item.raw == b"Head\nbody\n" and item.input_ref == "p/a.txt"


def test_kind_of_html_and_warc():
    paths = ["p.html", "p.HTM", "p.html.gz", "CC-NEWS.warc.gz", "c.WARC", "c.warc.gz.tmp"]
    assert [kind_of(p) for p in paths] == ["html", "html", "html", "warc", "warc", "unsupported"]


def test_a_warc_gives_pages_counted_skips_and_an_unreadable_tail(tmp_path):
    """What both jobs' readers get from iter_file: a page as a JSONL-shaped record, other records as skip:<reason>,
    a cut record as bad:truncated_warc, each at '<path>@<offset>' (offsets unique and increasing), the marker's ref
    ending in '#cut'."""
    from tests.streaming.helpers import write_warc

    path = str(tmp_path / "crawl.warc.gz")
    expected = write_warc(path, "2026-11-24T06:30:00Z")
    with open(path, "rb") as f:
        items = list(iter_file(f, path, 1_000_000))
    kinds = [i.kind for i in items]
    assert kinds.count("jsonl") == len(expected["pages"]) and kinds[-1] == "bad:truncated_warc"
    skips = {}
    for kind in kinds:
        if kind.startswith("skip:"):
            skips[kind[5:]] = skips.get(kind[5:], 0) + 1
    assert skips == expected["skipped"]
    assert items[-1].input_ref.endswith("#cut") and not any(i.input_ref.endswith("#cut") for i in items[:-1])
    offsets = [int(i.input_ref.removesuffix("#cut").rsplit("@", 1)[1]) for i in items]
    assert all(i.input_ref.startswith(path + "@") for i in items) and offsets == sorted(set(offsets))


def _lines(n: int) -> bytes:
    return b"".join(b'{"url": "https://e.com/%d", "text": "%s"}\n' % (i, b"word " * (i % 7 + 1)) for i in range(n))


def test_a_cut_jsonl_gz_keeps_the_lines_before_the_cut_and_says_where_it_broke():
    data = gzip.compress(_lines(40))
    intact = list(iter_file(io.BytesIO(data), "in/feed.jsonl.gz", 1000))
    for cut in list(range(1, len(data), 5)) + [len(data) - 1, len(data) - 4]:
        items = list(iter_file(io.BytesIO(data[:cut]), "in/feed.jsonl.gz", 1000))
        *lines, marker = items
        assert lines == intact[: len(lines)], cut
        assert marker == RawInput(f"in/feed.jsonl.gz:{len(lines) + 1}#cut", "bad:corrupt_gzip", b"", 0), cut


def test_a_corrupt_jsonl_gz_ends_with_one_marker_after_the_lines_it_could_read():
    data = gzip.compress(_lines(40))
    intact = list(iter_file(io.BytesIO(data), "feed.jsonl.gz", 1000))
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x55  # in the deflate data
    crc = bytearray(data)
    crc[-6] ^= 0x01  # in the trailer's CRC: every line reads, the check fails at the end
    for bad in (bytes(flipped), bytes(crc), data + b"trailing junk"):
        *lines, marker = iter_file(io.BytesIO(bad), "feed.jsonl.gz", 1000)
        assert [i.input_ref for i in lines] == [i.input_ref for i in intact[: len(lines)]]
        assert marker.kind == "bad:corrupt_gzip" and marker.input_ref == f"feed.jsonl.gz:{len(lines) + 1}#cut"
    assert len(list(iter_file(io.BytesIO(bytes(crc)), "feed.jsonl.gz", 1000))) == len(intact) + 1


def test_an_oversized_line_cut_by_the_damage_is_where_the_jsonl_gz_broke():
    data = gzip.compress(b'{"a": 1}\n' + b'{"t": "' + b"x" * 5000)  # the second line never ends: the file is cut
    items = list(iter_file(io.BytesIO(data[:-4]), "f.jsonl.gz", 100))
    assert [(i.input_ref, i.kind) for i in items] == [("f.jsonl.gz:1", "jsonl"), ("f.jsonl.gz:2#cut", "bad:corrupt_gzip")]


@pytest.mark.parametrize("path", ["p/story.txt.gz", "p/page.html.gz"])
def test_a_damaged_whole_file_gz_is_one_corrupt_gzip_record(path):
    data = gzip.compress(b"<html><body><p>Headline</p><p>" + b"body text " * 500 + b"</p></body></html>")
    (intact,) = iter_file(io.BytesIO(data), path, 1_000_000)
    assert intact.input_ref == path and intact.kind == kind_of(path)
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x55
    for bad in (data[: len(data) // 2], data[:-3], bytes(flipped), data + b"junk", b"not gzip at all"):
        assert list(iter_file(io.BytesIO(bad), path, 1_000_000)) == [RawInput(path + "#cut", "bad:corrupt_gzip", b"", 0)]


@pytest.mark.parametrize("path", ["r.jsonl.gz", "r.txt.gz", "r.html.gz"])
def test_random_damage_to_a_gz_never_raises_and_refs_stay_unique(path):
    rng = random.Random(7)
    data = gzip.compress(_lines(60))
    for _ in range(150):
        bad = bytearray(data)
        if rng.random() < 0.5:
            bad = bad[: rng.randrange(len(bad))]
        else:
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(bad))
                bad[i] ^= 1 << rng.randrange(8)
        items = list(iter_file(io.BytesIO(bytes(bad)), path, 1_000_000))
        refs = [i.input_ref for i in items]
        assert len(set(refs)) == len(refs)
        assert all(i.kind == "bad:corrupt_gzip" for i in items if i.input_ref.endswith("#cut"))
        assert sum(i.kind == "bad:corrupt_gzip" for i in items) <= 1


def test_count_skip_counts_warc_records_that_are_not_pages_by_reason():
    skipped = {}
    units = [RawInput("f@0", "skip:not_response", b"", 0), RawInput("f@5", "jsonl", b"{}", 2),
             RawInput("f@9", "skip:not_response", b"", 0), RawInput("f@12", "bad:truncated_warc", b"", 0)]
    assert [count_skip(u, skipped) for u in units] == [True, False, True, False]
    assert skipped == {"not_response": 2}


def test_warc_rejections_keep_their_detail_and_damage_does_not_end_the_file():
    from tests.core.test_warc import page_record

    data = page_record(0) + b"junk between records\r\n" + page_record(1)
    out = list(iter_file(io.BytesIO(data), "d.warc", 1_000_000))
    assert [r.kind for r in out] == ["jsonl", "bad:warc_damaged", "jsonl"]
    assert "skipped" in out[1].detail and out[1].input_ref == f"d.warc@{len(page_record(0)) - 4}"


def test_a_page_kept_from_a_truncated_payload_is_a_record_counted_apart():
    """Review rv4 M3: a WARC-Truncated page that holds an article is a record (read, in the sum) and is tallied
    under truncated_payload_kept for the report; one without an article is a truncated_payload rejection."""
    from tests.core.test_warc import http_block, page_record, warc_record

    head_only = b"<html><head><title>t</title><style>" + b"a{color:red}" * 1000
    data = (page_record(0, extra=["WARC-Truncated: length"])
            + warc_record(http_block(head_only), url="https://x/head", extra=["WARC-Truncated: length"]))
    out = list(iter_file(io.BytesIO(data), "t.warc", 1_000_000))
    assert [r.kind for r in out] == ["jsonl", "bad:truncated_payload"]
    skipped = {}
    assert [count_skip(r, skipped) for r in out] == [False, False]
    for r in out:
        count_kept(r, skipped)
    assert skipped == {"truncated_payload_kept": 1}
    assert out[0].truncated_kept and not out[1].truncated_kept
    assert "WARC-Truncated: length" in out[0].detail and "no article" in out[1].detail


def test_a_kept_truncated_page_is_told_by_its_flag_never_by_the_text_of_its_detail():
    from pipelines.core.records import RawInput

    tallies = {}
    count_kept(RawInput("a.jsonl:1", "jsonl", b"{}", 2, detail="truncated_payload_kept: a scraper's note"), tallies)
    assert tallies == {}
    count_kept(RawInput("a.warc@0", "jsonl", b"{}", 2, detail="", truncated_kept=True), tallies)
    assert tallies == {"truncated_payload_kept": 1}


def test_a_warc_record_that_cannot_be_written_as_utf8_is_rejected_and_the_file_reads_on(monkeypatch):
    import pipelines.core.warc as warc
    from pipelines.core.raw_files import iter_warc

    def records(*args, **kwargs):  # a lone surrogate that got past the decoder
        yield "w.warc@0", {"url": "https://news.example/a", "html": "<p>ok</p>"}, None
        yield "w.warc@10", {"url": "https://news.example/b", "html": "<p>\ud83d</p>"}, None
        yield "w.warc@20", {"url": "https://news.example/c", "html": "<p>ok</p>"}, None

    monkeypatch.setattr(warc, "iter_warc_records", records)
    out = list(iter_warc(io.BytesIO(b""), "w.warc", 1 << 20))
    assert [(item.input_ref, item.kind) for item in out] == [
        ("w.warc@0", "jsonl"), ("w.warc@10", "bad:unreadable_payload"), ("w.warc@20", "jsonl")]
    assert out[1].detail.startswith("UnicodeEncodeError writing the record at w.warc@10")


def test_a_warc_page_with_a_file_url_is_kept_under_that_url_and_a_jsonl_one_is_still_rejected():
    """wget --warc-file or a browser archiver storing a local page writes WARC-Target-URI file:///...: that URI is
    the page's identity in the archive, so the page is read and keeps it (batch and streaming share this reader
    and parse). The raw-record schema's http(s) rule is the scrapers' JSONL contract and stays theirs; a URL that
    is neither http(s) nor file in a WARC is still rejected schema:url."""
    from datetime import date

    from pipelines.core.records import Rejected, parse_raw
    from tests.core.test_warc import PAGE, resource_record

    data = (resource_record(PAGE.encode(), "text/html", url="file:///home/ana/site/gare.html")
            + resource_record(PAGE.encode(), "text/html", url="FILE://nas/share/news/tram.html")
            + resource_record(PAGE.encode(), "text/html", url="ftp://mirror.example/gare.html"))
    out = list(iter_file(io.BytesIO(data), "local.warc", 1_000_000))
    parsed = []
    for raw in out:
        try:
            parsed.append(parse_raw(raw, date(2026, 11, 24))["url"])
        except Rejected as exc:
            parsed.append(exc.reason)
    assert parsed == ["file:///home/ana/site/gare.html", "FILE://nas/share/news/tram.html", "schema:url"]
    line = json.dumps({"url": "file:///home/ana/site/gare.html", "scraped_at": "2026-11-24T08:00:00Z",
                       "html": PAGE}).encode()
    with pytest.raises(Rejected) as exc:
        parse_raw(RawInput("feed.jsonl:1", "jsonl", line, len(line)), date(2026, 11, 24))
    assert exc.value.reason == "schema:url"
