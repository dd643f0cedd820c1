"""Unbounded raw-record sources for the streaming job: a watched landing folder (any Beam filesystem),
Pub/Sub or Kafka. Each yields {"_raw": RawInput} elements stamped with their landing time, like ReadRawRecords.

The folder watcher also emits ledger messages (file, ("expect", n, size)) / (file, ("written", k)) on the `ledger`
output so that a file is marked done only once every record of it is written (see pipelines.core.stream_state).
WARC records that are not pages are not records to write: they are counted per file and reason in a skip report
(pipelines.core.stream_report), as the batch job counts them, and n leaves them out.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Tuple

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.coders import VarIntCoder
from apache_beam.metrics import Metrics
from apache_beam.transforms.periodicsequence import PeriodicImpulse
from apache_beam.transforms.userstate import BagStateSpec
from apache_beam.utils.timestamp import MAX_TIMESTAMP, MIN_TIMESTAMP, Timestamp

from pipelines.core import stream_report, stream_state
from pipelines.core.raw_files import iter_file, iter_jsonl
from pipelines.core.stream_windows import window_dt

LEDGER = "ledger"


class _ReadNewFileFn(beam.DoFn):
    """Reads a matched file unless the ledger says it was fully written; records of a file that a previous run
    had started are skipped when they were already written, and counted so the file can still be completed.
    WARC records that are not pages are counted by reason and written to the file's skip report before its
    ledger count goes out, so a file marked done has its skips reported."""

    def __init__(self, output: str, max_record_bytes: int):
        self.output, self.max_record_bytes = output, max_record_bytes
        self.skipped_files = Metrics.counter("stream_read", "files_already_done")
        self.records_read = Metrics.counter("stream_read", "records_read")
        self.records_skipped = Metrics.counter("stream_read", "warc_records_skipped")

    def setup(self):
        self.done, seen = stream_state.load_ledger(self.output)
        done_paths = {path for path, _ in self.done}
        self.partial = seen - done_paths
        self.written = stream_state.written_refs(self.output, self.partial)
        self.regrown = done_paths  # done at another size: its old records are looked up on demand
        self.reported = set()  # paths this worker wrote a skip report for (a WARC that grows while watched)

    def process(self, metadata, timestamp=beam.DoFn.TimestampParam):
        path, size = metadata.path, metadata.size_in_bytes
        if (path, size) in self.done:
            self.skipped_files.inc()
            return
        written = self.written
        read_before = path in self.regrown or path in self.partial or path in self.reported
        if path in self.regrown:
            written = stream_state.written_refs(self.output, {path})
        stream_state.mark(self.output, stream_state.SEEN, path, size)
        total = already = 0
        skipped = Counter()
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
            for raw in iter_file(stream, path, self.max_record_bytes):
                if raw.kind.startswith("skip:"):
                    skipped[raw.kind[5:]] += 1
                    continue
                total += 1
                if raw.input_ref in written:
                    already += 1
                else:
                    yield {"_raw": raw}
        self.records_read.inc(total - already)
        if skipped or read_before:
            # the whole file was read, so this report replaces any earlier one of the path (a restart, a regrown file)
            landed = float(timestamp) if timestamp > MIN_TIMESTAMP else 0.0  # dated as the file's rejections are
            stream_report.write_skip_report(self.output, window_dt(landed), path, skipped, read_before)
            self.reported.add(path)
            self.records_skipped.inc(sum(skipped.values()))
        yield pvalue.TaggedOutput(LEDGER, (path, ("expect", total, size)))
        if already:
            yield pvalue.TaggedOutput(LEDGER, (path, ("written", already)))


class _NewFilesFn(beam.DoFn):
    """Keyed by path: passes a file on the first poll that sees it (and again if its size changes)."""

    SIZES = BagStateSpec("sizes", VarIntCoder())

    def process(self, kv, sizes=beam.DoFn.StateParam(SIZES)):
        _, metadata = kv
        if metadata.size_in_bytes not in set(sizes.read()):
            sizes.add(metadata.size_in_bytes)
            yield metadata


def _match(_, patterns):
    for result in FileSystems.match(list(patterns)):
        for metadata in result.metadata_list:
            yield metadata.path, metadata


class WatchFiles(beam.PTransform):
    """Lists the patterns every `interval` seconds and reads each new file once. `stop_after` (seconds) ends the
    watch, after which the job writes what is pending and exits; None watches until the job is killed.
    Outputs: main (records) and `ledger`.

    This is fileio.MatchContinuously's polling done with PeriodicImpulse + a per-path state, because on the
    DirectRunner MatchContinuously ends at once when given a stop_timestamp."""

    def __init__(self, patterns: list[str], output: str, max_record_bytes: int, interval: float = 5.0,
                 stop_after: float | None = None, match_continuously: bool = False):
        super().__init__()
        self.patterns, self.output = sorted(set(patterns)), output
        self.max_record_bytes, self.interval, self.stop_after = max_record_bytes, interval, stop_after
        self.match_continuously = match_continuously

    def expand(self, pbegin):
        if self.match_continuously:
            files = watch_continuously(pbegin, self.patterns, self.interval)
        else:
            start = Timestamp.now()
            stop = start + self.stop_after if self.stop_after is not None else MAX_TIMESTAMP
            files = (
                pbegin
                | "Poll" >> PeriodicImpulse(start_timestamp=start, stop_timestamp=stop, fire_interval=self.interval)
                | "MatchPatterns" >> beam.FlatMap(_match, self.patterns)
                | "NewFiles" >> beam.ParDo(_NewFilesFn()).with_input_types(Tuple[str, Any])
            )
        return (
            files
            | "ReadNewFiles" >> beam.ParDo(_ReadNewFileFn(self.output, self.max_record_bytes))
            .with_output_types(Any).with_outputs(LEDGER, main="records")
        )


def watch_continuously(pbegin, patterns: list[str], interval: float):
    """fileio.MatchContinuously on each pattern (unbounded, no stop): the stock transform, for runners that
    checkpoint its dedup state (Dataflow, Flink)."""
    matches = [pbegin | f"Watch{i}" >> fileio.MatchContinuously(p, interval=interval) for i, p in enumerate(patterns)]
    return matches[0] if len(matches) == 1 else tuple(matches) | "AllMatches" >> beam.Flatten()


class ReadFileList(beam.PTransform):
    """The bounded twin of WatchFiles: reads what the patterns match now (for backfills and tests), with the same
    ledger, and stamps records with the run's start time as their landing time."""

    def __init__(self, patterns: list[str], output: str, max_record_bytes: int):
        super().__init__()
        self.patterns, self.output, self.max_record_bytes = sorted(set(patterns)), output, max_record_bytes

    def expand(self, pbegin):
        now = float(Timestamp.now())
        return (
            pbegin
            | "Patterns" >> beam.Create(self.patterns)
            | "MatchFiles" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
            | "LandingTime" >> beam.Map(lambda m: beam.window.TimestampedValue(m, now))
            | "ReadNewFiles" >> beam.ParDo(
                _ReadNewFileFn(self.output, self.max_record_bytes)).with_output_types(Any).with_outputs(LEDGER, main="records")
        )


def _message_records(ref_prefix: str, data: bytes, max_record_bytes: int):
    """A message holds one JSONL record or several lines of them."""
    import io

    for raw in iter_jsonl(io.BytesIO(data), ref_prefix, max_record_bytes):
        yield {"_raw": raw}


def _pubsub_records(message, max_record_bytes: int):
    message_id = getattr(message, "message_id", None) or hashlib.sha1(message.data).hexdigest()[:20]
    yield from _message_records(f"pubsub:{message_id}", message.data, max_record_bytes)


def _kafka_records(row, max_record_bytes: int):
    ref = f"kafka:{row.topic}:{row.partition}:{row.offset}"
    yield from _message_records(ref, bytes(row.value), max_record_bytes)


class ReadPubSub(beam.PTransform):
    """Raw records from a Pub/Sub topic or subscription (Dataflow); one message = one or more JSONL lines.
    Pub/Sub redelivers until acked, so restarts are covered by the broker, not by the file ledger."""

    def __init__(self, max_record_bytes: int, topic: str | None = None, subscription: str | None = None):
        super().__init__()
        self.max_record_bytes, self.topic, self.subscription = max_record_bytes, topic, subscription

    def expand(self, pbegin):
        from apache_beam.io.gcp.pubsub import ReadFromPubSub

        return (
            pbegin
            | "ReadFromPubSub" >> ReadFromPubSub(topic=self.topic, subscription=self.subscription,
                                                 with_attributes=True)
            | "MessageRecords" >> beam.FlatMap(_pubsub_records, self.max_record_bytes)
        )


class ReadKafka(beam.PTransform):
    """Raw records from Kafka topics (cross-language: needs Java or an --kafka_expansion_service on Flink/Dataflow).
    Offsets are committed when bundles finalize, so a restarted job resumes after the last written bundle."""

    def __init__(self, max_record_bytes: int, bootstrap: str, topics: list[str], group_id: str = "newsflow-stream",
                 expansion_service: str | None = None):
        super().__init__()
        self.max_record_bytes, self.bootstrap, self.topics = max_record_bytes, bootstrap, list(topics)
        self.group_id, self.expansion_service = group_id, expansion_service

    def kafka_read(self):
        from apache_beam.io.kafka import ReadFromKafka

        return ReadFromKafka(
            consumer_config={"bootstrap.servers": self.bootstrap, "group.id": self.group_id,
                             "auto.offset.reset": "earliest"},
            topics=self.topics, with_metadata=True, commit_offset_in_finalize=True,
            expansion_service=self.expansion_service,
        )

    def expand(self, pbegin):
        return (
            pbegin
            | "ReadFromKafka" >> self.kafka_read()
            | "MessageRecords" >> beam.FlatMap(_kafka_records, self.max_record_bytes)
        )
