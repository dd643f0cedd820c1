"""HTML pages, JSONL records with html bodies and WARC archives through the whole job."""
import gzip
import io
import os

import pyarrow.parquet as pq
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines import news_pipeline
from tests.conftest import write_jsonl

DT = "2026-11-24"
PARAS = [
    "The port authority said on Tuesday that container volumes rose for a third month as shippers moved cargo "
    "ahead of new tariffs on steel and aluminium.",
    "Officials expect the duties to take effect in January, and exporters have asked for a delay while talks with "
    "trading partners continue in Geneva.",
    "Analysts said the surge would fade once the tariffs were in place, leaving warehouses full into the spring.",
]


def page(title, paras, canonical=None):
    body = "".join(f"<p>{p}</p>" for p in paras)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!doctype html><html lang='en'><head><title>{title} | Harbour Post</title>{link}"
        f"<meta property='og:site_name' content='Harbour Post'>"
        f"<meta property='article:published_time' content='2026-11-23T18:00:00Z'></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/business'>Business</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>© 2026 Harbour Post. All rights reserved.</footer></body></html>"
    )


def warc_bytes(records):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, status, ctype, payload, rec_type in records:
        if rec_type == "request":
            rec = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        else:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers,
                                            warc_headers_dict={"WARC-Date": "2026-11-24T06:30:00Z"})
        writer.write_record(rec)
    return buf.getvalue()


def test_html_files_jsonl_html_and_warc_become_articles(tmp_path):
    (tmp_path / "saved.html").write_text(page("Port volumes rise before tariffs", PARAS,
                                              canonical="https://harbourpost.example/port-volumes"))
    write_jsonl(tmp_path / "feed.jsonl", [{
        "url": "https://harbourpost.example/chips", "scraped_at": "2026-11-24T07:00:00Z",
        "html": page("Chipmaker opens foundry", ["A chipmaker opened a new foundry on Monday, the first of three "
                                                 "plants planned to ease a shortage of semiconductors for carmakers.",
                                                 "The company said output would reach full capacity next year."]),
    }])
    other = page("Rain floods capital", ["Heavy rain flooded several districts of the capital overnight, and the "
                                         "weather service warned that rivers could rise further before the weekend."])
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes([
        ("https://news.example/rain", "200 OK", "text/html; charset=utf-8", other.encode(), "response"),
        ("https://news.example/rain", None, None, None, "request"),
        ("https://news.example/missing", "404 Not Found", "text/html", b"<html>gone</html>", "response"),
        ("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG....", "response"),
    ]))
    out = str(tmp_path / "out")
    report = news_pipeline.run(["--input", str(tmp_path / "*.html"), "--input", str(tmp_path / "*.jsonl"),
                                "--input", str(tmp_path / "*.warc.gz"), "--output", out, "--run_date", DT, "--quiet"])
    assert report["balanced"] and report["records_read"] == 3 and report["articles_written"] == 3
    assert sum(report["skipped_by_reason"].values()) == 3  # the request, the 404 and the image
    rows = pq.read_table(os.path.join(out, "articles", f"dt={DT}")).to_pylist()
    arts = {r["url"]: r for r in rows if r["topic"] == (r["primary_topic"] or "untagged")}
    saved = arts["https://harbourpost.example/port-volumes"]  # the saved page's own canonical link
    assert saved["title"] == "Port volumes rise before tariffs"
    assert saved["text"].split("\n\n") == PARAS
    assert "Home" not in saved["text"] and "rights reserved" not in saved["text"]
    assert saved["source"] == "Harbour Post" and saved["published_at"] is not None
    assert {"field": "published_at", "source": "meta"} in saved["metadata_sources"] or saved["metadata_sources"]
    assert "trade-tariffs" in saved["topics"]
    assert "semiconductors" in arts["https://harbourpost.example/chips"]["topics"]
    assert arts["https://news.example/rain"]["scraped_at"].isoformat().startswith("2026-11-24T06:30")


def test_bad_html_and_a_cut_warc_are_rejected_not_fatal(tmp_path):
    write_jsonl(tmp_path / "feed.jsonl", [
        {"url": "https://e.com/bin", "scraped_at": "2026-11-24T07:00:00Z", "html": "\x00\x01\x02" * 2000},
        {"url": "https://e.com/empty", "scraped_at": "2026-11-24T07:00:00Z", "html": "<html><body></body></html>"},
        {"url": "https://e.com/deep", "scraped_at": "2026-11-24T07:00:00Z",
         "html": "<div>" * 10000 + "text" + "</div>" * 10000},
    ])
    good = page("Port volumes rise before tariffs", PARAS).encode()
    data = warc_bytes([("https://news.example/a", "200 OK", "text/html", good, "response")] * 2)
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) - 40])
    out = str(tmp_path / "out")
    report = news_pipeline.run(["--input", str(tmp_path / "*.jsonl"), "--input", str(tmp_path / "*.warc.gz"),
                                "--output", out, "--run_date", DT, "--quiet"])
    assert report["balanced"]
    reasons = report["rejected_by_reason"]
    assert reasons.get("clean:not_html") == 1 and reasons.get("clean:too_deep") == 1
    assert any(k.endswith("truncated_warc") for k in reasons)
    assert report["articles_written"] == 1  # the first WARC record survived the cut


def test_damaged_gz_inputs_are_rejected_and_the_files_beside_them_still_read(tmp_path):
    """A cut .html.gz and a .jsonl.gz cut in its last record (the batch job crashed on both): each is one
    corrupt_gzip rejection, the JSONL lines before the damage and the good page beside them become articles."""
    from pipelines.core.raw_files import iter_file

    (tmp_path / "good.html").write_text(page("Port volumes rise before tariffs", PARAS,
                                             canonical="https://harbourpost.example/port-volumes"))
    cut_page = gzip.compress(page("Rain floods capital", PARAS[:1]).encode())
    (tmp_path / "cut.html.gz").write_bytes(cut_page[: len(cut_page) // 2])
    write_jsonl(tmp_path / "feed.jsonl", [
        {"url": "https://harbourpost.example/chips", "scraped_at": "2026-11-24T07:00:00Z",
         "html": page("Chipmaker opens foundry", ["A chipmaker opened a new foundry on Monday, the first of three "
                                                  "plants planned to ease a shortage of semiconductors."])},
        {"url": "https://harbourpost.example/lost", "scraped_at": "2026-11-24T07:00:00Z",
         "html": page("Lost page", PARAS[1:])},
    ])
    feed = gzip.compress((tmp_path / "feed.jsonl").read_bytes())
    (tmp_path / "feed.jsonl").unlink()
    (tmp_path / "feed.jsonl.gz").write_bytes(feed[:-40])
    with open(tmp_path / "feed.jsonl.gz", "rb") as f:
        kept = sum(raw.kind == "jsonl" for raw in iter_file(f, str(tmp_path / "feed.jsonl.gz"), 1_000_000))
    out = str(tmp_path / "out")
    report = news_pipeline.run(["--input", str(tmp_path / "*.html*"), "--input", str(tmp_path / "*.jsonl.gz"),
                                "--output", out, "--run_date", DT, "--quiet"])
    assert report["balanced"] and report["articles_written"] == 1 + kept
    assert [n for k, n in report["rejected_by_reason"].items() if k.endswith("corrupt_gzip")] == [2]
    refs = pq.read_table(os.path.join(out, "rejected"), columns=["input_ref"]).column("input_ref").to_pylist()
    assert sorted(r.rsplit("/", 1)[1] for r in refs if r.endswith("#cut")) == ["cut.html.gz#cut",
                                                                               f"feed.jsonl.gz:{kept + 1}#cut"]


STORIES = {
    "harbour": ("Council approves harbour bridge rebuild", [
        "The city council on Tuesday approved a plan to rebuild the old harbour bridge, ending a debate that lasted "
        "nearly three years.",
        "Work is due to start next spring and should take about eighteen months, according to the engineering firm "
        "that won the tender."]),
    "library": ("Three neighbourhood libraries planned", [
        "The city will build three neighbourhood libraries in the old town, the first of which should open next "
        "summer with a reading room for children.",
        "Residents welcomed the plan, saying pupils finally get a quiet place to study after school."]),
    "gare": ("Le conseil approuve la rénovation de la gare", [
        "Le conseil municipal a approuvé mardi le projet de rénovation de la gare. Les travaux débuteront au "
        "printemps prochain et dureront deux ans.",
        "« C'est une étape importante pour le quartier », a déclaré l'adjointe chargée des transports, très émue."]),
    "eki": ("駅前広場の再整備計画を可決", [
        "市議会は火曜日、駅前広場の再整備計画を賛成多数で可決した。工事は来年春に始まり、完成は二年後の予定だ。",
        "計画には①屋根付きの歩道②自転車置き場③小さな公園が含まれる。髙橋議員は財源の説明が不十分だと指摘した。"]),
    "ferry": ("Ferry service resumes after storm", [
        "The island ferry resumed its timetable on Monday after a storm kept boats in port for four days, stranding "
        "hundreds of travellers.",
        "Operators added two extra crossings to clear the backlog and said fares would not change this winter."]),
    "market": ("Farmers market moves to the square", [
        "The weekly farmers market will move to the cathedral square in March, giving stalls twice the space they "
        "had on the narrow street by the river.",
        "Traders said the move should bring more shoppers, though some worried about parking for their vans."]),
    "musee": ("Le musée rouvre ses portes", [
        "Le musée d'histoire naturelle rouvre samedi après dix-huit mois de travaux, avec une galerie des baleines "
        "entièrement refaite.",
        "Les écoles de la région pourront réserver des visites guidées gratuites jusqu'à la fin de l'année."]),
    "park": ("City park to double in size", [
        "The city park will double in size after the council bought the disused rail yard beside it for a new "
        "meadow, a playground and a pond.",
        "Neighbours said the yard had been an eyesore for twenty years and asked for the works to begin soon."]),
    "cut": ("Tram depot expansion delayed", [
        "The tram depot expansion has been delayed by a year because the soil under the site needs more work than "
        "the surveys showed.",
        "The transport authority said services would not be affected while the engineers redesign the foundations."]),
}


def story_page(key: str, lang: str = "en", meta: str = "") -> str:
    title, paras = STORIES[key]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title}</title></head><body>'
            f"<article><h1>{title}</h1>{body}</article></body></html>")


def test_a_warc_mixing_damage_brotli_and_charsets_balances_and_keeps_what_follows_the_damage(tmp_path):
    """The job on one .warc and its .warc.gz twin (a member per record): mid-file damage (junk, a short
    Content-Length), a br body, a Shift_JIS header on cp932 bytes, an undeclared Latin-1 page, a stray byte in UTF-8,
    an unknown record type and a WARC-Truncated page; plus a JSONL line with a lone surrogate and a directory of
    saved pages."""
    import brotli

    from tests.core.test_warc import http_block, warc_record

    def rec(key, body: bytes, **kw):
        return warc_record(http_block(body, **kw.pop("http", {})), url=f"https://news.example/{key}", **kw)

    records = [
        rec("harbour", story_page("harbour").encode()),
        rec("library", brotli.compress(story_page("library").encode()),
            http={"extra": ["Content-Encoding: br"]}),
        b"garbage left by a crashed writer\r\n",
        rec("eki", story_page("eki", "ja").encode("cp932"), http={"ctype": "text/html; charset=Shift_JIS"}),
        rec("cut", story_page("cut").encode(), clen=len(http_block(story_page("cut").encode())) - 60),
        rec("gare", story_page("gare", "fr").encode("latin-1"), http={"ctype": "text/html"}),
        warc_record(b"custom: 1\r\n", url="https://news.example/x", rec_type="x-custom"),
        rec("ferry", story_page("ferry").replace("</title>", " \u2014 today</title>").encode().replace(
            b"</h1>", b" \x92</h1>"), http={"ctype": "text/html"}),
        rec("market", story_page("market").encode(), extra=["WARC-Truncated: length"]),
    ]
    plain = b"".join(records)
    members = b"".join(gzip.compress(r, mtime=0) for r in records)
    for name, data in (("crawl", plain), ("crawl_members", members)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.warc" if name == "crawl" else folder / f"{name}.warc.gz").write_bytes(data)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "musee.htm").write_bytes(story_page("musee", "fr").encode("latin-1"))
    line = ('{"url": "https://news.example/emoji", "scraped_at": "2026-11-24T07:00:00Z", "html": '
            + '"' + story_page("park").replace('"', '\\"')
            .replace("begin soon.", "begin soon \\ud83d.") + '"}\n')
    (tmp_path / "feed.jsonl").write_text(line, encoding="utf-8")

    for name in ("crawl", "crawl_members"):
        out = str(tmp_path / f"out_{name}")
        report = news_pipeline.run(["--input", str(tmp_path / name / "*"), "--input", str(pages),
                                    "--input", str(tmp_path / "*.jsonl"), "--output", out, "--run_date", DT,
                                    "--quiet"])
        assert report["balanced"], report
        assert report["skipped_by_reason"] == {"unknown_type": 1}
        reasons = report["rejected_by_reason"]
        assert reasons == {"parse:warc_damaged": 2}, reasons
        assert report["truncated_payload_kept"] == 1  # the WARC-Truncated page holds its whole story: published
        rows = pq.read_table(os.path.join(out, "articles", f"dt={DT}")).to_pylist()
        by_url = {r["url"]: r for r in rows}
        for key in ("harbour", "library", "eki", "gare", "ferry"):  # before and after the damage
            assert STORIES[key][1][1] in by_url[f"https://news.example/{key}"]["text"], key
        assert "https://news.example/cut" not in by_url
        assert STORIES["market"][1][1] in by_url["https://news.example/market"]["text"]
        assert "begin soon \ufffd." in by_url["https://news.example/emoji"]["text"]
        assert any(STORIES["musee"][1][1] in r["text"] for r in rows)  # the saved Latin-1 page in the directory
        # the archive: 5 pages, 2 damaged spans, the truncated page (the unknown record is a skip); the page, the line
        assert report["records_read"] == 8 + 1 + 1
        rejected = pq.read_table(os.path.join(out, "rejected")).to_pylist()
        details = {r["reason"]: r["detail"] for r in rejected}
        assert "skipped" in details["warc_damaged"]


def test_a_warc_of_html_resource_records_is_read_as_pages_and_the_report_sums(tmp_path):
    """A WARC as wget --warc-file or a browser archiver writes saved pages (warcio's writer): HTML resource records
    are pages (URL from WARC-Target-URI, scraped_at from WARC-Date, charset from the WARC Content-Type); an image
    resource and the warcinfo record are skips. Every record of the file is an article, a duplicate, a rejection or
    a skip, and the report says so."""
    from warcio.archiveiterator import ArchiveIterator

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("saved.warc.gz", {"software": "browser archiver"}))

    def resource(url, ctype, payload):
        writer.write_record(writer.create_warc_record(url, "resource", payload=io.BytesIO(payload),
                                                      warc_content_type=ctype,
                                                      warc_headers_dict={"WARC-Date": "2026-11-24T05:10:00Z"}))

    resource("https://news.example/gare", "text/html; charset=iso-8859-1", story_page("gare", "fr").encode("latin-1"))
    resource("https://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n....")
    resource("https://news.example/harbour", "text/html", story_page("harbour").encode())
    resource("https://mirror.example/harbour", "text/html", story_page("harbour").encode())  # an exact copy
    resource("https://news.example/empty", "text/html", b"<html><body></body></html>")
    path = tmp_path / "saved.warc.gz"
    path.write_bytes(buf.getvalue())
    records_in_file = sum(1 for _ in ArchiveIterator(io.BytesIO(buf.getvalue())))

    out = str(tmp_path / "out")
    report = news_pipeline.run(["--input", str(path), "--output", out, "--run_date", DT, "--quiet"])
    assert report["skipped_by_reason"] == {"not_response": 1, "resource": 1}  # warcinfo, the image
    assert (report["records_read"], report["articles_written"], report["duplicates"], report["rejected"]) == (4, 2, 1, 1)
    assert report["balanced"]
    assert records_in_file == 6 == report["records_read"] + sum(report["skipped_by_reason"].values())
    rows = pq.read_table(os.path.join(out, "articles", f"dt={DT}")).to_pylist()
    gare = next(r for r in rows if r["url"] == "https://news.example/gare")
    assert STORIES["gare"][1][0] in gare["text"]  # accents read with the declared Latin-1
    assert gare["scraped_at"].isoformat().startswith("2026-11-24T05:10")


def test_local_pages_in_a_warc_keep_their_file_urls_and_the_report_sums(tmp_path):
    """wget --warc-file or a browser archiver capturing local pages writes WARC-Target-URI file:///...: the pages are
    published under those URLs (their identity in the archive); a scheme that is neither http(s) nor file is still
    a schema:url rejection. Every record is accounted for."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, payload in [("file:///home/ana/site/gare.html", story_page("gare", "fr").encode()),
                         ("file://nas/share/harbour.html", story_page("harbour").encode()),
                         ("gopher://old.example/harbour", story_page("harbour").encode())]:
        writer.write_record(writer.create_warc_record(url, "resource", payload=io.BytesIO(payload),
                                                      warc_content_type="text/html",
                                                      warc_headers_dict={"WARC-Date": "2026-11-24T05:10:00Z"}))
    path = tmp_path / "local.warc.gz"
    path.write_bytes(buf.getvalue())
    out = str(tmp_path / "out")
    report = news_pipeline.run(["--input", str(path), "--output", out, "--run_date", DT, "--quiet"])
    assert (report["records_read"], report["articles_written"], report["rejected"]) == (3, 2, 1) and report["balanced"]
    rows = pq.read_table(os.path.join(out, "articles", f"dt={DT}")).to_pylist()
    assert sorted(r["url"] for r in rows) == ["file:///home/ana/site/gare.html", "file://nas/share/harbour.html"]
    assert [r["reason"] for r in pq.read_table(os.path.join(out, "rejected")).to_pylist()] == ["schema:url"]


def test_double_encoded_utf8_in_jsonl_is_repaired_and_latin1_text_is_not_touched(tmp_path):
    """A scraper that decoded pages twice ('CafÃ© dÃ©jÃ\xa0 vu': à is C3 A0, a no-break space as cp1252 reads A0;
    'â€™'): the job publishes the text as it was written; a Portuguese page with a right 'Ã' and a French one with
    'â' keep their text."""
    mended = ("Le CafÃ© dÃ©jÃ\xa0 vu rouvre ses portes aprÃ¨s deux ans de travaux, a annoncÃ© la mairie mardi.",
              "Le Café déjà vu rouvre ses portes après deux ans de travaux, a annoncé la mairie mardi.")
    quote = ("The councilâ€™s vote on the harbour bridge was delayed again on Tuesday, officials said.",
             "The council\u2019s vote on the harbour bridge was delayed again on Tuesday, officials said.")
    portuguese = "SÃO PAULO — A prefeitura anunciou nesta terça-feira a reabertura do Mercado Municipal à noite."
    french = "Le château de la ville sera restauré l'an prochain, a précisé le maire lors du conseil."
    # the html page decoded twice whole (its footer's © too); the French one is right as it is
    twice = page("Story 1", [quote[1]]).encode("utf-8").decode("cp1252")
    assert quote[0] in twice and "Â© 2026" in twice
    write_jsonl(tmp_path / "feed.jsonl", [
        {"url": f"https://news.example/{i}", "scraped_at": "2026-11-24T07:00:00Z", "title": f"Story {i}", **body}
        for i, body in enumerate([{"text": mended[0]}, {"html": twice}, {"text": portuguese},
                                  {"html": page("Story 3", [french])}])])
    out = str(tmp_path / "out")
    report = news_pipeline.run(["--input", str(tmp_path / "feed.jsonl"), "--output", out, "--run_date", DT, "--quiet"])
    assert report["balanced"] and report["articles_written"] == 4, report
    rows = pq.read_table(os.path.join(out, "articles", f"dt={DT}")).to_pylist()
    text = {r["url"]: r["text"] for r in rows}
    assert text["https://news.example/0"] == mended[1]
    assert quote[1] in text["https://news.example/1"]  # an html body
    assert text["https://news.example/2"] == portuguese
    assert french in text["https://news.example/3"]
