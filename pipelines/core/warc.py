"""Stream raw records out of a WARC file: HTML 200 responses and HTML resource records become raw records, everything
else a skip reason."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import zlib
from datetime import datetime, timezone
from typing import BinaryIO, Iterator, NamedTuple

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders

try:
    import brotli
except ImportError:  # then a br body is rejected with a reason, like any other undecodable one
    brotli = None
try:
    import zstandard
except ImportError:  # likewise for zstd
    zstandard = None

from pipelines.core.extraction.charset import decode_html
from pipelines.core.records import CUT_MARK, TRUNCATED_KEPT

DEFAULT_MAX_RECORD_BYTES = 10_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_CHUNK = 1 << 16
_RECORD_TRAILER = 4  # the CRLF CRLF after each uncompressed record, outside its length
_WARC_MAGIC = b"WARC/"
_GZIP_WBITS = zlib.MAX_WBITS | 16  # a gzip header and trailer around each deflate member
_SCAN_CHUNK = 1 << 20  # compressed bytes fed at a time by the range pre-pass
_SCAN_OUT = 1 << 18  # inflated bytes produced at a time (then dropped): bounds the pre-pass's memory
_SCAN_HEAD = 1 << 16  # a member's first inflated bytes kept to check its WARC header block
WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
                        "continuation"})
# Records that are not pages but are worth telling apart in the report; warcinfo and request records, which go with
# every response, stay 'not_response'.
_OWN_SKIP_TYPES = frozenset({"resource", "metadata", "revisit", "conversion", "continuation"})
# After damage in the middle of a file, the next record start is looked for this many bytes at a time, and each
# candidate is checked on its first _SCAN_HEAD bytes: memory stays bounded however far the damage goes.
_RESYNC_WINDOW = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_TRAILER_HELD = 8  # a gzip trailer (CRC-32, size); a zlib one (Adler-32) is shorter
_RECORD_LOADER = ArcWarcRecordLoader()
# A record starts with a version line alone: 'WARC/1.0' or '1.1', or 0.17 / 0.18 (pre-2008 crawls, which warcio
# reads too); the check of where an uncompressed record ends reads this many bytes past it (separator and the next
# version line).
_VERSION_LINE = re.compile(rb"WARC/(?:1\.[01]|0\.1[78])\r?\n")
_VERSION_LINE_BYTES = 11
_VERSION_STARTS = (b"WARC/1.", b"WARC/0.17", b"WARC/0.18")  # a next record's first line, to the boundary checks
_WHITESPACE = b" \t\r\n"
_GZIP_PEEK = 512  # compressed bytes enough to inflate a member's version line
_BOUNDARY_BYTES = 256  # bytes read past a candidate record's end: separator, maybe extra blank lines, version line
_PAGE_END_BYTES = 64  # bytes read before a record start found in a damaged record: '</html>', blank lines, separator
_UNIQUE_FIELDS = ("warc-type", "warc-record-id", "warc-date", "warc-target-uri", "content-length")
# What a cut-off or corrupt file raises while warcio reads it.
_TRUNCATION_ERRORS = (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError)


class Reason(str):
    """A skip or rejection reason (a plain str, so it compares as one) with `detail`: sizes, offsets, headers and the
    URL, never page text."""

    detail = ""

    def __new__(cls, reason: str, detail: str = ""):
        made = super().__new__(cls, reason)
        made.detail = detail
        return made


class _Damage(NamedTuple):
    """Where a read could not go on (`at`), and why. `resumable`: the file can be searched for the next record.
    `claimed_end`: the damaged record's end by its Content-Length; a record start found before it, in its payload,
    must show it is one (_next_record_start: a page may quote a WARC record). `header_end`: the end of the damaged
    record's header block, when it holds a second record's start (a header cannot quote one). `digest`: the
    damaged record's WARC-Block-Digest (_block_digest), which tells its true end when only its length is wrong."""
    at: int
    cause: str
    resumable: bool = True
    claimed_end: int = 0
    header_end: int = 0
    digest: _BlockDigest | None = None


class _CutBody(Exception):
    """A compressed body that ends inside its stream: `data` is what it inflated to so far."""

    def __init__(self, data: bytes, detail: str):
        super().__init__(detail)
        self.data, self.detail = data, detail


# A page stored in part (WARC-Truncated, or a compressed body that stops early) is published when what is there
# holds an article: Common Crawl cuts at 1 MiB, and a news story usually ends long before (inline state, comments
# and scripts come after it). Such a record comes with Reason(TRUNCATED_KEPT, detail) beside it, to be counted.


class _PayloadError(Exception):
    """One record's payload cannot be decoded; the record is rejected with `reason` and the read goes on."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def rfc3339(warc_date: str | None) -> str | None:
    """WARC-Date (ISO 8601, maybe without 'Z' or with fractions) as RFC 3339 UTC."""
    if not warc_date:
        return None
    value = warc_date.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        # a date at the edge of the calendar (0001-01-01T00:30+01:00) has no UTC form: unparsable, like a bad one
        return parsed.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    except (ValueError, OverflowError):
        return None


def _http_headers(record) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.http_headers.headers:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _read_capped(stream, limit: int) -> bytes | None:
    """At most `limit` bytes of the decoded payload; None if there is more (decompression bombs stop here)."""
    chunks, total = [], 0
    while True:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None


def _content_coding(record) -> str:
    return (record.http_headers.get_header("Content-Encoding") or "").strip().lower()


def _read_payload(record, limit: int) -> bytes | None:
    """The HTTP body with its transfer and content codings removed: at most `limit` bytes, None past it.
    Content codings are undone here rather than by warcio, whose br reader does not run with the pinned brotli and
    whose inflaters have no output bound; raises _PayloadError for a body its coding cannot undo."""
    stream = record.raw_stream
    if (record.http_headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
        stream = ChunkedDataReader(stream)  # falls back to the bytes as they are when they are not chunked
    coding = _content_coding(record)
    if "," not in coding:  # one coding or none, the common case
        return _read_capped(stream, limit) if coding in ("", "identity") else _undo(coding, stream, limit, coding)
    # Codings are listed in the order applied: undone right to left ('gzip, br' is br of gzip). Each step's
    # output is bounded by `limit` too.
    codings = [c for c in (c.strip() for c in coding.split(",")) if c and c != "identity"]
    for n, coding in enumerate(reversed(codings)):
        if n:
            stream = io.BytesIO(body)
        body = _undo(coding, stream, limit, ", ".join(codings))
        if body is None:
            return None
    return body


def _undo(coding: str, stream, limit: int, codings: str) -> bytes | None:
    if coding in ("gzip", "x-gzip", "deflate"):
        return _inflate(stream, limit, coding)
    if coding == "br":
        return _unbrotli(stream, limit)
    if coding == "zstd":
        return _unzstd(stream, limit)
    data = _first_chunk(stream)
    if _looks_like_markup(data):  # a made-up label ('utf-8', 'none') on a plain page
        return _plain(data, stream, limit)
    raise _PayloadError("bad_content_encoding", f"Content-Encoding {codings}: {coding} not supported")


def _unzstd(stream, limit: int) -> bytes | None:
    """A zstd body, output bounded, when the zstandard module is installed."""
    data = _first_chunk(stream)
    if zstandard is None:
        if _looks_like_markup(data):
            return _plain(data, stream, limit)
        raise _PayloadError("bad_content_encoding", "Content-Encoding zstd: no zstd decoder installed")
    if not data.startswith(b"\x28\xb5\x2f\xfd") and _looks_like_markup(data):
        return _plain(data, stream, limit)  # labelled zstd, sent plain

    class _Joined:  # the first chunk, then the rest of the stream
        def __init__(self):
            self.first = data

        def read(self, size=-1):
            if self.first:
                out, self.first = self.first, b""
                return out
            return stream.read(size)

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(_Joined(), read_across_frames=True)
        return _read_capped(reader, limit)
    except zstandard.ZstdError as exc:
        raise _PayloadError("bad_content_encoding", f"Content-Encoding zstd: {exc}") from None


def _first_chunk(stream) -> bytes:
    return stream.read(_READ_CHUNK)


def _inflate(stream, limit: int, coding: str) -> bytes | None:
    """gzip or deflate (zlib-wrapped or raw) body, output bounded; a body that is not compressed at all (a lying
    label) is taken as it is."""
    data = _first_chunk(stream)
    if data[:2] == b"\x1f\x8b":
        wbits = _GZIP_WBITS
    elif len(data) > 1 and data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0:
        wbits = zlib.MAX_WBITS
    elif coding == "deflate":
        wbits = -zlib.MAX_WBITS
    else:
        return _plain(data, stream, limit)
    inflater = zlib.decompressobj(wbits)
    out, total, seen, after = [], 0, [], None
    for feed in _feeds(data, stream):
        if not total:
            seen.append(feed)  # kept only until the first output: a lying label is then read as it is
        if after is not None:  # a member ended: another one (a gzip body of several members) or ignored bytes
            after += feed
            if len(after) < 2:
                continue
            if wbits != _GZIP_WBITS or after[:2] != b"\x1f\x8b":
                break  # what follows a finished stream is ignored
            inflater, feed, after = zlib.decompressobj(wbits), after, None
        try:
            chunk = inflater.decompress(feed, limit + 1 - total)
            while inflater.eof and inflater.unused_data[:2] == b"\x1f\x8b" and wbits == _GZIP_WBITS:
                room = limit + 1 - total - len(chunk)
                if room <= 0:
                    break  # the cap is already passed (and zlib reads a max_length of 0 as no limit at all)
                rest = inflater.unused_data
                inflater = zlib.decompressobj(wbits)
                chunk += inflater.decompress(rest, room)
        except zlib.error as exc:
            if not total and wbits == -zlib.MAX_WBITS:
                return _plain(b"".join(seen), stream, limit)  # 'deflate' on bytes that are not deflate
            if total and ("incorrect data check" in str(exc) or "incorrect length check" in str(exc)):
                break  # only the trailer is wrong: the body inflated whole
            raise _PayloadError("bad_content_encoding",
                                f"Content-Encoding {coding}: {exc} after {total} bytes") from None
        out.append(chunk)
        total += len(chunk)
        if total > limit:
            return None
        if inflater.eof:
            after = inflater.unused_data
            if len(after) >= 2 and (wbits != _GZIP_WBITS or after[:2] != b"\x1f\x8b"):
                break
    else:
        if total and not inflater.eof:
            raise _CutBody(b"".join(out), f"Content-Encoding {coding}: the body ends inside the compressed "
                                          f"stream, after {total} bytes")
    return b"".join(out)


def _feeds(first: bytes, stream) -> Iterator[bytes]:
    """The body in chunks, its last _TRAILER_HELD bytes (gzip's CRC and size, zlib's Adler-32) as a chunk of their
    own, so that a wrong trailer fails a call that has no page text to lose."""
    held = first
    while more := stream.read(_READ_CHUNK):
        held += more
        yield held[:-_TRAILER_HELD]
        held = held[-_TRAILER_HELD:]
    yield held[:-_TRAILER_HELD]
    yield held[-_TRAILER_HELD:]


def _unbrotli(stream, limit: int) -> bytes | None:
    """A br body, output bounded; bytes that are not brotli from the first byte on are taken as they are."""
    data = _first_chunk(stream)
    if brotli is None:
        raise _PayloadError("bad_content_encoding", "Content-Encoding br: no brotli decoder installed")
    decoder = brotli.Decompressor()
    out, total = [], 0
    while True:
        try:
            chunk = decoder.process(data, output_buffer_limit=limit + 1 - total)
            while not decoder.can_accept_more_data() and len(chunk) + total <= limit:
                more = decoder.process(b"", output_buffer_limit=limit + 1 - total - len(chunk))
                if not more:
                    break
                chunk += more
        except brotli.error as exc:
            if not total and _looks_like_markup(data):
                return _plain(data, stream, limit)  # labelled br, sent plain
            raise _PayloadError("bad_content_encoding",
                                f"Content-Encoding br: {exc} after {total} bytes") from None
        out.append(chunk)
        total += len(chunk)
        if total > limit:
            return None
        if decoder.is_finished():
            return b"".join(out)
        data = stream.read(_READ_CHUNK)
        if not data and decoder.can_accept_more_data():
            raise _CutBody(b"".join(out), f"Content-Encoding br: the body ends inside the compressed stream, "
                                          f"after {total} bytes")


def _looks_like_markup(data: bytes) -> bool:
    return data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"<"


def _plain(first: bytes, stream, limit: int) -> bytes | None:
    rest = _read_capped(stream, max(limit - len(first), 0)) if len(first) <= limit else None
    return None if rest is None else first + rest


def _as_page(record):
    """An HTML resource record (a page stored as it is: wget --warc-file, browser archivers) read as a response:
    HTTP headers of its WARC Content-Type alone and status 200, so the status, header and payload steps treat it as
    one (no codings: its payload is the page as it is). warcio never gives a resource record HTTP headers."""
    if record.rec_type == "resource" and record.http_headers is None:
        content_type = record.rec_headers.get_header("Content-Type")
        if _is_html(content_type):
            record.http_headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    return record


def _skip_reason(record) -> str | None:
    """A fixed set of reasons, never built from the record's text: a status is three digits or the record has
    no HTTP headers. An HTML resource record has them from _as_page."""
    if record.rec_type != "response" and not (record.rec_type == "resource" and record.http_headers is not None):
        if record.rec_type in _OWN_SKIP_TYPES:
            return record.rec_type
        return "not_response" if record.rec_type in WARC_TYPES else "unknown_type"
    if record.http_headers is None:
        return "no_http_headers"
    status = record.http_headers.get_statuscode() or ""
    if not (len(status) == 3 and status.isdigit()) or not record.http_headers.protocol.upper().startswith("HTTP/"):
        return "no_http_headers"  # the payload is not an HTTP response (warcio took page text for its status line)
    if status != "200":
        return f"http_status_{status}"
    content_type = record.http_headers.get_header("Content-Type")
    if not content_type:
        return "no_content_type"
    if not _is_html(content_type):
        return "not_html"
    return None


def _is_html(content_type: str | None) -> bool:
    low = (content_type or "").lower()
    return any(t in low for t in HTML_TYPES)


class _CountingReader:
    """Counts bytes pulled from the file, to notice a gzip file that ends inside a record. `count` is the file
    offset reached: reading may start at `start` and end at `stop` (a range of a split file), which then looks
    like a whole file to warcio."""

    def __init__(self, raw, start: int = 0, stop: int | None = None):
        self.raw = raw
        self.start = self.count = start
        self.stop = stop
        self.gzipped = False

    def read(self, size=-1):
        if self.stop is not None:
            left = max(self.stop - self.count, 0)
            size = left if size is None or size < 0 else min(size, left)
        data = self.raw.read(size)
        if self.count == self.start and data[:2] == b"\x1f\x8b":
            self.gzipped = True
        self.count += len(data)
        return data

    def tell(self):
        return self.count


def _cut_short(record) -> bool:
    """True when the file ended before the record's declared Content-Length."""
    return record is not None and getattr(record.raw_stream, "limit", 0) > 0


def _headers_cut(record) -> bool:
    """Content-Length is mandatory; a header block without it was cut before its end."""
    value = record.rec_headers.get_header("Content-Length")
    return not (value and value.strip().isdigit())


class _CheckedIterator(ArchiveIterator):
    """ArchiveIterator that notices a gzip member ending without its trailer (CRC and size), and a record that does
    not end where its Content-Length says.

    warcio reads such a member's payload and moves on silently; a file cut inside the last member's 8-byte trailer
    would otherwise look complete. A record whose Content-Length is wrong is not followed by its blank lines: warcio
    only prints a warning and goes on from a wrong place (the record itself has a cut or overlong payload).
    """

    member_cut = False
    bad_end = False  # the record just read was not followed by a blank line
    blank_bytes, after_line = 0, None
    blank_start = b""  # the first bytes of those blank lines: CRLF CRLF, or LF LF from a writer of bare LFs

    def read_to_end(self, record=None):
        pending = self.record is not None and not self.member_info
        result = super().read_to_end(record)
        decompressor = self.reader.decompressor if pending and self.reader is not None else None
        if decompressor is not None and hasattr(decompressor, "eof") and not decompressor.eof:
            self.member_cut = True
        return result

    def _consume_blanklines(self):
        """warcio's, minus the warning on stderr: the first line after a record must be blank. Keeps what it saw
        (`blank_bytes` of blank lines, `blank_start`, then `after_line`, None at the end of the file) for the
        boundary check."""
        empty_size, first_line, blank = 0, True, b""
        while True:
            line = self.reader.readline()
            self.blank_bytes, self.blank_start, self.after_line = empty_size, blank, line or None
            if not line:
                return None, empty_size
            if not line.rstrip() or first_line:
                empty_size += len(line)
                if line.rstrip():
                    self.bad_end = True
                elif len(blank) < _RECORD_TRAILER:
                    blank += line
                first_line = False
                continue
            return line, empty_size


def _file_cut(previous, iterator: _CheckedIterator, counting: _CountingReader, end: int, fileobj=None) -> bool:
    """At the end of the file: did it stop inside a record, a gzip trailer or the record separator?"""
    if previous is None:
        return counting.count > counting.start  # bytes, but not one whole record
    if _cut_short(previous) or iterator.member_cut:
        return True
    leftover = counting.count - end
    if counting.gzipped:
        return leftover > 0  # the start of a member warcio could not read
    # An uncompressed record is followed by exactly CRLF CRLF (LF LF from writers that use bare LFs): fewer bytes
    # mean a cut separator, more mean the start of a record cut in its header block.
    if leftover == 2 and fileobj is None:  # read inflated (no seek): what warcio read after the record tells
        return iterator.blank_bytes != 2 or iterator.blank_start != b"\n\n"
    if leftover == 2 and _seek(fileobj, end):
        return fileobj.read(2) != b"\n\n"
    if _RECORD_TRAILER < leftover <= _BOUNDARY_BYTES and fileobj is not None and _seek(fileobj, end):
        return bool(fileobj.read(leftover).strip(_WHITESPACE))  # blank lines too many at the end cut nothing
    return leftover != _RECORD_TRAILER


def iter_warc_records(fileobj: BinaryIO, source_name: str, *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
                      start: int = 0, stop: int | None = None) -> Iterator[tuple[str, dict | None, str | None]]:
    """Yield (position, raw_record | None, reason | None) per WARC record, streaming; a reason is a Reason (a str
    with a `detail`).

    position is "<source_name>@<byte offset>": unique, non-negative and the same on every read. Damage in the middle
    of the file (a wrong Content-Length, bytes between records, a corrupt or cut gzip member) gives one
    ("<source_name>@<offset>", None, "warc_damaged") for the damaged span, from the offset where the read failed
    (the damaged record's, or the end of the last whole one) to the next record start found after it (fileobj
    seekable: the next gzip member that inflates to a WARC header block in a .warc.gz, else the next WARC/1.x
    (or 0.17, 0.18) header block), and the read goes on from there. A file that is damaged to its end, or cut, ends with
    ("<source_name>@<offset>#cut", None, "truncated_warc") and nothing after it: the offset of the first record
    that could not be read whole, or the end of the last one when only what follows it is damaged (a cut gzip
    trailer or record separator: that record is whole and comes out). No record has such a position, in this read
    or a later one of the file grown. A valid gzip of nothing yields nothing, like an empty file. One record's
    payload that cannot be decoded is that record's rejection (bad_content_encoding, unreadable_payload,
    record_too_large), never the end of the read. A page stored in part (WARC-Truncated, or a compressed body that
    ends early) comes with Reason(TRUNCATED_KEPT) beside its record when what is there holds an article, else it is
    rejected as truncated_payload.
    A range [start, stop) of a gzip-per-record file (fileobj seekable): both ends must be member offsets from
    warc_ranges, which only splits an intact chain of one-record members; the range is then read as if it were
    the whole file, and the ranges together yield what the whole read yields.
    A gzip member holding several records (a whole-file gzip, or such files joined end to end) is read again
    inflated from that member on (fileobj seekable): its records and the rest of the file are at the member's
    offset plus their offset in the inflated data (no record inside a member has a compressed offset of its own).
    """
    if start or stop is not None:
        fileobj.seek(start)
    at, outer_end = start, 0  # outer_end: the claimed end of a damaged record the read resumed inside
    while True:
        counting = _CountingReader(fileobj, at, stop)
        damage = None
        for item in _records(fileobj, counting, source_name, max_record_bytes, stop):
            if isinstance(item, _Damage):
                damage = item
                break
            yield item
        if damage is None:
            return
        # A .warc.gz that does not start with a gzip member (junk first) is still searched for members; one whose
        # damaged record was read plain (it has a claimed end) was decompressed by a download: searched as plain.
        gzipped = not damage.claimed_end and (counting.gzipped or source_name.lower().endswith(".gz"))
        # Damage before the claimed end of a damaged record the read resumed inside may be in that record's page
        # still (a quote that ends badly, text after a quote): a start before that end must show it is no quote.
        claimed_end = max(damage.claimed_end, outer_end) if damage.at < outer_end else damage.claimed_end
        resume, passed = None, []
        if damage.resumable and damage.digest is not None and claimed_end:
            # The damaged record's block digest names its true end: a start inside its claimed length is taken
            # only where the digest matches (a quoted record lies inside the block the digest covers).
            resume = _next_record_start(fileobj, damage.at + 1, stop, gzipped, claimed_end, damage.header_end,
                                        passed=passed, digest=damage.digest, by_digest=True)
            if resume is not None and resume >= claimed_end:
                resume, passed = None, []  # it matched nowhere inside (a wrong digest, a changed byte): look again
        if damage.resumable and resume is None:
            resume = _next_record_start(fileobj, damage.at + 1, stop, gzipped, claimed_end, damage.header_end,
                                        separated=True, passed=passed, digest=damage.digest)
        if resume is None:
            yield _marker(source_name, damage.at, damage.cause)
            return
        over = f"; record start passed over at {', '.join(map(str, passed[:5]))} (not ending at its Content-Length)" \
            if passed else ""
        yield (f"{source_name}@{damage.at}", None,
               Reason("warc_damaged", f"{damage.cause}; bytes {damage.at}-{resume} skipped ({resume - damage.at} "
                                      f"bytes), reading resumed at the next record, at {resume}{over}"))
        at, outer_end = resume, claimed_end if resume < claimed_end else 0
        if not _seek(fileobj, at):
            return


def _records(fileobj, counting: _CountingReader, source_name: str, max_record_bytes: int, stop: int | None,
             inflated: bool = False, skip: int = 0):
    """iter_warc_records over `counting`, up to the first damage, which it yields as a _Damage and stops; the first
    `skip` records are read but not yielded. `inflated`: counting reads inflated data, so no member can hold
    several records (and a damaged one cannot be searched past)."""
    iterator = _CheckedIterator(counting)
    records = iter(iterator)
    previous, offset, end = None, counting.start, counting.start
    resumable = not inflated
    while True:
        try:
            record = next(records)
        except StopIteration:
            if previous is None and not inflated and _inflates_to_nothing(fileobj, counting):
                return
            if _file_cut(previous, iterator, counting, end, None if inflated else fileobj) or (
                    inflated and fileobj.broken):
                # every record read was yielded whole; the damage is after it
                yield _Damage(end, f"unreadable bytes after {end}", resumable)
            return
        except ArchiveLoadFailed as exc:
            if _one_gzip_stream(exc) and previous is not None and not inflated and _seek(fileobj, offset):
                # warcio noticed the last record's member goes on: read it again inflated from there
                yield from _inflated_records(fileobj, offset, stop, source_name, max_record_bytes, skip + 1)
                return
            yield _Damage(end, f"no WARC record at {end}", resumable)  # the record after the last one read
            return
        except Exception as exc:  # warcio raises assorted errors on cut or corrupt input
            yield _Damage(end, f"no WARC record at {end} ({type(exc).__name__})", resumable)
            return
        if _cut_short(previous):
            yield _Damage(end, f"record at {offset} cut", resumable)
            return
        previous = record = _as_page(record)
        iterator.bad_end = False
        reason = _skip_reason(record)
        body, problem, cut = None, None, None
        if not reason:
            try:
                body = _read_payload(record, max_record_bytes)
            except _CutBody as exc:
                body, cut = exc.data, exc.detail
            except _PayloadError as exc:
                problem = Reason(exc.reason, exc.detail)
            except Exception as exc:  # whatever a payload reader raises ends this record, not the file
                problem = Reason("unreadable_payload", f"{type(exc).__name__} while reading the payload")
        try:
            # warcio finds the offset by reading past the record, so ask only after the payload is read.
            offset = iterator.get_record_offset()
            end = offset + iterator.get_record_length()
        except Exception:  # the file is cut or corrupt inside this record
            yield _Damage(end, f"record at {end} unreadable", resumable)  # `offset` may still be the previous one's
            return
        if _cut_short(record) or _headers_cut(record):
            yield _Damage(offset, f"record at {offset} ends before its Content-Length", resumable)
            return
        # Only an uncompressed record's end says where the next one should start (a member's end is compressed).
        claimed_end = end + _RECORD_TRAILER if not counting.gzipped and not inflated else 0
        mixed = _header_damage(record)
        if mixed:
            yield _Damage(offset, f"record at {offset}: {mixed}", resumable, claimed_end,
                          offset + record.rec_headers.total_len)
            return
        junk_after = False
        if not counting.gzipped and not inflated and not _plain_end_ok(iterator) and _seek(fileobj, counting.count):
            # The bytes at its end are not a record separator and a record start: its Content-Length is wrong
            # (then the next record may start inside it: search from just after its start), or junk follows it.
            # (A file that cannot seek cannot be searched: warcio's blank-line check below is all there is.)
            found = _next_record_start(fileobj, offset + 1, stop, False, claimed_end)
            junk_after = _has_trailer(fileobj, end, stop) and (found is None or found >= claimed_end)
            if not junk_after or not _seek(fileobj, counting.count):
                yield _Damage(offset, f"record at {offset} does not end at its Content-Length "
                                      f"({record.rec_headers.get_header('Content-Length')})", resumable, claimed_end,
                              digest=_block_digest(record, offset))
                return
        elif (claimed_end and body and _content_coding(record) in ("", "identity")
              and _holds_version_line(body) and not _whole_by_digest(fileobj, record, offset, end, counting.count)):
            # An overlong Content-Length that swallowed the next record whole ends at a clean boundary; the page
            # then holds that record (rare in a page: look, and take a record that ends cleanly inside it), unless
            # the record's block digest says its block is whole as it is (a page that ends quoting a record). An
            # inflated body cannot hold it (bytes after a compressed stream are dropped), so it is not searched.
            found = _next_record_start(fileobj, offset + 1, stop, False, claimed_end)
            if not _seek(fileobj, counting.count) or (found is not None and found < claimed_end):
                yield _Damage(offset, f"record at {offset} holds a whole record at {found}: its Content-Length "
                                      f"({record.rec_headers.get_header('Content-Length')}) is too long",
                              resumable, claimed_end, digest=_block_digest(record, offset))
                return
        elif iterator.bad_end and not iterator.member_cut:
            yield _Damage(offset, f"record at {offset} does not end at its Content-Length "
                                  f"({record.rec_headers.get_header('Content-Length')})", resumable, claimed_end,
                          digest=_block_digest(record, offset) if claimed_end else None)
            return
        # The next record already started in this record's gzip member: warcio's offsets from here on would mix
        # compressed and inflated bytes (even negative ones), so the member is read again inflated.
        shared_member = counting.gzipped and bool(iterator.next_line) and not inflated
        junk_in_member = shared_member and not iterator.next_line.startswith(_VERSION_STARTS)
        if junk_in_member and not _separated(iterator):
            # Text, not a record, after it in its member, and not even its separator before that: its
            # Content-Length is too short. Damage to this record; the next member is searched for (read inflated,
            # the text would stop the read, with every member after it unread).
            yield _Damage(offset, f"record at {offset} does not end at its Content-Length "
                                  f"({record.rec_headers.get_header('Content-Length')}): more of its gzip member "
                                  f"follows", resumable)
            return
        if skip:
            skip -= 1
        else:
            yield _safe_item(f"{source_name}@{offset}", record, reason or problem, body, max_record_bytes, cut)
        if junk_after:  # the record is whole; what follows it is searched for the next one
            yield _Damage(end, f"no WARC record at {end}", resumable)
            return
        if junk_in_member:  # whole by its separator, then text in its member: the next member is searched for
            at = max(end, offset + 1)
            yield _Damage(at, f"no WARC record after the record at {offset}, in its gzip member", resumable)
            return
        if shared_member:
            if _seek(fileobj, offset):
                yield from _inflated_records(fileobj, offset, stop, source_name, max_record_bytes, 1)
            else:
                yield _Damage(end, "gzip member with several records, file not seekable", False)
            return


def _marker(source_name: str, at: int, detail: str = "") -> tuple[str, None, str]:
    return f"{source_name}@{at}{CUT_MARK}", None, Reason("truncated_warc", detail or f"file cut at {at}")


def _next_record_start(fileobj, after: int, stop: int | None, gzipped: bool, claimed_end: int = 0,
                       header_end: int = 0, separated: bool = False, passed: list | None = None,
                       digest: _BlockDigest | None = None, by_digest: bool = False) -> int | None:
    """The first offset at or after `after` (and before stop) where a WARC record starts: a gzip member whose
    first inflated bytes are a WARC header block, or (not gzipped) such a header block itself. One in the payload
    of a damaged record (between `header_end` and `claimed_end`) may be a page quoting a record, so it must end
    where another record (or the file) starts, or, with `separated` (the resync after damage), follow the end of
    the damaged record (_follows_the_damaged_record), as a record after a damaged one does when junk follows it. The
    starts passed over for that go to `passed`. `by_digest`: one there is taken only where the damaged record's
    `digest` matches its block up to it. None if there is none or fileobj cannot seek. Reads _RESYNC_WINDOW bytes
    at a time."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    passed = [] if passed is None else passed
    pos = after
    while stop is None or pos < stop:
        if not _seek(fileobj, pos):
            return None
        want = _RESYNC_WINDOW if stop is None else min(_RESYNC_WINDOW, stop - pos)
        window = fileobj.read(want)
        found = window.find(magic)
        while found >= 0:
            at = pos + found
            in_payload = not gzipped and header_end <= at < claimed_end
            before = len(passed)
            if _starts_record(fileobj, at, stop, gzipped, in_payload and claimed_end, separated, passed, digest,
                              by_digest):
                return at
            if len(passed) > before:  # a record passed over may be a page quoting records too: its extent is checked
                claimed_end = max(claimed_end, (_record_end(fileobj, at, stop) or 0) + _RECORD_TRAILER)
            found = window.find(magic, found + 1)
        if len(window) < want or len(window) < len(magic):
            return None
        pos += len(window) - len(magic) + 1
    return None


def _starts_record(fileobj, at: int, stop: int | None, gzipped: bool, check_end: int = 0,
                   separated: bool = False, passed: list | None = None, digest: _BlockDigest | None = None,
                   by_digest: bool = False) -> bool:
    """Is there a WARC header block at `at`? `check_end`: the claimed end of a damaged record it lies inside; it
    must then show it is no quote (_next_record_start)."""
    if not _seek(fileobj, at):
        return False
    # A cheap look first: junk lines (or gzip members of them) that begin with 'WARC/' go no further.
    first = fileobj.read(_VERSION_LINE_BYTES if not gzipped else _GZIP_PEEK)
    if gzipped:
        try:
            first = zlib.decompressobj(_GZIP_WBITS).decompress(first, _VERSION_LINE_BYTES)
        except zlib.error:
            return False
    if ((first or not gzipped) and not _VERSION_LINE.match(first)) or not _seek(fileobj, at):
        return False  # (a gzip header too long to inflate anything from _GZIP_PEEK bytes gets the full look)
    head = fileobj.read(_SCAN_HEAD if stop is None else min(_SCAN_HEAD, stop - at))
    if gzipped:
        try:
            head = zlib.decompressobj(_GZIP_WBITS).decompress(head, _SCAN_HEAD)
        except zlib.error:
            return False
    if not head.startswith(_WARC_MAGIC):
        return False
    try:
        record = _RECORD_LOADER.parse_record_stream(io.BytesIO(head), known_format="warc", no_record_parse=True)
    except Exception:  # not a header block warcio can read
        return False
    headers = record.rec_headers
    if not record.rec_type or _headers_cut(record) or headers.total_len > len(head) or _header_damage(record):
        return False
    if check_end:
        end = at + headers.total_len + int(headers.get_header("Content-Length"))
        if _digest_matches(fileobj, digest, at - _RECORD_TRAILER) or not by_digest and (
                _ends_cleanly(fileobj, end, stop)
                or (separated and _follows_the_damaged_record(fileobj, at, end, stop, check_end))):
            return True
        if passed is not None:
            passed.append(at)
        return False
    return True


def _follows_the_damaged_record(fileobj, at: int, end: int, stop: int | None, claimed_end: int) -> bool:
    """Does a record start inside a damaged record's claimed length, ending at its own record separator, follow
    the damaged record instead of being quoted in its page? It does when the damaged record's page ends right
    before it ('</html>' and a separator: a quote sits inside the page's text, before its '</html>'), or when the
    damaged record cannot end after it: no record separator between its own and the next record start at or
    after the claimed end (or the file's end), so the damaged record's own separator is not there (a plain-text
    page has no '</html>' to tell; a quote is followed by the rest of its page, then that separator; junk may sit
    before the record). A start before the claimed end may be a second quote of the same page: not counted; nor
    one after it that is followed by page text itself (a second quote of a page the claimed length ends in)."""
    own = _own_separator(fileobj, end, stop)
    if not own:
        return False
    if at >= _PAGE_END_BYTES and _seek(fileobj, at - _PAGE_END_BYTES):
        before = fileobj.read(_PAGE_END_BYTES)  # the page's separator is of the record's own kind
        if (before.endswith(b"\r\n\r\n" if own == 4 else b"\n\n")
                and before.rstrip(_WHITESPACE).lower().endswith(b"</html>")):
            return True
    after = _next_record_start(fileobj, max(end, claimed_end), stop, False)
    if after is not None and not _ends_alone(fileobj, after, stop):
        return False
    if after is None:
        after = _file_end(fileobj, stop)
    return after is not None and not _holds_page_text(fileobj, end + own, after)


def _record_end(fileobj, at: int, stop: int | None) -> int | None:
    """The end by its Content-Length of the record whose header block starts at `at` (found by _starts_record)."""
    if not _seek(fileobj, at):
        return None
    head = fileobj.read(_SCAN_HEAD if stop is None else min(_SCAN_HEAD, stop - at))
    try:
        headers = _RECORD_LOADER.parse_record_stream(io.BytesIO(head), known_format="warc",
                                                     no_record_parse=True).rec_headers
        return at + headers.total_len + int(headers.get_header("Content-Length"))
    except Exception:  # checked by _starts_record already
        return None


def _own_separator(fileobj, end: int, stop: int | None) -> int:
    """The length of the record separator at `end` (4: CRLF CRLF, 2: LF LF), 0 when there is none."""
    if not _seek(fileobj, end):
        return 0
    own = fileobj.read(_RECORD_TRAILER if stop is None else max(min(_RECORD_TRAILER, stop - end), 0))
    return 4 if own == b"\r\n\r\n" else 2 if own[:2] == b"\n\n" else 0


def _ends_alone(fileobj, at: int, stop: int | None) -> bool:
    """Does the record starting at `at` end, by its Content-Length, cleanly, or at its own separator with no page
    text between it and the next record start (or the file's end)?"""
    end = _record_end(fileobj, at, stop)
    if end is None:
        return False
    if _ends_cleanly(fileobj, end, stop):
        return True
    own = _own_separator(fileobj, end, stop)
    if not own:
        return False
    after = _next_record_start(fileobj, end, stop, False)
    after = _file_end(fileobj, stop) if after is None else after
    return after is not None and not _holds_page_text(fileobj, end + own, after)


def _holds_page_text(fileobj, start: int, stop: int) -> bool:
    """Is there a record separator (CRLF CRLF, or LF LF) or a closing tag ('</': the markup of a page that quotes
    a record, as in '</pre>'; junk from a writer has none) in bytes [start, stop)? Reads _RESYNC_WINDOW at a
    time. True when the bytes cannot be read (then nothing is concluded from them)."""
    pos = start
    while pos < stop:
        if not _seek(fileobj, pos):
            return True
        window = fileobj.read(min(_RESYNC_WINDOW, stop - pos))
        if not window:
            return True
        if b"\r\n\r\n" in window or b"\n\n" in window or b"</" in window:
            return True
        pos += max(len(window) - 3, 1) if pos + len(window) < stop else len(window)
    return False


def _file_end(fileobj, stop: int | None) -> int | None:
    if stop is not None:
        return stop
    try:
        return fileobj.seek(0, io.SEEK_END)
    except (AttributeError, OSError, ValueError):
        return None


class _BlockDigest:
    """A record's WARC-Block-Digest and a running hash of its block: a damaged record's claimed length is checked
    at every record start quoted in it, in file order, so each check hashes on from the last one (hashing from the
    block's start each time made a page quoting many records quadratic: 32 MB with 1,600 quotes took 16 s)."""

    __slots__ = ("start", "name", "want", "_hasher", "_at")

    def __init__(self, start: int, name: str, want: bytes):
        self.start, self.name, self.want = start, name, want
        self._hasher, self._at = None, start

    def matches(self, fileobj, end: int) -> bool:
        """Is the block from its start to `end` what the digest says? Hashed _READ_CHUNK at a time."""
        if end < self.start:
            return False
        if self._hasher is None or end < self._at:
            self._hasher, self._at = hashlib.new(self.name), self.start
        if not _seek(fileobj, self._at):
            return False
        while self._at < end:
            chunk = fileobj.read(min(_READ_CHUNK, end - self._at))
            if not chunk:
                return False
            self._hasher.update(chunk)
            self._at += len(chunk)
        return self._hasher.copy().digest() == self.want


def _block_digest(record, offset: int) -> _BlockDigest | None:
    """The record's WARC-Block-Digest ('sha1:' + base32, as warcio, wget and Heritrix write it, or hex; sha256,
    md5 too) over its block, which starts after its header block; None without a usable one."""
    value = record.rec_headers.get_header("WARC-Block-Digest")
    name, _, coded = (value or "").strip().partition(":")
    name = name.strip().lower().replace("-", "")
    if name not in ("sha1", "sha256", "md5"):
        return None
    size, coded = hashlib.new(name).digest_size, coded.strip()
    try:
        digest = bytes.fromhex(coded) if len(coded) == 2 * size else base64.b32decode(coded.upper())
    except (ValueError, binascii.Error):
        return None
    return _BlockDigest(offset + record.rec_headers.total_len, name, digest) if len(digest) == size else None


def _digest_matches(fileobj, digest: _BlockDigest | None, end: int) -> bool:
    return digest is not None and digest.matches(fileobj, end)


def _whole_by_digest(fileobj, record, offset: int, end: int, back: int) -> bool:
    """Does the record's block digest match its block as its Content-Length gives it? The file is then sought back
    to `back` (where warcio's read is); True too when it cannot be (the caller's checks need it there)."""
    whole = _digest_matches(fileobj, _block_digest(record, offset), end)
    return not _seek(fileobj, back) or whole


def _header_damage(record) -> str | None:
    """What makes a header block two records' in one (a writer that died inside a header and started again, junk
    lines that begin with 'WARC/'): a version line with more on it, or a field that can only be there once twice."""
    headers = record.rec_headers
    if headers.statusline and headers.statusline.strip():
        return "its first line is not a WARC version line alone"
    fields = headers.headers
    if len({name for name, _ in fields}) == len(fields):
        return None  # no name twice (the common case, checked once per record: kept cheap)
    names = [name.lower() for name, _ in fields]
    for name in _UNIQUE_FIELDS:
        if names.count(name) > 1:
            return f"its header block has {name} twice (a record cut inside its header, another after it)"
    return None


def _ends_cleanly(fileobj, end: int, stop: int | None) -> bool:
    """Is `end` (an uncompressed record's end by its Content-Length) followed by a record separator and the next
    record's version line, or the end of the file? Reads a few bytes; the caller restores the position."""
    if not _seek(fileobj, end):
        return True  # not seekable: warcio's own blank-line check is all there is
    after = fileobj.read(_BOUNDARY_BYTES if stop is None else max(min(_BOUNDARY_BYTES, stop - end), 0))
    # Blank lines of any number (an extra CRLF from a writer or a concatenation), as warcio skips them.
    rest = after.lstrip(_WHITESPACE)
    return rest.startswith(_VERSION_STARTS) or (not rest and len(after) < _BOUNDARY_BYTES)


def _separated(iterator: _CheckedIterator) -> bool:
    """Was the record just read followed by its whole separator: CRLF CRLF, or LF LF (a writer of bare LFs)?"""
    return iterator.blank_bytes >= _RECORD_TRAILER or iterator.blank_start.startswith(b"\n\n")


def _plain_end_ok(iterator: _CheckedIterator) -> bool:
    """_ends_cleanly for the record just read, from what warcio read after it (no seek): blank lines (CRLF CRLF, or
    more: warcio skips any number, and so did this reader before the check), then the next version line or the end
    of the file."""
    line = iterator.after_line
    return not iterator.bad_end and (line is None or line.startswith(_VERSION_STARTS))


def _holds_version_line(body: bytes) -> bool:
    return b"\r\n\r\nWARC/1." in body or (b"\r\n\r\nWARC/0.1" in body and any(
        b"\r\n\r\n" + v in body for v in _VERSION_STARTS[1:]))


def _has_trailer(fileobj, end: int, stop: int | None) -> bool:
    if not _seek(fileobj, end):
        return False
    return fileobj.read(_RECORD_TRAILER if stop is None else max(min(_RECORD_TRAILER, stop - end), 0)) == b"\r\n\r\n"


def _inflates_to_nothing(fileobj, counting: _CountingReader) -> bool:
    """Is the file (or range) intact gzip members that hold no bytes at all (a compressed empty WARC)? Asked only
    of a read that found no record, so it reads little: up to the first inflated byte or the damage."""
    if not counting.gzipped or not _seek(fileobj, counting.start):
        return False
    inflating = _Inflating(_CountingReader(fileobj, counting.start, counting.stop))
    return inflating.read(1) == b"" and not inflating.broken


def _safe_item(position: str, record, reason: str | None, body: bytes | None, limit: int,
               cut: str | None = None) -> tuple[str, dict | None, str | None]:
    """_item, where any failure building the one record is that record's rejection: the file reads on."""
    try:
        return _item(position, record, reason, body, limit, cut)
    except Exception as exc:  # noqa: BLE001 - one bad record must never end the file or the job
        url = record.rec_headers.get_header("WARC-Target-URI")
        return position, None, Reason("unreadable_payload", f"{type(exc).__name__} building the record at "
                                                            f"{position}: {str(exc)[:200]}, url={url}")


def _item(position: str, record, reason: str | None, body: bytes | None, limit: int,
          cut: str | None = None) -> tuple[str, dict | None, str | None]:
    if reason:
        return position, None, reason
    url = record.rec_headers.get_header("WARC-Target-URI")
    if body is None:
        return position, None, Reason(
            "record_too_large", f"decoded payload over {limit} bytes (Content-Length "
                                f"{record.rec_headers.get_header('Content-Length')}, Content-Encoding "
                                f"{_content_coding(record) or 'none'}), url={url}")
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated:
        cut = f"WARC-Truncated: {truncated} ({len(body)} bytes kept)" + (f"; {cut}" if cut else "")
    headers = _http_headers(record)
    raw = {
        "url": url,
        "scraped_at": rfc3339(record.rec_headers.get_header("WARC-Date")),
        "html": decode_html(body, headers),
        "headers": headers,
    }
    if cut:  # the crawler stored only part of the page: published only if an article is in the part
        if not _holds_article(raw["html"], url, headers):
            return position, None, Reason("truncated_payload", f"{cut}, no article in what is there, url={url}")
        return position, raw, Reason(TRUNCATED_KEPT, f"{cut}, url={url}")
    return position, raw, None


def _holds_article(html: str, url: str | None, headers: dict) -> bool:
    """Does the part of a page that was stored give an article? The same extractor the job runs afterwards; the
    cost is paid for cut pages only."""
    from pipelines.core.extraction import ExtractionError, extract_article

    try:
        return bool(extract_article(html, url, headers).text.strip())
    except ExtractionError:
        return False
    except Exception:  # an extractor bug on a cut page rejects that page, never the read
        return False


def _one_gzip_stream(exc: ArchiveLoadFailed) -> bool:
    """warcio's error for a .warc.gz compressed as one gzip stream instead of one member per record."""
    return "non-chunked gzip" in str(exc)


def _seek(fileobj, offset: int) -> bool:
    try:
        fileobj.seek(offset)
    except (AttributeError, OSError, ValueError):
        return False
    return True


class _Inflating:
    """A gzip stream read inflated, member after member; a cut or corrupt stream ends where it breaks (gzip.GzipFile
    raises instead, losing the block it had read), so the records before the damage still come out. `broken`: the
    input ended inside a member or held bytes that are not gzip (trailing garbage), which the records alone may not
    show."""

    def __init__(self, raw):
        self.raw, self.buffer, self.done, self.broken, self.fed = raw, b"", False, False, False
        self.inflater = zlib.decompressobj(wbits=_GZIP_WBITS)

    def read(self, size=-1):
        while not self.done and (size is None or size < 0 or len(self.buffer) < size):
            chunk = self.inflater.unconsumed_tail or self.raw.read(_READ_CHUNK)
            if not chunk:
                self.done, self.broken = True, self.fed  # fed but not at its end: cut, maybe in its trailer
                break
            try:
                self._inflate(chunk)
            except zlib.error:
                self.done = self.broken = True
                break
        if size is None or size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _inflate(self, data: bytes) -> None:
        self.fed = True
        self.buffer += self.inflater.decompress(data, _SCAN_CHUNK)
        while self.inflater.eof:  # the next member starts in what is left of the chunk, maybe several do
            rest = self.inflater.unused_data
            self.inflater, self.fed = zlib.decompressobj(wbits=_GZIP_WBITS), False
            if not rest:
                break
            self.fed = True
            self.buffer += self.inflater.decompress(rest, _SCAN_CHUNK)


def _inflated_records(fileobj, member: int, stop: int | None, source_name: str, max_record_bytes: int, skip: int):
    """The records from the gzip member at `member` (fileobj is there) to the end, read inflated; positions are
    member + their offset in the inflated data, so they keep increasing past every record before. The first
    `skip` records were already yielded."""
    inflating = _Inflating(_CountingReader(fileobj, member, stop))
    yield from _records(inflating, _CountingReader(inflating, member), source_name, max_record_bytes, None,
                        inflated=True, skip=skip)


def _one_record(head: bytes, tail: bytes, inflated: int) -> bool:
    """Is a member's inflated data (first bytes `head`, last bytes `tail`, `inflated` bytes in all) exactly one
    WARC record that the reader takes without stopping? Parsed by warcio's own record loader, so the check and the
    read agree. Several records in a member, or a record the reader would stop at, make a file unsafe to split."""
    if not head.startswith(_WARC_MAGIC) or tail != b"\r\n\r\n":
        return False
    try:
        record = _RECORD_LOADER.parse_record_stream(io.BytesIO(head), known_format="warc")
    except Exception:  # warcio raises assorted errors on records it cannot read; the whole read stops there
        return False
    headers = record.rec_headers
    if (headers.total_len >= len(head) or record.rec_type not in WARC_TYPES or _headers_cut(record)
            or _header_damage(record)):
        return False  # the header block did not end inside `head`, or the reader would report a cut record
    return inflated == headers.total_len + int(headers.get_header("Content-Length").strip()) + _RECORD_TRAILER


def _member_offsets(fileobj: BinaryIO) -> Iterator[int]:
    """The offset of every gzip member of the file, walking the true chain from offset 0 (inflating, output
    dropped). Raises ValueError when the file is not a clean chain of one-record members."""
    offset, pending, fed = 0, b"", 0
    inflater, head, tail, inflated = None, b"", b"", 0
    while True:
        if not pending:
            pending = fileobj.read(_SCAN_CHUNK)
            if not pending:
                break
        if inflater is None:
            inflater, head, tail, inflated, fed = zlib.decompressobj(_GZIP_WBITS), b"", b"", 0, 0
            yield offset
        fed += len(pending)
        data = pending
        try:
            while True:
                out = inflater.decompress(data, _SCAN_OUT)
                inflated += len(out)
                if len(head) < _SCAN_HEAD:
                    head += out[: _SCAN_HEAD - len(head)]
                tail = (tail + out)[-_RECORD_TRAILER:] if len(out) < _RECORD_TRAILER else out[-_RECORD_TRAILER:]
                data = inflater.unconsumed_tail
                # A full output buffer may leave inflated bytes inside zlib with no input left: ask again.
                if inflater.eof or (not data and len(out) < _SCAN_OUT):
                    break
        except zlib.error as exc:
            raise ValueError(f"gzip error at member {offset}: {exc}") from exc
        if not inflater.eof:
            pending = b""
            continue
        if not _one_record(head, tail, inflated):
            raise ValueError(f"member at {offset} is not one WARC record")
        pending = inflater.unused_data
        offset += fed - len(pending)
        inflater = None
    if inflater is not None:
        raise ValueError(f"member at {offset} is cut")


def warc_ranges(fileobj: BinaryIO, range_bytes: int) -> list[tuple[int, int | None]]:
    """(start, stop) byte ranges of a gzip-per-record .warc.gz at least range_bytes apart, each from one true
    member offset to the next range's; [(0, None)] (read it whole) for a file that is not a clean chain of
    one-record members (damaged, one gzip stream, several records a member) or gives a single range.
    Reads the whole file once, sequentially: member offsets cannot be found safely by looking for gzip headers,
    since a record's payload may itself hold gzip members (an archived .warc.gz)."""
    starts, boundary = [], 0
    try:
        for offset in _member_offsets(fileobj):
            if offset >= boundary:  # the first member at or after boundary k * range_bytes
                starts.append(offset)
                boundary = (offset // range_bytes + 1) * range_bytes
    except ValueError:
        return [(0, None)]
    if len(starts) < 2:
        return [(0, None)]
    return list(zip(starts, starts[1:] + [fileobj.tell()]))  # the end the walk reached, not a listed size
