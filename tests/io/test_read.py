import gzip

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.io.read import ReadRawRecords


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
