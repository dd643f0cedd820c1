"""Invented pages for the regressions a review of rules v53's body text (rv14) found in the rv11 mends: a gallery's
short intro taken for a photo essay, hidden boxes read as the story's remainder (a translation, a cut copy of the
lede, a summary, an image's description, a bio, the next story's teaser, a message unlocked by another box's
control), the site's own accordions, a promo footnote matched by a unit's exponent, names-only story lines in a body
whose class says author/contributor, and the site's address given as a story line. Each mend sits beside a guard:
the rv11 shape it must still read as before."""

import pytest

from tests.core.puffin_story import LEDE, REST, URL
from tests.core.puffin_story import page as _page
from tests.core.puffin_story import ps as _ps
from tests.core.puffin_story import text as _text


# Gallery: a short intro before many long captions is a gallery's, however many lines it has (rv14 g01-g03).

CAPTIONS = [
    "Boats of every size crowd the inner harbour on Saturday morning as the regatta fleet waits for the first start.",
    "Nine-year-old Isla Brennan steers her grandfather's dinghy past the lifeboat station in the junior race.",
    "Spectators line the sea wall with flasks and blankets despite a cold wind coming off the water all day.",
    "The Penrose gig crew pull hard in the final hundred metres of the six-oar race, which they went on to win.",
    "A volunteer from the sailing club hands out hot soup to crews as they come ashore after the morning races.",
    "Two swimmers in fancy dress complete the harbour crossing, raising money for the hospice on the hill.",
    "The old steam tug Resolute leads the parade of vessels out of the harbour mouth at midday on Saturday.",
    "Children crowd the slipway to watch the raft race, in which all but two of the rafts sank before the buoy.",
    "Judges on the committee boat check finishing times in the adult dinghy class as the wind drops.",
    "Fireworks light up the harbour at the end of the day as thousands watch from the beach and the pier.",
]
INTRO = ["The harbour regatta returned on Saturday after a two-year break.",
         "Thousands of visitors came to watch the races.", "Here are the best pictures from the day."]
GALLERY_URL = "https://www.harbourtimes.example/pictures/2026/03/07/regatta"


def _slides(captions: list[str]) -> str:
    return "<div class='gallery'>" + "".join(
        f"<figure class='slide'><img src='/img/r{n}.jpg' alt=''><figcaption>{c}</figcaption></figure>"
        for n, c in enumerate(captions)) + "</div>"


@pytest.mark.parametrize("intro", [INTRO, INTRO + ["Photographer Jo Ellis spent the whole day on the water."]])
def test_gallery_with_a_short_intro_of_several_lines_keeps_its_captions(intro):
    html = _page(_ps(intro) + _slides(CAPTIONS), h1="In pictures: the harbour regatta", body_class="gallery-body",
                 url=GALLERY_URL)
    text = _text(html, GALLERY_URL)
    for c in CAPTIONS:
        assert c in text


def test_photo_essay_with_its_paragraphs_first_still_drops_its_captions():
    # Guard: four story paragraphs weighing more than half the captions' text: an article with pictures.
    essay = [LEDE[0], LEDE[1], REST[0], REST[1]]
    assert sum(map(len, CAPTIONS[:6])) > sum(map(len, essay)) > sum(map(len, CAPTIONS[:6])) / 2
    text = _text(_page(_ps(essay) + _slides(CAPTIONS[:6])))
    for p in essay:
        assert p in text
    for c in CAPTIONS[:6]:
        assert c not in text


# Hidden boxes that are not the story's remainder (rv14 h01, h03, h06, h07, h10-h13).

@pytest.mark.parametrize("box, unwanted", [
    # a hidden translation, named collapsed, in another language than the page's
    ("<div class='translation collapsed' lang='cy' hidden><p>Bydd y fferi i Ynys Pâl yn rhedeg pedair taith y dydd "
     "yn lle saith o Fawrth 16.</p></div><button aria-pressed='false'>Darllen yn Gymraeg</button>", "Bydd y fferi"),
    # a hidden cut copy of the lede, ending in "..."
    (f"<p class='lede-cut' hidden>{LEDE[0][:95]}...</p><a href='#'>Read more</a>", LEDE[0][:95] + "..."),
    # a hidden rewritten one-line summary named truncated
    ("<div class='mobile-summary truncated' hidden><p>Puffin Island loses three sailings a day because a boat "
     "failed its inspection.</p></div>", "loses three sailings"),
    # an image's description behind "Show more"
    ("<img src='/i/tern.jpg' alt=''><div class='img-desc expandable' hidden><p>The image shows the white ferry Tern "
     "tied up at the quay with scaffolding along its hull.</p></div><button>Show more</button>", "image shows"),
    # a message beside a "See more" link to a topic page (another address)
    ("<p class='status' hidden>Your comment has been received and will appear after review.</p>"
     "<a href='/topic/ferries'>See more</a>", "comment has been received"),
    # the next story's teaser, collapsed, beside a link to that story
    ("<p>Up next in Local:</p><div class='next-story collapsed' hidden><p>Repairs to the school roof will not be "
     "finished until the spring, leaving two classrooms out of use.</p></div>"
     "<a href='/news/2026/03/05/school-roof'>Read the full story</a>", "school roof"),
])
def test_hidden_text_that_is_no_remainder_still_goes(box, unwanted):
    text = _text(_page(_ps(LEDE) + box + _ps(REST)))
    assert unwanted not in text
    for p in LEDE + REST:
        assert p in text


def test_a_control_after_the_body_does_not_unlock_its_hidden_paragraphs():
    body = _ps(LEDE) + "<p style='display:none'>This video is not available in your country.</p>" + _ps(REST)
    # the comments' button is the body box's next element (its parent's), not the hidden paragraph's
    html = _page(body).replace("</div></article>", "</div><button class='comments-toggle'>Show more</button></article>")
    text = _text(html)
    assert "not available in your country" not in text
    for p in LEDE + REST:
        assert p in text


def test_the_hidden_rest_of_a_bio_still_goes():
    bio = ("<div class='writer-box'><p>Ana Ruiz is the Harbour Times's transport reporter and has covered the "
           "islands since 2019.</p><div class='collapsed' hidden><p>Before joining the paper she worked for a radio "
           "station in Bristol. She studied history at Exeter.</p></div><button>Read more</button></div>")
    text = _text(_page(_ps(LEDE + REST) + bio))
    assert "radio station in Bristol" not in text
    for p in LEDE + REST:
        assert p in text


@pytest.mark.parametrize("box", [
    # Guards: a remainder behind a same-page link, in the page's language, or in a body named for its author.
    f"<div class='story-rest' hidden>{_ps(REST)}</div><a href='#rest'>Read more</a>",
    f"<div class='expandable' lang='en-GB' hidden>{_ps(REST)}</div><button>Continue reading</button>",
    f"<div id='more' hidden>{_ps(REST)}</div><div class='share'><a href='#'>Share</a></div>"
    "<button aria-controls='more' aria-expanded='false'>Read the full story</button>",
])
def test_the_story_remainder_is_still_kept(box):
    text = _text(_page(_ps(LEDE) + box))
    for p in LEDE + REST:
        assert text.count(p) == 1


def test_a_remainder_starting_like_a_shown_line_but_going_on_is_kept():
    # Guard: a cut copy is found by its first 80 characters; a remainder quoting the lede's opening is the story's.
    rest = [LEDE[0][:59] + " was the promise the county made last year, and it did not last.", REST[0]]
    body = _ps(LEDE) + f"<div class='expandable' hidden>{_ps(rest)}</div><a href='#'>Read more</a>"
    text = _text(_page(body))
    for p in rest:
        assert p in text


# The site's own accordions (rv14 a01-a03, a05, a06).

def _accordion(items: list[tuple[str, str]], heading: bool = True, panel_class: str = "acc-panel") -> str:
    out = ""
    for n, (q, a) in enumerate(items):
        button = f"<button aria-expanded='false' aria-controls='p{n}'>{q}</button>"
        out += (f"<h3 class='acc-q'>{button}</h3>" if heading else button) + (
            f"<div class='{panel_class}' id='p{n}' hidden><p>{a}</p></div>")
    return out


@pytest.mark.parametrize("items, panel_class", [
    ([("How do I subscribe?", "You can subscribe online in two minutes. Choose a digital or print plan."),
      ("Can I cancel at any time?", "Yes. Digital plans can be cancelled from your account page.")], "acc-panel"),
    ([("Show transcript", "Welcome back to Coast Watch. Today we are on the quay below the ferry office.")],
     "transcript"),
    ([("Terms and conditions", "The competition is open to residents aged eighteen and over. One entry each.")],
     "acc-panel"),
    ([("Why you can trust the Harbour Times", "Our reporters follow the Editors' Code. Tell us if we got it wrong."),
      ("How we report on transport", "We use the county's own figures and speak to passengers directly.")],
     "acc-panel"),
    ([("About our newsletters", "Our free newsletters bring you the day's top local stories every morning.")],
     "nl-panel"),
])
def test_the_site_own_accordion_still_goes(items, panel_class):
    text = _text(_page(_ps(LEDE + REST) + _accordion(items, panel_class=panel_class)))
    for q, a in items:
        assert a not in text
    for p in LEDE + REST:
        assert p in text


def test_an_explainer_faq_about_the_story_subject_is_still_kept():
    # Guard: questions on the story's subject that use words near the furniture's ("trust", "terms", "my account":
    # rv11's exp3 asks "Can I still overdraw my account?").
    items = [("Can passengers trust the new timetable?", "The county says it will hold until July at least."),
             ("What are the terms of the charter?", "The county pays a daily rate for a boat and two crew."),
             ("Can I pay from my account online?", "Yes. Tickets can be paid from a county account or by card.")]
    text = _text(_page(_ps(LEDE + REST) + _accordion(items)))
    for q, a in items:
        assert q in text and a in text


# A site's footnote box matched by a unit's exponent (rv14 f02).

def test_a_promo_footnote_is_not_kept_by_a_units_exponent():
    story = [LEDE[0], "The new quay will cover an area of 2.4 km<sup>2</sup> when it is finished in 2028.", REST[0]]
    box = "<div class='footnote'><p>Read part <span class='part'>2</span> of our ferry series on Saturday.</p></div>"
    text = _text(_page(_ps(story) + box))
    assert "our ferry series" not in text
    assert REST[0] in text


def test_own_unlinked_footnotes_marked_after_a_word_are_kept():
    # Guard: "<sup>2</sup>" right after a word is a note's marker, also when another <sup> is an exponent.
    notes = ("<div class='footnotes'><div class='footnote'><span>1</span><p>The county's 2025 ferry review, page "
             "14.</p></div><div class='footnote'><span>2</span><p>The Tern's last full survey was in 2019.</p></div>"
             "</div>")
    story = [LEDE[0] + "<sup>1</sup>", "The quay covers 2.4 km<sup>2</sup> of reclaimed land.",
             LEDE[1] + "<sup>2</sup>", REST[0]]
    text = _text(_page(_ps(story) + notes))
    assert "The county's 2025 ferry review, page 14." in text
    assert "The Tern's last full survey was in 2019." in text


# Names-only story lines and the site's address as a story line (rv14 n01, n02, n04).

@pytest.mark.parametrize("body_class", ["article-body contributor-content", "post-content author-post"])
def test_a_names_line_in_a_body_named_for_its_author_stays(body_class):
    story = [LEDE[0], "The three winners of the ferry photo prize are:",
             "Amira Haddad, Oliver Brennan and Rosa Whitfield", REST[0]]
    text = _text(_page(_ps(story), body_class=body_class))
    for p in story:
        assert p in text


def test_a_byline_in_its_own_small_box_still_goes():
    # Guard: the box holding the names line holds nothing else: an author box, its line a byline.
    html = _page(_ps(LEDE + REST)).replace("</h1>", "</h1><div class='author-names'><p>Nadia Farouk</p>"
                                                   "<p>Peter Holm</p></div>")
    text = _text(html)
    assert "Nadia Farouk" not in text and "Peter Holm" not in text


def test_the_site_address_after_a_colon_line_stays():
    story = [LEDE[0], "Passengers can check the new timetable online at our website:", "harbourtimes.example", REST[0]]
    text = _text(_page(_ps(story)))
    for p in story:
        assert p in text


def test_the_site_address_over_a_reader_view_still_goes():
    # Guard (rv11 F8): the bare address as a line of its own above the story.
    html = _page(_ps(LEDE + REST)).replace("</h1>", "</h1><p class='reader-domain'>www.harbourtimes.example</p>")
    assert "harbourtimes.example" not in _text(html)


def test_many_hidden_boxes_in_one_parent_are_judged_in_linear_work(monkeypatch):
    # Each hidden box asked whether its accordion group holds a site question, and walked back over its previous
    # siblings for a shown paragraph: a page of thousands of panels in one parent was quadratic (2,000 of each kind,
    # 630 KB: 26 s before the time budget could stop it). Counted, not timed: work per box must not grow with n.
    from pipelines.core.extraction import html as html_module

    calls = {"questions": 0, "hidden": 0}

    class CountingPattern:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, text):
            calls["questions"] += 1
            return self.pattern.search(text)

    is_hidden = html_module._is_hidden

    def counting_is_hidden(node):
        calls["hidden"] += 1
        return is_hidden(node)

    monkeypatch.setattr(html_module, "_SITE_QUESTION", CountingPattern(html_module._SITE_QUESTION))
    monkeypatch.setattr(html_module, "_is_hidden", counting_is_hidden)
    per_box = []
    for n in (100, 200):
        calls.update(questions=0, hidden=0)
        panels = "".join(f"<h3><button aria-expanded='false' aria-controls='q{i}'>Which boats sail on day {i}?</button>"
                         f"</h3><div id='q{i}' hidden><p>Boat {i} sails at nine on that day, weather allowing.</p></div>"
                         for i in range(n))
        remainders = "".join(f"<div class='lazy-block' hidden><p>Sailing {i} of the winter timetable stops at the "
                             f"north pier first.</p></div>" for i in range(n))
        text = _text(_page(_ps(LEDE) + remainders + panels))
        assert "Boat 7 sails at nine on that day, weather allowing." in text
        assert "Sailing 7 of the winter timetable stops at the north pier first." in text
        per_box.append((calls["questions"] / n, calls["hidden"] / n))
    assert per_box[1][0] < per_box[0][0] * 1.3 and per_box[1][1] < per_box[0][1] * 1.3, per_box
