"""Stream raw records out of a WARC file: HTML 200 responses become raw records, everything else a skip reason."""

from __future__ import annotations

import zlib
from datetime import datetime, timezone
from typing import BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipelines.core.extraction.charset import decode_html

DEFAULT_MAX_RECORD_BYTES = 10_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_CHUNK = 1 << 16
_RECORD_TRAILER = 4  # the CRLF CRLF after each uncompressed record, outside its length
_GZIP_MAGIC = b"\x1f\x8b\x08"  # gzip id and deflate
_WARC_MAGIC = b"WARC/"
_MEMBER_PROBE = 1024  # compressed bytes inflated to check that a member starts a record
WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
                        "continuation"})
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
    offset reached: reading may start at `start` (a range of a split file)."""

    def __init__(self, raw, start: int = 0):
        self.raw = raw
        self.start = self.count = start
        self.gzipped = False

    def read(self, size=-1):
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

    position is "<source_name>@<byte offset>". A truncated or corrupt file ends with
    (position, None, "truncated_warc") and nothing after it.
    A range of a gzip-per-record file: fileobj (seekable) positioned at `start`, a record's first byte (see
    member_start); the records that begin before `stop` are yielded, and whatever follows the last of them if it is
    not a record the next range will find (the file's end, a cut or corrupt record). Ranges of an intact file
    yield what the whole read yields; in a corrupt one, a later range still reads past the damage.
    """
    counting = _CountingReader(fileobj, start)
    iterator = _CheckedIterator(counting)
    records = iter(iterator)
    previous, offset, end = None, start, start
    while True:
        if stop is not None and end >= stop and _begins_record(fileobj, end):
            return  # the next range's first record; anything else here (the end, a cut) is this range's to report
        try:
            record = next(records)
        except StopIteration:
            if _file_cut(previous, iterator, counting, end):
                yield f"{source_name}@{offset if _cut_short(previous) or iterator.member_cut else end}", None, "truncated_warc"
            return
        except Exception:  # warcio raises assorted errors on cut or corrupt input
            yield f"{source_name}@{offset}", None, "truncated_warc"
            return
        if _cut_short(previous):
            yield f"{source_name}@{offset}", None, "truncated_warc"
            return
        previous = record
        try:
            reason = _skip_reason(record)
            body = None if reason else _read_capped(record.content_stream(), max_record_bytes)
            # warcio finds the offset by reading past the record, so ask only after the payload is read.
            offset = iterator.get_record_offset()
            end = offset + iterator.get_record_length()
        except _TRUNCATION_ERRORS:
            yield f"{source_name}@{offset}", None, "truncated_warc"
            return
        position = f"{source_name}@{offset}"
        if _cut_short(record) or record.rec_type not in WARC_TYPES or _headers_cut(record):
            yield position, None, "truncated_warc"
            return
        if reason:
            yield position, None, reason
            continue
        if body is None:
            yield position, None, "record_too_large"
            continue
        headers = _http_headers(record)
        raw = {
            "url": record.rec_headers.get_header("WARC-Target-URI"),
            "scraped_at": rfc3339(record.rec_headers.get_header("WARC-Date")),
            "html": decode_html(body, headers),
            "headers": headers,
        }
        yield position, raw, None


def member_start(fileobj: BinaryIO, offset: int, stop: int) -> int | None:
    """The offset of the first gzip member at or after `offset`, and before `stop`, whose data begins a WARC record
    (a gzip header whose first inflated bytes are b"WARC/"); None if there is none. Where a range of a split
    gzip-per-record file starts reading."""
    pos = offset
    while pos < stop:
        fileobj.seek(pos)
        block = fileobj.read(_READ_CHUNK + len(_GZIP_MAGIC) - 1)
        if len(block) < len(_GZIP_MAGIC):
            return None
        at = block.find(_GZIP_MAGIC)
        while at != -1 and pos + at < stop:
            if _begins_record(fileobj, pos + at):
                return pos + at
            at = block.find(_GZIP_MAGIC, at + 1)
        pos += _READ_CHUNK
    return None


def _begins_record(fileobj: BinaryIO, offset: int) -> bool:
    """Does a gzip member beginning a WARC record start at offset? The file's position is kept."""
    here = fileobj.tell()
    try:
        fileobj.seek(offset)
        head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(fileobj.read(_MEMBER_PROBE), len(_WARC_MAGIC))
    except zlib.error:
        return False
    finally:
        fileobj.seek(here)
    return head == _WARC_MAGIC
