"""ReadRawRecords: file patterns in, one element per raw record (JSONL line, .txt or .html file, WARC response) out."""
from __future__ import annotations

import os
from typing import NamedTuple

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from pipelines.core.raw_files import count_kept, count_skip, iter_file, iter_warc
from pipelines.core.warc import warc_ranges

FILE_COUNTS = "file_counts"
# A .warc.gz (one gzip member per record) is read in byte ranges of about this size, cut at true member offsets:
# ranges are separate elements, so several workers share one large file.
WARC_RANGE_BYTES = 64 << 20


class ReadOutputs(NamedTuple):
    records: beam.PCollection
    file_counts: beam.PCollection


def read_ranges(path: str, size: int, range_bytes: int = WARC_RANGE_BYTES) -> list[tuple[str, int, int | None]]:
    """(path, start, stop) pieces of a file: byte ranges of a .warc.gz, else the whole file (stop None).
    A .warc.gz over range_bytes is walked once here to find its member offsets (warc.warc_ranges)."""
    if not path.lower().endswith(".warc.gz") or size <= range_bytes:
        return [(path, 0, None)]
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
        return [(path, start, stop) for start, stop in warc_ranges(stream, range_bytes)]


def expand_directories(patterns: list[str]) -> list[str]:
    """A directory given as a pattern stands for the files directly inside it ('<dir>/*'): a local directory, or
    any path ending in '/' (a folder on an object store). Subdirectories are not read, as with any glob."""
    expanded = []
    for pattern in patterns:
        if pattern.endswith("/") or ("://" not in pattern and os.path.isdir(pattern)):
            pattern = pattern.rstrip("/") + "/*"
        expanded.append(pattern)
    return expanded


def merge_counts(counts) -> tuple[int, tuple]:
    """One file's (records, skipped by reason) from its ranges' tallies."""
    total, skipped = 0, {}
    for count, reasons in counts:
        total += count
        for reason, n in reasons:
            skipped[reason] = skipped.get(reason, 0) + n
    return total, tuple(sorted(skipped.items()))


class _ReadFileFn(beam.DoFn):
    def __init__(self, max_record_bytes: int):
        self.max_record_bytes = max_record_bytes
        self.records_read = Metrics.counter("read", "records_read")

    def process(self, piece):
        path, start, stop = piece
        count, skipped = 0, {}
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
            raws = (iter_file(stream, path, self.max_record_bytes) if stop is None
                    else iter_warc(stream, path, self.max_record_bytes, start=start, stop=stop))
            for raw in raws:
                if count_skip(raw, skipped):
                    continue
                count_kept(raw, skipped)  # a record, tallied for the report (report.NOT_SKIPS)
                count += 1
                yield {"_raw": raw}
        self.records_read.inc(count)
        yield pvalue.TaggedOutput(FILE_COUNTS, (path, (count, tuple(sorted(skipped.items())))))


class ReadRawRecords(beam.PTransform):
    """Matches every pattern (any Beam filesystem; a directory reads the files directly inside it), reads
    .jsonl[.gz] line by line and .txt whole.
    .html/.htm files whole, and .warc[.gz] record by record (HTML 200 responses only; other WARC records are counted
    as skipped); a large .warc.gz in byte ranges spread over the workers. Outputs: main (records) and `file_counts`
    ((path, records, skipped by reason) per file)."""

    def __init__(self, patterns: list[str], max_record_bytes: int, range_bytes: int = WARC_RANGE_BYTES):
        super().__init__()
        self.patterns = sorted(set(expand_directories(patterns)))
        self.max_record_bytes = max_record_bytes
        self.range_bytes = range_bytes

    def expand(self, pbegin):
        read = (
            pbegin
            | "Patterns" >> beam.Create(self.patterns)
            | "MatchFiles" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
            | "Paths" >> beam.Map(lambda metadata: (metadata.path, metadata.size_in_bytes))
            | "DistinctFiles" >> beam.Distinct()
            | "Ranges" >> beam.FlatMapTuple(read_ranges, range_bytes=self.range_bytes)
            # Small (path, start, stop) elements: the read after this fusion break is what the workers share.
            | "SpreadRanges" >> beam.Reshuffle()
            | "ReadFiles" >> beam.ParDo(_ReadFileFn(self.max_record_bytes)).with_outputs(FILE_COUNTS, main="records")
        )
        counts = (
            read[FILE_COUNTS]
            | "CountsPerFile" >> beam.CombinePerKey(merge_counts)
            | "FileCounts" >> beam.MapTuple(lambda path, merged: (path, merged[0], list(merged[1])))
        )
        return ReadOutputs(read.records, counts)
