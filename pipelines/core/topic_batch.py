"""Batch topic tagging: one scan and array arithmetic over many articles, same results as TopicMatcher.tag."""
from __future__ import annotations

import math
import re
from itertools import chain
from re import _constants as _sre  # noqa: PLC2701 - the regex parser's opcodes (patterns' literal words)
from re import _parser  # noqa: PLC2701

import numpy as np

from pipelines.core.topic_scan import (KeyScanner, ascii_image, clear_overlaps, context_ok, expand_rows,
                                       hit_zones, near_ok, rare_rows, shown_hits, span_firsts, span_strings,
                                       split_hits,
                                       term_scores, unswallowed, untag_passing, window_tries, word_tries,
                                       yield_drops, zone_bounds)
from pipelines.core.topics import _FOLD, _KEEP_CASE, _TERM, Evidence, TopicResult



def _empty() -> TopicResult:
    return TopicResult(topics=[], primary_topic=None, scores={}, evidence=[])  # fresh lists per article

_NONE = np.zeros(0, dtype=np.int64)
_KEEP_CASE_TABLE = np.frombuffer(_KEEP_CASE, dtype=np.uint8)
_WORD_BYTES = np.frombuffer(_FOLD, dtype=np.uint8) != 32  # what the normalised copy keeps as word characters


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(row pointers, flat values) of a ragged list."""
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    return ptr, np.array([v for r in rows for v in r], dtype=np.int64)


_MAX_WORDS = 24  # words of a required group: more would make the pre-check little use
_MAX_GROUPS = 4  # required groups checked per pattern try (the most selective ones)


def _words(codes_lists) -> tuple[str, ...] | None:
    """A usable group: lower-case ASCII letters and digits, 4 characters or more (shorter ones are
    everywhere), a word holding another word of the group dropped (the shorter one occurs with it)."""
    words = set()
    for codes in codes_lists:
        if not codes or max(codes) >= 128:  # other characters never occur in the ASCII copy
            return None
        words.add("".join(map(chr, codes)).lower())
    if not all(len(w) >= 4 and w.isalnum() for w in words):
        return None
    return tuple(sorted(w for w in words if not any(v != w and v in w for v in words)))


def _best(groups):
    return min(groups, key=lambda g: (len(g), -min(map(len, g))))


def _literal_groups(items, first: bool, prefix=()) -> list[tuple[str, ...]]:
    """Groups of words of which a match of the parsed sequence `items` must contain one: runs of
    literals, branches (one group per alternative, joined), mandatory groups, repeats and lookaheads,
    recursively. The sequence's first item, the anchor word, is skipped when `first`. `prefix`: literal
    codes just before the sequence, joined to its leading run (the parser moves the common start of a
    branch's alternatives before the branch: 'sales?|supply' is 's' then 'ales?|upply')."""
    out, run, run_start = [], list(prefix), 0
    for i, (op, av) in enumerate(list(items) + [(None, None)]):
        if op is _sre.LITERAL:
            if not run:
                run_start = i
            run.append(av)
            continue
        before = run  # the literals right before this item
        if run:
            group = _words([run])
            if group and not (first and run_start == 0):
                out.append(group)
            run = []
        if first and i == 0:
            continue
        if op is _sre.BRANCH:
            chosen = []
            for alt in av[1]:
                groups = _literal_groups(alt, False, before)
                if not groups:
                    break
                chosen.extend(_best(groups))
            else:
                group = _words([list(map(ord, w)) for w in chosen])
                if group:
                    out.append(group)
        elif op is _sre.SUBPATTERN:
            out += _literal_groups(av[3], False)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            out += _literal_groups(av[2], False)
        elif op is _sre.ASSERT and av[0] == 1:  # lookahead: still inside match()'s window
            out += _literal_groups(av[1], False)
    return out


def required_words(rx: re.Pattern, anchors=()) -> tuple[str, ...] | None:
    """Words of which any match of rx on the lower-cased ASCII copy contains one, the most selective
    group found (few words, long ones); None when there is none worth a look-up. A group with a word
    inside one of the pattern's anchor keys (`anchors`) is passed over: the anchor a try starts at holds
    it, so it would filter nothing ('ministry|ministries' parses as 'ministr' then a branch)."""
    groups = required_groups(rx, anchors)
    return groups[0] if groups else None


def required_groups(rx: re.Pattern, anchors=()) -> list[tuple[str, ...]]:
    """Groups of words of which any match of rx on the lower-cased ASCII copy contains one each, most
    selective first (see required_words), at most _MAX_GROUPS."""
    try:
        parsed = _parser.parse(rx.pattern, rx.flags)
    except Exception:  # noqa: BLE001 - a private module: no filter rather than a wrong one
        return []
    groups = dict.fromkeys(g for g in _literal_groups(list(parsed), True)
                           if len(g) <= _MAX_WORDS and not any(w in a for w in g for a in anchors))
    return sorted(groups, key=lambda g: (len(g), -min(map(len, g))))[:_MAX_GROUPS]  # (stable: _best's choice first)


def pattern_anchors(matcher) -> list[list[str]]:
    """The anchor keys (as the scanner reads them, " word ") of each of matcher's patterns."""
    anchors = [[] for _ in matcher._patterns]
    for key, info in zip(matcher._key_strings, matcher._keys):
        for p in info.anchors:
            anchors[p].append(key)
    return anchors


# What Unicode \s matches among ASCII characters and ASCII \s does not: on an ASCII image without them, a
# pattern compiled with re.ASCII matches as the Unicode one does (\w, \d, \b and case folding agree on ASCII)
_UNICODE_ONLY_SPACES = (b"\x1c", b"\x1d", b"\x1e", b"\x1f")


def _names_non_ascii(items) -> bool:
    """Whether a parsed pattern names a character above ASCII anywhere (also by escape: '\\u017f', a range)."""
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL) and av > 127:
            return True
        if op is _sre.RANGE and av[1] > 127:
            return True
        if op is _sre.IN and _names_non_ascii(av):
            return True
        if op is _sre.BRANCH and any(_names_non_ascii(b) for b in av[1]):
            return True
        if op is _sre.SUBPATTERN and _names_non_ascii(av[-1]):
            return True
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and _names_non_ascii(av[2]):
            return True
        if op in (_sre.ASSERT, _sre.ASSERT_NOT) and _names_non_ascii(av[1]):
            return True
        if op is _sre.ATOMIC_GROUP and _names_non_ascii(av):
            return True
        if op is _sre.GROUPREF_EXISTS and any(b is not None and _names_non_ascii(b) for b in av[1:]):
            return True
    return False


def ascii_twin(rx: re.Pattern) -> re.Pattern:
    """rx compiled in ASCII mode (its ASCII-only case folding is ~15% faster on these patterns); rx itself when
    it names any non-ASCII character, in its text or by escape (Unicode folding ties some non-ASCII letters to
    ASCII ones: 'K' (Kelvin), 'ſ', dotted and dotless i), or when it cannot be parsed here."""
    if not isinstance(rx.pattern, str) or not rx.pattern.isascii():
        return rx
    try:
        if _names_non_ascii(_parser.parse(rx.pattern, rx.flags)):
            return rx
        return re.compile(rx.pattern, (rx.flags & ~re.UNICODE) | re.ASCII)
    except (re.error, ValueError, TypeError):  # an inline (?u) flag, an opcode laid out otherwise: keep the Unicode one
        return rx


_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what a str pattern's \s matches among ASCII characters
_SPACE_CODES = np.zeros(256, dtype=np.bool_)
_SPACE_CODES[[ord(c) for c in _SPACE]] = True
_SPACE_ONLY, _SPACE_TOO, _NO_SPACE = 0, 1, 2  # what one character position of a pattern may match


def _char_kind(op, av) -> int | None:
    """Which characters a one-character item matches, as to spaces; None when not understood."""
    if op is _sre.LITERAL:
        return _SPACE_ONLY if chr(av) in _SPACE else _NO_SPACE
    if op in (_sre.NOT_LITERAL, _sre.ANY):
        return _SPACE_TOO
    if op is not _sre.IN:
        return None
    kinds = set()
    for cop, cav in av:
        if cop is _sre.LITERAL:
            kinds.add(_SPACE_ONLY if chr(cav) in _SPACE else _NO_SPACE)
        elif cop is _sre.RANGE:
            kinds.add(_SPACE_TOO if any(cav[0] <= ord(c) <= cav[1] for c in _SPACE) else _NO_SPACE)
        elif cop is _sre.CATEGORY and cav in (_sre.CATEGORY_SPACE, _sre.CATEGORY_UNI_SPACE):
            kinds.add(_SPACE_ONLY)
        elif cop is _sre.CATEGORY and cav in (_sre.CATEGORY_WORD, _sre.CATEGORY_UNI_WORD, _sre.CATEGORY_DIGIT,
                                             _sre.CATEGORY_UNI_DIGIT, _sre.CATEGORY_NOT_SPACE,
                                             _sre.CATEGORY_UNI_NOT_SPACE):
            kinds.add(_NO_SPACE)
        else:  # negated sets, other categories: may match spaces and other characters
            kinds.add(_SPACE_TOO)
    if kinds == {_SPACE_ONLY}:
        return _SPACE_ONLY
    return _NO_SPACE if kinds <= {_NO_SPACE} else _SPACE_TOO


def _space_runs(items) -> int | None:
    """At most how many runs of spaces (_SPACE) the text a parsed sequence matches can reach into,
    lookaheads included; None when unbounded or not understood."""
    total = 0
    for op, av in items:
        if op is _sre.AT or op is _sre.ASSERT_NOT or (op is _sre.ASSERT and av[0] < 0):
            continue  # zero width (a negative or backward look finds no required word)
        if op is _sre.BRANCH:
            alts = [_space_runs(alt) for alt in av[1]]
            n = None if None in alts else max(alts)
        elif op is _sre.SUBPATTERN:
            n = _space_runs(av[3])
        elif op is _sre.ASSERT:
            n = _space_runs(av[1])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)):
            lo, hi, item = av
            kind = _char_kind(*item[0]) if len(item) == 1 else None
            if kind == _NO_SPACE:
                n = 0
            elif kind == _SPACE_ONLY:  # one stretch of spaces: inside one run
                n = 1
            else:
                inner = _space_runs(item)
                n = None if inner is None or (inner and hi is _sre.MAXREPEAT) else hi * inner
        else:
            kind = _char_kind(op, av)
            n = None if kind is None else int(kind != _NO_SPACE)
        if n is None:
            return None
        total += n
    return total


def space_runs(rx: re.Pattern) -> int | None:
    """At most how many runs of spaces a match of rx on the lower-cased ASCII copy (and its lookaheads)
    reaches into, from its start; None when unbounded or not understood. A required word of a pattern
    tried at s then starts before the run after those, which bounds the look-up window."""
    try:
        parsed = _parser.parse(rx.pattern, rx.flags)
    except Exception:  # noqa: BLE001 - a private module: no bound rather than a wrong one
        return None
    return _space_runs(list(parsed))


_CASE_ON = re.compile(r"\(\?[a-zA-Z]*-[a-zA-Z]*i")  # an inline group turning IGNORECASE off


def _round4(x: np.ndarray) -> np.ndarray:
    """round(v, 4) for each v, bit for bit: y / 1e4 is the double nearest the decimal y/10^4 when the
    integer y is right, and rint(v * 1e4) is right unless v * 1e4 lies near a half (then Python rounds)."""
    y = x * 1e4
    out = np.rint(y) / 1e4
    near = np.flatnonzero(np.abs(y - np.floor(y) - 0.5) < 1e-6)
    if len(near):
        out[near] = [round(v, 4) for v in x[near].tolist()]
    return out


_PACKED_LIMIT = 2 ** 62  # packed sort keys stay below this (int64)


def _sort_order(columns, bounds) -> np.ndarray:
    """Stable order of rows sorted by columns, most significant first, column i in range(bounds[i]):
    argsort of one packed key when it fits (numpy's stable argsort is several times faster than lexsort
    or its default quicksort on these mostly article-ordered keys), else lexsort."""
    if math.prod(int(b) for b in bounds) < _PACKED_LIMIT:
        key = columns[0]
        for column, bound in zip(columns[1:], bounds[1:]):
            key = key * bound + column
        return np.argsort(key, kind="stable")
    return np.lexsort(columns[::-1])


def _runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a sorted key: (run id of each element, index of each run's first element)."""
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    return np.cumsum(new) - 1, np.flatnonzero(new)


def batch_image(pairs) -> tuple[bytes, np.ndarray, np.ndarray]:
    """(raw, bases, sizes): one ASCII image of a batch of (title, text) pairs, " " + title + "\n\n" + text + " "
    per article (see _Doc; the scanner folds it as it reads); an article's offsets are its _Doc offsets plus its
    base, and sizes are the articles' lengths in the image."""
    parts = list(chain.from_iterable((t, "\n\n", x, "  ") for t, x in pairs))  # one join: no copy per article
    raw = ascii_image("".join(parts[:-1]))
    n = len(pairs)
    sizes = (np.fromiter(map(len, parts[0::4]), dtype=np.int64, count=n)
             + np.fromiter(map(len, parts[2::4]), dtype=np.int64, count=n) + 4)
    bases = np.zeros(n, dtype=np.int64)
    np.cumsum(sizes[:-1], out=bases[1:])
    return raw, bases, sizes


# Evidence fields and offsets as shared objects (an object-array take and tolist() only add references): a batch's
# ~7,000 evidence rows then make and free no int or field objects of their own
_FIELDS = np.array(["title", "text"], dtype=object)
_INTS = np.array(range(1 << 16), dtype=object)


def _int_objects(values: np.ndarray) -> list[int]:
    """values.tolist(), the ints taken from _INTS where they all lie in it."""
    if len(values) and 0 <= values.min() and values.max() < len(_INTS):
        return _INTS[values].tolist()
    return values.tolist()


def _phrases(raw: bytes, starts: np.ndarray, ends: np.ndarray) -> tuple[list[str], np.ndarray]:
    """span_strings(raw, starts, ends) with one str per distinct span text (spans of one text share it: a batch
    shows the same few phrases thousands of times)."""
    first = span_firsts(raw, starts, ends)
    distinct = np.flatnonzero(first == np.arange(len(first)))
    strings, unsure = span_strings(raw, starts[distinct], ends[distinct])
    objects = np.empty(len(strings), dtype=object)
    objects[:] = strings
    slot = np.empty(len(first), dtype=np.int64)
    slot[distinct] = np.arange(len(distinct))
    slot = slot[first]
    return objects[slot].tolist(), unsure[slot]


class BatchTagger:
    """TopicMatcher.tag over a list of articles. Hits of the whole batch are handled as arrays; Python
    loops only run over regex tries at pattern anchors, exact-case checks and the evidence returned.
    It applies explain()'s positional rules (a longer phrase swallows the phrases inside it, exclusions,
    context) to every topic and adds repeats in the scalar scorer's order, so results equal tag()'s."""

    def __init__(self, matcher):
        self.m = m = matcher
        self.slugs = [t.slug for t in m._topics]
        self.slug_objects = np.array(self.slugs, dtype=object)  # topic ids to slugs by one take
        self.n_top = len(self.slugs)
        self.slug_rank = np.argsort(np.argsort(self.slugs, kind="stable"))
        self.cap = m._scoring.max_repeats
        self.tickers = m._scoring.skip_bracketed_tickers
        # global term ids, topic-major: sorting by id sorts by (topic, term)
        gid = {}
        weight, topic_of, req_rows, forb_rows = [], [], [], []
        for ti, terms in enumerate(m._term_info):
            for si, (w, requires, forbids) in enumerate(terms):
                gid[ti, si] = len(weight)
                weight.append(w)
                topic_of.append(ti)
                req_rows.append(sorted(requires))
                # a near term's forbidden contexts count only close by: checked by position, not here
                forb_rows.append(sorted(forbids) if m._term_near[ti][si] < 0 else [])
        self.n_terms = len(weight)
        self.n_ctx = max(len(m.taxonomy.contexts), 1)
        self.weight = np.array(weight, dtype=np.float64)
        self.topic_of = np.array(topic_of, dtype=np.int64)
        self.requires, self.forbids = _csr(req_rows), _csr(forb_rows)
        self.no_forbids = _csr([[] for _ in forb_rows])
        # terms with `near`: a row each of required / forbidden contexts (term x context tables)
        near = [n for row in m._term_near for n in row]
        self.near = np.array(near, dtype=np.int64)
        self.has_near = bool((self.near >= 0).any())
        near_terms = [(ti, si) for ti, row in enumerate(m._term_near) for si, n in enumerate(row) if n >= 0]
        self.near_row = np.full(self.n_terms, -1, dtype=np.int64)
        self.near_req = np.zeros((max(len(near_terms), 1), self.n_ctx), dtype=np.bool_)
        self.near_forb = np.zeros_like(self.near_req)
        for r, (ti, si) in enumerate(near_terms):
            _, requires, forbids = m._term_info[ti][si]
            self.near_row[gid[ti, si]] = r
            self.near_req[r, sorted(requires)] = True
            self.near_forb[r, sorted(forbids)] = True
        self.ctx_wanted = np.zeros(self.n_ctx, dtype=np.bool_)
        self.ctx_wanted[sorted(m._near_ctx)] = True
        keys = m._keys
        self.klen = np.array([k.klen for k in keys], dtype=np.int64)
        self.key_terms = _csr([[gid[t] for t in k.terms] for k in keys])
        self.key_ctx = _csr([sorted(k.ctx) for k in keys])
        self.key_near_ctx = _csr([sorted(k.ctx & m._near_ctx) for k in keys])
        self.key_excl = _csr([list(k.excl) for k in keys])
        self.key_anchors = _csr([list(k.anchors) for k in keys])
        # exact-case entries: (case key, kind, a, b) with b a global term id for terms
        entries, rows = [], []
        for k in keys:
            rows.append(list(range(len(entries), len(entries) + len(k.exact))))
            entries.extend(k.exact)
        self.key_exact = _csr(rows)
        self.exact_keys = _csr([list(e[0]) for e in entries])  # case keys as byte rows
        self.exact_kind = np.array([e[1] for e in entries], dtype=np.int64)
        self.exact_a = np.array([e[2] for e in entries], dtype=np.int64)
        self.exact_gid = np.array([gid[e[2], e[3]] if e[1] == _TERM else -1 for e in entries], dtype=np.int64)
        self.slow = np.array([bool(k.excl or k.anchors or k.exact) for k in keys])
        self.min_score = np.array([ms for ms, _ in m._min], dtype=np.float64)
        self.min_evidence = np.array([me for _, me in m._min], dtype=np.int64)
        self.passing = np.array(m._passing, dtype=np.int64)  # paragraphs for the passing-mention rule (0: off)
        self.passing_on = bool((self.passing > 0).any())
        self.passing_cap = np.array(m._passing_cap, dtype=np.float64)
        self.zone_weight = np.array(m._zone_weights, dtype=np.float64)
        self.zone_order = np.array(m._zone_rank, dtype=np.int64)
        self.geo = np.array(m._geo, dtype=np.float64)
        self.lifts = m._lifts
        # TopicMatcher._yields, the terms that keep a topic as a table over global term ids (None when none):
        # one take per batch instead of an isin
        self.yields = []
        for ti, targets, ratio, cap, keep, para in m._yields:
            keeps = np.zeros(self.n_terms, dtype=bool)
            keeps[[gid[ti, si] for si in keep]] = True
            self.yields.append((ti, targets, ratio, cap, keeps if keep else None, para,
                                np.array(targets, dtype=np.int64)))
        self.no_keeps = np.zeros(self.n_terms, dtype=bool)
        self.pattern_gid = np.array([gid[ti, si] for ti, si, _ in m._patterns] or [0], dtype=np.int64)
        pattern_rx = [rx for _, _, rx in m._patterns]
        self.pattern_match = [rx.match for rx in pattern_rx]
        self.ascii_match = [ascii_twin(rx).match for rx in pattern_rx]
        # every pattern is compiled with re.IGNORECASE (TopicMatcher): only an inline (?-i:...) turns case back on
        self.case_blind = not any(_CASE_ON.search(rx.pattern) for rx in pattern_rx)
        # a pattern try is skipped when one of the pattern's groups of required words has none at or after it
        # in the article: the scanner finds those words too (as plain substrings, key ids from n_keys on)
        anchors = pattern_anchors(m)
        needs = [required_groups(rx, anchors[p]) for p, rx in enumerate(pattern_rx)]
        words = list(dict.fromkeys(w for groups in needs for ws in groups for w in ws))
        index = {w: i for i, w in enumerate(words)}
        self.n_keys = len(keys)
        self.word_len = np.array([len(w) for w in words] or [0], dtype=np.int64)
        self.word_pad = len(words)  # pads each group's row after its words
        self.pattern_words = np.full((max(len(needs), 1), _MAX_GROUPS, _MAX_WORDS), self.word_pad, dtype=np.int64)
        for p, groups in enumerate(needs):
            for g, ws in enumerate(groups):
                self.pattern_words[p, g, :len(ws)] = [index[w] for w in ws]
        self.pattern_needs = np.array([len(groups) for groups in needs] or [0], dtype=np.int64)  # groups each
        # and, where a pattern's matches span a bounded number of space runs, skipped when a group has none
        # starting within that many runs of the try (the scanner's word hits give where)
        runs = [space_runs(rx) if groups else None for rx, groups in zip(pattern_rx, needs)]
        self.pattern_runs = np.array([-1 if r is None else r for r in runs] or [-1], dtype=np.int64)
        self.scanner = KeyScanner(m._key_strings + words, _FOLD)

    def warm_up(self) -> None:
        """Compile (or load from numba's cache) the batch kernels now: ~3 s cold, ~0.5 s cached."""
        one = np.zeros(1, dtype=np.int64)
        self.scanner.scan(b" warm up ", one)
        ascii_image("warm \u2019up")
        span_strings(b" warm up ", one, one + 4)
        zone_bounds(b" warm up ", one, one + 7, self.m._scoring)
        zero = one - 1
        untag_passing(np.ones((1, 1), dtype=bool), np.zeros((1, 4), dtype=np.int64), zero, (zero, zero, zero), one,
                      np.ones(1), one, np.ones(1), (b" warm\n\nup ", one, one + 9), one, 1)
        yield_drops(np.ones((1, 1), dtype=bool), np.ones((1, 1)), 0, one, np.ones(1), 2.0, 1, one,
                    np.zeros(1, dtype=bool), one, (one, one, one + 1), (b" warm\n\nup ", one, one + 9), one,
                    (one, one, one), one)
        expand_rows(*self.key_terms, one)
        ctx = np.zeros((1, self.n_ctx), dtype=bool)
        split_hits(one + 1, one, one, self.n_keys, self.klen, self.word_len, self.key_ctx, ctx)
        context_ok(one, one, ctx, self.requires, self.forbids)
        word_tries(np.ones(1, dtype=bool), one, one, one, self.pattern_needs, self.pattern_words, 1, one, one, one,
                   pad=self.word_pad)
        window_tries(np.ones(1, dtype=bool), one, one, one, self.pattern_runs, self.pattern_words, _SPACE_CODES,
                     b" warm ", one, (one, one, one), self.word_len, self.pattern_needs)
        clear_overlaps(np.ones(1, dtype=bool), one, one, one + 1, one, one, one + 1)
        hit_zones(one, one, one, one, one)
        term_scores(np.ones((1, 4), dtype=np.int64), self.cap, self.geo, self.zone_weight, self.zone_order,
                    self.weight, one, one, 1)
        unswallowed(one, one, one, np.ones(1, dtype=bool))
        shown_hits((one, one, one, one), one, one, self.cap, np.ones((1, 1), dtype=bool), one)
        pad = int(self.klen.max()) + 2  # an image long enough for key 0's case checks
        rare_rows(one, one, one, one + pad - 2, one, b" " * pad, _KEEP_CASE_TABLE, self.tickers, self.slow,
                  self.key_excl, self.key_anchors, self.key_exact, self.exact_keys, self.klen, self.exact_kind,
                  self.exact_a, self.exact_gid, ctx, self.ctx_wanted)
        near_ok(np.ones(1, dtype=bool), one, one, one, one + 1, self.near, self.near_row, self.near_req,
                self.near_forb, (one, one, one, one + 1), 1, b" warm ", one, _WORD_BYTES, one)

    def tag_many(self, articles) -> list[TopicResult]:
        """articles: (title, text) pairs; None counts as empty."""
        pairs = [(title or "", text or "") for title, text in articles]
        got = self._tag_arrays(pairs) if pairs else None
        if got is None:
            return [_empty() for _ in pairs]
        return self._results(pairs, *got)

    def columns_many(self, articles, iptc: dict) -> list[tuple]:
        """(topics, primary_topic, topic_scores, topic_evidence) row columns per article, as
        pipelines.core.tagging fills them from tag_many's results, built straight from the arrays."""
        pairs = [(title or "", text or "") for title, text in articles]
        got = self._tag_arrays(pairs) if pairs else None
        if got is None:
            return [([], None, [], []) for _ in pairs]
        return self._columns(pairs, iptc, *got)

    def _tag_arrays(self, pairs):
        """(batch image, article bases in it, text starts, scores, tagged, lifted-from, shown spans as
        article/topic/start/end arrays, by article) of a non-empty batch; None when nothing
        is tagged."""
        n_art = len(pairs)
        raw, bases, sizes = batch_image(pairs)
        text_start = np.fromiter((len(t) for t, _ in pairs), dtype=np.int64, count=n_art) + 3
        gends, kids = self.scanner.scan(raw, bases)  # the automaton's hits on the folded copy of raw
        ctx = np.zeros((n_art, self.n_ctx), dtype=bool)  # context phrases present, per article
        (art, ends, starts, kids), words = split_hits(gends, kids, bases, self.n_keys, self.klen, self.word_len,
                                                      self.key_ctx, ctx)
        if not len(kids):
            return None
        owner, g = expand_rows(*self.key_terms, kids)  # case-insensitive term hits
        parts = [(art[owner], g, starts[owner], ends[owner])]

        # keys with exclusions, pattern anchors or exact-case entries: (article, ...) rows of each
        exact_terms, excl, anchors, exact_ctx = rare_rows(kids, art, starts, ends, bases, raw, _KEEP_CASE_TABLE,
                                                          self.tickers, self.slow, self.key_excl, self.key_anchors,
                                                          self.key_exact, self.exact_keys, self.klen, self.exact_kind,
                                                          self.exact_a, self.exact_gid, ctx, self.ctx_wanted)
        parts.append(tuple(exact_terms))
        if anchors.shape[1]:
            parts.append(self._patterns(raw, bases, sizes, text_start, ctx, words, *anchors))
        ia, ig, i_s, i_e = (np.concatenate(c) for c in zip(*parts))
        if not len(ia):
            return None
        it = self.topic_of[ig]

        valid = context_ok(ia, ig, ctx, self.requires, self.forbids)  # context rules
        if self.has_near:  # and, for near terms, where the contexts are
            owner, cid = expand_rows(*self.key_near_ctx, kids)
            ctx_hits = tuple(np.concatenate(c) for c in zip((art[owner], cid, starts[owner], ends[owner]),
                                                           exact_ctx))
            near_ok(valid, ia, ig, i_s, i_e, self.near, self.near_row, self.near_req, self.near_forb, ctx_hits,
                    n_art, raw, bases, _WORD_BYTES, text_start)
        if excl.shape[1]:  # a hit overlapping an exclusion of its topic in its article
            clear_overlaps(valid, ia * self.n_top + it, i_s, i_e, excl[0] * self.n_top + excl[1], excl[2], excl[3])

        # position pass per (article, topic), by start, longest first, then term: a hit inside an earlier
        # valid hit's span is swallowed
        S = int(i_e.max()) + 2
        L = int((i_e - i_s).max()) + 1
        G, T = self.n_terms, self.n_top
        order = _sort_order((ia, it, i_s, L - 1 - (i_e - i_s), ig), (n_art, T, S, L, G))
        kept = unswallowed(order, ia * T + it, i_e, valid)
        ka, kg, ks, ke = ia[kept], ig[kept], i_s[kept], i_e[kept]
        if not len(ka):
            return None

        zones = self._zones(raw, bases, sizes, text_start, ka, ks)
        # per (article, term): hit counts per zone
        order = _sort_order((ka, kg, ks), (n_art, G, S))
        ka, kg, ks, ke, zones = ka[order], kg[order], ks[order], ke[order], zones[order]
        tg, first = _runs(ka * G + kg)
        n_tg = len(first)
        counts = np.bincount(tg * 4 + zones, minlength=n_tg * 4).reshape(n_tg, 4)
        t_art, t_g = ka[first], kg[first]
        t_topic = self.topic_of[t_g]
        pg, p_first = _runs(t_art * T + t_topic)
        # the scalar scorer's arithmetic, in its order: term by term, in term order
        score = term_scores(counts, self.cap, self.geo, self.zone_weight, self.zone_order, self.weight, t_g, pg,
                            len(p_first))
        n_terms = np.bincount(pg)
        p_art, p_topic = t_art[p_first], t_topic[p_first]
        rounded = _round4(score)
        # dense (article, topic) tables; a tagged child lifts its parent
        scores = np.zeros((n_art, T), dtype=np.float64)
        tagged = np.zeros((n_art, T), dtype=bool)
        lifted = np.full((n_art, T), -1, dtype=np.int64)
        scores[p_art, p_topic] = rounded
        tagged[p_art, p_topic] = (rounded >= self.min_score[p_topic]) & (n_terms >= self.min_evidence[p_topic])
        if self.passing_on:
            untag_passing(tagged, counts, first, (p_first, p_art, p_topic), ks, rounded, self.passing,
                          self.passing_cap, (raw, bases, sizes), text_start, self.m._scoring.lead_min_words)
        if self.yields:
            self._untag_yielding(tagged, scores, counts, p_first, p_art, p_topic, t_g, (raw, bases, sizes), text_start,
                                 ka, kg, ks)
        for ti, parent in self.lifts:
            lift = tagged[:, ti] & ~tagged[:, parent]
            if lift.any():
                scores[lift, parent] = np.maximum(scores[lift, parent], scores[lift, ti])
                tagged[lift, parent] = True
                lifted[lift, parent] = ti
        if not tagged.any():
            return None

        # evidence: the first max_repeats kept hits of each term, by position, for tagged topics
        sa, st, ss, se = shown_hits((ka, kg, ks, ke), tg, first, self.cap, tagged, self.topic_of)  # (_ordered sorts)
        return raw, bases, text_start, scores, tagged, lifted, sa, st, ss, se

    def _untag_yielding(self, tagged, scores, counts, p_first, p_art, p_topic, t_g, image, text_start, ka, kg, ks):
        """Clears tagged[a, t] where t yields (TopicMatcher._apply_yields): no kept hit of t in the title, t's score
        under its cap, a topic t yields to tagged with at least ratio times t's score (rounded), no kept term of t
        that keeps it and no paragraph of its own; decided on the tags before any yield (one compiled pass per
        rule, see yield_drops). t_g: each (article, term) group's term; ka, kg, ks: kept hits."""
        title_hits = np.ascontiguousarray(counts[:, 0])
        groups, kept = (p_first, p_art, p_topic), (ka, kg, ks)
        gone = []
        for ti, targets, ratio, cap, keep, para, target_ids in self.yields:
            cand = tagged[:, ti] & (scores[:, ti] < cap)
            if not cand.any():
                continue
            bar = _round4(ratio * scores[:, ti])  # (only candidates' bars are read)
            gone.append((ti, yield_drops(tagged, scores, ti, target_ids, bar, cap, para, title_hits,
                                         self.no_keeps if keep is None else keep, t_g, groups, image, text_start,
                                         kept, self.topic_of)))
        for ti, drop in gone:
            tagged[drop, ti] = False

    def _patterns(self, raw, bases, sizes, text_start, ctx, words, a, pi, s):
        """Pattern hits (article, term, start, end): each pattern tried once where an anchor word starts,
        skipped when the article has none of its required context words."""
        if not len(a):
            return _NONE, _NONE, _NONE, _NONE
        g = self.pattern_gid[pi]
        sel = context_ok(a, g, ctx, self.requires, self.no_forbids)  # forbidden ones: checked with the terms
        if self.pattern_needs[pi].any():  # required words after the anchor
            word_tries(sel, a, pi, s, self.pattern_needs, self.pattern_words, len(bases), *words,
                       pad=self.word_pad)
            if (self.pattern_runs[pi] >= 0).any():
                window_tries(sel, a, pi, s, self.pattern_runs, self.pattern_words, _SPACE_CODES, raw, bases, words,
                             self.word_len, self.pattern_needs)
        a, pi, s = a[sel], pi[sel], s[sel]
        if not len(a):
            return _NONE, _NONE, _NONE, _NONE
        base = bases[a]
        ts = text_start[a]
        start = base + s
        stop = np.where(s < ts, base + ts - 2, base + sizes[a] - 1)
        # raw is ASCII, so the case-blind patterns match it as they match its lower-cased copy
        text = raw.decode("ascii") if self.case_blind else raw.lower().decode("ascii")
        match = self.pattern_match if any(c in raw for c in _UNICODE_ONLY_SPACES) else self.ascii_match
        ends = np.array([mt.end() if (mt := match[p](text, b, e)) else -1
                         for p, b, e in zip(pi.tolist(), start.tolist(), stop.tolist())], dtype=np.int64)
        hit = ends > start  # (two anchors starting at one place give one span twice: the position pass keeps one)
        return a[hit], self.pattern_gid[pi[hit]], s[hit], ends[hit] - base[hit]

    def _zones(self, raw, bases, sizes, text_start, ka, ks) -> np.ndarray:
        """Zone (0 title, 1 lead, 2 body, 3 tail) of each kept hit."""
        text_lengths = sizes - text_start - 1  # an article's image ends with its text and one space
        lead_end, tail_start = zone_bounds(raw, bases + text_start, text_lengths, self.m._scoring)
        return hit_zones(ka, ks, text_start, lead_end, tail_start)

    def _ordered(self, pairs, raw, bases, text_start, scores, tagged, lifted, sa, st, ss, se):
        """What both result forms are made of, for the whole batch in output order: tagged topics' slugs
        and scores (per article best first, ties in slug order); evidence as (topic, phrase, in its text,
        start, end) (per topic by position, a lifted parent's joined with its child's, and theirs, down the
        chain); each article's stop in the topics and in the evidence."""
        T, n_art = self.n_top, len(pairs)
        ta, tt = np.nonzero(tagged)
        tsc = scores[ta, tt]
        # by article, score (high first), slug; scores are rounded to 4 places, so as integers (when each is
        # exactly its integer / 1e4, which keeps their order) they pack into one key: an argsort of ints beats a
        # three-key lexsort
        q = np.rint(tsc * 1e4)
        if len(q) and (q / 1e4 == tsc).all() and 0 <= q.min() and q.max() < 2 ** 31:
            top = int(q.max())
            order = _sort_order((ta, top - q.astype(np.int64), self.slug_rank[tt]), (n_art, top + 1, T))
        else:
            order = np.lexsort((self.slug_rank[tt], -tsc, ta))
        ta, tt, tsc = ta[order], tt[order], tsc[order]
        run, first = _runs(ta)
        rank = np.zeros((n_art, T), dtype=np.int64)
        rank[ta, tt] = np.arange(len(ta)) - first[run]
        lift_a, lift_p = np.nonzero(lifted >= 0)
        if len(lift_a):  # a lifted parent also shows its child's spans
            parent_of = np.full((n_art, T), -1, dtype=np.int64)
            parent_of[lift_a, lifted[lift_a, lift_p]] = lift_p
            more, fa, ft, fs, fe = [(sa, st, ss, se)], sa, st, ss, se
            while True:
                p = parent_of[fa, ft]
                sel = p >= 0
                if not sel.any():
                    break
                fa, ft, fs, fe = fa[sel], p[sel], fs[sel], fe[sel]
                more.append((fa, ft, fs, fe))
            sa, st, ss, se = (np.concatenate(c) for c in zip(*more))
        # evidence by (article, topic rank, start, end); a span a parent already shows is shown once
        S = int(se.max(initial=0)) + 1
        sr = rank[sa, st]
        order = _sort_order((sa, sr, ss, se), (n_art, T, S, S))
        sa, sr, st, ss, se = sa[order], sr[order], st[order], ss[order], se[order]
        if len(lift_a):
            new = np.ones(len(sa), dtype=bool)
            new[1:] = (sa[1:] != sa[:-1]) | (sr[1:] != sr[:-1]) | (ss[1:] != ss[:-1]) | (se[1:] != se[:-1])
            sa, st, ss, se = sa[new], st[new], ss[new], se[new]
        ts = text_start[sa]
        in_text = ss >= ts
        shift = np.where(in_text, ts, 1)  # offsets in the text, or in the title (after the image's leading space)
        e_start, e_end = ss - shift, se - shift
        # the phrases from the ASCII image, one string per distinct span text, but from the title or text where
        # the image may differ from it
        phrases, unsure = _phrases(raw, bases[sa] + ss, bases[sa] + se)
        for k, a, field in zip(np.flatnonzero(unsure).tolist(), sa[unsure].tolist(), in_text[unsure].tolist()):
            phrases[k] = pairs[a][field][e_start[k]:e_end[k]]
        evidence = zip(self.slug_objects[st].tolist(), phrases, _FIELDS[in_text.view(np.uint8)].tolist(),
                       _int_objects(e_start), _int_objects(e_end))
        t_stop = np.cumsum(np.bincount(ta, minlength=n_art)).tolist()
        e_stop = np.cumsum(np.bincount(sa, minlength=n_art)).tolist()
        return self.slug_objects[tt].tolist(), tsc.tolist(), t_stop, evidence, e_stop

    def _results(self, pairs, *arrays) -> list[TopicResult]:
        names, tscores, t_stop, evidence, e_stop = self._ordered(pairs, *arrays)
        new = tuple.__new__
        evidence = [new(Evidence, item) for item in evidence]
        out, t0, e0 = [], 0, 0
        for t1, e1 in zip(t_stop, e_stop):
            topics = names[t0:t1]
            out.append(TopicResult(topics=topics, primary_topic=topics[0] if topics else None,
                                   scores=dict(zip(topics, tscores[t0:t1])), evidence=evidence[e0:e1]))
            t0, e0 = t1, e1
        return out

    def _row_parts(self, pairs, iptc, *arrays) -> tuple[list, list, list, list, list]:
        """(slugs, score dicts, each article's stop in them, evidence dicts, each article's stop in them) for the
        whole batch: the dicts made in two flat comprehensions, sliced per article by the callers."""
        names, tscores, t_stop, evidence, e_stop = self._ordered(pairs, *arrays)
        evidence = [{"topic": topic, "phrase": phrase, "field": field, "start": a, "end": b}
                    for topic, phrase, field, a, b in evidence]
        iptc_of = {slug: iptc.get(slug) for slug in self.slugs}
        score_rows = [{"topic": name, "score": score, "iptc_code": iptc_of[name]}
                      for name, score in zip(names, tscores)]
        return names, score_rows, t_stop, evidence, e_stop

    def _columns(self, pairs, iptc, *arrays) -> list[tuple]:
        """Row columns per article (see columns_many)."""
        names, score_rows, t_stop, evidence, e_stop = self._row_parts(pairs, iptc, *arrays)
        out, t0, e0 = [], 0, 0
        for t1, e1 in zip(t_stop, e_stop):
            out.append((names[t0:t1], names[t0] if t1 > t0 else None, score_rows[t0:t1], evidence[e0:e1]))
            t0, e0 = t1, e1
        return out

    def fill_rows(self, rows: list[dict], iptc: dict, version: str) -> None:
        """columns_many of the rows' (title, text), written into the rows with taxonomy_version: as
        pipelines.core.tagging.apply_tags fills a row, without a tuple of columns per row in between."""
        pairs = [(row["title"] or "", row["text"] or "") for row in rows]
        got = self._tag_arrays(pairs) if pairs else None
        if got is None:
            for row in rows:
                row["topics"], row["primary_topic"], row["topic_scores"], row["topic_evidence"] = [], None, [], []
                row["taxonomy_version"] = version
            return
        names, score_rows, t_stop, evidence, e_stop = self._row_parts(pairs, iptc, *got)
        t0 = e0 = 0
        for row, t1, e1 in zip(rows, t_stop, e_stop):
            row["topics"] = names[t0:t1]
            row["primary_topic"] = names[t0] if t1 > t0 else None
            row["topic_scores"] = score_rows[t0:t1]
            row["topic_evidence"] = evidence[e0:e1]
            row["taxonomy_version"] = version
            t0, e0 = t1, e1
