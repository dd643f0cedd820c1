"""Invented pages for extraction rules v51, body text: the story text a review of the v51 mends (rv9, sections A and
C) found removed by rules written for the review before it (rv8). Each guard is a story paragraph shaped like the
furniture (it failed on the v51 mends); beside it the furniture the rule was written for still goes."""

import pytest

from tests.core.library_story import BODY, PARAS, TITLE, URL, assert_story, story_lines


def _page(inner: str, head: str = "", title: str = TITLE, lang: str = "en") -> str:
    return (f"<html lang='{lang}'><head><title>{title}</title>{head}</head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><main><article><h1>{title}</h1>{inner}</article></main>"
            "<footer>Orchard Valley Courier</footer></body></html>")


_lines = story_lines
_assert_story = assert_story


# A1/A2. The "not ... advice" notice is a paragraph that is the notice; a reported sentence saying so is the story.
@pytest.mark.parametrize("line", [
    "The report does not constitute financial advice, its authors stress, but it lists the free services families "
    "can turn to, from debt charities to council hardship funds.",
    "The content is not legal advice either, the charity's chief executive Amir Khan wrote in a foreword, and "
    "people facing court action should see an adviser.",
    "The information is not legal advice, and anyone with a court date should still call the office's helpline, "
    "Jimenez added.",
    "This content is not financial advice, warned the regulator in its leaflet.",
])
def test_guard_a_reported_not_advice_sentence_stays(line):
    lines = _lines(_page(f"{BODY}<p>{line}</p><p>{PARAS[0][:60]} again next year.</p>"))
    assert line in lines


@pytest.mark.parametrize("line", [
    "This article is for information only and is not investment advice.",  # (rv8's case)
    "This article is for information only and does not constitute investment advice.",
])
def test_a_standalone_not_advice_notice_goes(line):
    lines = _lines(_page(f"{BODY}<p><em>{line}</em></p>"))
    _assert_story(lines)
    assert line not in lines


# A3. "Pictured:" is a caption in a caption position or as a line of an old <br> page, not a <p> of the story.
def test_guard_a_pictured_paragraph_in_the_body_stays():
    pictured = "Pictured: a rehearsal in the old parish hall, where the cast has met three nights a week since November."
    lines = _lines(_page(f"<p>{PARAS[0]}</p><p>{pictured}</p>{''.join(f'<p>{p}</p>' for p in PARAS[1:])}"))
    assert pictured in lines


def test_a_pictured_caption_after_an_image_or_in_a_caption_box_goes():
    after_image = "Pictured: the flooded history room."
    in_box = "Pictured: volunteers moving the local history shelves."
    lines = _lines(_page(f"<p>{PARAS[0]}</p><img src='/room.jpg' alt=''><p>{after_image}</p>"
                         f"<p>{PARAS[1]}</p><div class='photo'><img src='/shelves.jpg' alt=''>"
                         f"<p class='caption-text'>{in_box}</p></div>{''.join(f'<p>{p}</p>' for p in PARAS[2:])}"))
    _assert_story(lines)
    assert not any("Pictured" in l for l in lines)


# A4. A closing name goes only as the page's author, in an author box or in brackets.
def test_guard_a_closing_name_that_is_the_story_stays():
    # The name pupils chose (the story's point), and a letter's signature.
    html = _page(f"<p class='byline'>By Tom Fry</p>{BODY}<p>The winning entry was announced at a school assembly "
                 "on Friday.</p><p>Mary Anning</p>")
    assert "Mary Anning" in _lines(html)
    letter = _page(f"<p>To the editor:</p>{BODY}<p>Margaret Ellison</p>", title="Letter: Trucks on Cedar Avenue")
    assert "Margaret Ellison" in _lines(letter)


@pytest.mark.parametrize("head, byline", [
    ("<meta name='author' content='Helen Price'>", ""),
    ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": {\"@type\": \"Person\", "
     "\"name\": \"Helen Price\"}}</script>", ""),
    ("", "<p class='byline'>By Helen Price</p>"),
])
def test_a_closing_name_that_is_the_pages_author_goes(head, byline):
    lines = _lines(_page(f"{byline}{BODY}<p>Helen Price</p>", head=head))
    _assert_story(lines)
    assert "Helen Price" not in lines


def test_guard_a_name_only_in_the_json_ld_article_body_stays():
    head = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": {\"name\": \"Tom Fry\"}, "
            "\"articleBody\": \"... Mary Anning\"}</script>")
    assert "Mary Anning" in _lines(_page(f"{BODY}<p>Mary Anning</p>", head=head))


# A5. The print note "Published in X on <date>." goes on an obituary's page only.
def test_guard_a_citation_and_a_masthead_line_stay():
    cited = "Published in Nature Medicine on 4 March 2026."
    motto = "Published in Oakdale from 1921 to 1968."
    lines = _lines(_page(f"{BODY}<p>{motto}</p><p>The library will scan every issue by 2028.</p><p>{cited}</p>"))
    assert cited in lines and motto in lines


@pytest.mark.parametrize("url, title, box", [
    ("https://www.castletonobserver.example/obituaries/eleanor-brooks", "Eleanor May Brooks Obituary", "div"),
    (URL, "Eleanor May Brooks", "div class='obituary-text'"),
])
def test_a_print_note_on_an_obituary_page_goes(url, title, box):
    note = "Published in Castleton Observer on Feb. 24, 2026."
    html = (f"<html><head><title>{title}</title><link rel='canonical' href='{url}'></head><body><main><h1>{title}"
            f"</h1><{box}>{BODY}<p>{note}</p></div></main></body></html>")
    lines = _lines(html, url)
    _assert_story(lines)
    assert note not in lines


# A6. A credit line ("Pictures by ...", "Text by ...") goes in a caption or credit position only.
@pytest.mark.parametrize("line", ["Pictures by Ansel Adams", "Text by Margaret Atwood"])
def test_guard_a_credit_shaped_line_of_prose_stays(line):
    lines = _lines(_page(f"<p>{PARAS[0]}</p><h3>The exhibition</h3><p>{line}</p>"
                         f"{''.join(f'<p>{p}</p>' for p in PARAS[1:])}"))
    assert line in lines


def test_a_credit_line_in_a_credit_box_or_under_a_picture_goes():
    lines = _lines(_page(f"<p class='credit-line'>Photos and words by Joel Tan</p><p>{PARAS[0]}</p>"
                         f"<img src='/a.jpg' alt=''><p>Pictures by Ansel Adams</p>"
                         f"{''.join(f'<p>{p}</p>' for p in PARAS[1:])}"))
    _assert_story(lines)
    assert not any(" by " in l and len(l) < 40 for l in lines)


# C. A short number heads the next subhead only as a list number in its own box right before it.
@pytest.mark.parametrize("box", ["<div class='age'>42</div>", "<p>21</p>", "<div class='score'>3</div>"])
def test_guard_a_number_that_is_not_a_list_number_does_not_head_the_subhead(box):
    lines = _lines(_page(f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p>{box}<h3>The temporary branch</h3>"
                         f"<p>{PARAS[2]}</p><p>{PARAS[3]}</p>"))
    assert "The temporary branch" in lines
    _assert_story(lines)


@pytest.mark.parametrize("box", ["<span class='num'>{}</span>", "<div class='rank'>{}</div>", "<span>{}.</span>"])
def test_a_list_number_in_its_own_box_heads_its_subhead(box):
    items = "".join(f"<div class='item'>{box.format(i + 1)}<h3>Step {name}</h3><p>{p}</p></div>"
                    for i, (name, p) in enumerate(zip(("one", "two", "three", "four"), PARAS)))
    lines = _lines(_page(f"<div class='content'>{items}</div>"))
    dot = "." if "." in box else ""
    assert [f"{n}{dot} Step {w}" for n, w in zip("1234", ("one", "two", "three", "four"))] == [
        l for l in lines if l.startswith(tuple("1234"))]
