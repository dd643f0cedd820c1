"""Event-time windows for the streaming job, written into the batch layout (articles/dt=/topic=, duplicates/dt=,
index/dt=, rejected/dt=) with the batch schemas.

Policy (the equivalent of WindowInto(FixedWindows(w), trigger=AfterWatermark(late=AfterCount(1)),
accumulation_mode=DISCARDING, allowed_lateness=L)), done with per-key state and timers so that nothing is
dropped silently: records that landed more than L after their window ended were already rejected as too_late
(pipelines.streaming); WriteWindowedParquet buffers each (window, shard) and writes it when the watermark passes
the window end (the on-time pane); a late record re-arms the timer and is written in a small extra pane. Panes
discard what they wrote, so each record is written exactly once. Each pane writes one report,
reports/dt=/window=/part-*.json, and each rejected file one under reports/dt=/rejected/; their sum can be checked.
"""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict

from typing import Any, Tuple

import apache_beam as beam
import pyarrow as pa
from apache_beam.coders import PickleCoder
from apache_beam.metrics import Metrics
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import (
    BagStateSpec, ReadModifyWriteStateSpec, TimerSpec, on_timer,
)
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import MIN_TIMESTAMP, Timestamp
from apache_beam.utils.windowed_value import WindowedValue

from pipelines import PIPELINE_VERSION
from pipelines.core import near_dup as nd
from pipelines.core import stream_report, stream_state, stream_stop, stream_tally
from pipelines.core.records import CUT_MARK
from pipelines.core.stream_state import write_parquet
from pipelines.core.stream_windows import epoch_seconds, window_dt, window_start
from pipelines.stages.stream_dedup import cheap_state_sizing
from pipelines.core.tables import articles_table, duplicates_table, rejected_table, split_by_topic
from pipelines.io.parquet_writer import BATCH_ROWS, REJECTED_BATCH_BYTES
from schemas.articles import ARTICLES, INDEX

WRITTEN = "written"


class _WindowPaneFn(beam.DoFn):
    """Keyed by (window start, shard): buffers rows, writes a pane when the watermark passes the window end, then
    that pane's report."""

    ROWS = BagStateSpec("rows", PickleCoder())
    FLUSH = TimerSpec("flush", TimeDomain.WATERMARK)

    def __init__(self, output: str, window: float, cfg: nd.NearDupConfig | None, versions: dict):
        self.output, self.window, self.cfg, self.versions = output, window, cfg, versions
        self.written = Metrics.counter("stream_write", "articles_written")
        self.dropped = Metrics.counter("stream_write", "duplicates_written")
        self.panes = Metrics.counter("stream_write", "panes_written")
        self.unbalanced = Metrics.counter("stream_write", "panes_unbalanced")

    def setup(self):
        cheap_state_sizing()

    def process(self, kv, rows=beam.DoFn.StateParam(ROWS), flush=beam.DoFn.TimerParam(FLUSH)):
        (start, _), row = kv
        rows.add(row)
        flush.set(Timestamp(start + self.window))

    @on_timer(FLUSH)
    def on_flush(self, key=beam.DoFn.KeyParam, rows=beam.DoFn.StateParam(ROWS)):
        buffered = list(rows.read())
        rows.clear()
        if not buffered:
            return
        start, shard = key
        dt = window_dt(start)
        name = f"part-{start}-{shard}-{uuid.uuid4().hex[:12]}"
        with stream_stop.critical():  # a stop lands before or after the pane's files and report, never between
            report = self.write_pane(start, shard, dt, name, buffered)
            stream_report.write_report(self.output, stream_report.report_path(dt, start, name), report)
        if stream_report.check_pane(report):
            self.unbalanced.inc()
        self.panes.inc()
        for path, count in Counter(r.get("_file") or stream_state.file_of_ref(r["input_ref"]) for r in buffered).items():
            yield path, (WRITTEN, count)

    def write_pane(self, start: int, shard: int, dt: str, name: str, buffered: list[dict]) -> dict:
        """Writes the pane's files; returns its report, counted from the tables written."""
        kept = [r for r in buffered if r.get("_dup") is None]
        dups = [r for r in buffered if r.get("_dup") is not None]
        for r in buffered:
            r["pipeline_version"] = PIPELINE_VERSION
        parquet = f"{name}.parquet"
        dup_table = index = None
        parts = {}
        if dups:
            table = articles_table(dups, ARTICLES)
            dup_table = duplicates_table(table, [r["_dup"] for r in dups], PIPELINE_VERSION)
            write_parquet(self.output, f"duplicates/dt={dt}/{parquet}", dup_table)
            self.dropped.inc(len(dups))
        if kept:
            table = articles_table(kept, ARTICLES)
            parts = split_by_topic(table)
            for topic, part in parts.items():
                write_parquet(self.output, f"articles/dt={dt}/topic={topic}/{parquet}", part)
            index = self.index_table(kept, table)
            write_parquet(self.output, f"index/dt={dt}/{parquet}", index)
            self.written.inc(len(kept))
        return stream_report.pane_report((start, start + int(self.window)), shard, dt, buffered, parts, dup_table,
                                         None, index, self.versions)

    def index_table(self, kept: list[dict], table: pa.Table) -> pa.Table:
        keys, hashes = [], []
        for r in kept:
            if not self.cfg:
                keys.append([])
                hashes.append([])
                continue
            # StreamNearDup leaves (band keys, shingle hashes) on the row; computed here only without it
            k, h = r.get("_index") or (None, None)
            if h is None:
                h = nd.shingle_hashes(r["text"], self.cfg)
                k = nd.lsh_keys(h, self.cfg)
            keys.append(k)
            hashes.append(h)
        version = self.cfg.version if self.cfg else None
        cols = {name: table.column(name) for name in ("article_id", "canonical_url", "content_hash", "scraped_at")}
        cols.update(near_dup_version=[version] * len(kept), band_keys=keys,
                    shingle_hashes=pa.array(hashes, type=INDEX.field("shingle_hashes").type))
        return pa.Table.from_pydict(cols, schema=INDEX)


def _pane_key(size: float, shards: int):
    def key(row):
        return (window_start(epoch_seconds(row["scraped_at"]), size), int(row["article_id"][:8], 16) % shards), row
    return key


class WriteWindowedParquet(beam.PTransform):
    """Deduplicated rows in (duplicates carry `_dup`); writes each window's pane and its report; out: ledger
    messages."""

    def __init__(self, output: str, window: float, shards: int, cfg: nd.NearDupConfig | None, versions: dict | None = None):
        super().__init__()
        self.output, self.window, self.shards, self.cfg = output, window, shards, cfg
        self.versions = versions or {"pipeline_version": PIPELINE_VERSION}

    def expand(self, rows):
        return (
            rows
            | "KeyByPane" >> beam.Map(_pane_key(self.window, self.shards))
            | "WritePanes" >> beam.ParDo(_WindowPaneFn(self.output, self.window, self.cfg, self.versions)).with_input_types(Tuple[Tuple[int, int], Any]).with_output_types(Any)
        )


class _RejectedFn(beam.DoFn):
    """Writes rejections per event-time date dt (UTC date of the landing or scrape time), a file and its report at
    a time: when a date's rows reach BATCH_ROWS or REJECTED_BATCH_BYTES of raw input (a file read once is one
    bundle, and rejections keep their raw bytes), and at the bundle's end. The ledger hears of them at the bundle's
    end. Not through the window panes: on the DirectRunner a Flatten in front of a stateful step held that step
    back until the job stopped.

    A '#cut' marker (the end of a damaged or half-written read) is written at once in a file of its own, named by
    its ref (stream_report.marker_name): when the file grows, retracting it removes that file and its report,
    and no rejected file that other rows share is ever rewritten."""

    def __init__(self, output: str, versions: dict):
        self.output, self.versions = output, versions

    def start_bundle(self):
        self.rows, self.raw_bytes = defaultdict(list), defaultdict(int)
        self.counts, self.latest = Counter(), MIN_TIMESTAMP

    def process(self, rejection_row, timestamp=beam.DoFn.TimestampParam):
        ts = float(timestamp) if timestamp > MIN_TIMESTAMP else 0.0
        dt = window_dt(ts)
        self.latest = max(self.latest, timestamp)
        row = dict(rejection_row, pipeline_version=PIPELINE_VERSION)
        if row["input_ref"].endswith(CUT_MARK):
            stream_report.write_marker(self.output, dt, row, self.versions)
            self.counts[stream_state.file_of_ref(row["input_ref"])] += 1
            return
        self.rows[dt].append(row)
        self.raw_bytes[dt] += len(rejection_row.get("raw") or b"")
        if len(self.rows[dt]) >= BATCH_ROWS or self.raw_bytes[dt] >= REJECTED_BATCH_BYTES:
            self._write(dt)

    def _write(self, dt: str) -> None:
        rows = self.rows.pop(dt)
        self.raw_bytes.pop(dt, None)
        name = f"part-{uuid.uuid4().hex}"
        table = rejected_table(rows)
        report = stream_report.pane_report(None, None, dt, rows, {}, None, table, None, self.versions)
        with stream_stop.critical():  # the rejected file and its report land together
            write_parquet(self.output, f"rejected/dt={dt}/{name}.parquet", table)
            stream_report.write_report(self.output, stream_report.report_path(dt, None, name), report)
        self.counts.update(stream_state.file_of_ref(r["input_ref"]) for r in rows)

    def finish_bundle(self):
        for dt in list(self.rows):
            self._write(dt)
        for path, count in self.counts.items():
            yield WindowedValue((path, (WRITTEN, count)), self.latest, [GlobalWindow()])


class WriteStreamRejected(beam.PTransform):
    """Rejection dicts in (stages' dead letters, too_late, too_old); writes rejected/dt= and a report per file;
    out: ledger messages."""

    def __init__(self, output: str, versions: dict | None = None):
        super().__init__()
        self.output, self.versions = output, versions or {"pipeline_version": PIPELINE_VERSION}

    def expand(self, rejected):
        return rejected | "WriteRejectedParquet" >> beam.ParDo(_RejectedFn(self.output, self.versions)).with_output_types(Any)


class _TrackFileFn(beam.DoFn):
    """Keyed by file: one counting step's share of the ledger (the reader's expected records and sizes, or the
    records a writer wrote). Each message updates the share on disk, and the sizes every share together has reached
    are marked done (stream_tally.count_and_decide: stream_state.FileTally's rule over all the shares)."""

    SHARE = ReadModifyWriteStateSpec("share", PickleCoder())
    MARKED = ReadModifyWriteStateSpec("marked", PickleCoder())  # sizes known done: not looked at again

    def __init__(self, output: str, run: str, step: str, steps: tuple[str, ...]):
        self.output, self.run, self.step, self.steps = output, run, step, steps
        self.done = Metrics.counter("stream_ledger", "files_done")

    def setup(self):
        cheap_state_sizing()

    def process(self, kv, share_state=beam.DoFn.StateParam(SHARE), marked_state=beam.DoFn.StateParam(MARKED)):
        path, message = kv
        share = share_state.read() or stream_state.FileTally()
        if message[0] == "expect":
            share.expect(message[1], message[2])
        else:
            share.written += message[1]
        share_state.write(share)
        marked = marked_state.read() or set()
        ready = [(size, n) for size, n in stream_tally.count_and_decide(
            self.output, self.run, path, self.step, share, self.steps) if size not in marked]
        for size, records in ready:
            marked.add(size)
            if stream_tally.marked_done(self.output, path, size):  # by another step's share
                continue
            stream_state.mark(self.output, stream_state.DONE, path, size, records)
            self.done.inc()
            yield path
        if ready:
            marked_state.write(marked)


class TrackFiles(beam.PTransform):
    """Ledger messages (file, ("expect", n, size) | ("written", k)) in, a PCollection per counting step, as a dict
    {step name: messages}; marks files done; out: done paths, per step. Each step counts on its own, fused into the
    step that sends it the messages: no Flatten (on the DirectRunner a Flatten of them was held back until the
    watch ended, so no file was marked done while a job watched). `run` names this run's counts on disk."""

    def __init__(self, output: str, run: str | None = None):
        super().__init__()
        self.output, self.run = output, run or uuid.uuid4().hex[:16]

    def expand(self, messages):
        steps = tuple(sorted(messages))
        return {step: messages[step] | f"MarkDone{step}" >> beam.ParDo(
            _TrackFileFn(self.output, self.run, step, steps)).with_input_types(Tuple[str, Any]).with_output_types(str)
            for step in steps}
