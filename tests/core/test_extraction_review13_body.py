"""Invented pages for extraction rules v51, body text: the leaks a review of v50 (rv8) found on unseen page shapes
(an obituary guest book, a Japanese ranking box and sign-off, embedded posts, gallery counters and credits,
WordPress share and related boxes, old <font> pages, pull-quotes and sticky players, newsroom lines) and a list
number set beside its subhead. Each mend's page failed on v50; the guard beside it (a story paragraph shaped like
the furniture) passes on both."""

import pytest

from pipelines.core.extraction import extract_article
from tests.core.library_story import BODY, PARAS, TITLE, URL, assert_story, story_lines


def _page(inner: str, after: str = "", title: str = TITLE, lang: str = "en") -> str:
    return (f"<html lang='{lang}'><head><title>{title}</title></head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><main><article><h1>{title}</h1>{inner}</article>{after}</main>"
            "<footer>Orchard Valley Courier</footer></body></html>")


_lines = story_lines
_assert_story = assert_story


# C1. An obituary's guest book: condolences signed "— name" are comments; the print note goes too.
def test_guest_book_entries_are_not_the_obituary():
    book = ("<div class='guestbook'><h3>Guest Book</h3><div class='entry'><p>She read to my children every Saturday."
            "</p><span>— Joe M.</span></div><div class='entry'><p>Prayers to the family.</p><span>— The Garza family"
            "</span></div></div>")
    html = _page(f"<div class='obit-text'>{BODY}</div><p>Published in Orchard Courier on Feb. 24, 2026.</p>{book}")
    lines = _lines(html)
    _assert_story(lines)
    assert not any("Joe M." in l or "Prayers" in l or "Guest Book" in l or "Published in" in l for l in lines)


def test_guard_condolence_and_published_sentences_in_the_story_stay():
    said = ("Condolences poured in from former readers, and the family said a guest book would be kept at the "
            "library desk until the end of the month.")
    published = "Published in the Orchard Courier on March 3, 1962, her first poem was about the same library."
    lines = _lines(_page(f"{BODY}<p>{said}</p><p>{published}</p>"))
    assert said in lines and published in lines


# C2. A ranking box inside the article container, a year-first slash dateline and a bracketed sign-off.
JA = ["市は19日、市立中央図書館の開館時間を4月から午後9時まで延長すると発表した。現在は午後7時に閉館しており、平日の夜間に利用したいという市民の要望に応える。",
      "延長に伴い、夜間の職員を4人増員するほか、学習室の座席を30席増やす。年間の追加費用は約2800万円を見込む。"]


def test_japanese_ranking_dateline_and_sign_off_go():
    html = ("<html lang='ja'><head><title>市立図書館、開館時間を延長へ</title></head><body><div class='article'>"
            "<h1>市立図書館、開館時間を延長へ</h1><p class='date'>2026/2/19 18:30</p><div class='text'>"
            + "<br><br>".join(JA) + "<br><br>（山田太郎）</div><div class='ranking'><h3>アクセスランキング</h3><ol>"
            "<li>大雪で交通乱れ</li><li>新市長が初登庁</li></ol></div></div></body></html>")
    lines = _lines(html, "https://www.minato-np.example.jp/local/20260219/article12345.html")
    assert [l for l in lines if l.strip()] == JA


def test_chinese_bracketed_editor_line_goes():
    zh = ["记者从市农业农村局获悉，今年全市早稻收割已基本完成，平均亩产达到412公斤，比去年增加约3%。",
          "据介绍，今年全市推广水稻机插秧面积超过30万亩，并在12个乡镇开展病虫害统防统治试点。"]
    html = ("<html lang='zh'><head><title>早稻收割基本完成</title></head><body><article><h1>早稻收割基本完成</h1>"
            + "".join(f"<p>{p}</p>" for p in zh) + "<p class='editor'>（责任编辑：王芳）</p></article></body></html>")
    assert _lines(html, "https://news.example.cn/2026/0728/c1004.html") == zh


def test_russian_trailing_author_line_goes():
    ru = ["В областной столице в понедельник открылся новый пешеходный мост через реку Ишму длиной 240 метров.",
          "Мост соединил жилой район Заречье с центром города, путь до набережной сократится на 25 минут.",
          "Строительство обошлось бюджету в 1,4 миллиарда рублей и продолжалось почти два года."]
    html = ("<html lang='ru'><head><title>Открыли мост</title></head><body><article><h1>Открыли мост</h1>"
            + "".join(f"<p>{p}</p>" for p in ru) + "<p class='author-end'>Анна Смирнова</p></article></body></html>")
    assert _lines(html, "https://gubnews.example.ru/city/most") == ru


def test_guard_a_closing_name_after_a_colon_or_in_a_list_stays():
    # The winner named after a colon, and pallbearers in a list: the story's names.
    html = _page(f"{BODY}<p>The board named the new branch after its longest-serving volunteer:</p>"
                 "<p>Martha Ellen Doyle</p>")
    assert "Martha Ellen Doyle" in _lines(html)
    html = _page(f"{BODY}<p>Pallbearers were:</p><ul><li>John Hollis</li><li>Peter Hollis</li><li>Mark Dunn</li></ul>")
    assert "Mark Dunn" in _lines(html)


def test_guard_slash_season_and_bracketed_phrase_in_a_line_stay():
    season = "2026/27 budget"
    quote = "（市民の声）図書館の延長は助かる、と利用者の一人は話した。"
    html = _page(f"{BODY}<h2>{season}</h2><p>{PARAS[0]}</p><p>{quote}</p>")
    lines = _lines(html)
    assert season in lines and quote in lines


# C3. A tip line goes. The embedded tweet stays: real pages' gold keeps a tweet the story quotes (the dev set's
# mozilla/001, and a blog post made of tweets), so the review's wish to drop it is not followed.
def test_tip_line_goes_and_embedded_tweet_stays():
    tweet = ("<blockquote class='twitter-tweet'><p lang='en'>Best 20 minutes of my life <a href='#'>pic.twitter.com/xx"
             "</a></p>&mdash; Tessa Q (@tessapaddles) <a href='#'>March 14, 2026</a></blockquote>")
    insta = ("<blockquote class='instagram-media'><p>Our seal friend is back on the harbour steps this morning"
             "</p></blockquote>")
    html = _page(f"{''.join(f'<p>{p}</p>' for p in PARAS[:2])}{tweet}{insta}"
                 f"{''.join(f'<p>{p}</p>' for p in PARAS[2:])}"
                 "<p class='tip'>Got a story? Email news@orchardcourier.example.com or WhatsApp us.</p>")
    lines = _lines(html)
    _assert_story(lines)
    assert not any("Got a story" in l for l in lines)
    assert any("20 minutes" in l for l in lines) and any("seal friend" in l for l in lines)


def test_guard_a_quoted_reader_and_a_got_a_sentence_stay():
    quote = "<blockquote><p>“We got a story out of it that we will tell for years,” said one of the paddlers.</p></blockquote>"
    got = "Got a story? The council got three hundred of them when it asked readers to write in about the library."
    lines = _lines(_page(f"{BODY}{quote}<p>{got}</p>"))
    assert got in lines and any("tell for years" in l for l in lines)


# C4. A photo essay's slide counters and its credit line.
def test_gallery_counters_and_photo_credit_line_go():
    figs = "".join(f"<p>{p}</p><figure><div class='counter'>{i + 1} of 12</div><img src='/p/{i}.jpg'>"
                   f"<figcaption>Stall {i}. Photo: Joel Tan</figcaption></figure>" for i, p in enumerate(PARAS))
    lines = _lines(_page(f"<p class='credit-line'>Photos and words by Joel Tan</p><div class='essay'>{figs}</div>"))
    _assert_story(lines)
    assert not any(" of 12" in l or "Photos and words" in l for l in lines)


def test_guard_one_of_sentences_stay():
    sentence = "Photos by Joel Tan show the market's last night, when 40 of the 52 stalls stayed open past midnight."
    counted = "3 of 4"
    html = _page(f"{BODY}<p>{sentence}</p><table><tr><th>Stalls open</th></tr><tr><td>{counted}</td></tr></table>")
    lines = _lines(html)
    assert sentence in lines and any(counted in l for l in lines)


# C5. WordPress's share box (sharedaddy) and Jetpack's related posts.
def test_wordpress_sharedaddy_and_jetpack_related_go():
    # (the boxes as a headless front end renders them: no heading a tail marker would catch)
    html = _page(f"<div class='entry-content'>{BODY}<div class='sharedaddy'><ul><li>Facebook</li><li>WhatsApp</li>"
                 "</ul></div></div><div class='jp-relatedposts'><p>Depot site sold for £31m</p>"
                 "<p>Tall buildings policy under review</p></div>")
    lines = _lines(html)
    _assert_story(lines)
    assert not any(l in ("Facebook", "WhatsApp") or "Depot" in l or "Tall buildings" in l for l in lines)


# C6. An old <font> page: its headline set in <b> as the first body line, a "Pictured:" caption, an events box.
def test_old_font_page_headline_caption_and_events_box_go():
    body = "<br><br>".join(f"<font face=arial size=2>{p}</font>" for p in PARAS)
    html = (f"<html><head><title>Orchard Courier - {TITLE}</title></head><body><table><tr><td>"
            f"<font size=5><b>{TITLE}</b></font><br><br>{body}<br><br><i>Pictured: the flooded history room.</i>"
            "</td></tr></table><div class='events-box'><b>Coming up</b><br>Sep 12: Quiz night, Village Hall<br>"
            "Sep 19: Jumble sale, St Mary's</div></body></html>")
    lines = _lines(html)
    _assert_story(lines)
    assert TITLE not in "\n".join(lines)
    assert not any("Pictured" in l or "Coming up" in l or "Quiz night" in l for l in lines)


def test_guard_pictured_sentence_and_title_words_in_a_paragraph_stay():
    pictured = "Pictured in the 1962 yearbook, the library's first reading room had seats for only twelve."
    html = (f"<html><head><title>Orchard Courier - {TITLE}</title></head><body><table><tr><td>"
            f"<font size=2>{TITLE} after a vote on Monday night.</font><br><br>"
            + "<br><br>".join(PARAS) + f"<br><br>{pictured}</td></tr></table></body></html>")
    lines = _lines(html)
    assert any(l.startswith(f"{TITLE} after a vote") for l in lines) and pictured in lines


# C7. A sticky video player's caption, a pull-quote repeating the paragraph before it.
def test_sticky_video_caption_and_pull_quote_go():
    html = _page(f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><div data-testid='sticky-video'><video src='/v.mp4'></video>"
                 "<p class='StickyVideo_caption__t5'>Watch: What the roof repair means for readers</p></div>"
                 "<div data-component='pullquote'><blockquote>“The roof had been patched nine times ... some of them "
                 f"impossible to replace.”</blockquote></div><p>{PARAS[2]}</p><p>{PARAS[3]}</p>")
    lines = _lines(html)
    _assert_story(lines)
    assert not any("Watch:" in l or "patched nine times ..." in l for l in lines)


def test_guard_a_quote_said_once_stays_even_as_a_pull_quote():
    quote = "“Every book in that room was a gift from someone in this town,” said volunteer Martha Doyle."
    pull = "“Every book was a gift ... from someone in this town.”"
    lines = _lines(_page(f"{BODY}<blockquote><p>{quote}</p></blockquote>"))
    assert quote in lines
    # A pull-quote whose words the story does not print elsewhere (Medium's graf--pullquote) is the story's.
    lines = _lines(_page(f"<p>{PARAS[0]}</p><blockquote class='graf--pullquote'>{pull}</blockquote>{BODY}"))
    assert pull in lines


# C8. Small newsroom lines.
@pytest.mark.parametrize("line", [
    "Continued on next page",
    "Printer-friendly version | E-mail this story",
    "Transcript",
    "This article is for information only and is not investment advice.",
    "The Low Water by Hana Mercer is published by Harrow Press, £18.99. To support The Courier, order your copy at "
    "shop.example.co.uk.",
])
def test_newsroom_lines_go(line):
    lines = _lines(_page(f"{''.join(f'<p>{p}</p>' for p in PARAS[:2])}<p>{line}</p>"
                         f"{''.join(f'<p>{p}</p>' for p in PARAS[2:])}"))
    _assert_story(lines)
    assert line not in lines


@pytest.mark.parametrize("line", [
    "This story has been updated.",  # (an earlier review's gold keeps it, as it keeps a correction)
    "This story has been updated to include comment from the library board.",
    "The transcript of the meeting runs to forty pages, the clerk said.",
    "The report is not investment advice, the regulator said, but it warned savers about the fund.",
    "The Low Water is published by Harrow Press and is the first novel set in the town.",
    "Work continued on the next page of the plan, the east wing, in April.",
])
def test_guard_newsroom_like_sentences_stay(line):
    lines = _lines(_page(f"{BODY}<p>{line}</p>"))
    assert line in lines


# A1. A list number set in its own box beside the subhead it numbers.
def test_list_number_beside_its_subhead_is_kept():
    items = "".join(f"<div class='list-item'><span class='num'>{i + 1}</span><h3>Step {name}</h3><p>{p}</p></div>"
                    for i, (name, p) in enumerate(zip(("one", "two", "three", "four"), PARAS)))
    lines = _lines(_page(f"<div class='content'>{items}</div>"))
    assert ["1 Step one", "2 Step two", "3 Step three", "4 Step four"] == [l for l in lines if l.startswith(tuple("1234"))]
    _assert_story(lines)


def test_guard_a_figure_before_a_paragraph_is_not_glued():
    lines = _lines(_page(f"<p>{PARAS[0]}</p><div class='stat'>42</div><p>{PARAS[1]}</p>{''.join(f'<p>{p}</p>' for p in PARAS[2:])}"))
    assert not any(l.startswith("42 ") for l in lines)
    _assert_story(lines)


# Known gap (a): a story set as loose <font> runs split by <br><br> straight under <body>, beside reader comments
# and a classifieds table. Its text voted for no container, so the table won and the story was lost (F1 0).
HARLOW = [
    "The Harlow Township board voted 3-2 on Monday night to buy the old Grange hall on Mill Road and turn it into a "
    "community centre, ending a two-year argument over the building's future.",
    "The township will pay $185,000 for the hall, which has stood empty since the Grange chapter disbanded in 2023. "
    "Supervisor Dale Winters said the money would come from the township's building reserve and not from new taxes.",
    "Trustees Amy Holt and Ron Pfeiffer voted against the purchase, saying the roof and the furnace would need at "
    "least $90,000 of work before the hall could open to the public.",
    "Winters said volunteers had already offered to help with repairs and that the board hoped to open the hall for "
    "meetings, 4-H clubs and wedding receptions by next summer.",
]


def _loose_page() -> str:
    story = "<br><br>".join(f"<font face='Verdana' size='2'>{p}</font>" for p in HARLOW)
    comments = "".join(f"<br><br><span class='c'><b>{n} wrote:</b> {c}</span>" for n, c in [
        ("farmerjoe", "Waste of money, that roof has leaked since the eighties and everybody knows it."),
        ("Linda K", "Good news for the 4-H kids, they have needed a place to meet for years now."),
        ("tractorman", "Who is going to pay to heat that barn of a building all winter long?")])
    ads = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in [
        ("FOR SALE", "1998 John Deere 5410, runs good, $14,500 obo. Call 555-0142 evenings."),
        ("WANTED", "Hay, small squares, 200 bales, will pick up. 555-0199."),
        ("FOR RENT", "2 bedroom farmhouse on County Rd 12, no pets, $850 a month. 555-0107."),
        ("HELP WANTED", "Part-time cook at the Harlow Diner, weekends, apply in person."),
        ("FREE", "Barn kittens to good homes, litter trained. Call Sue 555-0188."),
        ("AUCTION", "Estate auction Sat 9am, 4411 Mill Rd, tools, furniture, antiques.")])
    return ("<html><head><title>Harlow Township Herald</title></head><body bgcolor='#ffffff'>"
            "<font size='5'><b>Township buys Grange hall for community centre</b></font><br><br>" + story +
            f"<br><br><hr><b>Reader comments</b>{comments}<br><br><table border=1><tr><td colspan=2><b>CLASSIFIEDS"
            f"</b></td></tr>{ads}</table></body></html>")


def test_a_story_loose_under_body_is_read():
    text = extract_article(_loose_page(), url="http://www.harlowherald.example.com/news.asp?id=412").text
    for p in HARLOW:
        assert p in text


def test_guard_loose_text_in_body_does_not_outvote_the_article():
    # A modern page with a stray line of text straight under <body> (a noscript-like notice) keeps its article.
    stray = "You are viewing a simplified version of this site, please enable scripts for the full version."
    html = (f"<html lang='en'><head><title>{TITLE}</title></head><body>{stray}<main><article><h1>{TITLE}</h1>{BODY}"
            "</article></main><footer>Orchard Valley Courier</footer></body></html>")
    lines = _lines(html)
    _assert_story(lines)
    assert stray not in lines


# Known gap (b): a live blog whose posts are sibling <div>s of one class (not <article>s): a short post scored
# below the sibling threshold and was lost while the long ones stayed.
LIVE = [
    ("11:05", "Shuttle boat timetable published", "The harbour board has put the timetable online."),
    ("10:40", "Traders ask for rate relief",
     "The traders' association has written to the council asking for business rates to be waived while the bridge "
     "is shut, saying footfall has already fallen by a third."),
    ("10:12", "Divers back in the water", "A second team of divers went down at ten."),
    ("09:50", "Bridge shut",
     "Engineers closed the bridge to cars, buses and pedestrians on Tuesday night after a routine inspection found "
     "cracks in two of its stone piers, the board said, and it will stay shut for weeks."),
]


def _live_page(post, after: str = "") -> str:
    feed = "".join(post(*p) for p in LIVE)
    return ("<html lang='en'><head><title>Bridge live</title></head><body><nav><a href='/'>Home</a></nav><main>"
            "<h1>Bridge closure: live</h1><p class='standfirst'>Follow the latest on the Gullet Quay bridge closure."
            f"</p><div class='live-feed'>{feed}</div>{after}</main><footer>Gazette</footer></body></html>")


@pytest.mark.parametrize("post", [
    lambda t, h, b: (f"<div class='live-post'><div class='meta'><time>{t}</time> <span class='author'>By Jo Ellis"
                     f"</span></div><h2>{h}</h2><p>{b}</p><div class='share'><a href='#'>Share</a></div></div>"),
    lambda t, h, b: (f"<div id='post-{t}' class='lb-post'><p class='time'>{t}</p><p><strong>{h}</strong></p>"
                     f"<p>{b}</p></div>"),
])
def test_every_live_post_in_sibling_divs_is_kept(post):
    text = extract_article(_live_page(post)).text
    positions = [text.find(body) for _, _, body in LIVE]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_guard_a_link_column_with_the_story_columns_class_stays_out():
    links = "".join(f"<li><a href='/n/{i}'>Other harbour story number {i} from this week</a></li>" for i in range(8))
    html = (f"<html lang='en'><head><title>{TITLE}</title></head><body><div class='col'><h1>{TITLE}</h1>{BODY}</div>"
            f"<div class='col'><ul>{links}</ul></div></body></html>")
    lines = _lines(html)
    _assert_story(lines)
    assert not any("Other harbour story" in l for l in lines)


# rv5 L6 (the loose page's own leak): a "Posted:" label before a numeric date.
def test_posted_label_with_numeric_date_goes():
    lines = _lines(_page(f"<p>Posted: 04/28/2025</p>{BODY}"))
    _assert_story(lines)
    assert "Posted: 04/28/2025" not in lines


def test_guard_posted_sentence_with_a_date_stays():
    line = "Posted: 04/28/2025 was the date on the notice, but the board met a week later."
    assert line in _lines(_page(f"{BODY}<p>{line}</p>"))
