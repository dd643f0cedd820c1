"""Invented pages for the regressions a review of the rv11 metadata and cleaner mends (rv12) found: real bylines the
cleaner kept, an update stamp taken as the publication date, a clock time read in the wrong zone, a lead picture
lost for its path or a wrapper's class, a section's name in the <title> over the logo's site name, a photographer
or the people quoted taken as authors, initials cut as honorifics, and an agency credited by a chart, a photo or an
embedded card made the author. Each counter-case sits beside a guard: the rv11 mend of the same shape, which stays."""

import json

import pytest

from pipelines.core.cleaning import clean_article, load_rules
from pipelines.core.extraction import extract_article

from tests.core.marrow_story import TITLE, URL
from tests.core.marrow_story import page as _page


# 1. The cleaner: any short "By" line is a byline again (as in cleaning-1.8.0), except a closed list of subheads.
RULES = load_rules()
INTRO = "A strong atmospheric river will reach the coast on Wednesday, bringing heavy rain to the valleys."
AFTER = "Forecasters expect up to eight inches of rain in the coastal mountains by Friday evening, officials said."


def _cleaned(line: str, bounded: bool = True) -> list[str]:
    return clean_article("\n\n".join([INTRO, line, AFTER]), title="What is an atmospheric river?", rules=RULES,
                         bounded=bounded).paragraphs


@pytest.mark.parametrize("bounded", [True, False])  # False: a text-only JSONL record, where the cleaner alone decides
@pytest.mark.parametrize("line", [
    "By our Foreign Staff", "by maya chen", "By a staff reporter", "By the editors", "By an Echo reporter",
    "By Łukasz Kowalczyk", "By Ștefan Ionescu", "By Đorđe Petrović", "By Summer Delgado", "By Dawn Okafor",
    "By Autumn Reyes", "By Chance Whitaker", "By The Day Staff", "By The Week Staff", "By Mid-day Correspondent",
    "By staff", "By Sunday Okoro",
])
def test_bylines_the_name_shaped_rule_kept_leave_the_cleaned_text(line, bounded):
    assert _cleaned(line, bounded) == [INTRO, AFTER]


@pytest.mark.parametrize("line", [
    "By the numbers", "By The Way", "By the time the crews arrived", "By the same token", "By contrast",
    "By comparison", "By then", "By now", "By far", "By and large", "By Friday", "By Friday evening", "By June 30",
    "By 2030", "By the end of the year",
])
def test_subheads_opening_with_by_stay(line):
    # Guard: rv11's mend (F4) and the rest of the closed list.
    assert line in _cleaned(line)


@pytest.mark.parametrize("line", ["By noon, the river had crested.", "By Tuesday, 40 homes were flooded.",
                                  "By June, the county had spent its whole storm budget."])
def test_short_story_sentences_opening_with_by_stay(line):
    # Guard: a one-sentence news paragraph is no byline (its full stop ends the pattern's reach, as before).
    assert line in _cleaned(line)


# 2. Dates: an update stamp beside a name is no publication date; an ambiguous zone gives the date alone.
@pytest.mark.parametrize("meta", [
    "<div class='meta'>Jane Doe · Updated Jan. 24, 2026</div>",
    "<div class='meta'>Jane Doe · Last updated January 24, 2026 at 3:10 p.m. ET</div>",
    "<div class='meta'>Jane Doe · Aktualisiert 24. Januar 2026</div>",
])
def test_update_stamp_beside_a_name_is_not_the_publication_date(meta):
    assert extract_article(_page(meta), url=URL).published_at is None


@pytest.mark.parametrize("zone", ["CST", "BST", "PST"])  # ("IST" gives no date at all, before fe259c7 too: rv12 D09)
def test_ambiguous_zone_gives_the_date_alone(zone):
    # China Standard Time or US Central? Read as US Central, 9:30 p.m. on a Chinese site moved to the next day.
    meta = f"<div class='article-meta'>By Wang Lei | January 22, 2026 at 9:30 p.m. {zone}</div>"
    article = extract_article(_page(meta), url="https://english.huaxiadaily.example.cn/business/banks")
    assert article.published_at == "2026-01-22T00:00:00Z"


@pytest.mark.parametrize("meta, published", [
    ("<div class='meta'>Jane Doe · January 22, 2026 at 9:00 a.m. ET</div>", "2026-01-22T14:00:00Z"),
    ("<div class='article-meta'>By Wang Lei | January 22, 2026 at 9:30 p.m. EST</div>", "2026-01-23T02:30:00Z"),
    ("<div class='article-meta'>By Jan Berg | 22 January 2026, 21:30 CET</div>", "2026-01-22T20:30:00Z"),
])
def test_dates_with_a_name_or_an_unambiguous_zone_as_rv11_mended(meta, published):
    # Guard: rv11's mends (F5) of the same shapes.
    assert extract_article(_page(meta), url=URL).published_at == published


# 3. The lead picture is the top image whatever its path or its wrapper's class says.
HOST = "https://www.harborweekly.example"


@pytest.mark.parametrize("lead, src", [
    ("<figure><img src='/images/storage-burglary-suspect-mugshot.jpg' width='1200'></figure>",
     "/images/storage-burglary-suspect-mugshot.jpg"),
    ("<figure><img src='/media/people/harold-vance-1931-2026.jpg' width='1200'></figure>",
     "/media/people/harold-vance-1931-2026.jpg"),
    ("<figure><img src='/uploads/new-coach-ana-lind-headshot.jpg' width='1200'></figure>",
     "/uploads/new-coach-ana-lind-headshot.jpg"),
    ("<figure class='profile-hero'><img src='/img/marta-ruiz-coach.jpg' width='1200'></figure>",
     "/img/marta-ruiz-coach.jpg"),
    ("<div class='post-2231 post type-post category-profiles'><figure><img src='/img/whales.jpg' width='1200'>"
     "</figure></div>", "/img/whales.jpg"),
    ("<div class='columnist-article story-body'><figure><img src='/img/bank-lobby.jpg' width='1200'></figure></div>",
     "/img/bank-lobby.jpg"),
    ("<div class='contributor-post'><figure><img src='/img/stage-chair.jpg' width='1200'></figure></div>",
     "/img/stage-chair.jpg"),
    ("<figure class='bio-hero'><img src='/img/lab-bench.jpg' width='1200'></figure>", "/img/lab-bench.jpg"),
    ("<figure class='author-photo'><img src='/img/ferry.jpg' width='1200'></figure>", "/img/ferry.jpg"),
])
def test_lead_picture_is_the_top_image_whatever_its_path_or_wrapper(lead, src):
    assert extract_article(_page(lead=lead), url=URL).image_url == HOST + src


@pytest.mark.parametrize("box", [
    "<div class='byline'><img class='photo' src='/img/u/88.jpg' alt=''> By Marcus Feld</div>",
    "<div class='author-bio'><img src='/img/u/88.jpg' alt=''><p>Marcus Feld covers the port.</p></div>",
    "<div class='story-meta'><img class='avatar' src='/img/u/88.jpg' alt=''><span>By Marcus Feld</span></div>",
])
def test_writer_picture_before_the_lead_is_still_passed_over(box):
    # Guard: rv11's mend (F11) for a picture in a byline, an author's bio or an avatar.
    lead = "<figure><img src='/img/ferry-dock.jpg' width='1200' alt='The ferry dock'></figure>"
    assert extract_article(_page(box, lead=lead), url=URL).image_url == HOST + "/img/ferry-dock.jpg"


# 4. A section's name in the <title> does not beat the logo's site name.
@pytest.mark.parametrize("title, url, logo", [
    (f"{TITLE} - Home &amp; Garden", "https://www.homeandgardenherald.example/garden/shade", "Home and Garden Herald"),
    (f"{TITLE} | Money &amp; Markets", "https://www.moneyandmarketsdaily.example/markets/x", "Money and Markets Daily"),
    (f"{TITLE} | Food &amp; Drink", "https://foodanddrink.rivertonledger.example/eat/x", "Riverton Ledger"),
    (f"{TITLE} | Riverton Business News", "https://www.rivertonnews.example/section/x", "Riverton News"),
])
def test_logo_beats_a_section_name_in_the_title(title, url, logo):
    assert extract_article(_page(title=title, logo=logo), url=url).site_name == logo


def test_ampersand_section_inside_a_longer_host_is_no_site_name():
    # Without a logo: "Home & Garden" is in homeandgardenherald but is not a whole label of it.
    url = "https://www.homeandgardenherald.example/garden/shade"
    assert extract_article(_page(title=f"{TITLE} - Home &amp; Garden"), url=url).site_name != "Home & Garden"


@pytest.mark.parametrize("title, url, site", [
    (f"{TITLE} | Margins & Footnotes", "https://marginsandfootnotes.substack.example/p/ferry", "Margins & Footnotes"),
    (f"{TITLE} | Riverton Daily News", "https://www.rivertonnews.example/print.php?id=1", "Riverton Daily News"),
])
def test_title_suffix_without_a_logo_as_rv11_mended(title, url, site):
    # Guard: rv11's mend (F12) when nothing else names the site.
    assert extract_article(_page(title=title), url=url).site_name == site


# 5. A photographer's credit or a list of the people quoted names no author.
@pytest.mark.parametrize("meta", [
    "<div class='hero'><img src='/img/ferry.jpg' width='1200'><span class='photo-credits'>Mara Lindqvist</span></div>",
    "<figure class='lead'><img src='/img/ferry.jpg' width='1200'></figure><p class='credits'>Mara Lindqvist</p>",
    "<div class='contributors-list'>Ana Ruiz, Tomas Lind, Petra Novak</div>",
])
def test_picture_credits_and_contributor_lists_name_no_author(meta):
    assert extract_article(_page(meta), url=URL).authors == []


@pytest.mark.parametrize("meta, authors", [
    ("<div class='bh-authors'><span>Katie Brennan</span></div>", ["Katie Brennan"]),
    ("<p class='story-writers'>Nadia Farouk and Peter Holm</p>", ["Nadia Farouk", "Peter Holm"]),
])
def test_authors_box_without_by_as_rv11_mended(meta, authors):
    # Guard: rv11's mend (F8) for a box named for the writers.
    assert extract_article(_page(meta), url=URL).authors == authors


# 6a. Initials in capitals are no honorific.
@pytest.mark.parametrize("byline, authors", [
    ("By MS Venkatesh Kumar", ["MS Venkatesh Kumar"]),
    ("By MR Praveen Chandra", ["MR Praveen Chandra"]),
    ("By DR Shalini Rao", ["DR Shalini Rao"]),
    ("By Rev. Dr. Martin Okoye", ["Martin Okoye"]),  # every title before the name goes
])
def test_initials_are_kept_and_titles_cut(byline, authors):
    meta = f"<div class='byline'><span class='author-name'>{byline}</span></div>"
    assert extract_article(_page(meta), url="https://www.deccanvoice.example.in/news/x").authors == authors


def test_json_ld_author_with_initials_is_kept():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "author": {"@type": "Person", "name": "MS Venkatesh Kumar"}}
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    assert extract_article(_page(head=head), url=URL).authors == ["MS Venkatesh Kumar"]


@pytest.mark.parametrize("byline, authors", [
    ("By Dr. Noor Haddad", ["Noor Haddad"]),
    ("By Mr Praveen Chandra", ["Praveen Chandra"]),
    ("By Sir Harold Evans", ["Harold Evans"]),
    ("By Dr. Oz", ["Dr. Oz"]),
])
def test_title_case_honorifics_are_cut_as_rv11_mended(byline, authors):
    # Guard: rv11's mend (F13).
    assert extract_article(_page(f"<div class='byline'>{byline}</div>"), url=URL).authors == authors


# 6b. An agency credited by a chart, a picture or an embedded card is no author of an unsigned story.
@pytest.mark.parametrize("after", [
    "<div class='chart'><img src='/charts/banks.png' width='900'><p class='chart-byline'>Reuters</p></div>",
    "<div class='embed-story'><h4>Earlier: state budget talks stall</h4><span class='byline'>AP</span></div>",
    "<div class='story-photo'><img src='/img/dock.jpg' width='900'><span class='image-byline'>AP</span></div>",
])
def test_agency_outside_the_story_byline_is_no_author(after):
    assert extract_article(_page(after=after), url=URL).authors == []


def test_agency_in_the_story_byline_is_the_author_beside_a_chart_credit():
    # Guard: rv11's mend (F13) when a chart credits another agency.
    chart = "<div class='chart'><img src='/charts/banks.png' width='900'><p class='chart-byline'>Reuters</p></div>"
    article = extract_article(_page("<div class='byline'>By AP</div>", after=chart), url=URL)
    assert article.authors == ["AP"]
