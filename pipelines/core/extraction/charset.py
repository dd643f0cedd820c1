"""Turn HTML bytes into text: BOM, HTTP charset, <meta charset>, then detection; never raises."""

from __future__ import annotations

import codecs
import importlib
import itertools
import re
import unicodedata

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
# Bytes that valid UTF-8 saves over one byte per character (one per 2-byte sequence, two per 3-byte one): from this
# many on, clean UTF-8 beats any declared label. 12 two-byte GBK or EUC-KR characters that all happen to be valid
# UTF-8 are very unlikely (about 1 in 10 of each is), while a UTF-8 page rarely has fewer non-ASCII characters
# than that and still reads in a multi-byte charset.
_UTF8_SURE = 12
_MULTIBYTE = re.compile(r"(gb|big5|cp93[26]|cp949|cp950|euc|shift_jis|johab|hz|iso2022)")
_SNIFF_BYTES = 4096
# Latin-script pages that are not UTF-8 and declare nothing: the detector, given a short page, often says
# ISO-8859-10/14 or cp1250 for French in Latin-1, or cp1250 for Spanish (ñ read as ń, ¿ as ż). Such a guess is
# checked against these three by how plausible each reading is (_plausibility); ties go by <html lang>, then to
# cp1252 (browsers' default in Western locales).
_LATIN_CANDIDATES = ("cp1252", "iso8859-2", "cp1250")
_SCORE_BYTES = 32_768
_SCORE_CHARS = 600  # non-ASCII characters scored per reading: enough to tell the codecs apart, and it bounds the cost
_CENTRAL_EUROPEAN = frozenset({"pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro", "sr"})
# Languages written in cp1252 (browsers' default for them): an undeclared page that says it is one is read so unless
# another reading scores strictly better: Spanish ¿ ñ « » read as cp1250 give ż ń Ť ť, letters that
# score about as well, but <html lang="en"> is also many CMS templates' default on Czech or Hungarian sites.
_WESTERN = frozenset({"en", "es", "pt", "fr", "it", "ca", "gl", "eu", "de", "nl", "da", "sv", "no", "nb", "nn",
                      "is", "fi", "ga", "af", "id", "ms", "sw", "fo", "oc", "br", "lb", "wa", "la"})
_LANG_CODEC = {**dict.fromkeys(("tr", "az"), "cp1254"), **dict.fromkeys(("lt", "lv", "et"), "cp1257"),
               "vi": "cp1258"}
_HTML_LANG = re.compile(rb"""<html[^>]{0,300}?\blang\s*=\s*["']?([a-zA-Z]{2,3})\b""", re.I)
# Bytes the three Latin candidates read as the same character: a page with no other high byte needs no scoring.
_LATIN_SAME = frozenset(i for i in range(0x80, 0x100)
                        if len({bytes([i]).decode(c, "replace") for c in _LATIN_CANDIDATES}) == 1)
# Decoding as browsers do (WHATWG Encoding): cp1252's five undefined bytes are C1 controls (U+0081 ...), and
# windows-1255's 0xCA is HOLAM HASER FOR VAV; any other undefined byte stays an error (or U+FFFD). Decoded with
# charmap tables built from Python's, so as fast as the codec.
_HOLES = {"cp1252": {b: chr(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}, "cp1255": {0xCA: "\u05ba"}}
# A declared charset browsers read as a larger one that Python has only as a separate codec: EUC-JP's NEC row 13
# (circled digits, common in lists) is in euc_jis_2004, which reads every 2-byte euc_jp sequence the same; Big5's
# euro sign (0xA3E1) is in cp950, not in big5hkscs. Tried when the declared codec fails.
_SUPERSETS = {"euc_jp": "euc_jis_2004", "big5hkscs": "cp950"}
# Latin codecs of languages outside the three candidates; a guess of one of them wins a tie with them.
# (Not the Baltic ones: the detector says ISO-8859-13 for short Italian, ù read as ł; <html lang> picks them.)
_OTHER_LATIN = frozenset({"cp1254", "iso8859-9", "cp1258", "iso8859-16"})
_HUNGARIAN_BYTES = frozenset(b"\xd5\xdb\xf5\xfb")  # cp1252 Õ Û õ û, ISO-8859-2 and cp1250 Ő Ű ő ű


def _browser_table(codec: str, holes: dict[int, str]) -> str:
    table = importlib.import_module(f"encodings.{codec}").decoding_table
    return "".join(holes.get(byte, ch) for byte, ch in enumerate(table))


_TABLES = {codec: _browser_table(codec, holes) for codec, holes in _HOLES.items()}


def _decode(body: bytes, encoding: str, errors: str = "strict") -> str:
    """body.decode(encoding, errors), single-byte holes filled as browsers fill them (_HOLES)."""
    table = _TABLES.get(encoding)
    if table is None:
        text = body.decode(encoding, errors)
        return text if encoding == "utf-8" else _no_surrogates(text)
    return codecs.charmap_decode(body, errors, table)[0]


def header_value(headers: dict | None, name: str) -> str | None:
    """Case-insensitive header lookup (HTTP header names are case-insensitive)."""
    if not headers:
        return None
    lname = name.lower()
    for key, value in headers.items():
        if str(key).lower() == lname:
            return None if value is None else str(value)
    return None


_NOT_PAGE_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7", "undefined",
                                "charmap"})
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Only text encodings a browser could read: a label naming a bytes codec (base64, zlib, rot13) or an escape /
    # IDNA codec would rewrite the page's text or raise; browsers treat such a label as unknown, and so do we.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CHARSETS:
        return None
    return _ALIASES.get(info.name, info.name)


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if encoding == "utf-8" else _no_surrogates(text)


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
    """Decode HTML bytes; never raises, never returns a lone surrogate (it could not be written as UTF-8: U+FFFD
    instead). See _decode_html for the order."""
    if isinstance(body, str):
        return _no_surrogates(body)
    return _decode_html(body, headers)


def _no_surrogates(text: str) -> str:
    """Lone surrogates as U+FFFD. Called on what a codec other than UTF-8 decoded (Python's UTF-8 and UTF-16/32
    never give one, and the single-byte tables hold none), so the common page pays nothing: checking every page
    made decode_html 2-11x slower."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


def _decode_html(body: bytes, headers: dict | None = None) -> str:
    """Decode HTML bytes (see decode_html). Order: BOM; UTF-16 without BOM (NUL in every other byte); strict UTF-8 with
    non-ASCII text (it beats any label: legacy bytes almost never form valid UTF-8); the HTTP charset, then
    <meta charset>, when the bytes decode with it (single-byte codecs as browsers fill their holes); a declared
    charset that fails on a few bytes only (a pasted character); undeclared UTF-8 with a few bad bytes; 7-bit
    ISO-2022-JP; detection, steered by <html lang> and checked against cp1252 for Latin-script pages; then a declared
    charset or the guess, with replacement characters."""
    body = bytes(body or b"")
    utf8 = _strict(body, "utf-8")
    if utf8 is not None and not utf8.isascii() and not utf8.startswith("\ufeff"):
        if len(body) - len(utf8) >= _UTF8_SURE:
            return utf8  # the common case: one decode
        # A few multi-byte characters only: a short GBK/Big5/EUC-KR/Shift_JIS text may be valid UTF-8 by chance
        # (GBK 十一 is UTF-8 ʮһ). A declared multi-byte charset that reads the bytes wins then, as in browsers;
        # a single-byte label does not (legacy Latin/Cyrillic bytes almost never form valid UTF-8).
        for encoding in declared_charsets(body, headers):
            if _MULTIBYTE.match(encoding):
                text = _declared_strict(body, encoding)
                if text is not None:
                    return text
        return utf8
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    utf16 = _utf16_by_nuls(body[:_SNIFF_BYTES])
    if utf16:
        return body.decode(utf16, errors="replace")
    declared = declared_charsets(body, headers)
    for encoding in declared:
        if encoding == "utf-8":
            if utf8 is not None:
                return utf8
            continue  # a UTF-8 label on bytes that are not: decided below
        text = _declared_strict(body, encoding)
        if text is not None:
            return text
    if utf8 is not None:
        return _iso2022(body) or utf8
    sample = body[:_DETECT_BYTES]
    # A declared charset that fails on a few bytes only is kept: one pasted character must not turn the whole page
    # into a guess (on a short page 1% of its letters is less than one byte).
    for encoding in declared:
        if encoding == "utf-8" and _mostly_utf8(body, declared=True):
            return body.decode("utf-8", errors="replace")
        if encoding != "utf-8" and _few_errors(sample, encoding):
            return _decode_replacing(body, encoding)
    if _mostly_utf8(body):
        return body.decode("utf-8", errors="replace")
    return _decode(body, _guess(sample), "replace")


def _declared_strict(body: bytes, encoding: str) -> str | None:
    """The body in a declared charset, as browsers decode it: single-byte holes that browsers fill (cp1252's five
    undefined bytes are C1 controls) filled, and EUC-JP with the NEC row 13 (circled digits) that browsers read."""
    try:
        return _decode(body, encoding)
    except (UnicodeDecodeError, LookupError):
        pass
    superset = _SUPERSETS.get(encoding)
    return _strict(body, superset) if superset else None


def _decode_replacing(body: bytes, encoding: str) -> str:
    superset = _SUPERSETS.get(encoding)
    if superset and _strict(body[:_DETECT_BYTES], superset) is not None:
        encoding = superset
    return _decode(body, encoding, "replace")


def _iso2022(body: bytes) -> str | None:
    """A 7-bit page with ISO-2022-JP escapes (ESC $ B ... ESC ( B), which is valid ASCII too."""
    if b"\x1b$" not in body:
        return None
    return _strict(body, "iso2022_jp") or _strict(body, "iso2022_jp_2")


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


def _mostly_utf8(body: bytes, declared: bool = False) -> bool:
    """UTF-8 with a few invalid bytes (a CMS template in UTF-8 with one pasted Windows character). Undeclared: at
    least eight bytes of valid multi-byte sequences for each bad one. Declared UTF-8: some valid multi-byte
    sequence (so the label is not a lie on legacy bytes) and at most 3 bad bytes or 1% of the non-ASCII
    characters: news pages are mostly ASCII, so a few curly quotes beside one pasted byte are enough."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(body) - len(text)  # what valid multi-byte characters saved over one byte each
    if declared:
        return 0 < bad and multibyte > 0 and (bad <= 3 or bad * 100 <= len(text) - len(text.encode("ascii", "ignore")))
    return 0 < bad and multibyte >= 8 * bad


def _few_errors(sample: bytes, encoding: str) -> bool:
    """A declared charset decodes all but 2 bytes, or 99% of the non-ASCII characters."""
    try:
        text = _decode(sample, encoding, "replace")
    except LookupError:
        return False
    bad = text.count("\ufffd")
    return bad <= 2 or bad * 100 <= len(text) - len(text.encode("ascii", "ignore"))


# Guesses the detector is trusted with: multi-byte codecs and the single-byte ones of non-Latin scripts. Any other
# guess (cp775, mac-iceland, ISO-8859-10 for a French page) is checked against the Latin candidates instead.
_TRUSTED_GUESS = re.compile(r"(shift_jis|cp932|euc_j|iso2022|gb|big5|cp949|cp950|euc_kr|johab|hz|utf-|cp1251|"
                            r"koi8|iso8859-[5678]$|iso8859-11|cp866|cp855|mac-cyrillic|mac-greek|cp125[3-6]|cp874|"
                            r"tis-620|ptcp154|kz1048|cp1125|cp737|cp869|cp862|cp864)")


def _latin_script(encoding: str) -> bool:
    """A guess that may be any Latin-script codec (the detector confuses them on short pages)."""
    return not _TRUSTED_GUESS.match(encoding)


def _guess(sample: bytes) -> str:
    """The codec of an undeclared page that is not UTF-8: the detector's, or for a Latin-script page (or no
    answer) the one its <html lang> implies, else the most plausible reading."""
    guess = _detect(sample)
    if guess is not None and not _latin_script(guess):
        return guess
    return _latin_codec(sample, guess)


def _latin_codec(sample: bytes, guess: str | None = None) -> str:
    """The codec for a Latin-script page: cp1252 for a Western <html lang>, cp1254/cp1257/cp1258 for Turkish,
    Baltic and Vietnamese ones; else the reading that scores best (_plausibility) among the three candidates and
    the detector's guess. Ties go to the detector's guess when it is a Turkish, Vietnamese or Romanian codec; to
    ISO-8859-2 then cp1250 for a Central European <html lang>; else to cp1252 (on short pages the detector leans
    to cp1250 for Spanish, Italian, Danish: ñ ù å read as ń ł ĺ), except between Hungarian's ő ű and cp1252's
    õ û on a page without <html lang>, which no score tells apart and the detector does."""
    match = _HTML_LANG.search(sample[:_SNIFF_BYTES])
    lang = match.group(1).decode("ascii").lower()[:2] if match else ""
    if lang in _LANG_CODEC:
        return _LANG_CODEC[lang]
    western = lang in _WESTERN
    order = list(_LATIN_CANDIDATES[1:] + _LATIN_CANDIDATES[:1] if lang in _CENTRAL_EUROPEAN else _LATIN_CANDIDATES)
    scored = sample[:_SCORE_BYTES]
    high = set(scored.translate(None, _ASCII))
    if guess in _OTHER_LATIN and not western:
        order.insert(0, guess)  # cp1258 for Vietnamese (đ and its tone marks score as cp1252's ð Ì Ò)
    elif guess and guess not in order:
        order.append(guess)  # mac-iceland, cp850, ISO-8859-10 ...: wins only by scoring higher
    elif guess and lang in ("", "en") and high <= _HUNGARIAN_BYTES | _LATIN_SAME:
        # õ û or ő ű score alike: the detector's language model decides (lang="en" is often a template's default;
        # other Western languages keep cp1252: French coût, Portuguese põe)
        order.insert(0, order.pop(order.index(guess)))
        western = False
    if high <= _LATIN_SAME:
        return "cp1252" if western else order[0]  # every candidate reads the same text
    scores = {}
    for encoding in order:
        try:
            scores[encoding] = _plausibility(scored.decode(encoding, errors="replace"))
        except LookupError:
            continue
    best = max(scores, key=lambda e: (scores[e], -order.index(e)))  # ties: the first in `order`
    if western and scores["cp1252"] >= scores[best]:
        return "cp1252"  # a Western <html lang> breaks ties, never overrides a better reading
    return best


_ASCII = bytes(range(0x80))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_OPENING, _CLOSING = "¿¡«‹", "»›"
# Letters that only one family of languages uses; letters the Latin codecs share (ä é ó ß ...) are in none. A
# reading that mixes families is wrong: Czech read as cp1252 (è ø beside š ž), Polish cp1250 read as ISO-8859-2 (š
# beside ł ę), French read as cp1250 (č ŕ beside ç).
_FAMILIES = ("àèìòùâêîûëïÿñãõåøæœðþç", "ąćęłńśźż", "čďěňřťůľĺŕšž", "őű", "ăşţ")
# Letters the three candidates read alike (â î ç) tell nothing and only cost Romanian (â î beside ă ş ţ).
_SAME_LETTERS = frozenset(bytes(sorted(_LATIN_SAME)).decode("cp1252"))
_FAMILY = {ch: n for n, letters in enumerate(_FAMILIES) for ch in letters + letters.upper() if ch not in _SAME_LETTERS}


def _plausibility(text: str) -> int:
    """How much a reading looks like text: a lowercase letter inside a word scores, a symbol inside a word, an
    uppercase letter after a lowercase one, a lone letter between non-letters, a control character, or mixing
    letter families (_FAMILIES) costs. Wrong Latin codecs turn letters into symbols (zatwierdzi³a), into
    capitals and controls, or into the other family's letters."""
    score = 0
    families = [0] * len(_FAMILIES)
    for match in itertools.islice(_NON_ASCII.finditer(text), _SCORE_CHARS):
        i = match.start()
        ch = match.group()
        if ch in _FAMILY:
            families[_FAMILY[ch]] += 1
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in "ºª":  # ordinals (3ª, nº); cp1252's reading of Romanian ş Ş (ºi)
            score += 1 if before.isdigit() or before in "nN" else -1
        elif ch.isalpha():
            if before.isalpha() and before.islower() and ch.isupper():
                score -= 1
            elif ch.islower() and after.isupper():
                score -= 1  # żQuién: a letter glued to the next word's capital was punctuation (¿Quién)
            elif before.isalpha() or after.isalpha():
                score += 1
            else:
                score -= 1
        elif (ch in _OPENING and after.isalpha() and not before.isalpha()) or (ch in _CLOSING and before.isalpha()):
            score += 1  # ¿Cuándo, ¡Por fin, «Sí», as likely as the letters a wrong codec makes of them (ż Ą Ť ť)
        elif before.isalpha() and unicodedata.combining(ch):
            score += 1  # cp1258's tone marks
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
