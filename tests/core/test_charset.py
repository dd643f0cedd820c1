"""pipelines.core.extraction.charset on invented pages: labels as browsers read them, lying labels, stray bytes,
UTF-16 without BOM and short undeclared Latin pages."""
import unicodedata

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
    "he": "מועצת העיר אישרה ביום שלישי את התוכנית.",
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


# Undeclared Latin-script pages, table-driven (review rv4 H1, M5): my own short news sentences, each written in the
# codecs a server without a charset would send; decoded exactly, short (one sentence) and long (eight), with and
# without <html lang>.
LATIN = {
    "es": ("¿Cuándo abrirá la nueva línea? «En otoño», respondió la concejala; el año pasado se retrasó. "
           "¡Por fin una buena noticia para el barrio!", ("cp1252", "latin-1")),
    "fr": ("« Ça avance », assure l’adjointe : la passerelle ouvrira à l’été, après deux ans de travaux. "
           "Où en est le budget ? Il dépasse déjà les prévisions.", ("cp1252", "latin-1")),
    "de": ("Die Brücke über die Isar wird größer als geplant: „Wir müssen die Kosten prüfen“, sagte der Bürgermeister "
           "am Dienstag.", ("cp1252", "latin-1")),
    "pt": ("A câmara aprovou as obras na estação; os trabalhos começam já em março e as lições do ano passado "
           "não serão esquecidas, disse o vereador.", ("cp1252", "latin-1")),
    "it": ("Il consiglio ha approvato il progetto: i lavori costeranno più del previsto e finiranno però entro "
           "l’estate, ha detto l’assessore.", ("cp1252", "latin-1")),
    "nl": ("De gemeenteraad keurde het plan goed; de wethouder sprak van een „historische dag” voor de "
           "reünie van oud-bewoners.", ("cp1252", "latin-1")),
    "sv": ("Kommunfullmäktige godkände bron på tisdagen; arbetet börjar i maj och kostnaden blir högre än väntat.",
           ("cp1252", "latin-1")),
    "pl": ("Rada miasta zatwierdziła budowę kładki; prace ruszą w marcu, a koszt przekroczy dwadzieścia milionów "
           "złotych, powiedział rzecznik urzędu.", ("iso8859-2", "cp1250")),
    "cs": ("Zastupitelé v úterý schválili stavbu nové lávky přes řeku; práce začnou v březnu a skončí příští rok.",
           ("iso8859-2", "cp1250")),
    "hu": ("A közgyűlés kedden jóváhagyta az új híd építését; a munkálatok márciusban kezdődnek és jövő ősszel "
           "érnek véget.", ("iso8859-2", "cp1250")),
    "ro": ("Consiliul local a aprobat construcţia noului pod; lucrările încep în martie şi se termină anul viitor.",
           ("iso8859-2", "cp1250")),
    "tr": ("Belediye meclisi yeni köprüyü onayladı; çalışmalar mart ayında başlayacak ve gelecek yıl bitecek.",
           ("cp1254",)),
    "vi": ("Hội đồng thành phố đã thông qua dự án cầu mới; công trình sẽ khởi công vào tháng ba.", ("cp1258",)),
}
LATIN_CASES = [(lang, codec) for lang, (_, codecs_) in LATIN.items() for codec in codecs_]


def latin_page(lang: str, long: bool, with_lang: bool) -> str:
    text, _ = LATIN[lang]
    attr = f' lang="{lang}"' if with_lang else ""
    paragraphs = "".join(f"<p>{text}</p>" for _ in range(8 if long else 1))
    return f"<!DOCTYPE html><html{attr}><head><title>Nachrichten</title></head><body>{paragraphs}</body></html>"


def cp1258_form(ch: str) -> str:
    """A Vietnamese letter as cp1258 writes it: the letter with its circumflex, breve or horn, then the tone mark."""
    try:
        ch.encode("cp1258")
        return ch
    except UnicodeEncodeError:
        base, *marks = unicodedata.normalize("NFD", ch)
        for mark in marks:  # the mark cp1258 has a precomposed letter for (â ư ă), the tone mark after it
            letter = unicodedata.normalize("NFC", base + mark)
            if len(letter) == 1 and letter.encode("cp1258", "ignore"):
                return letter + "".join(m for m in marks if m != mark)
        return base + "".join(marks)


def encoded(html: str, codec: str) -> bytes:
    if codec == "latin-1":  # no typographic quotes in Latin-1
        html = html.translate(str.maketrans("’„“”", "'\"\"\""))
    if codec == "cp1258":
        html = "".join(cp1258_form(ch) for ch in html)
    return html.encode(codec)


# Known limit: one short Turkish sentence without <html lang> scores the same in cp1252 (ý þ ð) and cp1254 (ı ş ğ),
# and the detector says cp1250; 845443a got it wrong too.
KNOWN_WRONG = {("tr", "cp1254", False, False)}


@pytest.mark.parametrize("lang,codec", LATIN_CASES)
@pytest.mark.parametrize("long", [False, True])
@pytest.mark.parametrize("with_lang", [True, False])
def test_undeclared_latin_pages_table(lang, codec, long, with_lang, request):
    if (lang, codec, long, with_lang) in KNOWN_WRONG:
        request.applymarker(pytest.mark.xfail(strict=True, reason="ties with cp1252, detector says cp1250"))
    body = encoded(latin_page(lang, long, with_lang), codec)
    assert decode_html(body, ct()) == body.decode(codec)


def test_a_declared_utf8_page_with_one_pasted_cp1252_byte_stays_utf8():
    # Mostly ASCII, three real UTF-8 characters, one pasted 0x92: one U+FFFD, not a cp1252 reading (rv4 M1).
    html = page("en", meta="utf-8")
    body = html.encode("utf-8").replace("’".encode(), b"\x92", 1)
    assert decode_html(body, ct("utf-8")) == html.replace("’", "\ufffd", 1)
    assert decode_html(body, ct()) == html.replace("’", "\ufffd", 1)  # <meta> only


@pytest.mark.parametrize("lang,codec,label,byte,filled", [
    ("fr", "cp1252", "ISO-8859-1", b"\x9d", "\x9d"),  # browsers: a C1 control, not an error
    ("es", "cp1252", "windows-1252", b"\x81", "\x81"),
    ("he", "cp1255", "windows-1255", b"\xca", "\u05ba"),  # WHATWG windows-1255 has HOLAM HASER FOR VAV here
    ("ru", "cp1251", "windows-1251", b"\x98", "\ufffd"),  # undefined for browsers too: replaced
    ("pl", "iso8859-2", "ISO-8859-2", b"\x9d", "\x9d"),
])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_short_declared_legacy_page_with_one_undefined_byte_keeps_its_charset(lang, codec, label, byte, filled,
                                                                                 where):
    # rv4 M2: one byte among ~20 accented letters was over the 1% rule, and the page went to a guess (cp1250).
    html = page(lang, meta=label if where == "meta" else None).replace("</p>", "@</p>", 1)
    body = html.encode(codec).replace(b"@", byte, 1)
    assert decode_html(body, ct(label if where == "header" else None)) == html.replace("@", filled, 1)


@pytest.mark.parametrize("repeat", [1, 100])  # short and long: the result no longer depends on the page's length
def test_declared_euc_jp_with_nec_row_13_circled_digits(repeat):
    # STORY["ja"] lists ①②③ (NEC row 13, 0xADA1-0xADA3): browsers read them, Python's euc_jp does not (rv4 M6).
    html = page("ja", meta="EUC-JP").replace("髙", "高").replace("</p>", "</p>" + "<p>市議会は計画を可決した。</p>" * repeat)
    body = html.encode("euc_jis_2004")
    assert b"\xad\xa1" in body
    assert decode_html(body, ct("EUC-JP")) == html


def test_big5_label_with_cp950_euro_sign():
    html = "<html><head><meta charset='big5'></head><body><p>總投資約為（約 120 萬 €）。</p></body></html>"
    assert decode_html(html.encode("cp950"), ct("Big5")) == html


def test_undeclared_iso_2022_jp():
    html = "<html><head><title>t</title></head><body><p>" + STORY["ja"].replace("①", "").replace("②", "")\
        .replace("③", "").replace("髙", "高") + "</p></body></html>"
    assert decode_html(html.encode("iso2022_jp"), ct()) == html


CENTRAL = {
    "cs": "Vláda schválila rozpočet na příští rok, řekl ministr. Škrty se dotknou úřadů.",
    "hu": "A kormány elfogadta a jövő évi költségvetést, közölte a miniszter.",
    "sk": "Slovenská vláda schválila rozpočet, povedal minister. Úrady čakajú škrty.",
}


@pytest.mark.parametrize("lang", sorted(CENTRAL))
@pytest.mark.parametrize("codec", ["cp1250", "iso-8859-2"])
def test_undeclared_central_european_pages_with_a_template_lang_en(lang, codec):
    """Review rv6 M1: <html lang="en"> (many CMS templates' default) breaks near ties towards cp1252, but does not
    override a reading that is clearly better (Czech read as cp1252 gives rozpoèet, Hungarian jövõ)."""
    html = f'<html lang="en"><head><title>x</title></head><body><p>{CENTRAL[lang]}</p></body></html>'
    assert decode_html(html.encode(codec), {"Content-Type": "text/html"}) == html


@pytest.mark.parametrize("lang", ["en", "es", "fr", "pt"])
def test_undeclared_western_pages_with_their_lang_stay_cp1252(lang):
    """The other side of the tie-break: Spanish ¿ ñ « », French û, Portuguese õ in cp1252 stay cp1252."""
    text = {"en": "The café’s “new” menu — £12, naïve.", "es": "¿Quién pagará? «Sí», dijo el niño. ¡Por fin!",
            "fr": "Le coût réel est sûr, a dit l'élu. Très bien.", "pt": "Ele põe as informações na mesa."}[lang]
    html = f'<html lang="{lang}"><head><title>x</title></head><body><p>{text}</p></body></html>'
    assert decode_html(html.encode("cp1252"), {"Content-Type": "text/html"}) == html


@pytest.mark.parametrize("codec,label,first", [("gbk", "GBK", 0x4E00), ("big5", "Big5", 0x4E00),
                                               ("euc-kr", "EUC-KR", 0xAC00)])
def test_a_short_declared_cjk_page_whose_bytes_happen_to_be_utf8_keeps_its_label(codec, label, first):
    """Review rv6 L3: GBK 十一 is valid UTF-8 (ʮһ). With few multi-byte characters a declared multi-byte label
    that reads the bytes is kept, as browsers keep it."""
    clashes = [chr(c) for c in range(first, first + 0x2000) if _utf8_clash(chr(c), codec)]
    title = clashes[0] + clashes[7]
    html = f'<html><head><meta charset="{label}"><title>{title} - Photo</title></head><body><p>Photo</p></body></html>'
    body = html.encode(codec)
    assert body.decode("utf-8") != html  # valid UTF-8, read wrong as UTF-8
    assert decode_html(body, ct(label)) == html
    assert decode_html(body, {"Content-Type": "text/html"}) == html  # the <meta> alone


def _utf8_clash(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec).decode("utf-8")
    except (UnicodeError, LookupError):
        return False
    return len(ch.encode(codec)) == 2


def test_clean_utf8_with_enough_multibyte_characters_still_beats_a_cjk_or_single_byte_label():
    """The other way: a UTF-8 page mislabelled GBK (or windows-1252) stays UTF-8 once it holds enough multi-byte
    characters; a single-byte label loses to clean UTF-8 whatever its length."""
    html = page("ru", meta="gbk")
    assert decode_html(html.encode("utf-8"), ct("GBK")) == html
    short = '<html><head><meta charset="windows-1252"><title>Café</title></head><body></body></html>'
    assert decode_html(short.encode("utf-8"), ct("windows-1252")) == short
    cjk = '<html><head><meta charset="gbk"><title>北京市发布新的交通规划</title></head></html>'
    assert decode_html(cjk.encode("utf-8"), ct("gbk")) == cjk


@pytest.mark.parametrize("label", ["idna", "punycode", "unicode_escape", "raw_unicode_escape", "utf-7", "base64",
                                   "hex", "zlib", "bz2", "uu", "quopri", "rot13", "undefined"])
def test_a_label_naming_no_page_charset_is_no_label(label):
    assert normalise_charset(label) is None


def test_an_idna_label_on_a_non_ascii_page_decodes_as_if_undeclared():
    body = ('<html><head><meta charset="idna"><title>Caf\xe9 opens</title></head><body><p>The caf\xe9 on Main Street '
            'reopened on Tuesday after a fire closed it in spring.</p></body></html>').encode("cp1252")
    assert "The café on Main Street" in decode_html(body, {})
    assert "The café on Main Street" in decode_html(body, ct("idna"))


def test_an_escape_label_never_rewrites_the_text():
    body = b'<html><head><meta charset="unicode_escape"></head><body><p>Price \\u0041\\x42 \\ud83d</p></body></html>'
    assert r"Price \u0041\x42 \ud83d" in decode_html(body, {})
    assert r"Price \u0041\x42 \ud83d" in decode_html(body, ct("raw_unicode_escape"))


def test_decoded_text_never_holds_a_lone_surrogate():
    text = decode_html("<p>cut emoji \ud83d here</p>")
    assert text == "<p>cut emoji \ufffd here</p>"
    text.encode("utf-8")
