"""Tests for shingle tokenisation and P/R/F1."""

import pytest

from pipelines.core.text_metrics import prf_counts, shingle_prf, shingles, tokenize


def test_tokenize_lowercases_and_drops_punctuation():
    assert tokenize("Rare-earth exports, they said: “up 5%”.") == ["rare", "earth", "exports", "they", "said", "up", "5"]


def test_shingles_are_a_multiset_of_four_word_windows():
    grams = shingles("a b c d e a b c d")
    assert grams["a b c d"] == 2
    assert sum(grams.values()) == 6


def test_short_text_gives_one_shingle_and_empty_gives_none():
    assert list(shingles("two words")) == ["two words"]
    assert not shingles("  ,, ")


def test_identical_texts_score_one():
    score = shingle_prf("The talks resumed in London on Monday.", "the talks resumed in london on monday")
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_extra_junk_costs_precision_not_recall():
    gold = "one two three four five six"
    score = shingle_prf(gold + " share this article now please", gold)
    assert score.recall == 1.0
    assert score.precision == pytest.approx(3 / 8)


def test_repeated_paragraph_costs_precision():
    para = "alpha beta gamma delta epsilon"
    score = shingle_prf(para + " " + para, para)
    assert score.recall == 1.0 and score.precision < 0.5


def test_empty_sides():
    assert prf_counts(0, 0, 0).f1 == 1.0
    assert shingle_prf("", "some reference text here").f1 == 0.0
    assert shingle_prf("some predicted text here", "").f1 == 0.0
