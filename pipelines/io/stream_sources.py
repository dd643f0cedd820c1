"""Unbounded raw-record sources for the streaming job: a watched landing folder (any Beam filesystem),
Pub/Sub or Kafka. Each yields {"_raw": RawInput} elements stamped with their landing time, like ReadRawRecords.

The folder watcher also emits ledger messages (file, ("expect", n, size)) / (file, ("written", k)) on the `ledger`
output so that a file is marked done only once every record of it is written (see pipelines.core.stream_state).
WARC records that are not pages are not records to write: they are counted per file and reason in a skip report
(pipelines.core.stream_report), as the batch job counts them, and n leaves them out.
"""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import logging
import time
from typing import Any, Tuple

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io import fileio
from apache_beam.io.filesystem import BeamIOError, CompressionTypes, FileMetadata
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.watch import PollFn, PollResult, Watch, never
from apache_beam.coders import PickleCoder, VarIntCoder
from apache_beam.metrics import Metrics
from apache_beam.io.watermark_estimators import ManualWatermarkEstimator
from apache_beam.transforms.periodicsequence import ImpulseSeqGenDoFn, ImpulseSeqGenRestrictionProvider
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import BagStateSpec, ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import MAX_TIMESTAMP, MIN_TIMESTAMP, Timestamp

from pipelines.core import stream_report, stream_state
from pipelines.core.raw_files import iter_jsonl, kind_of
from pipelines.core.report import NOT_SKIPS
from pipelines.core.stream_state import CHUNK_BYTES, CHUNK_RECORDS, SETTLE_SECONDS
from pipelines.core.stream_windows import window_dt
from pipelines.io.read import expand_directories
from pipelines.stages.stream_dedup import cheap_state_sizing

LEDGER = "ledger"
log = logging.getLogger("newsflow.stream")


def _stat(path: str):
    """The file's metadata now, by its exact name (FileSystems.match would take `[` `]` in it as a glob). A
    vanished file raises FileNotFoundError (Beam's metadata raises a bare BeamIOError)."""
    try:
        return FileSystems.get_filesystem(path).metadata(path)
    except BeamIOError as e:
        if not FileSystems.exists(path):
            raise FileNotFoundError(2, "landed file is gone", path) from e
        raise


class _OpenFile:
    """A file this worker is reading: its stream, the iterator over its units, and the refs written earlier."""

    def __init__(self, path: str, max_record_bytes: int, written: set[str], already: set[str], skip: int = 0,
                 ref_path: str | None = None):
        self.stream = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        self.units = stream_state.iter_landed(self.stream, path, max_record_bytes, ref_path)
        self.written, self.already, self.consumed = written, already, skip  # already: not sent on again
        for _ in itertools.islice(self.units, skip):  # resumed elsewhere (another worker, a retried bundle)
            pass

    def close(self):
        self.stream.close()


class _ReadFileChunksFn(beam.DoFn):
    """Keyed by path: reads a matched file unless the ledger says it was fully written, `chunk_records` records at
    a time. The first chunk is read when the file arrives, each next one when a watermark timer set at the file's
    landing time fires, so every chunk is a bundle of its own: on the DirectRunner the window panes' timers fire
    between chunks and a file's rows are not all held at once. The position is in state; the open file is kept by
    the worker between chunks, and reopened and skipped to the position when it is not (another worker, a retry).

    Records of a file that a previous run had started are skipped when they were already written, and counted so
    the file can still be completed. WARC records that are not pages are counted by reason and written to the
    file's skip report after the last chunk, before its ledger count goes out, so a file marked done has its skips
    reported. A file that changes size while it is read is read again from the start at its new size. A file read
    again (a restart, a grown file) has the markers of its earlier damaged reads that this read did not end at
    retracted from rejected/ before its count goes out (docs/streaming.md, "A file that grows").

    `settle` > 0: an uncompressed .txt or .html file is read only once a fresh look finds its size and mtime
    unchanged that long (stream_state.settled), and only if the read gives that size. Nothing sleeps in process: a
    page not settled yet waits in state for a timer `settle` seconds on. A backfill (`wait_at_end`) has its timers
    fire once every file is read, and waits there, up to stream_state.settle_limit, before leaving a page unread
    and unmarked for the next run. The folder watcher settles files itself and passes 0. A file gone or unreadable
    by the time it is read is skipped, not marked (stream_state.gone)."""

    PROGRESS = ReadModifyWriteStateSpec("progress", PickleCoder())
    READ = ReadModifyWriteStateSpec("read", PickleCoder())  # set once this run started reading the path
    NEXT_CHUNK = TimerSpec("next_chunk", TimeDomain.WATERMARK)
    WAITING = ReadModifyWriteStateSpec("waiting", PickleCoder())  # a page waiting to settle (stream_state.Wait)
    SETTLE = TimerSpec("settle", TimeDomain.WATERMARK)

    def __init__(self, output: str, max_record_bytes: int, chunk_records: int = CHUNK_RECORDS,
                 chunk_bytes: int = CHUNK_BYTES, settle: float = 0.0, verify: bool = True,
                 wait_at_end: bool = False):
        self.output, self.max_record_bytes = output, max_record_bytes
        self.verify = verify  # a .txt/.html file's read must give the size it was judged settled at
        self.chunk_records, self.chunk_bytes = chunk_records, chunk_bytes
        self.settle, self.wait_at_end = settle, wait_at_end
        self.skipped_files = Metrics.counter("stream_read", "files_already_done")
        self.records_read = Metrics.counter("stream_read", "records_read")
        self.records_skipped = Metrics.counter("stream_read", "warc_records_skipped")
        self.chunks = Metrics.counter("stream_read", "chunks_read")
        self.retracted = Metrics.counter("stream_read", "stale_markers_retracted")
        self.unsettled = Metrics.counter("stream_read", "files_not_settled")
        self.changing = Metrics.counter("stream_read", "pages_still_changing")
        self.rewritten = Metrics.counter("stream_read", "files_rewritten_in_place")
        self.changed = Metrics.counter("stream_read", "whole_files_changed_after_written")
        self.vanished = Metrics.counter("stream_read", "files_gone_before_read")
        self.temporary = Metrics.counter("stream_read", "temporary_names_skipped")
        self.empty = Metrics.counter("stream_read", "empty_pages_not_landed")

    def setup(self):
        cheap_state_sizing()
        self.done, seen = stream_state.load_ledger(self.output)
        done_paths = {path for path, _ in self.done}
        self.partial = seen - done_paths
        self.written = stream_state.written_refs(self.output, self.partial)
        self.regrown = done_paths  # done at another size: its old records are looked up on demand
        self.heads = stream_state.ledger_heads(self.output)  # JSONL files: how they began when last read
        self.open = {}  # path -> _OpenFile, between chunks
        self.end_deadline = None  # a backfill's wait for pages still being written, once every file is read

    def teardown(self):
        for f in getattr(self, "open", {}).values():
            f.close()

    def process(self, kv, timestamp=beam.DoFn.TimestampParam, progress=beam.DoFn.StateParam(PROGRESS),
                read=beam.DoFn.StateParam(READ), next_chunk=beam.DoFn.TimerParam(NEXT_CHUNK),
                waiting=beam.DoFn.StateParam(WAITING), settle_timer=beam.DoFn.TimerParam(SETTLE)):
        path, metadata = kv
        if stream_state.temporary(path):  # landed by rename: its final name is read
            self.temporary.inc()
            return
        # the listing is the first sighting (timed now: it may be older, and timing it earlier would shorten the
        # wait); a path passed again while it waits keeps its wait
        wait = waiting.read() or stream_state.Wait(
            stream_state.Sighting(metadata.size_in_bytes, metadata.last_updated_in_seconds, time.time()), time.time())
        yield from self._try(path, wait, max(timestamp, Timestamp(0)), False, progress, read, next_chunk, waiting,
                             settle_timer)

    @on_timer(SETTLE)
    def on_settle(self, key=beam.DoFn.KeyParam, timestamp=beam.DoFn.TimestampParam,
                  progress=beam.DoFn.StateParam(PROGRESS), read=beam.DoFn.StateParam(READ),
                  next_chunk=beam.DoFn.TimerParam(NEXT_CHUNK), waiting=beam.DoFn.StateParam(WAITING),
                  settle_timer=beam.DoFn.TimerParam(SETTLE)):
        wait = waiting.read()
        if wait is None:
            return
        if self.wait_at_end:
            # a backfill's timer fires once every file is read: only pages still being written are left, and
            # waiting for them here stalls nothing else
            wait = self._wait_here(key, wait)
        yield from self._try(key, wait, timestamp, self.wait_at_end, progress, read, next_chunk, waiting,
                             settle_timer)

    def _wait_here(self, path: str, wait):
        # one deadline for all the pages this worker waits for at the end: N live pages cost the limit once, not N
        # times, as they are waited for one after another. A page whose turn comes after the deadline still gets
        # one look, so that one which settled while another was waited for is judged by its mtime's age (_try's
        # look), not by a sighting from before that wait.
        if self.end_deadline is None:
            self.end_deadline = time.time() + stream_state.settle_limit(self.settle)
        while True:
            try:
                fresh = _stat(path)
            except Exception:  # noqa: BLE001 - _try looks again and tells a vanished file apart
                return wait
            quiet, seen, _ = stream_state.wait_on(wait, fresh.size_in_bytes, fresh.last_updated_in_seconds,
                                                  time.time(), self.settle)
            wait = dataclasses.replace(seen, told=wait.told)  # telling a page that keeps changing is _try's
            if quiet or time.time() >= self.end_deadline:
                return wait
            time.sleep(min(0.25, self.settle))

    def _defer(self, path: str, wait, at, final: bool, why: str, waiting, settle_timer) -> None:
        """A page not settled yet: looked at again `settle` seconds on (a timer: nothing sleeps here); a backfill's
        last look leaves it, unmarked, for the next run."""
        if not final:
            waiting.write(wait)
            settle_timer.set(max(at, Timestamp.now()) + self.settle)
            return
        waiting.clear()
        self.unsettled.inc()
        log.warning("%s %s: not read now, not marked; the next run reads it", path, why)
        stream_report.write_file_event(self.output, window_dt(float(at)), path, "unsettled")

    def _try(self, path: str, wait, at, final: bool, progress, read, next_chunk, waiting, settle_timer):
        """Reads the path at its size now if it is landed (settled, for a .txt/.html file), else defers it."""
        landed = float(at)
        settling = self.settle > 0 and stream_state.needs_settling(path)
        try:
            # the listing may be old by now (a backfill's, made before the files ahead of this one were read)
            fresh = _stat(path)
        except Exception as e:  # noqa: BLE001 - only a vanished file is skipped, anything else is raised again
            if not stream_state.gone(e):
                raise
            waiting.clear()
            self._gone(path, landed, e)
            return
        if settling:
            quiet, wait, tell = stream_state.wait_on(wait, fresh.size_in_bytes, fresh.last_updated_in_seconds,
                                                     time.time(), self.settle)
            if tell:
                self._changing(path, landed)
            if not quiet:
                self._defer(path, wait, at, final, "did not settle (still changing)", waiting, settle_timer)
                return
            waiting.clear()
        size = fresh.size_in_bytes
        if not stream_state.landed(path, size):
            self.empty.inc()
            log.info("%s is empty: not landed yet, not read, not marked", path)
            return
        ident, head, run = path, None, read.read()
        run = run if isinstance(run, stream_state.RunRead) else None
        try:
            if kind_of(path) == "jsonl":
                ident, head = self._version(path, run.head if run else None, landed)
        except Exception as e:  # noqa: BLE001 - only a vanished file is skipped, anything else is raised again
            if not stream_state.gone(e):
                raise
            self._gone(path, landed, e)
            return
        if (ident, size) in self.done:
            self.skipped_files.inc()
            return
        self._close(path)  # a read in progress at another size starts over
        cut_short = progress.read()
        if cut_short is not None:  # what it sent on is still written, and counted: the ledger must expect it
            progress.clear()
            yield pvalue.TaggedOutput(LEDGER, (cut_short.path, ("expect", cut_short.records - cut_short.already,
                                                                None)))
        # read in this run: this version of it (a rewritten file's new version was not)
        read_in_run = run is not None and run.ident == ident
        sent_upto = run.upto if read_in_run else -1
        if cut_short is not None and cut_short.path == ident:
            sent_upto = max(sent_upto, cut_short.upto)
        read_before = ident in self.regrown or ident in self.partial or read_in_run
        state = stream_state.FileProgress(ident, size, landed, read_before,
                                          look_up=read_in_run or ident in self.regrown,
                                          source=path if ident != path else "", sent_upto=sent_upto)
        try:
            f = self._open(state)  # before the ledger hears of it: a file gone by now is not marked seen
            if self.verify and stream_state.needs_settling(path) and not self._whole(f, size):
                self._close(path)
                why = f"changed while it was read (size {size} when judged settled)"
                if settling:
                    self._defer(path, stream_state.Wait(None, wait.first, wait.told), at, final, why, waiting,
                                settle_timer)
                else:  # the watcher settled it: its next poll sees the new size
                    self.unsettled.inc()
                    log.warning("%s %s: not written now, not marked", path, why)
                return
        except Exception as e:  # noqa: BLE001 - only a vanished file is skipped, anything else is raised again
            if not stream_state.gone(e):
                raise
            self._gone(path, state.landed, e)
            return
        read.write(stream_state.RunRead(ident, head, sent_upto))
        stream_state.mark(self.output, stream_state.SEEN, ident, size, head=head)
        yield from self._chunk(state, progress, next_chunk, at, read)

    def _version(self, path: str, run_head, landed: float):
        """(the name this read of a JSONL file goes by, its Head): the version its last read began, unless the
        file no longer starts as it did then (truncated and rewritten in place): then a new version, whose refs
        differ from the old one's, so none of its records is taken for written. The old version's rows stay."""
        previous = run_head if run_head is not None else self.heads.get(path)
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            data = f.read(stream_state.HEAD_BYTES)
        version = previous.version if previous is not None else ""
        if stream_state.rewritten(previous, data):
            version = stream_state.new_version(data)
            self.rewritten.inc()
            log.warning("%s was rewritten in place (it no longer starts as it did when read at %d bytes): read as "
                        "a new version, refs %s:<line>; what the old version wrote stays written", path,
                        previous.bytes, stream_state.versioned(path, version))
            stream_report.write_file_event(self.output, window_dt(landed or time.time()), path, "rewritten")
        return stream_state.versioned(path, version), stream_state.head_of(path, data, version)

    def _changing(self, path: str, landed: float) -> None:
        self.changing.inc()
        log.warning("%s has kept changing for over %gs: not read until it has been quiet for %gs (land a live page "
                    "by rename, or in dated pieces)", path, stream_state.settle_limit(self.settle), self.settle)
        stream_report.write_file_event(self.output, window_dt(landed or time.time()), path, "changing")

    def _gone(self, path: str, landed: float, error: BaseException) -> None:
        self._close(path)
        self.vanished.inc()
        log.warning("%s is gone or not readable (%s: %s): skipped, not marked; read when a poll or run finds it "
                    "again", path, type(error).__name__, error)
        stream_report.write_file_event(self.output, window_dt(landed or time.time()), path, "gone")

    @staticmethod
    def _whole(f: _OpenFile, size: int) -> bool:
        """Reads a one-record file's record ahead: is it the `size` bytes it was judged settled at?"""
        unit = next(f.units, None)
        f.units = itertools.chain([unit] if unit is not None else [], f.units)
        return unit is not None and unit.size == size

    @on_timer(NEXT_CHUNK)
    def on_next_chunk(self, timestamp=beam.DoFn.TimestampParam, progress=beam.DoFn.StateParam(PROGRESS),
                      next_chunk=beam.DoFn.TimerParam(NEXT_CHUNK), read=beam.DoFn.StateParam(READ)):
        state = progress.read()
        if state is not None:
            yield from self._chunk(state, progress, next_chunk, timestamp, read)

    def _written(self, state) -> set[str]:
        # A file this run read already (it grew) has rows of this run on disk that setup's set does not hold: a
        # chunk's rejections are written within its bundle, so they are found here and not written twice.
        return stream_state.written_refs(self.output, {state.path}) if state.look_up else self.written

    def _already(self, written: set[str], path: str) -> set[str]:
        # a marker of the path whose report a crash cut off is sent again (and so rewritten whole), not counted
        unreported = stream_report.unreported_markers(self.output, stream_state.stale_markers(written, path, None))
        return written - unreported if unreported else written

    def _open(self, state) -> _OpenFile:
        """The path's open file at the state's position: the worker's own, or opened again (another worker, a
        retried bundle). Raises what opening a vanished file raises (stream_state.gone)."""
        source = state.source or state.path
        f = self.open.get(source)
        if f is None or f.consumed != state.consumed:
            self._close(source)
            written = self._written(state)
            already = self._already(written, state.path) if state.read_before else written
            f = self.open[source] = _OpenFile(source, self.max_record_bytes, written, already, state.consumed,
                                              state.path if state.source else None)
        return f

    @staticmethod
    def _sent(read, state) -> None:
        # how far this run has sent the path's records on: a re-read while they are in a pane does not resend them
        run = read.read()
        if isinstance(run, stream_state.RunRead) and run.ident == state.path and state.upto > run.upto:
            read.write(dataclasses.replace(run, upto=state.upto))

    def _chunk(self, state, progress, next_chunk, timestamp, read):
        path, source = state.path, state.source or state.path
        before = state.records - state.already
        try:
            f = self._open(state)
            f.consumed = None  # until the chunk is through: a bundle that fails half way is retried from the state
            for raw in stream_state.read_chunk(f.units, state, f.already, self.chunk_records, self.chunk_bytes):
                yield {"_raw": raw}
        except Exception as e:  # noqa: BLE001 - only a vanished file is skipped, anything else is raised again
            if not stream_state.gone(e):
                raise
            # what this read sent on is written and counted: the ledger expects it, and marks no size done
            progress.clear()
            self._sent(read, state)
            self._gone(source, state.landed, e)
            yield pvalue.TaggedOutput(LEDGER, (path, ("expect", state.records - state.already, None)))
            return
        f.consumed = state.consumed
        self.chunks.inc()
        POLL_ACTIVITY.mark()  # the poll does not nap while files are read
        self.records_read.inc(state.records - state.already - before)
        if not state.finished:
            progress.write(state)
            next_chunk.set(timestamp)  # at the landing time: the chunk's records keep it as their timestamp
            return
        written = f.written
        self._close(source)
        progress.clear()
        self._sent(read, state)
        if state.look_up and state.already and stream_state.needs_settling(path):
            # one record a file, written at another size (done at it, or read at it in this run): an article
            # cannot be retracted, so the change is told, not read
            self.changed.inc()
            log.warning("%s changed after it was written (size %d now); its new content is not read: land a "
                        "changed page under a new name", path, state.size)
        if state.read_before:
            # markers of a damaged read at an earlier size: the file has grown, their records are read now
            self.retracted.inc(stream_report.retract_rejections(
                self.output, stream_state.stale_markers(written, path, state.cut)))
        if state.skipped or state.read_before:
            # the whole file was read, so this report replaces any earlier one of the path (a restart, a regrown file)
            stream_report.write_skip_report(self.output, window_dt(state.landed), path, state.skipped,
                                            state.read_before)
            self.records_skipped.inc(sum(n for k, n in state.skipped.items() if k not in NOT_SKIPS))
        yield pvalue.TaggedOutput(LEDGER, (path, ("expect", state.records, state.size)))
        if state.already:
            yield pvalue.TaggedOutput(LEDGER, (path, ("written", state.already)))

    def _close(self, path: str) -> None:
        f = self.open.pop(path, None)
        if f is not None:
            f.close()


class ReadFileChunks(beam.PTransform):
    """(path, file metadata) in, stamped with the landing time; outputs: main (records) and `ledger`. `settle`:
    see _ReadFileChunksFn (0 when the input was settled already); `verify`: a .txt/.html file whose read does not
    give the size it was settled at is not written (off with --settle_seconds 0)."""

    def __init__(self, output: str, max_record_bytes: int, chunk_records: int = CHUNK_RECORDS,
                 chunk_bytes: int = CHUNK_BYTES, settle: float = 0.0, verify: bool = True, wait_at_end: bool = False):
        super().__init__()
        self.fn = _ReadFileChunksFn(output, max_record_bytes, chunk_records, chunk_bytes, settle, verify, wait_at_end)

    def expand(self, files):
        return files | "ReadChunks" >> beam.ParDo(self.fn).with_input_types(Tuple[str, Any]).with_output_types(
            Any).with_outputs(LEDGER, main="records")


class _NewFilesFn(beam.DoFn):
    """Keyed by path: passes a file on the first poll that sees it (and again if its size changes); an
    uncompressed .txt or .html file only once it has been quiet for `settle` seconds (stream_state.settled). A page
    that keeps changing past stream_state.settle_limit is told once (log, counter, a `changing` file event)."""

    SIZES = BagStateSpec("sizes", VarIntCoder())
    SEEN = ReadModifyWriteStateSpec("seen", PickleCoder())  # a file waiting to settle (stream_state.Wait)

    def __init__(self, settle: float = 0.0, output: str | None = None):
        self.settle, self.output = settle, output
        self.changing = Metrics.counter("stream_read", "pages_still_changing")

    def process(self, kv, sizes=beam.DoFn.StateParam(SIZES), seen=beam.DoFn.StateParam(SEEN)):
        path, (metadata, polled) = kv
        if metadata.size_in_bytes in set(sizes.read()) or not stream_state.landed(path, metadata.size_in_bytes):
            return
        if self.settle > 0 and stream_state.needs_settling(path):
            wait = seen.read() or stream_state.Wait(None, polled)
            quiet, wait, tell = stream_state.wait_on(wait, metadata.size_in_bytes, metadata.last_updated_in_seconds,
                                                     polled, self.settle)
            if tell:
                self.changing.inc()
                log.warning("%s has kept changing for over %gs: not read until it has been quiet for %gs (land a "
                            "live page by rename, or in dated pieces)", path, stream_state.settle_limit(self.settle),
                            self.settle)
                if self.output:
                    stream_report.write_file_event(self.output, window_dt(polled), path, "changing")
            if not quiet:
                seen.write(wait)
                return
            seen.clear()
        sizes.add(metadata.size_in_bytes)
        yield metadata.path, metadata


def _match(_, patterns):
    # Files one poll finds are read in name order (a listing's order is arbitrary; landing names usually carry the
    # time), so that of two copies landed before the same poll the earlier file's survives. The listing's clock
    # time goes with them, to time a file waiting to settle: not the impulse's time, which is the poll's schedule
    # (polls that fall behind it fire in a burst, all "seconds apart").
    # The directory rule again at each poll: a watched folder made after the job started is then read as its files.
    listed = time.time()
    for metadata in match_once(patterns):
        yield metadata.path, (metadata, listed)


def match_once(patterns) -> list[FileMetadata]:
    """What the patterns match now, the directory rule applied now: each file once however many patterns match
    it (a folder and a glob over it), in name order."""
    found = {m.path: m for result in FileSystems.match(expand_directories(list(patterns)))
             for m in result.metadata_list}
    return [found[path] for path in sorted(found)]


POLL_IDLE_GAP = 0.05  # seconds between two looks of the poll with nothing run in between (an idle round: ~10 ms)
POLL_NAP = 0.5  # the poll's longest sleep: what a bundle that becomes ready meanwhile may wait
POLL_QUIET = 1.0  # the poll naps only once no chunk has been read for this long


class _Activity:
    """When this process last read a chunk of a landed file. Process-local on purpose: it only matters on the
    DirectRunner, where the poll and the reader share the process; a runner that honours the poll's resume time
    never finds the poll idle (poll_nap), so it never naps there."""

    def __init__(self):
        self.at = 0.0

    def mark(self) -> None:
        self.at = time.time()


POLL_ACTIVITY = _Activity()


def poll_nap(now: float, last_look: float | None, due: float, last_work: float = 0.0,
             idle_gap: float = POLL_IDLE_GAP, longest: float = POLL_NAP, quiet: float = POLL_QUIET) -> float:
    """How long the poll sleeps before it looks at the clock: only when its last look ended less than `idle_gap`
    ago (the runner just ran it again) and no chunk has been read for `quiet` seconds (a file read a chunk a bundle
    is not slowed down), and the next poll is not due; never past the poll's time, so polls keep their schedule."""
    if last_look is None or now - last_look >= idle_gap or now - last_work < quiet or due <= now:
        return 0.0
    return min(longest, due - now)


class _PollFn(ImpulseSeqGenDoFn):
    """PeriodicImpulse's generator, napping while the watch is idle (poll_nap). The DirectRunner (FnApiRunner) runs
    a deferred remainder again at once, whatever its resume time, so an idle watch ran the whole fused watching
    stage dozens of times a second for nothing: 0.42-0.49 of a core (docs/streaming.md, "Idle CPU")."""

    def __init__(self):
        super().__init__(None)
        self.last_look = None

    @beam.DoFn.unbounded_per_element()
    def process(self, element, restriction_tracker=beam.DoFn.RestrictionParam(ImpulseSeqGenRestrictionProvider()),
                watermark_estimator=beam.DoFn.WatermarkEstimatorParam(ManualWatermarkEstimator.default_provider())):
        start, _, interval = element
        due = float(start) + interval * restriction_tracker.current_restriction().start
        nap = poll_nap(time.time(), self.last_look, due, POLL_ACTIVITY.at)
        if nap:
            time.sleep(nap)
        yield from super().process(element, restriction_tracker, watermark_estimator)
        self.last_look = time.time()


class _Poll(beam.PTransform):
    """PeriodicImpulse(start, stop, interval) with _PollFn: one element per poll, stamped with the poll's time."""

    def __init__(self, start: Timestamp, stop: Timestamp, interval: float):
        super().__init__()
        self.start, self.stop, self.interval = start, stop, interval

    def expand(self, pbegin):
        return (pbegin
                | "ImpulseElement" >> beam.Create([(self.start, self.stop, self.interval)])
                | "GenSequence" >> beam.ParDo(_PollFn()))


class WatchFiles(beam.PTransform):
    """Lists the patterns every `interval` seconds (a directory: the files directly inside it, as in the batch job)
    and reads each new file once. `stop_after` (seconds) ends the watch, after which the job writes what is pending
    and exits; None watches until the job is killed. Outputs: main (records) and `ledger`.

    This is fileio.MatchContinuously's polling done with PeriodicImpulse + a per-path state, because on the
    DirectRunner MatchContinuously ends at once when given a stop_timestamp."""

    def __init__(self, patterns: list[str], output: str, max_record_bytes: int, interval: float = 5.0,
                 stop_after: float | None = None, match_continuously: bool = False,
                 chunk_records: int = CHUNK_RECORDS, settle: float = SETTLE_SECONDS):
        super().__init__()
        # a directory means the files directly inside it, as in the batch job (a bare one matched the folder itself)
        self.patterns, self.output = sorted(set(expand_directories(patterns))), output
        self.max_record_bytes, self.interval, self.stop_after = max_record_bytes, interval, stop_after
        self.match_continuously, self.chunk_records, self.settle = match_continuously, chunk_records, settle

    def expand(self, pbegin):
        if self.match_continuously:
            files = watch_continuously(pbegin, self.patterns, self.interval) | "ByPath" >> beam.Map(
                lambda m: (m.path, m))
            # MatchContinuously passes a path once, as it is then: the reader waits for it to settle
            return files | "ReadNewFiles" >> ReadFileChunks(self.output, self.max_record_bytes, self.chunk_records,
                                                            settle=self.settle, verify=self.settle > 0)
        start = Timestamp.now()
        stop = start + self.stop_after if self.stop_after is not None else MAX_TIMESTAMP
        files = (
            pbegin
            | "Poll" >> _Poll(start, stop, self.interval)
            | "MatchPatterns" >> beam.FlatMap(_match, self.patterns)
            | "NewFiles" >> beam.ParDo(_NewFilesFn(self.settle, self.output)).with_input_types(Tuple[str, Any])
        )
        return files | "ReadNewFiles" >> ReadFileChunks(self.output, self.max_record_bytes, self.chunk_records,
                                                        verify=self.settle > 0)


def watch_continuously(pbegin, patterns: list[str], interval: float):
    """fileio.MatchContinuously's watch (Beam's Watch, unbounded, no stop) for all the patterns at once, for runners
    that checkpoint its dedup state (Dataflow, Flink). A file is passed again when its mtime changes: a file read
    while it grew ends in a '#cut' marker that only a read of the grown file retracts.
    Not fileio.MatchContinuously itself: its pattern is fixed when the job starts, so a watched folder made after
    that was matched as a file (the job died reading it), where the plain poll applies the directory rule at each
    poll (_match); and one MatchContinuously per pattern needs a Flatten in front of the stateful reader, which on
    the DirectRunner held every file back until the job stopped (two --watch: nothing read). The patterns are one
    element, so Watch's dedup state (per element) passes a file once however many patterns match it."""
    return (pbegin
            | "Patterns" >> beam.Create([tuple(patterns)])
            | "Watch" >> Watch(_ListPattern(), poll_interval=interval, termination=never(),
                               output_key_fn=_path_and_mtime)
            | "DropPattern" >> beam.Map(lambda kv: kv[1]).with_output_types(FileMetadata))


class _ListPattern(PollFn):
    """One poll of the patterns: what they match now (match_once, as _match); stamped with the poll time, which is
    also the watermark (as fileio.MatchContinuously)."""

    def __call__(self, patterns: tuple[str, ...]) -> PollResult[FileMetadata]:
        now = Timestamp.now()
        return PollResult.incomplete(match_once(patterns), timestamp=now).with_watermark(now)


def _path_and_mtime(metadata: FileMetadata) -> tuple[str, float]:
    """Watch's dedup key: a file whose mtime changes is new again (fileio's match_updated_files)."""
    return metadata.path, float(metadata.last_updated_in_seconds or 0.0)


class ReadFileList(beam.PTransform):
    """The bounded twin of WatchFiles: reads what the patterns match now (for backfills and tests), with the same
    ledger, and stamps records with the run's start time as their landing time."""

    def __init__(self, patterns: list[str], output: str, max_record_bytes: int, chunk_records: int = CHUNK_RECORDS,
                 settle: float = SETTLE_SECONDS):
        super().__init__()
        self.patterns, self.output = sorted(set(expand_directories(patterns))), output  # as WatchFiles
        self.max_record_bytes = max_record_bytes
        self.chunk_records, self.settle = chunk_records, settle

    def expand(self, pbegin):
        now = float(Timestamp.now())
        return (
            pbegin
            | "Patterns" >> beam.Create([tuple(self.patterns)])
            | "MatchFiles" >> beam.FlatMap(match_once)  # a file two patterns match is read once
            | "LandingTime" >> beam.Map(lambda m: beam.window.TimestampedValue((m.path, m), now))
            | "ReadNewFiles" >> ReadFileChunks(self.output, self.max_record_bytes, self.chunk_records,
                                                settle=self.settle, verify=self.settle > 0, wait_at_end=True)
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
