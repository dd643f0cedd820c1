"""Tests for the topic taxonomy loader and matcher."""
from pathlib import Path

import pytest

from pipelines.core.topics import Evidence, TaxonomyError, TopicMatcher, TopicResult, Yield, load_taxonomy
from tests.core.taxonomy_yaml import scoring
from tests.core.topic_checks import assert_tagged_alike

SEED = Path("/work/shared/seeds/000_4f2867a41c6d93fe.txt")


def test_default_taxonomy_has_named_topics_and_codes():
    tax = load_taxonomy()
    assert isinstance(tax.version, str) and tax.version
    slugs = {t.slug for t in tax.topics}
    assert {"rare-earths", "critical-minerals", "semiconductors", "export-controls",
            "trade-tariffs", "artificial-intelligence", "telecom"} <= slugs
    for t in tax.topics:
        assert t.label and t.iptc_code and t.iptc_code.startswith("medtop:")
        assert t.parent is None or t.parent in slugs


@pytest.mark.skipif(not SEED.exists(), reason=f"seed article {SEED} not available (/work/shared absent)")
def test_seed_article_gets_the_expected_topics(matcher):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    title, text = lines[first].strip(), "\n".join(lines[first + 1:])
    result = matcher.tag(title, text)
    expected = {"rare-earths", "trade-tariffs", "export-controls"}
    assert expected <= set(result.topics)
    assert set(result.topics) - expected <= {"critical-minerals", "economy-markets",
                                             "politics-government", "science-technology"}
    assert "telecom" not in result.topics  # "Chinese telecom firm Huawei" is a passing mention
    # so is "advanced technologies like semiconductors and artificial intelligence tools", the story's one
    # AI phrase, in its fourth paragraph (taxonomy r15's passing_paragraphs; r14 tagged it)
    cands = matcher.explain(title, text)
    assert cands["artificial-intelligence"].reason == "passing-mention"
    # that phrase and "halting sales of chip design software" are the chips of a story about rare earths and
    # trade talks: semiconductors, with nothing in the title, yields to rare earths (r20's scoring.yields;
    # r19 and earlier tagged it); re-checked at r21 against the definition (the chip industry as a substantial
    # subject): two passing mentions are not, so the call stands
    assert "semiconductors" not in result.topics and cands["semiconductors"].reason.startswith("yields to ")


def test_result_shape_and_evidence_offsets(matcher):
    title = "Chipmakers warn of semiconductor shortage"
    text = "Semiconductor makers said the chip shortage would last into next year.\n\nMore text."
    r = matcher.tag(title, text)
    assert isinstance(r, TopicResult)
    assert r.primary_topic == r.topics[0] == "semiconductors"
    assert set(r.scores) == set(r.topics)
    assert r.topics == sorted(r.topics, key=lambda s: (-r.scores[s], s))
    for ev in r.evidence:
        assert isinstance(ev, Evidence)
        source = title if ev.field == "title" else text
        assert source[ev.start:ev.end] == ev.phrase


def test_offsets_survive_non_ascii_text(matcher):
    text = "“Rare earths” — the ‘critical’ minerals — matter. China’s rare earth exports fell."
    r = matcher.tag("Rare earth exports slump", text)
    assert "rare-earths" in r.topics
    for ev in r.evidence:
        source = "Rare earth exports slump" if ev.field == "title" else text
        assert source[ev.start:ev.end] == ev.phrase


@pytest.mark.parametrize("title,text,absent", [
    ("Snack maker lifts potato chip prices", "Prices of potato chips and tortilla chips rise. "
     "Demand for potato chips is strong among buyers.", "semiconductors"),
    ("Blue-chip stocks rally", "Blue-chip shares gained as blue chips led the market higher.",
     "semiconductors"),
    ("Electricity tariffs to rise", "The regulator approved higher electricity tariffs and a new "
     "gas tariff for households.", "trade-tariffs"),
    ("Ai Weiwei opens show in Berlin", "The artist Ai Weiwei said AI Weiwei's studio would tour.",
     "artificial-intelligence"),
    ("Gold hits two-week high", "Spot gold rose 1 percent and silver and copper gained as the "
     "dollar fell.", "critical-minerals"),
])
def test_traps_are_not_tagged(matcher, title, text, absent):
    assert absent not in matcher.tag(title, text).topics


def test_acronym_case_rule(matcher):
    assert "artificial-intelligence" in matcher.tag("AI start-up raises funds", "").topics
    assert "artificial-intelligence" not in matcher.tag("Ai start-up raises funds", "").topics
    assert "artificial-intelligence" not in matcher.tag("The main issue", "He said again.").topics


def test_inflections_and_hyphen_variants(matcher):
    cands = matcher.explain("Rare-earth miner expands", "New tariffs and tariff cuts.")
    phrases = {e.phrase for c in cands.values() for e in c.evidence}
    assert {"Rare-earth", "tariffs", "tariff"} <= phrases


def test_headline_outweighs_tail(matcher):
    filler = "\n\n".join("Officials discussed the city budget and road repairs at length today." for _ in range(8))
    in_title = matcher.explain("New tariffs on imports announced", filler)["trade-tariffs"].score
    in_tail = matcher.explain("Budget news", filler + "\n\nNew tariffs on imports announced.")["trade-tariffs"].score
    assert in_title > in_tail


def test_deterministic(matcher):
    args = ("US-China trade talks on chips and rare earths",
            "Tariffs, export controls and semiconductors dominated. " * 5)
    assert matcher.tag(*args) == matcher.tag(*args)


def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "tax.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """version: "t1"
""" + scoring(lead_paragraphs=2) + """topics:
  - slug: widgets
    label: Widgets
    iptc_code: medtop:04000000
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: widget, weight: 1.0}
"""


def test_small_taxonomy_loads_and_tags(tmp_path):
    tax = load_taxonomy(_write(tmp_path, GOOD))
    assert tax.version == "t1"
    assert TopicMatcher(tax).tag("Widgets sold", "").topics == ["widgets"]


@pytest.mark.parametrize("change,line,problem", [
    (("      - {phrase: widget, weight: 1.0}", "      - {phrase: widget, weight: 1.0, colour: red}"),
     17, "unknown key 'colour'"),
    (("      - {phrase: widget, weight: 1.0}", "      - {pattern: 'wid(get', weight: 1.0, anchors: [wid]}"),
     17, "bad regex"),
    (("    parent: null", "    parent: gadgets"), 13, "unknown parent 'gadgets'"),
    (("    min_score: 1.0", "    min_score: high"), 14, "'min_score' must be"),
    (("      - {phrase: widget, weight: 1.0}", "      - {phrase: widget, weight: [1.0}"), 17, "YAML syntax"),
])
def test_malformed_taxonomy_names_file_line_and_problem(tmp_path, change, line, problem):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    message = str(err.value)
    assert str(path) in message and f":{line}:" in message and problem in message


LISTS = """lists:
  makers:
    - 'acme'
    - 'globex\\s+corp'
"""


def test_pattern_lists_expand_in_place(tmp_path):
    body = GOOD.replace("topics:\n", LISTS + "topics:\n").replace(
        "      - {phrase: widget, weight: 1.0}",
        "      - {pattern: '{list:makers}\\s+gizmos?', weight: 1.0, anchors: [acme, globex]}")
    matcher = TopicMatcher(load_taxonomy(_write(tmp_path, body)))
    assert matcher.tag("Globex Corp gizmo recall", "").topics == ["widgets"]
    assert matcher.tag("Acme gizmos sold out", "").topics == ["widgets"]
    assert matcher.tag("Initech gizmo recall", "").topics == []


@pytest.mark.parametrize("lists,problem", [
    ("", "unknown list 'makers'"),
    ("lists:\n  makers: []\n", "lists.makers: must be a non-empty list"),
    ("lists:\n  makers:\n    - 'ac(me'\n", "lists.makers: bad regex"),
])
def test_pattern_list_errors_name_the_problem(tmp_path, lists, problem):
    body = GOOD.replace("topics:\n", lists + "topics:\n").replace(
        "      - {phrase: widget, weight: 1.0}",
        "      - {pattern: '{list:makers}\\s+gizmo', weight: 1.0, anchors: [acme]}")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(_write(tmp_path, body))
    assert problem in str(err.value) and ":" in str(err.value).split(problem)[0]


# ---------------------------------------------------------------- round 2: traps and fast path

@pytest.mark.parametrize("title,text,absent", [
    ("FCC fines TV station over indecent broadcast",
     "The FCC fined a television station for airing indecent material during a news broadcast.", "telecom"),
    ("Astronauts capture rare Earth image from the Moon",
     "The crew captured a rare Earth-rise photograph as the capsule rounded the Moon.", "rare-earths"),
    ("Rural Electrification Executive (REE) extends grid",
     "The Rural Electrification Executive (REE) connected 40,000 homes. REE will add mini-grids.", "rare-earths"),
    ("Horoscope: Gemini week ahead",
     "Gemini: a chance to model new habits. Fashion models born under the sign get good news.",
     "artificial-intelligence"),
    ("Press embargo broken on budget leak",
     "A newspaper broke the press embargo on the budget speech, publishing details early.", "export-controls"),
    ("Database update fixes entity list bug",
     "The update fixes a bug where the entity list in the customer database showed duplicates.",
     "export-controls"),
    ("EC grants export licences for 25,000 tonnes maize",
     "The European Commission granted export licences for 25,000 tonnes of maize at the weekly tender.",
     "export-controls"),
    ("Port strike halts coffee exports",
     "A strike at the main port halted coffee exports for a fourth day, exporters said.", "export-controls"),
    ("Dollar slips as traders weigh policy outlook",
     "The dollar slipped against the yen and the mark as traders weighed the outlook for interest "
     "rates.\n\nDealers said the market was quiet ahead of the weekend.\n\nOne analyst said the "
     "U.S. trade deficit would keep pressure on the currency over the year.", "trade-tariffs"),
    ("Stocks close higher in broad rally",
     "Stocks closed higher led by banks and retailers.\n\nBond yields eased and the dollar slipped. "
     "Semiconductor stocks rose along with the rest of the market.", "semiconductors"),
])
def test_round2_traps_are_not_tagged(matcher, title, text, absent):
    assert absent not in matcher.tag(title, text).topics


@pytest.mark.parametrize("title,text,topic", [
    ("Britain suspends some arms export licences to Israel",
     "Britain suspended 30 of 350 arms export licences to Israel after a review.", "export-controls"),
    ("China tightens grip on rare earth magnet supply",
     "China will require licences for exports of seven rare earth elements including dysprosium.",
     "export-controls"),
    ("FCC restores net neutrality rules for broadband providers",
     "The Federal Communications Commission voted to restore net neutrality rules for broadband "
     "providers.", "telecom"),
    ("Subsea cable cuts disrupt internet in West Africa",
     "Damage to four subsea cables disrupted internet and phone services in a dozen countries.", "telecom"),
    ("U.S. defends stockpiled tin sales",
     "The General Services Administration said sales of stockpiled tin from the strategic "
     "stockpile would continue.", "critical-minerals"),
])
def test_round2_positives_are_tagged(matcher, title, text, topic):
    assert topic in matcher.tag(title, text).topics


SAMPLES = [
    ("New curbs on AI chip exports", "Export controls on AI chips and chipmaking equipment widen. "
     "The chip curbs hit Nvidia and TSMC; potato chips are not chips. Rare earth magnets too.\n\n"
     "Tariffs rose. " * 3),
    ("Chipmakers warn of semiconductor shortage", "Semiconductor makers said the chip shortage "
     "would last.\n\nMemory chip prices rose. " * 4),
    ("Lynas profit falls", "Lynas Rare Earths said neodymium prices fell; rare earth magnets "
     "stock fell. Critical minerals deal signed."),
    ("Blue-chip stocks rally", "Blue-chip shares and blue chips led; electricity tariffs rose."),
]


def _assert_tag_agrees_with_explain(matcher, title, text, *, evidence):
    """Same tagged topics and scores from tag() and explain(); with evidence, the same evidence too."""
    result = matcher.tag(title, text)
    cands = matcher.explain(title, text)
    assert {s for s, c in cands.items() if c.tagged} == set(result.topics)
    for slug in result.topics:
        assert result.scores[slug] == cands[slug].score
        if evidence:
            assert {e for e in result.evidence if e.topic == slug} == set(cands[slug].evidence)


@pytest.mark.parametrize("title,text", SAMPLES)
def test_fast_path_agrees_with_positional_explain(matcher, title, text):
    """tag() skips positions unless phrases overlap; its scores must equal explain()'s full pass."""
    _assert_tag_agrees_with_explain(matcher, title, text, evidence=True)


def test_evidence_keeps_at_most_max_repeats_per_phrase(matcher):
    cap = matcher.taxonomy.scoring.max_repeats
    text = " ".join(["Semiconductor output rose."] * (cap + 5))
    result = matcher.tag("Semiconductor boom", text)
    in_text = [e for e in result.evidence if e.topic == "semiconductors" and e.field == "text"]
    assert 0 < len(in_text) <= cap
    assert [e.start for e in in_text] == sorted(e.start for e in in_text)


def test_tagged_child_lifts_parent_with_child_evidence(matcher):
    r = matcher.tag("Neodymium and dysprosium prices jump", "Rare earth prices rose again.")
    assert {"rare-earths", "critical-minerals"} <= set(r.topics)
    parent_phrases = {e.phrase.lower() for e in r.evidence if e.topic == "critical-minerals"}
    assert "neodymium" in parent_phrases


# The fast path prunes topics by a score bound and skips work; explain() never does.
PRUNING_SAMPLES = [
    # a lone pattern anchor ("restrict ... exports") in the body cannot reach export-controls
    ("Wheat harvest ends", "Farmers said they may restrict grain exports later in the year.\n\n"
     "Prices were steady. " * 3),
    # the same pattern in the title plus a phrase in the lead can
    ("Beijing moves to restrict gallium exports", "The export controls cover gallium and "
     "germanium.\n\nTraders expect shortages."),
    # exact-case terms in title and text, and a lower-case "ai" that must not count
    ("AI start-up raises funds", "The ai of the deal: an AI model maker and its chatbot.\n\n"
     "Nokia and 5G network operators; NATO and GDP figures; ZTE."),
    # non-ASCII text: exact-case offsets must still line up
    ("“AI” rules agreed", "Brussels’ AI Act — the “AI” rules — cover chatbots and AI models."),
]


@pytest.mark.parametrize("title,text", PRUNING_SAMPLES)
def test_pruning_agrees_with_explain(matcher, title, text):
    """explain() never prunes: every topic it tags, tag() must tag with the same score."""
    _assert_tag_agrees_with_explain(matcher, title, text, evidence=False)


def test_exact_case_terms_match_only_their_spelling(matcher):
    # "AI" (exact case) in a headline is enough on its own; the name "Ai" is not
    assert "artificial-intelligence" in matcher.tag("AI wins the debate", "").topics
    assert "artificial-intelligence" not in matcher.tag("Ai wins the debate", "").topics


EXACT_MIN = GOOD.replace("    min_score: 1.0", "    min_score: 1.8").replace(
    "{phrase: widget, weight: 1.0}", "{phrase: widget, weight: 1.2}")


def test_score_exactly_at_min_score_is_not_pruned(tmp_path):
    # 1.2 x lead 1.5 is 1.7999999999999998 in floats; the rounded score 1.8 meets min_score 1.8
    m = TopicMatcher(load_taxonomy(_write(tmp_path, EXACT_MIN)))
    r = m.tag("Report", "A widget was sold here today.\n\nNothing else happened at all today.")
    assert r.topics == ["widgets"] and r.scores["widgets"] == 1.8


def _lead_and_tail(matcher, text):
    lead_end, tail_start = matcher._zone_bounds(text.encode("ascii"))
    return text[:lead_end], tail_start


def test_zone_bounds_skip_short_lines_and_repeats(tmp_path):
    m = TopicMatcher(load_taxonomy(_write(tmp_path, GOOD)))  # lead: 2 paragraphs of >= 3 words
    lines = "Home\nSkip content\nThe first real line.\nThe first real line.\nA second real line."
    lead, _ = _lead_and_tail(m, lines + "\nA third line here.")
    assert lead == lines  # no blank lines: each line is a paragraph; the repeat counts once
    paras = "Menu\n\nOne two three four.\n  Indented para starts here.\n\nLast para."
    lead, tail_start = _lead_and_tail(m, paras)
    assert lead == "Menu\n\nOne two three four.\n  Indented para starts here."
    assert tail_start == max(int(len(paras) * 0.7), len(lead))


def test_bracketed_stock_tickers_are_not_acronym_mentions(matcher):
    assert matcher.taxonomy.scoring.skip_bracketed_tickers
    assert matcher.tag("ALLEGHENY <AI> SUED OVER BUYOUT", "Allegheny <AI> was sued.").topics == []
    assert "artificial-intelligence" in matcher.tag("AI <AI> wins the debate", "").topics


def test_ticker_rule_is_off_unless_the_taxonomy_asks(tmp_path):
    body = GOOD.replace("{phrase: widget, weight: 1.0}", "{phrase: WDG, weight: 1.0, case: exact}")
    assert TopicMatcher(load_taxonomy(_write(tmp_path, body))).tag("<WDG> sold", "").topics == ["widgets"]
    body = body.replace("  max_repeats: 3\n", "  max_repeats: 3\n  skip_bracketed_tickers: true\n")
    assert TopicMatcher(load_taxonomy(_write(tmp_path, body))).tag("<WDG> sold", "").topics == []


# ---------------------------------------------------------------- batch tagging

BATCH_EDGES = [
    ("", ""),
    (None, None),
    ("AI <AI> wins the debate", ""),
    ("ALLEGHENY <AI> SUED OVER BUYOUT", "Allegheny <AI> was sued."),
    ("Rare Earth", "A rare Earth-rise photograph; rare earth prices."),
    ("Snack maker lifts potato chip prices", "Prices of potato chips rise. Memory chip prices too."),
]


def test_batch_tagger_equals_tag_one_by_one(matcher):
    """The batch tagger must return exactly what tag() returns, article by article, evidence included."""
    batch = SAMPLES + PRUNING_SAMPLES + BATCH_EDGES
    assert matcher.batch_tagger().tag_many(batch) == [matcher.tag(t, x) for t, x in batch]
    assert matcher.batch_tagger().tag_many([]) == []
    untagged = matcher.batch_tagger().tag_many([("", ""), ("", "")])
    untagged[0].topics.append("x")  # each article gets its own lists, as from tag()
    assert untagged[1].topics == []


def test_batch_tagger_does_not_depend_on_batch_neighbours(matcher):
    batch = SAMPLES + PRUNING_SAMPLES
    together = matcher.batch_tagger().tag_many(batch)
    alone = [matcher.batch_tagger().tag_many([pair])[0] for pair in batch]
    assert together == alone


def test_tag_many_takes_small_and_large_lists(matcher):
    small = SAMPLES[:2]  # below the batch size: tagged one by one
    assert matcher.tag_many(small) == [matcher.tag(t, x) for t, x in small]
    large = (SAMPLES + PRUNING_SAMPLES + BATCH_EDGES) * 2  # through the batch tagger
    assert matcher.tag_many(iter(large)) == [matcher.tag(t, x) for t, x in large]


def test_batch_tagger_applies_a_custom_taxonomy_s_rules(tmp_path):
    body = GOOD.replace("{phrase: widget, weight: 1.0}", "{phrase: WDG, weight: 1.0, case: exact}")
    body = body.replace("  max_repeats: 3\n", "  max_repeats: 3\n  skip_bracketed_tickers: true\n")
    m = TopicMatcher(load_taxonomy(_write(tmp_path, body)))
    batch = [("<WDG> sold", ""), ("WDG sold", "WDG WDG WDG WDG and wdg."), ("Nothing", "here")]
    assert m.batch_tagger().tag_many(batch) == [m.tag(t, x) for t, x in batch]
    assert [r.topics for r in m.batch_tagger().tag_many(batch)] == [[], ["widgets"], []]


DEVSET_BUILDER_INPUT = Path("/work/shared/data/reuters21578-train/train.jsonl")


needs_wire_text = pytest.mark.skipif(not DEVSET_BUILDER_INPUT.exists(),
                                     reason=f"{DEVSET_BUILDER_INPUT} not available (/work/shared absent)")


def _wire_stories(n: int = 1500) -> list[tuple[str, str]]:
    import json

    with DEVSET_BUILDER_INPUT.open(encoding="utf-8") as fh:
        return [(r["title"], r["body"]) for r in map(json.loads, (line for _, line in zip(range(n), fh)))]


@needs_wire_text
def test_tag_many_equals_tag_on_real_wire_stories(matcher):
    batch = _wire_stories()
    assert matcher.tag_many(batch) == [matcher.tag(t, x) for t, x in batch]


# ---------------------------------------------------------------- row columns from the batch tagger

LIFT_SAMPLE = ("Neodymium and dysprosium prices jump", "Rare earth prices rose again.")


def _rows_both_ways(matcher, pairs):
    from pipelines.core.tagging import apply_tags, apply_tags_many

    tax = matcher.taxonomy
    iptc = {t.slug: t.iptc_code for t in tax.topics}
    batch = apply_tags_many([{"title": t, "text": x} for t, x in pairs], matcher, iptc, tax.version)
    single = [apply_tags({"title": t, "text": x}, matcher, iptc, tax.version) for t, x in pairs]
    return batch, single


def _score_bits(row):
    return [s["score"].hex() for s in row["topic_scores"]]


def test_batch_rows_equal_rows_tagged_one_by_one(matcher):
    """The stage's batch rows are built from arrays, not from TopicResults: same columns, same bits."""
    pairs = (SAMPLES + PRUNING_SAMPLES + BATCH_EDGES + [LIFT_SAMPLE]) * 2
    batch, single = _rows_both_ways(matcher, pairs)
    assert batch == single
    assert [_score_bits(r) for r in batch] == [_score_bits(r) for r in single]
    lifted = batch[len(SAMPLES + PRUNING_SAMPLES + BATCH_EDGES)]
    assert "neodymium" in {e["phrase"].lower() for e in lifted["topic_evidence"] if e["topic"] == "critical-minerals"}
    batch[0]["topic_evidence"].append("x")  # every row owns its lists
    assert all(r["topic_evidence"] is not batch[0]["topic_evidence"] for r in batch[1:])


def test_batch_rows_of_an_untagged_batch(matcher):
    batch, single = _rows_both_ways(matcher, [("", "")] * 20)
    assert batch == single
    assert batch[0]["topics"] == [] and batch[0]["topics"] is not batch[1]["topics"]


@needs_wire_text
def test_batch_rows_equal_one_by_one_rows_on_real_wire_stories(matcher):
    pairs = _wire_stories()
    batch, single = [], []
    for i in range(0, len(pairs), 256):  # the stage's batch size
        b, s = _rows_both_ways(matcher, pairs[i:i + 256])
        batch += b
        single += s
    assert batch == single
    assert [_score_bits(r) for r in batch] == [_score_bits(r) for r in single]
    assert sum(bool(r["topics"]) for r in batch) > 100  # the comparison covers tagged rows


def test_vector_rounding_is_python_round_bit_for_bit():
    import numpy as np

    from pipelines.core.topic_batch import _round4

    rng = np.random.default_rng(1)
    values = np.concatenate([rng.random(50000) * 50,
                             np.round(rng.random(50000) * 50, 4) + 0.00005,  # decimal halves
                             rng.integers(0, 50000, 20000) / 1e4 * 3,
                             [0.0, 2.2, 1e-9, 0.00005, 0.00015, 2.50005, 123.45675]])
    expected = np.array([round(v, 4) for v in values.tolist()])
    assert _round4(values).view(np.int64).tolist() == expected.view(np.int64).tolist()


# ---------------------------------------------------------------- pattern pre-check

@pytest.mark.parametrize("pattern,words", [
    (r"exports?\s+(?:[\w-]+\s+){0,2}(?:suspended|banned|halted)", ("banned", "halted", "suspended")),
    (r"(?:talks|accord)\b(?=(?:\s+[\w-]+){0,5}?\s+quotas?\b)", ("quota",)),  # inside a lookahead
    (r"limits?\s+on\s+(?:[\w-]+\s+){0,2}access\s+to\b", ("access",)),  # a literal run
    (r"curbs?\s+(?:on\s+)?(?:the\s+)?(?:sales|supply|x*)", None),  # optional words; a branch that may be empty
    (r"curbs?\s+(?:strict\s+)?on", None),  # only short or optional words
    (r"curbs?\s+(?:(?:chips|wafers)\s+)+now", ("chips", "wafers")),  # a repeat of at least one
    (r"curbs?\s+(?!exports)(?:\w+\s+){0,3}(?:Gallium|ANTIMONY)", ("antimony", "gallium")),  # case folded
    (r"curbs?\s+(?:puces|\u00e9lectronique)", None),  # a non-ASCII word never occurs in the ASCII copy
    (r"trade\s+(?:is\s+)*(?:in\s+balance|balanced)", ("balance",)),  # a word inside each alternative
    (r"curbs?\s+(?:wafer|chipmaking|chip)\s+now", ("chip", "wafer")),  # "chipmaking" holds "chip"
])
def test_required_words_of_a_pattern(pattern, words):
    import re

    from pipelines.core.topic_batch import required_words

    assert required_words(re.compile(pattern, re.IGNORECASE)) == words


def test_required_words_pass_over_a_group_the_anchor_holds():
    """'ministry|ministries' parses as 'ministr' and a branch: as a required group it would be found in the
    anchor every try starts at; given the anchor keys, the next most selective group is chosen."""
    import re

    from pipelines.core.topic_batch import required_words

    rx = re.compile(r"(?:ministry|ministries)\s+(?:\w+\s+){0,3}?(?:halts|stops)\s+(?:exports|shipments)",
                    re.IGNORECASE)
    assert required_words(rx) == ("ministries", "ministry")
    assert required_words(rx, [" ministry ", " ministries "]) == ("exports", "shipments")
    assert required_words(re.compile(r"ministry\s+exports", re.IGNORECASE), [" ministry exports "]) is None


def test_ascii_twins_match_as_the_patterns_on_an_ascii_image(matcher):
    """The batch tagger tries ASCII-mode twins of the patterns on the ASCII image unless it holds one of the
    four ASCII characters only Unicode \\s counts as a space; elsewhere the two agree at every start."""
    import re

    from bench.synth import generate_records
    from pipelines.core.topic_batch import _UNICODE_ONLY_SPACES, ascii_twin

    texts = [r["title"] + "\n\n" + r["text"] for r in generate_records(60, seed=7, dup_rate=0.0)]
    texts.append("Ministry halts exports of gallium; tariffs OF 10% ON steel; Japan-U.S. trade\tbalanced")
    checked = 0
    for text in texts:
        image = " " + text.encode("ascii", "replace").decode("ascii") + " "
        assert not any(c.decode() in image for c in _UNICODE_ONLY_SPACES)
        starts = [m.start() for m in re.finditer(r"(?<![A-Za-z0-9])[A-Za-z]", image)]
        for _, _, rx in matcher._patterns:
            twin = ascii_twin(rx)
            assert twin.flags & re.ASCII
            for start in starts:
                got, want = twin.match(image, start), rx.match(image, start)
                assert (got and got.span()) == (want and want.span())
                checked += want is not None
    assert checked >= 8
    spaced = re.compile(r"tariffs?\s+on", re.IGNORECASE)  # why the guard: \x1c is a space only to Unicode \s
    assert spaced.match("tariffs\x1con") and not ascii_twin(spaced).match("tariffs\x1con")
    assert ascii_twin(re.compile("\u212a", re.IGNORECASE)).match("k")  # non-ASCII text: the pattern itself
    # ASCII text that names a non-ASCII letter by escape folds to ASCII under Unicode rules too: the pattern itself
    for escaped, text in [(r"\u017ftrike\s+ballots?", "strike ballot"), (r"[\u0100-\u024f]x", "ix"),
                          (r"(?:q|\u212a)b", "kb"), (r"(?=\u0130)i", "i"), (r"x(?:y\u0131)+", "xyi")]:
        rx = re.compile(escaped, re.IGNORECASE)
        assert rx.match(text) and ascii_twin(rx).match(text), escaped


def test_required_words_occur_after_every_match(matcher):
    """The batch tagger skips a pattern try when none of its required words occurs at or after the
    try's start: every real match must have one there."""
    import re

    from bench.synth import generate_records
    from pipelines.core.topic_batch import pattern_anchors, required_groups
    from pipelines.core.topics import _LOWER

    anchors = pattern_anchors(matcher)
    texts = [r["title"] + "\n\n" + r["text"] for r in generate_records(120, seed=5, dup_rate=0.0)]
    texts += [f"{a} talks on export quotas; {b} exports were banned, {c} limits on access to chips"
              for a in ("EU", "US") for b in ("rice", "chip") for c in ("new", "")]
    checked = 0
    for text in texts:
        lower = " " + text.encode("ascii", "replace").translate(_LOWER).decode("ascii") + " "
        starts = [m.start() for m in re.finditer(r"(?<![a-z0-9])[a-z]", lower)]
        for p, (_, _, rx) in enumerate(matcher._patterns):
            for words in set(required_groups(rx)) | set(required_groups(rx, anchors[p])):  # every group checked
                for start in starts:
                    if rx.match(lower, start) is not None:
                        checked += 1
                        assert any(lower.find(w, start) >= 0 for w in words), (rx.pattern, lower[start:start + 80])
    assert checked >= 8


@pytest.mark.parametrize("pattern,runs", [
    (r"\s+", 1), (r"a\s+b\s*c", 2), (r"(?:\w+\s+){0,3}x", 3), (r"(?:\w+\s+)*x", None), (r"[^x]+", None),
    (r"a.b", 1), (r"ab(?=\s+x)", 1), (r"ab(?!\s+x)", 0), (r"[ \t]+", 1), (r"[\w ]+", None), (r"[\w.-]+", 0),
    (r"(?:united\s+states|japan)\s*(?:-|,|\s+and\s)\s*x", 5), (r"a\x1cb", 1), (r"(a)\1", None),
])
def test_space_runs_of_a_pattern(pattern, runs):
    import re

    from pipelines.core.topic_batch import space_runs

    assert space_runs(re.compile(pattern, re.IGNORECASE)) == runs


def test_required_words_start_within_the_space_runs_of_every_match(matcher):
    """The batch tagger skips a try of a pattern with bounded space runs when none of its required words
    starts before the run after those: every real match (lookaheads included) must have one there."""
    import re

    from bench.synth import generate_records
    from pipelines.core.topic_batch import pattern_anchors, required_groups, space_runs
    from pipelines.core.topics import _LOWER

    anchors = pattern_anchors(matcher)

    texts = [r["title"] + "\n\n" + r["text"] for r in generate_records(120, seed=6, dup_rate=0.0)]
    texts += [f"{a} talks  on\texport\n quotas; {b} exports   were banned, {c} limits on access to chips; "
              f"US - Japan trade, china and  korea trade; restrict  the sale of new chips"
              for a in ("EU", "US") for b in ("rice", "chip") for c in ("new", "")]
    checked = 0
    for text in texts:
        lower = " " + text.encode("ascii", "replace").translate(_LOWER).decode("ascii") + " "
        starts = [m.start() for m in re.finditer(r"(?<![a-z0-9])[a-z]", lower)]
        run_starts = [m.start() for m in re.finditer(r"[ \t\n\r\x0b\x0c\x1c-\x1f]+", lower)]
        for p, (_, _, rx) in enumerate(matcher._patterns):
            runs = space_runs(rx)
            for words in set(required_groups(rx)) | set(required_groups(rx, anchors[p])):
                if runs is None:
                    continue
                for start in starts:
                    if rx.match(lower, start) is not None:
                        checked += 1
                        later = [r for r in run_starts if r >= start]  # starts are letters: never inside a run
                        limit = later[runs] if len(later) > runs else len(lower)  # where run runs + 1 starts
                        assert any(0 <= lower.find(w, start) < limit for w in words), (rx.pattern,
                                                                                        lower[start:start + 80])
    assert checked >= 8


def test_batch_tagger_warms_up_with_any_taxonomy(matcher, tmp_path):
    """The stage compiles the batch kernels in setup(); a taxonomy without exact-case terms too."""
    small = TopicMatcher(load_taxonomy(_write(tmp_path, GOOD)))
    for m in (matcher, small):
        m.batch_tagger().warm_up()
        batch = [("Widget news", "Widgets and widget makers.")] * 20
        assert m.tag_many(batch) == [m.tag(t, x) for t, x in batch]


# ---------------------------------------------------------------- r12: modern AI vocabulary and its traps

@pytest.mark.parametrize("title,text", [
    ("Lab releases open-weight model for coding", ""),
    ("Coding agents now write most of our tests", ""),
    ("Startup ships agentic workflow builder", ""),
    ("Diffusion transformers cut the cost of video generation", ""),
    ("Sparse routing for token mixers", "[cs.LG, math.OC] We study a routing rule for sparse layers."),
    ("Claude Code adds plug-ins for teams", ""),
    ("xAI hires a new chief engineer", ""),
    ("Gemini 3 Pro rolls out to all users", ""),
    ("CPU-only inference for a small speech model", ""),
    ("Open-source toolkit for agents that fill in web forms", ""),
    ("Researchers test a world model for household robots", ""),
])
def test_modern_ai_vocabulary_is_tagged(matcher, title, text):
    assert "artificial-intelligence" in matcher.tag(title, text).topics


@pytest.mark.parametrize("title,text", [
    ("Top model walks for a new label in Paris",
     "The model, who began her career at 16, said training for the show took weeks. Her agent negotiated the fee."),
    ("Storm knocks out transformer, 4,000 homes dark",
     "Lightning destroyed a transformer at the substation; a model of the grid showed no further risk."),
    ("FBI agents arrest hacker behind open-source malware",
     "Undercover FBI agents arrested a man who published malware on GitHub, prosecutors said."),
    ("Federal agents raid a warehouse", "Immigration agents used AI cameras to find the workers."),
    ("Estate agent sells riverside flats",
     "The letting agent said the developer sold 40 flats, and the agent expects more open source of demand."),
    ("Striker completes pre-training before derby",
     "The striker finished pre-training and a training run on Friday; his agent is discussing a transfer."),
    ("Gemini app adds bitcoin staking",
     "The crypto exchange Gemini, founded by the Winklevoss twins, said its Gemini app now offers staking."),
    ("Navy shows Mistral warship model", "A model of the Mistral-class amphibious warship went on show."),
    ("Mistral wind fans wildfires", "Mistral gusts reached 90 km/h, the weather model showed."),
    ("Court draws adverse inference from missing emails",
     "The judge said the jury may draw an inference from the missing emails in the model contract case."),
    ("Miss World model visits hospital",
     "The Miss World model spent a day with children and posted a video; she said she kept learning from them."),
    ("Rowing: open weights final goes to home crew", "The open weights final was won by the home crew."),
    # r13, from review probes worded as the stories would be (not built from the forbidden words alone)
    ("Your horoscope for the week", "Those born under Gemini live for novelty; Gemini should rest on Sunday."),
    ("Museum shows the capsule", "The Gemini capsule flown by NASA astronauts in 1965 is back on display."),
    ("Gate agent and copilot praised after emergency landing",
     "The copilot took over and a gate agent calmed passengers; the agent said the crew was superb."),
    ("Investigators name the Russian agent behind the plot",
     "Open-source investigators at Bellingcat said the agent used three passports."),
    ("Agentic traits and hiring", "Psychologists found that agentic women were judged harshly in interviews."),
    ("VLM Airlines resumes Antwerp flights", "VLM said the route would run twice a day from May."),
])
def test_modern_ai_traps_are_not_tagged(matcher, title, text):
    """Words that AI news uses in other senses: a fashion model, a grid transformer, an FBI or estate agent,
    an athlete's training, a crypto exchange, a warship, a wind, a court's inference, a rowing class."""
    assert "artificial-intelligence" not in matcher.tag(title, text).topics


def test_arxiv_subject_classes_need_their_exact_spelling(matcher):
    assert "artificial-intelligence" in matcher.tag("A note on layers", "[cs.LG] We bound the error.").topics
    assert "artificial-intelligence" not in matcher.tag("A note on layers", "[CS.LG] We bound the error.").topics


def test_longer_ai_phrase_swallows_the_bare_acronym(matcher):
    """"AI-generated" counts once, as itself, not also as "AI"."""
    ev = [e for e in matcher.tag("AI-generated reports flood inboxes", "").evidence
          if e.topic == "artificial-intelligence"]
    assert [e.phrase for e in ev] == ["AI-generated"]


def test_satellite_internet_is_telecom(matcher):
    result = matcher.tag("Regulator licenses satellite internet service",
                         "The satellite internet service will reach rural villages next year.")
    assert "telecom" in result.topics


# r14: how trade policy and export controls are reported now (invented stories in the 2026 style)
@pytest.mark.parametrize("topic,title,text", [
    ("trade-tariffs", "Ottawa readies countermeasures as levies hit steel",
     "Canada said it would answer the new levies on its steel and aluminium goods with countermeasures "
     "on American imports worth C$30 billion.\n\nExporters in Ontario said the duties would cost jobs."),
    ("trade-tariffs", "Washington and Beijing agree 90-day truce in trade fight",
     "Both sides will lower their levies on each other's goods while negotiators meet in Geneva."),
    ("trade-tariffs", "Parcels from China lose de minimis exemption",
     "From Friday, parcels worth under $800 pay duties at the border, customs officials said."),
    ("trade-tariffs", "Court weighs IEEPA tariffs",
     "Judges asked whether the IEEPA lets the president set tariffs on imports from every trading partner."),
    ("export-controls", "Beijing blocks chip exports from Nexperia plant",
     "The commerce ministry barred the Dutch-owned chipmaker's Chinese unit from exporting its chips, "
     "citing national security.\n\nCarmakers warned of shortages within weeks."),
    ("export-controls", "Washington to allow H200 sales to China",
     "The Commerce Department will allow Nvidia to sell its H200 processors to approved Chinese buyers "
     "under new licensing rules, easing curbs imposed last year."),
    ("export-controls", "Administration scraps AI diffusion rule",
     "The AI diffusion rule would have capped chip shipments to most countries."),
])
def test_modern_trade_and_export_control_wording_is_tagged(matcher, topic, title, text):
    assert topic in matcher.tag(title, text).topics


@pytest.mark.parametrize("topic,title,text", [
    ("trade-tariffs", "Council raises the garden waste levy",
     "Households will pay a levy of 60 pounds a year; the council said the levy covers collection costs."),
    ("trade-tariffs", "Bank levy to stay, Treasury says",
     "The levy on bank balance sheets raises 2 billion pounds; banks asked for countermeasures against fraud."),
    ("export-controls", "City tightens taxi licensing rules",
     "Drivers must renew under the new licensing rules, and the council barred unlicensed cabs from "
     "selling rides at the airport."),
    ("export-controls", "Police blocked sales of fake tickets",
     "Officers blocked sales of forged tickets outside the stadium before the final."),
])
def test_modern_trade_and_export_control_traps_are_not_tagged(matcher, topic, title, text):
    assert topic not in matcher.tag(title, text).topics


@pytest.mark.parametrize("text", [
    "The agency holds 50 days of lithium, cobalt, nickel, rare earths, gallium and tungsten. "
    "It will also buy graphite, gallium and certain rare earth compounds.",
    "The list adds tungsten, antimony, rare earth magnets, gallium and graphite.",
    "The fund backs a graphite mine in Queensland, officials said; "
    "rare earths, lithium and cobalt are on its list.",
])
def test_rare_earths_named_in_a_list_of_minerals_are_not_the_subject(matcher, text):
    result = matcher.tag("State fund to stockpile battery metals", text)
    assert "rare-earths" not in result.topics


def test_rare_earths_as_the_subject_still_count_beside_a_list(matcher):
    result = matcher.tag("Rare earths output jumps at new refinery",
                         "The refinery separated 2,000 tonnes of rare earths this year, mostly neodymium and "
                         "praseodymium for magnets, and will add lithium, cobalt and rare earths to its stockpile.")
    assert "rare-earths" in result.topics


# r16, from a review of r14: each trap holds the context word the rule asks for, so it tests the context check
@pytest.mark.parametrize("topic,title,paras", [
    ("export-controls", "Council bars corner shop from selling alcohol",
     ["A corner shop in Hull has been barred from selling alcohol after its licence was revoked for repeatedly "
      "serving under-18s.", "Police told the licensing committee that officers had made four test purchases.",
      "The owner has 21 days to appeal."]),
    ("export-controls", "Thailand allows clinics to sell cannabis again",
     ["Thailand will allow licensed clinics to sell cannabis for medical use, the health ministry said, easing "
      "restrictions imposed last year.", "Shops will need a licence and a doctor's prescription for each sale.",
      "Recreational use remains banned."]),
    ("export-controls", "Ofcom tightens licensing rules for local radio stations",
     ["Local radio stations will face stricter licensing rules on news output from next year.",
      "Stations must broadcast three hours of local programming a day, though new technology lets them share studios.",
      "Trade bodies said smaller stations could struggle with the cost."]),
    ("export-controls", "EU readies tech curbs on app stores",
     ["Brussels is preparing new tech curbs on how Apple and Google run their app stores, under the Digital "
      "Markets Act.", "The rules would force the companies to allow rival payment systems.",
      "Apple said the changes would harm users' privacy."]),
    ("trade-tariffs", "IAEA says Iran obstructed safeguard measures at Fordow",
     ["Inspectors said Iran had blocked several safeguard measures at the underground site.",
      "The agency's board will meet next week in Vienna.", "Diplomats said the findings would complicate talks."]),
    ("trade-tariffs", "Lakers and Nets in trade standoff over star guard",
     ["The Lakers and Nets remain locked in a trade standoff over the All-Star guard ahead of Thursday's deadline.",
      "The Nets want two first-round picks and a young forward.", "The guard has averaged 27 points this season."]),
])
def test_r14_wording_traps_with_their_context_words(matcher, topic, title, paras):
    assert topic not in matcher.tag(title, "\n\n".join(paras)).topics


@pytest.mark.parametrize("topic,title,paras", [
    ("rare-earths", "Inside the magnet factory the West forgot",
     ["In a low brick building outside Tallinn, two dozen engineers are trying to do something Europe has not "
      "done in three decades.", "The plant's owner bought it in 2020 from a bankrupt chemical group and spent two "
      "years cleaning up the site.", "Workers here now separate neodymium and praseodymium from imported "
      "concentrate, turning rare earth oxides into the metals used in rare earth magnets for electric cars.",
      "The town's mayor says the jobs have stopped young people leaving.", "A second line is due to open next year."]),
    ("artificial-intelligence", "Why my daughter's school changed its homework policy",
     ["When the letter arrived in September, most parents assumed it was about uniforms.",
      "Instead the head teacher announced that take-home essays would be replaced by work done in class.",
      "The reason was that generative AI chatbots had made it impossible to tell which essays pupils had written; "
      "teachers had caught dozens of ChatGPT-written essays, and artificial intelligence detectors proved unreliable.",
      "Some parents welcomed the change.", "Others worried that in-class essays would favour quick writers."]),
])
def test_one_late_paragraph_dense_with_the_topic_is_not_a_passing_mention(matcher, topic, title, paras):
    """passing_below: a paragraph scoring twice the topic's min_score is what the story is about."""
    assert topic in matcher.tag(title, "\n\n".join(paras)).topics
    # the batch tagger itself (tag_many of fewer than 16 articles is tag())
    assert topic in matcher.batch_tagger().tag_many([(title, "\n\n".join(paras))] * 16)[0].topics


def test_two_minerals_and_rare_earths_is_no_list_of_minerals(matcher):
    text = ("A Finnish smelter will build a plant to recover zinc or rare earth oxides from its tailings.\n\n"
            "The plant will cost 40 million euros.")
    assert "rare-earths" in matcher.tag("Smelter to recover zinc or rare earth oxides from waste", text).topics


def test_ai_demand_forecasting_is_an_ai_product(matcher):
    assert "artificial-intelligence" in matcher.tag(
        "Supermarket chain rolls out AI demand forecasting to cut food waste",
        "The chain said its AI demand forecasting tool would cut food waste by a fifth.").topics


def test_ai_as_the_demand_behind_a_chip_story_is_not_an_ai_story(matcher):
    """ "AI chip orders" in a foundry story names the demand, not the subject (blind 2026 set convention);
    an AI story says more than that."""
    foundry = matcher.tag("Foundry lifts capex as AI chip orders swamp 3nm lines",
                          "The chipmaker raised spending on new fabs and said 3nm lines were full until 2027.")
    assert "artificial-intelligence" not in foundry.topics
    assert "semiconductors" in foundry.topics
    model = matcher.tag("Lab trains its new language model on AI chips from two vendors",
                        "The large language model was trained with reinforcement learning on 20,000 AI chips.")
    assert "artificial-intelligence" in model.topics


@pytest.mark.parametrize("word", ["manganese", "chromium", "palladium"])
def test_a_score_equal_to_min_score_is_not_pruned_by_a_float_bound(matcher, word):
    """The prune bound 1.2 * 1.5 is 1.7999999999999998; the score is rounded to 1.8 and passes min_score 1.8, so the
    bound is rounded the same way (tag() dropped the topic that explain() and the batch path tagged)."""
    title = f"{word} and {word}"
    assert matcher.explain(title, "")["critical-minerals"].tagged
    assert "critical-minerals" in matcher.tag(title, "").topics
    assert "critical-minerals" in matcher.batch_tagger().tag_many([(title, "")] * 16)[0].topics


# r17-r19: r17 from the written set's second tune half (writers E, F), r18 from its third (writers I, J), r19 from a
# review of r17/r18 that probed with invented texts; every text here is written for these tests
KEEPS = [
    # r17: curbs named by a strategic good; obtaining a licence to ship; a licence for four words of goods
    ("export-controls", "Carmakers warn of idle lines as magnet curbs bite",
     "Suppliers said shipments of neodymium magnets had been stuck at Chinese ports for six weeks.\n\n"
     "One German parts maker has cut a shift."),
    ("export-controls", "Chip designer must obtain licences to ship accelerators to China",
     "The company said exports of its data-centre accelerators would be hit, and booked a charge of $1 billion.\n\n"
     "Its shares fell 5% after hours."),
    ("export-controls", "Magnet makers wait on approvals",
     "Since April exporters have needed a licence for seven medium and heavy rare earths under Beijing's "
     "licensing regime, and approvals take weeks.\n\n"
     "Exporters say the paperwork alone runs to 40 pages per shipment."),
    # r18: carriers by name; a tariff with trade context
    ("trade-tariffs", "Washington raises tariff on Chinese steel to 50%",
     "The new tariff applies to steel imports from China from next month, officials said.\n\n"
     "Beijing said it would respond."),
    ("telecom", "Telstra outage leaves emergency callers stranded",
     "A Telstra network fault cut off mobile services in three states for six hours on Tuesday.\n\n"
     "The regulator said it would investigate."),
    # r19: what r18 lost (short trade briefs, a licence to sell abroad, a named chipmaker's factory)
    ("trade-tariffs", "Trump threatens 100% tariff on films",
     "The president said he would impose a 100% tariff on movies made outside the United States.\n\n"
     "He gave no details of how it would work."),
    ("trade-tariffs", "CANADA TO APPEAL U.S. LUMBER TARIFF",
     "Canada will appeal the 15 pct tariff the United States placed on Canadian softwood lumber shipments, a "
     "government spokesman said."),
    ("trade-tariffs", "U.S. tariff on Asian solar panels to lift power bills, installers warn",
     "Installers said the new tariff on solar panels from Asia would push up electricity bills for homes that "
     "add panels.\n\nThe tariff takes effect in June."),
    ("export-controls", "Chipmaker says U.S. will require licence to sell accelerators to China",
     "The company said Washington would require a licence to sell its accelerators to China for the indefinite "
     "future.\n\nIt expects a charge of $2 billion."),
    ("semiconductors", "Memory maker delays Idaho chip factory",
     "Micron will open its Idaho chip factory a year later than planned, it said on Tuesday.\n\n"
     "The plant is due to receive federal grants."),
]

TRAPS = [
    # r17: a herd's AI; licences to sell at home
    ("artificial-intelligence", "Sexed semen lifts heifer numbers on Canterbury farms",
     "The co-op's AI technicians carried out 900,000 inseminations this season, up a tenth.\n\n"
     "Ten years ago AI was about getting cows in calf; now it is a genetics strategy, one farmer said."),
    ("export-controls", "Pub told to obtain a licence to sell beer",
     "The owners must obtain a licence to sell alcohol before the pub reopens, the council said.\n\nIt shut in March."),
    ("export-controls", "Cannabis shops will need licences",
     "Shops will need a licence to sell cannabis from next year, the ministry said.\n\nRules will follow in May."),
    # r18: a power tariff, a crisps factory, former employers
    ("trade-tariffs", "Power bills to climb as regulator approves tariff rise",
     "The state power regulator approved a higher tariff for the distribution company, adding 30 paise a unit "
     "for homes.\n\nOpposition leaders said the new tariff would hurt families already squeezed by rents."),
    ("semiconductors", "Snack maker shuts chip factory after 50 years",
     "The company will move production of its crinkle-cut potato snacks from the town's chip factory to a larger "
     "plant.\n\nThe chip factory employs 140 people and buys potatoes from local growers."),
    ("semiconductors", "Brewer names former Intel treasurer as finance chief",
     "The brewer appointed a former Intel treasurer, Ana Ruiz, as chief financial officer; a former Nvidia "
     "controller becomes her deputy.\n\nRuiz will join in March from a consumer goods group."),
    # r19: utility and phone-plan tariffs whose stories hold trade words; a stadium; mining curbs at home
    ("trade-tariffs", "Regulator lifts price cap: dual-fuel tariff to rise 6%",
     "The energy regulator said the typical dual-fuel tariff would rise by 6% from April under the new price cap.\n\n"
     "The industry's trade body said green levies added to bills."),
    ("trade-tariffs", "Carriers raise prepaid tariffs by up to 25%",
     "Three carriers raised prepaid tariffs by 10% to 25%.\n\nPrices quoted include 18% goods and services tax."),
    ("telecom", "Scorchers beat Sixers at Optus Stadium",
     "The Scorchers beat the Sixers by six wickets in front of 45,000 fans at Optus Stadium on Sunday.\n\n"
     "The hosts chased 168 with an over to spare at Optus Stadium."),
    ("export-controls", "Ghana's new mineral curbs target illegal gold mining",
     "Ghana announced new mineral curbs aimed at illegal small-scale gold mining, which has polluted rivers.\n\n"
     "The measures include tighter licensing for small-scale miners."),
]


@pytest.mark.parametrize("topic,title,text", KEEPS)
def test_r17_to_r19_tag_the_topic_of_the_story(matcher, topic, title, text):
    assert topic in matcher.tag(title, text).topics


@pytest.mark.parametrize("topic,title,text", TRAPS)
def test_r17_to_r19_traps(matcher, topic, title, text):
    assert topic not in matcher.tag(title, text).topics


def test_r17_to_r19_cases_tag_alike_in_the_batch_path(matcher):
    # tag_many of fewer than _MIN_BATCH articles is tag() itself: the batch tagger is asked directly
    pairs = [(title, text) for _, title, text in KEEPS + TRAPS]
    assert matcher.batch_tagger().tag_many(pairs) == [matcher.tag(title, text) for title, text in pairs]


# ---------------------------------------------------------------- context near the match (`near: N`)

NEAR = """version: "near1"
""" + scoring() + """lists:
  kinds: ['software', 'coding']
topics:
  - slug: software-agents
    label: Software agents
    iptc_code: medtop:04000010
    parent: computing
    propagate_to_parent: true
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: agent, weight: 1.0, near: 3, requires_any: [software, {phrase: AI, case: exact}, coding tool],
         forbids_any: [travel, estate]}
      - {pattern: '(?:{list:kinds})\\s+bot', weight: 1.0, anchors: [software, coding], near: 2,
         requires_any: [deploy]}
      - {phrase: assistant, weight: 1.0, requires_any: [software]}
  - slug: computing
    label: Computing
    iptc_code: medtop:04000011
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: computer, weight: 1.0}
      - {phrase: inference, weight: 1.0, near: 0, requires_any: [GPU, chip]}
      - {phrase: world model, weight: 1.0, near: 5, inflect_contexts: true, requires_any: [robot]}
      - {phrase: swarm, weight: 1.0, requires_any: [drone]}  # contexts as spelled: no "drones"
  - slug: prices
    label: Prices
    iptc_code: medtop:04000012
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: price, weight: 1.0, near: 1, forbids_any: [oil]}
      - {phrase: cost, weight: 1.0, forbids_any: [oil]}
"""

# invented sentences: (title, text, topics expected)
NEAR_SAMPLES = [
    ("", "The software agent booked the flights.", ["software-agents", "computing"]),
    ("", "A software company said profits rose. Later that year, a new agent joined the firm.", []),
    ("", "Our agent, built with coding tool kits, runs overnight.", ["software-agents", "computing"]),
    ("", "An AI agent wrote the patch.", ["software-agents", "computing"]),
    ("", "An ai agent wrote the patch.", []),  # the exact-case context is not there
    ("Software agent", "The agent joined in May and never left the firm again.", ["software-agents", "computing"]),
    ("Software news", "The agent joined in May.", []),  # the context is in the other field
    ("", "The travel software agent booked it.", []),  # a forbidden context close by
    ("", "The software agent booked it. He went on a long holiday with friends to travel.",
     ["software-agents", "computing"]),  # the forbidden one is far away
    ("", "Teams deploy the new software bot at night.", ["software-agents", "computing"]),
    ("", "The software bot sat idle for many weeks before anyone would deploy it.", []),
    ("", "The assistant joined. Years later the software shipped.", ["software-agents", "computing"]),
    ("", "GPU inference got cheaper.", ["computing"]),
    ("", "GPU makers drew an inference.", []),
    ("", "Robots need a world model.", ["computing"]),  # the plural of a context, asked for
    ("", "Drones swarm.", []),
    ("", "A drone swarm.", ["computing"]),
    ("", "Oil prices fell while the price of bread rose.", ["prices"]),
    ("", "The oil price fell.", []),
    ("", "Oil fell; costs rose.", []),  # a document-wide forbidden context, as before
]


@pytest.fixture(scope="module")
def near_matcher(tmp_path_factory):
    path = tmp_path_factory.mktemp("near") / "near.yaml"
    path.write_text(NEAR, encoding="utf-8")
    return TopicMatcher(load_taxonomy(path))


@pytest.mark.parametrize("title,text,expected", NEAR_SAMPLES)
def test_near_contexts_count_only_close_to_the_match(near_matcher, title, text, expected):
    result = near_matcher.tag(title, text)
    assert sorted(result.topics) == sorted(expected)
    assert near_matcher.tag_many([(title, text)] * 20) == [result] * 20  # the batch tagger agrees


def test_near_drops_show_their_reason(near_matcher):
    got = near_matcher.explain("", "A software company said profits rose. Later, a new agent joined the firm.")
    assert [(e.phrase, reason) for e, reason in got["software-agents"].dropped] == [("agent", "missing-context-near")]
    got = near_matcher.explain("", "The oil price fell.")
    assert [(e.phrase, reason) for e, reason in got["prices"].dropped] == [("price", "forbidden-context-near")]


def test_near_counts_words_between_the_phrases(near_matcher):
    # near: 3 allows three words between "software" and "agent", not four
    assert near_matcher.tag("", "software one two three agent").topics
    assert not near_matcher.tag("", "software one two three four agent").topics
    assert near_matcher.tag("", "agent one two three software").topics
    # punctuation and non-ASCII characters split words as the matcher does ("U.S." is two)
    assert not near_matcher.tag("", "software U.S. E.U. agent").topics
    assert near_matcher.tag("", "software \u2014 \u201cagent\u201d").topics


@pytest.mark.parametrize("value,problem", [
    ("-1", "near must be a number of words from 0 to 50"),
    ("51", "near must be a number of words from 0 to 50"),
    ("three", "'near' must be an integer"),
    ("true", "'near' must be an integer"),
])
def test_bad_near_values_name_file_line_and_problem(tmp_path, value, problem):
    path = _write(tmp_path, GOOD.replace("{phrase: widget, weight: 1.0}",
                                         f"{{phrase: widget, weight: 1.0, requires_any: [gadget], near: {value}}}"))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:17:" in str(err.value) and problem in str(err.value)


def test_inflect_contexts_needs_true_false_and_contexts(tmp_path):
    path = _write(tmp_path, GOOD.replace("{phrase: widget, weight: 1.0}",
                                         "{phrase: widget, weight: 1.0, inflect_contexts: yes please}"))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:17:" in str(err.value) and "'inflect_contexts' must be true/false" in str(err.value)
    path = _write(tmp_path, GOOD.replace("{phrase: widget, weight: 1.0}",
                                         "{phrase: widget, weight: 1.0, inflect_contexts: true}"))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:17:" in str(err.value) and "inflect_contexts needs requires_any" in str(err.value)


def test_context_plurals_are_opt_in_per_term(tmp_path):
    body = GOOD.replace("{phrase: widget, weight: 1.0}",
                        "{phrase: widget, weight: 1.0, requires_any: [gadget, {phrase: WD, case: exact}], "
                        "forbids_any: [toy box]}")
    plain = TopicMatcher(load_taxonomy(_write(tmp_path, body)))
    inflected = TopicMatcher(load_taxonomy(_write(tmp_path, body.replace("requires_any", "inflect_contexts: true, "
                                                                                          "requires_any"))))
    assert not plain.tag("Widget", "Gadgets everywhere.").topics
    assert inflected.tag("Widget", "Gadgets everywhere.").topics == ["widgets"]
    assert plain.tag("Widget", "Gadget and toy boxes.").topics == ["widgets"]
    assert not inflected.tag("Widget", "Gadget and toy boxes.").topics
    assert not inflected.tag("Widget", "WDs.").topics  # an exact-case context keeps its spelling
    assert {f for f, _ in inflected.taxonomy.contexts} == {"gadget", "gadgets", "WD", "toy box", "toy boxes",
                                                            "toy-box", "toy-boxes"}


def test_near_without_contexts_is_an_error(tmp_path):
    path = _write(tmp_path, GOOD.replace("{phrase: widget, weight: 1.0}", "{phrase: widget, weight: 1.0, near: 2}"))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:17:" in str(err.value) and "near needs requires_any or forbids_any" in str(err.value)


def test_words_between_counts_as_split_does(near_matcher):
    import random

    from pipelines.core.topics import _Doc, _NearContext

    rng = random.Random(20)
    words = ["agent", "U.S.", "state-of-the-art", "\u201cquoted\u201d", "x", "42", "--", "\n\n", "caf\u00e9"]
    for _ in range(50):
        doc = _Doc(" ".join(rng.choice(words) for _ in range(5)), " ".join(rng.choice(words) for _ in range(40)))
        near = _NearContext(near_matcher, doc, {}, None)
        n = len(doc.norm)
        for _ in range(40):
            lo, hi = sorted(rng.randrange(n + 1) for _ in range(2))
            assert near.words_between(lo, hi) == len(doc.norm[lo:hi].split())


# ---------------------------------------------------------------- passing mentions

PASSING = """version: "p1"
""" + scoring(lead_paragraphs=2, tail=0.6, tail_fraction=0.8) + """  passing_paragraphs: 4
topics:
  - slug: widgets
    label: Widgets
    parent: null
    min_score: 0.5
    min_evidence: 1
    terms:
      - {phrase: widget, weight: 1.0}
      - {phrase: sprocket, weight: 1.0}
  - slug: gadgets
    label: Gadgets
    parent: null
    passing_paragraphs: 0
    min_score: 0.5
    min_evidence: 1
    terms:
      - {phrase: gadget, weight: 1.0}
"""

_FILLER = ["The school opened a new library this term.", "Parents praised the longer lunch break.",
           "Teachers ran a reading week in March.", "The head thanked the governors for their help.",
           "Results in maths rose for a third year."]


def _story(*mentions: tuple[int, str]) -> str:
    """Five paragraphs of filler; mentions (paragraph index, sentence) are appended to their paragraph."""
    paras = list(_FILLER)
    for i, sentence in mentions:
        paras[i] += " " + sentence
    return "\n\n".join(paras)


@pytest.fixture(scope="module")
def passing_matcher(tmp_path_factory):
    return TopicMatcher(load_taxonomy(_write(tmp_path_factory.mktemp("passing"), PASSING)))


PASSING_SAMPLES = [  # (title, text, tagged topics)
    ("School news", _story((3, "Staff tried a widget and a sprocket.")), []),  # one body paragraph
    ("School news", _story((4, "A widget, a widget and another widget.")), []),  # repeats in the last one
    ("School news", _story((3, "Staff tried a widget."), (4, "Pupils liked the sprocket.")), ["widgets"]),
    ("School news", _story((1, "Staff tried a widget.")), ["widgets"]),  # in the lead
    ("Widget week at school", _story((3, "Staff tried a widget.")), ["widgets"]),  # in the title
    ("School news", "\n\n".join(_FILLER[:3]) + " Staff tried a widget.", ["widgets"]),  # 3 paragraphs < 4
    ("School news", _story((3, "Staff tried a gadget.")), ["gadgets"]),  # the topic turns the rule off
    ("School news", _story((3, "Staff tried a widget and a gadget.")), ["gadgets"]),
    ("School news", _story() + "\n\nStaff tried a widget.", []),  # a short last paragraph is still one
    ("School news", _story() + "\n\nWidgets\n\nStaff tried a widget.", ["widgets"]),  # two pieces: not one
    ("School news", _story((3, "Staff tried a widget.")).replace("\n\n", "\n"), []),  # lines as paragraphs
]


@pytest.mark.parametrize("title,text,topics", PASSING_SAMPLES)
def test_a_topic_in_one_paragraph_after_the_lead_is_a_passing_mention(passing_matcher, title, text, topics):
    assert passing_matcher.tag(title, text).topics == topics
    tagged = sorted(s for s, c in passing_matcher.explain(title, text).items() if c.tagged)
    assert tagged == sorted(topics)


def test_explain_names_the_passing_mention(passing_matcher):
    cand = passing_matcher.explain("School news", _story((3, "Staff tried a widget.")))["widgets"]
    assert not cand.tagged and cand.reason == "passing-mention"
    assert cand.score >= 0.5 and [e.phrase for e in cand.evidence] == ["widget"]  # its evidence is still shown
    assert passing_matcher.explain("Widget week", _story((3, "Staff tried a widget.")))["widgets"].reason is None


def test_passing_rule_is_off_by_default(tmp_path):
    m = TopicMatcher(load_taxonomy(_write(tmp_path, PASSING.replace("  passing_paragraphs: 4\n", ""))))
    assert m.taxonomy.scoring.passing_paragraphs == 0
    assert m.tag("School news", _story((3, "Staff tried a widget."))).topics == ["widgets"]


def test_paragraphs_are_counted_as_the_lead_counts_them(passing_matcher):
    count, cuts = passing_matcher._paragraphs(b"Menu\n\nOne two three.\n\nOne two three.\n  Four five six.\n\nx")
    assert count == 2  # "Menu" and "x" are too short, the repeat does not count
    assert cuts == [6, 22, 37, 55]  # where each piece after the first starts (an indented line is a break)


@pytest.mark.parametrize("where,value,line,problem", [
    ("scoring", "-1", 9, "passing_paragraphs must be 0 (off) or a number of paragraphs"),
    ("scoring", "four", 9, "'passing_paragraphs' must be an integer"),
    ("topic", "true", 22, "'passing_paragraphs' must be an integer"),
    ("topic", "-2", 22, "passing_paragraphs must be 0 (off)"),
    ("topic", "2.5", 22, "'passing_paragraphs' must be an integer"),
])
def test_bad_passing_paragraphs_name_file_line_and_problem(tmp_path, where, value, line, problem):
    old = "  passing_paragraphs: 4\n" if where == "scoring" else "    passing_paragraphs: 0\n"
    path = _write(tmp_path, PASSING.replace(old, old.replace(old.split(": ")[1], value + "\n")))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:{line}:" in str(err.value) and problem in str(err.value)


def test_a_form_shared_by_two_terms_of_a_topic_is_an_error(tmp_path):
    body = PASSING.replace("{phrase: sprocket, weight: 1.0}", "{phrase: sprocket, weight: 1.0, variants: [widget]}")
    path = _write(tmp_path, body)
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:18:" in str(err.value) and "'widget' is also a form of the term at line 17" in str(err.value)


def test_passing_below_spares_a_dense_paragraph_in_both_paths(tmp_path):
    """A paragraph scoring at least passing_below x min_score is about the topic, whatever its place."""
    body = PASSING.replace("  passing_paragraphs: 4\n", "  passing_paragraphs: 4\n  passing_below: 3.0\n")
    m = TopicMatcher(load_taxonomy(_write(tmp_path, body)))
    thin = ("School news", _story((3, "Staff tried a widget.")))  # 1.0 < 3.0 x 0.5: a passing mention
    dense = ("School news", _story((3, "Staff tried a widget and a sprocket.")))  # 2.0 >= 1.5: the point
    assert m.tag(*thin).topics == [] and m.tag(*dense).topics == ["widgets"]
    assert [r.topics for r in m.tag_many([thin, dense])] == [[], ["widgets"]]


@pytest.mark.parametrize("value,problem", [("-1", "passing_below must be >= 0"),
                                           ("lots", "'passing_below' must be")])
def test_bad_passing_below_names_file_line_and_problem(tmp_path, value, problem):
    path = _write(tmp_path, PASSING.replace("  passing_paragraphs: 4\n", f"  passing_paragraphs: 4\n  passing_below: {value}\n"))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:10:" in str(err.value) and problem in str(err.value)


# ---------------------------------------------------------------- yields (one topic as the context of another)

YIELDS = """version: "y1"
""" + scoring() + """  yields:
    - {topic: gears, to: [metals, robots], ratio: 1.5}
topics:
  - slug: gears
    label: Gears
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: gear, weight: 1.0}
      - {phrase: sprocket, weight: 1.0}
  - slug: metals
    label: Metals
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: tin, weight: 1.0}
      - {phrase: zinc, weight: 1.0}
  - slug: robots
    label: Robots
    parent: null
    min_score: 5.0
    min_evidence: 1
    terms:
      - {phrase: robot, weight: 1.0}
  - slug: toys
    label: Toys
    parent: null
    min_score: 1.0
    min_evidence: 1
    terms:
      - {phrase: toy, weight: 1.0}
"""

YIELD_SAMPLES = [  # (title, text, tagged topics); one paragraph: every hit is in the lead (x1.5)
    ("Zinc ban widens", "Exports of zinc and tin stop today. A gear maker worries.", ["metals"]),
    ("Zinc ban hits gear makers", "Exports of zinc and tin stop today. A gear maker worries.", ["metals", "gears"]),
    ("Factory news", "A gear and sprocket plant opened, buying tin from abroad.", ["gears", "metals"]),  # 3.0 vs 1.5
    ("Factory news", "A gear plant opened as tin and more tin rose today.", ["metals"]),  # 2.25 = 1.5 x 1.5
    ("Factory news", "A gear plant opened near the robot robot robot hall.", ["gears"]),  # robots untagged
    ("Factory news", "A gear plant opened near the toy toy toy toy shop.", ["toys", "gears"]),  # toys: no yield
    ("", "A gear plant opened, and zinc and tin and zinc rose again.", ["metals"]),
]


@pytest.fixture(scope="module")
def yield_matcher(tmp_path_factory):
    return TopicMatcher(load_taxonomy(_write(tmp_path_factory.mktemp("yields"), YIELDS)))


@pytest.mark.parametrize("title,text,topics", YIELD_SAMPLES)
def test_an_untitled_topic_yields_to_a_clearly_stronger_one(yield_matcher, title, text, topics):
    assert yield_matcher.tag(title, text).topics == topics
    tagged = sorted(s for s, c in yield_matcher.explain(title, text).items() if c.tagged)
    assert tagged == sorted(topics)


def test_explain_names_the_topic_yielded_to(yield_matcher):
    cand = yield_matcher.explain(*YIELD_SAMPLES[0][:2])["gears"]
    assert not cand.tagged and cand.reason == "yields to metals"
    assert [e.phrase for e in cand.evidence] == ["gear"]  # its evidence is still shown
    assert yield_matcher.explain(*YIELD_SAMPLES[1][:2])["gears"].reason is None


def test_the_ratio_is_read_from_the_file(tmp_path):
    m = TopicMatcher(load_taxonomy(_write(tmp_path, YIELDS.replace("ratio: 1.5", "ratio: 1.6"))))
    assert m.taxonomy.scoring.yields == (Yield("gears", ("metals", "robots"), 1.6, 0.0),)
    assert m.tag(*YIELD_SAMPLES[3][:2]).topics == ["metals", "gears"]  # 2.25 < 1.6 x 1.5


DENSE_GEARS = ("Zinc and tin exports halted", "Gear, sprocket and gear makers worry as zinc, tin and tin stop.")


def test_a_topic_scoring_below_times_its_min_score_does_not_yield(tmp_path):
    """gears 3.75 (no title match), metals 5.875 >= 1.5 x 3.75: it yields, unless below x min_score (1.0) <= 3.75."""
    plain = TopicMatcher(load_taxonomy(_write(tmp_path, YIELDS)))
    assert plain.tag(*DENSE_GEARS).topics == ["metals"]
    for below, topics in ((3.0, ["metals", "gears"]), (3.75, ["metals", "gears"]), (3.8, ["metals"])):
        body = YIELDS.replace("ratio: 1.5}", f"ratio: 1.5, below: {below}}}")
        m = TopicMatcher(load_taxonomy(_write(tmp_path, body)))
        assert m.tag(*DENSE_GEARS).topics == topics
        assert [r.topics for r in m.tag_many([DENSE_GEARS] * 16)] == [topics] * 16


def test_yields_are_off_by_default(tmp_path):
    body = YIELDS.replace("  yields:\n    - {topic: gears, to: [metals, robots], ratio: 1.5}\n", "")
    m = TopicMatcher(load_taxonomy(_write(tmp_path, body)))
    assert m.taxonomy.scoring.yields == ()
    assert m.tag(*YIELD_SAMPLES[0][:2]).topics == ["metals", "gears"]


@pytest.mark.parametrize("entry,problem", [
    ("{topic: cogs, to: [metals], ratio: 1.5}", "unknown topic 'cogs'"),
    ("{topic: gears, to: [metal], ratio: 1.5}", "unknown topic 'metal'"),
    ("{topic: gears, to: [gears], ratio: 1.5}", "'gears' cannot yield to itself"),
    ("{topic: gears, to: [], ratio: 1.5}", "'to' must be a non-empty list"),
    ("{topic: gears, to: [metals], ratio: 0}", "ratio must be >= 1"),
    # r22: below 1 a topic yields to a weaker one, and two topics yielding to each other both vanish
    ("{topic: gears, to: [metals], ratio: 0.8}", "ratio must be >= 1"),
    ("{topic: gears, to: [metals], ratio: 1.5}\n    - {topic: metals, to: [gears], ratio: 1.2}",
     "'gears' and 'metals' yield to each other"),
    ("{topic: gears, to: [metals], ratio: 1.5, unless_terms: [cog]}", "'gears' has no term labelled 'cog'"),
    ("{topic: gears, to: [metals], ratio: 1.5, unless_paragraph: -1}", "unless_paragraph must be >= 0"),
    ("{topic: gears, to: [metals], ratio: 1.5, below: -1}", "below must be >= 0"),
    ("{topic: gears, to: [metals]}", "ratio"),
    ("{topic: gears, to: [metals], ratio: 1.5, near: 3}", "near"),
    ("{topic: gears, to: [metals], ratio: 1.5}\n    - {topic: gears, to: [toys], ratio: 2}", "'gears' has two entries"),
])
def test_bad_yields_name_file_line_and_problem(tmp_path, entry, problem):
    path = _write(tmp_path, YIELDS.replace("{topic: gears, to: [metals, robots], ratio: 1.5}", entry))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert f"{path}:" in str(err.value) and problem in str(err.value)


# invented stories: chips named as the context of a mineral export ban or an AI lab's funding round (r20)
GALLIUM_BAN = (
    "Beijing halts gallium and germanium shipments to America",
    "China's commerce ministry said on Monday it would stop exports of gallium and germanium to the United States, "
    "tightening an export ban it first announced two years ago on the two metals.\n\n"
    "Exporters will need a licence for every shipment to other countries, the ministry said, and shipments routed "
    "through third countries to American buyers are banned outright.\n\n"
    "China produces most of the world's refined gallium and much of its germanium. Both metals are used in "
    "semiconductors, solar cells and night-vision equipment, and chip makers in Japan and Korea hold a few months "
    "of stock, traders said.\n\n"
    "Gallium prices in Rotterdam jumped 12% after the announcement. Analysts said the critical minerals ban was a "
    "reply to new American limits on sales of chipmaking tools.")
AI_ROUND = (
    "Paris start-up raises 2 billion euros to build French AI models",
    "A Paris artificial intelligence start-up said on Tuesday it had raised 2 billion euros from investors to train "
    "larger language models, the biggest funding round for a European AI company this year.\n\n"
    "The company's chatbot competes with American rivals. It said the money would pay for training runs on Nvidia "
    "GPUs and for hiring machine learning researchers.\n\n"
    "Dutch chip equipment maker ASML led the round and will take a board seat, its second bet on a software "
    "company.\n\n"
    "Investors said generative AI in Europe needs champions of its own.")
CHIPMAKERS_SCRAMBLE = (
    "Chipmakers scramble as China halts gallium shipments",
    "Chipmakers in Japan and Korea are scrambling for supplies after China said it would stop exports of gallium "
    "and germanium to the United States.\n\n"
    "Semiconductor makers use gallium in power chips and radio-frequency parts, and several said they hold only a "
    "few months of stock.\n\nThe export ban follows new American limits on chipmaking tools.")


@pytest.mark.parametrize("story,stronger", [(GALLIUM_BAN, "critical-minerals"), (AI_ROUND, "artificial-intelligence")])
def test_chips_as_the_context_of_another_story_are_not_a_chip_story(matcher, story, stronger):
    result = matcher.tag(*story)
    assert stronger in result.topics and "semiconductors" not in result.topics
    cand = matcher.explain(*story)["semiconductors"]
    assert cand.score >= 2.5 and cand.reason.startswith("yields to ")  # enough evidence on its own
    assert [r.topics for r in matcher.tag_many([story] * 16)] == [result.topics] * 16


def test_a_chip_story_with_chips_in_its_title_keeps_its_tag(matcher):
    result = matcher.tag(*CHIPMAKERS_SCRAMBLE)
    assert {"semiconductors", "critical-minerals"} <= set(result.topics)


# chips all through the text, not in the title; export-controls scores over 1.5 x semiconductors (r20's cap kept
# it; since r21 export-controls is no yield target at all)
TECH_CURBS = (
    "Washington widens China tech curbs",
    "The Commerce Department on Monday widened export controls on China, adding 140 companies to the Entity List "
    "and requiring licences for sales of advanced chips and chipmaking equipment.\n\n"
    "The rules cover high-bandwidth memory and tools from Applied Materials and Lam Research, and extend the "
    "foreign direct product rule to equipment made abroad. Officials said the export controls close gaps in last "
    "year's rules.\n\nNvidia said it would comply. Shares of chip equipment makers fell 3%.")


def test_dense_chip_text_is_a_chip_story_beside_stronger_export_controls(matcher):
    cands = matcher.explain(*TECH_CURBS)
    semis, curbs = cands["semiconductors"], cands["export-controls"]
    assert curbs.tagged and curbs.score >= 1.5 * semis.score  # the yield's ratio holds ...
    assert semis.tagged and semis.score >= 3 * 2.5  # ... but its own score is over below x min_score
    assert {"semiconductors", "export-controls"} <= set(matcher.tag(*TECH_CURBS).topics)


# invented stories for r20's export-control wording: (title, text, tagged as export-controls)
EXPORT_WORDING = [
    # end-use checks: the compliance words of an export control
    ('Machine tool makers face tougher end-use checks on orders from Central Asia',
     'Machine tool makers in Germany and Italy will have to carry out tougher end-use checks on orders '
     'from Kazakhstan and Kyrgyzstan, officials said, after a surge in orders that investigators traced '
     'to buyers in Russia.\n\nCompanies must also write a clause into every contract that bars the customer '
     'from sending the goods on to Russia.',
     True),
    # re-exporting to a sanctioned country
    ('Brokers in Dubai charged with re-exporting US drone parts to Iran',
     'Three brokers were charged on Thursday with re-exporting American drone engines and navigation '
     'parts to Iran through front companies in Dubai, in breach of US sanctions.\n\nProsecutors said the '
     'men forged end-user certificates to hide where the parts were going.',
     True),
    # Hong Kong's re-exports are trade figures
    ('Hong Kong re-exports climb 12% in March',
     "Hong Kong's re-exports rose 12% in March from a year earlier, led by electronics bound for mainland "
     "China, government figures showed.\n\nImports rose 9%, and the territory's visible trade deficit "
     'narrowed.',
     False),
    # end-use demand for fuel is no check
    ('Refiners see end-use demand for diesel flat this year',
     'End-use demand for diesel will stay flat this year as freight volumes stall, refiners said, with '
     'end-user prices for road fuel down 4%.\n\nJet fuel demand is expected to grow.',
     False),
    # a government's quota on a strategic mineral's exports
    ('Jakarta sets export quota for nickel ore as smelters ramp up',
     'Indonesia will cap nickel ore shipments abroad at 30 million tonnes next year under a new export '
     "quota, the mining ministry said, to keep ore at home for its smelters.\n\nThe country is the world's "
     'largest nickel producer.',
     True),
    # a commodity pact's export quotas are trade's
    ('Coffee producers fail to agree export quotas',
     'Coffee producing countries failed to agree export quotas at a meeting in London on Friday, '
     'delegates said, leaving prices under pressure.\n\nProducers will meet again in June.',
     False),
]


@pytest.mark.parametrize("title,text,tagged", EXPORT_WORDING)
def test_export_control_compliance_words_and_mineral_quotas(matcher, title, text, tagged):
    assert ("export-controls" in matcher.tag(title, text).topics) is tagged


# invented stories for r20's trade wording: (title, text, tagged as trade-tariffs, as export-controls or None)
TRADE_WORDING = [
    # a truce in a story that names tariffs is the trade war's
    ('Soybean cargoes sail again after Trump-Xi truce',
     'American soybean cargoes left Gulf ports for China on Monday for the first time since March, '
     'exporters said.\n\nBeijing cut its extra tariffs on US farm goods to 10% last week under the deal.',
     True, None),
    # a ceasefire names no tariff
    ('Sudan truce collapses as fighting resumes in Darfur',
     'A week-old truce between the army and the paramilitary forces collapsed on Sunday as shelling '
     'resumed around El Fasher, aid groups said.\n\nFood prices in the city have tripled, and duties at the '
     'border crossing were suspended to let aid through.',
     False, None),
    # a quota on a strategic mineral's exports is an export control, not a trade pact's quota
    ('Kinshasa keeps cobalt export quotas in place for another year',
     'The Democratic Republic of Congo will keep its quotas on cobalt exports through next year, the '
     "mines ministry said, extending a policy that has lifted prices.\n\nCongo mines most of the world's "
     'cobalt, which is used in battery cathodes.',
     False, True),
    # a commodity pact's export quotas stay trade's
    ('Coffee producers fail to agree export quotas',
     'Coffee producing countries failed to agree export quotas at a meeting in London on Friday, '
     'delegates said, leaving prices under pressure.\n\nProducers will meet again in June.',
     True, False),
]


@pytest.mark.parametrize("title,text,trade,export", TRADE_WORDING)
def test_trade_truces_and_mineral_export_quotas(matcher, title, text, trade, export):
    topics = matcher.tag(title, text).topics
    assert ("trade-tariffs" in topics) is trade
    if export is not None:
        assert ("export-controls" in topics) is export


# ---------------------------------------------------------------- r21 (round 4 of the written set as tune data)
# invented stories: (title, text, topic, tagged)
R21_STORIES = [
    # chips all through an export-control case, none in the title: a chip story still (r20 yielded it to
    # export-controls, scoring about 3 x as much)
    ("Design-software maker fined $90m over sales to blacklisted Chinese institute",
     "A US maker of electronic design automation software agreed on Wednesday to pay $90m to settle charges that it "
     "sold chip design tools to a Chinese research institute on the Entity List without an export licence.\n\n"
     "Prosecutors said staff at its Shanghai unit hid the end user from the compliance team, breaking export "
     "controls that bar such sales.\n\n"
     "The tools are used to lay out processors and memory chips, and the institute builds supercomputers for "
     "weapons research, the Commerce Department said.\n\nThe company said it had tightened its controls.",
     "semiconductors", True),
    # a trade truce and exporters as the background of a mineral supply story
    ("Tungsten buyers pay up as Chinese shipments stay scarce",
     "Tungsten prices in Europe rose to a ten-year high this week as buyers competed for a shrinking pool of "
     "material after China cut exports of the metal, traders said.\n\n"
     "Beijing's licensing regime for tungsten, antimony and bismuth has slowed shipments since February, and a "
     "trade truce agreed in the autumn has not brought volumes back, exporters said.\n\n"
     "Ammonium paratungstate traded at $600 per tonne unit in Rotterdam. Almonty Industries said its tungsten mine "
     "in South Korea would start output next year, one of few sources of the critical mineral outside China.\n\n"
     "Antimony and bismuth prices also rose. Tungsten and antimony are strategic minerals used in armour-piercing "
     "rounds and drill bits, and Western governments have added both to their critical minerals lists and "
     "stockpiles.",
     "trade-tariffs", False),
    # a trade truce and exporters as the background of an export-control case
    ("Seoul adds 40 Russian buyers to export blacklist over drone parts",
     "South Korea added 40 Russian companies to its export control list on Friday and will require licences for "
     "shipments of machine tools and drone parts to Central Asia, the trade ministry said.\n\n"
     "Officials said exports of controlled goods routed through Kazakhstan had tripled and that exporters must "
     "now obtain end-user certificates. Violations of the export controls carry prison terms.\n\n"
     "The move comes despite a trade truce between Washington and Beijing that has eased some curbs, analysts "
     "said; exporters of dual-use items face the strictest checks.",
     "trade-tariffs", False),
    # trap: a truce deal trading tariff cuts for paused export controls is both
    ("Washington and Beijing extend their truce for a year",
     "The United States and China agreed on Thursday to extend their trade truce by a year, keeping tariffs on "
     "each other's goods at current levels while trade talks continue.\n\n"
     "Beijing will suspend its export controls on rare earth magnets and Washington will pause new export "
     "controls on chipmaking tools and its entity list expansion, officials said. Export licences for magnets will "
     "be issued within 30 days.\n\n"
     "The deal also cuts retaliatory tariffs on soybeans, and both sides will hold further trade negotiations "
     "on the trade deficit in the spring.",
     "trade-tariffs", True),
    # trap: tariffs on minerals, said in the title, are trade policy beside a strong minerals story
    ("Washington sets 25% tariffs on imported processed critical minerals",
     "The United States will impose tariffs of 25% on imports of processed critical minerals from next month, "
     "the Commerce Department said, after a Section 232 review.\n\n"
     "The duties cover refined cobalt, nickel, lithium and rare earth oxides. Trading partners including "
     "Canada and Australia will seek exemptions in trade talks.",
     "trade-tariffs", True),
    # a telecoms regulator's approved tariff rise is a price for calls and data
    ("Telecoms regulator lets carriers raise call and data tariffs by 30%",
     "Mobile operators in Ghana will raise prices for calls and data bundles by up to 30% from Monday after the "
     "National Communications Commission approved a tariff increase.\n\n"
     "Operators said the weaker cedi and fuel for base stations had raised their costs. Subscribers' groups "
     "said the tariff rise would hurt the poor.",
     "trade-tariffs", False),
    # trap: tariffs on network gear that mobile operators buy are trade policy
    ("Mobile operators brace for tariffs on Chinese network gear",
     "European mobile operators warned on Tuesday that tariffs on Chinese network equipment proposed by the "
     "European Commission would raise the cost of their 5G roll-outs.\n\n"
     "The tariff plan, part of a wider trade dispute with Beijing over subsidies, would add 25% to the price of "
     "base stations bought from Huawei and ZTE.",
     "trade-tariffs", True),
    # a metal premium quoted duty-paid or duty-unpaid is a price basis; one "import tariffs" in the body is not
    # enough for a market wrap
    ("Aluminium premiums climb as Rotterdam duty-paid price hits record",
     "The Rotterdam duty-paid aluminium premium rose to a record $400 a tonne this week on thin stocks, traders "
     "said, while the duty-unpaid premium was steady.\n\n"
     "Aluminium on the London Metal Exchange rose 1%. US Midwest premiums stayed high because of import tariffs.",
     "trade-tariffs", False),
    # licences granted for the export of chips are export licences
    ("US grants licences for the export of 20,000 AI processors to Saudi data centres",
     "The US Commerce Department has granted licences for the export of 20,000 advanced AI processors to two "
     "data centre operators in Saudi Arabia, people familiar with the matter said.\n\n"
     "The approvals follow a security agreement under which the kingdom pledged to keep the hardware away from "
     "Chinese firms.",
     "export-controls", True),
    # a magnet story's grain-boundary diffusion is no grain tender
    ("Magnet makers wait weeks for Chinese approvals",
     "Japanese magnet makers say Chinese export licences for dysprosium and terbium now take eight weeks to come "
     "through, leaving them short of feed for motors.\n\n"
     "Producers are turning to grain-boundary diffusion, which coats a finished magnet rather than alloying heavy "
     "rare earths through it, to stretch their stocks.",
     "export-controls", True),
    # trap: a wheat tender's export licences are subsidy awards
    ("EC grants export licences for wheat",
     "The European Community granted export licences for 100,000 tonnes of soft wheat at Tuesday's weekly "
     "tender, traders said.\n\nGrain traders had bid for 250,000 tonnes.",
     "export-controls", False),
    # trap: a grain tender's export licences are subsidy awards, as for "export licences"
    # "AI memory" in a memory maker's results is AI as the demand behind a chip, as "AI chips" is
    ("Memory maker's profit slides on weak AI memory orders",
     "A South Korean memory chipmaker said quarterly operating profit fell 40% as orders for its AI memory lagged "
     "rivals' and prices of older DRAM slipped.\n\nThe company said it expected to start shipping its next "
     "high-bandwidth memory later this year.",
     "artificial-intelligence", False),
    # trap: a chatbot's memory feature is AI news
    ("Chatbot maker adds AI memory so assistants recall past chats",
     "A San Francisco AI start-up said its chatbot can now remember earlier conversations, an AI memory feature "
     "that lets its assistant recall users' preferences.\n\nThe large language model behind it was retrained "
     "for the task, the company said.",
     "artificial-intelligence", True),
    ("EC awards licences for the export of barley",
     "The European Community awarded licences for the export of 120,000 tonnes of barley at Wednesday's "
     "weekly tender, traders said.\n\nMaximum restitution was set at 138 Ecus a tonne.",
     "export-controls", False),
]


@pytest.mark.parametrize("title,text,topic,tagged", R21_STORIES)
def test_r21_yields_and_wording(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


def test_a_chip_export_case_keeps_its_chip_tag_beside_a_much_stronger_export_story(matcher):
    cands = matcher.explain(*R21_STORIES[0][:2])
    semis, curbs = cands["semiconductors"], cands["export-controls"]
    assert curbs.tagged and curbs.score >= 1.5 * semis.score and semis.score < 3 * 2.5  # r20's yield would bite
    assert semis.tagged and semis.reason is None


def test_a_trade_truce_behind_a_mineral_story_yields_to_the_minerals(matcher):
    cands = matcher.explain(*R21_STORIES[1][:2])
    trade, minerals = cands["trade-tariffs"], cands["critical-minerals"]
    assert trade.score >= 3.0 and minerals.tagged and minerals.score >= 2 * trade.score  # enough on its own
    assert not trade.tagged and trade.reason == "yields to critical-minerals"


# ---------------------------------------------------------------- r22: review mends of r21's yields and wording

# an AI lab's launch with two paragraphs on its own chip: the chip subject is the lab's, not the AI story's context
OWN_CHIP = (
    "OpenAI unveils GPT-5 and says it will cut costs for developers",
    "OpenAI on Thursday released GPT-5, its most capable artificial intelligence model, saying it makes fewer "
    "mistakes and can write software, and that it would cut prices for developers using its API.\n\n"
    "The model will power ChatGPT, which has 700 million weekly users. Chief executive Sam Altman said GPT-5 was a "
    "significant step toward artificial general intelligence.\n\n"
    "OpenAI also confirmed it is developing its first in-house chip with Broadcom, to be manufactured by TSMC on its "
    "3-nanometre process next year. The custom processor is meant to reduce the company's dependence on Nvidia "
    "GPUs, which cost tens of thousands of dollars each.\n\n"
    "The chip team, led by former Google engineer Richard Ho, has about 40 people. Semiconductor analysts said "
    "custom silicon could take several years to match Nvidia's performance.\n\n"
    "Rivals Google, Anthropic and Meta have released competing models this year, and Chinese lab DeepSeek shook "
    "markets in January with a cheap reasoning model.")

# an export-licence deal struck in trade talks, with tariffs on goods: trade is a second subject, not background
LICENCES_IN_TRADE_TALKS = (
    "U.S. to let Nvidia sell H20 chips in China for a cut of revenue",
    "The Trump administration will grant export licences to Nvidia and AMD to sell some artificial intelligence "
    "chips in China in exchange for 15% of the revenue, an unusual arrangement that export control experts said may "
    "be unconstitutional.\n\n"
    "The Commerce Department began issuing the licences for Nvidia's H20 chip on Friday. The H20 was banned under "
    "export controls in April.\n\n"
    "The arrangement was part of the trade talks between Washington and Beijing. Chinese negotiators had asked for "
    "the easing of export restrictions, and the two sides extended their tariff truce by 90 days, keeping U.S. "
    "tariffs on Chinese goods at 30%.\n\n"
    "Critics said the deal turned export controls into a bargaining chip in trade negotiations.\n\n"
    "Nvidia said it follows the rules the government sets.")


def test_a_paragraph_of_chip_news_keeps_semiconductors_beside_a_much_stronger_ai_story(matcher):
    cands = matcher.explain(*OWN_CHIP)
    semis, ai = cands["semiconductors"], cands["artificial-intelligence"]
    assert ai.tagged and ai.score >= 1.5 * semis.score and semis.score < 7.5  # r21's yield bites here
    assert semis.tagged and semis.reason is None
    assert [r.topics for r in matcher.tag_many([OWN_CHIP] * 17)] == [matcher.tag(*OWN_CHIP).topics] * 17


def test_trade_talks_keep_trade_beside_a_much_stronger_export_control_case(matcher):
    cands = matcher.explain(*LICENCES_IN_TRADE_TALKS)
    trade, curbs = cands["trade-tariffs"], cands["export-controls"]
    assert curbs.tagged and curbs.score >= 2 * trade.score and trade.score < 6.0  # r21's yield bites here
    assert trade.tagged and trade.reason is None
    assert [r.topics for r in matcher.tag_many([LICENCES_IN_TRADE_TALKS] * 17)] == [
        matcher.tag(*LICENCES_IN_TRADE_TALKS).topics] * 17


def test_chips_spread_over_an_ai_story_still_yield(matcher):
    """Trap: an AI lab's funding round naming GPUs in several paragraphs, never three in one, stays AI only."""
    title = "AI start-up raises $2bn to train larger models"
    text = ("An artificial intelligence start-up founded by former DeepMind researchers raised $2 billion to train "
            "larger language models, it said on Tuesday.\n\n"
            "The company will spend most of the money on Nvidia GPUs for a new training cluster.\n\n"
            "Its chatbot and AI agents are used by banks, and its machine learning team doubled last year.\n\n"
            "Investors said generative AI models need ever more semiconductors, and the start-up plans a second data "
            "centre for its AI models next year, filled with AI chips.")
    semis = matcher.explain(title, text)["semiconductors"]
    assert semis.score >= 2.5 and semis.reason == "yields to artificial-intelligence"
    assert "semiconductors" not in matcher.tag(title, text).topics


def _rounding_matcher(tmp_path, gear: float, tin: float, entry: str, gears_min: float = 1.0):
    body = (YIELDS.replace("{topic: gears, to: [metals, robots], ratio: 1.5}", entry)
            .replace("{phrase: gear, weight: 1.0}", f"{{phrase: gear, weight: {gear}}}")
            .replace("{phrase: tin, weight: 1.0}", f"{{phrase: tin, weight: {tin}}}")
            .replace("min_score: 1.0", f"min_score: {gears_min}", 1))
    return TopicMatcher(load_taxonomy(_write(tmp_path, body)))


ROUNDING_STORY = ("Factory news", "A gear plant opened as tin prices rose today.")  # one paragraph: the lead (x1.5)


def test_the_ratio_is_compared_rounded_as_scores_are(tmp_path):
    """gears 3.0, metals 3.3 and a ratio of 1.1: 1.1 x 3.0 is 3.3000000000000003 in floating point, so r21 kept
    gears though metals scores exactly 1.1 times as much."""
    m = _rounding_matcher(tmp_path, 2.0, 2.2, "{topic: gears, to: [metals], ratio: 1.1}")
    cands = m.explain(*ROUNDING_STORY)
    assert (cands["gears"].score, cands["metals"].score) == (3.0, 3.3)
    assert m.tag(*ROUNDING_STORY).topics == ["metals"]
    assert [r.topics for r in m.tag_many([ROUNDING_STORY] * 16)] == [["metals"]] * 16


def test_the_score_cap_is_rounded_as_scores_are(tmp_path):
    """gears min_score 3.0, below 2.2: a cap of 6.6 (6.6000000000000005 unrounded); gears scoring 6.6 is a story of
    its own and does not yield to metals scoring 1.5 times as much."""
    m = _rounding_matcher(tmp_path, 4.4, 6.6, "{topic: gears, to: [metals], ratio: 1.5, below: 2.2}", gears_min=3.0)
    cands = m.explain(*ROUNDING_STORY)
    assert (cands["gears"].score, cands["metals"].score) == (6.6, 9.9)
    assert m.tag(*ROUNDING_STORY).topics == ["metals", "gears"]
    assert [r.topics for r in m.tag_many([ROUNDING_STORY] * 16)] == [["metals", "gears"]] * 16


def test_a_listed_term_keeps_a_topic_from_yielding(tmp_path):
    m = _rounding_matcher(tmp_path, 1.0, 1.0, "{topic: gears, to: [metals], ratio: 1.5, unless_terms: [sprocket]}")
    plain, kept = ("News", "A gear plant buys tin, zinc and tin."), ("News", "A sprocket plant buys tin, zinc and tin.")
    assert m.tag(*plain).topics == ["metals"] and m.tag(*kept).topics == ["metals", "gears"]
    assert [r.topics for r in m.tag_many([plain, kept] * 8)] == [["metals"], ["metals", "gears"]] * 8


def test_a_paragraph_of_its_own_keeps_a_topic_from_yielding(tmp_path):
    m = _rounding_matcher(tmp_path, 1.0, 1.0, "{topic: gears, to: [metals], ratio: 1.5, unless_paragraph: 2}")
    own = ("Zinc and tin exports halted", "Tin and zinc stop and tin and zinc and tin stop.\n\nGear and sprocket "
           "makers worry, they said.\n\nThe rest is quiet.")
    mixed = ("Zinc and tin exports halted", "Tin and zinc stop and tin and zinc and tin stop.\n\nGear and sprocket "
             "makers buy tin, they said.\n\nThe rest is quiet.")
    assert m.tag(*own).topics == ["metals", "gears"] and m.tag(*mixed).topics == ["metals"]
    assert [r.topics for r in m.tag_many([own, mixed] * 8)] == [["metals", "gears"], ["metals"]] * 8


R22_WORDING = [  # (title, text, topic, tagged): invented stories; the first of each pair is tagged by r21
    # a ceasefire story naming the customs levies Israel collects is no trade truce
    ("Gaza truce enters its second week",
     "The truce between Israel and Hamas entered its second week on Sunday as aid convoys crossed into Gaza.\n\n"
     "Mediators said the truce could be extended if more hostages are released. Both sides accused the other of "
     "breaking the truce overnight.\n\n"
     "The Palestinian Authority said Israel was still withholding customs levies it collects on the Authority's "
     "behalf, and that the truce had to lead to talks on governing Gaza.\n\n"
     "Talks on the truce's next phase will resume in Cairo.",
     "trade-tariffs", False),
    # trap: the truce of a tariff war
    ("Washington and Beijing extend truce",
     "The United States and China extended their truce by 90 days on Monday, keeping tariffs on each other's "
     "goods at current levels while trade talks continue.",
     "trade-tariffs", True),
    # a port's re-export figures with an import-licence backlog are trade data, not a control
    ("Singapore port re-exports climb in March",
     "Re-exports through Singapore rose 9% in March from a year earlier, led by electronics bound for Malaysia and "
     "Indonesia, official data showed.\n\n"
     "Re-exported machinery also rose. Shippers said a backlog of import licence applications in one market had "
     "delayed some cargoes.",
     "export-controls", False),
    # trap: re-exports to a barred buyer under an export licence are a control case
    ("Exporter fined over chip re-exports to Russia",
     "A Taiwanese distributor was fined for re-exports of controlled chips to Russia that breached the terms of "
     "its export licence, officials said.\n\nThe chips were re-exported through a trading company in Armenia.",
     "export-controls", True),
    # grain as a traded good: the EU's grain export licences are tender awards
    ("Brussels issues export licences for 200,000 tonnes of grain",
     "The European Union issued export licences for 200,000 tonnes of grain on Thursday, traders said, with most "
     "of it bound for Algeria and Egypt.\n\nGrain exports from the bloc are running ahead of last season.",
     "export-controls", False),
    # a phone's AI memory feature is AI news
    ("Phone maker adds AI memory to its assistant",
     "A Chinese phone maker will add AI memory to its voice assistant in an update next week, so it can recall "
     "what users asked before.\n\nUsers can delete the AI memory at any time, the company said.",
     "artificial-intelligence", True),
    # checks on where a buyer's crude cargoes come from enforce oil sanctions; no government limits its own exports
    ("Refiners face end-use checks on Venezuelan crude",
     "Indian refiners are facing tighter end-use checks on cargoes of Venezuelan crude as Washington steps up "
     "sanctions enforcement, traders said.\n\nTwo refiners have paused purchases. Venezuelan crude exports fell "
     "to 600,000 barrels per day last month.",
     "export-controls", False),
]


@pytest.mark.parametrize("title,text,topic,tagged", R22_WORDING)
def test_r22_wording(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)
