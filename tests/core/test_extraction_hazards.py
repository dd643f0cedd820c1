"""Invented pages for hazards found by code review: each rule below once dropped real article text."""

from pipelines.core.extraction import extract_article
from tests.core.test_extraction import HEADLINE, PARAS

BODY = "".join(f"<p>{p}</p>" for p in PARAS)
FIRST, REST = ("".join(f"<p>{p}</p>" for p in half) for half in (PARAS[:2], PARAS[2:]))


def _page(inner: str) -> str:
    return (f"<html><head><title>{HEADLINE}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article class='story'><h1>{HEADLINE}</h1>{inner}</article></body></html>")


def test_a_heading_starting_with_advertisement_stays_but_ad_labels_go():
    heading = "Advertisement spending falls as brands cut back"
    labels = ("<p>Advertisement</p><p>ADVERTISEMENT</p><p>Sponsored content</p>"
              "<p>Advertisement - scroll to continue</p>")
    text = extract_article(_page(f"<div>{FIRST}<h2>{heading}</h2>{labels}{REST}</div>")).text
    assert text.split("\n\n") == [*PARAS[:2], heading, *PARAS[2:]]
