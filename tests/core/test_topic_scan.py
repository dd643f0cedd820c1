"""The compiled scanner must report exactly pyahocorasick's hits, in the same order."""
import random
import re
from itertools import chain

import ahocorasick
import numpy as np
import pytest

from bench.synth import generate_records
from pipelines.core.topic_scan import KeyScanner
from pipelines.core.topics import _FOLD, TopicMatcher
from tests.core.test_topics import _wire_stories, needs_wire_text


@pytest.fixture(scope="module")
def scanner(matcher):
    return KeyScanner(matcher._key_strings, _FOLD)


def _batch_image(pairs) -> tuple[bytes, np.ndarray]:
    """The batch tagger's ASCII image of a batch, and where each article starts in it."""
    images = [(t + "\n\n" + x).encode("ascii", "replace") for t, x in pairs]
    starts = np.cumsum([0] + [len(i) + 2 for i in images[:-1]])
    return b" " + b"  ".join(images) + b" ", starts


def _reference(automaton, data: bytes) -> tuple[np.ndarray, np.ndarray]:
    flat = np.fromiter(chain.from_iterable(automaton.iter(data.translate(_FOLD).decode("ascii"))),
                       dtype=np.int64)
    return flat[0::2], flat[1::2]


def _assert_same_hits(scanner, automaton, data: bytes, cuts=None) -> int:
    """Same hits with the scan in one lane and, given cuts, split into lanes at them."""
    ref_ends, ref_keys = _reference(automaton, data)
    for lane_cuts in ([None] if cuts is None else [None, cuts]):
        ends, keys = scanner.scan(data, lane_cuts)
        assert ends.dtype == keys.dtype == np.int64
        np.testing.assert_array_equal(ends, ref_ends)
        np.testing.assert_array_equal(keys, ref_keys)
    return len(ref_ends)


def test_same_hits_as_pyahocorasick_on_synthetic_news(matcher, scanner):
    recs = generate_records(3000, seed=7, dup_rate=0.0)
    pairs = [(r["title"], r["text"]) for r in recs]
    total = 0
    for i in range(0, len(pairs), 256):
        total += _assert_same_hits(scanner, matcher._automaton, *_batch_image(pairs[i:i + 256]))
    assert total > 10 * len(pairs)  # the taxonomy's words really occur in this corpus


@needs_wire_text
def test_same_hits_as_pyahocorasick_on_real_wire_stories(matcher, scanner):
    pairs = _wire_stories(3000)
    total = 0
    for i in range(0, len(pairs), 256):
        total += _assert_same_hits(scanner, matcher._automaton, *_batch_image(pairs[i:i + 256]))
    assert total > len(pairs)


def test_same_hits_on_text_made_of_overlapping_keys(matcher, scanner):
    """Key fragments glued at random: nested, overlapping and half-finished keys, odd bytes between."""
    rng = random.Random(5)
    keys = matcher._key_strings
    pieces = [k.strip() for k in keys] + [k.strip()[: len(k) // 2] for k in keys] + ["\u00e9", "-", "\n", "<", "9"]
    for _ in range(50):
        words = [rng.choice(pieces) for _ in range(400)]
        text = "".join(w + rng.choice(["", " ", " ", "  ", "-", "'s "]) for w in words)
        _assert_same_hits(scanner, matcher._automaton, *_batch_image([("", text)] * rng.randint(1, 6)))


def _automaton(keys):
    auto = ahocorasick.Automaton()
    for kid, key in enumerate(keys):
        auto.add_word(key, kid)
    auto.make_automaton()
    return auto


def test_nested_keys_come_longest_first():
    keys = [" b ", " a b ", " a b c ", " c ", " b c "]
    scanner = KeyScanner(keys, _FOLD)
    ends, kids = scanner.scan(b" A-b c ")
    # " a b " and " b " end at the same space; " a b c ", " b c " and " c " at the last one
    assert [keys[k] for k in kids.tolist()] == [" a b ", " b ", " a b c ", " b c ", " c "]
    assert ends.tolist() == [4, 4, 6, 6, 6]
    _assert_same_hits(scanner, _automaton(keys), b" A-b c ")


def test_more_hits_than_the_first_buffer_holds():
    keys = [" a ", " a a "]
    scanner = KeyScanner(keys, _FOLD)
    data = b" " + b"a " * 5000  # two hits every two bytes, far above the initial guess
    assert _assert_same_hits(scanner, _automaton(keys), data) == 2 * 5000 - 1


def test_lanes_of_a_few_short_articles(matcher, scanner):
    """Fewer articles than lanes, and lanes of very different lengths."""
    pairs = [("Chip export controls", "Rare earth magnets."), ("", ""), ("AI", "x" * 5000 + " 5G telecom"),
             ("Tariffs", "")]
    for k in range(1, len(pairs) + 1):
        _assert_same_hits(scanner, matcher._automaton, *_batch_image(pairs[:k]))


def test_empty_and_hitless_input(scanner, matcher):
    for data in (b"", b" ", b"\xff\xfe zzzz qqqq "):
        ends, keys = scanner.scan(data)
        assert len(ends) == len(keys) == 0
        assert _assert_same_hits(scanner, matcher._automaton, data, [0]) == 0


def test_tables_are_compact(scanner):
    # the folded alphabet is small, so the dense table stays about a megabyte
    assert scanner.n_classes <= 40
    assert scanner.nbytes < 4 * 2 ** 20


# ---------------------------------------------------------------- zone bounds

def _zone_texts():
    """Texts built from the characters the lead rules look at: line breaks, blank and indented lines,
    carriage returns, other whitespace, repeated paragraphs, short lines."""
    rng = random.Random(11)
    bits = ["\n", "\n\n", "\n \n", "\n\t", "\r\n", "\n\r\n", " ", "\x0b", "\x0c", "word", "w", "Same para here.",
            "Same para here.", "two words", "a b c d e f g h", "\u00e9t\u00e9", "-"]
    out = ["", "x", "\n", "one line only", "short\n\nlines\n\nonly"]
    for _ in range(1500):
        out.append("".join(rng.choice(bits) + rng.choice(["", " "]) for _ in range(rng.randint(1, 60))))
    recs = generate_records(300, seed=3, dup_rate=0.0)
    out += [r["text"] for r in recs]
    return out


@pytest.mark.parametrize("lead_paragraphs,min_words,tail", [(2, 8, 0.8), (1, 1, 0.5), (3, 3, 1.0), (0, 5, 0.75)])
def test_zone_bounds_equal_the_matcher_s(matcher, lead_paragraphs, min_words, tail):
    from dataclasses import replace

    from pipelines.core.topic_scan import zone_bounds

    scoring = replace(matcher._scoring, lead_paragraphs=lead_paragraphs, lead_min_words=min_words,
                      tail_fraction=tail)
    reference = TopicMatcher.__new__(TopicMatcher)
    reference._scoring = scoring
    texts = _zone_texts()
    images = [x.encode("ascii", "replace") for x in texts]
    data = b"|".join(images)
    starts = np.cumsum([0] + [len(i) + 1 for i in images[:-1]])
    lengths = np.array([len(i) for i in images])
    lead_end, tail_start = zone_bounds(data, starts, lengths, scoring)
    expected = [reference._zone_bounds(i) for i in images]
    assert list(zip(lead_end.tolist(), tail_start.tolist())) == expected
    assert len(set(expected)) > 20  # the texts exercise many different bounds


def test_extra_substring_keys_leave_the_key_hits_alone(matcher):
    """The batch tagger adds patterns' required words (plain substrings) to the scanner's keys: the
    taxonomy keys' hits stay pyahocorasick's, and each word is found wherever it occurs."""
    import re

    words = ["export", "quota", "access", "licen"]
    n_keys = len(matcher._key_strings)
    scanner = KeyScanner(matcher._key_strings + words, _FOLD)
    recs = list(generate_records(300, seed=9, dup_rate=0.0))
    data, cuts = _batch_image([(r["title"], r["text"] + " export quotas; licence access") for r in recs])
    ends, keys = scanner.scan(data, cuts)
    real = keys < n_keys
    ref_ends, ref_keys = _reference(matcher._automaton, data)
    np.testing.assert_array_equal(ends[real], ref_ends)
    np.testing.assert_array_equal(keys[real], ref_keys)
    folded = data.translate(_FOLD).decode("ascii")
    for w_id, word in enumerate(words):
        found = ends[keys == n_keys + w_id] - len(word) + 1
        assert found.tolist() == [m.start() for m in re.finditer(f"(?={word})", folded)]
        assert len(found) >= len(recs)


def test_expand_rows_lists_every_value_of_each_row_in_order():
    from pipelines.core.topic_scan import expand_rows

    rows_of = [[3, 1], [], [7], [2, 2, 9]]
    ptr = np.cumsum([0] + [len(r) for r in rows_of])
    flat = np.array([v for r in rows_of for v in r], dtype=np.int64)
    rows = np.array([3, 0, 1, 3, 2], dtype=np.int64)
    owner, values = expand_rows(ptr, flat, rows)
    expected = [(i, v) for i, r in enumerate(rows.tolist()) for v in rows_of[r]]
    assert list(zip(owner.tolist(), values.tolist())) == expected
    owner, values = expand_rows(ptr, flat, np.array([1, 1], dtype=np.int64))
    assert owner.dtype == values.dtype == np.int64 and len(owner) == len(values) == 0


def test_context_ok_needs_one_required_and_no_forbidden_context():
    from pipelines.core.topic_scan import context_ok

    rng = random.Random(5)
    ctx = np.array([[rng.random() < 0.3 for _ in range(12)] for _ in range(40)])
    requires = [sorted(rng.sample(range(12), rng.choice([0, 0, 1, 3]))) for _ in range(30)]
    forbids = [sorted(rng.sample(range(12), rng.choice([0, 0, 1, 2]))) for _ in range(30)]

    def csr(rows):
        return (np.cumsum([0] + [len(r) for r in rows]), np.array([v for r in rows for v in r], dtype=np.int64))

    art = np.array([rng.randrange(40) for _ in range(2000)])
    g = np.array([rng.randrange(30) for _ in range(2000)])
    got = context_ok(art, g, ctx, csr(requires), csr(forbids))
    expected = [(not requires[t] or any(ctx[a, c] for c in requires[t])) and not any(ctx[a, c] for c in forbids[t])
                for a, t in zip(art.tolist(), g.tolist())]
    assert got.tolist() == expected
    assert 0 < sum(expected) < len(expected)


def test_word_tries_keep_a_try_with_a_needed_word_at_or_after_it():
    from pipelines.core.topic_scan import word_tries

    rng = random.Random(6)
    n_art, n_words = 20, 5
    pattern_words = np.array([[0, 2, n_words], [1, n_words, n_words], [n_words] * 3, [3, 4, 0]])
    needs = np.array([True, True, False, True])
    hits = sorted((rng.randrange(n_art), rng.randrange(500), rng.randrange(n_words)) for _ in range(150))
    w_art, w_start, w_id = (np.array(c, dtype=np.int64) for c in zip(*hits))
    a = np.array([rng.randrange(n_art) for _ in range(3000)])
    pi = np.array([rng.randrange(4) for _ in range(3000)])
    s = np.array([rng.randrange(500) for _ in range(3000)])
    ok = np.array([rng.random() < 0.9 for _ in range(3000)])
    expected = [o and (not needs[p] or any(wa == a_ and ws >= s_ and wi in pattern_words[p]
                                           for wa, ws, wi in hits))
                for o, a_, p, s_ in zip(ok.tolist(), a.tolist(), pi.tolist(), s.tolist())]
    word_tries(ok, a, pi, s, needs, pattern_words, n_art, w_art, w_start, w_id)
    assert ok.tolist() == expected
    assert 0 < sum(expected) < len(expected)


def test_word_tries_need_a_word_of_every_group():
    from pipelines.core.topic_scan import word_tries

    rng = random.Random(16)
    n_art, n_words = 20, 6
    pad = n_words
    groups = [[[0, 2, pad], [1, 5, pad]], [[3, pad, pad], [pad] * 3], [[pad] * 3, [pad] * 3]]
    pattern_words, needs = np.array(groups), np.array([2, 1, 0])
    hits = sorted((rng.randrange(n_art), rng.randrange(500), rng.randrange(n_words)) for _ in range(200))
    w_art, w_start, w_id = (np.array(c, dtype=np.int64) for c in zip(*hits))
    a, pi, s = (np.array([rng.randrange(k) for _ in range(3000)]) for k in (n_art, 3, 500))
    ok = np.array([rng.random() < 0.9 for _ in range(3000)])
    expected = [o and all(any(wa == a_ and ws >= s_ and wi in group for wa, ws, wi in hits)
                          for group in groups[p][:needs[p]])
                for o, a_, p, s_ in zip(ok.tolist(), a.tolist(), pi.tolist(), s.tolist())]
    ok_padded = ok.copy()
    word_tries(ok, a, pi, s, needs, pattern_words, n_art, w_art, w_start, w_id)
    assert ok.tolist() == expected
    word_tries(ok_padded, a, pi, s, needs, pattern_words, n_art, w_art, w_start, w_id, pad=pad)  # stops at the pad
    assert ok_padded.tolist() == expected
    one_group = [o and any(wa == a_ and ws >= s_ and wi in groups[0][0] for wa, ws, wi in hits)
                 for o, a_, s_ in zip(ok.tolist(), a.tolist(), s.tolist())]
    assert 0 < sum(expected) < len(expected) and expected != one_group  # the second group decides some tries


def test_clear_overlaps_drops_hits_inside_an_exclusion_of_their_key():
    from pipelines.core.topic_scan import clear_overlaps

    rng = random.Random(7)
    ex = [(rng.randrange(30), a, a + rng.randrange(1, 20)) for a in (rng.randrange(400) for _ in range(120))]
    hits = [(rng.randrange(30), a, a + rng.randrange(1, 15)) for a in (rng.randrange(400) for _ in range(3000))]
    valid = np.array([rng.random() < 0.9 for _ in hits])
    expected = [v and not any(k == ek and s < ee and e > es for ek, es, ee in ex)
                for v, (k, s, e) in zip(valid.tolist(), hits)]
    key, start, end = (np.array(c, dtype=np.int64) for c in zip(*hits))
    clear_overlaps(valid, key, start, end, *(np.array(c, dtype=np.int64) for c in zip(*ex)))
    assert valid.tolist() == expected
    assert 0 < sum(expected) < len(expected)


@pytest.mark.parametrize("by_end", [True, False])  # hits as the scan gives them, and in any order
def test_split_hits_separates_key_and_word_hits_and_marks_contexts(by_end):
    from pipelines.core.topic_scan import split_hits

    rng = random.Random(8)
    n_keys, n_words, n_ctx = 12, 3, 5
    klen = np.array([rng.randrange(3, 9) for _ in range(n_keys)])
    word_len = np.array([rng.randrange(4, 7) for _ in range(n_words)])
    ctx_rows = [sorted(rng.sample(range(n_ctx), rng.choice([0, 0, 1, 2]))) for _ in range(n_keys)]
    key_ctx = (np.cumsum([0] + [len(r) for r in ctx_rows]), np.array([c for r in ctx_rows for c in r], dtype=np.int64))
    bases = np.array([0, 100, 250, 251, 400])
    gends = np.sort(np.array([rng.randrange(10, 500) for _ in range(300)]))
    if not by_end:
        gends = gends[np.random.default_rng(9).permutation(len(gends))]
    kids = np.array([rng.randrange(n_keys + n_words) for _ in gends])
    ctx = np.zeros((len(bases), n_ctx), dtype=bool)
    (art, ends, starts, keys), (w_art, w_start, w_id) = split_hits(gends, kids, bases, n_keys, klen, word_len, key_ctx, ctx)
    a_of = [int(np.searchsorted(bases, g, side="right")) - 1 for g in gends.tolist()]
    exp_keys = [(a, g - bases[a], g - bases[a] - klen[k] + 2, k) for a, g, k in zip(a_of, gends.tolist(), kids.tolist())
                if k < n_keys]
    exp_words = [(a, g - word_len[k - n_keys] + 1 - bases[a], k - n_keys)
                 for a, g, k in zip(a_of, gends.tolist(), kids.tolist()) if k >= n_keys]
    assert list(zip(art.tolist(), ends.tolist(), starts.tolist(), keys.tolist())) == exp_keys
    assert list(zip(w_art.tolist(), w_start.tolist(), w_id.tolist())) == exp_words
    expected = np.zeros_like(ctx)
    for a, _, _, k in exp_keys:
        expected[a, ctx_rows[k]] = True
    np.testing.assert_array_equal(ctx, expected)
    assert exp_words and expected.any()


def test_hit_zones_title_lead_body_tail():
    from pipelines.core.topic_scan import hit_zones

    text_start = np.array([5, 12])
    lead_end, tail_start = np.array([10, 0]), np.array([30, 0])
    art = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    start = np.array([1, 5, 14, 15, 34, 35, 11, 12])
    assert hit_zones(art, start, text_start, lead_end, tail_start).tolist() == [0, 1, 1, 2, 2, 3, 0, 3]



def test_term_scores_equal_the_scalar_zone_sum_bit_for_bit():
    from pipelines.core.topic_scan import term_scores

    rng = random.Random(11)
    cap, geo = 3, np.array([0.0, 1.0, 1.7, 2.19])
    zone_weight, zone_rank = np.array([2.0, 1.5, 1.0, 0.7]), np.array([0, 1, 2, 3])
    weight = np.array([rng.random() * 2 for _ in range(40)])
    n = 3000
    counts = np.array([[rng.choice([0, 0, 1, 2, 5]) for _ in range(4)] for _ in range(n)], dtype=np.int64)
    t_g = np.array([rng.randrange(40) for _ in range(n)], dtype=np.int64)
    group = np.array(sorted(rng.randrange(400) for _ in range(n)), dtype=np.int64)
    expected = [0.0] * 400
    for row, g, grp in zip(counts.tolist(), t_g.tolist(), group.tolist()):
        used, sub = 0, 0.0
        for z in zone_rank.tolist():
            if row[z]:
                k = min(row[z], cap - used)
                sub += zone_weight[z] * (geo[used + k] - geo[used])
                used += k
        expected[grp] += weight[g] * sub
    got = term_scores(counts, cap, geo, zone_weight, zone_rank, weight, t_g, group, 400)
    assert [x.hex() for x in got.tolist()] == [float(x).hex() for x in expected]


def test_shown_hits_keep_each_terms_first_hits_of_tagged_topics():
    from pipelines.core.topic_scan import shown_hits

    # kept hits by (article, term, start): article 0 term 0 x3, term 1 x1; article 1 term 2 x2
    ka = np.array([0, 0, 0, 0, 1, 1])
    kg = np.array([0, 0, 0, 1, 2, 2])
    ks = np.array([5, 9, 20, 3, 7, 8])
    ke = ks + 4
    tg = np.array([0, 0, 0, 1, 2, 2])
    first = np.array([0, 3, 4])
    topic_of = np.array([0, 1, 1])
    tagged = np.array([[True, False], [False, True]])
    sa, st, ss, se = shown_hits((ka, kg, ks, ke), tg, first, 2, tagged, topic_of)
    assert list(zip(sa.tolist(), st.tolist(), ss.tolist(), se.tolist())) == [
        (0, 0, 5, 9), (0, 0, 9, 13), (1, 1, 7, 11), (1, 1, 8, 12)]

@pytest.mark.parametrize("text", ["", "plain ASCII only", "curly \u2019quotes\u201d and caf\u00e9 \u00ff",
                                  "astral \U0001f600 then \u00e9", "lone \ud800 surrogate", "\x7f\x80\n\t"])
def test_ascii_image_equals_padded_encode_with_replace(text):
    from pipelines.core.topic_scan import ascii_image

    assert ascii_image(text) == (" " + text + " ").encode("ascii", "replace")


def test_ascii_image_of_synthetic_pages_in_many_scripts():
    from pipelines.core.topic_scan import ascii_image

    recs = generate_records(60, seed=4, dup_rate=0.0)
    text = "  ".join(r["title"] + "\n\n" + r["text"] for r in recs) + " \u4e2d\u6587 \u0440\u0443\u0441 \U0001f4c8"
    assert ascii_image(text) == (" " + text + " ").encode("ascii", "replace")


def test_span_strings_equal_slices_and_flag_where_the_image_may_differ():
    from pipelines.core.topic_scan import ascii_image, span_strings

    rng = random.Random(24)
    pieces = ["trade", "caf\u00e9", "\u2019s", "why?", "nul\x00", "U.S.", " ", "\n\n", "\U0001f4c8", "chips"]
    text = "".join(rng.choice(pieces) for _ in range(400))
    spans = [(a, a + rng.randint(1, 12)) for a in (rng.randrange(len(text) - 12) for _ in range(500))]
    starts, ends = (np.array(c, dtype=np.int64) + 1 for c in zip(*spans))  # the image starts with a space
    strings, unsure = span_strings(ascii_image(text), starts, ends)
    expected_unsure = [any(c in "?\x00" or not c.isascii() for c in text[a:b]) for a, b in spans]
    assert unsure.tolist() == expected_unsure
    assert [s for s, u in zip(strings, expected_unsure) if not u] == [text[a:b] for (a, b), u in
                                                                       zip(spans, expected_unsure) if not u]
    assert 0 < sum(expected_unsure) < len(spans)
    assert span_strings(b" x ", starts[:0], ends[:0])[0] == []


def test_span_firsts_point_at_the_first_span_with_the_same_bytes():
    from pipelines.core.topic_scan import span_firsts

    rng = random.Random(25)
    data = "".join(rng.choice(["ab", "a", "b", " ", "abc"]) for _ in range(3000)).encode("ascii")
    spans = [(a, a + rng.randint(0, 9)) for a in (rng.randrange(len(data) - 9) for _ in range(4000))]
    starts, ends = (np.array(c, dtype=np.int64) for c in zip(*spans))
    seen = {}
    expected = [seen.setdefault(data[a:b], i) for i, (a, b) in enumerate(spans)]
    got = span_firsts(data, starts, ends)
    assert got.tolist() == expected
    assert 50 < len(set(expected)) < 3000  # many repeats, many distinct (empty spans too)
    assert span_firsts(data, starts[:0], ends[:0]).tolist() == []


def test_wide_automaton_keeps_32_bit_transitions_and_same_hits():
    """Past 65,536 states the table cannot hold 16-bit ids: it stays int32 and finds the same hits."""
    rng = random.Random(10)
    keys = sorted({" " + "".join(rng.choice("abcdefgh") for _ in range(36)) for _ in range(2100)})
    wide = KeyScanner(keys, _FOLD)
    assert wide.n_states > 2 ** 16 and wide.delta.dtype == np.int32
    automaton = ahocorasick.Automaton()
    for kid, key in enumerate(keys):
        automaton.add_word(key, kid)
    automaton.make_automaton()
    data = " ".join(rng.choice(keys)[1:rng.choice([20, 37])] for _ in range(3000)).encode("ascii")
    cuts = np.array([0] + [data.index(b" ", len(data) * q // 4) for q in (1, 2, 3)])  # keys hold no inner space
    assert _assert_same_hits(wide, automaton, data, cuts) > 1000


def test_compact_automaton_uses_16_bit_transitions(scanner):
    assert scanner.n_states < 2 ** 16 and scanner.delta.dtype == np.uint16


def test_window_tries_keep_a_try_with_a_word_before_its_space_run_limit():
    from pipelines.core.topic_batch import _SPACE_CODES
    from pipelines.core.topic_scan import window_tries

    rng = random.Random(11)
    words = ["trade", "export", "quota"]
    seps = [" ", " ", " ", "  ", "\n", "\t", " \r\n ", "\x1c", "\x0b", "-", ", "]  # runs of every space byte
    arts = [" " + "".join(rng.choice(words + ["the", "new", "us", "japan", "and"]) + rng.choice(seps)
                          for _ in range(60)) + " "
            for _ in range(6)]
    data = "".join(arts).encode("ascii")
    bases = np.cumsum([0] + [len(a) for a in arts[:-1]])
    hits = sorted(((a, m.start(), w) for a, text in enumerate(arts) for w, word in enumerate(words)
                   for m in re.finditer(word, text)), key=lambda h: (h[0], h[1] + len(words[h[2]])))
    w_art, w_start, w_id = (np.array(c, dtype=np.int64) for c in zip(*hits))
    word_len = np.array([len(w) for w in words])
    pattern_runs = np.array([2, -1, 0, 4, 12])
    pattern_words = np.array([[0, 3], [1, 3], [2, 3], [0, 1], [2, 3]])  # id 3: padding
    tries = [(a, p, m.start()) for a, text in enumerate(arts) for p in range(5) for m in re.finditer(r"\b\w", text)]
    a, pi, s = (np.array(c, dtype=np.int64) for c in zip(*tries))
    ok = np.array([rng.random() < 0.95 for _ in tries])

    def expected_one(o, a_, p, s_):
        if not o or pattern_runs[p] < 0:
            return o
        text = arts[a_]
        runs = [m.start() for m in re.finditer(r"\s+", text) if m.start() >= s_]
        limit = runs[pattern_runs[p]] if len(runs) > pattern_runs[p] else len(text)
        return any(wa == a_ and s_ <= ws < limit and wi in pattern_words[p] for wa, ws, wi in hits)

    expected = [expected_one(o, *t) for o, t in zip(ok.tolist(), tries)]
    start = ok.copy()
    window_tries(ok, a, pi, s, pattern_runs, pattern_words, _SPACE_CODES, data, bases, (w_art, w_start, w_id),
                 word_len)
    assert ok.tolist() == expected
    assert 0 < sum(expected) < len(expected)

    # several groups: a word of each must start before the limit
    groups = np.array([[[0, 3], [2, 3]], [[1, 3], [3, 3]], [[2, 3], [0, 1]], [[0, 1], [2, 3]], [[2, 3], [3, 3]]])
    needs = np.array([2, 1, 2, 2, 1])

    def expected_all(o, a_, p, s_):
        if not o or pattern_runs[p] < 0:
            return o
        text = arts[a_]
        runs = [m.start() for m in re.finditer(r"\s+", text) if m.start() >= s_]
        limit = runs[pattern_runs[p]] if len(runs) > pattern_runs[p] else len(text)
        return all(any(wa == a_ and s_ <= ws < limit and wi in group for wa, ws, wi in hits)
                   for group in groups[p][:needs[p]])

    expected = [expected_all(o, *t) for o, t in zip(start.tolist(), tries)]
    ok = start.copy()
    window_tries(ok, a, pi, s, pattern_runs, groups, _SPACE_CODES, data, bases, (w_art, w_start, w_id), word_len,
                 needs)
    assert ok.tolist() == expected
    assert 0 < sum(expected) < len(expected)


def test_rare_rows_expand_exclusions_anchors_and_case_checked_entries():
    from pipelines.core.topic_batch import _KEEP_CASE_TABLE
    from pipelines.core.topic_scan import rare_rows
    from pipelines.core.topics import _ANCHOR, _CTX, _EXCL, _KEEP_CASE, _TERM

    assert (_TERM, _CTX, _EXCL, _ANCHOR) == (0, 1, 2, 3)  # the kernel's kind codes
    rng = random.Random(12)
    spellings = [b" AI ", b" ai ", b" Ai ", b"<AI>", b" 5G ", b" 5g "]
    case_keys = [b" AI ", b" 5G ", b" AI "]  # entries' case keys; kinds below
    kinds, targets, gids = [_TERM, _CTX, _ANCHOR], [0, 2, 1], [7, -1, -1]
    # keys: 0 "ai" (entries 0 and 2, one exclusion of topic 3), 1 "5g" (entry 1, anchor 4), 2 plain, 3 "ai" (none)
    klen = np.array([4, 4, 4, 4])
    slow = np.array([True, True, False, False])

    def csr(rows):
        return (np.cumsum([0] + [len(r) for r in rows]), np.array([v for r in rows for v in r], dtype=np.int64))

    key_excl, key_anchors, key_exact = csr([[3], [], [], []]), csr([[], [4], [], []]), csr([[0, 2], [1], [], []])
    exact_keys = csr([list(k) for k in case_keys])
    pieces, hits, pos = [], [], 0
    for _ in range(400):
        word = rng.choice(spellings)
        kid = 1 if b"5" in word else rng.choice([0, 2, 3])
        pieces.append(word + b"x")
        hits.append((kid, pos + len(word) - 1))  # key hits end on their last byte
        pos += len(word) + 1
    data = b"".join(pieces)
    bases = np.array([0, pos // 2])
    kids = np.array([k for k, _ in hits])
    gends = np.array([g for _, g in hits])
    art = (gends >= bases[1]).astype(np.int64)
    ends = gends - bases[art]
    starts = ends - klen[kids] + 2
    for tickers in (False, True):
        ctx = np.zeros((2, 3), dtype=bool)
        terms, excl, anchors, ctx_rows = rare_rows(kids, art, starts, ends, bases, data, _KEEP_CASE_TABLE, tickers,
                                                   slow, key_excl, key_anchors, key_exact, exact_keys, klen,
                                                   np.array(kinds), np.array(targets), np.array(gids), ctx,
                                                   np.array([False, False, True]))
        exp_t, exp_x, exp_a, exp_ctx, exp_c = [], [], [], set(), []
        for k, a, s, e, g in zip(kids.tolist(), art.tolist(), starts.tolist(), ends.tolist(), gends.tolist()):
            if not slow[k]:
                continue
            exp_x += [(a, 3, s, e)] if k == 0 else []
            exp_a += [(a, 4, s)] if k == 1 else []
            under = data[g + 1 - 4:g + 1]
            for en in key_exact[1][key_exact[0][k]:key_exact[0][k + 1]].tolist():
                if under.translate(_KEEP_CASE) != case_keys[en] or (tickers and under[:1] + under[-1:] == b"<>"):
                    continue
                if kinds[en] == _TERM:
                    exp_t.append((a, gids[en], s, e))
                elif kinds[en] == _CTX:
                    exp_ctx.add((a, targets[en]))
                    exp_c.append((a, targets[en], s, e))  # context 2 is wanted as rows
                else:
                    exp_a.append((a, targets[en], s))
        assert sorted(zip(*terms.tolist())) == sorted(exp_t) and exp_t
        assert sorted(zip(*excl.tolist())) == sorted(exp_x) and exp_x
        assert sorted(zip(*anchors.tolist())) == sorted(exp_a) and exp_a
        assert {(a, c) for a, c in zip(*np.nonzero(ctx))} == exp_ctx and exp_ctx
        assert sorted(zip(*ctx_rows.tolist())) == sorted(exp_c) and exp_c


def test_near_ok_against_word_counts_in_the_gap():
    """near_ok keeps a hit when a required context lies in its field with at most n words between them
    (overlap counts), and no forbidden one does; hits of terms without near are left alone."""
    from pipelines.core.topic_batch import _WORD_BYTES
    from pipelines.core.topic_scan import near_ok

    rng = random.Random(19)
    vocab = [b"alpha", b"b", b"c3", b"--", b"?", b".", b" ", b"\n\n"]
    bodies = [b" " + b" ".join(rng.choice(vocab) for _ in range(rng.randint(5, 60))) + b" " for _ in range(30)]
    data = b"".join(bodies)
    bases = np.cumsum([0] + [len(b) for b in bodies[:-1]])
    text_start = np.array([rng.randint(1, len(b) - 1) for b in bodies])

    def span(a):
        s = rng.randrange(1, len(bodies[a]) - 1)
        return s, rng.randint(s + 1, len(bodies[a]) - 1)
    # terms: 0 no near; 1 near 0 requires ctx 0; 2 near 2 requires ctx 0 or 1, forbids ctx 2; 3 near 4 forbids ctx 1
    near = np.array([-1, 0, 2, 4])
    near_row = np.array([-1, 0, 1, 2])
    near_req = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 0]], dtype=bool)
    near_forb = np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=bool)
    c_rows = [(a, rng.randrange(3), *span(a)) for a in range(len(bodies)) for _ in range(rng.randint(0, 6))]
    hits = [(a, rng.randrange(4), *span(a)) for a in range(len(bodies)) for _ in range(20)]
    art, g, start, end = (np.array(c, dtype=np.int64) for c in zip(*hits))
    valid = np.array([rng.random() < 0.9 for _ in hits])

    def close(a, s, e, cs, ce, n):
        if (cs < text_start[a]) != (s < text_start[a]):
            return False
        gap = bodies[a][ce:s] if ce <= s else bodies[a][e:cs] if cs >= e else b""
        return len(gap.translate(_FOLD).split()) <= n

    expected = []
    for (a, t, s, e), ok in zip(hits, valid.tolist()):
        if ok and near[t] >= 0:
            near_ids = [(cid, close(a, s, e, cs, ce, near[t])) for ca, cid, cs, ce in c_rows if ca == a]
            needs = near_req[near_row[t]].any()
            found = any(c and near_req[near_row[t], cid] for cid, c in near_ids)
            bad = any(c and near_forb[near_row[t], cid] for cid, c in near_ids)
            ok = (found or not needs) and not bad
        expected.append(ok)
    before = valid.copy()
    c_hits = tuple(np.array(c, dtype=np.int64) for c in zip(*c_rows))
    near_ok(valid, art, g, start, end, near, near_row, near_req, near_forb, c_hits, len(bodies), data, bases,
            _WORD_BYTES, text_start)
    assert valid.tolist() == expected
    is_near = near[g] >= 0
    assert (before & is_near & ~valid).any() and (is_near & valid).any()  # some near hits cleared, some kept
    assert (valid == before)[~is_near].all()


def test_unswallowed_keeps_valid_rows_not_inside_an_earlier_valid_row_of_their_group():
    from pipelines.core.topic_scan import unswallowed

    rng = random.Random(25)
    rows = [(rng.randrange(4), s, s + rng.randint(0, 6), rng.random() < 0.8)
            for s in (rng.randrange(40) for _ in range(600))]  # (group, start, end, valid)
    group, start, end, valid = (np.array(c) for c in zip(*rows))
    order = np.array(sorted(range(len(rows)), key=lambda r: (group[r], start[r], start[r] - end[r])), dtype=np.int64)
    expected, seen = [], []
    for r in order.tolist():
        inside = any(group[q] == group[r] and end[r] <= end[q] for q in seen)
        if valid[r] and not inside:
            expected.append(r)
        if valid[r]:
            seen.append(r)
    assert unswallowed(order, group.astype(np.int64), end.astype(np.int64), valid).tolist() == expected
    assert 0 < len(expected) < sum(valid)


def test_own_piece_equals_own_paragraph_of_piece_starts_on_texts_inside_an_image():
    from pipelines.core.topic_scan import own_piece
    from pipelines.core.topics import own_paragraph, piece_starts

    rng = random.Random(12)
    pieces = ["word", "two words", "\n", "\n\n", "\n \n", "\n\t", "\n \r\n", " ", "\t", "\r", "x"]
    texts = ["", "\n", "a\n", "\n\n", "end in a blank line\n\n", "indented\n  line", "lines\nonly\nhere\n"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(300)]
    outcomes = set()
    for text in texts:
        for before, after in (("", ""), ("title\n\n", "  next\n\n"), ("x\n", "\n y")):
            image = (before + text + after).encode("ascii")
            begin = len(before)
            cuts = piece_starts(text.encode("ascii"))
            for _ in range(3):
                own = np.array([rng.randint(-3, len(text)) for _ in range(rng.randint(0, 5))], dtype=np.int64)
                other = np.array([rng.randint(-3, len(text)) for _ in range(rng.randint(0, 3))], dtype=np.int64)
                need = rng.randint(1, 3)
                got = own_piece(image, begin, begin + len(text), own, other, need)
                assert got == own_paragraph(cuts, need, own.tolist(), other.tolist()), (repr(text), own, other)
                outcomes.add(got)
    assert outcomes == {True, False}
