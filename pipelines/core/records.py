"""Raw-record parsing: bytes from a scraper in, a validated record dict or a precise rejection reason out."""
from __future__ import annotations

import codecs
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from urllib.parse import urlsplit

import fastjsonschema
import jsonschema

from pipelines.core.urls import PLACEHOLDER_URL_PREFIX

RAW_SCHEMA_PATH = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "schemas", "raw_record.schema.json"
)
DEFAULT_MAX_RECORD_BYTES = 5_000_000
# A plain-text body this long is a scraper fault (whole site dumps, concatenated pages), not an article;
# HTML bodies are bounded by the record limit only, since real pages carry far more markup than text.
DEFAULT_MAX_TEXT_CHARS = 200_000
# The raw body of a rejected record is kept up to this size, so an absurd record cannot blow up the rejected set.
REJECTED_RAW_CAP = 4_000_000
# Ends the input_ref of the rejection that marks where a damaged file's read stopped ("<path>@<offset>#cut",
# "<path>:<line>#cut", "<path>#cut"). No record's ref has it, so a marker never shares a ref with a record, even
# with one read later from the same file once it has grown.
CUT_MARK = "#cut"

# A page published from the stored part of a truncated payload: a record like any other, tallied beside the
# skips under this key by the readers, and taken out of the skips by the run report.
TRUNCATED_KEPT = "truncated_payload_kept"


class Rejected(Exception):
    """A record that cannot become an article; `reason` is a stable machine-readable code."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class RawInput:
    """One unit of raw input: a JSONL line or a whole .txt file, with where it came from."""

    # "<path>:<line>" for JSONL, "<path>" for .txt and .html, "<path>@<offset>" for a WARC record; + CUT_MARK for
    # the marker of a damaged file
    input_ref: str
    kind: str  # "jsonl" | "txt" | "html" | "bad:<reason>" (unreadable record or file) | "skip:<reason>" (not a page)
    raw: bytes
    size: int  # the original size in bytes (raw may be cut at REJECTED_RAW_CAP when too large)
    # For a bad: record, what the reader saw (sizes, offsets): the rejection's detail; for a page kept from a
    # truncated payload, how it was cut. Keyword-only, so subclasses that add positional fields (streaming's
    # _LandedRaw: landed) keep their order.
    detail: str = field(default="", kw_only=True)
    # A page published from the stored part of a truncated payload: the readers tally it under TRUNCATED_KEPT.
    truncated_kept: bool = field(default=False, kw_only=True)
    # A page read from a WARC archive (a JSONL-shaped record the reader built): its URL is the WARC-Target-URI,
    # which may be a file: URL (see _validate_raw).
    archived: bool = field(default=False, kw_only=True)


@functools.lru_cache(maxsize=1)
def _validators():
    """(fast, explaining): the same schema file compiled to code for the hot path, and jsonschema, which is
    ~20x slower but names the failing field, for the records that fail."""
    with open(RAW_SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return fastjsonschema.compile(schema), jsonschema.Draft202012Validator(schema)


def _validate(record: dict) -> None:
    fast, explaining = _validators()
    try:
        fast(record)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(explaining.iter_errors(record), key=lambda e: (list(e.path), e.validator))
    if errors:
        raise Rejected(*_schema_reason(errors[0]))
    raise Rejected("schema:unknown", "the record fails the raw-record schema")


# wget --warc-file or a browser archiver storing a local page writes WARC-Target-URI file:///path: that is the page's
# identity in the archive, so a WARC page keeps it as given. The schema's http(s) pattern is the scrapers' JSONL
# contract; a file: URL of a WARC page is checked by it as the http URL of the same host and path (RFC 8089: an empty
# host is localhost), so length and whitespace rules stay the schema's.
_FILE_URL = re.compile(r"(?i:file)://")


def _validate_raw(record: dict, item: RawInput) -> None:
    url = record.get("url")
    if item.archived and isinstance(url, str) and _FILE_URL.match(url):
        rest = url[len("file://"):]
        record = dict(record, url="http://" + ("localhost" if rest.startswith("/") else "") + rest)
    _validate(record)
    try:  # the schema's pattern lets through what no URL parser reads: a port that is no number, a lone '['
        urlsplit(record["url"].strip()).port
    except ValueError as e:
        raise Rejected("schema:url", f"url={record['url'][:80]!r}: {e}") from None


def _schema_reason(error: jsonschema.ValidationError) -> tuple[str, str]:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return f"schema:{missing}", error.message
    if error.validator == "anyOf" and not error.path:
        return "schema:body", "the record needs a string 'text' or 'html' body"
    field = error.path[0] if error.path else error.validator
    return f"schema:{field}", error.message[:300]


def parse_timestamp(value: str, field: str) -> datetime:
    """RFC 3339 / ISO 8601 timestamp or date to an aware UTC datetime. Naive values are taken as UTC."""
    text = value.strip()
    try:
        if len(text) == 10:
            parsed = datetime.combine(date.fromisoformat(text), time(0, 0))
        else:
            parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as e:
        raise Rejected("bad_timestamp", f"{field}={value[:80]!r}: {e}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    parsed = parsed.astimezone(timezone.utc)
    if not 1990 <= parsed.year <= 2100:
        raise Rejected("bad_timestamp", f"{field}={value[:80]!r} is out of range")
    return parsed


def scrape_time(when: date | datetime) -> datetime:
    """A date is its midnight UTC (the batch run date); a datetime is taken as is (a streamed file's landing time:
    midnight of the landing date would put the record in a window that closed hours before it landed)."""
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return datetime.combine(when, time(0, 0), tzinfo=timezone.utc)


def format_timestamp(ts: datetime) -> str:
    """Fixed-width UTC form (YYYY-MM-DDTHH:MM:SS.ffffffZ), so timestamps also sort as strings."""
    t = ts.astimezone(timezone.utc)
    # An f-string is about three times as fast as strftime, and this runs twice per record.
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}.{t.microsecond:06d}Z"


_BOM = b"\xef\xbb\xbf"


def _without_bom(raw: bytes) -> bytes:
    """A BOM starts files saved as "UTF-8 with BOM" (Windows, Excel): an encoding mark, never content."""
    return raw[3:] if raw.startswith(_BOM) else raw


def placeholder_url(kind: str, item: RawInput) -> str:
    """urn:newsflow:<kind>:<file name>:<first 16 hex of the SHA-256 of the file's bytes>. The name alone made two
    different stories both called article_1.txt (two folders, two days) one article; the full path would give the
    same file another URL when read from another folder or machine. Name plus content hash is stable wherever
    and whenever the same bytes are read, and differs for different bytes."""
    digest = hashlib.sha256(item.raw).hexdigest()[:16]
    return f"{PLACEHOLDER_URL_PREFIX}{kind}:{os.path.basename(item.input_ref)}:{digest}"


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Rejected("invalid_utf8", f"byte {e.start}: {e.reason}") from None


# json.loads turns a "\ud83d" escape without its pair into a lone surrogate, which no UTF-8 encoder (Beam's coder,
# Parquet) accepts: a scraper that cut a string inside an emoji writes one. Only a line with such an escape is
# walked; the surrogate becomes U+FFFD, as a decoder does with a broken byte, and the rest of the record is kept.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# Mojibake: UTF-8 bytes decoded once more as cp1252 or Latin-1 by a scraper ("CafÃ©", "â€™" for a right quote). A
# pair is a UTF-8 lead byte's character (Â-ô) followed by a continuation byte's (0x80-0xBF as cp1252 or Latin-1
# shows it).
_CONTINUATIONS = "".join(bytes([b]).decode("cp1252", "ignore") + chr(b) for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATIONS)}]")
# Every free-text field a JSONL record carries into the article; a scraper that decoded the page twice wrote its
# headline and outlet name the same way. (url, dates and language are ASCII or rejected by the schema.)
_DOUBLE_ENCODED_FIELDS = ("html", "text", "title", "source")


def _c1_as_latin1(error: UnicodeEncodeError):
    """cp1252 as browsers read it: the five bytes it leaves undefined (and any C1 control a Latin-1 reading gave)
    are the Latin-1 byte of the same number."""
    chars = error.object[error.start:error.end]
    if all(ord(c) < 0x100 for c in chars):
        return chars.encode("latin-1"), error.end
    try:
        raise error
    finally:
        # Raised from here, the error's traceback holds this frame, which held the error: a reference cycle
        # keeping the whole text (error.object, a page) alive until a full garbage collection. Pages pile up
        # between those: +110 MB RSS over 7,500 WARC pages when measured.
        del error


codecs.register_error("newsflow_c1_as_latin1", _c1_as_latin1)


def _read_back(text: str) -> str:
    return text.encode("cp1252", "newsflow_c1_as_latin1").decode("utf-8")


def _reads_back(text: str) -> bool:
    try:
        _read_back(text)
    except UnicodeError:
        return False
    return True


_ASCII = re.compile("[\x00-\x7f]")
_PROBE_CHARS = 2048


def _probe(text: str) -> str:
    """A piece of the text (not all ASCII) from its first non-ASCII character, about _PROBE_CHARS long, ending
    before an ASCII character (so no character sequence is cut): if it does not read back, the whole text does
    not."""
    try:
        text.encode("ascii")
        return ""
    except UnicodeEncodeError as error:  # where the first non-ASCII character is: 3x faster than a regex search
        start = error.start
    end = _ASCII.search(text, start + _PROBE_CHARS)
    return text[start:end.start() if end else len(text)]


def repair_double_encoding(text: str) -> str:
    """The text as it was before it was decoded twice, when the whole string reads back as UTF-8 (encoded as cp1252,
    Latin-1 for the characters cp1252 lacks, then decoded strictly) and that leaves fewer mojibake pairs; else the
    text unchanged. A string with one right non-ASCII character (Latin-1 text: 'SÃO', 'château') does not read back,
    so it is never touched, and a mixed string is never half repaired. Applied again while it helps (text decoded
    three times)."""
    pairs = None
    for _ in range(3):
        if text.isascii() or not _reads_back(_probe(text)):  # most text fails on its first non-ASCII characters
            return text
        try:
            fixed = _read_back(text)
        except UnicodeError:
            return text
        pairs = len(_MOJIBAKE.findall(text)) if pairs is None else pairs
        left = len(_MOJIBAKE.findall(fixed))
        if left >= pairs:
            return text
        text, pairs = fixed, left
    return text


def _replace_surrogates(value):
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


def parse_jsonl(item: RawInput, max_bytes: int = DEFAULT_MAX_RECORD_BYTES,
                max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> dict:
    """One JSONL line to a validated record; raises Rejected with the precise reason."""
    if item.size > max_bytes:
        raise Rejected("too_large", f"{item.size} bytes > limit {max_bytes}")
    # json.loads refuses a BOM; any line may start with one (files concatenated)
    text = _decode(_without_bom(item.raw))
    try:
        record = json.loads(text)
    except ValueError as e:
        raise Rejected("invalid_json", str(e)[:200]) from None
    if not isinstance(record, dict):
        raise Rejected("not_an_object", f"got a JSON {type(record).__name__}")
    if _SURROGATE_ESCAPE.search(text):
        record = _replace_surrogates(record)
    _validate_raw(record, item)
    for name in _DOUBLE_ENCODED_FIELDS:
        if isinstance(record.get(name), str):
            record[name] = repair_double_encoding(record[name])
    return _finish(record, max_text_chars)


def parse_txt(item: RawInput, run_date: date | datetime, max_bytes: int = DEFAULT_MAX_RECORD_BYTES,
              max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> dict:
    """A .txt article: first non-empty line is the headline. It has no URL or scrape time of its own,
    so it gets a stable urn from its file name and bytes (placeholder_url) and the run date as its scrape time
    (see scrape_time)."""
    if item.size > max_bytes:
        raise Rejected("too_large", f"{item.size} bytes > limit {max_bytes}")
    text = _decode(_without_bom(item.raw)).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    title, body_start = None, 0
    for i, line in enumerate(lines):
        if line.strip():
            title, body_start = line.strip(), i + 1
            break
    record = {
        "url": placeholder_url("txt", item),
        "scraped_at": format_timestamp(scrape_time(run_date)),
        "title": title,
        "text": "\n".join(lines[body_start:]),
    }
    return _finish(record, max_text_chars)


def parse_html_file(item: RawInput, run_date: date | datetime, max_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> dict:
    """A saved .html page. Like .txt it has no scrape time of its own; its URL comes from the page's own
    canonical link when the extractor finds one (see articles.build_article), else a urn (placeholder_url)."""
    from pipelines.core.extraction import decode_html

    if item.size > max_bytes:
        raise Rejected("too_large", f"{item.size} bytes > limit {max_bytes}")
    record = {
        "url": placeholder_url("html", item),
        "scraped_at": format_timestamp(scrape_time(run_date)),
        "html": decode_html(item.raw, None),
    }
    return _finish(record, DEFAULT_MAX_TEXT_CHARS)


def parse_raw(item: RawInput, scraped: date | datetime, max_bytes: int = DEFAULT_MAX_RECORD_BYTES,
              max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> dict:
    """The parse step of both jobs: any raw input to a validated record, or Rejected with its reason.
    `scraped` is the scrape time of inputs without one (.txt, .html): the run date in batch, the landing time in
    streaming. WARC pages arrive as JSONL-shaped records; skip: records are counted by the readers, never parsed."""
    kind = item.kind
    if kind == "jsonl":
        return parse_jsonl(item, max_bytes, max_text_chars)
    if kind == "txt":
        return parse_txt(item, scraped, max_bytes, max_text_chars)
    if kind == "html":
        return parse_html_file(item, scraped, max_bytes)
    if kind.startswith("bad:"):
        raise Rejected(kind[4:], item.detail or f"unreadable input at {item.input_ref}")
    if kind.startswith("skip:"):
        raise ValueError(f"{item.input_ref} is a counted skip ({kind}), not a record to parse")
    raise Rejected("unsupported_format", f"no reader for {item.input_ref!r}")


def _finish(record: dict, max_text_chars: int) -> dict:
    scraped = parse_timestamp(record["scraped_at"], "scraped_at")
    published = record.get("published_at")
    out = {
        "url": record["url"].strip(),
        "scraped_at": format_timestamp(scraped),
        "published_at": format_timestamp(parse_timestamp(published, "published_at")) if published else None,
        "source": (record.get("source") or None),
        "title": record.get("title") or None,
        "language": (record.get("language") or None),
        "text": record.get("text"),
        "html": record.get("html"),
        "headers": record.get("headers") or None,
    }
    if not (out["text"] or "").strip() and not (out["html"] or "").strip():
        raise Rejected("empty_body", "text and html are both empty")
    if out["text"] and len(out["text"]) > max_text_chars:
        raise Rejected("too_large", f"text body of {len(out['text'])} characters > limit {max_text_chars}")
    return out
