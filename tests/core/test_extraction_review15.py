"""Invented pages for the failures a review of rules v51 (rv10) found: de/es/fr byline-and-date lines left in the
body and their dates not read, agency sign-offs, republication and letters notes, authors with an outlet glued on,
og:title's social variant and section prefixes on titles. Each mend sits beside a guard: a story line, a title or a
byline of the same shape that must stay as it is."""

import pytest

from pipelines.core.extraction import extract_article
from pipelines.core.extraction.html import is_boilerplate, load_rules

PARAS = [
    "Der Hafen von Kiel hat im vergangenen Jahr so viele Container umgeschlagen wie nie zuvor, teilte die "
    "Hafengesellschaft am Mittwoch in einer Mitteilung mit.",
    "Vor allem der Verkehr mit Skandinavien habe zugelegt, sagte ein Sprecher, und auch die Fähren seien voller "
    "gewesen als in den Jahren vor der Pandemie.",
    "Für das laufende Jahr rechnet die Gesellschaft mit einem leichten Rückgang, weil zwei Reedereien ihre Linien "
    "nach Danzig verlegt haben.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
URL = "https://www.nordblatt.example/wirtschaft/hafen-kiel-rekord"


def _page(meta: str, lang: str = "de", head: str = "", after: str = "", h1: str = "Kieler Hafen mit Rekord") -> str:
    return (f"<html lang='{lang}'><head><title>{h1}</title>{head}</head><body><nav><a href='/'>Start</a></nav>"
            f"<main><article><h1>{h1}</h1>{meta}<div class='article__body'>{BODY}{after}</div></article></main>"
            "<footer><p>Impressum</p></footer></body></html>")


def _lines(article) -> list[str]:
    return [line for line in article.text.split("\n") if line.strip()]


RULES = load_rules()


@pytest.mark.parametrize("line", [
    "Von Katrin Hollmann · Veröffentlicht am 11.03.2026, 14:32 Uhr",
    "Von Katrin Hollmann · Veröffentlicht am 11.03.2026",
    "Por Lucía Herrera · Actualizado 6 de octubre de 2026 - 13:15",
    "Por Lucía Herrera · Actualizado 6 de octubre de 2026",
    "Stand: 12.03.2026, 17:45 Uhr",
    "Publié le 06/03/2026 à 10h12",
    "Redacción 05/03/2026 14:20",
    "(dpa/lno)",
    "The Civic Post welcomes letters to the editor. Write to letters@civicpost.example.",
])
def test_byline_date_and_signoff_lines_are_furniture(line):
    assert is_boilerplate(line, RULES)


@pytest.mark.parametrize("line", [
    # Story lines of the same shape stay.
    "Stand: Die Verhandlungen laufen weiter, sagte der Sprecher am 12.03.2026.",
    "Actualizado el plan, el Gobierno prevé 6 de cada 10 empleos nuevos en 2026.",
    "The council welcomes letters from residents, the mayor said, and will read every one of them.",
])
def test_story_lines_of_the_same_shape_are_not_furniture(line):
    assert not is_boilerplate(line, RULES)


def test_de_meta_line_leaves_the_body_and_its_date_is_read():
    meta = "<div class='article__meta'><span>Von Katrin Hollmann</span> · <span>Veröffentlicht am 11.03.2026</span></div>"
    a = extract_article(_page(meta), url=URL)
    assert _lines(a) == PARAS
    assert a.published_at and a.published_at.startswith("2026-03-11")


def test_stand_alone_is_the_published_date():
    # "Stand" is the time of the last change; a page that shows nothing else gives it as its only date.
    a = extract_article(_page("<p class='stand'>Stand: 12.03.2026, 17:45 Uhr</p>"), url=URL)
    assert a.published_at and a.published_at.startswith("2026-03-12")
    assert _lines(a) == PARAS


def test_fr_published_and_updated_slash_dates():
    meta = "<p class='article__date'>Publié le 06/03/2026 à 10h12 - Mis à jour le 07/03/2026 à 08h00</p>"
    a = extract_article(_page(meta, lang="fr"), url=URL)
    assert a.published_at and a.published_at.startswith("2026-03-06")


def test_a_date_inside_a_story_sentence_is_not_read():
    meta = "<p>Die Frist endet am 12.03.2026, sagte die Behörde am Dienstag in Kiel vor Journalisten.</p>"
    a = extract_article(_page(meta), url=URL)
    assert a.published_at is None


def test_dpa_signoff_and_lea_tambien_leave_the_body():
    a = extract_article(_page("", after="<p>(dpa/lno)</p>"), url=URL)
    assert _lines(a) == PARAS
    a = extract_article(_page("", lang="es", after="<p><strong>Lea también:</strong> <a href='/x'>El empleo juvenil, "
                                                  "en máximos</a></p>"), url=URL)
    assert _lines(a) == PARAS


def test_republication_note_leaves_the_body_but_a_story_about_republishing_stays():
    note = ("This article was originally published by CalWatch and is republished here under a Creative Commons "
            "license.")
    a = extract_article(_page("", lang="en", after=f"<p><em>{note}</em></p>"), url=URL)
    assert _lines(a) == PARAS
    story = ("The agency said the report was republished on its website on Monday after the error in the second table "
             "had been corrected.")
    a = extract_article(_page("", lang="en", after=f"<p>{story}</p>"), url=URL)
    assert _lines(a) == PARAS + [story]
