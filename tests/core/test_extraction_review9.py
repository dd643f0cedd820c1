"""Invented pages from the review of extraction rules v46 on unseen CMS templates (each failed on v46)."""

import json

import pytest

from pipelines.core.extraction import extract_article

PARAS = [
    "The county council voted on Tuesday to close the old ferry landing at Marsh End, ending a service that has "
    "run in some form since the eighteen-fifties.",
    "Councillors said the landing's timber deck had rotted beyond repair and that a new one would cost more than "
    "the ferry earns in a decade, according to the engineers' report.",
    "Residents of the far bank, who use the ferry to reach the market town, told the meeting that the road bridge "
    "upstream adds forty minutes to every trip.",
    "The council said it would ask the regional transport board to pay for a shuttle bus, and would decide on the "
    "landing's future use next spring.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
FIRST, REST = ("".join(f"<p>{p}</p>" for p in half) for half in (PARAS[:2], PARAS[2:]))
TITLE = "Council votes to close Marsh End ferry landing"


def _page(inner: str, head: str = "", outer: str = "") -> str:
    return (f"<html><head><title>{TITLE}</title>{head}</head><body><nav><a href='/'>Home</a></nav>"
            f"<main><article><h1>{TITLE}</h1><div class='css-9z8y7x'>{inner}</div></article>{outer}</main>"
            "</body></html>")


# 1. Hashed-class sites name their boxes only in test/component attributes.
@pytest.mark.parametrize("attr", ["data-testid", "data-qa", "data-component", "data-component-name"])
@pytest.mark.parametrize("name,box", [
    ("author-bio", "<p>Ruth Okafor covers local government for the Courier. She joined the paper in 2019.</p>"),
    ("newsletter-signup", "<p>Get the morning briefing. The day's top stories, in your inbox every weekday.</p>"),
    ("related-stories", "<p>Harbour board approves pier repairs after a long winter of storm damage and delay.</p>"),
    ("byline-block", "<p>Ruth Okafor</p><p>Local government reporter</p>"),
])
def test_furniture_named_only_in_data_attributes_goes(attr, name, box):
    page = _page(f"{FIRST}<div class='css-1q2w3e' {attr}='{name}'>{box}</div>{REST}")
    assert extract_article(page).text.split("\n\n") == PARAS


def test_story_blocks_named_in_data_attributes_stay():
    inner = "".join(f"<div class='css-83cqas' data-component='text-block'><p>{p}</p></div>" for p in PARAS)
    assert extract_article(_page(inner)).text.split("\n\n") == PARAS
