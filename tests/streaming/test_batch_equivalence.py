"""The batch job and the streaming graph write the same article rows for the same input.

Compared: every ARTICLES column plus the dt and topic partitions, ignoring file names and row order. Both runs are
exact-dedup only (--no_near_dup): the streaming job has no near-duplicate stage. The input's copies are scraped after
their originals and appear after them in the file, so "first seen" (streaming) and "earliest scraped_at, then smallest
article_id" (batch) pick the same survivors; the duplicates ledger is compared the same way.
"""
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
