"""The batch tagger builds TopicResults and row columns from the same rows; its sorts pack one key or fall
back to lexsort, with the same results either way."""
import dataclasses
import random

import numpy as np
import pytest

from bench.synth import generate_records
from pipelines.core import topic_batch
from pipelines.core.tagging import MAX_BATCH, result_columns
from tests.core.taxonomy_yaml import scoring
from pipelines.core.topics import TopicMatcher, load_taxonomy
from tests.core.test_topics import (AI_ROUND, BATCH_EDGES, CHIPMAKERS_SCRAMBLE, GALLIUM_BAN, LIFT_SAMPLE, NEAR,
                                    NEAR_SAMPLES, PASSING, PASSING_SAMPLES, PRUNING_SAMPLES, SAMPLES, YIELD_SAMPLES,
                                    YIELDS, _wire_stories, _write, needs_wire_text)

# three levels: a tagged grandchild lifts its parent, which lifts its own parent; "magnet" is a term of all
# three, so a lifted topic's own spans and its child's overlap
CHAIN = """version: "chain1"
""" + scoring(max_repeats=2) + """topics:
  - slug: neodymium
    label: Neodymium
    iptc_code: medtop:04000001
    parent: rare-earths
    propagate_to_parent: true
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: neodymium, weight: 1.0}
      - {phrase: magnet, weight: 0.5}
  - slug: rare-earths
    label: Rare earths
    iptc_code: medtop:04000002
    parent: minerals
    propagate_to_parent: true
    min_score: 6.0
    min_evidence: 2
    terms:
      - {phrase: rare earth, weight: 1.0}
      - {phrase: magnet, weight: 1.0}
  - slug: minerals
    label: Minerals
    iptc_code: medtop:04000003
    parent: null
    min_score: 6.0
    min_evidence: 2
    terms:
      - {phrase: mine, weight: 1.0}
      - {phrase: magnet, weight: 1.0}
      - {phrase: rare earth mine, weight: 2.0}
"""


def _chain_articles(n: int) -> list[tuple[str, str]]:
    rng = random.Random(13)
    words = ["neodymium", "Magnet", "magnets", "rare earth", "Rare Earth mine", "mine", "the", "prices", "rose",
             "\n\n", "\u2019s", "and"]

    def part(k):
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, k)))
    return [(part(6), part(60)) for _ in range(n)]


def _iptc(m):
    return {t.slug: t.iptc_code for t in m.taxonomy.topics}


def _assert_both_forms_equal_tag(m, pairs):
    """tag_many equals tag() article by article; columns_many equals the columns of those results, bit
    for bit (both result forms of the batch tagger against the one-article reference)."""
    bt, iptc = m.batch_tagger(), _iptc(m)
    expected = [m.tag(t, x) for t, x in pairs]
    assert bt.tag_many(pairs) == expected
    columns = bt.columns_many(pairs, iptc)
    assert columns == [result_columns(r, iptc) for r in expected]
    assert [[s["score"].hex() for s in c[2]] for c in columns] == [[s.hex() for s in r.scores.values()]
                                                                 for r in expected]
    return expected


def _assert_batches_equal_tag(m, pairs) -> list:
    """_assert_both_forms_equal_tag over pairs cut into the stage's batches; tag()'s results, in order."""
    results = []
    for i in range(0, len(pairs), MAX_BATCH):
        results += _assert_both_forms_equal_tag(m, pairs[i:i + MAX_BATCH])
    return results


def test_lift_chains_show_every_level_s_spans_once(tmp_path):
    m = TopicMatcher(load_taxonomy(_write(tmp_path, CHAIN)))
    pairs = _chain_articles(300)
    results = _assert_both_forms_equal_tag(m, pairs)
    chained = [r for r in results if "minerals" in r.topics and "neodymium" in r.topics
               and any(e.topic == "minerals" and e.phrase.lower() == "neodymium" for e in r.evidence)]
    assert chained  # the grandchild's spans reach the top of the chain
    assert any(e.topic == "minerals" and e.phrase.lower() == "magnet" for r in chained for e in r.evidence)


@pytest.mark.parametrize("packed", [True, False])
def test_sort_order_is_a_stable_sort_by_the_columns(packed, monkeypatch):
    if not packed:
        monkeypatch.setattr(topic_batch, "_PACKED_LIMIT", 0)
    rng = random.Random(14)
    bounds = (7, 3, 50, 4)
    rows = [tuple(rng.randrange(b) for b in bounds) for _ in range(3000)]  # many ties
    columns = tuple(np.array(c, dtype=np.int64) for c in zip(*rows))
    order = topic_batch._sort_order(columns, bounds)
    assert order.tolist() == sorted(range(len(rows)), key=rows.__getitem__)


def test_the_lexsort_fallback_gives_the_same_results(matcher, tmp_path, monkeypatch):
    """Keys too wide to pack (not reached by today's batches) take lexsort through the whole tagger."""
    monkeypatch.setattr(topic_batch, "_PACKED_LIMIT", 0)
    recs = generate_records(120, seed=15, dup_rate=0.0)
    pairs = SAMPLES + PRUNING_SAMPLES + BATCH_EDGES + [LIFT_SAMPLE] + [(r["title"], r["text"]) for r in recs]
    results = _assert_both_forms_equal_tag(matcher, pairs)
    assert sum(len(r.evidence) for r in results) > len(pairs)
    _assert_both_forms_equal_tag(TopicMatcher(load_taxonomy(_write(tmp_path, CHAIN))), _chain_articles(100))


def test_both_result_forms_on_synthetic_news(matcher):
    recs = generate_records(600, seed=16, dup_rate=0.0)
    pairs = [(r["title"], r["text"]) for r in recs]
    results = _assert_batches_equal_tag(matcher, pairs)
    assert sum(len(r.topics) > 1 for r in results) > len(pairs) // 10
    assert sum(len(r.evidence) for r in results) > 5 * len(pairs)



def test_fill_rows_writes_columns_many_into_the_rows(matcher):
    """fill_rows: the rows get columns_many's columns and the version; a batch with nothing tagged gets empty ones."""
    bt, iptc = matcher.batch_tagger(), _iptc(matcher)
    recs = generate_records(80, seed=5, dup_rate=0.0)
    pairs = [(r["title"], r["text"]) for r in recs] + [(None, "Rare earth prices rose again."), ("", None)]
    rows = [{"title": t, "text": x} for t, x in pairs]
    bt.fill_rows(rows, iptc, "v-test")
    assert [(r["topics"], r["primary_topic"], r["topic_scores"], r["topic_evidence"]) for r in rows] == \
        bt.columns_many(pairs, iptc)
    assert {r["taxonomy_version"] for r in rows} == {"v-test"} and sum(bool(r["topics"]) for r in rows) > 40
    untagged = [{"title": "Weather", "text": "Sunny spells and light winds."}, {"title": None, "text": ""}]
    bt.fill_rows(untagged, iptc, "v-test")
    assert [(r["topics"], r["primary_topic"], r["topic_scores"], r["topic_evidence"], r["taxonomy_version"])
            for r in untagged] == [([], None, [], [], "v-test")] * 2


@needs_wire_text
def test_both_result_forms_on_real_wire_stories(matcher):
    pairs = _wire_stories(1024)
    _assert_batches_equal_tag(matcher, pairs)


# ---------------------------------------------------------------- contexts near the match


def _with_near(taxonomy, first: int):
    """The taxonomy with `near` (0 to 6 words, in turn) on every term that has context rules."""
    k, topics = first, []
    for topic in taxonomy.topics:
        terms = []
        for term in topic.terms:
            if term.requires_any or term.forbids_any:
                term, k = dataclasses.replace(term, near=k % 7), k + 1
            terms.append(term)
        topics.append(dataclasses.replace(topic, terms=tuple(terms)))
    return dataclasses.replace(taxonomy, topics=topics)


def _near_soup(n: int) -> list[tuple[str, str]]:
    """Invented word soup around the NEAR taxonomy's phrases and contexts, with punctuation and non-ASCII."""
    rng = random.Random(17)
    words = ["agent", "agents", "software", "AI", "ai", "coding tool", "travel", "estate", "deploy", "bot",
             "coding", "assistant", "inference", "GPU", "chip", "price", "prices", "oil", "cost", "computer",
             "the", "a", "of", "U.S.", "\u2014", "\u201cnew\u201d", "and", ",", ".", "\n\n"]

    def part(k):
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, k)))
    return [(part(6), part(80)) for _ in range(n)]


def test_near_rules_agree_on_invented_text(tmp_path):
    m = TopicMatcher(load_taxonomy(_write(tmp_path, NEAR)))
    pairs = [(t, x) for t, x, _ in NEAR_SAMPLES] + _near_soup(400)
    results = _assert_both_forms_equal_tag(m, pairs)
    dropped = [m.explain(t, x) for t, x in pairs[:200]]
    reasons = {r for e in dropped for c in e.values() for _, r in c.dropped}
    assert {"missing-context-near", "forbidden-context-near"} <= reasons  # both rules were exercised
    assert 0 < sum(bool(r.topics) for r in results) < len(results)


def test_near_on_the_default_taxonomy_agrees_on_synthetic_news(matcher):
    recs = generate_records(500, seed=18, dup_rate=0.0)
    pairs = [(r["title"], r["text"]) for r in recs]
    for first in (0, 3):
        near = TopicMatcher(_with_near(matcher.taxonomy, first))
        results = _assert_batches_equal_tag(near, pairs)
        # the rules bite: some tags differ from the document-wide contexts'
        assert [r.topics for r in results] != [matcher.tag(t, x).topics for t, x in pairs]


@needs_wire_text
def test_near_on_the_default_taxonomy_agrees_on_real_wire_stories(matcher):
    pairs = _wire_stories(1024)
    near = TopicMatcher(_with_near(matcher.taxonomy, 1))
    _assert_batches_equal_tag(near, pairs)


# ---------------------------------------------------------------- passing mentions


def test_batch_tagger_drops_passing_mentions(tmp_path):
    m = TopicMatcher(load_taxonomy(_write(tmp_path, PASSING)))
    pairs = [(t, x) for t, x, _ in PASSING_SAMPLES]
    results = _assert_both_forms_equal_tag(m, pairs * 2)
    assert [r.topics for r in results] == [topics for _, _, topics in PASSING_SAMPLES] * 2


def _with_passing(taxonomy, seed: int):
    """The taxonomy with a passing_paragraphs default and random per-topic overrides (some off)."""
    rng = random.Random(seed)
    topics = [dataclasses.replace(t, passing_paragraphs=rng.choice([None, None, 0, 2, 3, 5])) for t in taxonomy.topics]
    scoring = dataclasses.replace(taxonomy.scoring, passing_paragraphs=rng.choice([1, 3, 4]))
    return dataclasses.replace(taxonomy, topics=topics, scoring=scoring)


def _paragraph_soup(n: int, seed: int) -> list[tuple[str, str]]:
    """Invented stories of 1-8 paragraphs, some short, split by blank lines, indents or line breaks, with the
    default taxonomy's phrases scattered over a few of them."""
    rng = random.Random(seed)
    topical = ["tariffs", "AI", "chatbot", "chip", "semiconductor", "rare earths", "export controls", "5G", "oil",
               "election", "neodymium", "lithium", "trade talks", "Nvidia", "goal"]
    plain = ["the", "council", "said", "on", "Tuesday", "that", "pupils", "and", "parents", "would", "meet", "’s"]

    def paragraph():
        words = [rng.choice(plain) for _ in range(rng.randint(1, 25))]
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            words.insert(rng.randrange(len(words) + 1), rng.choice(topical))
        return " ".join(words) + "."
    out = []
    for _ in range(n):
        sep = rng.choice(["\n\n", "\n", "\n  ", "\n \n"])
        out.append((rng.choice(["", "Council meets", "AI chip tariffs", "School news"]),
                    sep.join(paragraph() for _ in range(rng.randint(1, 8)))))
    return out


def test_passing_rule_agrees_on_invented_paragraphs(matcher):
    pairs = _paragraph_soup(600, seed=21)
    off = TopicMatcher(dataclasses.replace(
        matcher.taxonomy, scoring=dataclasses.replace(matcher.taxonomy.scoring, passing_paragraphs=0),
        topics=[dataclasses.replace(t, passing_paragraphs=None) for t in matcher.taxonomy.topics]))
    without = sum(len(off.tag(t, x).topics) for t, x in pairs)
    for seed in (1, 2, 3):
        m = TopicMatcher(_with_passing(matcher.taxonomy, seed))
        results = _assert_batches_equal_tag(m, pairs)
        # the rule bites: some tags of the taxonomy without it are gone
        assert sum(len(r.topics) for r in results) < without


def test_passing_rule_agrees_on_synthetic_news(matcher):
    recs = generate_records(400, seed=22, dup_rate=0.0)
    pairs = [(r["title"], r["text"]) for r in recs]
    m = TopicMatcher(_with_passing(matcher.taxonomy, 4))
    _assert_batches_equal_tag(m, pairs)


@needs_wire_text
def test_passing_rule_agrees_on_real_wire_stories(matcher):
    pairs = _wire_stories(1024)
    m = TopicMatcher(_with_passing(matcher.taxonomy, 5))
    _assert_batches_equal_tag(m, pairs)


# ---------------------------------------------------------------- yields


def test_batch_tagger_applies_yields(tmp_path):
    m = TopicMatcher(load_taxonomy(_write(tmp_path, YIELDS)))
    pairs = [(t, x) for t, x, _ in YIELD_SAMPLES]
    results = _assert_both_forms_equal_tag(m, pairs * 3)
    assert [r.topics for r in results] == [topics for _, _, topics in YIELD_SAMPLES] * 3


def test_default_yields_agree_on_invented_stories(matcher):
    results = _assert_both_forms_equal_tag(matcher, [GALLIUM_BAN, AI_ROUND, CHIPMAKERS_SCRAMBLE] * 6)
    assert ["semiconductors" in r.topics for r in results[:3]] == [False, False, True]


_NAMED = ["rare-earths", "critical-minerals", "semiconductors", "export-controls", "trade-tariffs",
          "artificial-intelligence", "telecom"]


def _with_yields(taxonomy, seed: int):
    """The taxonomy with random yields among the named topics: some ratios below 1, some score caps, pairs that
    yield to each other, a child that lifts its parent yielding or yielded to, terms and paragraphs that keep a
    topic."""
    rng = random.Random(seed)
    labels = {t.slug: [term.label for term in t.terms] for t in taxonomy.topics}
    entries = []
    for topic in rng.sample(_NAMED, 4):
        to = rng.sample([t for t in _NAMED if t != topic], rng.randint(1, 3))
        keep = tuple(rng.sample(labels[topic], rng.choice([0, 0, 3, 10])))  # terms that keep it (r22)
        entries.append((topic, tuple(to), rng.choice([0.5, 1.0, 1.25, 1.5, 2.0]), rng.choice([0.0, 0.0, 1.5, 3.0]),
                        keep, rng.choice([0, 0, 2, 3])))
    return dataclasses.replace(taxonomy, scoring=dataclasses.replace(taxonomy.scoring, yields=tuple(entries)))


def test_random_yields_agree_on_invented_paragraphs(matcher):
    pairs = _paragraph_soup(600, seed=31)
    before = sum(len(r.topics) for r in matcher.tag_many(pairs))
    for seed in (1, 2, 3, 4):
        m = TopicMatcher(_with_yields(matcher.taxonomy, seed))
        results = _assert_batches_equal_tag(m, pairs)
        assert sum(len(r.topics) for r in results) < before  # the yields bite


def test_random_yields_agree_on_synthetic_news(matcher):
    recs = generate_records(400, seed=32, dup_rate=0.0)
    pairs = [(r["title"], r["text"]) for r in recs]
    _assert_batches_equal_tag(TopicMatcher(_with_yields(matcher.taxonomy, 5)), pairs)


@needs_wire_text
def test_random_yields_agree_on_real_wire_stories(matcher):
    pairs = _wire_stories(1024)
    for seed in (6, 7):
        _assert_batches_equal_tag(TopicMatcher(_with_yields(matcher.taxonomy, seed)), pairs)


# ---------------------------------------------------------------- pattern tries


@pytest.mark.parametrize("pattern,words", [
    # the parser moves a branch's common start before it ('s' of sales/supply/...): joined again
    (r"bans?\s+(?:the\s+)?(?:sales?|supply|supplies|shipments?)\s+of", ("sale", "shipment", "supplies", "supply")),
    (r"imposed\s+(?:\w+\s+){0,3}?(?=dut(?:y|ies)\b)", ("duties", "duty")),  # inside a lookahead
    (r"curbs?\s+(?:restrict|restrain)", ("restr",)),  # a common start long enough is a word of its own
    # nine words still make a group (one per alternative, 'earth' of 'rare earth')
    (r"licen[cs]es?\s+for\s+(?:rare\s+earths?|magnets?|chips?|semiconductors?|minerals?|gallium|germanium|"
     r"graphite|technology)\b",
     ("chip", "earth", "gallium", "germanium", "graphite", "magnet", "mineral", "semiconductor", "technology")),
    # past ten words a group still counts (checked with the others), up to _MAX_WORDS
    (r"curbs?\s+(?:alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliet|kilo)",
     ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo")),
    (r"curbs?\s+(?:" + "|".join(f"w{i:02d}xx" for i in range(topic_batch._MAX_WORDS + 1)) + ")", None),  # too many
])
def test_required_words_of_factored_and_wide_branches(pattern, words):
    import re

    assert topic_batch.required_words(re.compile(pattern, re.IGNORECASE)) == words


TRIES = """version: "tries1"
""" + scoring() + """topics:
  - slug: gizmos
    label: Gizmos
    iptc_code: medtop:04000001
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {pattern: 'maker\\s+(?:of\\s+)?(?:gizmos?|gadgets?)', weight: 1.0, anchors: [maker, maker of]}
      - {pattern: 'bans?\\s+(?:on\\s+)?(?:sales?|supply|shipments?)\\s+of\\s+gizmos', weight: 1.0, anchors: [ban, bans]}
  - slug: chips
    label: Chips
    iptc_code: medtop:04000002
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {pattern: '(?-i:us)\\s+chips?', weight: 1.0, anchors: [us]}
"""


def _tries_soup(n: int) -> list[tuple[str, str]]:
    rng = random.Random(23)
    words = ["maker", "Maker of", "MAKER", "of", "gizmo", "Gizmos", "gadget", "ban", "Bans on", "sale", "Supply",
             "shipments", "US", "us", "Us", "chip", "Chips", "the", "\u2019s", "\n\n", ","]

    def part(k):
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, k)))
    return [(part(5), part(50)) for _ in range(n)]


def test_pattern_tries_on_mixed_case_text_agree(tmp_path):
    """Patterns match the batch's original-case text when all of them ignore case, its lower-cased copy when one
    turns case back on; two anchors starting at one place ('maker', 'maker of') find one span."""
    m = TopicMatcher(load_taxonomy(_write(tmp_path, TRIES)))
    assert not m.batch_tagger().case_blind
    results = _assert_both_forms_equal_tag(m, [("", "The US chips plan")] + _tries_soup(300))
    assert "chips" in results[0].topics  # (?-i:us) meets the lower-cased copy, as in tag()
    assert "gizmos" in {t for r in results for t in r.topics}
    blind = TopicMatcher(load_taxonomy(_write(tmp_path, TRIES.replace("(?-i:us)", "us"))))
    assert blind.batch_tagger().case_blind
    _assert_both_forms_equal_tag(blind, _tries_soup(300))


def test_phrases_holding_non_ascii_characters_come_from_the_text(tmp_path):
    """Phrases are cut from the batch's ASCII image unless it may differ there: a no-break space or a dash inside
    a phrase ('rare\u00a0earth') reads as a space in the image, and the phrase keeps the original character."""
    m = TopicMatcher(load_taxonomy(_write(tmp_path, CHAIN)))
    pairs = [("Rare\u00a0earth magnets?", "A rare\u2009earth mine. Neodymium magnet, rare earth mine and magnets."),
             ("Magnet", "rare earth\u00a0mine\u2019s magnet? neodymium")] + _chain_articles(50)
    results = _assert_both_forms_equal_tag(m, pairs)
    phrases = {e.phrase for r in results[:2] for e in r.evidence}
    assert {"Rare\u00a0earth", "rare\u2009earth", "rare earth\u00a0mine"} <= phrases


def test_evidence_phrases_and_offsets_are_shared_objects_equal_to_the_reference(matcher):
    """The batch tagger makes one str per distinct phrase and takes offsets from a table of int objects; rows
    still equal the one-article path's (and offsets past the table fall back to plain ints)."""
    title = "Chip export curbs widen"
    text = ("Washington tightened export controls on advanced chips. Chip export curbs hit "
            "semiconductor makers.\n\n") * 3
    batch = [(title, text)] * 40 + [(title, " " * 70000 + text)]
    got = matcher.tag_many(batch)
    assert got == [matcher.tag(t, x) for t, x in batch]
    phrases = [e.phrase for r in got[:40] for e in r.evidence]
    assert len(phrases) > len({id(p) for p in phrases}) > 1  # repeats share their str
    assert got[-1].evidence[-1].end > len(topic_batch._INTS)
