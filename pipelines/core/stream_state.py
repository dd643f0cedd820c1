"""What the streaming job persists under OUTPUT/_stream/ and rebuilds on restart (no Beam).

The DirectRunner cannot checkpoint, so a restart must be safe from the output alone: a ledger of files seen and
files fully written, plus the keys of what was already written (to skip re-read records and to seed dedup).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import time
import uuid
from datetime import date, timedelta
from typing import Any, BinaryIO, Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipelines.core import near_dup as nd
from pipelines.core.raw_files import count_kept, count_skip, iter_file, iter_jsonl, kind_of, open_maybe_gzip
from pipelines.core.records import CUT_MARK, RawInput
from pipelines.core.stream_dedup import UrlSeen
from pipelines.core.stream_near_dup import Entry
from schemas.articles import INDEX_V1

LEDGER = os.path.join("_stream", "files")
SEEN, DONE = "seen", "done"
# A landed file is read this many records (or raw bytes of them) at a time, a bundle each: what a file holds
# downstream until its panes are written grows with the chunk, not with the file.
CHUNK_RECORDS = 1000
CHUNK_BYTES = 64 << 20
COMPRESSION = "zstd"
# The marker of a JSONL file's last line that has no newline and is not a whole JSON object: a line still being
# written (or a damaged one); a later read of the file grown retracts it.
UNTERMINATED = "bad:unterminated_line"
# An uncompressed .txt or .html file is read once its size and mtime have been unchanged this long (seconds).
SETTLE_SECONDS = 5.0
# Names a writer lands under before renaming a file into place: not records of their own, never read.
TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload")
# A JSONL file's ledger marker keeps a hash of its first bytes (up to this many): a re-read whose file no longer
# starts with them finds a file truncated and rewritten in place, not grown.
HEAD_BYTES = 64 << 10
# The ref prefix of a rewritten JSONL file's new version: '<path>@v<8 hex>', so '<path>@v<hex>:<line>'.
_VERSION = re.compile(r"@v[0-9a-f]{8}$")
# A scan that meets a file removed under it (a retraction by another worker) lists the folder again.
SCAN_ATTEMPTS = 5


def filesystem(root: str) -> tuple[pafs.FileSystem, str]:
    """(pyarrow filesystem, path inside it) for a local path or a URI such as gs://bucket/dir."""
    if "://" not in root:
        root = os.path.abspath(root)
    return pafs.FileSystem.from_uri(root)


def file_key(path: str, size: int) -> str:
    return f"{hashlib.sha1(path.encode()).hexdigest()[:20]}-{size}"


@dataclasses.dataclass(frozen=True)
class Head:
    """A JSONL file's first bytes as last read: how many, their hash, and the version of the file they began
    ('' for the first; a rewrite in place starts a new one, see rewritten)."""

    source: str
    bytes: int
    sha1: str
    version: str = ""
    at: float = 0.0


def head_of(source: str, data: bytes, version: str) -> Head:
    """The Head of a file whose first bytes (up to HEAD_BYTES) are `data`."""
    data = data[:HEAD_BYTES]
    return Head(source, len(data), hashlib.sha1(data).hexdigest(), version, time.time())


def rewritten(previous: Head | None, data: bytes) -> bool:
    """Does a file starting with `data` (its first HEAD_BYTES or all of it) no longer start as it did when last
    read? A grown file keeps its first bytes; a file truncated and rewritten in place does not."""
    if previous is None:
        return False
    return len(data) < previous.bytes or hashlib.sha1(data[:previous.bytes]).hexdigest() != previous.sha1


def new_version(data: bytes) -> str:
    return hashlib.sha1(data[:HEAD_BYTES]).hexdigest()[:8]


def versioned(path: str, version: str) -> str:
    """The name a version of a file goes by in refs and in the ledger: the path itself for the first version."""
    return f"{path}@v{version}" if version else path


def mark(output: str, kind: str, path: str, size: int, records: int | None = None, head: Head | None = None) -> None:
    """Writes one small marker file (no appends: object stores have none); written to a temp name, then moved."""
    entry = {"path": path, "size": size, "records": records}
    if head is not None:
        entry["head"] = dataclasses.asdict(head)
    data = json.dumps(entry).encode()
    write_atomic(output, f"{LEDGER}/{file_key(path, size)}.{kind}", lambda f: f.write(data))


def write_atomic(output: str, relative: str, write: Callable[[Any], Any]) -> None:
    """Calls write(stream) on a temporary name, then moves it into place (works on object stores), so a reader
    never sees half a file."""
    fs, root = filesystem(output)
    final = f"{root}/{relative}"
    folder = final.rsplit("/", 1)[0]
    fs.create_dir(folder, recursive=True)
    tmp = f"{folder}/.tmp-{uuid.uuid4().hex}"
    moved = False
    try:
        with fs.open_output_stream(tmp) as f:
            write(f)
        fs.move(tmp, final)
        moved = True
    finally:
        if not moved:  # a stop (Ctrl-C, SIGTERM) or a failure mid-write: no half file left beside the real ones
            try:
                fs.delete_file(tmp)
            except OSError:  # never created, or already gone
                pass


def write_parquet(output: str, relative: str, table: pa.Table) -> None:
    """Writes to a temporary name and moves it into place, so a reader never sees half a file."""
    write_atomic(output, relative, lambda f: pq.write_table(table, f, compression=COMPRESSION))


def load_ledger(output: str) -> tuple[set[tuple[str, int]], set[str]]:
    """(done (path, size) pairs, paths seen at any size)."""
    fs, root = filesystem(output)
    folder = f"{root}/{LEDGER}"
    done, seen = set(), set()
    if fs.get_file_info(folder).type != pafs.FileType.Directory:
        return done, seen
    for info in fs.get_file_info(pafs.FileSelector(folder)):
        if info.base_name.startswith(".tmp-"):
            continue
        with fs.open_input_stream(info.path) as f:
            entry = json.loads(f.read())
        seen.add(entry["path"])
        if info.extension == DONE:
            done.add((entry["path"], entry["size"]))
    return done, seen


def ledger_heads(output: str) -> dict[str, Head]:
    """The Head of each JSONL file as last read (the newest marker that has one), by its path."""
    fs, root = filesystem(output)
    folder = f"{root}/{LEDGER}"
    heads: dict[str, Head] = {}
    if fs.get_file_info(folder).type != pafs.FileType.Directory:
        return heads
    for info in fs.get_file_info(pafs.FileSelector(folder)):
        if info.base_name.startswith(".tmp-") or info.extension != SEEN:
            continue
        with fs.open_input_stream(info.path) as f:
            found = json.loads(f.read()).get("head")
        if found:
            head = Head(**found)
            if head.source not in heads or head.at > heads[head.source].at:
                heads[head.source] = head
    return heads


def file_of_ref(input_ref: str) -> str:
    """The file a record came from: '<path>:<line>' for JSONL lines ('<path>@v<hex>:<line>' for a rewritten
    file's new version, which counts as a file of its own), '<path>@<offset>' for WARC records, the path itself for
    whole-file records; any of them + CUT_MARK for the marker of a damaged file."""
    ref = input_ref.removesuffix(CUT_MARK)
    for sep, kind in ((":", "jsonl"), ("@", "warc")):
        head, _, tail = ref.rpartition(sep)
        if head and tail.isdigit() and kind_of(_VERSION.sub("", head)) == kind:
            return head
    return ref


def stale_markers(written: set[str], path: str, cut: str | None) -> set[str]:
    """Markers of a damaged read of path ('<ref>#cut') written earlier that a whole read of the file, ending at
    `cut` (None: not damaged), no longer gives: the file has grown since, so they must be retracted."""
    return {r for r in written if r.endswith(CUT_MARK) and r != cut and file_of_ref(r) == path}


def scan(fs: pafs.FileSystem, folder: str, columns: list[str], filt=None, schema: pa.Schema | None = None,
         since: str | None = None) -> pa.Table | None:
    """The Parquet files under folder (hive dt=) as one table, or None without the folder. A file removed while
    the scan runs (another worker retracted it) makes the scan list the folder again: what it held is gone, so
    the scan must not fail on it."""
    for attempt in range(SCAN_ATTEMPTS):
        if fs.get_file_info(folder).type != pafs.FileType.Directory:
            return None
        try:
            dataset = ds.dataset(folder, filesystem=fs, format="parquet", partitioning="hive", schema=schema,
                                 exclude_invalid_files=True, ignore_prefixes=[".", "_"])
            if since and "dt" in dataset.schema.names:
                filt = ds.field("dt") >= since
            return dataset.to_table(columns=columns, filter=filt)
        except FileNotFoundError:
            if attempt == SCAN_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def _table(output: str, name: str, columns: list[str], since: str | None = None, schema: pa.Schema | None = None):
    fs, root = filesystem(output)
    return scan(fs, f"{root}/{name}", columns, schema=schema, since=since)


def written_refs(output: str, paths: set[str]) -> set[str]:
    """input_refs already written (as article, duplicate or rejection) for records of the given files."""
    refs = set()
    if not paths:
        return refs
    for name in ("articles", "duplicates", "rejected"):
        table = _table(output, name, ["input_ref"])
        if table is not None:
            refs.update(r for r in set(table.column("input_ref").to_pylist()) if file_of_ref(r) in paths)
    return refs


def written_keys(output: str, lookback_days: int) -> tuple[dict[str, UrlSeen], dict[str, str]]:
    """Dedup keys of the articles written in the last lookback_days dates present in the output: canonical URL ->
    first copy, content hash -> first article_id. They seed the dedup state of a restarted job."""
    table = _table(output, "articles", ["article_id", "canonical_url", "content_hash", "input_ref", "scraped_at", "dt"])
    if table is None or table.num_rows == 0:
        return {}, {}
    latest = max(str(d) for d in table.column("dt").to_pylist())
    since = (date.fromisoformat(latest[:10]) - timedelta(days=lookback_days)).isoformat()
    rows = sorted(
        (str(s), a, u, h, r)
        for a, u, h, r, s, d in zip(*(table.column(c).to_pylist() for c in table.column_names))
        if str(d)[:10] >= since
    )
    urls, hashes = {}, {}
    for _, article_id, url, content_hash, ref in rows:
        urls.setdefault(url, UrlSeen(article_id, content_hash, ref))
        hashes.setdefault(content_hash, article_id)
    return urls, hashes


# Index files of every schema version: shingle hashes were uint64 before schema 2 (uint32 since); reading all with
# the v1 schema widens the new ones, where the first file's type would make a newer file's read fail or an older
# one's overflow. nd.low_shingles takes the low half of either.
_INDEX_ANY_VERSION = INDEX_V1.append(pa.field("dt", pa.string()))


def written_bands(output: str, lookback_days: int, cfg: nd.NearDupConfig) -> dict[str, list[Entry]]:
    """Band buckets of the articles indexed in the last lookback_days dates present in the output (a row of another
    near-dup version with its bands recomputed, as batch history does): band key -> entries, each article's
    shingles shared by all its keys. They seed the near-dup state of a restarted job, ahead of anything that lands
    after it."""
    table = _table(output, "index", ["article_id", "scraped_at", "near_dup_version", "band_keys", "shingle_hashes", "dt"],
                   schema=_INDEX_ANY_VERSION)
    if table is None or table.num_rows == 0:
        return {}
    latest = max(str(d) for d in table.column("dt").to_pylist())
    since = (date.fromisoformat(latest[:10]) - timedelta(days=lookback_days)).isoformat()
    buckets: dict[str, list[Entry]] = {}
    shingles = table.column("shingle_hashes").combine_chunks()
    # flat, and cut to the low halves once (v1 rows are uint64), so sorted rows need no re-sort per row
    offsets, values = shingles.offsets.to_numpy(), shingles.values.to_numpy().astype(np.uint32)
    columns = (table.column(c).to_pylist() for c in ("article_id", "scraped_at", "near_dup_version", "band_keys", "dt"))
    for i, (article_id, scraped, version, keys, dt) in enumerate(zip(*columns)):
        if str(dt)[:10] < since:
            continue
        hashes = nd.low_shingles(values[offsets[i]:offsets[i + 1]])
        # the same keys as batch history: a row of another near-dup version has its bands recomputed
        keys = nd.index_row_keys(version, keys, hashes, cfg)
        entry = Entry((float("-inf"), scraped.isoformat(), article_id), scraped.timestamp(), hashes.tobytes())
        for key in keys:
            bucket = buckets.setdefault(key, [])
            if len(bucket) < cfg.max_bucket_size:
                bucket.append(entry)
    return buckets


@dataclasses.dataclass
class FileProgress:
    """How far the streaming job has read one landed file. A file is read a chunk at a time (one bundle each), so
    the window panes can be written between chunks instead of holding a whole file's rows until it ends."""

    path: str
    size: int
    landed: float
    read_before: bool  # a restart or a regrown file: its skip report replaces any earlier one
    consumed: int = 0  # units taken from iter_file: records and skipped WARC records
    records: int = 0  # records (not skips) of the file so far, written earlier or not
    already: int = 0  # of which written by an earlier run
    skipped: dict = dataclasses.field(default_factory=dict)  # by reason; plus report.NOT_SKIPS tallies of records
    finished: bool = False
    look_up: bool = False  # read before in this run: its written refs are looked up again, not taken from setup's
    cut: str | None = None  # the marker this read ended at ('<ref>#cut'), written earlier or not
    source: str = ""  # the file to open, when `path` names a version of it (a JSONL file rewritten in place)
    upto: int = -1  # the highest line (JSONL) or offset (WARC) of a whole record this read handed on or found written
    sent_upto: int = -1  # the same for earlier reads of this path in this run: such records are in flight, not resent


@dataclasses.dataclass(frozen=True)
class RunRead:
    """What this run's reads of a path left in its keyed state: the version read (its name and Head) and how far
    its records were sent on (FileProgress.upto), so a re-read does not send them again while they are still in a
    window pane: dedup would count an exact_url duplicate twice."""

    ident: str
    head: Head | None = None
    upto: int = -1


def position(ref: str, ident: str) -> int | None:
    """A record ref's line ('<ident>:<n>') or offset ('<ident>@<n>'); None for a marker ('#cut') or another file's
    ref. A file only grows, so a position reached by an earlier read holds the same record now."""
    if ref.endswith(CUT_MARK) or not ref.startswith(ident) or len(ref) <= len(ident) + 1:
        return None
    sep, tail = ref[len(ident)], ref[len(ident) + 1:]
    return int(tail) if sep in ":@" and tail.isdigit() else None


@dataclasses.dataclass
class FileTally:
    """The ledger's count of one path over a run. Every read of the path (a file that grows is read again, and a
    read at an old size may be cut short) adds the records it sent on or found written to `expected`, and each
    of them gets exactly one written message, whichever read it came from; so a size is done once the written
    count reaches the records of every read of the path up to the one at that size, however the messages of two
    reads interleave."""

    expected: int = 0
    written: int = 0
    pending: list = dataclasses.field(default_factory=list)  # (count to reach, size, records at that size)

    def expect(self, records: int, size: int | None) -> None:
        """A read's records; size None for a read abandoned part way (the file changed size under it)."""
        self.expected += records
        if size is not None:
            self.pending.append((self.expected, size, records))

    def reached(self) -> list[tuple[int, int]]:
        """(size, records) of the sizes whose count the written records have reached."""
        return [(size, n) for want, size, n in self.pending if self.written >= want]

    def done(self) -> list[tuple[int, int]]:
        """reached(), each size once: the sizes returned are forgotten."""
        ready = self.reached()
        self.pending = [p for p in self.pending if self.written < p[0]]
        return ready


class _TailTracker:
    """A line stream that remembers whether the last line holding more than whitespace ended in a newline: a
    whitespace-only tail says nothing of the line before it, which iter_jsonl holds as the last record."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.ended, self.mid_line = stream, False, False

    def readline(self, size: int = -1) -> bytes:
        line = self.stream.readline(size)
        if line:
            if line.strip() or self.mid_line:  # a blank line of its own is skipped by iter_jsonl
                self.ended = line.endswith(b"\n")
            self.mid_line = not line.endswith(b"\n")
        return line


def _whole_object(raw: RawInput) -> bool:
    if raw.size != len(raw.raw):  # capped: too large to be sure of, so it waits like a cut line
        return False
    try:
        return isinstance(json.loads(raw.raw), dict)
    except ValueError:
        return False


def iter_landed(stream: BinaryIO, path: str, max_bytes: int, ref_path: str | None = None) -> Iterator[RawInput]:
    """iter_file for a landed file that may still be being written. A JSONL file's last line without a newline
    that is not a whole JSON object is a line cut by the read, not a record: it comes out as the marker
    '<path>:<line>#cut' (bad:unterminated_line, its bytes kept), so a later read of the file grown retracts it
    and reads the whole line. No proper prefix of a JSON object line is itself a JSON object, so a complete last
    line without a newline stays a record. .gz and WARC files show a cut by themselves (corrupt_gzip,
    truncated_warc); .txt and .html cannot, and are read only once settled (`settled`). `ref_path`: the name a
    JSONL file's refs carry (a version of it, `versioned`), when not its path."""
    if kind_of(path) != "jsonl":
        yield from iter_file(stream, path, max_bytes)
        return
    tail = _TailTracker(open_maybe_gzip(stream, path))
    held = None
    for unit in iter_jsonl(tail, ref_path or path, max_bytes):  # one unit behind, to know which one is the last
        if held is not None:
            yield held
        held = unit
    if held is None:
        return
    if held.kind == "jsonl" and not tail.ended and not _whole_object(held):
        held = RawInput(held.input_ref + CUT_MARK, UNTERMINATED, held.raw, held.size)
    yield held


def temporary(path: str) -> bool:
    """A file being landed under a temporary name (`x.jsonl.tmp`, `.x.jsonl`) in the watched folder."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return name.startswith(".") or name.lower().endswith(TEMP_SUFFIXES)


def gone(exc: BaseException) -> bool:
    """Is this error a landed file that vanished or cannot be read yet (removed, renamed away, not yet chmod-ed),
    as itself or wrapped (Beam's BeamIOError keeps the causes in exception_details)? Such a file is skipped, not
    a failed job: if it is still there, the next poll or run reads it."""
    if isinstance(exc, (FileNotFoundError, PermissionError)):
        return True
    details = getattr(exc, "exception_details", None)
    causes = list(details.values()) if isinstance(details, dict) else []
    causes += [exc.__cause__] if exc.__cause__ is not None else []
    return any(isinstance(c, BaseException) and gone(c) for c in causes)


def landed(path: str, size: int) -> bool:
    """False for an empty .txt/.html file, compressed or not: one record a file, so 0 bytes is a writer that has
    not written yet (gzip writers buffer the header until close), not an empty article. It is not read or marked
    until it has bytes. An empty JSONL or WARC file has no records, which a later read of it grown still finds."""
    return size > 0 or kind_of(path) not in ("txt", "html")


def needs_settling(path: str) -> bool:
    """An uncompressed .txt or .html file is one record with nothing in it that shows where it ends: a read of
    it half written would look whole."""
    return kind_of(path) in ("txt", "html") and not path.lower().endswith(".gz")


@dataclasses.dataclass(frozen=True)
class Sighting:
    """A file's size and mtime as a poll saw them, and when (our clock) they were first seen so."""

    size: int
    mtime: float
    since: float


def settled(previous: Sighting | None, size: int, mtime: float, now: float, settle: float) -> tuple[bool, Sighting]:
    """(is the file quiet, the sighting to keep). Quiet: size and mtime seen unchanged since an earlier sighting,
    and either for `settle` seconds by this poller's own clock, or last modified that long ago (a file that landed
    before the job started need not wait; mtime 0 means the filesystem gave none). A first sighting is never
    quiet: the mtime is the writer's clock, which may lag ours. settle <= 0 turns the wait off."""
    unchanged = previous is not None and (previous.size, previous.mtime) == (size, mtime)
    if not unchanged:
        previous = Sighting(size, mtime, now)
    quiet = settle <= 0 or (unchanged and (now - previous.since >= settle or (mtime > 0 and now - mtime >= settle)))
    return quiet, previous


def settle_limit(settle: float) -> float:
    """How long a page may keep changing before it is told (logged and counted): it is still waited for."""
    return max(60.0, 10 * settle)


@dataclasses.dataclass(frozen=True)
class Wait:
    """A page waiting to settle: its last sighting, when it was first seen waiting, and whether it was told as
    a page that keeps changing."""

    sighting: Sighting | None
    first: float
    told: bool = False


def wait_on(wait: Wait, size: int, mtime: float, now: float, settle: float) -> tuple[bool, Wait, bool]:
    """(quiet, the wait to keep, tell now): settled() over a wait, which is told once when the page has kept
    changing for settle_limit (a live blog or ticker appended to for ever is never read, so it must be seen)."""
    quiet, sighting = settled(wait.sighting, size, mtime, now, settle)
    tell = not quiet and not wait.told and now - wait.first >= settle_limit(settle)
    return quiet, Wait(sighting, wait.first, wait.told or tell), tell


def read_chunk(units: Iterator[RawInput], progress: FileProgress, written: set[str], max_records: int,
               max_bytes: int) -> Iterator[RawInput]:
    """Takes units (iter_file's output, positioned at progress.consumed) until max_records records or max_bytes
    of their raw bytes were handed on, counting as it goes; yields the records to process. A record written
    earlier, or sent on by an earlier read in this run (at or before progress.sent_upto), is counted, not sent. Sets
    progress.finished once the file is exhausted. Skips and already-written records are cheap and count for
    neither limit."""
    handed = handed_bytes = 0
    for raw in units:
        progress.consumed += 1
        if count_skip(raw, progress.skipped):
            continue
        count_kept(raw, progress.skipped)  # a record, tallied for the file's report as the batch reader does
        progress.records += 1
        if raw.input_ref.endswith(CUT_MARK):
            progress.cut = raw.input_ref
        at = position(raw.input_ref, progress.path)
        if at is not None:
            progress.upto = max(progress.upto, at)
        if raw.input_ref in written or (at is not None and at <= progress.sent_upto):
            progress.already += 1
            continue
        yield raw
        handed += 1
        handed_bytes += raw.size
        if handed >= max_records or handed_bytes >= max_bytes:
            return
    progress.finished = True
