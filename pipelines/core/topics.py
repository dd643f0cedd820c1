"""Topic tagging: load/validate the YAML taxonomy and match articles against it (Beam-free)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "taxonomy" / "topics.yaml"

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IPTC_RE = re.compile(r"^medtop:\d{8}$")
_ZONES = ("title", "lead", "body", "tail")
_TOPIC_KEYS = {
    "slug", "label", "description", "iptc_code", "iptc_note", "parent", "propagate_to_parent",
    "min_score", "min_evidence", "terms", "exclusions",
}
_TERM_KEYS = {"phrase", "pattern", "label", "weight", "case", "inflect", "variants",
              "requires_any", "forbids_any"}
_SCORING_KEYS = {"zone_weights", "lead_paragraphs", "lead_min_words", "tail_fraction",
                 "repeat_decay", "max_repeats"}
_PARA_BREAK = re.compile(r"\n[ \t\r]*\n|\n(?=[ \t])")


class TaxonomyError(ValueError):
    """A malformed taxonomy file; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class Evidence:
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


@dataclass(frozen=True)
class Scoring:
    zone_weights: dict[str, float]
    lead_paragraphs: int
    lead_min_words: int
    tail_fraction: float
    repeat_decay: float
    max_repeats: int


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


class _Loader(yaml.SafeLoader):
    pass


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

    def context_ids(self, items, line: int, where: str) -> tuple[int, ...]:
        if items is None:
            return ()
        if not isinstance(items, list):
            self.fail(line, f"{where}: context must be a list")
        ids = []
        for item, item_line in zip(items, items.item_lines):
            form, exact = self.phrase_spec(item, item_line, where)
            for f in expand_forms(form, [], inflect=False):
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
        return Scoring({z: float(zw[z]) for z in _ZONES}, ints["lead_paragraphs"],
                       ints["lead_min_words"], float(tail), float(decay), ints["max_repeats"])

    def term(self, raw, line: int, where: str) -> Term:
        if not isinstance(raw, dict):
            self.fail(line, f"{where}: a term must be a mapping with 'phrase' or 'pattern'")
        self.check_keys(raw, _TERM_KEYS, where)
        if ("phrase" in raw) == ("pattern" in raw):
            self.fail(raw.line, f"{where}: a term needs exactly one of 'phrase' or 'pattern'")
        weight = self.need(raw, "weight", (int, float), where)
        if weight <= 0:
            self.fail(raw.key_lines["weight"], f"{where}: weight must be > 0")
        requires = self.context_ids(raw.get("requires_any"), raw.key_lines.get("requires_any", raw.line), where)
        forbids = self.context_ids(raw.get("forbids_any"), raw.key_lines.get("forbids_any", raw.line), where)
        if "pattern" in raw:
            pattern = self.need(raw, "pattern", str, where)
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                self.fail(raw.key_lines["pattern"], f"{where}: bad regex {pattern!r}: {exc}")
            if re.compile(pattern).groups:
                self.fail(raw.key_lines["pattern"], f"{where}: use (?:...) groups only in patterns")
            if re.compile(pattern).match(""):
                self.fail(raw.key_lines["pattern"], f"{where}: pattern matches the empty string")
            label = self.opt(raw, "label", str, pattern, where)
            return Term(label, float(weight), (), False, pattern, requires, forbids)
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
        label = self.opt(raw, "label", str, phrase, where)
        return Term(label, float(weight), forms, case == "exact", None, requires, forbids)

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
        raw_excl = self.opt(raw, "exclusions", list, [], where)
        exclusions = []
        for item, item_line in zip(raw_excl, getattr(raw_excl, "item_lines", [])):
            form, exact = self.phrase_spec(item, item_line, f"{where} exclusions")
            exclusions.extend((f, exact) for f in expand_forms(form, [], inflect=not exact))
        return Topic(
            slug=slug, label=label,
            description=self.opt(raw, "description", str, "", where),
            iptc_code=iptc, iptc_note=self.opt(raw, "iptc_note", str, None, where),
            parent=self.opt(raw, "parent", str, None, where),
            propagate_to_parent=self.opt(raw, "propagate_to_parent", bool, False, where),
            min_score=float(min_score), min_evidence=min_evidence,
            terms=terms, exclusions=tuple(dict.fromkeys(exclusions)),
        )

    def build(self, raw) -> Taxonomy:
        if not isinstance(raw, dict):
            self.fail(1, "the taxonomy must be a mapping with 'version', 'scoring' and 'topics'")
        self.check_keys(raw, {"version", "scoring", "topics"}, "taxonomy")
        version = raw.get("version")
        if not isinstance(version, (str, int, float)) or isinstance(version, bool) or str(version).strip() == "":
            self.fail(raw.key_lines.get("version", raw.line), "missing or empty 'version'")
        scoring = self.scoring(self.need(raw, "scoring", dict, "taxonomy"))
        raw_topics = self.need(raw, "topics", list, "taxonomy")
        if not raw_topics:
            self.fail(raw.key_lines["topics"], "no topics defined")
        topics, lines = [], {}
        for item, line in zip(raw_topics, raw_topics.item_lines):
            t = self.topic(item, line)
            if t.slug in lines:
                self.fail(line, f"duplicate topic slug {t.slug!r} (first at line {lines[t.slug]})")
            lines[t.slug] = line
            topics.append(t)
        for t in topics:
            if t.parent is not None and t.parent not in lines:
                self.fail(lines[t.slug], f"topic {t.slug!r}: unknown parent {t.parent!r}")
            if t.propagate_to_parent and t.parent is None:
                self.fail(lines[t.slug], f"topic {t.slug!r}: propagate_to_parent needs a parent")
            seen, cur = {t.slug}, t.parent
            while cur is not None:
                if cur in seen:
                    self.fail(lines[t.slug], f"topic {t.slug!r}: parent cycle through {cur!r}")
                seen.add(cur)
                cur = next(x.parent for x in topics if x.slug == cur)
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

_TERM, _CTX, _EXCL = 0, 1, 2


@dataclass
class TopicCandidate:
    """Why a topic did or did not get tagged (for evaluation and review)."""
    slug: str
    score: float
    distinct_terms: int
    tagged: bool
    evidence: list[Evidence] = field(default_factory=list)
    dropped: list[tuple[Evidence, str]] = field(default_factory=list)


class TopicMatcher:
    """Tags articles with taxonomy topics. Automaton and regexes are built once here."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self._scoring = taxonomy.scoring
        self._slugs = [t.slug for t in taxonomy.topics]
        self._index = {s: i for i, s in enumerate(self._slugs)}
        insensitive: dict[str, list[tuple]] = {}
        exact: dict[str, list[tuple]] = {}
        patterns: list[str] = []
        self._pattern_owner: list[tuple[int, int]] = []

        def add(form: str, is_exact: bool, payload: tuple):
            table = exact if is_exact else insensitive
            table.setdefault(form if is_exact else form.lower(), []).append(payload)

        for ti, topic in enumerate(taxonomy.topics):
            for si, term in enumerate(topic.terms):
                if term.pattern is not None:
                    patterns.append(f"(?P<p{len(self._pattern_owner)}>{term.pattern})")
                    self._pattern_owner.append((ti, si))
                for form in term.forms:
                    add(form, term.exact_case, (_TERM, ti, si))
            for form, is_exact in topic.exclusions:
                add(form, is_exact, (_EXCL, ti, 0))
        for cid, (form, is_exact) in enumerate(taxonomy.contexts):
            add(form, is_exact, (_CTX, cid, 0))

        self._automaton = ahocorasick.Automaton()
        for key in sorted(insensitive):
            self._automaton.add_word(key, (len(key), tuple(insensitive[key])))
        self._automaton.make_automaton()
        self._exact = {k: tuple(v) for k, v in exact.items()}
        if exact:
            alternation = "|".join(re.escape(k) for k in sorted(exact, key=lambda k: (-len(k), k)))
            self._exact_re = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        else:
            self._exact_re = None
        self._pattern_re = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    # -- scanning

    def _scan(self, s: str, field_no: int, hits: list, excl: list, ctx: set) -> None:
        low = s.lower()
        if len(low) != len(s):  # rare Unicode case folds that change length; keep offsets aligned
            low = "".join(c.lower()[0] for c in s)
        n = len(low)
        for end, (klen, payloads) in self._automaton.iter(low):
            start = end - klen + 1
            if start > 0 and low[start - 1].isalnum():
                continue
            if end + 1 < n and low[end + 1].isalnum():
                continue
            self._dispatch(payloads, field_no, start, end + 1, hits, excl, ctx)
        if self._exact_re is not None:
            exact = self._exact
            for m in self._exact_re.finditer(s):
                self._dispatch(exact[m.group()], field_no, m.start(), m.end(), hits, excl, ctx)
        if self._pattern_re is not None:
            owner = self._pattern_owner
            for m in self._pattern_re.finditer(s):
                ti, si = owner[int(m.lastgroup[1:])]
                hits.append((ti, si, field_no, m.start(), m.end()))

    @staticmethod
    def _dispatch(payloads, field_no, start, end, hits, excl, ctx):
        for kind, a, b in payloads:
            if kind == _TERM:
                hits.append((a, b, field_no, start, end))
            elif kind == _CTX:
                ctx.add(a)
            else:
                excl.append((a, field_no, start, end))

    def _zone_bounds(self, text: str) -> tuple[int, int]:
        """(lead_end, tail_start) offsets in text."""
        sc = self._scoring
        lead_end, count, prev, pos = 0, 0, None, 0
        if sc.lead_paragraphs > 0 and text:
            breaks = _PARA_BREAK if ("\n\n" in text or "\n " in text or "\n\t" in text) else None
            it = breaks.finditer(text) if breaks else re.finditer(r"\n", text)
            for m in [*it, None]:
                stop = m.start() if m is not None else len(text)
                para = " ".join(text[pos:stop].split())
                if len(para.split(" ")) >= sc.lead_min_words and para != prev:
                    count += 1
                    prev = para
                    lead_end = stop
                    if count >= sc.lead_paragraphs:
                        break
                if m is None:
                    break
                pos = m.end()
        tail_start = max(int(len(text) * sc.tail_fraction), lead_end)
        return lead_end, tail_start

    # -- scoring

    def explain(self, title: str, text: str) -> dict[str, TopicCandidate]:
        """Every topic with any surviving or dropped evidence, tagged or not."""
        title = title or ""
        text = text or ""
        hits: list = []
        excl: list = []
        ctx: set = set()
        self._scan(title, 0, hits, excl, ctx)
        self._scan(text, 1, hits, excl, ctx)
        if not hits:
            return {}
        sc = self._scoring
        zw = sc.zone_weights
        lead_end, tail_start = self._zone_bounds(text)
        fields = (title, text)
        names = ("title", "text")
        by_topic: dict[int, list] = {}
        for h in hits:
            by_topic.setdefault(h[0], []).append(h)
        excl_by_topic: dict[int, list] = {}
        for ti, f, s, e in excl:
            excl_by_topic.setdefault(ti, []).append((f, s, e))

        out: dict[str, TopicCandidate] = {}
        for ti in sorted(by_topic):
            topic = self.taxonomy.topics[ti]
            spans = excl_by_topic.get(ti, ())
            # longest match first so a phrase hides the shorter terms inside it
            topic_hits = sorted(set(by_topic[ti]), key=lambda h: (h[2], h[3], -(h[4] - h[3]), h[1]))
            cand = TopicCandidate(topic.slug, 0.0, 0, False)
            cover_field, cover_end = -1, -1
            per_term: dict[int, list[float]] = {}
            for _, si, f, s, e in topic_hits:
                ev = Evidence(topic.slug, fields[f][s:e], names[f], s, e)
                term = topic.terms[si]
                if any(f == ef and s < ee and e > es for ef, es, ee in spans):
                    cand.dropped.append((ev, "exclusion"))
                    continue
                if f == cover_field and e <= cover_end:  # hits are sorted by start, longest first
                    cand.dropped.append((ev, "inside-longer-match"))
                    continue
                if term.requires_any and not ctx.intersection(term.requires_any):
                    cand.dropped.append((ev, "missing-context"))
                    continue
                if term.forbids_any and ctx.intersection(term.forbids_any):
                    cand.dropped.append((ev, "forbidden-context"))
                    continue
                if f != cover_field or e > cover_end:
                    cover_field, cover_end = f, e
                if f == 0:
                    zone = zw["title"]
                elif s < lead_end:
                    zone = zw["lead"]
                elif s >= tail_start:
                    zone = zw["tail"]
                else:
                    zone = zw["body"]
                per_term.setdefault(si, []).append(zone)
                cand.evidence.append(ev)
            score = 0.0
            for si in sorted(per_term):
                zones = sorted(per_term[si], reverse=True)[: sc.max_repeats]
                score += topic.terms[si].weight * sum(z * sc.repeat_decay ** i for i, z in enumerate(zones))
            cand.score = round(score, 4)
            cand.distinct_terms = len(per_term)
            cand.tagged = cand.score >= topic.min_score and cand.distinct_terms >= topic.min_evidence
            out[topic.slug] = cand

        for topic in self.taxonomy.topics:  # a tagged child lifts its parent (e.g. rare earths)
            child = out.get(topic.slug)
            if topic.propagate_to_parent and child is not None and child.tagged:
                parent = out.setdefault(topic.parent, TopicCandidate(topic.parent, 0.0, 0, False))
                if not parent.tagged:
                    parent.tagged = True
                    parent.score = max(parent.score, child.score)
                    parent.evidence.extend(Evidence(topic.parent, e.phrase, e.field, e.start, e.end)
                                           for e in child.evidence)
        return out

    def tag(self, title: str, text: str) -> TopicResult:
        cands = self.explain(title, text)
        tagged = sorted((c for c in cands.values() if c.tagged), key=lambda c: (-c.score, c.slug))
        topics = [c.slug for c in tagged]
        evidence = []
        for c in tagged:
            evidence.extend(sorted(c.evidence, key=lambda e: (e.field != "title", e.start, e.end)))
        return TopicResult(
            topics=topics,
            primary_topic=topics[0] if topics else None,
            scores={c.slug: c.score for c in tagged},
            evidence=evidence,
        )
