"""The streaming job: raw records as they land -> parse -> event time + lateness check -> clean -> tag ->
stateful dedup (exact, then near-duplicates by LSH band) -> per-window Parquet and pane reports, in the batch
job's layout and schemas.

newsflow stream --watch PATTERN --output DIR [--window 60s] [beam options]
python -m pipelines.streaming --watch PATTERN --output DIR ...   (or news_pipeline --streaming ...)

Event time is scraped_at; the watermark follows landing time (file poll time, Pub/Sub publish time, Kafka
log-append time). See docs/streaming.md for the window, trigger, lateness and restart policy.
"""
from __future__ import annotations

import dataclasses
import logging
import sys
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipelines.core import near_dup as nd
from pipelines.core import stream_tally
from pipelines.core.records import RawInput
from pipelines.core.stream_state import file_of_ref
from pipelines.core.stream_stop import StopSignals
from pipelines.core.stream_windows import epoch_seconds, is_too_late, is_too_old
from pipelines.io.stream_sources import LEDGER, ReadFileList, ReadKafka, ReadPubSub, WatchFiles
from pipelines.io.windowed_writer import TrackFiles, WriteStreamRejected, WriteWindowedParquet
from pipelines.stages.clean import CleanArticles
from pipelines.stages.common import REJECTED, rejection
from pipelines.stages.parse import ParseFn
from pipelines.stages.stream_dedup import WRITTEN, StreamDedup
from pipelines.stages.stream_near_dup import StreamNearDup
from pipelines.stages.tag import TagTopics
from pipelines.stream_options import parse_args
from schemas.articles import ARTICLES

log = logging.getLogger("newsflow.stream")


class _StreamParseFn(ParseFn):
    """The batch job's parse step; a .txt or .html file's scrape time is its landing time (there is no run date,
    and the landing date's midnight would make every such file too_late)."""

    def __init__(self, max_record_bytes: int, max_text_chars: int):
        super().__init__(None, max_record_bytes, max_text_chars)

    def process(self, element, timestamp=beam.DoFn.TimestampParam):
        self.scraped = datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
        yield from super().process(element)


@dataclasses.dataclass(frozen=True)
class _LandedRaw(RawInput):
    """The raw input plus its landing time: the clean stage rebuilds the record but carries `_raw` through, and
    near-dup dedup needs the landing time to let the first copy to land win."""

    landed: float = 0.0


class _EventTimeFn(beam.DoFn):
    """Re-stamps a record with its scraped_at (its landing time is the element's timestamp until here).
    Rejected, before dedup sees them: too_late (landed more than allowed_lateness after its window ended) and
    too_old (scraped longer than state_ttl before it landed)."""

    def __init__(self, window: float, lateness: float, state_ttl: float):
        self.window, self.lateness, self.state_ttl = window, lateness, state_ttl
        self.counters = {r: Metrics.counter("stream_window", r) for r in ("too_late", "too_old")}

    def process(self, record, timestamp=beam.DoFn.TimestampParam):
        event, landed = epoch_seconds(record["scraped_at"]), float(timestamp)
        reason = detail = None
        if is_too_old(event, landed, self.state_ttl):
            reason, detail = "too_old", f"scraped_at {record['scraped_at']} is more than {self.state_ttl:g}s before it landed"
        elif is_too_late(event, landed, self.window, self.lateness):
            reason = "too_late"
            detail = f"scraped_at {record['scraped_at']}: landed more than {self.lateness:g}s after its window ended"
        if reason:
            self.counters[reason].inc()
            yield pvalue.TaggedOutput(REJECTED, rejection("window", reason, detail, record["_raw"]))
            return
        raw = record["_raw"]
        record["_raw"] = _LandedRaw(raw.input_ref, raw.kind, raw.raw, raw.size, landed)
        yield beam.window.TimestampedValue(record, event)

    def get_allowed_timestamp_skew(self):
        return 10 ** 9  # records are stamped back to their scrape time, before the landing time


def to_row(article: dict) -> dict:
    """An output row plus `_file` (for the ledger); raw bytes stop here, they are only needed by rejections."""
    row = {k: article.get(k) for k in ARTICLES.names}
    row["_file"] = file_of_ref(article["input_ref"])
    row["_landed"] = getattr(article.get("_raw"), "landed", None)
    return row


def near_dup_config(args):
    if args.no_near_dup:
        return None
    return nd.load_config(args.near_dup_config) if args.near_dup_config else nd.load_config()


def run_versions(args, cfg) -> dict:
    """The versions stamped on every pane report, as in the batch report."""
    from pipelines.news_pipeline import versions

    return versions(args, cfg)


def source_transform(args):
    """The raw-record source the options select."""
    if args.watch and args.once:
        return ReadFileList(args.watch, args.output, args.max_record_bytes, args.read_chunk, args.settle_seconds)
    if args.watch:
        return WatchFiles(args.watch, args.output, args.max_record_bytes, args.poll_interval, args.stop_after,
                          args.match_continuously, args.read_chunk, args.settle_seconds)
    if args.input_topic or args.input_subscription:
        return ReadPubSub(args.max_record_bytes, topic=args.input_topic, subscription=args.input_subscription)
    return ReadKafka(args.max_record_bytes, args.kafka_bootstrap, args.kafka_topic, args.kafka_group,
                     args.kafka_expansion_service)


def build(p: beam.Pipeline, args, source=None):
    """Applies the streaming graph. `source` (a PTransform from PBegin) replaces the one the options select;
    tests pass a TestStream. A source with a `ledger` output (the folder watcher) gets per-file tracking."""
    source = source if source is not None else source_transform(args)
    cfg = near_dup_config(args)
    lookback_days = max(1, int(args.state_ttl // 86400))
    read = p | "ReadStream" >> source
    records = read.records if hasattr(read, "records") else read
    parsed = records | "Parse" >> beam.ParDo(
        _StreamParseFn(args.max_record_bytes, args.max_text_chars)).with_outputs(REJECTED, main="records")
    # A --once backfill is late by nature: it writes what it reads, whatever its age.
    lateness, too_old = (float("inf"), float("inf")) if args.once else (args.allowed_lateness, args.state_ttl)
    stamped = parsed.records | "EventTime" >> beam.ParDo(
        _EventTimeFn(args.window, lateness, too_old)).with_outputs(REJECTED, main="records")
    cleaned = stamped.records | "CleanArticles" >> CleanArticles(args.cleaning_rules)
    tagged = cleaned.articles | "TagTopics" >> TagTopics(args.taxonomy)
    rows = tagged.articles | "ToRows" >> beam.Map(to_row)
    deduped = rows | "StreamDedup" >> StreamDedup(args.state_ttl, args.output, lookback_days)
    judged = deduped["rows"]
    if cfg is not None:
        judged = judged | "StreamNearDup" >> StreamNearDup(
            cfg, args.state_ttl, args.output, lookback_days, args.near_dup_groups)
    versions = run_versions(args, cfg)
    written = judged | "WriteWindowedParquet" >> WriteWindowedParquet(
        args.output, args.window, args.write_shards, cfg, versions)
    # One writer per rejecting step, fused into that step: on the DirectRunner (FnApiRunner) a Flatten of the
    # four outputs was a buffer held until the read ended, with every rejected record's raw bytes.
    rejected_written = {
        f"Rejected{label}": rejected | f"WriteRejected{label}" >> WriteStreamRejected(args.output, versions)
        for label, rejected in (("Parse", parsed[REJECTED]), ("EventTime", stamped[REJECTED]),
                                ("Clean", cleaned[REJECTED]), ("Tag", tagged[REJECTED]))
    }
    if hasattr(read, LEDGER):
        # each step's messages are counted where they are sent, with no Flatten between them: see TrackFiles
        messages = {"Read": read[LEDGER], "Dedup": deduped[WRITTEN], "Panes": written, **rejected_written}
        messages | "TrackFiles" >> TrackFiles(args.output)
    return deduped


def pipeline_options(args, beam_args) -> PipelineOptions:
    options = PipelineOptions(beam_args)
    if not args.once:
        options.view_as(StandardOptions).streaming = True
    return options


def main(argv=None) -> int:
    logging.basicConfig(level=logging.WARNING)
    argv = list(sys.argv[1:] if argv is None else argv)
    args, beam_args = parse_args(argv)
    options = pipeline_options(args, beam_args)
    if args.watch:
        stream_tally.clear(args.output)  # earlier runs' counts: this run counts afresh from its own reads
    # Ctrl-C and SIGTERM stop the job alike, at once; output and ledger are whole at any instant (each file is
    # moved into place), so a file not marked done is simply read again on restart. See docs/streaming.md.
    with StopSignals() as stop:
        try:
            with beam.Pipeline(options=options) as p:
                build(p, args)
        except BaseException as e:  # noqa: BLE001 - only a stop is taken here, anything else is raised again
            if not interrupted(e):
                raise
            code = stop.take()
            log.warning("stopped (%s); files not marked done in %s/_stream/ are picked up again on restart",
                        stop.describe(), args.output)
            # by a signal, the process ends here: a bundle cut short can leave a runner thread that its exit would
            # wait for (stream_stop)
            return stop.end(code)
    return 0


def interrupted(error: BaseException) -> bool:
    """Is this a stop (Ctrl-C or SIGTERM, both raised as KeyboardInterrupt)? One that lands inside a DoFn comes back
    from Beam as a RuntimeError ("KeyboardInterrupt [while running 'Step']") raised while handling it."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


if __name__ == "__main__":
    # Run as `python -m pipelines.streaming`, this file is `__main__`: a record of a class defined here (_LandedRaw)
    # would be pickled as `__main__._LandedRaw`, which a --direct_running_mode=multi_processing worker (another
    # process, with another __main__) cannot look up. Run the importable module's main, whose classes pickle by name.
    from pipelines import streaming

    sys.exit(streaming.main())
