"""Metadata: date parsing (unknown zone names neither warn nor crash) and the JSON-LD title choice."""
import warnings

from pipelines.core.extraction.metadata import to_iso_utc


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
