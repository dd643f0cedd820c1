"""Compiled (numba) passes of the batch tagger: the batch's ASCII image, the key scan over it (pyahocorasick's
hits), and the per-hit steps after it (contexts, case checks, pattern pre-checks, exclusions, zones, sums)."""
from __future__ import annotations

import warnings

import numba
import numpy as np

try:  # numba's reader of a str's code points in place (no copy); without it ascii_image encodes
    from numba.cpython.unicode import _get_code_point  # noqa: PLC2701
except ImportError:  # pragma: no cover - another numba version
    _get_code_point = None


def _jit(fn):
    """njit with an on-disk cache when numba can write one, else compiled per process."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return numba.njit(cache=True, nogil=True)(fn)
    except Exception:  # noqa: BLE001 - no writable cache location: compile in memory
        return numba.njit(nogil=True)(fn)


def _scan(data, begin, end, classes, delta, first_out, n_classes, trace, counts):
    """The states with output reached in each lane data[begin[k]:end[k]] (4 lanes), into row k of trace as
    position << 32 | state, counts[k] of them (more than trace holds when it overflowed: then the rest is not
    written). Each lane starts at the root: a lane must begin where no key can straddle. The lanes' state chains
    are independent, so running them in lockstep overlaps their table loads. A hit only records its state here and
    _emit_keys lists the keys later: the loop keeps few values live (writing the keys in it cost ~30 ns a hit).
    States and byte offsets are unsigned: numba then adds no negative-index wraparound to the look-ups (unsigned
    offsets: 6.8 -> 5.4 us per synthetic article)."""
    n_cls = np.uint64(n_classes)
    out_from = np.uint64(first_out)
    cap = trace.shape[1]
    s0 = s1 = s2 = s3 = np.uint64(0)  # state ids
    n0 = n1 = n2 = n3 = 0
    b0, b1, b2, b3 = np.uint64(begin[0]), np.uint64(begin[1]), np.uint64(begin[2]), np.uint64(begin[3])
    steps = min(end[0] - begin[0], end[1] - begin[1], end[2] - begin[2], end[3] - begin[3])
    for i in range(steps):
        u = np.uint64(i)
        s0 = np.uint64(delta[s0 * n_cls + classes[data[b0 + u]]])
        s1 = np.uint64(delta[s1 * n_cls + classes[data[b1 + u]]])
        s2 = np.uint64(delta[s2 * n_cls + classes[data[b2 + u]]])
        s3 = np.uint64(delta[s3 * n_cls + classes[data[b3 + u]]])
        # states with output are numbered last: one compare on the common path
        if s0 >= out_from:
            if n0 < cap:
                trace[0, n0] = ((begin[0] + i) << 32) | np.int64(s0)
            n0 += 1
        if s1 >= out_from:
            if n1 < cap:
                trace[1, n1] = ((begin[1] + i) << 32) | np.int64(s1)
            n1 += 1
        if s2 >= out_from:
            if n2 < cap:
                trace[2, n2] = ((begin[2] + i) << 32) | np.int64(s2)
            n2 += 1
        if s3 >= out_from:
            if n3 < cap:
                trace[3, n3] = ((begin[3] + i) << 32) | np.int64(s3)
            n3 += 1
    states = (s0, s1, s2, s3)
    counts[0], counts[1], counts[2], counts[3] = n0, n1, n2, n3
    for k in range(4):  # the rest of each lane alone
        state = states[k]
        n = counts[k]
        for i in range(begin[k] + steps, end[k]):
            state = np.uint64(delta[state * n_cls + classes[data[np.uint64(i)]]])
            if state >= out_from:
                if n < cap:
                    trace[k, n] = (i << 32) | np.int64(state)
                n += 1
        counts[k] = n


def _emit_keys(trace, counts, out_ptr, out_keys, ends, keys):
    """The keys of the traced states, lane by lane (as pyahocorasick reports them at a position: the state's own
    key, then those along its suffix links, longest first), into ends/keys; returns how many (with ends None:
    only counts them)."""
    n = 0
    for k in range(trace.shape[0]):
        for j in range(counts[k]):
            state = trace[k, j] & 0xFFFFFFFF
            if ends is None:
                n += out_ptr[state + 1] - out_ptr[state]
                continue
            at = trace[k, j] >> 32
            for o in range(out_ptr[state], out_ptr[state + 1]):
                ends[n] = at
                keys[n] = out_keys[o]
                n += 1
    return n


_scan_jit = _jit(_scan)
_emit_keys_jit = _jit(_emit_keys)


def _is_space(c) -> bool:
    return c == 32 or 9 <= c <= 13  # bytes.split()'s whitespace


def _same_words(data, a, a_end, b, b_end) -> bool:
    """data[a:a_end].split() == data[b:b_end].split()"""
    while True:
        while a < a_end and _is_space(data[a]):
            a += 1
        while b < b_end and _is_space(data[b]):
            b += 1
        if a == a_end or b == b_end:
            return a == a_end and b == b_end
        while a < a_end and b < b_end and not _is_space(data[a]) and not _is_space(data[b]):
            if data[a] != data[b]:
                return False
            a += 1
            b += 1
        if (a < a_end and not _is_space(data[a])) or (b < b_end and not _is_space(data[b])):
            return False


def _has_words(data, a, a_end, n) -> bool:
    """len(data[a:a_end].split()) >= n, reading only as far as the n-th word."""
    count = 0
    inside = False
    for i in range(a, a_end):
        if _is_space(data[i]):
            inside = False
        elif not inside:
            inside = True
            count += 1
            if count >= n:
                return True
    return count >= n


_NEWLINES = np.uint64(0x0A0A0A0A0A0A0A0A)
_ONES = np.uint64(0x0101010101010101)
_HIGHS = np.uint64(0x8080808080808080)


def _find_newline(data, words, i, end):
    """The first newline in data[i:end] (end when none); words: data as aligned 8-byte words, read one at a
    time while they hold no newline (a text has one every 100 bytes or so)."""
    while i < end and i & 7:
        if data[i] == 10:
            return i
        i += 1
    while i + 8 <= end:
        x = words[i >> 3] ^ _NEWLINES
        if (x - _ONES) & ~x & _HIGHS:  # a zero byte in x: a newline in the word
            break
        i += 8
    while i < end:
        if data[i] == 10:
            return i
        i += 1
    return end


def _has_paragraphs(data, words, begin, end) -> bool:
    """The text has a blank or an indented line: it is split into paragraphs there, else at every line."""
    i = _find_newline(data, words, begin, end - 1)
    while i < end - 1:
        if data[i + 1] == 10 or data[i + 1] == 32 or data[i + 1] == 9:
            return True
        i = _find_newline(data, words, i + 1, end - 1)
    return False


def _next_break(data, words, pos, end, paragraphs):
    """(start, end) of the next break from pos: rb"\n[ \t\r]*\n|\n(?=[ \t])" for paragraphs, else rb"\n";
    (end, end) when there is none."""
    j = pos
    while j < end:
        j = _find_newline(data, words, j, end)
        if j < end:
            if not paragraphs:
                return j, j + 1
            k = j + 1
            while k < end and (data[k] == 32 or data[k] == 9 or data[k] == 13):
                k += 1
            if k < end and data[k] == 10:
                return j, k + 1
            if j + 1 < end and (data[j + 1] == 32 or data[j + 1] == 9):
                return j, j + 1
        j += 1
    return end, end


def _count_paragraphs(data, words, begin, end, paragraphs, min_words, limit):
    """(paragraphs, end of the last one) of data[begin:end], counting up to limit: pieces between breaks of at
    least min_words words, a piece repeating the previous counted one not counting (TopicMatcher._pieces)."""
    shortest = 2 * min_words - 1  # fewer bytes cannot hold min_words words
    count, last = 0, begin
    prev, prev_end = -1, -1
    pos = begin
    while count < limit:
        stop, after = _next_break(data, words, pos, end, paragraphs)
        if stop - pos >= shortest and _has_words(data, pos, stop, min_words) and (
                prev < 0 or not _same_words(data, pos, stop, prev, prev_end)):
            count += 1
            prev, prev_end = pos, stop
            last = stop
        if stop >= end:
            break
        pos = after
    return count, last


def _zone_bounds(data, words, starts, lengths, lead_paragraphs, min_words, tail_fraction, lead_end, tail_start):
    """TopicMatcher._zone_bounds for each text data[starts[i]:starts[i] + lengths[i]]: the lead ends
    after lead_paragraphs paragraphs of at least min_words words (a paragraph repeating the previous
    counted one does not count); paragraphs are split at blank or indented lines when the text has
    any, else at every line break."""
    for t in range(len(starts)):
        begin = starts[t]
        end = begin + lengths[t]
        lead = 0
        if lead_paragraphs > 0 and end > begin:
            count, last = _count_paragraphs(data, words, begin, end, _has_paragraphs(data, words, begin, end),
                                            min_words, lead_paragraphs)
            if count:
                lead = last - begin
        tail = int(lengths[t] * tail_fraction)
        lead_end[t] = lead
        tail_start[t] = tail if tail > lead else lead


_is_space = _jit(_is_space)
_same_words = _jit(_same_words)
_has_words = _jit(_has_words)
_find_newline = _jit(_find_newline)
_has_paragraphs = _jit(_has_paragraphs)
_next_break = _jit(_next_break)
_count_paragraphs = _jit(_count_paragraphs)
_zone_bounds_jit = _jit(_zone_bounds)


def _untag_passing(tagged, early, first, p_first, p_art, p_topic, ks, rounded, passing_need, passing_cap,
                   data, words, bases, sizes, text_start, min_words):
    n_groups, n_tg = len(p_first), len(first)
    last_begin, paragraphs, counted_need, counted = -1, False, -1, 0
    for g in range(n_groups):
        a, t = p_art[g], p_topic[g]
        need = passing_need[t]
        if need <= 0 or not tagged[a, t] or not rounded[g] < passing_cap[t]:
            continue
        stop_tg = p_first[g + 1] if g + 1 < n_groups else n_tg
        seen = 0
        for tg in range(p_first[g], stop_tg):
            seen += early[tg]
        if seen:
            continue
        # its kept hits' first and last start, relative to the text
        lo_hit, hi_hit = first[p_first[g]], first[stop_tg] if stop_tg < n_tg else len(ks)
        lo, hi = ks[lo_hit], ks[lo_hit]
        for j in range(lo_hit + 1, hi_hit):
            lo = min(lo, ks[j])
            hi = max(hi, ks[j])
        ts = text_start[a]
        begin = bases[a] + ts
        end = begin + sizes[a] - ts - 1
        if begin != last_begin:  # (groups of one text come together: look once, count once per need)
            paragraphs = _has_paragraphs(data, words, begin, end)
            last_begin, counted_need = begin, -1
        stop, after = _next_break(data, words, begin + lo - ts, end, paragraphs)
        if stop < end and after - begin <= hi - ts:
            continue
        if need != counted_need:
            counted = _count_paragraphs(data, words, begin, end, paragraphs, min_words, need)[0]
            counted_need = need
        if counted >= need:
            tagged[a, t] = False


_untag_passing_jit = _jit(_untag_passing)


def _words(data: bytes) -> np.ndarray:
    """data's whole 8-byte words, in place (for _find_newline)."""
    return np.frombuffer(data, dtype=np.uint64, count=len(data) // 8)


def zone_bounds(data: bytes, starts: np.ndarray, lengths: np.ndarray, scoring) -> tuple[np.ndarray, np.ndarray]:
    """(lead ends, tail starts), relative to each text's start, of the texts at starts/lengths in data."""
    lead_end = np.empty(len(starts), dtype=np.int64)
    tail_start = np.empty(len(starts), dtype=np.int64)
    _zone_bounds_jit(np.frombuffer(data, dtype=np.uint8), _words(data), starts.astype(np.int64),
                     lengths.astype(np.int64),
                     scoring.lead_paragraphs, scoring.lead_min_words, float(scoring.tail_fraction),
                     lead_end, tail_start)
    return lead_end, tail_start


def untag_passing(tagged: np.ndarray, counts: np.ndarray, first: np.ndarray, groups: tuple, ks: np.ndarray,
                  rounded: np.ndarray, passing_need: np.ndarray, passing_cap: np.ndarray, image: tuple,
                  text_start: np.ndarray, min_words: int) -> None:
    """Clears tagged[a, t] where topic t is mentioned in passing (TopicMatcher._is_passing), one pass over the
    (article, topic) groups (groups: their first term group, article, topic; rounded: their scores): t has
    passing paragraphs, a score under its passing cap, no kept hit in the title or the lead (counts: hits per
    zone of each (article, term) group, whose first hits are first; ks: kept hit starts), its hits in one piece
    of the text (no break from the first ends by the last), and the text has at least that many paragraphs of at
    least min_words words, a repeat of the previous counted one not counting. image: (raw, bases, sizes)."""
    raw, bases, sizes = image
    p_first, p_art, p_topic = groups
    early = counts[:, 0] + counts[:, 1]
    _untag_passing_jit(tagged, early, first, p_first, p_art, p_topic, ks, rounded, passing_need, passing_cap,
                       np.frombuffer(raw, dtype=np.uint8), _words(raw), bases, sizes, text_start, min_words)


def _piece_cuts(data, words, begin, end, out):
    """Where each piece of data[begin:end] after the first starts, relative to begin (topics.piece_starts), into
    out; returns how many."""
    paragraphs = _has_paragraphs(data, words, begin, end)
    n = 0
    pos = begin
    while True:
        stop, after = _next_break(data, words, pos, end, paragraphs)
        if stop >= end:
            return n
        out[n] = after - begin
        n += 1
        pos = after


_piece_cuts = _jit(_piece_cuts)


def _own_piece(data, words, begin, end, own, other, need, cuts):
    n = _piece_cuts(data, words, begin, end, cuts)
    count = np.zeros(n + 1, dtype=np.int64)
    busy = np.zeros(n + 1, dtype=np.bool_)
    for o in other:
        if o >= 0:
            busy[np.searchsorted(cuts[:n], o, side="right")] = True
    for o in own:
        if o >= 0:
            count[np.searchsorted(cuts[:n], o, side="right")] += 1
    for p in range(n + 1):
        if count[p] >= need and not busy[p]:
            return True
    return False


_own_piece_jit = _jit(_own_piece)


def own_piece(data: bytes, begin: int, end: int, own: np.ndarray, other: np.ndarray, need: int) -> bool:
    """topics.own_paragraph(topics.piece_starts(data[begin:end]), need, own, other): some piece of the text
    data[begin:end] holds at least need of the offsets own (relative to begin; negative ones, in the title,
    count nowhere) and none of other. Pieces are cut as _zone_bounds cuts them, without a copy or a regex pass."""
    return _own_piece_jit(np.frombuffer(data, dtype=np.uint8), _words(data), begin, end, own.astype(np.int64),
                          other.astype(np.int64), need, np.empty(end - begin + 1, dtype=np.int64))


def _yield_drops(tagged, scores, ti, targets, bar, cap, para, title_hits, keeps, t_g, p_first, p_art, p_topic,
                 data, words, bases, sizes, text_start, ka, kg, ks, topic_of, drop):
    held = np.zeros(tagged.shape[0], dtype=np.bool_)  # a kept hit of ti in the title, or a kept term keeping it
    n_groups = len(p_first)
    for g in range(n_groups):
        if p_topic[g] == ti:
            stop = p_first[g + 1] if g + 1 < n_groups else len(t_g)
            for tg in range(p_first[g], stop):
                if title_hits[tg] > 0 or keeps[t_g[tg]]:
                    held[p_art[g]] = True
    cuts = np.empty(sizes.max() + 1, dtype=np.int64)
    for a in range(tagged.shape[0]):
        if not tagged[a, ti] or not scores[a, ti] < cap or held[a]:
            continue
        beaten = False
        for tj in targets:
            if tagged[a, tj] and scores[a, tj] >= bar[a]:
                beaten = True
        if not beaten:
            continue
        if para:  # spared when ti has a paragraph of its own beside every topic that beats it
            lo = np.searchsorted(ka, a)
            hi = np.searchsorted(ka, a, side="right")
            ts = text_start[a]
            begin, end = bases[a] + ts, bases[a] + sizes[a] - 1
            own = np.empty(hi - lo, dtype=np.int64)
            n_own = 0
            for j in range(lo, hi):
                if topic_of[kg[j]] == ti:
                    own[n_own] = ks[j] - ts
                    n_own += 1
            other = np.empty(hi - lo, dtype=np.int64)
            spared = True
            for tj in targets:
                if not (tagged[a, tj] and scores[a, tj] >= bar[a]):
                    continue
                n_other = 0
                for j in range(lo, hi):
                    if topic_of[kg[j]] == tj:
                        other[n_other] = ks[j] - ts
                        n_other += 1
                if not _own_piece_jit(data, words, begin, end, own[:n_own], other[:n_other], para, cuts):
                    spared = False
                    break
            if spared:
                continue
        drop[a] = True


_yield_drops_jit = _jit(_yield_drops)


def yield_drops(tagged: np.ndarray, scores: np.ndarray, ti: int, targets: np.ndarray, bar: np.ndarray, cap: float,
                para: int, title_hits: np.ndarray, keeps: np.ndarray, t_g: np.ndarray, groups: tuple,
                image: tuple, text_start: np.ndarray, kept: tuple, topic_of: np.ndarray) -> np.ndarray:
    """Which articles lose topic ti by its yield rule (TopicMatcher._apply_yields), one pass: tagged with a score
    under cap, beaten by a tagged target scoring at least bar (ratio times ti's score, rounded), no kept hit
    of ti in the title (title_hits: per (article, term) group), no kept term of ti that keeps it (keeps: per
    term), and, when para, no paragraph of its own beside each topic beating it. groups: (first term group,
    article, topic) of each (article, topic) group; image: (raw, bases, sizes); kept: kept hits (article,
    term, start) by article."""
    raw, bases, sizes = image
    p_first, p_art, p_topic = groups
    ka, kg, ks = kept
    drop = np.zeros(tagged.shape[0], dtype=np.bool_)
    _yield_drops_jit(tagged, scores, ti, targets, bar, cap, para, title_hits, keeps, t_g, p_first, p_art, p_topic,
                     np.frombuffer(raw, dtype=np.uint8), _words(raw), bases, sizes, text_start, ka, kg, ks, topic_of,
                     drop)
    return drop


def _expand_rows(ptr, flat, rows, owner, values):
    n = 0
    for i in range(len(rows)):
        for j in range(ptr[rows[i]], ptr[rows[i] + 1]):
            owner[n] = i
            values[n] = flat[j]
            n += 1


_expand_rows_jit = _jit(_expand_rows)


def expand_rows(ptr: np.ndarray, flat: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every value of CSR row rows[i] (ptr/flat), for each i in order: (i, value) pairs as two arrays."""
    total = int((ptr[rows + 1] - ptr[rows]).sum())
    owner = np.empty(total, dtype=np.int64)
    values = np.empty(total, dtype=np.int64)
    _expand_rows_jit(ptr, flat, rows, owner, values)
    return owner, values


def _narrow(text, out):
    out[0] = 32
    for i in range(len(text)):
        c = _get_code_point(text, i)
        out[i + 1] = c if c < 128 else 63
    out[len(text) + 1] = 32


_narrow_jit = _jit(_narrow) if _get_code_point is not None else None


def ascii_image(text: str) -> bytes:
    """(" " + text + " ").encode("ascii", "replace"): a "?" for each non-ASCII character. Read in place
    by a compiled loop: the "replace" encoder is slow on long text with many non-ASCII characters
    (3.9 -> 1.2 us per synthetic article), and a copy in another encoding first costs as much again."""
    if text.isascii():
        return b" " + text.encode("ascii") + b" "
    if _narrow_jit is None:
        return b" " + text.encode("ascii", "replace") + b" "
    out = np.empty(len(text) + 2, dtype=np.uint8)
    _narrow_jit(text, out)
    return out.tobytes()


def _join_spans(data, starts, ends, out, unsure):
    k = 0
    for i in range(len(starts)):
        if i:
            out[k] = 0
            k += 1
        for p in range(starts[i], ends[i]):
            c = data[p]
            if c == 63 or c == 0:
                unsure[i] = True
                c = 63
            out[k] = c
            k += 1


_join_spans_jit = _jit(_join_spans)


def span_strings(data: bytes, starts: np.ndarray, ends: np.ndarray) -> tuple[list[str], np.ndarray]:
    """(data[starts[i]:ends[i]] as str for each i, unsure): one compiled copy, one decode and one split make
    the strings (a Python slice each costs ~3x more). data is an ascii_image, whose "?" may stand for a
    non-ASCII character: unsure[i] when span i holds a "?" or a NUL (the split's separator, written as "?")."""
    if not len(starts):
        return [], np.zeros(0, dtype=np.bool_)
    out = np.empty(int((ends - starts).sum()) + len(starts) - 1, dtype=np.uint8)
    unsure = np.zeros(len(starts), dtype=np.bool_)
    _join_spans_jit(np.frombuffer(data, dtype=np.uint8), starts, ends, out, unsure)
    return out.tobytes().decode("ascii").split("\x00"), unsure


def _span_firsts(data, starts, ends, slots, bits, first):
    mask = len(slots) - 1
    for i in range(len(starts)):
        s, n = starts[i], ends[i] - starts[i]
        # a cheap hash (length, first, middle and last byte; the bytes are compared anyway), its top bits the slot
        h = np.uint64(n) | (np.uint64(data[s]) << np.uint64(16)) if n else np.uint64(0)
        if n:
            h |= (np.uint64(data[s + n // 2]) << np.uint64(24)) | (np.uint64(data[s + n - 1]) << np.uint64(32))
        k = (h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)
        while True:
            j = slots[k]
            if j < 0:
                slots[k] = i
                first[i] = i
                break
            same = ends[j] - starts[j] == n
            m = 0
            while same and m < n:
                same = data[starts[j] + m] == data[s + m]
                m += 1
            if same:
                first[i] = j
                break
            k = (k + np.uint64(1)) & np.uint64(mask)


_span_firsts_jit = _jit(_span_firsts)


def span_firsts(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each span data[starts[i]:ends[i]], the index of the first span with the same bytes (i itself when
    none before it has them): one pass through an open-addressing table keyed by a hash of the bytes."""
    first = np.empty(len(starts), dtype=np.int64)
    bits = max(4, (2 * len(starts)).bit_length())
    slots = np.full(1 << bits, -1, dtype=np.int64)  # at most half full
    _span_firsts_jit(np.frombuffer(data, dtype=np.uint8), starts, ends, slots, bits, first)
    return first


def _split_hits(gends, kids, bases, n_keys, klen, word_len, ctx_ptr, ctx_ids, ctx,
                art, ends, starts, keys, w_art, w_start, w_id):
    n = nw = 0
    a = 0
    for i in range(len(gends)):
        g = gends[i]
        if g < bases[a]:  # (the scan reports hits by end: only a caller's unordered hits come back)
            a = np.searchsorted(bases, g, side="right") - 1
        while a + 1 < len(bases) and bases[a + 1] <= g:
            a += 1
        k = kids[i]
        if k >= n_keys:
            w_art[nw] = a
            w_id[nw] = k - n_keys
            w_start[nw] = g - word_len[k - n_keys] + 1 - bases[a]
            nw += 1
        else:
            art[n] = a
            ends[n] = g - bases[a]
            starts[n] = ends[n] - klen[k] + 2
            keys[n] = k
            for j in range(ctx_ptr[k], ctx_ptr[k + 1]):
                ctx[a, ctx_ids[j]] = True
            n += 1
    return n, nw


_split_hits_jit = _jit(_split_hits)


def split_hits(gends: np.ndarray, kids: np.ndarray, bases: np.ndarray, n_keys: int, klen: np.ndarray,
               word_len: np.ndarray, key_ctx: tuple, ctx: np.ndarray) -> tuple:
    """The scan's hits (batch end offsets, ids) of a batch whose articles start at bases, split into
    key hits (article, end, start as the tagger counts them, key id; klen: each key's length) and
    hits of the extra words from id n_keys on (article, start in it, word id); marks in ctx
    (article x context) the contexts of each key hit (key_ctx: CSR rows of context ids per key)."""
    art, ends, starts, keys, w_art, w_start, w_id = (np.empty(len(gends), dtype=np.int64) for _ in range(7))
    n, nw = _split_hits_jit(gends, kids, bases, n_keys, klen, word_len, *key_ctx, ctx,
                            art, ends, starts, keys, w_art, w_start, w_id)
    return (art[:n], ends[:n], starts[:n], keys[:n]), (w_art[:nw], w_start[:nw], w_id[:nw])


def _zones(art, start, text_start, lead_end, tail_start, out):
    for i in range(len(art)):
        a = art[i]
        ts = text_start[a]
        if start[i] < ts:
            out[i] = 0
        elif start[i] < ts + lead_end[a]:
            out[i] = 1
        elif start[i] >= ts + tail_start[a]:
            out[i] = 3
        else:
            out[i] = 2


_zones_jit = _jit(_zones)


def hit_zones(art: np.ndarray, start: np.ndarray, text_start: np.ndarray, lead_end: np.ndarray,
          tail_start: np.ndarray) -> np.ndarray:
    """Zone of each hit (0 title, 1 lead, 2 body, 3 tail) from its article's text start and zone bounds
    (lead end, tail start: relative to the text start)."""
    out = np.empty(len(art), dtype=np.int64)
    _zones_jit(art, start, text_start, lead_end, tail_start, out)
    return out


def _shown_hits(ka, kg, ks, ke, tg, first, cap, tagged, topic_of, sa, st, ss, se):
    n = 0
    for i in range(len(ka)):
        t = topic_of[kg[i]]
        if i - first[tg[i]] < cap and tagged[ka[i], t]:
            sa[n], st[n], ss[n], se[n] = ka[i], t, ks[i], ke[i]
            n += 1
    return n


_shown_hits_jit = _jit(_shown_hits)


def shown_hits(kept: tuple, tg: np.ndarray, first: np.ndarray, cap: int, tagged: np.ndarray,
               topic_of: np.ndarray) -> tuple:
    """(article, topic, start, end) of the kept hits (article, term, start, end, by article and term, hits of a
    term by position) shown as evidence: a term's first cap hits (tg: each hit's (article, term) group, whose
    first hits are first), of tagged topics."""
    ka, kg, ks, ke = kept
    out = tuple(np.empty(len(ka), dtype=np.int64) for _ in range(4))
    n = _shown_hits_jit(ka, kg, ks, ke, tg, first, cap, tagged, topic_of, *out)
    return tuple(column[:n] for column in out)


def _term_scores(counts, cap, geo, zone_weight, zone_rank, weight, t_g, group, out):
    for i in range(counts.shape[0]):
        used = 0
        sub = 0.0
        for z in zone_rank:
            c = counts[i, z]
            if c > 0:
                k = min(c, cap - used)
                sub = sub + zone_weight[z] * (geo[used + k] - geo[used])
                used += k
        out[group[i]] += weight[t_g[i]] * sub


_term_scores_jit = _jit(_term_scores)


def term_scores(counts: np.ndarray, cap: int, geo: np.ndarray, zone_weight: np.ndarray, zone_rank: np.ndarray,
                weight: np.ndarray, t_g: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Per (article, topic) group, the scalar scorer's sum bit for bit: each (article, term) group's hits per
    zone (counts) taken zone by zone in zone_rank order up to cap in all, a zone adding its weight times the
    geometric steps it covers, times the term's weight (t_g: each group's term), added in index order."""
    out = np.zeros(n_groups, dtype=np.float64)
    _term_scores_jit(counts, cap, geo, zone_weight, zone_rank, weight, t_g, group, out)
    return out


def _unswallowed(order, group, end, valid, out):
    n = 0
    last, reach = -1, 0
    for j in range(len(order)):
        r = order[j]
        if group[r] != last:
            last, reach = group[r], 0
        if valid[r]:
            if end[r] >= reach:
                out[n] = r
                n += 1
            if end[r] + 1 > reach:
                reach = end[r] + 1
    return n


_unswallowed_jit = _jit(_unswallowed)


def unswallowed(order: np.ndarray, group: np.ndarray, end: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The rows, in `order` (by group, then by start, longest first), that are valid and not inside an earlier
    valid row of their group: each ends at or after every earlier valid row's end + 1 (a span inside a longer
    phrase found at or before its start is swallowed by it)."""
    out = np.empty(len(order), dtype=np.int64)
    return out[:_unswallowed_jit(order, group, end, valid, out)]


def _rare_rows(kids, art, starts, ends, bases, data, table, tickers, slow, excl_ptr, excl_ids, anchor_ptr,
               anchor_ids, exact_ptr, exact_ids, case_ptr, case_bytes, klen, exact_kind, exact_a, exact_gid, ctx,
               ctx_wanted, terms, excl, anchors, ctx_rows):
    nt = ne = na = nc = 0
    for i in range(len(kids)):
        k = kids[i]
        if not slow[k]:
            continue
        a, s, e = art[i], starts[i], ends[i]
        for j in range(excl_ptr[k], excl_ptr[k + 1]):
            excl[0, ne], excl[1, ne], excl[2, ne], excl[3, ne] = a, excl_ids[j], s, e
            ne += 1
        for j in range(anchor_ptr[k], anchor_ptr[k + 1]):
            anchors[0, na], anchors[1, na], anchors[2, na] = a, anchor_ids[j], s
            na += 1
        g1 = e + bases[a] + 1
        g0 = g1 - klen[k]
        for j in range(exact_ptr[k], exact_ptr[k + 1]):
            en = exact_ids[j]
            c = case_ptr[en]
            ok = g1 - g0 == case_ptr[en + 1] - c
            m = 0
            while ok and m < g1 - g0:
                ok = table[data[g0 + m]] == case_bytes[c + m]
                m += 1
            if ok and tickers and data[g0] == 60 and data[g1 - 1] == 62:  # "<AI>": a stock ticker
                ok = False
            if not ok:
                continue
            kind = exact_kind[en]  # topics' _TERM, _CTX, _EXCL, then anchors
            if kind == 0:  # a term
                terms[0, nt], terms[1, nt], terms[2, nt], terms[3, nt] = a, exact_gid[en], s, e
                nt += 1
            elif kind == 1:  # a context
                ctx[a, exact_a[en]] = True
                if ctx_wanted[exact_a[en]]:
                    ctx_rows[0, nc], ctx_rows[1, nc], ctx_rows[2, nc], ctx_rows[3, nc] = a, exact_a[en], s, e
                    nc += 1
            elif kind == 2:  # an exclusion
                excl[0, ne], excl[1, ne], excl[2, ne], excl[3, ne] = a, exact_a[en], s, e
                ne += 1
            else:  # a pattern anchor
                anchors[0, na], anchors[1, na], anchors[2, na] = a, exact_a[en], s
                na += 1
    return nt, ne, na, nc


_rare_rows_jit = _jit(_rare_rows)


def rare_rows(kids, art, starts, ends, bases, data: bytes, table, tickers: bool, slow, key_excl, key_anchors,
              key_exact, exact_keys, klen, exact_kind, exact_a, exact_gid, ctx, ctx_wanted) -> tuple:
    """The rows of keys with exclusions, pattern anchors or exact-case entries (slow[k]) for each key hit
    (article, key, start, end; bases: the articles' offsets in data, the batch image): (term hits as
    article/term/start/end rows, exclusions as article/topic/start/end rows, anchors as
    article/pattern/start rows, context hits of the ids ctx_wanted marks as article/context/start/end
    rows). An exact-case entry counts where data's bytes under the hit, through table, spell its case key
    (and, with tickers, the hit is not "<...>"); context entries are marked in ctx. One pass, into buffers
    as long as the hits' keys have rows of any kind (none can have more)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    args = (kids, art, starts, ends, bases, buf, table, tickers, slow, *key_excl, *key_anchors, *key_exact,
            *exact_keys, klen, exact_kind, exact_a, exact_gid, ctx, ctx_wanted)
    rows_per_key = np.diff(key_excl[0]) + np.diff(key_anchors[0]) + np.diff(key_exact[0])
    most = int(rows_per_key[kids].sum())
    terms, excl, anchors, ctx_rows = (np.empty((4, most), dtype=np.int64), np.empty((4, most), dtype=np.int64),
                                      np.empty((3, most), dtype=np.int64), np.empty((4, most), dtype=np.int64))
    nt, ne, na, nc = _rare_rows_jit(*args, terms, excl, anchors, ctx_rows)
    return terms[:, :nt], excl[:, :ne], anchors[:, :na], ctx_rows[:, :nc]


def _clear_overlaps(valid, key, start, end, ex_key, ex_start, ex_end):
    for i in range(len(key)):
        if valid[i]:
            j = np.searchsorted(ex_key, key[i])
            while j < len(ex_key) and ex_key[j] == key[i]:
                if start[i] < ex_end[j] and end[i] > ex_start[j]:
                    valid[i] = False
                    break
                j += 1


_clear_overlaps_jit = _jit(_clear_overlaps)


def clear_overlaps(valid: np.ndarray, key: np.ndarray, start: np.ndarray, end: np.ndarray,
                   ex_key: np.ndarray, ex_start: np.ndarray, ex_end: np.ndarray) -> None:
    """Clears valid[i] where span [start[i], end[i]) overlaps an exclusion span with the same key."""
    order = np.argsort(ex_key, kind="stable")
    _clear_overlaps_jit(valid, key, start, end, ex_key[order], ex_start[order], ex_end[order])


def _context_ok(art, g, ctx, req_ptr, req_ids, forb_ptr, forb_ids, ok):
    for i in range(len(art)):
        a, t = art[i], g[i]  # (ctx read in place: a row view per hit costs more than the look-ups)
        good = req_ptr[t] == req_ptr[t + 1]
        for j in range(req_ptr[t], req_ptr[t + 1]):
            if ctx[a, req_ids[j]]:
                good = True
                break
        if good:
            for j in range(forb_ptr[t], forb_ptr[t + 1]):
                if ctx[a, forb_ids[j]]:
                    good = False
                    break
        ok[i] = good


_context_ok_jit = _jit(_context_ok)


def context_ok(art: np.ndarray, g: np.ndarray, ctx: np.ndarray, requires: tuple, forbids: tuple) -> np.ndarray:
    """For each hit (article art[i], term g[i]): the article has one of the term's required contexts
    (or it requires none) and none of its forbidden ones. ctx: (article, context) presence table;
    requires/forbids: CSR rows (ptr, ids) of context ids per term."""
    ok = np.empty(len(art), dtype=np.bool_)
    _context_ok_jit(art, g, ctx, *requires, *forbids, ok)
    return ok


def _words_within(data, is_word, lo, hi, n) -> bool:
    """At most n words start in data[lo:hi] (a word: a run of is_word bytes, one cut at lo counting)."""
    count = 0
    for j in range(lo, hi):
        if is_word[data[j]] and (j == lo or not is_word[data[j - 1]]):
            count += 1
            if count > n:
                return False
    return True


_words_within = _jit(_words_within)


def _near_ok(valid, art, g, start, end, near, near_row, near_req, near_needs, near_forb, c_ptr, c_id, c_start,
             c_end, data, bases, is_word, text_start):
    for i in range(len(art)):
        n = near[g[i]]
        if n < 0 or not valid[i]:
            continue
        a, r, s, e = art[i], near_row[g[i]], start[i], end[i]
        base, ts = bases[a], text_start[a]
        title = s < ts
        need = near_needs[r]
        found, bad = False, False
        for j in range(c_ptr[a], c_ptr[a + 1]):
            cid = c_id[j]
            wanted = near_req[r, cid] and not found
            if not (wanted or near_forb[r, cid]) or (c_start[j] < ts) != title:
                continue
            if c_end[j] <= s:
                close = _words_within(data, is_word, base + c_end[j], base + s, n)
            elif c_start[j] >= e:
                close = _words_within(data, is_word, base + e, base + c_start[j], n)
            else:  # overlapping the hit
                close = True
            if close:
                if near_forb[r, cid]:
                    bad = True
                    break
                found = True
        valid[i] = (found or not need) and not bad


_near_ok_jit = _jit(_near_ok)


def near_ok(valid: np.ndarray, art: np.ndarray, g: np.ndarray, start: np.ndarray, end: np.ndarray,
            near: np.ndarray, near_row: np.ndarray, near_req: np.ndarray, near_forb: np.ndarray,
            ctx_hits: tuple, n_art: int, data: bytes, bases: np.ndarray, is_word: np.ndarray,
            text_start: np.ndarray) -> None:
    """Clears valid[i] for a hit (article art[i], term g[i], span start/end) of a term with near[g] >= 0
    words when none of its required contexts (row near_row[g] of near_req, near term x context) occurs in
    the hit's field (title or text: text_start) with at most that many words between it and the hit, or
    one of its forbidden ones (near_forb) does; an overlapping context counts. ctx_hits: (article,
    context, start, end) rows; data: the batch image, articles at bases; is_word: a 256-entry table of
    the bytes words are made of."""
    c_art, c_id, c_start, c_end = ctx_hits
    order = np.argsort(c_art, kind="stable")
    c_art, c_id, c_start, c_end = c_art[order], c_id[order], c_start[order], c_end[order]
    c_ptr = np.searchsorted(c_art, np.arange(n_art + 1))
    _near_ok_jit(valid, art, g, start, end, near, near_row, near_req, near_req.any(axis=1), near_forb, c_ptr, c_id,
                 c_start, c_end, np.frombuffer(data, dtype=np.uint8), bases, is_word, text_start)


def _word_tries(a, pi, s, groups, pattern_words, pad, w_art, w_start, w_id, last, ok):
    last[:, :] = -1
    for j in range(len(w_art)):
        if w_start[j] > last[w_art[j], w_id[j]]:
            last[w_art[j], w_id[j]] = w_start[j]
    for i in range(len(a)):
        if not ok[i]:
            continue
        p = pi[i]
        for g in range(groups[p]):
            seen = False
            for k in range(pattern_words.shape[2]):  # (most groups hold one or two words: stop at the padding)
                w = pattern_words[p, g, k]
                if w == pad:
                    break
                if last[a[i], w] >= s[i]:
                    seen = True
                    break
            if not seen:
                ok[i] = False
                break


_word_tries_jit = _jit(_word_tries)


def _word_groups(needs: np.ndarray, pattern_words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(groups per pattern, words as pattern x group x word): one group per pattern from a 2-d table."""
    if pattern_words.ndim == 2:
        pattern_words = pattern_words[:, None, :]
    return np.ascontiguousarray(needs, dtype=np.int64), np.ascontiguousarray(pattern_words)


def word_tries(ok: np.ndarray, a: np.ndarray, pi: np.ndarray, s: np.ndarray, needs: np.ndarray,
               pattern_words: np.ndarray, n_art: int, w_art: np.ndarray, w_start: np.ndarray,
               w_id: np.ndarray, pad: int = -1) -> None:
    """Clears ok[i] for a pattern try (article a[i], pattern pi[i], start s[i]) when one of its pattern's
    groups of words has none starting at or after s[i] in that article. needs: groups per pattern (0 or
    False: none; True: one); pattern_words: pattern x group x word ids (or pattern x word for one group; the
    padding id has no hits); w_*: the words' hits (article, start relative to it, word id). pad: the padding
    id when each group's words come before it (a group is read up to its first pad), else -1."""
    groups, pattern_words = _word_groups(needs, pattern_words)
    last = np.empty((n_art, pattern_words.max() + 1), dtype=np.int64)
    _word_tries_jit(a, pi, s, groups, pattern_words, pad, w_art, w_start, w_id, last, ok)


def _window_tries(a, pi, s, pattern_runs, groups, has_word, space, data, bases, w_ptr, w_start, w_end, w_id, longest,
                  ok):
    for i in range(len(a)):
        most = pattern_runs[pi[i]]
        if not ok[i] or most < 0:
            continue
        lo, top = w_ptr[a[i]], w_ptr[a[i] + 1]
        hi = top
        while lo < top:  # the first hit ending at or after the try
            mid = (lo + top) >> 1
            if w_end[mid] < s[i]:
                lo = mid + 1
            else:
                top = mid
        # each group's first word starting at or after the try (hits come by end: a hit ending more than
        # `longest` after the best start so far cannot start before it); the farthest of those must be close
        farthest = -1
        for g in range(max(groups[pi[i]], 1)):
            first = -1
            j = lo
            while j < hi and (first < 0 or w_end[j] - longest < first):
                if w_start[j] >= s[i] and has_word[pi[i], g, w_id[j]] and (first < 0 or w_start[j] < first):
                    first = w_start[j]
                j += 1
            if first < 0:
                farthest = -1
                break
            farthest = max(farthest, first)
        if farthest < 0:
            ok[i] = False
            continue
        # it counts when at most `most` runs of spaces start between the try and that word (a word starts with
        # a word byte, so no run starts where it does); more runs than `most` take at least 2 * most + 1 bytes
        if farthest - s[i] <= 2 * most:
            continue
        runs = 0
        before = 0  # (no branch on the bytes: word/space changes would mispredict; unsigned offsets: no wraparound)
        for p in range(np.uint64(bases[a[i]] + s[i]), np.uint64(bases[a[i]] + farthest)):
            here = np.int64(space[data[p]])
            runs += here > before
            before = here
            if runs > most:
                break
        ok[i] = runs <= most


_window_tries_jit = _jit(_window_tries)


def window_tries(ok: np.ndarray, a: np.ndarray, pi: np.ndarray, s: np.ndarray, pattern_runs: np.ndarray,
                 pattern_words: np.ndarray, space: np.ndarray, data: bytes, bases: np.ndarray, words: tuple,
                 word_len: np.ndarray, needs: np.ndarray | None = None) -> None:
    """Clears ok[i] for a try of a pattern whose matches reach into at most pattern_runs[p] runs of
    spaces (-1: unbounded, left alone) when one of its groups of words (pattern_words as in word_tries;
    needs: groups per pattern, one each when None) has none starting between the try's start and the
    next run after those. data: the batch image, articles from bases; space: a 256-entry table of the
    space bytes; words: (article, start in it, word id) hits in scan order (by end). Only the bytes up to
    the farthest group's first word after the try are read."""
    groups, pattern_words = _word_groups(np.ones(len(pattern_words), dtype=np.int64) if needs is None else needs,
                                         pattern_words)
    w_art, w_start, w_id = words
    w_ptr = np.searchsorted(w_art, np.arange(len(bases) + 1))
    w_end = w_start + word_len[w_id] - 1
    n_p, n_g, n_w = pattern_words.shape
    has_word = np.zeros((n_p, n_g, max(int(pattern_words.max()), int(w_id.max(initial=0))) + 1), dtype=np.bool_)
    has_word[np.arange(n_p)[:, None, None], np.arange(n_g)[None, :, None], pattern_words] = True
    _window_tries_jit(a, pi, s, pattern_runs, groups, has_word, space, np.frombuffer(data, dtype=np.uint8), bases,
                      w_ptr, w_start, w_end, w_id, int(word_len.max()), ok)


class KeyScanner:
    """A fully resolved Aho-Corasick automaton over byte classes.

    keys: the automaton's key strings (lower-case ASCII letters, digits and spaces), key id = index.
    fold: a 256-byte table applied to input bytes before matching (the tagger's _FOLD), so raw ASCII
    images can be scanned without building the folded copy first.
    """

    def __init__(self, keys: list[str], fold: bytes):
        alphabet = sorted(set("".join(keys)))
        cls_of = {c: i + 1 for i, c in enumerate(alphabet)}  # class 0: any byte no key contains
        self.n_classes = n_classes = len(alphabet) + 1
        self.classes = np.array([cls_of.get(chr(fold[b]), 0) for b in range(256)], dtype=np.uint8)
        # trie
        children: list[dict[int, int]] = [{}]
        word: list[int] = [-1]
        depth: list[int] = [0]
        for kid, key in enumerate(keys):
            node = 0
            for c in key:
                ci = cls_of[c]
                nxt = children[node].get(ci)
                if nxt is None:
                    nxt = len(children)
                    children[node][ci] = nxt
                    children.append({})
                    word.append(-1)
                    depth.append(depth[node] + 1)
                node = nxt
            if word[node] < 0:
                word[node] = kid
        n_states = len(children)
        # breadth first: suffix links, full transition rows and output lists (own key, then the
        # outputs of the suffix link: longest first, as pyahocorasick reports them)
        delta = np.zeros((n_states, n_classes), dtype=np.int64)
        fail = [0] * n_states
        outputs: list[tuple[int, ...]] = [()] * n_states
        order = []
        for ci, child in children[0].items():
            delta[0, ci] = child
            order.append(child)
        head = 0
        while head < len(order):
            s = order[head]
            head += 1
            own = (word[s],) if word[s] >= 0 else ()
            outputs[s] = own + outputs[fail[s]]
            delta[s] = delta[fail[s]]
            for ci, child in children[s].items():
                delta[s, ci] = child
                fail[child] = int(delta[fail[s], ci]) if s else 0
                order.append(child)
        # renumber: the root first, then states without output, then those with output; transitions
        # hold 16-bit state ids where they fit: half the table, so more of it stays in cache between
        # batches (the multiply by n_classes in the scan costs less than the misses it saves)
        has_out = np.array([bool(o) for o in outputs])
        has_out[0] = False  # the root never has output (no empty key)
        order = np.concatenate([[0], np.flatnonzero(~has_out)[1:], np.flatnonzero(has_out)])
        new_id = np.empty(n_states, dtype=np.int64)
        new_id[order] = np.arange(n_states)
        self.n_states = n_states
        self.delta = new_id[delta[order]].astype(np.uint16 if n_states < 2 ** 16 else np.int32).ravel()
        self.first_out = int(n_states - has_out.sum())
        self.out_ptr = np.zeros(n_states + 1, dtype=np.int32)
        self.out_ptr[1:] = np.cumsum([len(outputs[s]) for s in order])
        self.out_keys = np.array([k for s in order for k in outputs[s]], dtype=np.int32)

    @property
    def nbytes(self) -> int:
        return self.delta.nbytes + self.out_ptr.nbytes + self.out_keys.nbytes + self.classes.nbytes

    def scan(self, data: bytes, cuts=None) -> tuple[np.ndarray, np.ndarray]:
        """(end offsets, key ids) of all matches in data, int64 arrays in pyahocorasick iter order.
        cuts: sorted offsets where no key can straddle (a batch's article starts); the scan splits
        data into 4 lanes at the cuts nearest its quarters."""
        buf = np.frombuffer(data, dtype=np.uint8)
        bounds = np.zeros(5, dtype=np.int64)
        bounds[4] = len(buf)
        if cuts is not None and len(cuts):
            cuts = np.asarray(cuts, dtype=np.int64)
            near = np.searchsorted(cuts, len(buf) * np.arange(1, 4) // 4)
            bounds[1:4] = cuts[np.minimum(near, len(cuts) - 1)]
            bounds[1:4] = np.maximum.accumulate(bounds[1:4])
        else:
            bounds[1:4] = len(buf)
        size = len(buf) // 48 + 256  # per lane; news text has about one match per 60 bytes
        while True:
            trace = np.empty((4, size), dtype=np.int64)
            counts = np.zeros(4, dtype=np.int64)
            _scan_jit(buf, bounds[:4], bounds[1:], self.classes, self.delta, self.first_out, self.n_classes, trace,
                      counts)
            if counts.max() <= size:
                break
            size = int(counts.max())
        n = _emit_keys_jit(trace, counts, self.out_ptr, self.out_keys, None, None)
        ends = np.empty(n, dtype=np.int64)
        keys = np.empty(n, dtype=np.int64)
        _emit_keys_jit(trace, counts, self.out_ptr, self.out_keys, ends, keys)
        return ends, keys
