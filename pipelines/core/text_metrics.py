"""Word-shingle tokenisation and precision/recall/F1 between an extracted and a reference text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.core.cleaning import INVISIBLE_CHARS

# Chinese and Japanese write no spaces between words: each ideograph or kana is a token of its own (a whole
# sentence would otherwise be one token, and one wrong character would cost the sentence). Hangul is written
# with spaces and stays in words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")
# Characters a reader never sees (soft hyphen, zero-width space, word joiner, bidi marks, BOM; the ones the
# cleaner drops): a page that carries them inside words ("Vladi\u00admir") shows the same words as a text without.
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; punctuation and whitespace are separators, invisible characters are dropped and
    each Chinese or Japanese character is a token."""
    return _WORD.findall(_INVISIBLE.sub("", text).lower())


def shingles(text: str, size: int = 4) -> Counter:
    """Multiset of `size`-word shingles. Texts shorter than `size` words give one shingle of all their words."""
    words = tokenize(text)
    if not words:
        return Counter()
    if len(words) < size:
        return Counter([" ".join(words)])
    return Counter(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    overlap: int
    predicted: int
    reference: int


def prf_counts(overlap: int, predicted: int, reference: int) -> PRF:
    """P/R/F1 from counts. Both empty counts as a perfect match; one empty side scores 0."""
    if predicted == 0 and reference == 0:
        return PRF(1.0, 1.0, 1.0, 0, 0, 0)
    precision = overlap / predicted if predicted else 0.0
    recall = overlap / reference if reference else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, overlap, predicted, reference)


def shingle_prf(predicted: str, reference: str, size: int = 4) -> PRF:
    """Multiset shingle overlap, so a paragraph kept twice costs precision."""
    pred, ref = shingles(predicted, size), shingles(reference, size)
    overlap = sum((pred & ref).values())
    return prf_counts(overlap, sum(pred.values()), sum(ref.values()))
