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
