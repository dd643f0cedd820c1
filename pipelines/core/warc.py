"""Stream raw records out of a WARC file: HTML 200 responses become raw records, everything else a skip reason."""

from __future__ import annotations

import io
import zlib
from datetime import datetime, timezone
from typing import BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader

from pipelines.core.extraction.charset import decode_html
from pipelines.core.records import CUT_MARK

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
_RECORD_LOADER = ArcWarcRecordLoader()
# What a cut-off or corrupt file raises while warcio reads it.
_TRUNCATION_ERRORS = (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError)


def rfc3339(warc_date: str | None) -> str | None:
    """WARC-Date (ISO 8601, maybe without 'Z' or with fractions) as RFC 3339 UTC."""
    if not warc_date:
        return None
    value = warc_date.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


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


def _skip_reason(record) -> str | None:
    if record.rec_type != "response":
        return "not_response"
    if record.http_headers is None:
        return "no_http_headers"
    status = record.http_headers.get_statuscode()
    if status != "200":
        return f"http_status_{status or 'missing'}"
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not any(t in content_type for t in HTML_TYPES):
        return "not_html"
    return None


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
    """ArchiveIterator that notices a gzip member ending without its trailer (CRC and size).

    warcio reads such a member's payload and moves on silently; a file cut inside the last
    member's 8-byte trailer would otherwise look complete.
    """

    member_cut = False

    def read_to_end(self, record=None):
        pending = self.record is not None and not self.member_info
        result = super().read_to_end(record)
        decompressor = self.reader.decompressor if pending and self.reader is not None else None
        if decompressor is not None and hasattr(decompressor, "eof") and not decompressor.eof:
            self.member_cut = True
        return result


def _file_cut(previous, iterator: _CheckedIterator, counting: _CountingReader, end: int) -> bool:
    """At the end of the file: did it stop inside a record, a gzip trailer or the record separator?"""
    if previous is None:
        return counting.count > counting.start  # bytes, but not one whole record
    if _cut_short(previous) or iterator.member_cut:
        return True
    leftover = counting.count - end
    if counting.gzipped:
        return leftover > 0  # the start of a member warcio could not read
    # An uncompressed record is followed by exactly CRLF CRLF: fewer bytes mean a cut separator,
    # more mean the start of a record cut in its header block.
    return leftover != _RECORD_TRAILER


def iter_warc_records(fileobj: BinaryIO, source_name: str, *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
                      start: int = 0, stop: int | None = None) -> Iterator[tuple[str, dict | None, str | None]]:
    """Yield (position, raw_record | None, skip_reason | None) per WARC record, streaming.

    position is "<source_name>@<byte offset>": unique, non-negative and the same on every read. A truncated or
    corrupt file ends with ("<source_name>@<offset>#cut", None, "truncated_warc") and nothing after it: the offset
    of the first record that could not be read whole, or the end of the last one when only what follows it is
    damaged (a cut gzip trailer or record separator: that record is whole and comes out). No record has such a
    position, in this read or a later one of the file grown. A valid gzip of nothing yields nothing, like an empty
    file.
    A range [start, stop) of a gzip-per-record file (fileobj seekable): both ends must be member offsets from
    warc_ranges, which only splits an intact chain of one-record members; the range is then read as if it were
    the whole file, and the ranges together yield what the whole read yields.
    A gzip member holding several records (a whole-file gzip, or such files joined end to end) is read again
    inflated from that member on (fileobj seekable): its records and the rest of the file are at the member's
    offset plus their offset in the inflated data (no record inside a member has a compressed offset of its own).
    """
    if start or stop is not None:
        fileobj.seek(start)
    yield from _records(fileobj, _CountingReader(fileobj, start, stop), source_name, max_record_bytes, stop)


def _records(fileobj, counting: _CountingReader, source_name: str, max_record_bytes: int, stop: int | None,
             inflated: bool = False, skip: int = 0):
    """iter_warc_records over `counting`; the first `skip` records are read but not yielded (markers always are).
    `inflated`: counting reads inflated data, so no member can hold several records."""
    iterator = _CheckedIterator(counting)
    records = iter(iterator)
    previous, offset, end = None, counting.start, counting.start
    while True:
        try:
            record = next(records)
        except StopIteration:
            if previous is None and not inflated and _inflates_to_nothing(fileobj, counting):
                return
            if _file_cut(previous, iterator, counting, end) or (inflated and fileobj.broken):
                yield _marker(source_name, end)  # every record read was yielded whole; the damage is after it
            return
        except ArchiveLoadFailed as exc:
            if _one_gzip_stream(exc) and previous is not None and not inflated and _seek(fileobj, offset):
                # warcio noticed the last record's member goes on: read it again inflated from there
                yield from _inflated_records(fileobj, offset, stop, source_name, max_record_bytes, skip + 1)
                return
            yield _marker(source_name, end)  # the record after the last one read starts at its end
            return
        except Exception:  # warcio raises assorted errors on cut or corrupt input
            yield _marker(source_name, end)
            return
        if _cut_short(previous):
            yield _marker(source_name, end)
            return
        previous = record
        try:
            reason = _skip_reason(record)
            body = None if reason else _read_capped(record.content_stream(), max_record_bytes)
            # warcio finds the offset by reading past the record, so ask only after the payload is read.
            offset = iterator.get_record_offset()
            end = offset + iterator.get_record_length()
        except _TRUNCATION_ERRORS:
            yield _marker(source_name, end)  # `offset` may still be the previous record's; this one starts at `end`
            return
        if _cut_short(record) or record.rec_type not in WARC_TYPES or _headers_cut(record):
            yield _marker(source_name, offset)  # this record is not yielded
            return
        # The next record already started in this record's gzip member: warcio's offsets from here on would mix
        # compressed and inflated bytes (even negative ones), so the member is read again inflated.
        shared_member = counting.gzipped and bool(iterator.next_line) and not inflated
        if skip:
            skip -= 1
        else:
            yield _item(f"{source_name}@{offset}", record, reason, body)
        if shared_member:
            if _seek(fileobj, offset):
                yield from _inflated_records(fileobj, offset, stop, source_name, max_record_bytes, 1)
            else:
                yield _marker(source_name, end)
            return


def _marker(source_name: str, at: int) -> tuple[str, None, str]:
    return f"{source_name}@{at}{CUT_MARK}", None, "truncated_warc"


def _inflates_to_nothing(fileobj, counting: _CountingReader) -> bool:
    """Is the file (or range) intact gzip members that hold no bytes at all (a compressed empty WARC)? Asked only
    of a read that found no record, so it reads little: up to the first inflated byte or the damage."""
    if not counting.gzipped or not _seek(fileobj, counting.start):
        return False
    inflating = _Inflating(_CountingReader(fileobj, counting.start, counting.stop))
    return inflating.read(1) == b"" and not inflating.broken


def _item(position: str, record, reason: str | None, body: bytes | None) -> tuple[str, dict | None, str | None]:
    if reason:
        return position, None, reason
    if body is None:
        return position, None, "record_too_large"
    headers = _http_headers(record)
    raw = {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "scraped_at": rfc3339(record.rec_headers.get_header("WARC-Date")),
        "html": decode_html(body, headers),
        "headers": headers,
    }
    return position, raw, None


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
    if headers.total_len >= len(head) or record.rec_type not in WARC_TYPES or _headers_cut(record):
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
