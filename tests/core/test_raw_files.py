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
