"""Language detection: the shipped model on project-written sentences, and how it combines with declarations."""

import pytest

from pipelines.core.extraction import extract_article
from pipelines.core.extraction.language import classify_language, detect_language, normalise_language, same_language

# Written for these tests: two or three news-style sentences per language.
SENTENCES = {
    "en": "The city council voted on Tuesday to close the old bridge for repairs. Drivers will have to take "
          "the ring road until the work is finished next spring.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Reparaturen zu sperren. Autofahrer "
          "müssen bis zum Ende der Arbeiten im nächsten Frühjahr die Umgehungsstraße nehmen.",
    "fr": "Le conseil municipal a voté mardi la fermeture du vieux pont pour des travaux. Les automobilistes "
          "devront emprunter le périphérique jusqu'à la fin du chantier au printemps prochain.",
    "es": "El ayuntamiento votó el martes cerrar el viejo puente para repararlo. Los conductores tendrán que "
          "usar la carretera de circunvalación hasta que terminen las obras la próxima primavera.",
    "it": "Il consiglio comunale ha votato martedì la chiusura del vecchio ponte per lavori. Gli automobilisti "
          "dovranno usare la tangenziale fino alla fine del cantiere la prossima primavera.",
    "pt": "A câmara municipal votou na terça-feira o fecho da ponte velha para obras. Os condutores terão de "
          "usar a circular até ao fim dos trabalhos na próxima primavera.",
    "nl": "De gemeenteraad heeft dinsdag besloten de oude brug te sluiten voor herstelwerkzaamheden. "
          "Automobilisten moeten tot het einde van de werkzaamheden volgend voorjaar de ringweg nemen.",
    "pl": "Rada miasta zagłosowała we wtorek za zamknięciem starego mostu z powodu remontu. Kierowcy będą "
          "musieli jeździć obwodnicą aż do zakończenia prac przyszłej wiosny.",
    "cs": "Městská rada v úterý odhlasovala uzavření starého mostu kvůli opravám. Řidiči budou muset jezdit "
          "po obchvatu, dokud práce příští jaro neskončí.",
    "ru": "Городской совет во вторник проголосовал за закрытие старого моста на ремонт. Водителям придётся "
          "ездить по объездной дороге до окончания работ следующей весной.",
    "ja": "市議会は火曜日、古い橋を修理のために閉鎖することを決めた。運転手は来年の春に工事が終わるまで環状道路を使う必要がある。",
    "zh": "市议会星期二投票决定关闭旧桥进行维修。在明年春天工程结束之前，司机们必须绕行环城公路。"
          "市长说，这座桥已经有一百多年的历史，维修工作不能再拖了。",
}


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_detects_project_sentences(lang):
    assert detect_language(SENTENCES[lang]) == lang


def test_too_little_text_gives_no_guess():
    assert classify_language("short") == (None, 0.0)
    assert detect_language("12:30 | 4 / 5 ★★★★") is None
    assert detect_language("") is None


def test_reads_only_a_prefix():
    # A German article with a long English tail: the prefix decides, so the cost per page is bounded.
    text = SENTENCES["de"] + " " + SENTENCES["en"] * 200
    assert classify_language(text, max_chars=len(SENTENCES["de"]))[0] == "de"


def test_normalise_language_tags():
    assert [normalise_language(v) for v in ("en-US", "pt_BR", "DE", "x", "", None)] == ["en", "pt", "de", None, None, None]


def test_language_names_and_three_letter_codes_become_two_letter_codes():
    assert [normalise_language(v) for v in ("English", "eng", "french", "fra-FR", "Deutsch", "haw")] == \
        ["en", "en", "fr", "fr", None, "haw"]


def _page(paragraphs: list[str], lang_attr: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html{lang_attr}><head><title>Bridge closed</title></head><body><article>{body}</article></body></html>"


def test_declared_language_stands_when_text_agrees():
    art = extract_article(_page([SENTENCES["fr"]] * 3, ' lang="fr-FR"'))
    assert (art.language, art.provenance["language"]) == ("fr", "html-lang")


def test_text_overrides_a_wrong_template_declaration():
    # Many templates declare the site's default language on every page; a long, clear text wins.
    paragraphs = [SENTENCES["fr"], SENTENCES["fr"].replace("mardi", "jeudi"), SENTENCES["fr"].replace("pont", "tunnel")]
    art = extract_article(_page(paragraphs, ' lang="en"'))
    assert (art.language, art.provenance["language"]) == ("fr", "text")


def test_short_text_does_not_override_a_declaration():
    art = extract_article(_page(["Le pont est fermé jusqu'au printemps prochain pour des travaux."], ' lang="en"'))
    assert (art.language, art.provenance["language"]) == ("en", "html-lang")


def test_undeclared_language_comes_from_text():
    art = extract_article(_page([SENTENCES["es"], SENTENCES["es"].replace("martes", "jueves")]))
    assert (art.language, art.provenance["language"]) == ("es", "text")


# Written for these tests: Bokmål news prose, which the model labels with the macrolanguage code 'no'.
NORWEGIAN = [
    "Brua over elva ble stengt tirsdag morgen etter at inspektører fant sprekker i en av pilarene.",
    "Kommunen sier at arbeidet kan ta flere uker, og pendlere må regne med lengre reisetid i mellomtiden.",
    "Ordføreren lovet på et møte i rådhuset at bussene skal gå oftere så lenge omkjøringen varer.",
    "Næringslivet i sentrum frykter at færre kunder vil komme innom butikkene før jul.",
    "Vegvesenet regner med å åpne ett kjørefelt igjen i midten av neste måned, dersom været tillater det.",
]


@pytest.mark.parametrize("declared", ["nb", "nn", "nb-NO", "no"])
def test_norwegian_declaration_stands_against_the_macrolanguage_guess(declared):
    art = extract_article(_page(NORWEGIAN, f' lang="{declared}"'))
    assert classify_language(art.text)[0] == "no"
    assert (art.language, art.provenance["language"]) == (normalise_language(declared), "html-lang")


def test_same_language_drops_region_subtags_and_applies_aliases():
    aliases = {"nb": "no", "nn": "no", "bs": "hr", "sr": "hr"}
    assert same_language("pt-BR", "pt", aliases) and same_language("en-GB", "en_US", aliases)
    assert same_language("nb-NO", "no", aliases) and same_language("sr", "bs", aliases)
    assert not same_language("en", "fr", aliases) and not same_language("ms", "id", aliases)
    assert not same_language(None, "en", aliases)


def test_compiled_feature_walk_gives_the_models_own_scores():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipelines.core.extraction.language import _identifier

    ours = _identifier()
    if type(ours) is LanguageIdentifier:
        pytest.skip("numba cannot compile here: the model's own walk is in use")
    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [*SENTENCES.values(), " ".join(SENTENCES.values()), "THE BRIDGE IS CLOSED", "", "   ", "12:30"]
    for text in texts:
        assert ours.classify(text) == stock.classify(text)  # language and probability, to the bit


def test_a_model_the_compiled_walk_cannot_use_falls_back_with_one_warning(caplog):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipelines.core.extraction.language import _with_compiled_walk

    class OtherLayout(LanguageIdentifier):  # a model without the table the compiled walk reads
        @classmethod
        def from_model_file(cls, *args, **kwargs):
            raise AttributeError("no tk_nextmove")

    with caplog.at_level("WARNING", logger="pipelines.core.extraction.language"):
        assert _with_compiled_walk(OtherLayout, MODEL_FILE) is None
    assert len(caplog.records) == 1 and "compiled feature walk unavailable" in caplog.records[0].getMessage()


def test_compiled_walk_scores_equal_the_models_on_arbitrary_bytes():
    # Random bytes walk the automaton far from text-like paths, through states above 2**16, where the split
    # table's high bit plane is read; every score must still be the stock model's, to the bit.
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

    from pipelines.core.extraction.language import _identifier

    ours = _identifier()
    if type(ours) is LanguageIdentifier:
        pytest.skip("numba cannot compile here: the model's own walk is in use")
    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    state_of = {feature: state for state, feature in enumerate(stock.tk_output) if feature >= 0}
    rng = np.random.default_rng(7)
    high_states = 0
    for size in [1, 2, 3, 50, 400, 3000] * 20:
        text = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        assert np.array_equal(ours._raw_score(text), stock._raw_score(text))
        visits = visit_counts(stock.tk_nextmove, stock._rowbase, stock.tk_output, text) or {}
        high_states += sum(state_of[f] >= 1 << 16 for f in visits)
    assert high_states > 0  # the high bit plane was exercised


def test_compact_table_keeps_every_state_and_refuses_wider_ones():
    from array import array

    import numpy as np

    from pipelines.core.extraction.language import _compact_table

    values = array("I", [0, 1, 65535, 65536, 65537, 131071, 7, 70000, 3])
    low, high = _compact_table(values, values.typecode)
    bits = np.unpackbits(high, bitorder="little")[: len(values)].astype(np.uint32)
    assert (low.astype(np.uint32) | (bits << 16)).tolist() == list(values)
    assert low.dtype == np.uint16
    assert _compact_table(array("I", [1, 1 << 17]), "I") is None
