import gzip
import io

from pipelines.core.raw_files import iter_file, kind_of
from pipelines.core.records import REJECTED_RAW_CAP


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
