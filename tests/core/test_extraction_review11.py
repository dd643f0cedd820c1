"""Invented pages for extraction rules v49: the findings of a review of v48 on unseen page shapes (live blogs,
JSON-LD that names another story or a template's date, section suffixes in titles, newsroom furniture in the body,
thumbnails of related stories, author strings with roles and places). Each page a mend is for failed on v48; the
guards beside them (an endless-scroll page's next story, JSON-LD that agrees with the page) pass on both."""

import pytest

from pipelines.core.extraction import extract_article

PARAS = [
    "The harbour board said on Thursday that the old swing bridge at Gullet Quay will stay shut to traffic until "
    "the spring, after divers found cracks in two of its piers.",
    "Engineers told the board that the cracks had spread since the last survey in March, and that the bridge "
    "could not safely carry lorries, buses or the weekly market vans.",
    "Shopkeepers on the far side of the quay, who rely on passing trade, said the closure would cost them most "
    "of the winter season, according to the traders' association.",
    "The board said it would run a free shuttle boat across the harbour every twenty minutes and would decide "
    "on a repair contract before the end of the year.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
TITLE = "Gullet Quay swing bridge to stay shut until spring"


def _page(inner: str, head: str = "", title: str = TITLE, after: str = "") -> str:
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><main><article><h1>{TITLE}</h1>{inner}</article>{after}</main>"
            "<footer>Gullet Gazette</footer></body></html>")


# 1. A live blog: every post, not the first; an endless-scroll page's next story still stays out.
POSTS = [
    ("11:05", "Shuttle boat timetable published",
     "The harbour board has put the shuttle boat's timetable online. The first crossing leaves the fish market "
     "steps at seven in the morning and the last at half past nine at night."),
    ("10:40", "Traders ask for rate relief",
     "The traders' association has written to the council asking for business rates to be waived while the "
     "bridge is shut, saying footfall has already fallen by a third."),
    ("10:12", "Divers back in the water",
     "A second team of divers went down at ten o'clock to photograph the cracked piers, the board said, and "
     "their pictures will be sent to the engineers by the afternoon."),
]


def _live_page() -> str:
    feed = "".join(f"<article class='live-post'><time datetime='2026-03-05T{t}:00Z'>{t}</time><h2>{h}</h2>"
                   f"<p>{b}</p></article>" for t, h, b in POSTS)
    return (f"<html lang='en'><head><title>Bridge closure live</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<main><h1>Gullet Quay bridge closure: live updates</h1><div class='live-feed'>{feed}</div></main>"
            "<footer>Gullet Gazette</footer></body></html>")


def test_a_live_blog_keeps_every_post_in_page_order():
    text = extract_article(_live_page()).text
    positions = [text.find(body) for _, _, body in POSTS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert all(head in text for _, head, _ in POSTS)
    assert "10:40" not in text.split("\n")


def test_an_endless_scroll_pages_next_story_still_stays_out():
    other = ("<article class='story'><h1>Lifeboat crew honoured for night rescue</h1><p>The crew of the Gullet "
             "lifeboat were given bravery awards on Friday for a rescue in a force nine gale last winter, the "
             "charity said, in which four fishermen were brought ashore.</p><p>The coxswain said the crew had "
             "trained for such a night for years, and thanked the coastguard helicopter team.</p></article>")
    html = (f"<html lang='en'><head><title>{TITLE}</title></head><body><main><article class='story'><h1>{TITLE}"
            f"</h1>{BODY}</article>{other}</main></body></html>")
    text = extract_article(html).text
    assert PARAS[3] in text
    assert "bravery awards" not in text


# 2. JSON-LD trusted against the rest of the page.
def _ld(body: str) -> str:
    return f'<script type="application/ld+json">{body}</script>'


OTHER_STORY_LD = _ld('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Council fined over '
                     'lifeboat station repairs","datePublished":"2025-09-14T09:00:00Z","author":{"@type":"Person",'
                     '"name":"Staff reporter"}}')


def test_json_ld_naming_another_story_loses_to_the_agreeing_page():
    head = f"<meta property='og:title' content='{TITLE}'>{OTHER_STORY_LD}"
    inner = "<p class='byline'>By Morwenna Tregear</p><time datetime='2026-03-05T08:15:00Z'>5 March 2026</time>"
    art = extract_article(_page(inner + BODY, head, title=f"{TITLE} | Gullet Gazette"))
    assert art.title == TITLE and art.provenance["title"] != "json-ld"
    assert art.published_at == "2026-03-05T08:15:00Z" and art.provenance["published_at"] == "time"
    assert art.authors == ["Morwenna Tregear"]


def test_json_ld_agreeing_with_the_page_still_comes_first():
    ld = _ld('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Swing bridge stays shut until '
             'spring as divers find cracks in piers","datePublished":"2026-03-05T07:00:00Z",'
             '"author":{"@type":"Person","name":"Morwenna Tregear"}}')
    head = f"<meta property='og:title' content='{TITLE}'>{ld}"
    inner = "<time datetime='2026-03-05T08:15:00Z'>5 March 2026</time>"
    art = extract_article(_page(inner + BODY, head))
    assert art.provenance["title"] == "json-ld" and art.provenance["published_at"] == "json-ld"
    assert art.published_at == "2026-03-05T07:00:00Z" and art.authors == ["Morwenna Tregear"]


LAUNCH_LD = _ld('{"@context":"https://schema.org","@graph":[{"@type":"WebSite","@id":"https://gullet.example/#w",'
                '"name":"Gullet Gazette","url":"https://gullet.example/"},{"@type":"WebPage","datePublished":'
                '"2011-05-01T00:00:00+00:00"},{"@type":"NewsArticle","headline":"' + TITLE + '","datePublished":'
                '"2011-05-01T00:00:00+00:00","author":{"@type":"Person","name":"admin"}}]}')


@pytest.mark.parametrize("url", ["https://gullet.example/2026/03/05/bridge/", "https://gullet.example/bridge/"])
def test_a_template_date_and_an_admin_author_in_json_ld_lose(url):
    inner = ("<div class='meta'>By <a href='/author/mt'>Morwenna Tregear</a> | <time class='published' "
             "datetime='2026-03-05T08:15:00+00:00'>March 5, 2026</time></div>")
    art = extract_article(_page(inner + BODY, LAUNCH_LD), url=url)
    assert art.published_at == "2026-03-05T08:15:00Z"
    assert art.authors == ["Morwenna Tregear"]
    assert art.site_name == "Gullet Gazette" and art.provenance["site_name"] == "json-ld"


@pytest.mark.parametrize("name", ["admin", "Staff reporter", "editor", "webmaster", "Administrator"])
def test_a_placeholder_author_is_no_author(name):
    head = f"<meta name='author' content='{name}'>"
    assert extract_article(_page(BODY, head)).authors == []


# 3. A section's name after the headline in the <title> goes with the site's.
@pytest.mark.parametrize("section", ["UK news", "The Long Read"])
def test_a_section_suffix_leaves_the_title(section):
    art = extract_article(_page(BODY, "<meta property='og:site_name' content='Gullet Gazette'>",
                                title=f"{TITLE} | {section} | Gullet Gazette"))
    assert art.title == TITLE


def test_a_one_part_suffix_is_still_judged_as_before():
    art = extract_article(_page(BODY, title=f"{TITLE} - Notes from a harbour town diary"))
    assert art.title == f"{TITLE} - Notes from a harbour town diary"


# 4. Newsroom furniture inside the story's container goes; a correction note is the story's and stays.
def _body_with(extra_before: str = "", extra_after: str = "") -> str:
    return _page(f"{extra_before}<div class='article__body'>{BODY}{extra_after}</div>")


@pytest.mark.parametrize("furniture", [
    "<section class='gh-cta'><h2>This post is for subscribers only</h2><p>Become a member to get full access to "
    "all posts.</p><a href='#'>Subscribe now</a></section>",
    "<p><strong>WATCH MORE FROM WGTV 4:</strong></p><p><em>Download the WGTV 4 app for breaking news alerts.</em></p>",
    "<p><a href='#'>Print this story</a> | <a href='#'>Email this story</a></p>",
    "<p class='tip'>Have a confidential tip for our reporters? Get in touch.</p>",
    "<p>Do you have a story for us? Email newsdesk@gullet.example or call 01234 567890.</p>",
    "<p>This article was generated with the help of market data provided by QuoteCo. Quotes delayed at least 15 "
    "minutes.</p>",
    "<p>Gullet Harbour Foods Inc. GHF -8.5% | Quayside Group QSG +0.4%</p>",
    "<p>The Harbour Board is an equal opportunity provider, employer and lender.</p>",
    "<p>(Reporting by Morwenna Tregear; Editing by Jory Penhale)</p><p>Our Standards: The Wire Trust Principles.</p>",
    "<p>Follow the Long Read on X at @longread and sign up to the long read weekly email here.</p>",
    "<p>Associated Press writer Jory Penhale contributed from Truro.</p>",
    "<figure class='chart'><svg><text>2024</text></svg><p class='chart-source'>Source: Harbour Board. Graphic: "
    "Data Desk</p></figure>",
])
def test_newsroom_furniture_after_the_story_goes(furniture):
    text = extract_article(_body_with(extra_after=furniture)).text
    assert text.split("\n\n") == PARAS


def test_a_ghost_tag_and_a_scoreboard_and_an_in_body_byline_go():
    board = ("<div class='scoreboard'><span>Gullet Town</span> <span>2 - 1</span> <span>Penhale Rovers</span>"
             "<p>Tregear 49, Jory 88 | Dunn 31</p><p>Att: 1,204</p></div>")
    html = _page(f"<a class='gh-article-tag' href='/sport/'>Sport</a>{board}"
                 f"<p class='byline'>By Jory Penhale at the Quay Ground</p>{BODY}")
    art = extract_article(html)
    assert art.text.split("\n\n") == PARAS


def test_line_ups_after_a_match_report_go():
    lineups = ("<h3>Line-ups</h3><p>Gullet Town: Cole; Briggs, Osei, Lamb, Fry; Petrov, Hughes, Nair; Ward, "
               "Mensah, Tate.</p>")
    assert extract_article(_body_with(extra_after=lineups)).text.split("\n\n") == PARAS


def test_a_staff_bio_with_a_more_about_link_goes():
    bio = "<p>Morwenna Tregear is a national correspondent covering coastal towns. <a href='#'>More about Morwenna Tregear</a></p>"
    assert extract_article(_body_with(extra_after=bio)).text.split("\n\n") == PARAS


def test_a_correction_note_stays():
    note = "This article was amended on 8 March 2026 to correct the number of piers found cracked."
    text = extract_article(_body_with(extra_after=f"<p><em>{note}</em></p>")).text
    assert text.split("\n\n") == [*PARAS, note]


def test_a_reporting_from_sentence_stays():
    line = "Reporting from Truro, she said the harbour master had not been told of the cracks."
    text = extract_article(_body_with(extra_before=f"<p>{line}</p>")).text
    assert line in text


# 4 and 6. A page without <p>: <br><br> parts paragraphs; print/email links and an "Other stories" list go.
def _br_page() -> str:
    story = "<br><br>".join(PARAS)
    return (f"<html><head><title>{TITLE} - Gullet Gazette</title></head><body><table><tr><td><font size='5'><b>"
            f"{TITLE}</b></font><br><div id='storytext'>{story}<br><br></div><br><a href='javascript:print()'>Print "
            "this story</a> | <a href='mailto:?'>Email this story</a><br><br><b>Other stories:</b><br><a href='/1'>"
            "Zoning board tables mall proposal</a><br><a href='/2'>Lady Hawks win district title</a><br></td></tr>"
            "</table></body></html>")


def test_a_br_page_gives_paragraphs_without_its_link_lists():
    art = extract_article(_br_page(), url="https://www.gulletgazette.example/news/bridge.html")
    assert art.text.split("\n\n") == PARAS
    assert art.site_name == "Gullet Gazette"


def test_a_single_br_still_gives_lines_of_one_paragraph():
    address = "Harbour Office<br>Gullet Quay<br>Truro TR1 2AB"
    text = extract_article(_body_with(extra_after=f"<p>{address}</p>")).text
    assert text.endswith("Harbour Office\nGullet Quay\nTruro TR1 2AB")


# 5. Metadata: no related-story thumbnail as the top image; names without roles, bureaus, places or outlets;
# bylines in es/pt/pl/it author boxes, Chinese reporter lines and "Posted by" lines.
def test_a_related_rails_thumbnail_is_not_the_top_image():
    rail = ("<aside class='related-rail'><h2>Related</h2><ul><li><a href='/s/1'><img src='/img/t0.jpg' alt=''>"
            "<span>Lifeboat crew honoured</span></a></li></ul></aside>")
    art = extract_article(_page(BODY, after=rail), url="https://gullet.example/news/bridge")
    assert art.image_url is None


def test_a_lead_picture_in_the_article_is_still_the_top_image():
    lead = "<figure><img src='/img/bridge.jpg' width='1200'><figcaption>The bridge</figcaption></figure>"
    rail = "<aside class='related-rail'><a href='/s/1'><img src='/img/t0.jpg'></a></aside>"
    art = extract_article(_page(lead + BODY, after=rail), url="https://gullet.example/news/bridge")
    assert art.image_url == "https://gullet.example/img/bridge.jpg"


@pytest.mark.parametrize("byline,authors", [
    ("<p class='byline'>By Jory Penhale at the Quay Ground</p>", ["Jory Penhale"]),
    ("<p class='byline'>Morwenna Tregear | Gullet Gazette</p>", ["Morwenna Tregear"]),
    ("<p class='byline'>Chief Meteorologist Carla Benning</p>", ["Carla Benning"]),
    ("<p class='byline'>By Priya Nandakumar Local Democracy Reporter</p>", ["Priya Nandakumar"]),
    ("<span class='byline'>김수현 기자</span>", ["김수현"]),
    ("<span class='byline'>浜田支局 佐藤恵美</span>", ["佐藤恵美"]),
    ("<div class='firma'>Lucía Barrientos · Sevilla</div>", ["Lucía Barrientos"]),
    ("<p class='autor'>Ricardo Sampaio</p>", ["Ricardo Sampaio"]),
    ("<span class='author'>记者 李明轩</span>", ["李明轩"]),
    # guards: a role after a comma is the name list's to drop, as before; a section's editor is no name
    ("<p class='byline'>By Carla Mendes, Ledger Staff Writer</p>", ["Carla Mendes"]),
    ("<p class='byline'>By Owen Price, Data reporter · 10 December 2026</p>", ["Owen Price"]),
])
def test_author_strings_give_the_bare_name(byline, authors):
    assert extract_article(_page(byline + BODY)).authors == authors


def test_a_posted_by_line_names_the_author():
    html = (f"<html><head><title>{TITLE}</title></head><body><h2 class='title'>{TITLE}</h2><div class='info'>"
            f"Posted by <b>Niamh Daly</b> on Sunday 14th June 2026</div><div class='post'>{BODY}</div></body></html>")
    art = extract_article(html)
    assert art.authors == ["Niamh Daly"] and art.published_at == "2026-06-14T00:00:00Z"


# A tail marker read line by line ("Like this:", "Other stories") is a line that opens a paragraph of a <br>-lined
# block; in hard-wrapped prose or <pre> the same words go on with the text (v49 cut an RFC page there).
WRAPPED = ("When the reader sends the form, the request the server receives would look something<br>"
           "like this:<br>POST /forms/ballot HTTP/1.1<br>Host: vote.example<br>"
           "and the server answers with the page that thanks the voter and lists the polling stations.")


@pytest.mark.parametrize("block", [f"<div>{WRAPPED}</div>", "<pre>" + WRAPPED.replace("<br>", "\n") + "</pre>"])
def test_tail_marker_words_inside_wrapped_text_do_not_end_the_story(block):
    text = extract_article(_page(BODY + block)).text
    assert "POST /forms/ballot HTTP/1.1" in text and "lists the polling stations" in text
