"""Invented pages for the two metadata failures a fresh review of rules v53 (rv15) found: a JSON-LD headline whose
text the CMS HTML-escaped before writing the JSON ("rival&#x27;s"), and a Dublin Core date (dcterms.date or
dcterms.issued) as the page's only machine-readable date. Guards: escaped markup in articleBody is still read as
the body, and a Dublin Core modified stamp is still no published time."""

import json

import pytest

from pipelines.core.extraction import extract_article

URL = "https://www.northcoastsport.example/rugby/2026/11/harbour-rivals-derby"
TITLE = "Harbour Hawks edge their rival's late charge to win the derby"
PARAS = [
    "The Harbour Hawks held on for a 24-21 win over the Ferry Road Foxes on Saturday, after the visitors scored "
    "two tries in the last eight minutes in front of a sold-out crowd at Quay Park.",
    "Fly-half Tama Reid kicked four penalties and converted the Hawks' only try, which came from a lineout drive "
    "just before half-time, coach Lise Moreau said after the game.",
    "The result lifts the Hawks to third in the table with three rounds left, two points behind the Foxes.",
]


def _page(ld: dict | None = None, head: str = "", h1: str = TITLE) -> str:
    script = f"<script type='application/ld+json'>{json.dumps(ld)}</script>" if ld else ""
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html lang='en'><head><title>{h1} | North Coast Sport</title>{script}{head}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/rugby'>Rugby</a></nav>"
            f"<main><article><h1>{h1}</h1><div class='entry-content'>{body}</div></article></main>"
            "<footer><p>North Coast Sport</p></footer></body></html>")


@pytest.mark.parametrize("escaped", ["rival&#x27;s", "rival&#039;s", "rival&rsquo;s"])
def test_escaped_json_ld_headline_is_decoded_and_stays_out_of_the_body(escaped):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE.replace("rival's", escaped),
          "datePublished": "2026-11-21T17:05:00+13:00",
          "author": {"@type": "Person", "name": "Aroha O&#x27;Neill"}}
    h1 = TITLE.replace("rival's", "rival’s") if "rsquo" in escaped else TITLE
    article = extract_article(_page(ld, h1=h1), url=URL)
    assert article.title == h1
    assert article.authors == ["Aroha O'Neill"]
    assert [line for line in article.text.split("\n") if line.strip()] == PARAS


def test_an_escaped_ampersand_is_decoded_once():
    title = "Hawks & Foxes agree to share Quay Park next season"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Hawks &amp; Foxes agree to share "
          "Quay Park next season", "datePublished": "2026-11-21T17:05:00+13:00"}
    assert extract_article(_page(ld, h1=title), url=URL).title == title


def test_escaped_markup_in_article_body_is_still_read_as_the_body():
    # Guard: articleBody is not decoded here (the body fallback decides about escaped markup itself).
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in PARAS)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE, "articleBody": body}
    html = (f"<html lang='en'><head><title>{TITLE}</title><script type='application/ld+json'>{json.dumps(ld)}"
            "</script></head><body><div id='app'></div></body></html>")
    text = extract_article(html, url=URL).text
    for p in PARAS:
        assert p in text
    assert "&lt;" not in text and "<p>" not in text


@pytest.mark.parametrize("name", ["dcterms.date", "dcterms.issued", "DCTERMS.issued"])
def test_dublin_core_date_is_the_published_time(name):
    head = f"<meta name='{name}' content='2026-11-06T08:40:00+11:00'>"
    article = extract_article(_page(head=head), url=URL)
    assert article.published_at == "2026-11-05T21:40:00Z"
    assert article.provenance["published_at"] == "meta"


def test_dcterms_modified_is_not_the_published_time():
    # Guard: a modified stamp alone still gives no published time.
    head = "<meta name='dcterms.modified' content='2026-11-08T10:00:00+11:00'>"
    assert extract_article(_page(head=head), url=URL).published_at is None
