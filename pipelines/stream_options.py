"""The streaming job's own flags; everything else goes to Beam's PipelineOptions (--streaming is added for you)."""
from __future__ import annotations

import argparse

from pipelines.core.records import DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_TEXT_CHARS
from pipelines.core.stream_state import CHUNK_RECORDS, SETTLE_SECONDS
from pipelines.core.stream_windows import parse_duration


def _duration(value: str) -> float:
    try:
        seconds = parse_duration(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"duration must be >= 0, got {value!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsflow stream",
        description="Streaming job: raw articles as they land, written per event-time window into the batch layout.",
    )
    src = p.add_argument_group("source (exactly one kind)")
    src.add_argument("--watch", "--input", dest="watch", action="append", default=[], metavar="PATTERN",
                     help="landing-folder pattern on any Beam filesystem, polled for new files; repeat for several "
                          "(--input is accepted too, so `news_pipeline --streaming --input ...` works)")
    src.add_argument("--once", action="store_true",
                     help="with --watch: read what matches now, write it and stop (backfill: same graph and ledger, "
                          "no too_late/too_old limits)")
    src.add_argument("--match_continuously", action="store_true",
                     help="with --watch: use fileio.MatchContinuously (checkpointed on Dataflow/Flink; no --stop_after)")
    src.add_argument("--input_topic", help="Pub/Sub topic projects/P/topics/T (Dataflow)")
    src.add_argument("--input_subscription", help="Pub/Sub subscription projects/P/subscriptions/S (Dataflow)")
    src.add_argument("--kafka_bootstrap", metavar="HOST:PORT[,...]", help="Kafka bootstrap servers")
    src.add_argument("--kafka_topic", action="append", default=[], help="Kafka topic; repeat for several")
    src.add_argument("--kafka_group", default="newsflow-stream", help="Kafka consumer group (default %(default)s)")
    src.add_argument("--kafka_expansion_service", default=None,
                     help="host:port of a running Java expansion service (default: Beam starts one, needs Java)")
    p.add_argument("--output", required=True, metavar="DIR", help="output root (local path or gs://...)")
    p.add_argument("--window", type=_duration, default=60.0, help="fixed event-time window, e.g. 60s, 5m (default 60s)")
    p.add_argument("--allowed_lateness", type=_duration, default=3600.0,
                   help="how far behind the watermark (landing time) a record may arrive and still be written "
                        "(default 1h); later ones are rejected as too_late")
    p.add_argument("--state_ttl", type=_duration, default=7 * 86400.0,
                   help="lifetime of dedup state per key, from the first copy's scraped_at (default 7d); records "
                        "scraped longer than this before landing are rejected as too_old")
    p.add_argument("--poll_interval", type=_duration, default=5.0, help="how often --watch lists the folder (5s)")
    p.add_argument("--settle_seconds", type=_duration, default=SETTLE_SECONDS, metavar="SECONDS",
                   help="an uncompressed .txt or .html landed file (one record, nothing in it shows its end) is read "
                        "once its size and mtime have been unchanged this long (default %(default)gs; 0: at once). "
                        "JSONL, .gz and WARC files show a cut themselves and are read at once")
    p.add_argument("--stop_after", type=_duration, default=None,
                   help="stop watching after this long, write what is pending and exit (default: run until killed)")
    p.add_argument("--write_shards", type=int, default=2, help="writers per window (default %(default)s)")
    p.add_argument("--read_chunk", type=int, default=CHUNK_RECORDS, metavar="RECORDS",
                   help="a landed file is read this many records at a time, a bundle each, so the window panes are "
                        "written between chunks and memory does not grow with the file (default %(default)s)")
    p.add_argument("--max_record_bytes", type=int, default=DEFAULT_MAX_RECORD_BYTES)
    p.add_argument("--max_text_chars", type=int, default=DEFAULT_MAX_TEXT_CHARS)
    p.add_argument("--cleaning_rules", default=None, help="cleaning rules YAML (default: the bundled one)")
    p.add_argument("--taxonomy", default=None, help="topic taxonomy YAML (default: the bundled one)")
    p.add_argument("--no_near_dup", action="store_true",
                   help="do not compute near-dup fingerprints for index/ (batch runs dedup against them)")
    p.add_argument("--near_dup_config", default=None, help="near-dup parameters YAML (default: the bundled one)")
    p.add_argument("--near_dup_groups", type=int, default=4,
                   help="state keys of streaming near-dup: LSH bands are split into this many groups (default "
                        "%(default)s); more spreads the work over workers, each group keeps its own copy of the shingles")
    return p


def parse_args(argv):
    """(job args, remaining Beam args). Exactly one source kind must be given."""
    parser = build_parser()
    args, beam_args = parser.parse_known_args(argv)
    kinds = [bool(args.watch), bool(args.input_topic or args.input_subscription), bool(args.kafka_bootstrap)]
    if sum(kinds) != 1:
        parser.error("give exactly one source: --watch, --input_topic/--input_subscription, or --kafka_bootstrap")
    if args.input_topic and args.input_subscription:
        parser.error("--input_topic and --input_subscription are exclusive")
    if args.kafka_bootstrap and not args.kafka_topic:
        parser.error("--kafka_bootstrap needs at least one --kafka_topic")
    if args.once and not args.watch:
        parser.error("--once only applies to --watch")
    if args.match_continuously and args.stop_after is not None:
        parser.error("--match_continuously cannot stop by itself: drop --stop_after")
    if args.read_chunk < 1:
        parser.error("--read_chunk must be at least 1")
    if args.window <= 0 or 86400 % args.window:
        parser.error("--window must divide a day (e.g. 30s, 60s, 5m, 1h)")
    return args, beam_args
