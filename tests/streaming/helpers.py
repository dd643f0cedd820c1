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
