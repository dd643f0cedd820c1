"""Splitting raw input files into records (JSONL lines, whole .txt articles) without loading a file into memory."""
from __future__ import annotations

import gzip
import json
import zlib
from typing import BinaryIO, Iterator

from pipelines.core.records import CUT_MARK, REJECTED_RAW_CAP, TRUNCATED_KEPT, RawInput

# WARC records that are not pages (requests, metadata, non-HTML, non-200) are counted, not rejected; these reasons
# mean a page, or a span of the file, could not be read, so they go to the rejected set with their detail.
WARC_REJECT_REASONS = frozenset({"truncated_warc", "warc_damaged", "record_too_large", "bad_content_encoding",
                                 "unreadable_payload", "truncated_payload"})

_CHUNK = 1 << 20
# What gzip.GzipFile raises on a cut .gz (EOFError), bad deflate data (zlib.error), or a bad header, CRC, length or
# trailing bytes (BadGzipFile). Other OSErrors are I/O failures, worth a retry, so they are not caught.
_GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
CORRUPT_GZIP = "bad:corrupt_gzip"


def count_kept(raw: RawInput, tallies: dict[str, int]) -> None:
    """Tally a record kept from a truncated payload under TRUNCATED_KEPT."""
    if raw.truncated_kept:
        tallies[TRUNCATED_KEPT] = tallies.get(TRUNCATED_KEPT, 0) + 1


def count_skip(raw: RawInput, skipped: dict[str, int]) -> bool:
    """True for a WARC record that is not a page (kind 'skip:<reason>'), counted in skipped by reason: both jobs
    count a file's skips this way."""
    if not raw.kind.startswith("skip:"):
        return False
    reason = raw.kind[5:]
    skipped[reason] = skipped.get(reason, 0) + 1
    return True


def kind_of(path: str) -> str:
    low = path.lower()
    if low.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        return "jsonl"
    if low.endswith((".txt", ".txt.gz")):
        return "txt"
    if low.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
        return "html"
    if low.endswith((".warc", ".warc.gz")):
        return "warc"
    return "unsupported"


def open_maybe_gzip(fileobj: BinaryIO, path: str) -> BinaryIO:
    """.gz files are decompressed as a stream; WARC readers handle their own per-record gzip members."""
    low = path.lower()
    return gzip.GzipFile(fileobj=fileobj, mode="rb") if low.endswith(".gz") and not low.endswith(".warc.gz") else fileobj


def iter_jsonl(stream: BinaryIO, path: str, max_bytes: int) -> Iterator[RawInput]:
    """One RawInput per non-blank line. A line over max_bytes is still yielded (so it gets rejected with a reason),
    with its raw bytes cut at REJECTED_RAW_CAP and its true size recorded. A damaged .gz ends with one
    bad:corrupt_gzip record, '<path>:<line>#cut' at the first line it could not read; the lines before it are kept."""
    line_no = 0
    try:
        while True:
            line_no += 1  # the line being read
            line = stream.readline(max_bytes + 1)
            if not line:
                return
            size = len(line)
            if size > max_bytes and not line.endswith(b"\n"):
                kept = bytearray(line[:REJECTED_RAW_CAP])
                while True:
                    chunk = stream.readline(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if len(kept) < REJECTED_RAW_CAP:
                        kept += chunk[: REJECTED_RAW_CAP - len(kept)]
                    if chunk.endswith(b"\n"):
                        break
                yield RawInput(f"{path}:{line_no}", "jsonl", bytes(kept).rstrip(b"\r\n"), size)
                continue
            body = line.rstrip(b"\r\n")
            if body.strip():
                yield RawInput(f"{path}:{line_no}", "jsonl", body, len(body))
    except _GZIP_ERRORS:
        yield RawInput(f"{path}:{line_no}{CUT_MARK}", CORRUPT_GZIP, b"", 0)


def read_whole(stream: BinaryIO, path: str, kind: str) -> RawInput:
    """The file as one record (raw bytes capped, true size kept); a damaged .gz is one bad:corrupt_gzip record at
    '<path>#cut'."""
    try:
        data = stream.read(REJECTED_RAW_CAP + 1)
        size = len(data)
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
    except _GZIP_ERRORS:
        return RawInput(path + CUT_MARK, CORRUPT_GZIP, b"", 0)
    return RawInput(path, kind, data[:REJECTED_RAW_CAP], size)


def iter_warc(stream: BinaryIO, path: str, max_bytes: int, start: int = 0,
              stop: int | None = None) -> Iterator[RawInput]:
    """Response records with an HTML 200 page become JSONL-shaped raw records; other records become
    RawInput(kind="skip:<reason>") so they are counted, and unreadable ones RawInput(kind="bad:<reason>").
    With stop: the records of the range [start, stop) of a gzip-per-record file (ends from warc.warc_ranges)."""
    from pipelines.core.warc import iter_warc_records

    for position, record, reason in iter_warc_records(stream, path, max_record_bytes=max_bytes, start=start,
                                                      stop=stop):
        if record is not None:
            try:
                data = json.dumps(record, ensure_ascii=False).encode("utf-8")
            except (UnicodeEncodeError, TypeError, ValueError) as exc:  # one record's rejection, never the file's
                yield RawInput(position, "bad:unreadable_payload", b"", 0,
                               detail=f"{type(exc).__name__} writing the record at {position}: {str(exc)[:200]}")
                continue
            kept = reason == TRUNCATED_KEPT
            yield RawInput(position, "jsonl", data, len(data), detail=reason.detail if kept else "",
                           truncated_kept=kept, archived=True)
        elif reason in WARC_REJECT_REASONS:
            yield RawInput(position, f"bad:{reason}", b"", 0, detail=getattr(reason, "detail", ""))
        else:
            yield RawInput(position, f"skip:{reason}", b"", 0)


def iter_file(stream: BinaryIO, path: str, max_bytes: int) -> Iterator[RawInput]:
    kind = kind_of(path)
    stream = open_maybe_gzip(stream, path)
    if kind == "jsonl":
        yield from iter_jsonl(stream, path, max_bytes)
    elif kind == "warc":
        yield from iter_warc(stream, path, max_bytes)
    else:
        yield read_whole(stream, path, kind)
