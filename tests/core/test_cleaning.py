"""Tests for the body-text cleaner: the seed article, one test per rule category, normalisation, rules loading."""

import dataclasses
from pathlib import Path

import pytest

from pipelines.core.cleaning import CleanedText, clean_article, load_rules, normalize_text

from tests.conftest import SEED as _SEED

SEED = Path(_SEED)

# Opening words of each paragraph a reader would mark as the article, in order. The seed's README says the
# sub-heading paragraph appears three times: as a standfirst, after the headline, and in the body (where it opens a
# longer paragraph that adds the Trump quote). Kept once means kept where the body has it; the two copies at the
# top go.
SEED_TITLE = "US-China trade talks resume in London amid tensions over rare earths, tech"
SEED_STANDFIRST = ("Last week’s phone call between Trump and Xi, described by the US president as a “very good talk,” "
                   "helped lay the groundwork for the London meetings.")
SEED_OPENINGS = [
    "A new round of US-China trade negotiations",
    "The meetings are taking place at Lancaster House",
    "Key topics are expected to include",
    "“Some of the focus certainly seems",
    "Tensions have remained high",
    "Greer has stated",
    "Over the weekend",
    "On Friday, President Trump said",
    "Last week’s phone call between Trump and Xi",            # body paragraph that extends the standfirst
    "Talks are taking place",
    "Earlier this year",
    "The presence of Lutnick",
]
SEED_JUNK = ["ad-image", "Image: Title: Trump Xi", "Opinion", "View All", "RAW EGG NATIONALIST", "lumpenproletariat",
             "Washington Accords", "US Institute of Peace", "MICHELLE MALKIN", "Obamacare", "BRENDAN PHILBIN",
             "By silencing critics"]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_seed_article(rules):
    if not SEED.exists():
        pytest.skip(f"seed article not available at {SEED} (needs /work/shared)")
    res = clean_article(SEED.read_text(encoding="utf-8"), title=None, rules=rules)
    assert res.title == SEED_TITLE
    assert len(res.paragraphs) == len(SEED_OPENINGS)
    for para, opening in zip(res.paragraphs, SEED_OPENINGS):
        assert para.startswith(opening), (opening, para[:80])
    assert SEED_STANDFIRST not in res.paragraphs  # both copies at the top are gone ...
    assert res.text.count(SEED_STANDFIRST) == 1  # ... and the body paragraph that opens with it stays
    assert res.paragraphs[8].startswith(SEED_STANDFIRST) and len(res.paragraphs[8]) > len(SEED_STANDFIRST)
    assert res.paragraphs[-1] == "The presence of Lutnick was described as “a welcome addition” by Ramachandran."
    for junk in SEED_JUNK:
        assert junk not in res.text, junk
    assert res.removed["repeat"] == 2
    assert res.text == "\n\n".join(res.paragraphs)


# Inline articles below are written for these tests.
BODY = [
    "The city council voted on Tuesday to extend the night bus network to three new districts, a move "
    "campaigners had sought for almost a decade.",
    "Officials said the first routes would open in the spring, with the rest following once drivers are hired.",
    "Residents of the outer districts have long complained that the last train leaves before most late shifts "
    "end, leaving them with expensive taxi rides home.",
]


def _page(*parts: str) -> str:
    return "\n\n".join(parts)


def test_navigation_header_is_dropped_and_headline_found(rules):
    text = _page("Skip to content", "Home", "News", "Sport", "Sign in", "Subscribe", "Home > News > Local",
                 "Council extends night buses to outer districts", *BODY)
    res = clean_article(text, rules=rules)
    assert res.title == "Council extends night buses to outer districts"
    assert res.paragraphs == BODY
    assert res.removed["navigation"] >= 5


def test_given_title_is_used_and_its_repeat_in_the_body_dropped(rules):
    res = clean_article(_page("Night buses extended", *BODY), title="  Night buses\u00a0extended ", rules=rules)
    assert res.title == "Night buses extended"
    assert res.paragraphs == BODY
    assert res.removed["repeat_headline"] == 1


def test_copyright_footer_ends_the_article(rules):
    text = _page("Night buses extended", *BODY, "© 2024 Example Media Ltd. All rights reserved.",
                 "A reader wrote in to say that the buses on the northern loop have been late every single night "
                 "this week, which the operator has not yet explained.")
    res = clean_article(text, rules=rules)
    assert res.paragraphs == BODY
    assert res.removed["copyright"] == 1


def test_comment_section_is_dropped(rules):
    text = _page("Night buses extended", *BODY, "12 Comments", "Leave a reply",
                 "I have waited twenty years for this and I still do not believe it will happen before the next "
                 "election, but good luck to the council anyway.",
                 "Great news for shift workers in the east of the city, who have been ignored for far too long "
                 "by every administration so far.")
    res = clean_article(text, rules=rules)
    assert res.paragraphs == BODY
    assert res.removed["comments"] >= 1


def test_related_stories_written_as_full_sentences_are_dropped(rules):
    text = _page("Night buses extended", *BODY, "Related stories",
                 "Tram fares will rise by five percent next year, the transport authority said on Monday.",
                 "A new cycle lane on the harbour road has cut journey times for commuters, a study found.")
    res = clean_article(text, rules=rules)
    assert res.paragraphs == BODY
    assert res.removed["end_of_article"] == 3  # the heading and both summaries


# Summaries of other stories, each longer than any paragraph of the short article above them.
OTHER_STORIES = [
    "The regional water company said on Thursday it would raise household bills by nine percent from April to "
    "pay for new reservoirs and the repair of leaking mains across the northern valleys.",
    "Fishermen in the harbour town protested against new quotas that they say will halve their catch of cod and "
    "haddock over the next three seasons, forcing several family boats out of business.",
    "A museum of maritime history reopened after a two-year refit with a restored lifeboat, a new wing on "
    "shipwrecks and free entry for schoolchildren during the winter holidays.",
]


def test_box_of_other_stories_longer_than_the_article_ends_it(rules):
    text = _page("Night buses extended", BODY[0], BODY[1], "Related stories", *OTHER_STORIES,
                 "Tags: Transport, Council", "© 2026 Example Media Ltd. All rights reserved.")
    res = clean_article(text, rules=rules)
    assert res.paragraphs == BODY[:2]
    assert res.removed["end_of_article"] == 5  # heading, three summaries, tags


# The article going on: sentences that reuse its words (night, bus, council, districts, routes, drivers).
MORE_BODY = [
    "Night bus drivers will be paid a late shift bonus, the council said, and the new districts will get "
    "lighting at every night bus stop on the new routes.",
    "The council expects the night buses to carry thousands of residents a week in the outer districts once "
    "all the routes are running and the drivers are hired.",
    "Campaigners in the outer districts said the night routes were a start, but that the last train still "
    "leaves too early for residents on late shifts.",
    "The council will review the night bus routes in the spring, officials said, and may extend them to two "
    "more districts if residents use them.",
]


def test_article_going_on_after_an_inline_related_box_is_kept(rules):
    # Enough article prose comes back after the box: the box does not end the article.
    text = _page("Night buses extended", *BODY, MORE_BODY[0], "Related stories", OTHER_STORIES[0], "Advertisement",
                 *MORE_BODY[1:], "Tags: Transport")
    res = clean_article(text, rules=rules)
    assert res.paragraphs[:4] == BODY + MORE_BODY[:1] and res.paragraphs[-3:] == MORE_BODY[1:]


def test_heading_followed_by_prose_about_the_article_does_not_end_it(rules):
    # Nothing closes the "box" before the tags, but what follows the heading shares most of its words with the
    # article: it is the article, not a box of other stories.
    text = _page("Night buses extended", *BODY, MORE_BODY[0], "Related", *MORE_BODY[1:], "Tags: Transport")
    assert clean_article(text, rules=rules).paragraphs == BODY + MORE_BODY


def test_newsletter_box_is_dropped_as_a_whole(rules):
    box = ["Stay in the loop", "The best of our local reporting, every weekday morning. Subscribe to the newsletter.",
           "Enter your email address", "Sign up"]
    res = clean_article(_page("Night buses extended", BODY[0], BODY[1], *box, BODY[2]), rules=rules)
    assert res.paragraphs == BODY
    assert res.removed["newsletter"] == 3 and res.removed["navigation"] == 1
    # A blurb without a cue word, between the box's heading and its email field.
    box = ["Transport in your inbox", "Five minutes on how the city moves, every Friday.", "Enter your email"]
    res = clean_article(_page("Night buses extended", BODY[0], BODY[1], *box, BODY[2]), rules=rules)
    assert res.paragraphs == BODY


def test_standfirst_copying_a_body_paragraph_is_kept_in_the_body(rules):
    text = _page("Night buses extended", BODY[1], "By Staff reporter", BODY[0], BODY[1], BODY[2])
    res = clean_article(text, rules=rules)
    assert res.paragraphs == BODY
    assert res.removed["repeat"] == 1


def test_teaser_run_is_dropped(rules):
    text = _page("Night buses extended", *BODY, "Harbour ferry to run all night in summer",
                 "The ferry operator said late crossings would start in June, subject to a final safety ...",
                 "Library opening hours cut", "The central library will close at six on weekdays from next mo...")
    res = clean_article(text, rules=rules)
    assert res.paragraphs == BODY
    assert res.removed["teaser"] == 4


def test_ads_captions_share_and_newsletter_lines_inside_the_body_are_dropped(rules):
    text = _page("Night buses extended", BODY[0], "Advertisement", "Photo: A night bus at the depot.",
                 "Share on Facebook", BODY[1], "Sign up for our daily newsletter", BODY[2])
    res = clean_article(text, rules=rules)
    assert res.paragraphs == BODY
    for category in ("ad_marker", "caption", "share_social", "newsletter"):
        assert res.removed[category] == 1, category


def test_short_article_lines_are_kept(rules):
    dateline = "LONDON (Reuters) -"
    subhead = "What happens next"
    items = ["Route N1: city centre to Eastfield", "Route N2: city centre to Norbridge"]
    quote = "“It is about time,” she said."
    text = _page("Night buses extended", dateline, BODY[0], subhead, *items, BODY[1], quote, BODY[2])
    res = clean_article(text, rules=rules)
    assert res.paragraphs == [dateline, BODY[0], subhead, *items, BODY[1], quote, BODY[2]]


def test_blocks_or_lines_both_work(rules):
    by_lines = "\n".join(["Night buses extended", *BODY])
    by_blocks = _page("Night buses extended", *BODY)
    assert clean_article(by_lines, rules=rules).paragraphs == clean_article(by_blocks, rules=rules).paragraphs == BODY


def test_hard_wrapped_paragraphs_are_joined(rules):
    wrapped = ("The council voted on Tuesday to extend the night bus network to\n"
               "three new districts, a move that campaigners across the outer\n"
               "suburbs had sought for almost a decade.")
    res = clean_article(_page("Night buses extended", wrapped, BODY[1]), rules=rules)
    assert res.paragraphs == [wrapped.replace("\n", " "), BODY[1]]


def test_crlf_input(rules):
    res = clean_article("\r\n\r\n".join(["Night buses extended", *BODY]) + "\r\n", rules=rules)
    assert res.title == "Night buses extended"
    assert res.paragraphs == BODY


def test_unicode_normalisation():
    decomposed = "Cafe\u0301\u00a0\u00a0 menu\u200b  \u201cquoted\u201d\x07 "
    assert normalize_text(decomposed) == "Café menu “quoted”"
    assert normalize_text("a\r\nb\r\n\r\n\r\nc") == "a\nb\n\nc"
    assert normalize_text("ﬁ") == "ﬁ"  # NFC, not NFKC


def test_paragraphs_are_normalized(rules):
    res = clean_article(_page("Night buses extended", BODY[0].replace(" ", "\u00a0", 3) + "\u200b", *BODY[1:]),
                        rules=rules)
    assert res.paragraphs == BODY


def test_stray_spaces_and_space_only_lines(rules):
    # One space at a line's start or end, and a line holding only a space, which separates paragraphs.
    text = " Night buses extended\n \n" + BODY[0] + " \n\n " + BODY[1] + "\n \n" + BODY[2] + " "
    res = clean_article(text, rules=rules)
    assert res.title == "Night buses extended"
    assert res.paragraphs == BODY


def test_joiners_are_kept_and_control_characters_dropped(rules):
    # A zero-width joiner is not printable, so the text takes the careful path; it must survive it.
    emoji = "The mayor posted a family photo with the caption \U0001F468\u200d\U0001F469\u200d\U0001F467 on Tuesday."
    res = clean_article(_page("Night buses extended", BODY[0] + "\x07", emoji, BODY[1]), rules=rules)
    assert res.paragraphs == [BODY[0], emoji, BODY[1]]


@pytest.mark.parametrize("body", [
    "Night buses extended\n\n" + "\n\n".join(BODY),
    " Night  buses\textended \n\n" + BODY[0].replace(" ", "\u00a0 ", 4) + "\u2009 " + BODY[1] + "\r\n" + BODY[2],
    "Night buses extended\n" + BODY[0] + "\x0b" + BODY[1] + "\u2028\u3000" + BODY[2] + "\x1f tail",
])
def test_word_count_equals_splitting_the_text(rules, body):
    res = clean_article(body, rules=rules)
    assert res.paragraphs
    assert res.word_count == len(res.text.split())


def test_extracted_text_keeps_its_bounds_but_not_its_junk(rules):
    # An extractor's output is already the article: a table of figures, a repeated short cell and a letterless
    # line stay, and nothing is cut as "before" or "after" the article; ad markers and repeated prose still go.
    body = "\n\n".join(["Yes", BODY[0], "Advertisement", "2,417", "Yes", BODY[1], BODY[1], "Related stories", BODY[2]])
    res = clean_article(body, title="Night buses extended", rules=rules, bounded=True)
    # The "Related stories" line itself is junk by rule, but it no longer ends the article.
    assert res.paragraphs == ["Yes", BODY[0], "2,417", "Yes", BODY[1], BODY[2]]
    assert res.removed == {"ad_marker": 1, "end_of_article": 1, "repeat": 1}
    naive = clean_article(body, title="Night buses extended", rules=rules)
    assert "2,417" not in naive.paragraphs and naive.paragraphs.count("Yes") <= 1


def test_extracted_text_keeps_repeated_prose_once_even_without_a_full_stop(rules):
    # A standfirst the extractor found twice (deck and body) goes once although it has no final full stop.
    standfirst = ("Commuters on the late shift will have buses every half hour until two in the morning "
                  "from next month, the transport authority said")
    body = "\n\n".join([standfirst, BODY[0], standfirst, BODY[1]])
    res = clean_article(body, title="Night buses extended", rules=rules, bounded=True)
    assert res.paragraphs == [BODY[0], standfirst, BODY[1]]
    assert res.removed == {"repeat": 1}


def test_extracted_text_keeps_repeated_code_and_command_output(rules):
    # Lines of a tutorial's listing or terminal session repeat legitimately; they are not prose.
    output = "1 files updated, 0 files merged, 0 files removed, 0 files unresolved"
    query = "FROM readings WHERE station_id = 42 AND taken_at > now() - interval '1 hour'"
    body = "\n\n".join([BODY[0], output, query, BODY[1], output, query, BODY[2]])
    res = clean_article(body, title="Night buses extended", rules=rules, bounded=True)
    assert res.paragraphs == [BODY[0], output, query, BODY[1], output, query, BODY[2]]


def test_line_cache_does_not_change_results(rules):
    pages = [_page("Skip to content", "Home", "Night buses extended", *BODY, "Related stories", *OTHER_STORIES,
                   "© 2026 Example Media Ltd. All rights reserved."),
             _page("Night buses extended", BODY[0], "Advertisement", "Stay in the loop", "Enter your email", BODY[1])]
    warm = [clean_article(p, rules=rules) for p in pages + pages]
    fresh = [clean_article(p, rules=load_rules()) for p in pages]
    assert warm[:2] == warm[2:] == fresh


def test_line_cache_is_bounded_and_keeps_the_lines_in_use(monkeypatch):
    from pipelines.core import cleaning

    monkeypatch.setattr(cleaning, "_LINE_CACHE_MAX", 8)
    rules = dataclasses.replace(load_rules())  # its own, empty caches
    menu = ["Skip to content", "Home", "Related stories"]
    pages = [_page(*menu, "Night buses extended", *BODY, f"Tag {n}", f"Filed under {n}", f"Share {n}") for n in range(30)]
    cached = [clean_article(p, rules=rules) for p in pages]
    assert cached == [clean_article(p, rules=dataclasses.replace(rules)) for p in pages]  # a fresh cache per page
    # the newer generation is handed down once a page's lines have taken it to the bound
    assert len(rules.line_cache) < 8 and len(rules.line_cache_older) < 8 + 10
    assert all(line in rules.line_cache or line in rules.line_cache_older for line in menu)


def test_empty_input(rules):
    for body in ("", "   \n\n \t", None):
        res = clean_article(body, rules=rules)
        assert isinstance(res, CleanedText)
        assert res.paragraphs == [] and res.text == "" and res.title == ""


def test_rules_have_a_version(rules):
    assert rules.version.strip()


@pytest.mark.parametrize("content, problem", [
    ("version: [unclosed", "invalid YAML"),
    ("- just\n- a list\n", "mapping"),
    ("thresholds: {}\n", "version"),
    ("version: '1'\npatterns:\n  navigation: ['(unclosed']\n", "bad regex"),
    ("version: '1'\nthresholds:\n  no_such_threshold: 3\n", "unknown thresholds"),
    ("version: '1'\nthresholds:\n  short_line_penalty: lots\n", "must be a number"),
    ("version: '1'\nexact_lines:\n  navigation: home\n", "list of strings"),
    ("version: '1'\npatterns:\n  byline_date: ['by\\s+(?!{by_idioms})\\w+$']\n", "no 'by_idioms'"),
    ("version: '1'\nby_idioms: ''\n", "non-empty regex"),
])
def test_malformed_rules_file(tmp_path, content, problem):
    path = tmp_path / "rules.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_rules(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_by_idioms_are_written_into_the_byline_pattern(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("version: '1'\nby_idioms: 'the\\s+way\\b'\n"
                    "patterns:\n  byline_date: ['by\\s+(?!{by_idioms})[\\w.]+(?:\\s+[\\w.]+){0,3}$']\n", encoding="utf-8")
    rules = load_rules(path)
    assert rules.pattern.match("by jane doe") and not rules.pattern.match("by the way")
    assert rules.by_idioms.match("By the way") and not rules.by_idioms.match("By Jane Doe")


def test_missing_rules_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        load_rules(tmp_path / "absent.yaml")


_LEDE = ("THE HAGUE (Capital Ledger) — The Dutch government collapsed on Wednesday night after the second-largest "
         "party in the four-party coalition withdrew its ministers over a dispute on a bill to restrict family "
         "reunification for refugees.")
_NEXT = "The prime minister said she would offer her resignation to the king on Thursday morning, a spokesman said."


@pytest.mark.parametrize("end", ["…", "...", " …", " [...]", " […]"])
def test_an_excerpt_cut_from_the_lede_with_an_ellipsis_is_not_kept_twice(rules, end):
    # Templates print the lede's first ~180 characters, cut at a word, as a dek above the story.
    dek = _LEDE[:_LEDE.rfind(" ", 0, 175)] + end
    out = clean_article(f"{dek}\n\n{_LEDE}\n\n{_NEXT}", rules=rules, bounded=True)
    assert out.paragraphs == [_LEDE, _NEXT]
    assert out.removed.get("repeat") == 1


def test_a_short_line_ending_in_an_ellipsis_or_a_different_opening_stays(rules):
    # Fewer than eight words before the ellipsis: too little to call it the lede's excerpt.
    short = "The Dutch government collapsed on…"
    out = clean_article(f"{short}\n\n{_LEDE}\n\n{_NEXT}", rules=rules, bounded=True)
    assert out.paragraphs[0] == short
    # A sentence that trails off and is not the next paragraph's opening is story text.
    trailing = "She paused, looked at the empty benches of the chamber, and said only that the coalition had been..."
    out = clean_article(f"{trailing}\n\n{_LEDE}\n\n{_NEXT}", rules=rules, bounded=True)
    assert out.paragraphs == [trailing, _LEDE, _NEXT]
