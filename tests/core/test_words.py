"""Tests for the shared tokeniser: what is a word, and that its ASCII and non-ASCII paths agree."""
import random

from pipelines.core import words
from pipelines.core.words import tokenize


def test_punctuation_separates_and_digits_stay():
    assert tokenize("Fed adds $2.5bn in reserves, says N.Y. Fed — again!") == [
        "fed", "adds", "2", "5bn", "in", "reserves", "says", "n", "y", "fed", "again"]


def test_non_ascii_text():
    assert tokenize("“Neodymium” prices rose 4% in Baotou’s market…") == [
        "neodymium", "prices", "rose", "4", "in", "baotou", "s", "market"]
    # Combining marks stay inside their word; CJK runs without spaces are one token.
    assert tokenize("Cafe\u0301 déjà vu 稀土出口") == ["cafe\u0301", "déjà", "vu", "稀土出口"]


def test_ascii_and_regex_paths_agree():
    rng = random.Random(7)
    ascii_chars = [chr(c) for c in range(128)]
    for _ in range(2000):
        s = "".join(rng.choice(ascii_chars) for _ in range(rng.randrange(80)))
        assert s.lower().translate(words._ASCII_TABLE).split() == words._WORD_RUN.findall(s.lower())


def test_separators_are_exactly_punctuation_symbols_controls_and_spaces():
    import unicodedata

    rng = random.Random(11)
    for _ in range(3000):
        ch = chr(rng.randrange(0x10000))
        if 0xD800 <= ord(ch) < 0xE000:
            continue
        is_separator = unicodedata.category(ch)[0] in "PSCZ" or ch.isspace()
        assert (tokenize(f"a{ch}b") == ["a", "b"]) == is_separator or ch.lower() != ch, repr(ch)
