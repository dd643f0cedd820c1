"""The batch job and the streaming graph write the same article rows for the same input.

Compared: every ARTICLES column plus the dt and topic partitions, ignoring file names and row order; and the
duplicates ledger. Once exact-dedup only, once with near-duplicates (planted edited copies). The input's copies are
scraped after their originals and appear after them in the file, so "first to land" (streaming) and "earliest
scraped_at, then smallest article_id" (batch) pick the same survivors.
"""
import json

import pyarrow.compute as pc

from bench.synth import write_jsonl
from pipelines import news_pipeline, streaming
from schemas.articles import ARTICLES
from tests.streaming.helpers import table

DT = "2026-11-24"


def rows(out, name, columns):
    t = table(out, name)
    if "dt" in t.column_names:
        t = t.set_column(t.column_names.index("dt"), "dt", pc.cast(t.column("dt"), "string"))
    return sorted(t.select(columns).to_pylist(), key=lambda r: tuple(str(r[c]) for c in columns))


def test_batch_and_stream_write_the_same_rows(tmp_path):
    src = tmp_path / "in" / "synth.jsonl"
    write_jsonl(src, 150, seed=5, dup_rate=0.2)
    batch_out, stream_out = tmp_path / "batch", tmp_path / "stream"
    news_pipeline.run(["--input", str(src), "--output", str(batch_out), "--run_date", DT, "--quiet", "--no_near_dup"])
    assert streaming.main(["--watch", str(src), "--once", "--output", str(stream_out), "--no_near_dup"]) == 0

    columns = ARTICLES.names + ["dt", "topic"]
    batch_rows, stream_rows = rows(batch_out, "articles", columns), rows(stream_out, "articles", columns)
    assert len(batch_rows) > 100
    assert stream_rows == batch_rows
    ledger = ["article_id", "duplicate_of", "rule", "input_ref", "dt"]
    assert rows(stream_out, "duplicates", ledger) == rows(batch_out, "duplicates", ledger)


def with_near_copies(path, n):
    """Synthetic records, each tenth followed by an edited copy under another site's URL, scraped 30 s later."""
    from bench.synth import generate_records

    with open(path, "w", encoding="utf-8") as f:
        for i, r in enumerate(generate_records(n, seed=5, dup_rate=0.1)):
            f.write(json.dumps(r) + "\n")
            if i % 10 == 3:
                paras = r["text"].split("\n\n")
                paras[len(paras) // 2] += " Officials declined to comment any further on Tuesday."
                copy = dict(r, url=f"https://mirror{i}.example.org/s/{i}", text="\n\n".join(paras),
                            scraped_at=r["scraped_at"][:17] + "59.5Z")
                f.write(json.dumps(copy) + "\n")


def test_batch_and_stream_agree_on_near_duplicates(tmp_path):
    src = tmp_path / "in" / "near.jsonl"
    src.parent.mkdir()
    with_near_copies(src, 200)
    batch_out, stream_out = tmp_path / "batch", tmp_path / "stream"
    news_pipeline.run(["--input", str(src), "--output", str(batch_out), "--run_date", DT, "--quiet"])
    assert streaming.main(["--watch", str(src), "--once", "--output", str(stream_out)]) == 0

    ledger = ["article_id", "duplicate_of", "rule", "similarity", "input_ref", "dt"]
    batch_dups = rows(batch_out, "duplicates", ledger)
    assert sum(r["rule"].startswith("near_dup") for r in batch_dups) >= 3, "the planted near-copies were not found"
    assert rows(stream_out, "duplicates", ledger) == batch_dups
    columns = ARTICLES.names + ["dt", "topic"]
    assert rows(stream_out, "articles", columns) == rows(batch_out, "articles", columns)


def test_batch_and_stream_read_warc_and_html_alike(tmp_path):
    """A WARC (pages, an exact copy, requests, a 404, an image, a cut tail) and a saved .html page: the same
    article rows, ledger, rejections and skip counts. A .html page has no scrape time of its own: batch gives it the
    run date, streaming its landing time, so its id, scraped_at and dt differ and are left out of its comparison."""
    from pipelines.core import stream_report
    from tests.streaming.helpers import BODIES, news_page, write_warc

    landing = tmp_path / "in"
    landing.mkdir()
    write_warc(landing / "crawl.warc.gz", f"{DT}T06:30:00Z")
    (landing / "saved.html").write_text(news_page("About coach", BODIES["coach"]))
    inputs = [str(landing / "*.warc.gz"), str(landing / "*.html")]
    batch_out, stream_out = tmp_path / "batch", tmp_path / "stream"
    report = news_pipeline.run(["--input", inputs[0], "--input", inputs[1], "--output", str(batch_out),
                                "--run_date", DT, "--quiet", "--no_near_dup"])
    assert streaming.main(["--watch", inputs[0], "--watch", inputs[1], "--once", "--output", str(stream_out),
                           "--no_near_dup"]) == 0

    columns = ARTICLES.names + ["dt", "topic"]
    batch_rows, stream_rows = rows(batch_out, "articles", columns), rows(stream_out, "articles", columns)
    from_warc = [[r for r in found if "@" in r["input_ref"]] for found in (batch_rows, stream_rows)]
    assert len(from_warc[0]) >= 3 and from_warc[1] == from_warc[0]
    undated = set(columns) - {"article_id", "scraped_at", "dt"}
    from_html = [[{k: v for k, v in r.items() if k in undated} for r in found if r["input_ref"].endswith(".html")]
                 for found in (batch_rows, stream_rows)]
    assert len(from_html[0]) >= 1 and from_html[1] == from_html[0]
    ledger = ["article_id", "duplicate_of", "rule", "input_ref", "dt"]
    assert rows(stream_out, "duplicates", ledger) == rows(batch_out, "duplicates", ledger)
    dead = ["input_ref", "stage", "reason"]
    assert rows(stream_out, "rejected", dead) == rows(batch_out, "rejected", dead)
    total = stream_report.total(stream_report.read_reports(str(stream_out)))
    assert report["skipped_by_reason"] and total["skipped_by_reason"] == report["skipped_by_reason"]
    assert total["records_read"] == report["records_read"]
