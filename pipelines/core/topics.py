"""Topic tagging: load/validate the YAML taxonomy and match articles against it (Beam-free)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import yaml

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "taxonomy" / "topics.yaml"

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IPTC_RE = re.compile(r"^medtop:\d{8}$")
_ZONES = ("title", "lead", "body", "tail")
_TOPIC_KEYS = {
    "slug", "label", "description", "iptc_code", "iptc_note", "parent", "propagate_to_parent",
    "min_score", "min_evidence", "terms", "exclusions", "passing_paragraphs",
}
_TERM_KEYS = {"phrase", "pattern", "label", "weight", "case", "inflect", "variants",
              "requires_any", "forbids_any", "near", "inflect_contexts", "anchors"}
_SCORING_KEYS = {"zone_weights", "lead_paragraphs", "lead_min_words", "tail_fraction",
                 "repeat_decay", "max_repeats", "skip_bracketed_tickers", "passing_paragraphs", "passing_below",
                 "yields"}
_YIELD_KEYS = {"topic", "to", "ratio", "below", "unless_terms", "unless_paragraph"}
_WORD = re.compile(r"[a-z0-9]+")  # a word of the normalised copy (see _FOLD)
_MAX_NEAR = 50  # words; further away is document context, which requires_any alone already is
_LIST_REF = re.compile(r"\{list:(\w+)\}")  # not a regex quantifier, so it cannot clash with one
_PARA_BREAK = re.compile(rb"\n[ \t\r]*\n|\n(?=[ \t])")
_LINE_BREAK = re.compile(rb"\n")
_HAS_PARA_BREAK = re.compile(rb"\n[\n \t]")  # a blank line or an indented line: paragraphs, not lines


class Yield(NamedTuple):
    """One scoring.yields entry (see Scoring.yields)."""
    topic: str
    to: tuple[str, ...]
    ratio: float
    below: float = 0.0
    unless_terms: tuple[str, ...] = ()  # labels of the topic's terms: one kept is a subject of its own
    unless_paragraph: int = 0  # a paragraph with this many kept hits and none of the target's keeps it (0: off)


class TaxonomyError(ValueError):
    """A malformed taxonomy file; the message names the file, the line and the problem."""


class Evidence(NamedTuple):
    """One matched span: char offsets into the given title or text."""
    topic: str
    phrase: str
    field: str  # 'title' | 'text'
    start: int
    end: int


@dataclass(frozen=True)
class TopicResult:
    topics: list[str]
    primary_topic: str | None
    scores: dict[str, float]
    evidence: list[Evidence]


@dataclass(frozen=True)
class Term:
    label: str                 # the phrase or pattern label, for reviewers
    weight: float
    forms: tuple[str, ...]     # surface forms to match (empty for patterns)
    exact_case: bool
    pattern: str | None
    requires_any: tuple[int, ...]  # context ids
    forbids_any: tuple[int, ...]
    anchors: tuple[str, ...] = ()  # a pattern is tried only where one of these words starts
    near: int | None = None        # contexts count only within this many words of a hit, in its field


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    description: str
    iptc_code: str | None
    iptc_note: str | None
    parent: str | None
    propagate_to_parent: bool
    min_score: float
    min_evidence: int
    terms: tuple[Term, ...]
    exclusions: tuple[tuple[str, bool], ...]  # (form, exact_case)
    passing_paragraphs: int | None = None  # None: the scoring default


@dataclass(frozen=True)
class Scoring:
    zone_weights: dict[str, float]
    lead_paragraphs: int
    lead_min_words: int
    tail_fraction: float
    repeat_decay: float
    max_repeats: int
    skip_bracketed_tickers: bool = False  # "<AI>", "<USTR>": a stock ticker, not a mention
    # a text of at least this many paragraphs whose hits of a topic all sit in one paragraph after the
    # lead only mentions the topic in passing (0: off)
    passing_paragraphs: int = 0
    # the rule spares a topic scoring at least this many times its min_score: a paragraph that dense is
    # the point, not a mention (0: no limit)
    passing_below: float = 0.0
    # (topic, topics it yields to, ratio, below): a tagged topic with no kept match in the title and a score under
    # below x its min_score (0: no limit) is not tagged when one of those topics is tagged with at least ratio
    # times its score (it is the context of their story), unless a kept term is one of unless_terms or some paragraph
    # holds unless_paragraph kept hits of it and none of the topic it would yield to
    yields: tuple[Yield, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    version: str
    topics: list[Topic]
    scoring: Scoring
    contexts: tuple[tuple[str, bool], ...]  # context id -> (form, exact_case)
    source: str

    def topic(self, slug: str) -> Topic:
        for t in self.topics:
            if t.slug == slug:
                return t
        raise KeyError(slug)


# ---------------------------------------------------------------- loading and validation

class _LineDict(dict):
    line = 0
    key_lines: dict


class _LineList(list):
    line = 0
    item_lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loading that keeps line numbers; libyaml's parser when installed (5x faster than pure Python)."""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise TaxonomyError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = value_node.start_mark.line + 1
    return out


def _construct_sequence(loader, node):
    out = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _plural(word: str) -> str:
    if word.endswith("s"):
        return word
    if word.endswith(("x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def expand_forms(phrase: str, variants: list[str], inflect: bool) -> tuple[str, ...]:
    """All surface forms of a phrase: variants, plural of the last word, space/hyphen swaps."""
    forms: list[str] = []
    for base in [phrase, *variants]:
        cands = [base]
        if inflect and base[-1:].isalpha():
            head, _, last = base.rpartition(" ")
            cands.append((head + " " if head else "") + _plural(last))
        for c in cands:
            forms.append(c)
            if " " in c:
                forms.append(c.replace(" ", "-"))
            if "-" in c:
                forms.append(c.replace("-", " "))
    seen: dict[str, None] = {}
    for f in forms:
        seen.setdefault(f, None)
    return tuple(seen)


class _Builder:
    """Turns the raw YAML tree into a Taxonomy, failing with file + line on the first problem."""

    def __init__(self, source: str):
        self.source = source
        self.contexts: dict[tuple[str, bool], int] = {}
        self.lists: dict[str, str] = {}
        self.yield_lines: list[int] = []  # per scoring.yields entry: its line, its unless_terms line
        self.yield_term_lines: list[int] = []

    def pattern_lists(self, raw) -> dict[str, str]:
        """`lists: {name: [regex, ...]}`: alternatives a pattern names as {list:name}, kept in one place."""
        lists = self.opt(raw, "lists", dict, {}, "taxonomy")
        out = {}
        for name, items in lists.items():
            line = lists.key_lines[name]
            if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
                self.fail(line, f"lists.{name}: must be a non-empty list of regex strings")
            alternation = "(?:" + "|".join(i.strip() for i in items) + ")"
            try:
                re.compile(alternation)
            except re.error as exc:
                self.fail(line, f"lists.{name}: bad regex: {exc}")
            out[name] = alternation
        return out

    def expand_lists(self, pattern: str, line: int, where: str) -> str:
        def one(m):
            if m.group(1) not in self.lists:
                self.fail(line, f"{where}: unknown list {m.group(1)!r} in pattern (lists: {sorted(self.lists)})")
            return self.lists[m.group(1)]
        return _LIST_REF.sub(one, pattern)

    def fail(self, line: int, problem: str):
        raise TaxonomyError(f"{self.source}:{line}: {problem}")

    def need(self, mapping: _LineDict, key: str, kind, where: str):
        if key not in mapping:
            self.fail(mapping.line, f"{where}: missing required key {key!r}")
        value = mapping[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.fail(mapping.key_lines[key], f"{where}: {key!r} must be {_kind_name(kind)}, got {value!r}")
        return value

    def opt(self, mapping: _LineDict, key: str, kind, default, where: str):
        if key not in mapping or mapping[key] is None:
            return default
        return self.need(mapping, key, kind, where)

    def check_keys(self, mapping, allowed, where):
        for key in mapping:
            if key not in allowed:
                self.fail(mapping.key_lines[key], f"{where}: unknown key {key!r} (allowed: {sorted(allowed)})")

    def context_ids(self, items, line: int, where: str, inflect: bool = False) -> tuple[int, ...]:
        if items is None:
            return ()
        if not isinstance(items, list):
            self.fail(line, f"{where}: context must be a list")
        ids = []
        for item, item_line in zip(items, items.item_lines):
            form, exact = self.phrase_spec(item, item_line, where)
            if not _norm_key(form):
                self.fail(item_line, f"{where}: {form!r} has no ASCII letters or digits")
            for f in expand_forms(form, [], inflect=inflect and not exact):
                key = (f if exact else f.lower(), exact)
                ids.append(self.contexts.setdefault(key, len(self.contexts)))
        return tuple(sorted(set(ids)))

    def phrase_spec(self, item, line: int, where: str) -> tuple[str, bool]:
        if isinstance(item, str) and item.strip():
            return item.strip(), False
        if isinstance(item, dict):
            self.check_keys(item, {"phrase", "case"}, where)
            phrase = self.need(item, "phrase", str, where)
            case = self.opt(item, "case", str, "insensitive", where)
            if case not in ("insensitive", "exact"):
                self.fail(item.key_lines["case"], f"{where}: case must be 'insensitive' or 'exact'")
            return phrase.strip(), case == "exact"
        self.fail(line, f"{where}: expected a phrase string or {{phrase, case}}, got {item!r}")

    def scoring(self, raw) -> Scoring:
        if not isinstance(raw, dict):
            self.fail(getattr(raw, "line", 1), "'scoring' must be a mapping")
        where = "scoring"
        self.check_keys(raw, _SCORING_KEYS, where)
        zw = self.need(raw, "zone_weights", dict, where)
        for zone in _ZONES:
            w = self.need(zw, zone, (int, float), "scoring.zone_weights")
            if w <= 0:
                self.fail(zw.key_lines[zone], f"zone weight {zone!r} must be > 0")
        self.check_keys(zw, set(_ZONES), "scoring.zone_weights")
        tail = self.need(raw, "tail_fraction", (int, float), where)
        decay = self.need(raw, "repeat_decay", (int, float), where)
        if not 0 < tail <= 1:
            self.fail(raw.key_lines["tail_fraction"], "tail_fraction must be in (0, 1]")
        if not 0 <= decay <= 1:
            self.fail(raw.key_lines["repeat_decay"], "repeat_decay must be in [0, 1]")
        ints = {}
        for key in ("lead_paragraphs", "lead_min_words", "max_repeats"):
            ints[key] = self.need(raw, key, int, where)
            if ints[key] < (0 if key != "max_repeats" else 1):
                self.fail(raw.key_lines[key], f"{key} is out of range")
        tickers = self.opt(raw, "skip_bracketed_tickers", bool, False, where)
        passing = self.passing_paragraphs(raw, where)
        below = self.opt(raw, "passing_below", (int, float), 0.0, where)
        if below < 0:
            self.fail(raw.key_lines["passing_below"], f"{where}: passing_below must be >= 0")
        return Scoring({z: float(zw[z]) for z in _ZONES}, ints["lead_paragraphs"],
                       ints["lead_min_words"], float(tail), float(decay), ints["max_repeats"], tickers,
                       0 if passing is None else passing, float(below), self.yields(raw))

    def yields(self, raw) -> tuple:
        """scoring.yields: [{topic, to: [slugs], ratio, below, unless_terms, unless_paragraph}]; slugs and term labels
        are checked once the topics are known."""
        items = self.opt(raw, "yields", list, [], "scoring")
        out, self.yield_lines, self.yield_term_lines = [], [], []
        for item, line in zip(items, getattr(items, "item_lines", [])):
            where = "scoring.yields"
            if not isinstance(item, dict):
                self.fail(line, f"{where}: each entry must be a mapping {{topic, to, ratio}}")
            self.check_keys(item, _YIELD_KEYS, where)
            topic = self.need(item, "topic", str, where)
            to = self.need(item, "to", list, where)
            ratio = self.need(item, "ratio", (int, float), where)
            if not to or not all(isinstance(t, str) for t in to):
                self.fail(item.key_lines["to"], f"{where}: 'to' must be a non-empty list of topic slugs")
            if ratio < 1:  # a topic would yield to one scoring less than itself (and two could yield to each other)
                self.fail(item.key_lines["ratio"], f"{where}: ratio must be >= 1")
            below = self.opt(item, "below", (int, float), 0.0, where)
            if below < 0:
                self.fail(item.key_lines["below"], f"{where}: below must be >= 0 (0: no limit)")
            unless = self.opt(item, "unless_terms", list, [], where)
            if not all(isinstance(t, str) for t in unless):
                self.fail(item.key_lines["unless_terms"], f"{where}: 'unless_terms' must be a list of term labels")
            para = self.opt(item, "unless_paragraph", int, 0, where)
            if para < 0:
                self.fail(item.key_lines["unless_paragraph"], f"{where}: unless_paragraph must be >= 0 (0: off)")
            self.yield_term_lines.append(item.key_lines.get("unless_terms", line))
            out.append(Yield(topic, tuple(dict.fromkeys(to)), float(ratio), float(below), tuple(unless), para))
            self.yield_lines.append(line)
        return tuple(out)

    def passing_paragraphs(self, raw, where: str) -> int | None:
        value = self.opt(raw, "passing_paragraphs", int, None, where)
        if value is not None and value < 0:
            self.fail(raw.key_lines["passing_paragraphs"],
                      f"{where}: passing_paragraphs must be 0 (off) or a number of paragraphs, got {value!r}")
        return value

    def term(self, raw, line: int, where: str) -> Term:
        if not isinstance(raw, dict):
            self.fail(line, f"{where}: a term must be a mapping with 'phrase' or 'pattern'")
        self.check_keys(raw, _TERM_KEYS, where)
        if ("phrase" in raw) == ("pattern" in raw):
            self.fail(raw.line, f"{where}: a term needs exactly one of 'phrase' or 'pattern'")
        weight = self.need(raw, "weight", (int, float), where)
        if weight <= 0:
            self.fail(raw.key_lines["weight"], f"{where}: weight must be > 0")
        # contexts' plurals are opt-in: made automatic, they changed r12's tags ("tenders" forbade an export licence)
        plurals = self.opt(raw, "inflect_contexts", bool, False, where)
        requires = self.context_ids(raw.get("requires_any"), raw.key_lines.get("requires_any", raw.line), where,
                                    plurals)
        forbids = self.context_ids(raw.get("forbids_any"), raw.key_lines.get("forbids_any", raw.line), where,
                                   plurals)
        near = self.opt(raw, "near", int, None, where)
        if near is not None:
            if not 0 <= near <= _MAX_NEAR:
                self.fail(raw.key_lines["near"], f"{where}: near must be a number of words from 0 to {_MAX_NEAR}")
            if not requires and not forbids:
                self.fail(raw.key_lines["near"], f"{where}: near needs requires_any or forbids_any")
        if plurals and not requires and not forbids:
            self.fail(raw.key_lines["inflect_contexts"],
                      f"{where}: inflect_contexts needs requires_any or forbids_any")
        if "pattern" in raw:
            pattern = self.expand_lists(self.need(raw, "pattern", str, where), raw.key_lines["pattern"], where)
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                self.fail(raw.key_lines["pattern"], f"{where}: bad regex {pattern!r}: {exc}")
            if re.compile(pattern).groups:
                self.fail(raw.key_lines["pattern"], f"{where}: use (?:...) groups only in patterns")
            if re.compile(pattern).match(""):
                self.fail(raw.key_lines["pattern"], f"{where}: pattern matches the empty string")
            label = self.opt(raw, "label", str, pattern, where)
            anchors = self.need(raw, "anchors", list, where + " pattern")
            if not anchors or not all(isinstance(a, str) and _norm_key(a) for a in anchors):
                self.fail(raw.key_lines["anchors"], f"{where}: anchors must be a non-empty list of words")
            return Term(label, float(weight), (), False, pattern, requires, forbids,
                        tuple(a.strip() for a in anchors), near)
        if "anchors" in raw:
            self.fail(raw.key_lines["anchors"], f"{where}: 'anchors' only applies to patterns")
        phrase = self.need(raw, "phrase", str, where).strip()
        if not phrase:
            self.fail(raw.key_lines["phrase"], f"{where}: empty phrase")
        case = self.opt(raw, "case", str, "insensitive", where)
        if case not in ("insensitive", "exact"):
            self.fail(raw.key_lines["case"], f"{where}: case must be 'insensitive' or 'exact', got {case!r}")
        inflect = self.opt(raw, "inflect", bool, True, where)
        variants = self.opt(raw, "variants", list, [], where)
        for v, vline in zip(variants, getattr(variants, "item_lines", [])):
            if not isinstance(v, str) or not v.strip():
                self.fail(vline, f"{where}: variants must be non-empty strings, got {v!r}")
        forms = expand_forms(phrase, [v.strip() for v in variants], inflect)
        for form in forms:
            if not _norm_key(form):
                self.fail(raw.key_lines["phrase"], f"{where}: {form!r} has no ASCII letters or digits")
        label = self.opt(raw, "label", str, phrase, where)
        return Term(label, float(weight), forms, case == "exact", None, requires, forbids, (), near)

    def topic(self, raw, line: int) -> Topic:
        if not isinstance(raw, dict):
            self.fail(line, "each topic must be a mapping")
        slug = self.need(raw, "slug", str, "topic")
        where = f"topic {slug!r}"
        if not _SLUG_RE.match(slug):
            self.fail(raw.key_lines["slug"], f"{where}: slug must be lowercase words joined by '-'")
        self.check_keys(raw, _TOPIC_KEYS, where)
        label = self.need(raw, "label", str, where)
        iptc = self.opt(raw, "iptc_code", str, None, where)
        if iptc is not None and not _IPTC_RE.match(iptc):
            self.fail(raw.key_lines["iptc_code"], f"{where}: iptc_code must look like 'medtop:04000000'")
        min_score = self.need(raw, "min_score", (int, float), where)
        min_evidence = self.need(raw, "min_evidence", int, where)
        if min_score <= 0 or min_evidence < 1:
            self.fail(raw.line, f"{where}: min_score must be > 0 and min_evidence >= 1")
        raw_terms = self.need(raw, "terms", list, where)
        if not raw_terms:
            self.fail(raw.key_lines["terms"], f"{where}: no terms")
        terms = tuple(self.term(t, tl, where) for t, tl in zip(raw_terms, raw_terms.item_lines))
        # a form two terms share would count twice where tag() adds hits up and once where a match swallows
        # the same span (explain, the batch tagger): one meaning, one term
        owner: dict[str, int] = {}
        for si, (term, term_line) in enumerate(zip(terms, raw_terms.item_lines)):
            for form in term.forms:
                first = owner.setdefault(_norm_key(form), si)
                if first != si:
                    self.fail(term_line, f"{where}: {form!r} is also a form of the term at line "
                                         f"{raw_terms.item_lines[first]} ({terms[first].label!r})")
        raw_excl = self.opt(raw, "exclusions", list, [], where)
        exclusions = []
        for item, item_line in zip(raw_excl, getattr(raw_excl, "item_lines", [])):
            form, exact = self.phrase_spec(item, item_line, f"{where} exclusions")
            if not _norm_key(form):
                self.fail(item_line, f"{where}: exclusion {form!r} has no ASCII letters or digits")
            exclusions.extend((f, exact) for f in expand_forms(form, [], inflect=not exact))
        return Topic(
            slug=slug, label=label,
            description=self.opt(raw, "description", str, "", where),
            iptc_code=iptc, iptc_note=self.opt(raw, "iptc_note", str, None, where),
            parent=self.opt(raw, "parent", str, None, where),
            propagate_to_parent=self.opt(raw, "propagate_to_parent", bool, False, where),
            min_score=float(min_score), min_evidence=min_evidence,
            terms=terms, exclusions=tuple(dict.fromkeys(exclusions)),
            passing_paragraphs=self.passing_paragraphs(raw, where),
        )

    def build(self, raw) -> Taxonomy:
        if not isinstance(raw, dict):
            self.fail(1, "the taxonomy must be a mapping with 'version', 'scoring' and 'topics'")
        self.check_keys(raw, {"version", "scoring", "lists", "topics"}, "taxonomy")
        version = raw.get("version")
        if not isinstance(version, (str, int, float)) or isinstance(version, bool) or str(version).strip() == "":
            self.fail(raw.key_lines.get("version", raw.line), "missing or empty 'version'")
        scoring = self.scoring(self.need(raw, "scoring", dict, "taxonomy"))
        self.lists = self.pattern_lists(raw)
        raw_topics = self.need(raw, "topics", list, "taxonomy")
        if not raw_topics:
            self.fail(raw.key_lines["topics"], "no topics defined")
        topics, lines, parent_lines = [], {}, {}
        for item, line in zip(raw_topics, raw_topics.item_lines):
            t = self.topic(item, line)
            parent_lines[t.slug] = item.key_lines.get("parent", line)
            if t.slug in lines:
                self.fail(line, f"duplicate topic slug {t.slug!r} (first at line {lines[t.slug]})")
            lines[t.slug] = line
            topics.append(t)
        for t in topics:
            if t.parent is not None and t.parent not in lines:
                self.fail(parent_lines[t.slug], f"topic {t.slug!r}: unknown parent {t.parent!r}")
            if t.propagate_to_parent and t.parent is None:
                self.fail(lines[t.slug], f"topic {t.slug!r}: propagate_to_parent needs a parent")
            seen, cur = {t.slug}, t.parent
            while cur is not None:
                if cur in seen:
                    self.fail(lines[t.slug], f"topic {t.slug!r}: parent cycle through {cur!r}")
                seen.add(cur)
                cur = next(x.parent for x in topics if x.slug == cur)
        seen_yields, targets = set(), {y.topic: set(y.to) for y in scoring.yields}
        for y, line, term_line in zip(scoring.yields, self.yield_lines, self.yield_term_lines):
            topic, to = y.topic, y.to
            for slug in (topic, *to):
                if slug not in lines:
                    self.fail(line, f"scoring.yields: unknown topic {slug!r}")
            if topic in to:
                self.fail(line, f"scoring.yields: {topic!r} cannot yield to itself")
            if topic in seen_yields:
                self.fail(line, f"scoring.yields: {topic!r} has two entries")
            seen_yields.add(topic)
            for slug in to:
                if topic in targets.get(slug, ()):
                    self.fail(line, f"scoring.yields: {topic!r} and {slug!r} yield to each other")
            labels = {term.label for t in topics if t.slug == topic for term in t.terms}
            for label in y.unless_terms:
                if label not in labels:
                    self.fail(term_line, f"scoring.yields: {topic!r} has no term labelled {label!r}")
        contexts = tuple(k for k, _ in sorted(self.contexts.items(), key=lambda kv: kv[1]))
        return Taxonomy(str(version), topics, scoring, contexts, self.source)


def _kind_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false",
             list: "a list", dict: "a mapping"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file (default: pipelines/taxonomy/topics.yaml)."""
    path = Path(path) if path is not None else DEFAULT_TAXONOMY_PATH
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{source}: cannot read taxonomy: {exc}") from exc
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except TaxonomyError as exc:
        raise TaxonomyError(f"{source}:{exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise TaxonomyError(f"{source}:{line}: YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: YAML error: {exc}") from None
    return _Builder(source).build(raw)


# ---------------------------------------------------------------- matching
#
# Text is matched in a normalised copy: one byte per character, ASCII letters lower-cased, every
# other character (punctuation, whitespace, non-ASCII) turned into a space, padded with one space
# at each end. Keys are stored the same way with a space on both sides, so the automaton only
# reports whole-word matches and "rare-earth" equals "rare earth". Offsets in that copy are str
# offsets plus one.

_FOLD = bytes((ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else 32) for c in range(256))
_KEEP_CASE = bytes((c if c < 128 and chr(c).isalnum() else 32) for c in range(256))
# patterns run on a lower-cased copy that keeps punctuation (so "\s+" cannot cross a comma);
# offsets stay those of the normalised copy
_LOWER = bytes((ord(chr(c).lower()) if c < 128 else ord("~")) for c in range(256))
_TERM, _CTX, _EXCL, _ANCHOR = 0, 1, 2, 3
# below this many articles tag_many tags one by one (bench_topics --batch: the batch path's fixed cost
# per call, ~0.3 ms, outweighs its per-article saving under ~16 articles)
_MIN_BATCH = 16


# Trie children are searched in insertion order: inserting keys by English letter frequency
# (word-initial letters after a space) puts common letters first, a few percent off the scan.
_INITIAL_ORDER = {c: i for i, c in enumerate(" taoswcbphfmdrelngiuvykjqzx0123456789")}
_LETTER_ORDER = {c: i for i, c in enumerate(" etaoinshrdlcumwfgypbvkjxqz0123456789")}


def _insert_rank(key: str) -> tuple:
    prev, out = " ", []
    for c in key:
        out.append((_INITIAL_ORDER if prev == " " else _LETTER_ORDER).get(c, 99))
        prev = c
    return tuple(out), key


def _norm_key(form: str) -> str:
    return " ".join(form.encode("utf-8").translate(_FOLD).decode("ascii").split())


def _case_key(form: str) -> str:
    return " ".join(form.encode("utf-8").translate(_KEEP_CASE).decode("ascii").split())


@dataclass
class TopicCandidate:
    """Why a topic did or did not get tagged (for evaluation and review)."""
    slug: str
    score: float
    distinct_terms: int
    tagged: bool
    evidence: list[Evidence] = field(default_factory=list)
    dropped: list[tuple[Evidence, str]] = field(default_factory=list)
    reason: str | None = None  # why a topic with enough evidence is not tagged ("passing-mention", "yields to X")


class _Key:
    """What one automaton key stands for, split by kind so the hot loop does no dispatch."""
    __slots__ = ("klen", "terms", "exact", "ctx", "excl", "anchors", "multiword")

    def __init__(self, klen: int, multiword: bool):
        self.klen = klen
        self.multiword = multiword
        self.terms: list[tuple[int, int]] = []          # (topic, term), case-insensitive
        self.exact: list[tuple[bytes, int, int, int]] = []  # (case key, kind, a, b)
        self.ctx: set[int] = set()                       # case-insensitive context ids
        self.excl: list[int] = []                        # topics whose exclusion this is
        self.anchors: list[int] = []                     # pattern ids


class TopicMatcher:
    """Tags articles with taxonomy topics. The automaton and regexes are built once, here."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self._scoring = taxonomy.scoring
        self._topics = taxonomy.topics
        slugs = [t.slug for t in taxonomy.topics]
        self._lifts = [(ti, slugs.index(t.parent)) for ti, t in enumerate(taxonomy.topics)
                       if t.propagate_to_parent]
        # per topic, per term: (weight, requires_any, forbids_any) as frozensets of context ids
        self._term_info = [[(t.weight, frozenset(t.requires_any), frozenset(t.forbids_any))
                            for t in topic.terms] for topic in taxonomy.topics]
        self._min = [(t.min_score, t.min_evidence) for t in taxonomy.topics]
        default = taxonomy.scoring.passing_paragraphs
        self._passing = [default if t.passing_paragraphs is None else t.passing_paragraphs for t in taxonomy.topics]
        below = taxonomy.scoring.passing_below
        self._passing_cap = [t.min_score * below if below > 0 else float("inf") for t in taxonomy.topics]
        # (topic, targets, ratio, score cap, terms that keep it, hits in a paragraph of its own that keep it): a topic
        # scoring at least the cap is a story of its own; the cap is rounded as scores are (3.0 x 2.2 is
        # 6.6000000000000005)
        self._yields = []
        for y in (Yield(*entry) for entry in taxonomy.scoring.yields):
            ti = slugs.index(y.topic)
            topic = taxonomy.topics[ti]
            cap = round(topic.min_score * y.below, 4) if y.below > 0 else float("inf")
            keep = frozenset(si for si, term in enumerate(topic.terms) if term.label in y.unless_terms)
            self._yields.append((ti, tuple(slugs.index(s) for s in y.to), y.ratio, cap, keep, y.unless_paragraph))
        self._yielding = frozenset(y[0] for y in self._yields)
        keys: dict[str, list[tuple]] = {}
        self._patterns: list[tuple] = []

        def add(form: str, exact: bool, kind: int, a: int, b: int) -> None:
            keys.setdefault(_norm_key(form), []).append((kind, a, b, _case_key(form) if exact else None))

        for ti, topic in enumerate(taxonomy.topics):
            for si, term in enumerate(topic.terms):
                if term.pattern is not None:
                    pi = len(self._patterns)
                    self._patterns.append((ti, si, re.compile(term.pattern, re.IGNORECASE)))
                    for anchor in term.anchors:
                        for form in expand_forms(anchor, [], inflect=False):
                            add(form, False, _ANCHOR, pi, 0)
                for form in term.forms:
                    add(form, term.exact_case, _TERM, ti, si)
            for form, exact in topic.exclusions:
                add(form, exact, _EXCL, ti, 0)
        for cid, (form, exact) in enumerate(taxonomy.contexts):
            add(form, exact, _CTX, cid, 0)

        self._automaton = ahocorasick.Automaton()
        self._keys: list[_Key] = []
        ordered = sorted(keys, key=_insert_rank)
        for kid, key in enumerate(ordered):
            info = _Key(len(key) + 2, " " in key)
            for kind, a, b, case_key in dict.fromkeys(keys[key]):
                if case_key is not None:
                    info.exact.append((f" {case_key} ".encode("ascii"), kind, a, b))
                elif kind == _TERM:
                    info.terms.append((a, b))
                elif kind == _CTX:
                    info.ctx.add(a)
                elif kind == _EXCL:
                    info.excl.append(a)
                else:
                    info.anchors.append(a)
            self._keys.append(info)
            self._automaton.add_word(f" {key} ", kid)
        self._automaton.make_automaton()
        self._key_strings = [f" {key} " for key in ordered]  # key id -> automaton key, for other scanners
        # key id -> ids of the other keys that are whole-word parts of it (None if none)
        kid_of = {key: kid for kid, key in enumerate(ordered)}
        self._subkeys: list[frozenset | None] = []
        for key in ordered:
            words = key.split()
            subs = {k for k in (kid_of.get(" ".join(words[i:j])) for i in range(len(words))
                                for j in range(i + 1, len(words) + 1) if j - i < len(words)) if k is not None}
            self._subkeys.append(frozenset(subs) if subs else None)
        zw = self._scoring.zone_weights
        self._zone_weights = (zw["title"], zw["lead"], zw["body"], zw["tail"])
        self._decay_pows = tuple(self._scoring.repeat_decay ** k for k in range(self._scoring.max_repeats))
        # geo[n]: worth of the n best repeats of a term in one zone (times weight and zone weight); also the
        # score bound, with every repeat counted at the title's weight
        self._geo = tuple(sum(self._decay_pows[:n]) for n in range(self._scoring.max_repeats + 1))
        self._zone_rank = sorted(range(4), key=lambda z: -self._zone_weights[z])
        z_max = max(self._zone_weights)
        self._top_weight = [[t.weight * z_max for t in topic.terms] for topic in taxonomy.topics]
        # terms with `near`: their contexts count within that many words of a hit (-1: anywhere)
        self._term_near = [[-1 if t.near is None else t.near for t in topic.terms] for topic in taxonomy.topics]
        self._near_topics = frozenset(ti for ti, row in enumerate(self._term_near) if max(row) >= 0)
        self._near_ctx = frozenset(c for topic in taxonomy.topics for t in topic.terms
                                   if t.near is not None for c in t.requires_any + t.forbids_any)
        self._ctx_kids: dict[int, list[int]] = {}  # near context id -> its case-insensitive key ids
        for kid, k in enumerate(self._keys):
            for cid in sorted(k.ctx & self._near_ctx):
                self._ctx_kids.setdefault(cid, []).append(kid)
        # per key, what the hot loop needs, flat: (context ids or None, ((topic, term, top weight),
        # ...), needs the slow branch: exclusions, pattern anchors or exact-case entries)
        self._hot = [(frozenset(k.ctx) or None,
                      tuple((ti, si, self._top_weight[ti][si]) for ti, si in k.terms),
                      bool(k.excl or k.anchors or k.exact)) for k in self._keys]

    # -- zones

    def _pieces(self, text: bytes):
        """(end, start of the next piece or None, counts as a paragraph) for each stretch between breaks; a
        paragraph is one the lead is made of: at least lead_min_words words and not a repeat of the last one."""
        breaks = _breaks(text)
        min_words = self._scoring.lead_min_words
        shortest = 2 * min_words - 1  # fewer bytes cannot hold min_words words: skip the split
        prev, pos = None, 0
        while True:
            m = next(breaks, None)
            stop = m.start() if m is not None else len(text)
            counted = False
            if stop - pos >= shortest:
                words = text[pos:stop].split()
                if len(words) >= min_words and words != prev:
                    counted, prev = True, words
            yield stop, (m.end() if m is not None else None), counted
            if m is None:
                return
            pos = m.end()

    def _zone_bounds(self, text: bytes) -> tuple[int, int]:
        """(lead_end, tail_start) offsets in the text's one-byte-per-character image."""
        sc = self._scoring
        lead_end = count = 0
        if sc.lead_paragraphs > 0 and text:
            for stop, _, counted in self._pieces(text):
                if counted:
                    count, lead_end = count + 1, stop
                    if count >= sc.lead_paragraphs:
                        break
        return lead_end, max(int(len(text) * sc.tail_fraction), lead_end)

    def _paragraphs(self, text: bytes) -> tuple[int, list[int]]:
        """(paragraphs, where each piece after the first starts) of a text split as _zone_bounds splits it:
        the count is of the paragraphs the lead is made of (min words, no repeat) in the whole text; the
        pieces are all stretches between breaks, short ones included."""
        count, cuts = 0, []
        for _, following, counted in self._pieces(text):
            count += counted
            if following is not None:
                cuts.append(following)
        return count, cuts

    def _is_passing(self, ti: int, first: int, last: int, doc: "_Doc", bounds) -> bool:
        """A tagged topic whose kept hits start from first to last (norm offsets) is mentioned in passing:
        all of them in one paragraph after the lead (not the title) of a text with at least the topic's
        passing_paragraphs paragraphs."""
        text_start, lead_end, _ = bounds
        if first < lead_end or first < text_start:
            return False
        if doc.paragraphs is None:
            doc.paragraphs = self._paragraphs(doc.raw[text_start - 1:])
        count, cuts = doc.paragraphs
        return count >= self._passing[ti] and (
            bisect_right(cuts, first - text_start) == bisect_right(cuts, last - text_start))

    # -- scoring

    def _score(self, title: str, text: str, explain: bool):
        """({topic: [score, distinct terms, tagged, kept, dropped, hits, lifted-from, resolved]}, doc, ctx, excl).

        Offsets are byte offsets in the normalised copy of title + "\\n\\n" + text (see _Doc).
        `hits` holds (key id, term index, match ends) per topic; kept spans are worked out from
        them only for tagged topics (or at once when explaining), so untagged topics cost little.
        """
        doc = _Doc(title, text)
        keys = self._keys
        ends: dict[int, list[int]] = {}
        for e, kid in self._automaton.iter(doc.norm):
            lst = ends.get(kid)
            if lst is None:
                ends[kid] = [e]
            else:
                lst.append(e)
        ctx: set[int] = set()
        excl: dict[int, list] = {}         # topic -> [(start, end)] of its exclusions
        if not ends:
            return {}, doc, ctx, excl
        by_topic: dict[int, list] = {}     # topic -> [(key id, term index, ends)]
        bound: dict[int, float] = {}       # topic -> upper bound of its score (all hits in the title)
        careful: set[int] = set()          # topics whose hits may overlap: resolve by position
        anchors = []
        keep = None
        near_exact = None                  # near context id -> [(start, end)] of its exact-case hits
        hot, geo = self._hot, self._geo
        n_geo = len(geo) - 1
        for kid, es in ends.items():
            ctxs, terms, slow = hot[kid]
            if ctxs is not None:
                ctx |= ctxs
            if terms:
                g = geo[len(es)] if len(es) < n_geo else geo[n_geo]
                for ti, si, tw in terms:
                    slot = by_topic.get(ti)
                    if slot is None:
                        by_topic[ti] = [(kid, si, es)]
                        bound[ti] = tw * g
                    else:
                        slot.append((kid, si, es))
                        bound[ti] += tw * g
            if slow:
                info = keys[kid]
                klen = info.klen
                for ti in info.excl:
                    excl.setdefault(ti, []).extend((e - klen + 2, e) for e in es)
                    careful.add(ti)
                for pi in info.anchors:
                    anchors.extend((pi, e - klen + 2) for e in es)
                if info.exact:
                    if keep is None:
                        keep = doc.keep_case()
                    for case_key, kind, a, b in info.exact:
                        ok = [e for e in es if keep[e - klen + 1:e + 1] == case_key]
                        if ok and self._scoring.skip_bracketed_tickers:
                            # raw offsets are norm offsets - 1: the characters around the match
                            raw = doc.raw
                            ok = [e for e in ok if raw[e - klen:e - klen + 1] != b"<" or raw[e - 1:e] != b">"]
                        if not ok:
                            continue
                        if kind == _TERM:
                            by_topic.setdefault(a, []).append((kid, b, ok))
                            n = len(ok) if len(ok) < n_geo else n_geo
                            bound[a] = bound.get(a, 0.0) + self._top_weight[a][b] * geo[n]
                        elif kind == _CTX:
                            ctx.add(a)
                            if a in self._near_ctx:
                                if near_exact is None:
                                    near_exact = {}
                                near_exact.setdefault(a, []).extend((e - klen + 2, e) for e in ok)
                        elif kind == _EXCL:
                            excl.setdefault(a, []).extend((e - klen + 2, e) for e in ok)
                            careful.add(a)
                        else:
                            anchors.extend((a, e - klen + 2) for e in ok)
        if anchors:
            self._run_patterns(doc, anchors, ctx, by_topic, careful, bound)
        if not by_topic:
            return {}, doc, ctx, excl
        out, pruned = {}, {}
        limits = self._min
        bounds = None
        near = _NearContext(self, doc, ends, near_exact) if self._near_topics else None
        for ti, slot in by_topic.items():
            if not explain:
                # the upper bound (every hit in the title zone, no context rules) rules most topics out; rounded
                # as scores are (1.2 * 1.5 is 1.7999999999999998, and a score of 1.8 passes a min_score of 1.8)
                min_score, min_evidence = limits[ti]
                if round(bound[ti], 4) < min_score or (min_evidence > 1 and len({si for _, si, _ in slot}) < min_evidence):
                    pruned[ti] = slot
                    continue
            if bounds is None:
                bounds = doc.bounds(self._zone_bounds)
            out[ti] = self._topic_score(ti, slot, ctx, excl, careful, bounds, explain, near, doc)
        if self._yields:
            self._apply_yields(out, ctx, excl, near, doc)

        for ti, parent_ti in self._lifts:  # a tagged child lifts its parent
            child = out.get(ti)
            if child is not None and child[2]:
                parent = out.get(parent_ti)
                if parent is None:
                    slot = pruned.get(parent_ti)
                    if slot is None:
                        parent = [0.0, 0, False, [], [], [], -1, True, False, False, -1, ()]
                    else:
                        if bounds is None:
                            bounds = doc.bounds(self._zone_bounds)
                        parent = self._topic_score(parent_ti, slot, ctx, excl, careful, bounds, explain, near,
                                                   doc)
                    out[parent_ti] = parent
                if not parent[2]:
                    parent[0], parent[2], parent[6] = max(parent[0], child[0]), True, ti
        return out, doc, ctx, excl

    def _topic_score(self, ti: int, slot: list, ctx: set, excl: dict, careful: set, bounds, explain: bool,
                     near: "_NearContext | None", doc: "_Doc"):
        """[score, distinct terms, tagged, kept, dropped, hits, lifted-from, resolved, passing, titled,
        yielded-to, kept term indexes] for one topic (titled: a kept match in the title, worked out only for a
        yielding topic)."""
        keys, info = self._keys, self._term_info[ti]
        text_start, lead_end, tail_start = bounds
        if not explain and ti not in careful and ti in self._near_topics:
            near_of = self._term_near[ti]
            if any(near_of[si] >= 0 for _, si, _ in slot):
                careful.add(ti)  # context by position: hit by hit
        if not explain and ti not in careful and len(slot) > 1:
            kids = {kid for kid, _, _ in slot}
            subkeys = self._subkeys
            for kid in kids:
                if subkeys[kid] is not None and not kids.isdisjoint(subkeys[kid]):
                    careful.add(ti)  # a phrase and a phrase inside it both matched
                    break
        resolved = explain or ti in careful
        kept, dropped = [], []
        # per term: hit counts per zone (title, lead, body, tail); the score needs nothing else
        per_term: dict[int, list] = {}
        # unresolved, and only for a topic with the passing rule: (offset, ends) of each group whose contexts hold
        counted = [] if self._passing[ti] > 0 else None
        if resolved:
            kept, dropped = self._resolve(ti, slot, ctx, excl.get(ti), explain, near)
            for s, e, si in kept:
                counts = per_term.get(si)
                if counts is None:
                    counts = per_term[si] = [0, 0, 0, 0]
                counts[0 if s < text_start else 1 if s < lead_end else 3 if s >= tail_start else 2] += 1
        else:
            for kid, si, es in slot:
                _, requires, forbids = info[si]
                if requires and ctx.isdisjoint(requires):
                    continue
                if forbids and not ctx.isdisjoint(forbids):
                    continue
                counts = per_term.get(si)
                if counts is None:
                    counts = per_term[si] = [0, 0, 0, 0]
                off = keys[kid].klen - 2
                if counted is not None:
                    counted.append((off, es))
                if len(es) == 1:
                    s = es[0] - off
                    counts[0 if s < text_start else 1 if s < lead_end else 3 if s >= tail_start else 2] += 1
                else:  # ends are sorted: zone counts by bisection
                    a = bisect_left(es, text_start + off)
                    b = bisect_left(es, lead_end + off, a)
                    c = bisect_left(es, tail_start + off, b)
                    counts[0] += a
                    counts[1] += b - a
                    counts[2] += c - b
                    counts[3] += len(es) - c
        # repeats of a term count less: the k-th best hit (zones by weight) is worth decay^k,
        # and only max_repeats hits count
        score = 0.0
        zone_weights, zone_rank, cum, cap = self._zone_weights, self._zone_rank, self._geo, self._scoring.max_repeats
        for si in sorted(per_term):
            counts = per_term[si]
            used, sub = 0, 0.0
            for z in zone_rank:
                k = counts[z]
                if k:
                    if k > cap - used:
                        k = cap - used
                    sub += zone_weights[z] * (cum[used + k] - cum[used])
                    used += k
                    if used == cap:
                        break
            score += info[si][0] * sub
        score = round(score, 4)
        min_score, min_evidence = self._min[ti]
        tagged = score >= min_score and len(per_term) >= min_evidence
        passing = False
        if tagged and self._passing[ti] > 0 and score < self._passing_cap[ti]:
            if resolved:
                starts = [s for s, _, _ in kept]
                first, last = min(starts), max(starts)
            else:  # every hit counted is kept; each group's ends are sorted
                first = min(es[0] - off for off, es in counted)
                last = max(es[-1] - off for off, es in counted)
            passing = self._is_passing(ti, first, last, doc, bounds)
            tagged = not passing
        titled = tagged and ti in self._yielding and any(counts[0] for counts in per_term.values())
        return [score, len(per_term), tagged, kept, dropped, slot, -1, resolved, passing, titled, -1, per_term.keys()]

    def _apply_yields(self, out: dict, ctx: set, excl: dict, near, doc: "_Doc") -> None:
        """Untags each yielding topic with no kept match in the title, scoring under its cap, where a topic it yields
        to is tagged with at least ratio times its score (rounded as scores are), unless one of its kept terms keeps
        it or a paragraph of its own does; all decided on the tags before any yield (and lifts)."""
        gone = []
        for ti, targets, ratio, cap, keep, para in self._yields:
            entry = out.get(ti)
            if entry is None or not entry[2] or entry[9] or entry[0] >= cap:
                continue
            if keep and not keep.isdisjoint(entry[11]):
                continue
            bar, own = round(ratio * entry[0], 4), None
            for tj in targets:
                other = out.get(tj)
                if other is not None and other[2] and other[0] >= bar:
                    if para:
                        if own is None:  # the yielding topic's kept starts, once for all its targets
                            own = self._kept_starts(ti, entry, ctx, excl, near)
                        if self._own_paragraph(doc, para, own, self._kept_starts(tj, other, ctx, excl, near)):
                            continue
                    gone.append((entry, tj))
                    break
        for entry, tj in gone:
            entry[2], entry[10] = False, tj

    def _kept_starts(self, ti: int, entry: list, ctx: set, excl: dict, near) -> list[int]:
        """Norm offsets where a scored topic's kept hits start (resolved by position now if scoring did not)."""
        kept = entry[3] if entry[7] else self._resolve(ti, entry[5], ctx, excl.get(ti), False, near)[0]
        return [s for s, _, _ in kept]

    def _own_paragraph(self, doc: "_Doc", need: int, own: list[int], other: list[int]) -> bool:
        ts = doc.text_start
        cuts = doc.paragraphs[1] if doc.paragraphs is not None else piece_starts(doc.raw[ts - 1:])
        return own_paragraph(cuts, need, [s - ts for s in own], [s - ts for s in other])

    def _resolve(self, ti: int, slot: list, ctx: set, spans, explain: bool, near: "_NearContext | None" = None):
        """Position-by-position pass: longer phrases swallow the phrases inside them,
        exclusions swallow what they overlap, context rules apply. Returns (kept, dropped)."""
        keys, info = self._keys, self._term_info[ti]
        near_of = self._term_near[ti]
        hits = []
        for kid, si, es in slot:
            if kid < 0:  # pattern: es holds (start, end) spans
                hits.extend((s, -e, si) for s, e in es)
            else:
                off = keys[kid].klen - 2
                hits.extend((e - off, -e, si) for e in es)
        hits.sort()  # by start, longest first
        kept, dropped, cover_end = [], [], -1
        for s, neg_e, si in hits:
            e = -neg_e
            _, requires, forbids = info[si]
            reason = None
            if e <= cover_end:
                reason = "inside-longer-match"
            elif spans and any(s < ee and e > es for es, ee in spans):
                reason = "exclusion"
            elif near_of[si] >= 0:
                if requires and (ctx.isdisjoint(requires) or not near.found(requires, s, e, near_of[si])):
                    reason = "missing-context-near"
                elif forbids and not ctx.isdisjoint(forbids) and near.found(forbids, s, e, near_of[si]):
                    reason = "forbidden-context-near"
            elif requires and ctx.isdisjoint(requires):
                reason = "missing-context"
            elif forbids and not ctx.isdisjoint(forbids):
                reason = "forbidden-context"
            if reason is not None:
                if explain:
                    dropped.append((s, e, reason))
                continue
            cover_end = e
            kept.append((s, e, si))
        return kept, dropped

    def _run_patterns(self, doc: "_Doc", anchors: list, ctx: set, by_topic: dict, careful: set,
                      bound: dict) -> None:
        """Try each pattern once, anchored where one of its anchor words starts (cheap); a pattern
        with requires_any is not even tried when none of its context words is in the document."""
        lower, text_start = None, doc.text_start
        found = {}
        for pi, cs in anchors:
            ti, si, rx = self._patterns[pi]
            requires = self._term_info[ti][si][1]
            if requires and ctx.isdisjoint(requires):
                continue
            if lower is None:
                lower = doc.lower()
            m = rx.match(lower, cs, text_start - 2 if cs < text_start else len(lower) - 1)
            if m is not None and m.end() > cs:
                found.setdefault((ti, si), set()).add((cs, m.end()))
        geo = self._geo
        for (ti, si), spans in found.items():
            by_topic.setdefault(ti, []).append((-1, si, sorted(spans)))
            careful.add(ti)
            n = len(spans) if len(spans) < len(geo) else len(geo) - 1
            bound[ti] = bound.get(ti, 0.0) + self._top_weight[ti][si] * geo[n]

    def _spans(self, ti: int, scored: dict, ctx: set, excl: dict, memo: dict) -> list[tuple[int, int]]:
        """Kept (start, end) spans of a topic, the first max_repeats of each term (later repeats
        add nothing to the score); a parent lifted by a child also shows the child's spans."""
        out = memo.get(ti)
        if out is not None:
            return out
        entry = scored[ti]
        cap = self._scoring.max_repeats
        if entry[7]:  # resolved by position while scoring
            per_term: dict[int, int] = {}
            out = []
            for s, e, si in entry[3]:
                n = per_term.get(si, 0)
                if n < cap:
                    per_term[si] = n + 1
                    out.append((s, e))
        else:
            info, keys = self._term_info[ti], self._keys
            by_term: dict[int, list] = {}
            for kid, si, es in entry[5]:
                _, requires, forbids = info[si]
                if (requires and ctx.isdisjoint(requires)) or (forbids and not ctx.isdisjoint(forbids)):
                    continue
                off = keys[kid].klen - 2
                spans = [(e - off, e) for e in es[:cap]]
                prev = by_term.get(si)
                by_term[si] = spans if prev is None else sorted(prev + spans)[:cap]
            out = [span for spans in by_term.values() for span in spans]
            out.sort()
        if entry[6] >= 0:
            out = sorted(set(out).union(self._spans(entry[6], scored, ctx, excl, memo)))
        memo[ti] = out
        return out

    def explain(self, title: str, text: str) -> dict[str, TopicCandidate]:
        """Every topic with any kept or dropped evidence, tagged or not, keyed by slug."""
        title, text = title or "", text or ""
        scored, doc, ctx, excl = self._score(title, text, True)
        out = {}
        for ti, entry in sorted(scored.items()):
            score, distinct, tagged, _, dropped = entry[:5]
            slug = self._topics[ti].slug
            dropped_ev = [(doc.evidence(slug, [(s, e)])[0], reason) for s, e, reason in dropped]
            reason = None
            if not tagged and entry[8]:
                reason = "passing-mention"
            elif not tagged and entry[10] >= 0:
                reason = f"yields to {self._topics[entry[10]].slug}"
            out[slug] = TopicCandidate(slug, score, distinct, tagged,
                                       doc.evidence(slug, self._spans(ti, scored, ctx, excl, {})), dropped_ev,
                                       reason)
        return out

    def tag_many(self, articles) -> list[TopicResult]:
        """tag() for many (title, text) pairs at once: the same results, faster per article from about
        16 articles up (a batch call has a fixed cost of ~0.3 ms, so smaller lists go one by one)."""
        articles = list(articles)
        if len(articles) < _MIN_BATCH:
            return [self.tag(title, text) for title, text in articles]
        return self.batch_tagger().tag_many(articles)

    def batch_tagger(self):
        """The array-based tagger behind tag_many, built on first use."""
        batch = self.__dict__.get("_batch")
        if batch is None:
            from pipelines.core.topic_batch import BatchTagger  # numpy: loaded only by batch users
            batch = self._batch = BatchTagger(self)
        return batch

    def tag(self, title: str, text: str) -> TopicResult:
        title, text = title or "", text or ""
        scored, doc, ctx, excl = self._score(title, text, False)
        topics_ = self._topics
        tagged = [(v[0], topics_[ti].slug, ti) for ti, v in scored.items() if v[2]]
        if not tagged:
            return TopicResult(topics=[], primary_topic=None, scores={}, evidence=[])
        tagged.sort(key=lambda x: (-x[0], x[1]))  # best first, ties in slug order
        evidence: list[Evidence] = []
        memo: dict[int, list] = {}
        for _, slug, ti in tagged:
            evidence.extend(doc.evidence(slug, self._spans(ti, scored, ctx, excl, memo)))
        topics = [slug for _, slug, _ in tagged]
        return TopicResult(topics=topics, primary_topic=topics[0],
                           scores={slug: score for score, slug, _ in tagged}, evidence=evidence)


class _NearContext:
    """Where one article's near-context phrases occur, for terms with `near`."""
    __slots__ = ("norm", "text_start", "ends", "exact", "keys", "ctx_kids", "memo", "word_starts", "word_ends")

    def __init__(self, matcher: TopicMatcher, doc: "_Doc", ends: dict, exact: dict | None):
        self.norm, self.text_start = doc.norm, doc.text_start
        self.ends, self.exact = ends, exact or {}
        self.keys = matcher._keys
        self.ctx_kids = matcher._ctx_kids
        self.memo: dict[int, list] = {}
        self.word_starts = self.word_ends = None

    def words_between(self, lo: int, hi: int) -> int:
        """How many words have characters in norm[lo:hi] (len(norm[lo:hi].split()), by bisection: a gap
        can be most of a long article)."""
        if lo >= hi:
            return 0
        if self.word_starts is None:
            spans = [m.span() for m in _WORD.finditer(self.norm)]
            self.word_starts, self.word_ends = [s for s, _ in spans], [e for _, e in spans]
        return bisect_left(self.word_starts, hi) - bisect_right(self.word_ends, lo)

    def spans(self, cid: int) -> list[tuple[int, int]]:
        out = self.memo.get(cid)
        if out is None:
            out = list(self.exact.get(cid, ()))
            for kid in self.ctx_kids.get(cid, ()):
                es = self.ends.get(kid)
                if es:
                    off = self.keys[kid].klen - 2
                    out.extend((e - off, e) for e in es)
            self.memo[cid] = out
        return out

    def found(self, ids, s: int, e: int, n: int) -> bool:
        """One of the contexts ids occurs in the hit's field with at most n words between it and [s, e)."""
        ts = self.text_start
        title = s < ts
        for cid in ids:
            for cs, ce in self.spans(cid):
                if (cs < ts) != title:
                    continue
                if ce <= s:
                    lo, hi = ce, s
                elif cs >= e:
                    lo, hi = e, cs
                else:  # overlapping the hit
                    return True
                if self.words_between(lo, hi) <= n:
                    return True
        return False


def _breaks(text: bytes):
    """The breaks between a text's pieces: blank or indented lines where it has any, else every line break."""
    return (_PARA_BREAK if _HAS_PARA_BREAK.search(text) is not None else _LINE_BREAK).finditer(text)


def piece_starts(text: bytes) -> list[int]:
    """Where each piece of a text after the first starts, as TopicMatcher._paragraphs cuts it (no word counts)."""
    return [m.end() for m in _breaks(text)]


def own_paragraph(cuts: list[int], need: int, own, other) -> bool:
    """Some piece of a text (cuts: where each piece after the first starts) holds at least `need` of the text
    offsets `own` and none of `other` (title hits, at negative offsets, are in no piece)."""
    count: dict[int, int] = {}
    for o in own:
        if o >= 0:
            piece = bisect_right(cuts, o)
            count[piece] = count.get(piece, 0) + 1
    busy = {bisect_right(cuts, o) for o in other if o >= 0}
    return any(n >= need and piece not in busy for piece, n in count.items())


class _Doc:
    """One article's normalised copy. It is built from an ASCII image of the str with one byte per
    character (every non-ASCII character becomes "?", then a space), so its offsets are the str
    offsets plus one and evidence needs no byte-to-character mapping."""
    __slots__ = ("title", "text", "raw", "norm", "text_start", "paragraphs")

    def __init__(self, title: str, text: str):
        self.title, self.text = title, text
        # two separators: no phrase spans title and text
        raw = (title + "\n\n" + text).encode("ascii", "replace")
        self.raw = raw
        self.norm = " " + raw.translate(_FOLD).decode("ascii") + " "
        self.text_start = len(title) + 3  # norm offset of the text's first character
        self.paragraphs = None  # (count, piece starts) of the text, worked out when a rule needs them

    def keep_case(self) -> bytes:
        return b" " + self.raw.translate(_KEEP_CASE) + b" "

    def lower(self) -> str:
        return " " + self.raw.translate(_LOWER).decode("ascii") + " "

    def bounds(self, zone_bounds) -> tuple[int, int, int]:
        """(text start, lead end, tail start) as norm offsets."""
        lead_end, tail_start = zone_bounds(self.raw[self.text_start - 1:])
        return self.text_start, self.text_start + lead_end, self.text_start + tail_start

    def evidence(self, slug: str, spans) -> list[Evidence]:
        """Evidence for norm-offset spans, with str offsets into the title or the text."""
        title, text, ts = self.title, self.text, self.text_start
        new = tuple.__new__
        return [new(Evidence, (slug, title[s - 1:e - 1], "title", s - 1, e - 1)) if s < ts
                else new(Evidence, (slug, text[s - ts:e - ts], "text", s - ts, e - ts)) for s, e in spans]
