"""Invented pages for the metadata and cleaner failures an out-of-sample review of rules v52 (rv11) found: a
"By the numbers" subhead deleted by the cleaner as a byline, no date from a byline block whose date carries a clock
time, an author's headshot as the top image, the <title>'s site name passed over for the host, bylines without a
"By", an honorific kept in a name, and agencies credited by JSON-LD but not by a byline box. Each mend sits beside a
guard: a byline, a date, a picture or a site name of the same shape that must stay as it was."""

import json

import pytest

from pipelines.core.cleaning import clean_article, load_rules
from pipelines.core.extraction import extract_article

from tests.core.marrow_story import PARAS, TITLE, URL
from tests.core.marrow_story import page as _page


def _lines(article) -> list[str]:
    return [line for line in article.text.split("\n") if line.strip()]


# F4. The cleaner's byline rule: "By" and a name-shaped run, not any short line that opens with "By".
RULES = load_rules()
INTRO = "A strong atmospheric river will reach the coast on Wednesday, bringing heavy rain to the valleys."
AFTER = "Forecasters expect up to eight inches of rain in the coastal mountains by Friday evening, officials said."


@pytest.mark.parametrize("line", ["By the numbers", "By The Numbers", "BY THE NUMBERS", "By the way", "By The Way",
                                  "By the time the crews arrived", "By contrast", "By Contrast", "By then",
                                  "By comparison", "By Friday", "By the end of the year"])
def test_subheads_opening_with_by_are_kept_by_the_cleaner(line):
    res = clean_article("\n\n".join([INTRO, line, AFTER]), title="What is an atmospheric river?", rules=RULES)
    assert line in res.paragraphs


@pytest.mark.parametrize("line", ["By Jane Doe", "By Jane Doe | Reuters", "By Jane Doe, Staff Writer",
                                  "By Jane Doe and John Roe", "BY JOHN SMITH", "By J. Smith", "By Mary O'Neil",
                                  "By Ludwig van Beethoven", "by Sarah Kim", "By Ángel Núñez", "By June Thomas",
                                  "By The Associated Press", "By the Associated Press", "By Reuters",
                                  "By Staff reporter", "By The Courier",
                                  "By Katie Brennan, Staff writer | March 3, 2026"])
def test_bylines_still_leave_the_cleaned_text(line):
    # Guard: every byline shape the rule took before still goes.
    res = clean_article("\n\n".join([INTRO, line, AFTER]), title="What is an atmospheric river?", rules=RULES)
    assert res.paragraphs == [INTRO, AFTER]


def test_cleaning_rules_version_was_bumped():
    assert RULES.version != "cleaning-1.8.0"


# F5. A byline block's date followed by "at" and a clock time.
@pytest.mark.parametrize("meta, published", [
    ("<div class='post-meta'><span>Ben Achterberg</span> <span>January 22, 2026 at 9:00 a.m.</span></div>",
     "2026-01-22T00:00:00Z"),  # no zone: the date alone, as every text date
    ("<div class='post-meta'><span>Ben Achterberg</span> <span>January 22, 2026 at 9 a.m.</span></div>",
     "2026-01-22T00:00:00Z"),
    ("<div class='post-meta'><span>Ben Achterberg</span> <span>January 22, 2026 at 9:00 a.m. ET</span></div>",
     "2026-01-22T14:00:00Z"),  # Eastern standard time in January
    ("<div class='post-meta'><span>Ben Achterberg</span> <span>July 22, 2026 at 11:30 p.m. ET</span></div>",
     "2026-07-23T03:30:00Z"),  # ... and summer time in July: the next day in UTC
    ("<div class='post-meta'><span>Ben Achterberg</span> <span>January 22, 2026, 09:00 CET</span></div>",
     "2026-01-22T08:00:00Z"),
    ("<div class='post-meta'><span>Ben Achterberg</span> <span>January 22, 2026 09:00</span></div>",
     "2026-01-22T00:00:00Z"),
    ("<div class='post-meta'>Ben Achterberg · January 22, 2026 at 9:00 a.m.</div>", "2026-01-22T00:00:00Z"),
    ("<div class='post-meta'><span class='dateline'>Published January 22, 2026 at 12:00 a.m.</span></div>",
     "2026-01-22T00:00:00Z"),
])
def test_date_with_a_clock_time_in_a_byline_block(meta, published):
    article = extract_article(_page(meta), url=URL)
    assert article.published_at == published


def test_date_without_a_time_is_read_as_before():
    # Guard: the shape that worked.
    meta = "<div class='post-meta'><span>Ben Achterberg</span> <span>January 22, 2026</span></div>"
    assert extract_article(_page(meta), url=URL).published_at == "2026-01-22T00:00:00Z"


def test_a_story_sentence_ending_in_a_clock_time_gives_no_date():
    # Guard: "a.m." no longer ends a sentence for the byline walk, but a sentence with a date is still no dateline.
    meta = "<p>The board meets again on January 29, 2026 at 9 a.m.</p>"
    assert extract_article(_page(meta), url=URL).published_at is None


def test_name_beside_a_date_outside_a_byline_box_gives_no_date():
    # Guard: "Name · date" is read only in a box named for a byline, a date or the page's meta.
    meta = "<div class='event-card'>Harbor Festival · January 22, 2026 at 9:00 a.m.</div>"
    assert extract_article(_page(meta), url=URL).published_at is None


# F11. The author's headshot is never the top image; the lead picture still is.
CARD = ("<div class='author-card'><img src='/authors/marcus.jpg' alt=''><p><b>Marcus Feld</b> covers the port and "
        "the islands.</p></div>")
AVATAR = "<div class='byline'><img class='photo' src='/img/u/88.jpg' alt=''> By Marcus Feld</div>"
LEAD = "<figure><img src='/img/ferry-dock.jpg' width='1200' alt='The ferry dock'></figure>"


def test_author_card_headshot_is_not_the_top_image():
    assert extract_article(_page(after=CARD), url=URL).image_url is None


def test_byline_avatar_is_passed_over_for_the_lead_picture():
    article = extract_article(_page(AVATAR, lead=LEAD, after=CARD), url=URL)
    assert article.image_url == "https://www.harborweekly.example/img/ferry-dock.jpg"
    assert article.authors == ["Marcus Feld"]


def test_lead_picture_stays_the_top_image():
    # Guard: the lead image without og:image (amp5, photo3) is still found.
    assert extract_article(_page(lead=LEAD), url=URL).image_url == \
        "https://www.harborweekly.example/img/ferry-dock.jpg"


# F12. The site's name from the <title>'s last part.
@pytest.mark.parametrize("title, url, site", [
    (f"{TITLE} | Margins & Footnotes", "https://marginsandfootnotes.substack.example/p/ferry", "Margins & Footnotes"),
    (f"{TITLE} | Riverton Daily News", "https://www.rivertonnews.example/print.php?id=1", "Riverton Daily News"),
    (f"{TITLE} | Margins and Footnotes", "https://marginsandfootnotes.substack.example/p/ferry",
     "Margins and Footnotes"),  # guard: as before
])
def test_site_name_from_the_title_suffix(title, url, site):
    assert extract_article(_page(title=title), url=url).site_name == site


@pytest.mark.parametrize("title, url", [
    # A last part that shares nothing with the host is not knowable from one page (a section, a series, another
    # brand): the host it stays.
    (f"{TITLE} | Noorderkoerier", "https://www.dagbladvanhetnoorden-regio.example/regio/brug"),
    # The host's first word but other words after it: a section ("Riverton Sports") is no site name.
    (f"{TITLE} | Riverton Sports", "https://www.rivertonnews.example/print.php?id=1"),
])
def test_title_suffix_unlike_the_host_is_not_the_site_name(title, url):
    article = extract_article(_page(title=title), url=url)
    assert article.site_name == url.split("/")[2]


# F8 (authors). A byline box without "By".
@pytest.mark.parametrize("meta, authors", [
    ("<p class='story-authors'>Nadia Farouk and Peter Holm</p>", ["Nadia Farouk", "Peter Holm"]),
    ("<div class='bh-authors'><span>Katie Brennan</span></div>", ["Katie Brennan"]),
])
def test_byline_box_without_by_names_the_authors(meta, authors):
    article = extract_article(_page(meta), url=URL)
    assert article.authors == authors
    assert _lines(article) == PARAS


@pytest.mark.parametrize("meta", [
    "<p class='credit'>Nadia Farouk</p>",  # a picture's credit box (singular)
    # ... and a credits box, which fe259c7 read as authors: it as often names a photographer or the people quoted
    # (review rv12) as the writers (rv11's print3).
    "<p class='reader-credits'>Nadia Farouk and Peter Holm</p>",
    "<p class='reader-credits'>Photo: Nadia Farouk</p>",
    "<div class='bh-authors'><span>Subscribe to our newsletter</span></div>",
    "<p class='summary'>Island Residents Worry</p>",
])
def test_other_short_boxes_name_no_author(meta):
    assert extract_article(_page(meta), url=URL).authors == []


# F13. Honorifics and agencies.
@pytest.mark.parametrize("byline, authors", [
    ("By Dr. Noor Haddad", ["Noor Haddad"]),
    ("By Prof. Ana Ruiz and Dr. Li Wei", ["Ana Ruiz", "Li Wei"]),
    ("By Dr. Oz", ["Dr. Oz"]),  # the title alone would leave one word: kept
    ("By Drew Carey", ["Drew Carey"]),  # guard: a name that starts with the letters
])
def test_honorifics_are_no_part_of_the_name(byline, authors):
    meta = f"<div class='byline'>{byline}</div>"
    assert extract_article(_page(meta), url=URL).authors == authors


@pytest.mark.parametrize("byline, authors", [
    ("By <a rel='author' href='/people/x'>Reuters</a>", ["Reuters"]),
    ("By AFP", ["AFP"]),
    ("By The Associated Press", ["The Associated Press"]),
    ("By Jane Doe, Reuters", ["Jane Doe"]),  # guard: a person named beside the agency is the author
])
def test_an_agency_byline_is_the_author_when_no_person_is_named(byline, authors):
    meta = f"<div class='byline'>{byline}</div>"
    assert extract_article(_page(meta), url=URL).authors == authors


def test_json_ld_agency_author_as_before():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "author": {"@type": "Organization", "name": "The Associated Press"}}
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    assert extract_article(_page(head=head), url=URL).authors == ["The Associated Press"]


def test_agency_in_a_rail_is_no_author():
    rail = "<aside class='related'><div class='byline'>By Reuters</div><a href='/x'>Markets slide</a></aside>"
    assert extract_article(_page(after=rail), url=URL).authors == []
