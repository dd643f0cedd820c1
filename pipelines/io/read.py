"""ReadRawRecords: file patterns in, one element per raw record (JSONL line, .txt or .html file, WARC response) out."""
from __future__ import annotations

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from pipelines.core.raw_files import iter_file

FILE_COUNTS = "file_counts"


class _ReadFileFn(beam.DoFn):
    def __init__(self, max_record_bytes: int):
        self.max_record_bytes = max_record_bytes
        self.records_read = Metrics.counter("read", "records_read")

    def process(self, path):
        count, skipped = 0, {}
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
            for raw in iter_file(stream, path, self.max_record_bytes):
                if raw.kind.startswith("skip:"):
                    reason = raw.kind[5:]
                    skipped[reason] = skipped.get(reason, 0) + 1
                    continue
                count += 1
                yield {"_raw": raw}
        self.records_read.inc(count)
        yield pvalue.TaggedOutput(FILE_COUNTS, (path, count, sorted(skipped.items())))


class ReadRawRecords(beam.PTransform):
    """Matches every pattern (any Beam filesystem), reads .jsonl[.gz] line by line and .txt whole.
    .html/.htm files whole, and .warc[.gz] record by record (HTML 200 responses only; other WARC records are counted
    as skipped). Outputs: main (records) and `file_counts` ((path, records, skipped by reason) per file)."""

    def __init__(self, patterns: list[str], max_record_bytes: int):
        super().__init__()
        self.patterns = sorted(set(patterns))
        self.max_record_bytes = max_record_bytes

    def expand(self, pbegin):
        return (
            pbegin
            | "Patterns" >> beam.Create(self.patterns)
            | "MatchFiles" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
            | "Paths" >> beam.Map(lambda metadata: metadata.path)
            | "DistinctFiles" >> beam.Distinct()
            | "ReadFiles" >> beam.ParDo(_ReadFileFn(self.max_record_bytes)).with_outputs(FILE_COUNTS, main="records")
        )
