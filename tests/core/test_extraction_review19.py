"""Invented pages for the last v53 mends of pages today's reviews (rv12, rv14) found wrong in both the old and the
new tree: a next-story teaser's label and link, a site accordion's heading, a footnote box the page links to by
words (an affiliate disclosure, a sources widget), a gallery caption's trailing credit, a subhead read as a byline,
dates with an ambiguous zone or an "Updated | Published" pair, and a site name echoed with a desk's name. Each mend
sits beside a guard: a story line shaped like the pattern, which must stay."""

import pytest

from tests.core.puffin_story import LEDE, REST, URL
from tests.core.puffin_story import page as _page
from tests.core.puffin_story import ps as _ps
from tests.core.puffin_story import text as _text

STORY = LEDE + REST


def _lines(html: str, url: str = URL) -> list[str]:
    return _text(html, url).split("\n")


def _story_whole(lines: list[str]) -> None:
    for p in STORY:
        assert p in lines


# 1. rv14 h10: a next story's label line and its "Read the full story" link after the story.

def test_up_next_label_and_its_link_go_after_the_story():
    after = ("<p>Up next in Local:</p><div class='next-story collapsed' hidden><p>Repairs to the roof at Quay "
             "School will not be finished until the spring, leaving two classrooms out of use.</p></div>"
             "<a href='/news/next'>Read the full story</a>")
    lines = _lines(_page(_ps(STORY) + after))
    _story_whole(lines)
    assert "Up next in Local:" not in lines
    assert "Read the full story" not in lines


def test_a_story_line_opening_with_up_next_stays():
    # Guard: a sentence after the colon is the story's ("what comes next" in a court report).
    line = "Up next in court: the two men charged over the warehouse fire, who appear before magistrates on Monday."
    lines = _lines(_page(_ps(STORY + [line])))
    _story_whole(lines)
    assert line in lines


# 2. rv14 a01: the heading over a site accordion that goes goes with it.

def _accordion(questions: list[tuple[str, str]]) -> str:
    return "".join(f"<h3 class='acc-q'><button aria-expanded='false' aria-controls='q{n}'>{q}</button></h3>"
                   f"<div class='acc-panel' id='q{n}' hidden><p>{a}</p></div>" for n, (q, a) in enumerate(questions))


def test_heading_over_the_sites_subscription_accordion_goes():
    faq = _accordion([("How do I subscribe?", "You can subscribe online in two minutes with a card."),
                      ("Can I cancel at any time?", "Yes. Digital plans can be cancelled from your account page.")])
    lines = _lines(_page(_ps(STORY) + "<h2>Questions about your subscription</h2>" + faq))
    _story_whole(lines)
    assert "Questions about your subscription" not in lines
    assert not any("subscribe online" in line for line in lines)


def test_heading_over_the_storys_own_accordion_stays():
    # Guard: the story's own questions and answers stay, and so does their heading.
    faq = _accordion([("When will the Tern return?", "The county expects the boat back in service by July."),
                      ("Will fares change?", "Fares stay the same for islanders and visitors this year.")])
    lines = _lines(_page(_ps(STORY) + "<h2>Questions about the new timetable</h2>" + faq))
    _story_whole(lines)
    assert "Questions about the new timetable" in lines
    assert "The county expects the boat back in service by July." in lines


def test_closing_heading_of_the_story_over_a_picture_stays():
    # Guard: a closing heading that is not the site's matter stays as before (its chart is no text).
    html = _page(_ps(STORY) + "<h2>How the sailings compare</h2><figure><img src='/chart.png' alt=''></figure>")
    assert "How the sailings compare" in _lines(html)


# 3. rv14 f01, f03: a footnote box the page links to by words is the site's (a disclosure, a sources widget).

DISCLOSURE = "We may earn a commission when you buy through links on our site. This does not affect our reporting."
SOURCES = "Sources: County ferry service timetable. Harbour board minutes of March 2."


def test_affiliate_disclosure_and_its_jump_link_go():
    body = ("<p class='disclosure-link'><a href='#disclosure'>How we make money</a></p>" + _ps(STORY)
            + f"<div class='article-footnote' id='disclosure'><p>{DISCLOSURE}</p></div>")
    lines = _lines(_page(body))
    _story_whole(lines)
    assert DISCLOSURE not in lines
    assert "How we make money" not in lines


def test_sources_widget_linked_from_a_contents_list_goes():
    body = ("<nav class='toc'><a href='#sources'>Sources</a></nav>" + _ps(STORY)
            + f"<div class='footnotes' id='sources'><p>{SOURCES}</p></div>")
    lines = _lines(_page(body))
    _story_whole(lines)
    assert SOURCES not in lines


@pytest.mark.parametrize("box_class", ["footnotes", "article-footnote"])
@pytest.mark.parametrize("marker", ["<sup><a href='#fn1'>1</a></sup>", "<a href='#fn1'>*</a>", "<a href='#fn1'>[a]</a>"])
def test_notes_linked_by_markers_stay(marker, box_class):
    # Guard: the story's own notes, linked from a <sup> number, an asterisk or a letter, stay.
    note = "Figures supplied by the county council in March, before the inspection."
    body = (_ps(LEDE) + f"<p>{REST[0]}{marker}</p>" + _ps(REST[1:])
            + f"<div class='{box_class}'><ol><li id='fn1'><p>{note}</p></li></ol></div>")
    assert note in _text(_page(body))


def test_a_sources_line_written_in_the_story_stays():
    # Guard (the rule for sources): a "Sources:" line is the story's unless it is a footnote box the page links
    # to by words; one set as the story's last paragraph stays.
    lines = _lines(_page(_ps(STORY + [SOURCES])))
    _story_whole(lines)
    assert SOURCES in lines


# 4. rv14 g02: a gallery caption closed by the picture's credit from the page's credit box.

CAPTIONS = [
    "Boats of every size crowd the inner harbour on Saturday morning as the regatta fleet waits for the start.",
    "Nine-year-old Isla Brennan steers her grandfather's dinghy past the lifeboat station in the junior race.",
    "Spectators line the sea wall with flasks and blankets despite a cold wind coming off the water all day.",
    "The Penrose gig crew pull hard in the final hundred metres of the six-oar race, which they went on to win.",
    "A volunteer from the sailing club hands out hot soup to crews as they come ashore after the morning races.",
    "Two swimmers in fancy dress complete the harbour crossing, raising money for the hospice on the hill.",
]
GALLERY_URL = "https://www.harbourtimes.example/pictures/2026/03/07/regatta"
INTRO = ["The harbour regatta returned on Saturday after a two-year break.",
         "Here are the best pictures from the day."]


def test_gallery_captions_lose_their_trailing_credit():
    slides = "<div class='gallery'>" + "".join(
        f"<figure class='slide'><img src='/img/r{n}.jpg' alt=''><figcaption>{c} "
        "<span class='credit'>Jo Ellis/Harbour Times</span></figcaption></figure>"
        for n, c in enumerate(CAPTIONS)) + "</div>"
    lines = _lines(_page(_ps(INTRO) + slides, h1="In pictures: the harbour regatta", body_class="gallery-body",
                         url=GALLERY_URL), GALLERY_URL)
    for c in CAPTIONS:
        assert c in lines
    assert not any("Jo Ellis/Harbour Times" in line for line in lines)


def test_gallery_caption_naming_the_photographer_in_its_sentence_stays_whole():
    # Guard: the credit's words inside a caption's sentence (no stop before them) are the caption's.
    named = "The regatta from the pier, taken by Jo Ellis/Harbour Times"
    slides = "<div class='gallery'>" + "".join(
        f"<figure class='slide'><img src='/img/r{n}.jpg' alt=''><figcaption>{c} "
        "<span class='credit'>Jo Ellis/Harbour Times</span></figcaption></figure>"
        for n, c in enumerate(CAPTIONS)) + (
        f"<figure class='slide'><img src='/img/r9.jpg' alt=''><figcaption>{named}</figcaption></figure></div>")
    lines = _lines(_page(_ps(INTRO) + slides, h1="In pictures: the harbour regatta", body_class="gallery-body",
                         url=GALLERY_URL), GALLERY_URL)
    assert named in lines


# 5. rv12 C18: a subhead opening with one of the cleaner's "By" idioms is no byline.

@pytest.mark.parametrize("subhead", ["By The Way", "By the numbers", "By Contrast", "By Friday"])
def test_by_idiom_subhead_stays(subhead):
    lines = _lines(_page(_ps(LEDE) + f"<h3>{subhead}</h3>" + _ps(REST)))
    _story_whole(lines)
    assert subhead in lines


@pytest.mark.parametrize("byline", ["By Ana Ruiz", "By Friday Okoro", "By The Day Staff"])
def test_a_byline_line_still_goes(byline):
    # Guard: a byline (names after "By", "Friday" as a first name) is still furniture.
    lines = _lines(_page(f"<p>{byline}</p>" + _ps(STORY)))
    _story_whole(lines)
    assert byline not in lines


def test_extractor_uses_the_cleaners_idiom_list():
    from pipelines.core.cleaning import by_idioms, clean_article

    assert by_idioms().match("By the same token")
    assert not by_idioms().match("By Jane Doe")
    # The cleaner keeps the same subhead the extractor keeps.
    text = "\n\n".join(LEDE + ["By the same token"] + REST)
    assert "By the same token" in clean_article(text).text.split("\n")


# 6. rv12 D09, D13: the date of a byline box with an ambiguous zone, and of a long "Updated | Published" line.

def _dated(byline_box: str) -> str | None:
    from pipelines.core.extraction import extract_article

    html = ("<html lang='en'><head><title>Ferry cut | Harbour Times</title></head><body><article>"
            f"<h1>Ferry to Puffin Island cut to four sailings</h1>{byline_box}"
            f"<div class='article-body'>{_ps(STORY)}</div></article></body></html>")
    return extract_article(html, url="https://www.harbourtimes.example/news/ferry-cut").published_at


def test_ambiguous_zone_after_the_clock_gives_the_date_alone():
    box = "<div class='byline'><span>By Jane Doe</span><span>January 22, 2026 at 11:30 p.m. IST</span></div>"
    assert _dated(box) == "2026-01-22T00:00:00Z"


def test_known_zone_after_the_clock_still_gives_the_instant():
    # Guard: "ET" is read as before (US Eastern, standard time in January).
    box = "<div class='byline'><span>By Jane Doe</span><span>January 22, 2026 at 11:30 p.m. ET</span></div>"
    assert _dated(box) == "2026-01-23T04:30:00Z"


def test_long_updated_and_published_byline_gives_the_published_stamp():
    box = ("<div class='byline'>By Jane Doe | Updated January 23, 2026 at 4:15 p.m. ET | Published January 22, "
           "2026 at 9:00 a.m. ET</div>")
    assert _dated(box) == "2026-01-22T14:00:00Z"


def test_a_byline_line_with_a_sentence_field_gives_no_date():
    # Guard: a field that is a sentence ends the dateline reading, as before: the story's date is not taken.
    box = ("<div class='byline'>By Jane Doe | The ferry last ran on its full timetable on January 22, 2026, the "
           "county said.</div>")
    assert _dated(box) is None


# 7. rv12 S06: the site's name echoed in the <title> with its desk after it.

def _site(title_tag: str, url: str) -> str | None:
    from pipelines.core.extraction import extract_article

    html = (f"<html lang='en'><head><title>{title_tag}</title></head><body><article>"
            f"<h1>Post endorses school levy</h1><div class='article-body'>{_ps(STORY)}</div></article></body></html>")
    return extract_article(html, url=url).site_name


def test_site_name_without_the_desk_after_it():
    assert _site("Post endorses school levy - Northfield Post Editorial Board",
                 "https://www.northfieldpost.com/opinion/levy") == "Northfield Post"


def test_site_name_with_a_word_of_its_own_after_the_host_stays_whole():
    # Guard: words after the host's letters that are no desk are the name's ("Valley Weekly Online").
    assert _site("Post endorses school levy - Valley Weekly Online",
                 "https://www.valleyweekly.com/opinion/levy") == "Valley Weekly Online"
