"""Invented pages for extraction rules v48: the known gaps (galleries, byline fallback, lede datelines, stories only
in Next.js data, table layouts) and the findings of a review of v47 on unseen page shapes. Each page a mend is for
failed on v47; the guards beside them (what must not change: "By 2030 ...", a lead photo's caption) passed."""

import json

import pytest

from pipelines.core.extraction import ExtractionError, extract_article

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
TITLE = "Council votes to close Marsh End ferry landing"


def _page(inner: str, head: str = "") -> str:
    return (f"<html><head><title>{TITLE}</title>{head}</head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><main><article><h1>{TITLE}</h1>{inner}</article></main>"
            "<footer>Marsh End Courier</footer></body></html>")


# 1. A photo gallery: the slides' captions are the story; a story's lead-photo caption is not.
INTRO = "The annual harbour regatta drew thousands to the waterfront on Saturday. Here are the best pictures."
CAPTIONS = [
    "Crowds gather on the quay at dawn as the first boats of the regatta arrive from the estuary, some after a "
    "night at sea.",
    "A crew from Marsh End rows past the old customs house; the club has entered the race every year since 1951.",
    "Children watch from the sea wall while volunteers hand out flags and programmes for the afternoon's events.",
    "The winning boat crosses the line just after four o'clock, two lengths ahead of the defending champions.",
    "Rowers and supporters celebrate in the harbour square, where a brass band played until the evening.",
]


@pytest.mark.parametrize("slides", [
    "<div class='photo-gallery'>" + "".join(
        f"<figure class='gallery-item'><img src='/p{i}.jpg'><figcaption>{c} <span class='credit'>Photo: Jo Ellis"
        f"</span></figcaption></figure>" for i, c in enumerate(CAPTIONS)) + "</div>",
    "<ul class='carousel'>" + "".join(
        f"<li class='slide'><img src='/p{i}.jpg'><div class='caption'>{c} Photo: Jo Ellis/Courier</div></li>"
        for i, c in enumerate(CAPTIONS)) + "</ul>",
])
def test_a_gallerys_captions_are_its_story(slides):
    art = extract_article(_page(f"<p class='intro'>{INTRO}</p>{slides}"))
    assert art.text.split("\n\n") == [INTRO] + CAPTIONS


def test_a_storys_lead_photo_caption_still_goes():
    lead = f"<figure><img src='/lead.jpg'><figcaption>{CAPTIONS[0]}</figcaption></figure>"
    assert extract_article(_page(lead + BODY)).text.split("\n\n") == PARAS


# 2. Bylines outside [class*=byline]: named by markup, or a "By ..." line above the story; never a role or outlet.
@pytest.mark.parametrize("byline,authors", [
    ("<p class='meta'><a rel='author' href='/staff/ruth'>Ruth Okafor</a></p>", ["Ruth Okafor"]),
    ("<div itemprop='author' itemscope><span itemprop='jobTitle'>Local government reporter</span> "
     "<span itemprop='name'>Ruth Okafor</span></div>", ["Ruth Okafor"]),
    ("<address>By <a href='/staff/ruth'>Ruth Okafor</a>, Local Democracy Reporter</address>", ["Ruth Okafor"]),
    ("<div class='author'>Ruth Okafor</div>", ["Ruth Okafor"]),
    ("<p>By Ruth Okafor</p>", ["Ruth Okafor"]),
    ("<p>By Ruth Okafor and Tom Reed</p>", ["Ruth Okafor", "Tom Reed"]),
    ("<p>By Ruth Okafor, Reuters</p>", ["Ruth Okafor"]),
])
def test_a_byline_outside_a_byline_box_names_the_authors_and_leaves_the_body(byline, authors):
    art = extract_article(_page(byline + BODY))
    assert (art.authors, art.text.split("\n\n")) == (authors, PARAS)
    assert art.provenance["authors"].startswith("byline")


@pytest.mark.parametrize("line", [
    "<p>By clicking Accept you agree to our terms of use and privacy policy.</p>",
    "<p>By 2030 the landing will be gone, the council said on Tuesday.</p>",
    "<p>By Senior Reporter</p>",
    "<p>By The Marsh End Courier</p>",
    "<div class='author'>Local government reporter</div>",
])
def test_a_by_line_naming_no_person_gives_no_author(line):
    assert extract_article(_page(line + BODY)).authors == []


def test_an_agency_in_an_author_item_is_no_author():
    byline = "<span itemprop='author' itemscope><span itemprop='name'>AFP</span></span><p>Par Claire Dubois</p>"
    assert extract_article(_page(byline + BODY)).authors == ["Claire Dubois"]


# 3. A wire dateline opening the lede is the last published-date fallback; a date in a sentence is not.
@pytest.mark.parametrize("lede,day", [
    ("WASHINGTON, Sept. 5, 2025 \u2014 The Senate voted on Friday to fund the ferry for another year.", "2025-09-05"),
    ("LONDON, 5 September 2025 (Reuters) - The board voted on Friday to fund the ferry for another year.",
     "2025-09-05"),
    ("SPRINGFIELD, Ill., March 3, 2025 \u2014 The board voted on Friday to fund the ferry for another year.",
     "2025-03-03"),
    ("MARSH END, England, March 3, 2024 /PRNewswire/ -- The Courier Group said on Friday it would fund the ferry.",
     "2024-03-03"),
])
def test_a_dateline_opening_the_lede_is_the_published_date(lede, day):
    art = extract_article(_page(f"<p>{lede}</p>{BODY}"))
    assert (art.published_at, art.provenance["published_at"]) == (f"{day}T00:00:00Z", "dateline")


@pytest.mark.parametrize("lede", [
    "The law takes effect on Sept. 5, 2025, the council said on Tuesday, ending a long dispute over the ferry.",
    "WASHINGTON \u2014 The Senate voted on Friday to fund the ferry until Sept. 5, 2025, ending a long dispute.",
])
def test_a_date_in_a_sentence_of_the_lede_is_not_the_published_date(lede):
    assert extract_article(_page(f"<p>{lede}</p>{BODY}")).published_at is None


def test_a_dateline_does_not_override_a_better_source():
    head = '<meta property="article:published_time" content="2025-09-04T21:00:00Z">'
    art = extract_article(_page(f"<p>WASHINGTON, Sept. 5, 2025 \u2014 {PARAS[0]}</p>{BODY}", head))
    assert (art.published_at, art.provenance["published_at"]) == ("2025-09-04T21:00:00Z", "meta")


# 4. A story only in Next.js data (or in a short JSON-LD articleBody) when the HTML holds none.
def _next(data: dict, dom: str = "") -> str:
    return (f"<html><head><title>{TITLE}</title></head><body><div id='__next'>{dom}</div>"
            f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script></body></html>")


RELATED = [{"title": "Harbour board approves pier repairs after a long winter", "url": "/pier"}] * 6


@pytest.mark.parametrize("story", [
    {"body": [{"type": "paragraph", "text": p} for p in PARAS], "related": RELATED},
    {"content": {"html": BODY}, "related": RELATED},
    {"nodes": [{"type": "p", "children": [{"text": p[:40]}, {"text": p[40:], "bold": True}]} for p in PARAS]},
])
def test_a_story_only_in_next_data_is_read_from_it(story):
    data = {"props": {"pageProps": {"article": dict(story, headline=TITLE)}}, "page": "/[slug]"}
    art = extract_article(_next(data, f"<h1>{TITLE}</h1><div class='skeleton'></div>"))
    assert (art.text.split("\n\n"), art.provenance["text"]) == (PARAS, "next-data")


def test_a_server_rendered_next_page_is_read_from_its_html():
    data = {"props": {"pageProps": {"article": {"body": [{"type": "paragraph", "text": p} for p in PARAS[:2]]}}}}
    art = extract_article(_next(data, f"<article><h1>{TITLE}</h1>{BODY}</article>"))
    assert (art.text.split("\n\n"), art.provenance["text"]) == (PARAS, "dom")


def test_a_short_article_body_is_read_when_the_html_holds_no_story():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "articleBody": PARAS[0] + "\n\n" + PARAS[1]}
    page = (f"<html><head><title>{TITLE}</title><script type='application/ld+json'>{json.dumps(ld)}</script>"
            "</head><body><div id='root'></div></body></html>")
    art = extract_article(page)
    assert (art.text.split("\n\n"), art.provenance["text"]) == (PARAS[:2], "json-ld")


def test_next_data_that_is_not_a_story_gives_no_text():
    data = {"props": {"pageProps": {"menu": [{"label": "News"}, {"label": "Sport"}], "related": RELATED}}}
    with pytest.raises(ExtractionError):
        extract_article(_next(data))


# 5. Table layouts: a story in a layout table's cell is found without its link column; a table of figures in a
# story keeps each row as one line.
def test_a_story_in_a_layout_tables_cell_is_found():
    nav = "<table><tr>" + "".join(f"<td><a href='/s{i}'>Section {i}</a></td>" for i in range(8)) + "</tr></table>"
    page = (f"<html><head><title>{TITLE}</title></head><body><table width=760><tr><td colspan=2>{nav}</td></tr>"
            "<tr><td width=160 valign=top><a href='/a'>Home</a><br><a href='/b'>Sports</a><br>"
            f"<a href='/c'>Weather</a></td><td valign=top><font size=5><b>{TITLE}</b></font><br><font size=2>"
            + "<br><br>".join(PARAS) + "</font></td></tr><tr><td colspan=2><font size=1>Copyright 2004 Marsh End "
            "Courier. All rights reserved.</font></td></tr></table></body></html>")
    assert extract_article(page).text == "\n".join(PARAS)


def test_a_table_of_figures_keeps_its_rows_as_lines():
    rows = [["Year", "Passengers", "Cost per trip"], ["2022", "41,200", "£3.10"], ["2023", "38,950", "£3.45"]]
    table = "<table><tr>" + "".join(f"<th>{c}</th>" for c in rows[0]) + "</tr>" + "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows[1:]) + "</table>"
    art = extract_article(_page(f"<p>{PARAS[0]}</p>{table}" + "".join(f"<p>{p}</p>" for p in PARAS[1:])))
    assert art.text.split("\n\n") == [PARAS[0], "\n".join("\t".join(row) for row in rows)] + PARAS[1:]
