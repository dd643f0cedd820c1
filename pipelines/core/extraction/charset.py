"""Turn HTML bytes into text: BOM, HTTP charset, <meta charset>, then detection; never raises."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Browsers decode these labels as windows-1252 (WHATWG Encoding), and so do we.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
            "us-ascii": "cp1252", "iso8859-1": "cp1252", "x-sjis": "shift_jis", "gb2312": "gb18030",
            "gbk": "gb18030"}
_DETECT_BYTES = 200_000


def header_value(headers: dict | None, name: str) -> str | None:
    """Case-insensitive header lookup (HTTP header names are case-insensitive)."""
    if not headers:
        return None
    lname = name.lower()
    for key, value in headers.items():
        if str(key).lower() == lname:
            return None if value is None else str(value)
    return None


def normalise_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def declared_charsets(body: bytes, headers: dict | None) -> list[str]:
    """Charsets the response declares, most trusted first (HTTP header, then <meta>)."""
    found = []
    content_type = header_value(headers, "content-type")
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            found.append(normalise_charset(match.group(1)))
    match = _META_CHARSET.search(body[:4096])
    if match:
        found.append(normalise_charset(match.group(1).decode("ascii", "ignore")))
    return [c for c in found if c]


def decode_html(body: bytes, headers: dict | None = None) -> str:
    """Decode HTML bytes. Order: BOM, HTTP charset, <meta charset>, UTF-8, detection, cp1252 with replacement."""
    if isinstance(body, str):
        return body
    body = bytes(body or b"")
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    for encoding in declared_charsets(body, headers):
        text = _strict(body, encoding)
        if text is not None:
            return text
    text = _strict(body, "utf-8")
    if text is not None:
        return text
    guess = _detect(body[:_DETECT_BYTES])
    declared = declared_charsets(body, headers)
    # A declared charset that fails on a few bytes is still more trustworthy than a guess.
    encoding = declared[0] if declared else (guess or "cp1252")
    return body.decode(encoding, errors="replace")


def _detect(sample: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # detection is optional; cp1252 is the fallback
        return None
    try:
        best = from_bytes(sample).best()
    except Exception:  # a detector bug must not take the page down
        return None
    return normalise_charset(best.encoding) if best is not None else None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")


def looks_binary(text: str, sample_chars: int = 8192, max_ratio: float = 0.05) -> bool:
    """True when a decoded page is mostly control characters or replacement marks (binary served as HTML)."""
    sample = text[:sample_chars]
    if not sample.strip():
        return False
    bad = len(_CONTROL.findall(sample))
    return bad / len(sample) > max_ratio or "<" not in sample
