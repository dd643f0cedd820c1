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


def test_invisible_characters_inside_words_do_not_split_them():
    # A soft hyphen or zero-width space is not shown: the reader sees "Vladimir", and so does the score.
    assert tokenize("Vladi\u00admir Pu\u200btin\ufeff") == ["vladimir", "putin"]
    assert shingle_prf("Vladi\u00admir Putin met the envoy", "Vladimir Putin met the envoy").f1 == 1.0


def test_chinese_and_japanese_characters_are_tokens_of_their_own():
    assert tokenize("央行今天宣布降息") == ["央", "行", "今", "天", "宣", "布", "降", "息"]
    assert tokenize("AI技术 東京の") == ["ai", "技", "术", "東", "京", "の"]
    # One wrong character costs a few shingles, not the whole sentence.
    score = shingle_prf("央行今天宣布降息零点五个百分点", "央行今天宣布降息零点二五个百分点")
    assert 0.5 < score.f1 < 1.0


def test_korean_and_latin_words_stay_whole():
    assert tokenize("한국은행 기준금리 café São") == ["한국은행", "기준금리", "café", "são"]
