"""The language of text records (JSONL `text`, .txt pages): declarations normalised, the rest read from the text."""

import pytest

from pipelines.core.articles import QUICK_CHARS, build_article, text_language
from pipelines.core.cleaning import load_rules
from pipelines.core.extraction.html import RULES as PAGE_RULES
from pipelines.core.extraction.language import classify_language

# Written for these tests: short news stories, one paragraph per line pair.
STORIES = {
    "en": "The city council voted on Tuesday to close the old bridge for repairs, after engineers found cracks in "
          "two of its supports.\n\nDrivers will have to take the ring road until the work is finished next "
          "spring, the mayor told reporters outside the town hall.\n\nShop owners near the bridge said they "
          "feared losing customers during the busy holiday season.",
    "fr": "Le conseil municipal a voté mardi la fermeture du vieux pont pour des travaux, après que des "
          "ingénieurs ont découvert des fissures dans deux de ses piliers.\n\nLes automobilistes devront "
          "emprunter le périphérique jusqu'à la fin du chantier au printemps prochain, a déclaré le maire devant "
          "la mairie.\n\nLes commerçants du quartier craignent de perdre des clients pendant les fêtes de fin "
          "d'année et demandent une aide de la ville.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Reparaturen zu sperren, nachdem "
          "Ingenieure Risse in zwei ihrer Pfeiler entdeckt hatten.\n\nAutofahrer müssen bis zum Ende der "
          "Arbeiten im nächsten Frühjahr die Umgehungsstraße nehmen, sagte der Bürgermeister vor dem Rathaus."
          "\n\nLadenbesitzer in der Nähe der Brücke fürchten, während der Feiertage Kunden zu verlieren, und bitten die Stadt um Hilfe.",
}


def article(text: str, language=None, **extra) -> dict:
    record = {"url": "https://example.com/story", "scraped_at": "2026-11-24T00:00:00.000000Z",
              "title": "Bridge closed", "text": text, "language": language, **extra}
    return build_article(record, load_rules())


@pytest.mark.parametrize("declared", ["English", "en-US", "EN", "en_gb", " en "])
def test_declared_english_in_any_spelling_is_en(declared):
    assert article(STORIES["en"], declared)["language"] == "en"


@pytest.mark.parametrize("lang", sorted(STORIES))
def test_undeclared_text_takes_the_models_guess(lang):
    assert article(STORIES[lang])["language"] == lang


def test_a_declared_code_stands_without_text_to_read():
    # Too few letters for the model: the declaration is all there is, normalised
    assert text_language("Markets closed 2% up.", "EN-us") == "en"


def test_too_short_undeclared_text_has_no_language():
    text = "Shares rose 2% on Friday, traders said."
    assert classify_language(text, min_letters=PAGE_RULES.t["language_min_letters"])[0] is None
    assert article(text)["language"] is None
    # a language declared by its English name is a declaration like a code: on a short text it stands
    assert article(text, "English")["language"] == "en"


def test_a_wrong_declaration_yields_to_a_sure_model_on_long_text():
    t = PAGE_RULES.t
    lang, prob = classify_language(STORIES["fr"], t["language_sample_chars"], t["language_min_letters"])
    assert lang == "fr" and prob >= t["language_override_confidence"]
    assert min(len(STORIES["fr"]), len(STORIES["de"])) >= t["language_override_min_chars"]
    assert article(STORIES["fr"], "en")["language"] == "fr"
    assert article(STORIES["de"], "en-GB")["language"] == "de"


def test_a_wrong_declaration_stands_on_short_text():
    # The HTML rule: under language_override_min_chars the declaration is kept, however sure the model is
    short = STORIES["fr"].split("\n\n")[0]
    assert len(short) < PAGE_RULES.t["language_override_min_chars"]
    assert classify_language(short)[0] == "fr"
    assert text_language(short, "en") == "en"


def test_aliases_keep_the_declared_code():
    # The model says 'no' for Norwegian text; a record declaring Bokmål keeps 'nb', as an HTML page would
    text = ("Bystyret vedtok tirsdag å stenge den gamle brua for reparasjoner etter at ingeniører fant sprekker "
            "i to av pilarene. Bilistene må kjøre ringveien til arbeidet er ferdig neste vår, sa ordføreren "
            "utenfor rådhuset. Butikkeiere nær brua frykter å miste kunder i høytiden, og ber kommunen om hjelp "
            "til å holde veien åpen for varelevering om morgenen.")
    assert classify_language(text)[0] == "no"
    assert text_language(text, "nb") == "nb"


def test_junk_declaration_is_ignored_for_the_text():
    assert article(STORIES["de"], "unknown-lang!")["language"] == "de"


def test_a_declaration_its_opening_confirms_stands_without_the_full_read():
    # The quick read: an English opening under a declared 'en' settles it, though the full prefix the rule
    # reads is mostly French (the HTML path would read 1000 characters and take 'fr')
    opening = "\n\n".join(STORIES["en"].split("\n\n")[:2])
    text = opening + "\n\n" + STORIES["fr"] + "\n\n" + STORIES["fr"]
    t = PAGE_RULES.t
    assert classify_language(text, QUICK_CHARS)[0] == "en"
    assert classify_language(text, t["language_sample_chars"])[0] == "fr"
    assert text_language(text, "en") == "en"
    assert text_language(text, None) == "fr"  # undeclared: the full read, as for HTML


def test_an_unsure_model_leaves_an_undeclared_text_without_language():
    names = "Apple Microsoft Nvidia TSMC Samsung Intel Qualcomm Broadcom ASML Huawei Xiaomi Lenovo"
    lang, prob = classify_language(names)
    assert lang is not None and prob < PAGE_RULES.t["language_min_confidence"]
    assert text_language(names, None) is None
    assert text_language(names, "en-GB") == "en"
