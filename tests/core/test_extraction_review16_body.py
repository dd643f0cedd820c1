"""Invented pages for the body-text failures a review of rules v52 (rv11) found: a hidden "Read more" or lazy-loaded
remainder of the story, an accordion FAQ, a newsletter's own footnotes, a next story wrapped in a scroll container,
photo essays read as galleries, bylines without "By" and pagination lines. Each mend sits beside a guard: hidden
furniture, a story line or a page shape that looks like it and must stay as it was."""

import pytest

from pipelines.core.extraction.html import is_boilerplate, load_rules

from tests.core.puffin_story import LEDE, REST, URL
from tests.core.puffin_story import page as _page
from tests.core.puffin_story import ps as _ps
from tests.core.puffin_story import text as _text

RULES = load_rules()


# F1: a hidden remainder of the story, inside the story's container beside its shown paragraphs.

@pytest.mark.parametrize("box", [
    # mob2's shape: each lazy paragraph in its own display:none box, a loader line after them.
    "".join(f"<div class='lazy-block' data-lazy='true' style='display:none' aria-hidden='true'><p>{p}</p></div>"
            for p in REST) + "<div class='lazy-loader'><span class='spinner'></span> Loading more of this story…</div>",
    # mob3's shape: one [hidden] box and a "Continue reading" link after it.
    f"<div class='expandable' hidden>{_ps(REST)}</div><a class='expand-link' href='#'>Continue reading</a>",
    # a plain hidden box beside a "Show full story" button
    f"<div id='rest' style='display: none'>{_ps(REST)}</div><button aria-controls='rest'>Show full story</button>",
    # a collapsed box, aria-hidden only
    f"<div class='story-collapsed' aria-hidden='true'>{_ps(REST)}</div>",
])
@pytest.mark.parametrize("shown", [_ps(LEDE), f"<div class='story-start'>{_ps(LEDE)}</div>"])
def test_hidden_remainder_of_the_story_is_kept(box, shown):
    text = _text(_page(shown + box))
    for p in LEDE + REST:
        assert p in text
    assert text.count(REST[0]) == 1
    assert "Loading more" not in text and "Continue reading" not in text and "Show full story" not in text


@pytest.mark.parametrize("box, unwanted", [
    # a hidden menu beside a "Read more" link
    ("<div class='expandable' hidden><ul><li><a href='/a'>Politics</a></li><li><a href='/b'>Sport</a></li>"
     "<li><a href='/c'>Weather</a></li></ul></div><a href='#'>Read more</a>", "Politics"),
    # a hidden modal, its text sentences
    ("<div class='modal lazy' hidden><p>You have read three free stories this month. Subscribers get unlimited "
     "access to every story we publish.</p></div><a href='#'>Read more</a>", "free stories"),
    # a hidden cookie notice with the expander's name
    ("<div class='expandable' hidden><p>We use cookies to give you the best experience on our site. By continuing "
     "you accept our cookie policy.</p></div><a href='#'>Continue reading</a>", "cookie"),
    # a hidden box with a form in it
    ("<div class='lazy-block' hidden><p>Get our morning briefing in your inbox every weekday.</p>"
     "<form><input type='email'><button>Go</button></form></div>", "morning briefing"),
    # a hidden box with neither an expander's name nor a control beside it: hidden, as before
    ("<div hidden><p>This earlier version of the story said the ferry would run five trips a day.</p></div>",
     "earlier version"),
])
def test_hidden_furniture_beside_the_story_still_goes(box, unwanted):
    text = _text(_page(_ps(LEDE) + box + _ps(REST)))
    assert unwanted not in text
    for p in LEDE + REST:
        assert p in text


def test_hidden_copy_of_the_story_is_not_read_twice():
    # A hidden copy of shown paragraphs behind an expander's name (a print or AMP copy): its lines are already there.
    # (A hidden box holding more than removal_max_text_share of the page stays, as before: a page wrapper.)
    copy = f"<div class='expandable print-copy' hidden>{_ps(REST)}</div><a href='#'>Read more</a>"
    text = _text(_page(_ps(LEDE + REST) + copy))
    for p in LEDE + REST:
        assert text.count(p) == 1


def test_hidden_box_outside_the_story_still_goes():
    rail = ("<aside class='rail'><p>Storm warning issued for the coast as winds pick up on Friday.</p>"
            "<div class='expandable' hidden><p>Forecasters expect gusts of 60 mph along the northern shore by "
            "evening, and the harbour will close at noon.</p></div><a href='#'>Read more</a></aside>")
    teaser = ("<div class='more-box'><div class='expandable' hidden><p>Council members will vote next week on a plan "
              "to extend the bus lane along the harbour road.</p></div><a href='#'>Continue reading</a></div>")
    text = _text(_page(_ps(LEDE + REST), after=rail + teaser))
    assert "Forecasters expect" not in text and "Council members will vote" not in text


@pytest.mark.parametrize("line", ["Loading more of this story…", "Loading more of the article...", "Loading..."])
def test_loader_lines_are_furniture(line):
    assert is_boilerplate(line, RULES)


@pytest.mark.parametrize("line", [
    "Loading more of the cargo took three days, the port said.",
    "Loading docks at the port will close for repairs in April.",
])
def test_loading_sentences_are_not_furniture(line):
    assert not is_boilerplate(line, RULES)


# F2: an accordion FAQ, the question in a <button>, the answer in a hidden panel.

FAQ = [("Which boats does it affect?", "Only the Tern; the Gannet keeps its usual timetable."),
       ("Can I still book a car space?", "Yes. Car spaces can be booked online up to a week ahead."),
       ("When will the Tern return?", "In July at the earliest, the county said.")]


@pytest.mark.parametrize("in_heading", [False, True])
def test_accordion_faq_questions_and_answers_are_kept(in_heading):
    items = ""
    for n, (q, a) in enumerate(FAQ):
        button = f"<button class='accordion-trigger' aria-expanded='false' aria-controls='p{n}'>{q}</button>"
        if in_heading:
            button = f"<h3>{button}</h3>"
        items += f"<div class='accordion-item'>{button}<div id='p{n}' class='accordion-panel' hidden><p>{a}</p></div></div>"
    text = _text(_page(_ps(LEDE) + f"<section class='accordion'>{items}</section>" + _ps(REST[:1])))
    lines = text.split("\n\n")
    for q, a in FAQ:
        assert q in lines and a in lines
        assert lines.index(q) + 1 == lines.index(a)
    assert REST[0] in text


def test_hidden_menu_and_share_box_behind_buttons_still_go():
    widgets = ("<button class='menu-toggle' aria-expanded='false'>Sections</button><div class='menu-panel' hidden><ul>"
               "<li><a href='/a'>Politics</a></li><li><a href='/b'>Sport</a></li></ul></div>"
               "<button aria-expanded='false' aria-controls='sh'>Share</button><div id='sh' hidden>"
               "<a href='https://facebook.com/sharer'>Facebook</a> <a href='mailto:'>Email</a></div>")
    text = _text(_page(_ps(LEDE) + widgets + _ps(REST)))
    for word in ("Sections", "Politics", "Share", "Facebook"):
        assert word not in text
    for p in LEDE + REST:
        assert p in text


# F3: a newsletter's own footnotes at the end of the post.

NOTES = ["The utility's 2025 rate filing, page 14. It estimates 38% of mains are past their design life.",
         "Rates in the neighbouring district rose by a similar amount, but over ten years rather than three."]


def _notes(linked: bool) -> str:
    out = ""
    for n, note in enumerate(NOTES, 1):
        number = f"<a id='footnote-{n}' href='#footnote-anchor-{n}' class='footnote-number'>{n}</a>"
        out += f"<div class='footnote'>{number}<div class='footnote-content'><p>{note}</p></div></div>"
    return f"<div class='footnotes'>{out}</div>"


@pytest.mark.parametrize("linked", [True, False])
def test_own_footnotes_at_the_end_of_the_post_are_kept(linked):
    marker = (lambda n: f"<sup><a href='#footnote-{n}' class='footnote-anchor'>{n}</a></sup>") if linked else (
        lambda n: f"<sup>{n}</sup>")
    body = (f"<p>{LEDE[0]}{marker(1)}</p><p>{LEDE[1]}</p><p>{REST[0]}{marker(2)}</p><p>{REST[1]}</p>" + _notes(linked))
    text = _text(_page(body))
    for note in NOTES:
        assert note in text
    # The markers stay: they point at the notes kept.
    assert LEDE[0] + "1" in text and REST[0] + "2" in text
    assert text.index(REST[1]) < text.index(NOTES[0])


def test_a_footnote_box_the_story_does_not_point_to_still_goes():
    box = ("<div class='footnote'><p>Harbour Times is a nonprofit newsroom funded by readers like you and by local "
           "foundations.</p></div>")
    text = _text(_page(_ps(LEDE + REST) + box))
    assert "nonprofit newsroom" not in text


# F6: the next story of an endless-scroll page, wrapped in a container beside the story.

def test_next_story_in_a_scroll_container_stays_out():
    nxt = ("<div class='scroll-container' data-infinite='true'><div class='infinite-divider'><span>Next story</span>"
           "</div><article class='story'><h1>Port cargo volumes jump 9% in February</h1><div class='story-body'>"
           "<p>Cargo volumes at the port rose 9% in February compared with a year earlier, driven by imports of "
           "electronics and furniture.</p><p>Port officials said the increase reflected retailers restocking after "
           "a slow holiday season, and they expect March to be busier still.</p></div></article></div>")
    text = _text(_page(_ps(LEDE + REST), after=nxt))
    assert "Cargo volumes" not in text and "Port cargo" not in text and "Port officials" not in text
    for p in LEDE + REST:
        assert p in text


def test_a_wrapper_holding_the_rest_of_the_story_still_joins():
    # An article split over sibling sections (no other headline in them) is one story.
    html = ("<html><head><title>Ferry cut | Harbour Times</title></head><body><main>"
            f"<div class='story-part'><h1>Ferry to Puffin Island cut</h1>{_ps(LEDE)}</div>"
            f"<div class='wrap'><section class='story-part'>{_ps(REST)}</section></div></main></body></html>")
    text = _text(html)
    for p in LEDE + REST:
        assert p in text


# F7: a photo essay (story paragraphs between long captions) keeps its paragraphs and drops captions and credits.

CAPTIONS = [
    "Anglers spread out across the frozen surface of the lake shortly after the starting horn on Saturday "
    "morning, while volunteers on snowmobiles patrolled the edges of the course.",
    "Josie Lindahl, 14, holds up the 9.2-pound northern pike that won the derby. She said she had nearly given up "
    "and was packing her gear when the flag went up.",
    "A volunteer from the fire department hands out hot chocolate at the warming tent. Temperatures hovered around "
    "8 degrees for most of the day, with a steady wind.",
]
STORY = ["More than 3,000 people drilled holes in the ice of Lake Tessaly on Saturday for the 40th annual derby.",
         "The winning fish, a 9.2-pound northern pike, was caught by 14-year-old Josie Lindahl of Ferris.",
         "The derby raised about $60,000 for the local fire department and the high school scholarship fund.",
         "Organizers said the ice was 22 inches thick, well above the 12 inches they require."]


@pytest.mark.parametrize("slide", [
    lambda n, c: f"<figure><img src='/p/{n}.jpg' alt=''><figcaption>{c} <em>Rita Nakamura / Prairie Voice</em></figcaption></figure>",
    lambda n, c: (f"<div class='gallery-slide'><picture><img src='/g/{n}.jpg' alt=''></picture><p class='caption'>{c}</p>"
                  "<span class='credit'>Island Gazette</span></div>"),
])
def test_photo_essay_keeps_its_paragraphs_not_its_captions(slide):
    body = f"<p>{STORY[0]}</p>" + "".join(slide(n, c) + f"<p>{STORY[n + 1]}</p>" for n, c in enumerate(CAPTIONS))
    text = _text(_page(body))
    for p in STORY:
        assert p in text
    for c in CAPTIONS:
        assert c not in text
    assert "Island Gazette" not in text and "Prairie Voice" not in text


def test_photo_gallery_with_a_short_intro_keeps_its_captions_without_credits():
    body = f"<p>{STORY[0]}</p>" + "".join(
        f"<div class='gallery-slide'><img src='/g/{n}.jpg' alt=''><p class='caption'>{c}</p>"
        "<span class='credit'>Island Gazette</span></div>" for n, c in enumerate(CAPTIONS))
    text = _text(_page(body, h1="Photos: the 40th Frozen Lake derby"))
    for c in CAPTIONS:
        assert c in text
    assert "Island Gazette" not in text


# F8: a byline without "By" and the site's address over a reader view.

@pytest.mark.parametrize("header", [
    "<p class='reader-domain'>www.harbourtimes.example</p><p class='reader-credits'>Nadia Farouk and Peter Holm</p>",
    "<div class='bh-authors'><span>Katie Brennan</span></div>",
    "<div class='post-authors'><a href='/a/1'>Katie Brennan</a>, <a href='/a/2'>Luis de la Cruz</a></div>",
])
def test_byline_without_by_and_own_address_leave_the_body(header):
    html = _page(_ps(LEDE + REST)).replace("</h1>", "</h1>" + header)
    text = _text(html)
    for leak in ("harbourtimes.example", "Nadia Farouk", "Katie Brennan", "Luis de la Cruz"):
        assert leak not in text
    for p in LEDE + REST:
        assert p in text


@pytest.mark.parametrize("line", [
    "<p>Mary Anning</p>",  # a name in a story paragraph
    "<p class='author-note'>Katie Brennan reported from Ames.</p>",  # a sentence in an author's box
    "<p>www.census.gov</p>",  # another site's address, the story's source
    "<div class='authors-choice'><h3>Key Findings</h3></div>",
    # a review's credits after the story: its cast, not its byline
    "<p class='film-credits'>Starring Nicole Kidman, Hugh Grant and Emma Stone</p>",
])
def test_story_lines_shaped_like_bylines_stay(line):
    text = _text(_page(_ps(LEDE) + line + _ps(REST)))
    inner = line.split(">", 1)[1].rsplit("</", 1)[0]
    inner = inner.split(">", 1)[1].rsplit("</", 1)[0] if inner.startswith("<") else inner
    assert inner in text


# F9: pagination lines.

@pytest.mark.parametrize("line", ["Continued from page 1", "Continued from page 2", "Continued from the previous page",
                                  "On the next page: How the regulars plan to say goodbye",
                                  "Next page: What the council decided"])
def test_pagination_lines_are_furniture(line):
    assert is_boilerplate(line, RULES)


@pytest.mark.parametrize("line", [
    "On the next page, the report lists the 40 schools that will close, the district said.",
    "Continued from page 1, the investigation found the records had been altered twice.",
])
def test_pagination_sentences_are_not_furniture(line):
    assert not is_boilerplate(line, RULES)
