"""Metadata: date parsing, the JSON-LD title choice, the name in a byline block."""
import warnings

import pytest

from pipelines.core.extraction.metadata import byline_name, to_iso_utc


def test_unknown_zone_name_is_read_as_utc_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert to_iso_utc("May 31, 2024 10:00 ZZ") == "2024-05-31T10:00:00Z"


def test_known_zone_abbreviation_still_shifts_the_time():
    assert to_iso_utc("May 31, 2024 10:00 EDT") == "2024-05-31T14:00:00Z"


def _meta(html: str) -> dict:
    from selectolax.lexbor import LexborHTMLParser
    from pipelines.core.extraction.metadata import extract_metadata
    return extract_metadata(LexborHTMLParser(html), "https://example.org/a", None)[0]


LD = '<script type="application/ld+json">{"@type": "Article", "name": "%s", "headline": "%s"}</script>'


def test_json_ld_name_wins_when_only_it_is_the_shown_title():
    html = ("<html><head><title>Harbour towns of the south - Wiki</title>"
            + LD % ("Harbour towns of the south", "list of coastal settlements") + "</head><body></body></html>")
    assert _meta(html)["title"] == "Harbour towns of the south"


def test_json_ld_headline_wins_otherwise():
    html = ("<html><head><title>Council backs new bridge | Gazette</title>"
            + LD % ("Gazette story 1234", "Council backs new bridge") + "</head><body></body></html>")
    assert _meta(html)["title"] == "Council backs new bridge"
    bare = "<html><head>" + LD % ("Gazette story 1234", "Council backs new bridge") + "</head><body></body></html>"
    assert _meta(bare)["title"] == "Council backs new bridge"


@pytest.mark.parametrize("block,name", [
    ("Nicolas Perriault \u2014", "Nicolas Perriault"),
    ("Dan Goodin - Apr 16, 2015 8:02 pm UTC", "Dan Goodin"),
    ("Steven Musil January 18, 2017 11:00 PM PST @stevenmusil", "Steven Musil"),
    ("By GILLIAN MOHNEY\n    March 11, 2015 3:46 PM", "Gillian Mohney"),  # (a name in capitals is written as names are)
    ("Anna Lee | 12/03/2024", "Anna Lee"),
    ("Theresa May", "Theresa May"),
    ("Jean-Luc Picard", "Jean-Luc Picard"),
    # relative times, reading times and dates, CJK ones too, glued to the name or not
    ("Jean Dupont, le 3 mars 2025", "Jean Dupont"),
    ("Mary Stone 2 hours ago", "Mary Stone"),
    ("Mary Stone · 5 min read", "Mary Stone"),
    ("By Brian May 5 min read", "Brian May"),
    ("山田太郎 2025年3月3日", "山田太郎"),
    ("山田太郎2025年3月3日 10:00", "山田太郎"),
    ("Mary Stone, 2025年3月3日 10:00", "Mary Stone"),
])
def test_byline_block_gives_the_name_alone(block, name):
    assert byline_name(block) == name


@pytest.mark.parametrize("block", ["Updated 5 minutes ago", "2024", "   ", "Published: March 3, 2024", "2 hours ago",
                                   "5 min read", "2025年3月3日", "le 3 mars 2025"])
def test_byline_block_without_a_name_gives_none(block):
    assert byline_name(block) is None


def test_authors_match_needs_every_name_in_the_gold_byline():
    from pipelines.evaluation.extraction_eval import authors_match
    assert authors_match(["Stella Kim", "Jennifer Jett"], "Stella Kim, Jennifer Jett")
    assert authors_match(["Ana Sandoiu"], "By Ana Sandoiu")
    assert not authors_match(["Dan Goodin - Apr 16, 2015"], "Dan Goodin")
    assert not authors_match([], "Dan Goodin")
    assert not authors_match(["Dan"], "Dana Goodin")


def test_meta_and_json_ld_author_fields_lose_the_same_tails():
    meta = '<meta name="author" content="Mary Stone · 2 hours ago">'
    assert _meta(f"<html><head>{meta}</head><body></body></html>")["authors"] == ["Mary Stone"]
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pier repairs approved", '
          '"author": [{"name": "山田太郎 2025年3月3日"}, {"name": "5 min read"}]}</script>')
    assert _meta(f"<html><head>{ld}</head><body></body></html>")["authors"] == ["山田太郎"]


@pytest.mark.parametrize("block,name", [
    ("By Thanh Le 3 March 2025", "Thanh Le"), ("By Amanda On 3 March 2025", "Amanda On"),
    ("By Erin El 5 de marzo de 2025", "Erin El"), ("By Ali Il 3 marzo 2025", "Ali Il"),
    ("By Kim Am 3. März 2024", "Kim Am"), ("Par Jean Le le 3 mars 2025", "Jean Le")])
def test_a_surname_like_a_date_prefix_stays_in_the_byline(block, name):
    assert byline_name(block) == name


@pytest.mark.parametrize("field,names", [
    ("By Mai Le 3 March 2025", ["Mai Le"]), ("Class of 2024", ["Class of 2024"]),
    ("1440 Daily Digest", ["1440 Daily Digest"]), ("3 March 2025", []), ("Ana Ruiz | 5 min read", ["Ana Ruiz"]),
    ("x" * 90, [])])
def test_json_ld_author_names_are_cleaned_as_bylines_are(field, names):
    from pipelines.core.extraction.metadata import _author_names
    assert _author_names([field]) == names


def test_the_next_data_walk_checks_the_deadline_however_long_its_lists():
    # Each list adds all its items to the visit count at once, so a count that jumps past every multiple of the
    # check step (40 tables of 1500 numbers: ~60,000 values) must still reach a deadline check.
    import json
    from selectolax.lexbor import LexborHTMLParser
    from pipelines.core.extraction.limits import Deadline, ExtractionError
    from pipelines.core.extraction.metadata import embedded_story
    data = {"props": {"pageProps": {"tables": [[7] * 1500 for _ in range(40)]}}}
    tree = LexborHTMLParser(f"<html><body><script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}"
                            "</script></body></html>")
    with pytest.raises(ExtractionError) as err:
        embedded_story(tree, Deadline(-1.0))
    assert err.value.reason == "extract_timeout"
    assert embedded_story(tree, Deadline(60.0)) is None  # in time, the same walk finds no story in numbers
