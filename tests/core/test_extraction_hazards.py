"""Invented pages for hazards found by code review: each rule below once dropped real article text."""

from selectolax.lexbor import LexborHTMLParser

from pipelines.core.extraction import extract_article
from pipelines.core.extraction.html import RULES, removed_subtrees
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


TEASERS = "".join(f"<li><a href='/story-{n}'>Teaser headline number {n} about the region, its towns and their "
                  f"long-running disputes over roads</a></li>" for n in range(60))


def _landmark_page(role: str) -> str:
    # The story opened as a modal (role=dialog) or set in a mislabelled wrapper (role=banner) above a long list of
    # more stories: it holds far less than the page's text, and it is the article.
    return (f"<html><head><title>{HEADLINE}</title></head><body>"
            f"<header role='banner'><a href='/'>Coast Daily</a></header>"
            f"<div role='{role}'><article><h1>{HEADLINE}</h1>{BODY}</article></div>"
            f"<div class='stream'><ul>{TEASERS}</ul></div></body></html>")


def test_an_article_in_a_dialog_or_banner_landmark_is_kept():
    for role in ("dialog", "banner"):
        assert extract_article(_landmark_page(role)).text.split("\n\n") == PARAS, role


def test_a_sidebar_of_teaser_articles_beside_the_story_is_still_removed():
    # Teasers are <article>s too: only the landmark holding the page's largest story element is spared.
    teasers = "".join(f"<article><h3><a href='/t{n}'>Storm closes the coast road</a></h3><p>Crews worked through "
                      f"the night on the coast road, and it may reopen by Friday, officials said ({n}).</p></article>"
                      for n in range(3))
    page = (f"<html><head><title>{HEADLINE}</title></head><body><div class='cols'><article class='story'>"
            f"<h1>{HEADLINE}</h1>{BODY}</article><div role='complementary'>{teasers}</div></div></body></html>")
    tree = LexborHTMLParser(page)
    assert tree.css_first("[role=complementary]").mem_id in removed_subtrees(tree, RULES, use_hints=False)
    assert extract_article(page).text.split("\n\n") == PARAS
    tree = LexborHTMLParser(_landmark_page("dialog"))
    assert tree.css_first("[role=dialog]").mem_id not in removed_subtrees(tree, RULES, use_hints=False)


def test_a_dialog_without_the_article_still_goes():
    dialog = ("<div role='dialog'><p>Before you go: our weekly digest brings the port's news to your inbox, with "
              "the figures and the people behind them.</p></div>")
    text = extract_article(_page(f"<div>{BODY}{dialog}</div>")).text
    assert text.split("\n\n") == PARAS


def test_a_heading_starting_with_advertisement_stays_but_ad_labels_go():
    heading = "Advertisement spending falls as brands cut back"
    labels = ("<p>Advertisement</p><p>ADVERTISEMENT</p><p>Sponsored content</p>"
              "<p>Advertisement - scroll to continue</p>")
    text = extract_article(_page(f"<div>{FIRST}<h2>{heading}</h2>{labels}{REST}</div>")).text
    assert text.split("\n\n") == [*PARAS[:2], heading, *PARAS[2:]]


def test_a_fact_box_aside_in_the_story_stays_but_an_inset_of_links_or_a_tagline_goes():
    # Asides are furniture unless plainly the story's own facts: no link or control, several sentences or items.
    facts = ("<aside class='factbox'><h3>The port in numbers</h3><ul><li>Founded in 1872</li><li>1,200 staff</li>"
             "<li>Nine deep-water berths</li></ul></aside>")
    inset = ("<aside><h6><a href='/grain'>Grain prices climb</a></h6><p>Exports surged this week. Traders were "
             "surprised.</p></aside>")
    tagline = "<aside><p>The best stories of the year, in one place.</p><p>Updated daily</p></aside>"
    text = extract_article(_page(f"<div class='body'>{FIRST}{facts}{inset}{tagline}{REST}</div>")).text
    assert text.split("\n\n") == [*PARAS[:2], "The port in numbers", "Founded in 1872", "1,200 staff",
                                  "Nine deep-water berths", *PARAS[2:]]


def test_the_walk_judges_class_names_as_removed_subtrees_does():
    # extract_paragraphs leaves class/id names to the walk (only the elements it reaches are judged); the element
    # table and text must be those of a walk given removed_subtrees(use_hints=True): a share bar and a related box
    # go, an inline ad label goes, an inline link named as a comment link stays (only hidden, ad and share names
    # remove inline elements), an ad-named box of prose stays, and so does a wrapper named as navigation that
    # holds the page.
    from pipelines.core.extraction.html import HintedFurniture, walk
    from pipelines.core.extraction.limits import Deadline

    inner = (f"{FIRST}<div class='share-bar'><a href='/s'>Share</a></div><p>{PARAS[2]} "
             f"<span class='ad-label'>Ad</span> <a class='comment-link' href='#c'>comments</a></p>"
             f"<div class='related-posts'><a href='/r'>More</a></div><div class='ad-slot'><p>{PARAS[3]}</p></div>")
    page = _page(f"<div class='l-outer--nav'>{inner}</div>")
    tree = LexborHTMLParser(page)
    fields = ("tags", "parents", "ends", "text_len", "link_len", "commas", "cookies", "controls", "segments")
    by_set = walk(tree.body, removed_subtrees(tree, RULES, use_hints=True), RULES, Deadline(10), 2000)
    by_walk = walk(tree.body, removed_subtrees(tree, RULES, use_hints=False), RULES, Deadline(10), 2000,
                   HintedFurniture(tree.body, RULES))
    assert [getattr(by_walk, f) for f in fields] == [getattr(by_set, f) for f in fields]
    texts = [text for _, text, _ in by_walk.segments]
    assert "Share" not in texts and "More" not in texts and PARAS[3] in texts
    assert any(text.startswith(PARAS[2]) and text.endswith("comments") for text in texts)
