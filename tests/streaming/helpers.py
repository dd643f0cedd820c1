"""Shared bits for the streaming tests: raw JSONL records with chosen scrape times, and output readers."""
import glob
import json
import os
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.dataset as ds

from pipelines.core.records import RawInput
from pipelines.stream_options import parse_args

T0 = datetime(2026, 11, 24, tzinfo=timezone.utc).timestamp()
HIVE = ds.partitioning(pa.schema([("dt", pa.string()), ("topic", pa.string())]), flavor="hive")

BODIES = {
    "steel": "The government announced new tariffs on imported steel on Monday, saying cheap shipments had hurt "
             "local mills.\n\nTrade negotiators from both sides will meet next week in Geneva to discuss the duties.",
    "chips": "A chipmaker in Taiwan said it would build a second foundry in Arizona.\n\nIt cited strong demand for "
             "advanced processors from cloud companies and carmakers alike.",
    "rain": "Heavy rain flooded several districts of the capital overnight.\n\nThe weather service warned that "
            "rivers could rise further before the weekend as another storm approaches.",
    "coach": "The national football team named a new coach on Thursday after a disappointing tournament.\n\nHe "
             "promised younger players more time on the pitch in the qualifiers next spring.",
}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record(name: str, scraped: float, url: str | None = None) -> dict:
    return {"url": url or f"https://news.example.com/{name}", "scraped_at": iso(scraped), "title": f"About {name}",
            "text": BODIES[name], "source": "Example"}


def raw(rec: dict, ref: str) -> dict:
    data = json.dumps(rec).encode()
    return {"_raw": RawInput(ref, "jsonl", data, len(data))}


def stream_args(output, *extra):
    args, _ = parse_args(["--watch", "unused/*.jsonl", "--output", str(output), *extra])
    return args


def table(output, name):
    folder = os.path.join(str(output), name)
    if not glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True):
        return None
    part = HIVE if name == "articles" else "hive"
    return ds.dataset(folder, format="parquet", partitioning=part, ignore_prefixes=[".", "_"]).to_table()


def article_ids_once(output) -> list[str]:
    """article_id of every article row counted once (the README's primary-topic rule)."""
    t = table(output, "articles")
    if t is None:
        return []
    rows = t.select(["article_id", "primary_topic", "topic"]).to_pylist()
    return [r["article_id"] for r in rows if r["topic"] == (r["primary_topic"] or "untagged")]


def news_page(title: str, body: str) -> str:
    """A saved news page around one of BODIES: navigation and footer the extractor must drop."""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!doctype html><html lang='en'><head><title>{title} | Daily Example</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{title}</h1>{paras}</article>"
            f"<footer>Copyright Daily Example.</footer></body></html>")


def write_warc(path, scraped_at: str, cut_tail: bool = True) -> dict:
    """A gzip-per-record WARC as a crawler writes it: a warcinfo record, then per page a request and its response
    (HTML 200 pages, one an exact copy under another URL, fetched 30 s later), a 404, an image, and a last page
    cut short when cut_tail. Returns what the reader must make of it: pages, skips by reason, whether one is cut."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    dated = {"WARC-Date": scraped_at}

    later = {"WARC-Date": iso(datetime.fromisoformat(scraped_at.replace("Z", "+00:00")).timestamp() + 30)}

    def response(url, status, ctype, payload, headers=dated):
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                      http_headers=http, warc_headers_dict=headers))

    def request(url):
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                                      warc_headers_dict=dated))

    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
    pages = [("steel", "https://news.example.com/steel"), ("chips", "https://news.example.com/chips"),
             ("rain", "https://news.example.com/rain"), ("steel", "https://mirror.example.org/steel-copy")]
    for i, (name, url) in enumerate(pages):
        request(url)
        response(url, "200 OK", "text/html; charset=utf-8", news_page(f"About {name}", BODIES[name]).encode(),
                 later if i == len(pages) - 1 else dated)
    response("https://news.example.com/gone", "404 Not Found", "text/html", b"<html>gone</html>")
    response("https://news.example.com/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n....")
    data = buf.getvalue()
    if cut_tail:
        before = len(data)
        response("https://news.example.com/coach", "200 OK", "text/html", news_page("About coach", BODIES["coach"]).encode())
        data = buf.getvalue()
        data = data[: before + (len(data) - before) // 2]
    with open(path, "wb") as f:
        f.write(data)
    return {"pages": [url for _, url in pages], "skipped": {"not_response": 1 + len(pages), "http_status_404": 1,
                                                            "not_html": 1}, "cut": cut_tail}
