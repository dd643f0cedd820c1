"""Turn HTML bytes into text: BOM, HTTP charset, <meta charset>, then detection; never raises."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _labels(codec: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, codec)


# Labels that browsers (the WHATWG Encoding Standard's label table) decode with a superset of what the label names:
# pages are written for browsers, so a 'Shift_JIS' page may hold cp932's circled digits, an 'EUC-KR' one cp949's
# extra syllables, an 'ISO-8859-1' one cp1252's smart quotes.
_ALIASES = {
    **_labels("cp1252", "ansi_x3.4-1968", "ascii", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
              "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "latin-1", "us-ascii",
              "x-cp1252"),
    **_labels("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
              "iso_8859-9:1989", "l5", "latin5", "x-cp1254"),
    **_labels("cp874", "dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    **_labels("cp932", "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"),
    **_labels("cp949", "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
              "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
    **_labels("gb18030", "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
              "iso-ir-58", "x-gbk"),
    **_labels("big5hkscs", "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    **_labels("iso8859-8", "iso-8859-8-i", "csiso88598i", "logical"),
    **_labels("mac-cyrillic", "x-mac-cyrillic", "x-mac-ukrainian"),
    **_labels("utf-8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf8", "x-unicode20utf8"),
}
_UTF16 = ("utf-16", "utf-16-le", "utf-16-be")
_DETECT_BYTES = 200_000
_SNIFF_BYTES = 4096
# Latin-script pages that are not UTF-8 and declare nothing: the detector, given a short page, often says
# ISO-8859-10/14 or cp1250 for French in Latin-1. These three cover most such pages; the one whose reading gives the
# most plausible text wins, cp1252 on a tie (browsers default to it) unless <html lang> is Central European.
_LATIN_CANDIDATES = ("cp1252", "iso8859-2", "cp1250")
_SCORE_BYTES = 32_768
_CENTRAL_EUROPEAN = frozenset({"pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro", "sr"})
_LANG_CODEC = {**dict.fromkeys(("tr", "az"), "cp1254"), **dict.fromkeys(("lt", "lv", "et"), "cp1257")}
_HTML_LANG = re.compile(rb"""<html[^>]{0,300}?\blang\s*=\s*["']?([a-zA-Z]{2,3})\b""", re.I)


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
    return _ALIASES.get(name, "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name)


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def declared_charsets(body: bytes, headers: dict | None) -> list[str]:
    """Charsets the response declares, most trusted first (HTTP header, then <meta>), as browsers read them: a
    <meta> that says UTF-16 means UTF-8 (it could not be read if the page were UTF-16), and a header that says UTF-16
    on a body without NUL bytes is ignored."""
    found = []
    content_type = header_value(headers, "content-type")
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            name = normalise_charset(match.group(1))
            if name not in _UTF16 or b"\0" in body[:_SNIFF_BYTES]:
                found.append(name)
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    if match:
        name = normalise_charset(match.group(1).decode("ascii", "ignore"))
        found.append("utf-8" if name in _UTF16 else name)
    return [c for c in found if c]


def decode_html(body: bytes, headers: dict | None = None) -> str:
    """Decode HTML bytes; never raises. Order: BOM; UTF-16 without BOM (NUL in every other byte); strict UTF-8 with
    non-ASCII text (it beats any label: legacy bytes almost never form valid UTF-8); the HTTP charset, then
    <meta charset>, when the bytes decode with it; UTF-8 with a few bad bytes (a pasted cp1252 quote); detection,
    steered by <html lang> and checked against cp1252 for Latin-script pages; then a declared charset or cp1252, with
    replacement characters."""
    if isinstance(body, str):
        return body
    body = bytes(body or b"")
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    utf16 = _utf16_by_nuls(body[:_SNIFF_BYTES])
    if utf16:
        return body.decode(utf16, errors="replace")
    utf8 = _strict(body, "utf-8")
    if utf8 is not None and not utf8.isascii():
        return utf8
    declared = declared_charsets(body, headers)
    for encoding in declared:
        if encoding == "utf-8" and utf8 is None:
            continue  # a UTF-8 label on bytes that are not: the fallbacks below decide
        text = utf8 if utf8 is not None and encoding == "utf-8" else _strict(body, encoding)
        if text is not None:
            return text
    if utf8 is not None:
        return utf8
    if _mostly_utf8(body):
        return body.decode("utf-8", errors="replace")
    sample = body[:_DETECT_BYTES]
    guess = _detect(sample)
    if guess is None or _latin_script(guess):
        guess = _latin_codec(sample)
    legacy = [c for c in declared if c != "utf-8"]
    # A declared legacy charset that fails on a few bytes is still more trustworthy than a guess.
    encoding = legacy[0] if legacy and _few_errors(sample, legacy[0]) else guess
    return body.decode(encoding, errors="replace")


def _utf16_by_nuls(sample: bytes) -> str | None:
    """utf-16-le/-be for a body without BOM whose ASCII characters (markup) leave a NUL in every other byte."""
    if len(sample) < 16:
        return None
    even, odd = sample[0::2], sample[1::2]
    nul_even, nul_odd = even.count(0), odd.count(0)
    if nul_odd > 0.4 * len(odd) and nul_even < 0.05 * len(even):
        return "utf-16-le"
    if nul_even > 0.4 * len(even) and nul_odd < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with a few invalid bytes (a CMS template in UTF-8 with one pasted Windows character): at least eight
    bytes of valid multi-byte sequences for each bad one."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(body) - len(text)  # what valid multi-byte characters saved over one byte each
    return 0 < bad and multibyte >= 8 * bad


def _few_errors(sample: bytes, encoding: str) -> bool:
    try:
        text = sample.decode(encoding, errors="replace")
    except LookupError:
        return False
    return text.count("\ufffd") * 100 <= max(len(text) - len(text.encode("ascii", "ignore")), 1)


# Guesses the detector is trusted with: multi-byte codecs and the single-byte ones of non-Latin scripts. Any other
# guess (cp775, mac-iceland, ISO-8859-10 for a French page) is checked against the Latin candidates instead.
_TRUSTED_GUESS = re.compile(r"(shift_jis|cp932|euc_j|iso2022|gb|big5|cp949|cp950|euc_kr|johab|hz|utf-|cp1251|"
                            r"koi8|iso8859-[5678]$|iso8859-11|cp866|cp855|mac-cyrillic|mac-greek|cp125[3-6]|cp874|"
                            r"tis-620|ptcp154|kz1048|cp1125|cp737|cp869|cp862|cp864)")


def _latin_script(encoding: str) -> bool:
    """A guess that may be any Latin-script codec (the detector confuses them on short pages)."""
    return not _TRUSTED_GUESS.match(encoding)


def _latin_codec(sample: bytes) -> str:
    """The codec for a Latin-script page: the one its <html lang> implies for Turkish and Baltic pages, else the
    candidate whose reading scores best (_plausibility), ties going to ISO-8859-2 for Central European languages
    and to cp1252 otherwise."""
    match = _HTML_LANG.search(sample[:_SNIFF_BYTES])
    lang = match.group(1).decode("ascii").lower()[:2] if match else ""
    if lang in _LANG_CODEC:
        return _LANG_CODEC[lang]
    # On a tie (Czech in cp1250 reads as letters in cp1252 too: č as è) the page's language decides; between
    # ISO-8859-2 and cp1250, a tie means no byte in 0x80-0x9F (cp1250's š ž ť ś ź, controls in ISO-8859-2).
    # Not the detector's guess: on short pages it leans to cp1250 for Spanish and French (ñ read as ń ties).
    candidates = _LATIN_CANDIDATES[1:] + _LATIN_CANDIDATES[:1] if lang in _CENTRAL_EUROPEAN else _LATIN_CANDIDATES
    best, best_score = "cp1252", None
    for encoding in candidates:
        score = _plausibility(sample[:_SCORE_BYTES].decode(encoding, errors="replace"))
        if best_score is None or score > best_score:
            best, best_score = encoding, score
    return best


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Letters that only one family of languages uses; letters the Latin codecs share (ä é ó ß ...) are in none. A
# reading that mixes families is wrong: Czech read as cp1252 (è ø beside š ž), Polish cp1250 read as ISO-8859-2 (š
# beside ł ę), French read as cp1250 (č ŕ beside ç).
_FAMILIES = ("àèìòùâêîûëïÿñãõåøæœðþç", "ąćęłńśźż", "čďěňřťůľĺŕšž", "őű", "ăşţ")
_FAMILY = {ch: n for n, letters in enumerate(_FAMILIES) for ch in letters + letters.upper()}


def _plausibility(text: str) -> int:
    """How much a reading looks like text: a lowercase letter inside a word scores, a symbol inside a word, an
    uppercase letter after a lowercase one, a lone letter between non-letters, a control character, or mixing
    letter families (_FAMILIES) costs. Wrong Latin codecs turn letters into symbols (zatwierdzi³a), into
    capitals and controls, or into the other family's letters."""
    score = 0
    families = [0] * len(_FAMILIES)
    for match in _NON_ASCII.finditer(text):
        i = match.start()
        ch = match.group()
        if ch in _FAMILY:
            families[_FAMILY[ch]] += 1
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch.isalpha():
            if before.isalpha() and before.islower() and ch.isupper():
                score -= 1
            elif before.isalpha() or after.isalpha():
                score += 1
            else:
                score -= 1
        elif "\x80" <= ch <= "\x9f" or ch == "\ufffd":
            score -= 2
        elif before.isalpha() and after.isalpha():
            score -= 1
    return score - 2 * (sum(families) - max(families))


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
