"""The one tokeniser behind content hashes and near-dup shingles: lower-cased runs of letters, marks and digits."""
from __future__ import annotations

import re
import unicodedata

# Separators: every BMP character in the Unicode categories P (punctuation), S (symbols), C (control, format,
# unassigned) and Z (spaces); letters, marks and digits make words. Digits stay on purpose: folding numbers
# makes recurring template stories (daily price tables) look identical.
_SEPARATOR_CODES = [c for c in range(0x10000) if unicodedata.category(chr(c))[0] in "PSCZ"]


def _ranges(codes: list[int]) -> str:
    """A regex character class body for sorted code points, as ranges."""
    parts, start, prev = [], codes[0], codes[0]
    for c in codes[1:] + [-1]:
        if c == prev + 1:
            prev = c
            continue
        parts.append(f"\\u{start:04x}" if start == prev else f"\\u{start:04x}-\\u{prev:04x}")
        start = prev = c
    return "".join(parts)


# Two equivalent paths, because each is fast on its own kind of text: str.translate has a cached fast path
# for ASCII input (about 3x the regex there), while on non-ASCII input it does a dict lookup per character
# (about 4x slower than the regex's character-class bitmap).
_ASCII_TABLE = str.maketrans({chr(c): " " for c in _SEPARATOR_CODES if c < 128})
_WORD_RUN = re.compile("[^" + _ranges(_SEPARATOR_CODES) + "]+")


# English news is ASCII but for typographic quotes, dashes and ellipses: blanking those few (all separators)
# first lets most articles take the fast ASCII path.
_TYPOGRAPHIC = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u00a0"


def tokenize(text: str) -> list[str]:
    """Lower-cased words and numbers of `text`, in order; punctuation, symbols and spaces separate them."""
    lowered = text.lower()
    if not lowered.isascii():
        for ch in _TYPOGRAPHIC:
            if ch in lowered:
                lowered = lowered.replace(ch, " ")
        if not lowered.isascii():
            return _WORD_RUN.findall(lowered)
    return lowered.translate(_ASCII_TABLE).split()
