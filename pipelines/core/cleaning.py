"""Body-text cleaner: keep a scraped article's headline and paragraphs once each, in order, and drop page junk."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import re._constants as sre_c
import re._parser as sre_parse

import ahocorasick
import yaml

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[1] / "rules" / "cleaning.yaml"

# Zero-width and bidi marks go; ZWJ/ZWNJ stay because Persian, Indic scripts and emoji need them.
INVISIBLE_CHARS = "\u00ad\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064" \
                  "\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
_CONTROLS = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 11, 12, 13)) + "\x7f" \
    + "".join(chr(c) for c in range(0x80, 0xa0) if c != 0x85)
_ODD_SPACES = "\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_DROP = re.compile("[" + INVISIBLE_CHARS + _CONTROLS + "]")
# Anything that needs fixing: one scan of the whole text decides whether the slow path runs at all.
_NEEDS_FIX = re.compile("[" + INVISIBLE_CHARS + _CONTROLS + _ODD_SPACES + "\r\x85\u2028\u2029]")
_NEWLINES = re.compile("\r\n?|[\x85\u2028\u2029]")
_KEY_TRIM = " \t|•·›»«<>-–—:*#/\\[](){}…."
_TERMINAL_MARKS = ".!?…。！？"
_CLOSING_MARKS = "\"”’')»"
# Ends like a sentence, loosely (a closing quote or bracket, or ":" / ";" before a quote or list, counts): used
# to tell prose from headings and to join hard-wrapped lines.
_SENTENCE_END = tuple(_TERMINAL_MARKS + _CLOSING_MARKS + ":;")
# Closes a sentence, strictly: a terminal mark, then perhaps closing quotes or brackets. Stricter than
# _SENTENCE_END because code ("...;", "f(x)") and table rows end in those closers and colons too.
_CLOSES_SENTENCE = re.compile("[" + re.escape(_TERMINAL_MARKS) + "][" + re.escape(_CLOSING_MARKS + "]") + "]*$")
# A plain word once prose punctuation around it is dropped: letters, perhaps joined by an apostrophe or hyphen.
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_WORD_WRAPPING = "\"“”‘’'«»()[],.;:!?"


def _normalized_lines(s: str) -> list[str]:
    """NFC, line breaks unified, each line cleaned of control/zero-width chars with spaces collapsed."""
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    # A plain character class scans fast; an alternation here would be several times slower.
    if _NEEDS_FIX.search(s) is None and "  " not in s and " \n" not in s and "\n " not in s:
        lines = s.split("\n")
        if lines and (lines[0][:1] == " " or lines[-1][-1:] == " "):
            lines[0], lines[-1] = lines[0].strip(), lines[-1].strip()
        return lines
    s = _DROP.sub("", _NEWLINES.sub("\n", s))
    # str.split() treats NBSP, tabs and the other odd spaces as whitespace.
    return [" ".join(line.split()) for line in s.split("\n")]


def _normalized_body(s: str) -> str:
    """What _normalized_lines gives, joined by '\\n' (blank lines kept), except that a line may keep one space
    at its start or end; the common clean case costs three scans of the text."""
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    # Every character _NEEDS_FIX looks for is non-printable, and isprintable() scans about twice as fast as
    # the regex; the rare text with some other non-printable character (a ZWJ) just takes the slow path.
    # A single space at the start or end of a line is left for split_paragraphs to strip.
    if "  " not in s and s.replace("\n", " ").isprintable():
        return s
    s = _DROP.sub("", _NEWLINES.sub("\n", s))
    return "\n".join([" ".join(line.split()) for line in s.split("\n")])


def normalize_text(s: str) -> str:
    """NFC (not NFKC: typographic quotes stay), drop zero-width/control chars, NBSP and other odd spaces -> ' ',
    collapse space runs, strip.

    Line breaks are kept (CR/CRLF/U+2028 become '\\n', at most one blank line in a row) so body text keeps
    its paragraphs; single-line fields are unaffected.
    """
    if not s:
        return ""
    out: list[str] = []
    for line in _normalized_lines(s):
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


@dataclass(frozen=True)
class Thresholds:
    prose_min_words: int = 12
    prose_min_words_sentence: int = 7
    pattern_max_chars: int = 200
    pattern_max_words: int = 30
    contains_max_words: int = 60
    short_line_penalty: float = 35
    junk_line_penalty: float = 60
    soft_end_penalty: float = 400
    section_share: float = 0.35
    title_window: int = 8
    title_min_words: int = 3
    title_max_words: int = 30
    deck_min_words: int = 6
    wrap_min_chars: int = 35
    wrap_max_chars: int = 100
    block_max_gap: int = 1
    block_heading_max_words: int = 6
    box_max_lines: int = 6
    box_max_overlap: float = 0.5
    box_line_sample_chars: int = 80
    box_context_chars: int = 800
    extracted_code_max_word_share: float = 0.7


@dataclass(frozen=True)
class CleanRules:
    version: str
    source: str
    exact: dict[str, str]
    pattern: re.Pattern | None
    pattern_by_first: dict[str, re.Pattern]
    contains: ahocorasick.Automaton | None
    endings: dict[str, tuple[str, ...]]
    end_categories: frozenset[str]
    soft_end_categories: frozenset[str]
    box_heading_categories: frozenset[str]
    box_stop_categories: frozenset[str]  # end and soft end categories: where a box of other stories stops
    teaser_endings: tuple[str, ...]
    teaser_headline_max_words: int
    keep_line: re.Pattern | None
    thresholds: Thresholds
    # category -> regex of its cue substrings (case-folded): boxes such as a newsletter sign-up go as a whole.
    blocks: dict[str, re.Pattern] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    # Categories that do not apply to an extractor's output (see clean_article's `bounded`).
    extracted_keep_categories: frozenset[str] = frozenset()
    # A line opening with one of the "By" subheads that name nobody (by_idioms in the rules file): the byline
    # pattern excepts them, and the HTML extractor's byline rule reads the same list from here.
    by_idioms: re.Pattern | None = None
    # Site menus and footers repeat on every page of a site: remember (words, category) of short lines, in two
    # generations (see _classify_lines).
    line_cache: dict[str, tuple[int, str | None]] = field(default_factory=dict, compare=False, repr=False)
    line_cache_older: dict[str, tuple[int, str | None]] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class CleanedText:
    title: str
    paragraphs: list[str]
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        """len(self.text.split()), without the split: paragraphs come out whitespace-normalised (single spaces,
        no leading or trailing space), so words are spaces + 1 per paragraph."""
        return sum([p.count(" ") for p in self.paragraphs]) + len(self.paragraphs)


def _line_key(line: str) -> str:
    return line.casefold().strip(_KEY_TRIM)


def _first_key(ch: str) -> str:
    ch = ch.lower()
    return "0" if ch.isdigit() else ch


def _first_chars(seq) -> set[str] | None:
    """Characters a parsed regex can start with (lower-cased, digits as '0'); None when it could be anything."""
    for op, arg in seq:
        if op is sre_c.AT:
            continue
        if op is sre_c.LITERAL:
            return {_first_key(chr(arg))}
        if op is sre_c.IN:
            out: set[str] = set()
            for item_op, item_arg in arg:
                if item_op is sre_c.LITERAL:
                    out.add(_first_key(chr(item_arg)))
                elif item_op is sre_c.RANGE and item_arg[1] - item_arg[0] <= 256:
                    out.update(_first_key(chr(c)) for c in range(item_arg[0], item_arg[1] + 1))
                elif item_op is sre_c.CATEGORY and item_arg is sre_c.CATEGORY_DIGIT:
                    out.add("0")
                else:
                    return None
            return out
        if op is sre_c.BRANCH:
            out = set()
            for branch in arg[1]:
                first = _first_chars(branch)
                if first is None:
                    return None
                out |= first
            return out
        if op is sre_c.SUBPATTERN:
            return _first_chars(arg[-1])
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and arg[0] >= 1:
            return _first_chars(arg[2])
        return None
    return None


def _compile_patterns(by_category: dict[str, list[str]]) -> tuple[re.Pattern | None, dict[str, re.Pattern]]:
    """One alternation of all patterns, plus one per possible first character so a line only tries the
    patterns that can match it (a 60-branch alternation costs microseconds per line)."""
    def build(selected: dict[str, list[str]]) -> re.Pattern | None:
        groups = [f"(?P<{cat}>" + "|".join(f"(?:{r})" for r in regexes) + ")"
                  for cat, regexes in selected.items() if regexes]
        return re.compile("|".join(groups), re.IGNORECASE) if groups else None

    firsts = {(cat, r): _first_chars(sre_parse.parse(r, re.IGNORECASE)) for cat, rs in by_category.items() for r in rs}
    keys = set().union(*(f for f in firsts.values() if f is not None))
    dispatch = {}
    for key in keys:
        selected = {cat: [r for r in rs if firsts[(cat, r)] is None or key in firsts[(cat, r)]]
                    for cat, rs in by_category.items()}
        dispatch[key] = build(selected)
    dispatch[""] = build({cat: [r for r in rs if firsts[(cat, r)] is None] for cat, rs in by_category.items()})
    return build(by_category), {k: v for k, v in dispatch.items() if v is not None}


def load_rules(path: str | Path | None = None) -> CleanRules:
    """Load and compile a rules file; raise ValueError naming the file and the problem if it is malformed."""
    path = Path(path) if path is not None else DEFAULT_RULES_PATH

    def bad(problem: str) -> ValueError:
        return ValueError(f"{path}: {problem}")

    try:
        # The C loader (libyaml) when present: the pure-Python one costs a noticeable share of a short job.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise bad(f"cannot read rules file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise bad(f"invalid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise bad("top level must be a mapping")
    version = data.get("version")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        raise bad("missing or empty 'version'")

    raw_thresholds = data.get("thresholds") or {}
    if not isinstance(raw_thresholds, dict):
        raise bad("'thresholds' must be a mapping")
    known = Thresholds.__dataclass_fields__
    unknown = sorted(set(raw_thresholds) - set(known))
    if unknown:
        raise bad(f"unknown thresholds {unknown}")
    for name, value in raw_thresholds.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(f"threshold '{name}' must be a number, got {value!r}")
    thresholds = Thresholds(**raw_thresholds)

    exact: dict[str, str] = {}
    exact_lines = data.get("exact_lines") or {}
    if not isinstance(exact_lines, dict):
        raise bad("'exact_lines' must be a mapping of category -> list of lines")
    for category, lines in exact_lines.items():
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise bad(f"exact_lines.{category} must be a list of strings")
        for line in lines:
            exact.setdefault(_line_key(normalize_text(line)), str(category))

    by_idioms = data.get("by_idioms")
    if by_idioms is not None and (not isinstance(by_idioms, str) or not by_idioms.strip()):
        raise bad("'by_idioms' must be a non-empty regex")
    patterns = data.get("patterns") or {}
    if not isinstance(patterns, dict):
        raise bad("'patterns' must be a mapping of category -> list of regexes")
    if any(isinstance(rs, list) and any(isinstance(r, str) and "{by_idioms}" in r for r in rs)
           for rs in patterns.values()):
        if by_idioms is None:
            raise bad("a pattern says {by_idioms} but the file has no 'by_idioms'")
        patterns = {category: [r.replace("{by_idioms}", by_idioms) if isinstance(r, str) else r for r in rs]
                    if isinstance(rs, list) else rs for category, rs in patterns.items()}
    for category, regexes in patterns.items():
        if not re.fullmatch(r"[A-Za-z_]\w*", str(category)):
            raise bad(f"pattern category {category!r} must be an identifier")
        if not isinstance(regexes, list) or not all(isinstance(x, str) for x in regexes):
            raise bad(f"patterns.{category} must be a list of strings")
        for regex in regexes:
            try:
                re.compile(regex)
            except re.error as exc:
                raise bad(f"patterns.{category}: bad regex {regex!r} ({exc})") from exc
    pattern, pattern_by_first = _compile_patterns({str(k): v for k, v in patterns.items()})

    contains = None
    raw_contains = data.get("contains") or {}
    if not isinstance(raw_contains, dict):
        raise bad("'contains' must be a mapping of category -> list of substrings")
    for category, needles in raw_contains.items():
        if not isinstance(needles, list) or not all(isinstance(x, str) and x for x in needles):
            raise bad(f"contains.{category} must be a list of non-empty strings")
        for needle in needles:
            if contains is None:
                contains = ahocorasick.Automaton()
            contains.add_word(normalize_text(needle).casefold(), str(category))
    if contains is not None:
        contains.make_automaton()

    endings: dict[str, tuple[str, ...]] = {}
    raw_endings = data.get("line_endings") or {}
    if not isinstance(raw_endings, dict):
        raise bad("'line_endings' must be a mapping of category -> list of endings")
    for category, tails in raw_endings.items():
        if not isinstance(tails, list) or not all(isinstance(x, str) and x for x in tails):
            raise bad(f"line_endings.{category} must be a list of non-empty strings")
        endings[str(category)] = tuple(normalize_text(t).casefold() for t in tails)

    end_categories = data.get("end_categories") or []
    soft_end_categories = data.get("soft_end_categories") or []
    box_heading_categories = data.get("box_heading_categories") or []
    extracted_keep = data.get("extracted_keep_categories") or []
    if not all(isinstance(x, list)
               for x in (end_categories, soft_end_categories, box_heading_categories, extracted_keep)):
        raise bad("'end_categories', 'soft_end_categories', 'box_heading_categories' and "
                  "'extracted_keep_categories' must be lists")

    teaser = data.get("teaser") or {}
    if not isinstance(teaser, dict):
        raise bad("'teaser' must be a mapping")
    endings_list = teaser.get("truncated_endings", ["...", "…"])
    if not isinstance(endings_list, list) or not all(isinstance(x, str) and x for x in endings_list):
        raise bad("teaser.truncated_endings must be a list of non-empty strings")
    try:
        keep = data.get("keep_patterns") or []
        if not isinstance(keep, list):
            raise bad("'keep_patterns' must be a list")
        keep_line = re.compile("|".join(f"(?:{k})" for k in keep)) if keep else None
    except re.error as exc:
        raise bad(f"bad regex in teaser/keep_patterns ({exc})") from exc

    blocks: dict[str, re.Pattern] = {}
    raw_blocks = data.get("blocks") or {}
    if not isinstance(raw_blocks, dict):
        raise bad("'blocks' must be a mapping of category -> list of cue substrings")
    for category, cues in raw_blocks.items():
        if not isinstance(cues, list) or not all(isinstance(x, str) and x for x in cues):
            raise bad(f"blocks.{category} must be a list of non-empty strings")
        # Searched in case-folded lines: a case-insensitive regex is several times slower on non-ASCII text.
        blocks[str(category)] = re.compile("|".join(re.escape(normalize_text(c).casefold()) for c in cues))

    stopwords = data.get("stopwords") or []
    if not isinstance(stopwords, list) or not all(isinstance(x, str) for x in stopwords):
        raise bad("'stopwords' must be a list of strings")

    return CleanRules(
        version=str(version),
        source=str(path),
        exact=exact,
        pattern=pattern,
        pattern_by_first=pattern_by_first,
        contains=contains,
        endings=endings,
        end_categories=frozenset(map(str, end_categories)),
        soft_end_categories=frozenset(map(str, soft_end_categories)),
        box_heading_categories=frozenset(map(str, box_heading_categories)),
        box_stop_categories=frozenset(map(str, end_categories + soft_end_categories)),
        extracted_keep_categories=frozenset(map(str, extracted_keep)),
        teaser_endings=tuple(endings_list),
        teaser_headline_max_words=int(teaser.get("headline_max_words", 25)),
        keep_line=keep_line,
        thresholds=thresholds,
        blocks=blocks,
        stopwords=frozenset(w.casefold() for w in stopwords),
        by_idioms=re.compile(r"by\s+(?:" + by_idioms + ")", re.I) if by_idioms is not None else None,
    )


@lru_cache(maxsize=1)
def _default_rules() -> CleanRules:
    return load_rules()


def by_idioms() -> re.Pattern:
    """The default rules' "By" subheads that name nobody ("By the numbers", "By the way", "By Friday", "By 2030")."""
    return _default_rules().by_idioms


def _looks_wrapped(lines: list[str], th: Thresholds) -> bool:
    """A block of hard-wrapped prose: every line but the last has a similar, mid-range length."""
    body = lines[:-1]
    lengths = [len(x) for x in body]
    longest = max(lengths)
    if longest > th.wrap_max_chars or min(lengths) < th.wrap_min_chars:
        return False
    if min(lengths) < 0.6 * longest:
        return False
    # Wrapped text breaks mid-sentence somewhere; a list of sentences does not.
    return any(not x.endswith(_SENTENCE_END) for x in body)


def split_paragraphs(text: str, th: Thresholds) -> list[str]:
    """Non-empty lines are paragraphs, except hard-wrapped blocks (between blank lines), which are joined.
    Lines arrive from _normalized_body: a line may still start or end with one space (stripped here, where it
    costs less than another scan of the whole text), and a line of one space is a blank line."""
    out: list[str] = []
    for block in text.split("\n\n"):
        if "\n" not in block:
            block = block.strip(" ")
            if block:
                out.append(block)
            continue
        lines = [line.strip(" ") for line in block.split("\n")]
        groups = [lines] if "" not in lines else [g.split("\n") for g in "\n".join(lines).split("\n\n") if g]
        for group in groups:
            group = [line for line in group if line] if "" in group else group
            if len(group) > 1 and _looks_wrapped(group, th):
                out.append(" ".join(group))
            else:
                out.extend(group)
    return out


# Lines per generation of the line cache: two generations hold at most ~7 MB. One table of 200,000 lines (cleared
# when full) held ~46 MB, filled by a quarter GiB of WARC, for 18% of lines found against 16% now (bench WARC);
# a miss costs ~3 us.
_LINE_CACHE_MAX = 16_384


def _line_cost(category: str, rules: CleanRules) -> float:
    """Kadane score of a junk line: soft end markers cost more than other junk."""
    th = rules.thresholds
    return -th.soft_end_penalty if category in rules.soft_end_categories else -th.junk_line_penalty


def _classify_line(line: str, rules: CleanRules) -> tuple[int, str | None, float]:
    """Word count, junk category (None: may be article) and Kadane score of one line: prose earns its length,
    every other line costs a penalty."""
    th = rules.thresholds
    n_chars = len(line)
    n_words = line.count(" ") + 1
    if n_words * 12 < n_chars:  # no spaces between words (CJK, Thai): two characters count as a word
        n_words = n_chars // 2
    contains = rules.contains
    if n_chars > th.pattern_max_chars or n_words > th.pattern_max_words:
        # Long lines are prose by nature; only `contains` rules (cookie banners) are tried on them.
        if contains is not None and n_words <= th.contains_max_words:
            for _end, found in contains.iter(line.casefold()):
                return n_words, found, _line_cost(found, rules)
        return n_words, None, n_chars
    folded = line.casefold()
    category = rules.exact.get(folded.strip(_KEY_TRIM))
    if category is None:
        first = folded[0]
        pattern = rules.pattern_by_first.get("0" if first.isdigit() else first, rules.pattern_by_first.get(""))
        m = pattern.match(line) if pattern is not None else None
        if m is not None:
            category = m.lastgroup
        else:
            if contains is not None:
                for _end, found in contains.iter(folded):
                    category = found
                    break
            if category is None:
                for found, tails in rules.endings.items():
                    if folded.endswith(tails):
                        category = found
                        break
    if category is not None:
        return n_words, category, _line_cost(category, rules)
    if n_words >= th.prose_min_words or (n_words >= th.prose_min_words_sentence and line.endswith(_SENTENCE_END)):
        return n_words, None, n_chars
    return n_words, None, -th.short_line_penalty


def _classify_lines(lines: list[str], rules: CleanRules) -> tuple[list[int], list[str | None], list[float]]:
    """_classify_line of every line, as three lists. Short lines (menus, footers, buttons) repeat across a
    site's pages, so their results are cached; long lines (the article's own prose) are not. The cache is two
    generations: when the newer holds _LINE_CACHE_MAX lines it becomes the older and the oldest goes, and a line
    found in the older moves back to the newer, so the lines still in use stay and the size is bounded."""
    cache, older = rules.line_cache, rules.line_cache_older
    known = [cache.get(line) for line in lines]
    if None in known:
        max_chars, max_words = rules.thresholds.pattern_max_chars, rules.thresholds.pattern_max_words
        for i in [i for i, k in enumerate(known) if k is None]:
            line = lines[i]
            result = older.get(line)
            if result is None:
                result = _classify_line(line, rules)
                if result[0] <= max_words and len(line) <= max_chars:
                    cache[line] = result
            else:
                cache[line] = result
            known[i] = result
        if len(cache) >= _LINE_CACHE_MAX:
            older.clear()
            older.update(cache)
            cache.clear()
    words, categories, scores = zip(*known)
    return list(words), list(categories), list(scores)


def _absorb_blocks(lines: list[str], words: list[int], categories: list[str | None], scores: list[float],
                   rules: CleanRules) -> None:
    """A box (newsletter sign-up) goes as a whole: lines between two of its lines, neighbours holding one of its
    cue words, and a short heading right above it take the box's category."""
    th = rules.thresholds
    n = len(lines)
    for cat, cues in rules.blocks.items():
        if cat not in categories:
            continue
        cost = _line_cost(cat, rules)
        hits = [i for i, c in enumerate(categories) if c == cat]
        for a, b in zip(hits, hits[1:]):
            if 1 < b - a <= th.block_max_gap + 1 and categories[a + 1:b].count(None) == b - a - 1:
                for j in range(a + 1, b):
                    categories[j], scores[j] = cat, cost
        # A box's own sentences are short; the article's paragraphs around it are not even searched.
        max_words = th.pattern_max_words
        for i in hits:
            for step in (-1, 1):
                j = i + step
                while 0 <= j < n and categories[j] is None and words[j] <= max_words:
                    if cues.search(lines[j].casefold()) is None:
                        break
                    categories[j], scores[j] = cat, cost
                    j += step
        for i in [i for i, c in enumerate(categories) if c == cat]:
            if i and categories[i - 1] is None and words[i - 1] <= th.block_heading_max_words \
                    and not lines[i - 1].endswith(_SENTENCE_END) and (i < 2 or categories[i - 2] != cat):
                categories[i - 1], scores[i - 1] = cat, cost


_WORD = re.compile(r"\w{4,}")


def _content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in stopwords and not w.isdigit()}


def _about_something_else(box_text: str, context: str, rules: CleanRules) -> bool:
    """At most `box_max_overlap` of the box's content words occur in the article text just before it. A
    substring test per word (it also matches plurals), stopped as soon as the answer is known; both texts come
    capped (`box_line_sample_chars`, `box_context_chars`) so a long page costs no more than a short one."""
    th = rules.thresholds
    box = _content_words(box_text, rules.stopwords)
    if not box:
        return False
    context = context.casefold()
    allowed = th.box_max_overlap * len(box)
    shared = missing = 0
    for word in box:
        if word in context:
            shared += 1
            if shared > allowed:
                return False
        else:
            missing += 1
            if len(box) - missing <= allowed:
                return True
    return True


def _prose_before(lines: list[str], scores: list[float], m: int, max_chars: int) -> str:
    """The article-like lines nearest before line m, up to about max_chars characters."""
    picked, size, i = [], 0, m - 1
    while i >= 0 and size < max_chars:
        if scores[i] > 0:
            picked.append(lines[i])
            size += len(lines[i])
        i -= 1
    return " ".join(reversed(picked))


def _charge_trailing_boxes(lines: list[str], categories: list[str | None], scores: list, rules: CleanRules) -> None:
    """A "Related stories" heading followed by prose that is about something else and does not lead back into
    the article (the next thing after it is an end marker or the end of the page) is a box of other stories,
    however long its sentences: its lines take the heading's category, so the article ends at the heading.
    The box must also be small (few lines, or less prose than came before it): a long run is the article
    going on after an inline "Related" link, and keeps the plain soft-end cost."""
    th = rules.thresholds
    n = len(categories)
    ends = rules.box_stop_categories
    for m in [i for i, c in enumerate(categories) if c in rules.box_heading_categories]:
        j, mass = m + 1, 0
        while j < n and categories[j] is None:
            if scores[j] > 0:
                mass += scores[j]
            j += 1
        if not mass:
            continue
        run_end = j
        if run_end - m - 1 > th.box_max_lines and mass > sum(x for x in scores[:m] if x > 0):
            continue
        # Past the box's own junk lines (ads, buttons) and short lines: does prose come back?
        while j < n and categories[j] not in ends and (categories[j] is not None or scores[j] <= 0):
            j += 1
        if j < n and categories[j] is None:
            continue
        context = _prose_before(lines, scores, m, th.box_context_chars)
        # Each story in the box gets a say: the words come from the start of every line.
        sample = th.box_line_sample_chars
        if _about_something_else(" ".join([x[:sample] for x in lines[m + 1:run_end]]), context, rules):
            for k in range(m + 1, run_end):
                categories[k], scores[k] = categories[m], -th.junk_line_penalty


def _max_segment(scores: list[int | float], lo: int, hi: int) -> tuple[int, int]:
    """Kadane: the [start, end) run of lines inside [lo, hi) with the highest total score."""
    best, best_start, best_end = 0, lo, lo
    run, run_start = 0, lo
    for i in range(lo, hi):
        if run <= 0:
            run, run_start = 0, i
        run += scores[i]
        if run > best:
            best, best_start, best_end = run, run_start, i + 1
    return best_start, best_end


def clean_article(body: str, title: str | None = None, rules: CleanRules | None = None,
                  bounded: bool = False) -> CleanedText:
    """Headline + article paragraphs, once each, in order; `removed` counts dropped lines per rule.

    `bounded`: the body is already cut to the article (an HTML extractor's output, which found the article's
    bounds in the page structure). Junk lines (ads, captions, share and newsletter lines, ...) and repeats still
    go, by the same rules, but the text-only guesses at where the article starts and ends (teasers, boxes of
    other stories, end markers, the prose segment) are skipped: on extracted text they only cut real article."""
    rules = rules or _default_rules()
    th = rules.thresholds
    text = _normalized_body(body or "")
    lines = split_paragraphs(text, th)
    n = len(lines)
    if n == 0:
        return CleanedText(" ".join(normalize_text(title or "").split()), [], {})

    words, categories, scores = _classify_lines(lines, rules)
    if rules.blocks:
        _absorb_blocks(lines, words, categories, scores, rules)

    if bounded:
        if rules.extracted_keep_categories:
            categories = [None if c in rules.extracted_keep_categories else c for c in categories]
        title_text = " ".join(normalize_text(title or "").split())
        return _keep_once(lines, words, categories, scores, 0, n, -1, title_text, rules, bounded=True)

    # Teasers: a headline-shaped line followed by a truncated sentence.
    tail = rules.teaser_endings
    for i in [i for i, line in enumerate(lines) if line.endswith(tail)]:
        if i and categories[i] is None and categories[i - 1] is None \
                and words[i - 1] <= rules.teaser_headline_max_words and not lines[i - 1].endswith(_SENTENCE_END):
            categories[i - 1] = categories[i] = "teaser"
            scores[i - 1] = scores[i] = _line_cost("teaser", rules)

    if rules.box_heading_categories and not rules.box_heading_categories.isdisjoint(categories):
        _charge_trailing_boxes(lines, categories, scores, rules)

    # Sections end at hard end markers; the article is the first section with a real share of prose.
    bounds, start = [], 0
    if not rules.end_categories.isdisjoint(categories):
        ends = rules.end_categories
        for i in [i for i, cat in enumerate(categories) if cat in ends]:
            if i > start:
                bounds.append((start, i))
            start = i + 1
    if start < n:
        bounds.append((start, n))
    masses = [sum([x for x in scores[a:b] if x > 0]) for a, b in bounds]
    top = max(masses, default=0)
    lo, hi = 0, 0
    if top > 0:
        for (a, b), mass in zip(bounds, masses):
            if mass >= th.section_share * top:
                lo, hi = _max_segment(scores, a, b)
                break

    # Datelines / kickers right before the body belong to it.
    keep = rules.keep_line
    while keep is not None and lo > 0 and categories[lo - 1] is None and keep.match(lines[lo - 1]):
        lo -= 1

    # Headline: given, or the nearest headline-shaped line before the body.
    title_index = -1
    if title is None:
        first = next((i for i in range(min(lo, n)) if categories[i] is None), -1)
        candidates = []
        i, seen = lo - 1, 0
        while i >= 0 and seen < th.title_window:
            if categories[i] is None:
                seen += 1
                if th.title_min_words <= words[i] <= th.title_max_words and not lines[i].endswith("."):
                    candidates.append(i)
            i -= 1
        if first in candidates:
            title_index = first
        elif candidates:
            title_index = candidates[0]
        elif lo < hi and lo == next((i for i in range(n) if categories[i] is None), -1) \
                and th.title_min_words <= words[lo] <= th.title_max_words and not lines[lo].endswith("."):
            # The body opens the text with a headline-shaped line: that is the headline.
            title_index = lo
            lo += 1
        title_text = lines[title_index] if title_index >= 0 else ""
    else:
        title_text = " ".join(normalize_text(title).split())

    # A standfirst between the headline and the body is article too.
    if title_index >= 0:
        j = lo
        while j - 1 > title_index and categories[j - 1] is None and words[j - 1] >= th.deck_min_words:
            j -= 1
        lo = j

    return _keep_once(lines, words, categories, scores, lo, hi, title_index, title_text, rules)


def _plain_word_share(line: str) -> float:
    """Share of a line's space-separated tokens that are plain words: high in prose, low in code, command
    output and table rows (digits, operators, paths, identifiers_with_underscores)."""
    tokens = line.split()
    plain = sum(1 for t in tokens if _PLAIN_WORD.fullmatch(t.strip(_WORD_WRAPPING)))
    return plain / len(tokens) if tokens else 0.0


_EXCERPT_END = re.compile(r"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)$")
_EXCERPT_MIN_WORDS = 8


def _excerpt_stem(key: str) -> str | None:
    """A line ending in an ellipsis ('…', '...', ' […]') without it, when at least _EXCERPT_MIN_WORDS words are
    left; else None."""
    if not key.endswith(("…", "...", "]")):
        return None
    stem = _EXCERPT_END.sub("", key)
    return stem if stem != key and len(stem.split()) >= _EXCERPT_MIN_WORDS else None


def _keep_once(lines: list[str], words: list[int], categories: list, scores: list, lo: int, hi: int,
               title_index: int, title_text: str, rules: CleanRules, bounded: bool = False) -> CleanedText:
    """The article lines [lo, hi) that no rule named, each once, and the headline; `title_index` is the
    headline's line, -1 when it did not come from the body."""
    n = len(lines)
    # A prose paragraph that occurs twice (a standfirst copying a body paragraph), or that opens a later, longer
    # paragraph, is kept once, in its last place: the body's. Short lines (headings, labels) that repeat are kept
    # where they first occur; in extracted text, where they are table cells or code, every time.
    title_key = title_text.casefold()
    if bounded:
        # In extracted text a repeated line that is neither a sentence nor prose (command output, a SQL line, a
        # table row) is article every time, like a repeated short line; repeated prose still goes once, with or
        # without its full stop (a standfirst the extractor also found in the body).
        max_share = rules.thresholds.extracted_code_max_word_share
        scores = [0 if s > 0 and not _CLOSES_SENTENCE.search(lines[i]) and _plain_word_share(lines[i]) < max_share
                  else s for i, s in enumerate(scores)]
    removed: dict[str, int] = Counter(categories)
    removed.pop(None, None)
    inside = [(i, lines[i].casefold()) for i in range(lo, hi) if categories[i] is None]
    last_at = {key: i for i, key in inside}
    emitted: set[str] = set()
    paragraphs: list[str] = []
    repeats = headline_repeats = 0
    openings: dict[str, list] = {}  # first 32 characters -> paragraphs, so prefix checks stay linear
    for pos, (_, key) in enumerate(inside):
        openings.setdefault(key[:32], []).append((pos, key))
    for pos, (i, key) in enumerate(inside):
        # An excerpt a template cut from the lede ends in an ellipsis ("... over a dispute on…"): without it, it is
        # the lede's opening. Only a long one counts, so "Read more…" never matches a paragraph opening that way.
        opening = _excerpt_stem(key) or key
        if key == title_key:
            headline_repeats += 1
        elif (key in emitted and not (bounded and scores[i] <= 0)) or (scores[i] > 0 and last_at[key] != i):
            repeats += 1
        elif scores[i] > 0 and (len(openings[key[:32]]) > 1 if len(key) >= 32 else len(inside) > 1) and any(
            j > pos and later.startswith(opening) and later != key
            for j, later in (openings[key[:32]] if len(key) >= 32 else enumerate(k for _, k in inside))
        ):
            # A standfirst that is the opening of a later body paragraph: the body keeps it, once.
            repeats += 1
        else:
            emitted.add(key)
            paragraphs.append(lines[i])
    # Lines outside the article that no rule named: counted by where they sit.
    for reason, span in (("before_article", range(lo)), ("after_article", range(hi, n))):
        rest = [lines[i].casefold() for i in span if categories[i] is None and i != title_index]
        if title_key:
            headline_repeats += rest.count(title_key)
        rest_count = len(rest) - (rest.count(title_key) if title_key else 0)
        if rest_count:
            removed[reason] = rest_count
    if repeats:
        removed["repeat"] = repeats
    if headline_repeats:
        removed["repeat_headline"] = headline_repeats
    return CleanedText(title_text, paragraphs, dict(removed))
