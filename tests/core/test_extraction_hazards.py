"""Invented pages for hazards found by code review: each rule below once dropped real article text."""

from pipelines.core.extraction import extract_article
from tests.core.test_extraction import HEADLINE, PARAS

BODY = "".join(f"<p>{p}</p>" for p in PARAS)
FIRST, REST = ("".join(f"<p>{p}</p>" for p in half) for half in (PARAS[:2], PARAS[2:]))


def _page(inner: str) -> str:
    return (f"<html><head><title>{HEADLINE}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article class='story'><h1>{HEADLINE}</h1>{inner}</article></body></html>")


def test_a_short_paragraph_beside_a_share_button_is_the_story():
    # A subheading set as a bold paragraph, with a share button beside it: prose, not a widget's label.
    sub = "<div class='section-head'><p><strong>What the council decided</strong></p><button>Share</button></div>"
    quote = "<div class='tweetable'><p>Loading resumes on Friday at the outer berths</p><button>Tweet</button></div>"
    text = extract_article(_page(f"<div class='body'>{FIRST}{sub}{REST}{quote}</div>")).text
    assert text.split("\n\n") == [*PARAS[:2], "What the council decided", *PARAS[2:],
                                  "Loading resumes on Friday at the outer berths"]


def test_a_newsletter_box_or_a_picker_repeating_its_button_label_is_still_a_widget():
    box = "<div class='x1'><div>Get our newsletter</div><input type='email'><button>Go</button></div>"
    picker = ("<div class='r1'><button><p>Add reaction</p></button><div class='r2'><p>Add reaction</p>"
              "<button aria-label='Like'></button></div></div>")
    text = extract_article(_page(f"<div class='body'>{BODY}{box}{picker}</div>")).text
    assert text.split("\n\n") == PARAS


SENTENCE_105 = "The port will publish its grain figures each Monday from now on, the harbour master told local reporters."


def test_a_sentence_loose_in_a_figure_without_an_image_stays():
    assert len(SENTENCE_105) == 105
    figure = f"<figure class='statement'>{SENTENCE_105}</figure>"
    text = extract_article(_page(f"<div>{FIRST}{figure}{REST}</div>")).text
    assert text.split("\n\n") == [*PARAS[:2], SENTENCE_105, *PARAS[2:]]


def test_a_caption_loose_in_a_figure_with_an_image_still_goes():
    caption = "The northern berth at dawn on Monday, as the first grain ship of the season came in to load its cargo."
    figure = f"<figure><img src='berth.jpg' alt=''><span>{caption}</span></figure>"
    text = extract_article(_page(f"<div>{FIRST}{figure}{REST}</div>")).text
    assert text.split("\n\n") == PARAS


def test_a_heading_starting_with_advertisement_stays_but_ad_labels_go():
    heading = "Advertisement spending falls as brands cut back"
    labels = ("<p>Advertisement</p><p>ADVERTISEMENT</p><p>Sponsored content</p>"
              "<p>Advertisement - scroll to continue</p>")
    text = extract_article(_page(f"<div>{FIRST}<h2>{heading}</h2>{labels}{REST}</div>")).text
    assert text.split("\n\n") == [*PARAS[:2], heading, *PARAS[2:]]
