"""pipelines.core.extraction.charset on invented pages: labels as browsers read them, lying labels, stray bytes,
UTF-16 without BOM and short undeclared Latin pages."""
import pytest

from pipelines.core.extraction.charset import decode_html, normalise_charset

STORY = {
    "fr": "Le conseil a approuvé mardi la rénovation de la gare. « C'est une étape », a dit l'adjointe, très émue. "
          "Le coût total est estimé à douze millions d'euros.",
    "pl": "Rada miejska zatwierdziła we wtorek plan przebudowy rynku. Prace ruszą wiosną i potrwają dwa lata. "
          "Właściciele kawiarni obawiają się spadku obrotów.",
    "cs": "Městská rada v úterý schválila přestavbu nádraží. Práce začnou příští jaro, řekl starosta.",
    "es": "El ayuntamiento aprobó el martes la reforma de la estación. Las obras comenzarán el año próximo.",
    "en": "\u201cWe finally have a date,\u201d said the council\u2019s transport chair \u2014 a view most residents share.",
    "ru": "Городской совет во вторник утвердил план реконструкции набережной. Работы начнутся весной.",
    "ja": "市議会は火曜日、駅前広場の再整備計画を可決した。計画には①屋根付きの歩道②自転車置き場③小さな公園が含まれる。髙橋議員は反対した。",
    "ko": "시의회는 화요일 도심 공원 확장 계획을 통과시켰다. 똠방각하 같은 별명은 없었다.",
}


def page(lang: str, meta: str | None = None, with_lang: bool = True) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    attr = f' lang="{lang}"' if with_lang else ""
    return f"<!DOCTYPE html><html{attr}><head>{head}<title>News</title></head><body><p>{STORY[lang]}</p></body></html>"


def ct(charset: str | None = None) -> dict:
    return {"Content-Type": "text/html" + (f"; charset={charset}" if charset else "")}


@pytest.mark.parametrize("label,codec", [
    ("Shift_JIS", "cp932"), ("x-sjis", "cp932"), ("Windows-31J", "cp932"), ("EUC-KR", "cp949"),
    ("ks_c_5601-1987", "cp949"), ("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("US-ASCII", "cp1252"),
    ("iso-8859-9", "cp1254"), ("TIS-620", "cp874"), ("big5", "big5hkscs"), ("gb2312", "gb18030"), ("utf8", "utf-8"),
    ("windows-1251", "cp1251"), ("iso-8859-2", "iso8859-2"), ("no-such-charset", None),
])
def test_labels_map_as_browsers_read_them(label, codec):
    assert normalise_charset(label) == codec


@pytest.mark.parametrize("lang,codec,label", [("ja", "cp932", "Shift_JIS"), ("ko", "cp949", "EUC-KR"),
                                               ("ko", "cp949", "ks_c_5601-1987")])
def test_declared_cjk_pages_keep_the_characters_of_the_browsers_superset(lang, codec, label):
    body = page(lang).encode(codec)
    assert STORY[lang] in decode_html(body, ct(label))
    assert STORY[lang] in decode_html(page(lang, meta=label).encode(codec), None)


@pytest.mark.parametrize("lang,actual,label", [
    ("fr", "utf-8", "ISO-8859-1"), ("ru", "utf-8", "windows-1251"),  # clean UTF-8 beats a single-byte label
    ("fr", "latin-1", "utf-8"), ("en", "cp1252", "utf-8"),  # a UTF-8 label on legacy bytes falls back
])
def test_a_lying_header_is_not_taken_at_its_word(lang, actual, label):
    assert STORY[lang] in decode_html(page(lang).encode(actual), ct(label))


def test_a_lying_meta_utf8_on_cp1252_bytes():
    text = decode_html(page("en", meta="utf-8").encode("cp1252"), ct())
    assert STORY["en"] in text and "\ufffd" not in text


@pytest.mark.parametrize("lang", ["fr", "ru", "ja", "en", "pl"])
def test_one_stray_byte_in_an_undeclared_utf8_page_costs_one_character(lang):
    body = page(lang).encode("utf-8").replace(b"</title>", b" \x92</title>", 1)
    text = decode_html(body, ct())
    assert STORY[lang] in text and text.count("\ufffd") == 1


@pytest.mark.parametrize("meta,header", [("utf-16", None), (None, "UTF-16"), ("utf-16le", None)])
@pytest.mark.parametrize("pad", ["", " "])  # even and odd byte lengths
def test_a_utf16_label_on_an_8bit_page_is_ignored(meta, header, pad):
    body = (page("fr", meta=meta) + pad).encode("utf-8")
    assert STORY["fr"] in decode_html(body, ct(header))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_an_ascii_utf16_page_without_bom_or_label(codec):
    html = "<html><body><p>The council approved the bridge plan on Tuesday.</p></body></html>"
    assert decode_html(html.encode(codec), None) == html


@pytest.mark.parametrize("lang,codec", [("fr", "latin-1"), ("fr", "cp1252"), ("es", "cp1252"), ("pl", "iso-8859-2"),
                                        ("pl", "cp1250"), ("cs", "cp1250"), ("cs", "iso-8859-2")])
@pytest.mark.parametrize("with_lang", [True, False])
def test_short_undeclared_latin_pages(lang, codec, with_lang):
    assert STORY[lang] in decode_html(page(lang, with_lang=with_lang).encode(codec), None)


@pytest.mark.parametrize("lang,codec", [("ru", "cp1251"), ("ru", "koi8-r"), ("ja", "cp932"), ("ko", "cp949")])
def test_undeclared_non_latin_pages_still_go_to_the_detector(lang, codec):
    assert STORY[lang] in decode_html(page(lang).encode(codec), None)


def test_never_raises_on_any_bytes():
    import random

    rng = random.Random(5)
    for n in range(200):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        assert isinstance(decode_html(body, ct(rng.choice([None, "utf-8", "utf-16", "shift_jis", "bogus"]))), str)
