import gzip

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.io.read import ReadRawRecords, read_ranges


def test_reads_every_format_once_even_when_patterns_overlap(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(b'{"n": 1}\n{"n": 2}\n')
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(b'{"n": 3}\n'))
    (tmp_path / "c.txt").write_bytes(b"Headline\nBody\n")
    (tmp_path / "d.csv").write_bytes(b"x,y\n")
    patterns = [str(tmp_path / "*"), str(tmp_path / "*.jsonl")]  # a.jsonl matches twice
    with TestPipeline() as p:
        read = p | ReadRawRecords(patterns, max_record_bytes=1000)
        assert_that(read.records | beam.Map(lambda r: (r["_raw"].kind, r["_raw"].raw)), equal_to([
            ("jsonl", b'{"n": 1}'), ("jsonl", b'{"n": 2}'), ("jsonl", b'{"n": 3}'),
            ("txt", b"Headline\nBody\n"), ("unsupported", b"x,y\n"),
        ]), label="records")
        assert_that(read.file_counts | beam.Map(lambda c: (c[0].rsplit("/", 1)[1], c[1])),
                    equal_to([("a.jsonl", 2), ("b.jsonl.gz", 1), ("c.txt", 1), ("d.csv", 1)]), label="counts")


def test_a_warc_gz_read_in_byte_ranges_gives_the_whole_files_records_and_one_count(tmp_path):
    from pipelines.core.raw_files import iter_file
    from tests.core.test_warc import MIXED, build_warc, html_response, noisy_page

    data = build_warc(MIXED + [html_response(f"https://news.example/{i}", body=noisy_page(i, 300)) for i in range(8)])
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    with open(path, "rb") as f:
        whole = list(iter_file(f, str(path), 100_000))
    pages = [(r.input_ref, r.raw) for r in whole if not r.kind.startswith("skip:")]
    skipped = sorted({r.kind[5:]: sum(1 for w in whole if w.kind == r.kind) for r in whole
                      if r.kind.startswith("skip:")}.items())
    assert len(read_ranges(str(path), len(data), len(data) // 5)) > 4
    with TestPipeline() as p:
        read = p | ReadRawRecords([str(path)], max_record_bytes=100_000, range_bytes=len(data) // 5)
        assert_that(read.records | beam.Map(lambda r: (r["_raw"].input_ref, r["_raw"].raw)), equal_to(pages),
                    label="records")
        assert_that(read.file_counts, equal_to([(str(path), len(pages), skipped)]), label="counts")


def _whole_read(path):
    """The whole-file read's (input_ref, raw) rows and skip counts, as ReadRawRecords reports them."""
    from pipelines.core.raw_files import iter_file

    with open(path, "rb") as f:
        whole = list(iter_file(f, str(path), 10_000_000))
    rows = [(r.input_ref, r.kind, r.raw) for r in whole if not r.kind.startswith("skip:")]
    skipped = {}
    for r in whole:
        if r.kind.startswith("skip:"):
            skipped[r.kind[5:]] = skipped.get(r.kind[5:], 0) + 1
    return rows, sorted(skipped.items())


def test_an_archived_warc_in_a_payload_read_in_many_tiny_ranges_gives_the_whole_reads_rows_and_counts(tmp_path):
    from tests.core.test_warc import archived_warc

    data = archived_warc()
    path = tmp_path / "outer.warc.gz"
    path.write_bytes(data)
    rows, skipped = _whole_read(path)
    assert len(read_ranges(str(path), len(data), 300)) > 10
    with TestPipeline() as p:
        read = p | ReadRawRecords([str(path)], max_record_bytes=10_000_000, range_bytes=300)
        assert_that(read.records | beam.Map(lambda r: (r["_raw"].input_ref, r["_raw"].kind, r["_raw"].raw)),
                    equal_to(rows), label="records")
        assert_that(read.file_counts, equal_to([(str(path), len(rows), skipped)]), label="counts")


def test_a_single_stream_or_damaged_warc_gz_is_one_range(tmp_path):
    from tests.core.test_warc import build_warc, html_response, noisy_page

    plain = build_warc([html_response(f"https://news.example/{i}", body=noisy_page(i, 300)) for i in range(6)], False)
    chunked = build_warc([html_response(f"https://news.example/{i}", body=noisy_page(i, 300)) for i in range(6)])
    cases = {"single.warc.gz": gzip.compress(plain), "cut.warc.gz": chunked[:-700],
             "garbage.warc.gz": chunked + b"not gzip"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert read_ranges(str(tmp_path / name), len(data), 500) == [(str(tmp_path / name), 0, None)], name
    (tmp_path / "ok.warc.gz").write_bytes(chunked)
    assert len(read_ranges(str(tmp_path / "ok.warc.gz"), len(chunked), 500)) > 1


def test_a_directory_reads_the_files_inside_it(tmp_path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.htm").write_bytes(b"<html><body><p>a</p></body></html>")
    (folder / "b.html").write_bytes(b"<html><body><p>b</p></body></html>")
    (folder / "sub" / "c.html").write_bytes(b"<html><body><p>c</p></body></html>")  # not read: one level only
    with TestPipeline() as p:
        read = p | ReadRawRecords([str(folder)], max_record_bytes=1000)
        assert_that(read.records | beam.Map(lambda r: (r["_raw"].kind, r["_raw"].input_ref.rsplit("/", 1)[1])),
                    equal_to([("html", "a.htm"), ("html", "b.html")]))
