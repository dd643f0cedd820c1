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


def test_a_model_the_compiled_walk_cannot_use_falls_back_with_one_warning(caplog, tmp_path):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipelines.core.extraction.language import _with_compiled_walk

    class OtherLayout(LanguageIdentifier):  # a model without the table the compiled walk reads
        @classmethod
        def from_model_file(cls, *args, **kwargs):
            raise AttributeError("no tk_nextmove")

    with caplog.at_level("WARNING", logger="pipelines.core.extraction.language"):
        assert _with_compiled_walk(OtherLayout, MODEL_FILE, cache_root=str(tmp_path)) is None
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


def _stock_and_texts():
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    rng = np.random.default_rng(11)
    texts = [*SENTENCES.values(), "THE BRIDGE IS CLOSED", "", "12:30"]
    texts += [rng.integers(0, 256, size, dtype=np.uint8).tobytes() for size in (3, 400, 3000) * 5]
    return stock, texts


def _compiled_or_skip(cache_root):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipelines.core.extraction.language import _with_compiled_walk

    ours = _with_compiled_walk(LanguageIdentifier, MODEL_FILE, cache_root=cache_root)
    if ours is None:
        pytest.skip("numba cannot compile here: the model's own walk is in use")
    return ours


def test_mapped_model_scores_equal_the_models_and_are_file_backed(tmp_path):
    import numpy as np

    stock, texts = _stock_and_texts()
    built = _compiled_or_skip(str(tmp_path))  # builds the cache
    mapped = _compiled_or_skip(str(tmp_path))  # reads it
    (folder,) = [p for p in tmp_path.iterdir() if p.name.startswith("langid-")]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]  # no temporary folder left behind
    for ours in (built, mapped):
        for array in (ours.walk_low, ours.walk_high, ours.walk_rowbase, ours.walk_output, ours.nb_ptc):
            assert isinstance(array.base, np.memmap) and not array.flags.writeable
    for text in texts:
        assert np.array_equal(mapped._raw_score(stock._encode(text)), stock._raw_score(stock._encode(text)))
        assert mapped.classify(text) == stock.classify(text)  # language and probability, to the bit


def test_no_writable_cache_keeps_the_arrays_in_memory(tmp_path):
    import numpy as np

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    stock, texts = _stock_and_texts()
    ours = _compiled_or_skip(str(blocker / "cache"))  # cannot be made: a file is in the way
    assert not isinstance(ours.walk_low.base, np.memmap) and not isinstance(ours.nb_ptc.base, np.memmap)
    for text in texts[:5]:
        assert ours.classify(text) == stock.classify(text)


def test_a_broken_or_stale_cache_is_rebuilt(tmp_path):
    import json

    import numpy as np

    from pipelines.core.extraction.language import _load_cached

    stock, texts = _stock_and_texts()
    _compiled_or_skip(str(tmp_path))
    (folder,) = tmp_path.iterdir()
    assert _load_cached(str(folder)) is not None
    low = folder / "low.npy"
    low.write_bytes(low.read_bytes()[: low.stat().st_size // 2])  # cut short, as a crash mid-write would leave it
    assert _load_cached(str(folder)) is None
    ours = _compiled_or_skip(str(tmp_path))
    assert _load_cached(str(folder)) is not None and ours.classify(texts[0]) == stock.classify(texts[0])
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["low"][1] = [manifest["low"][1][0] + 1]  # a manifest that no longer fits its files
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert _load_cached(str(folder)) is None
    np.save(folder / "output.npy", np.zeros(3, dtype=np.int32))
    assert _load_cached(str(folder)) is None
    _compiled_or_skip(str(tmp_path))
    assert _load_cached(str(folder)) is not None


def test_the_cache_is_named_by_the_model_files_version(tmp_path):
    import os

    from pipelines.core.extraction.language import _cache_key

    model = tmp_path / "model.npz.xz"
    model.write_bytes(b"x" * 10)
    first = _cache_key(str(model))
    assert _cache_key(str(model)) == first
    os.utime(model, ns=(1, 1))
    assert _cache_key(str(model)) != first


def test_a_second_builder_loses_the_rename_quietly(tmp_path):
    # Several worker processes may build the cache at once: the first rename wins, the others keep using theirs.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipelines.core.extraction.language import _load_cached, _model_arrays, _save_cached

    arrays = _model_arrays(LanguageIdentifier, MODEL_FILE)
    folder = tmp_path / "langid-x"
    _save_cached(arrays, str(tmp_path), str(folder))
    first = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    _save_cached(arrays, str(tmp_path), str(folder))  # the folder is there already: no error, nothing replaced
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == first
    assert [p.name for p in tmp_path.iterdir()] == ["langid-x"] and _load_cached(str(folder)) is not None
