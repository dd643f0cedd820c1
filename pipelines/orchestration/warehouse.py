"""The embedded warehouse: a DuckDB file with an `articles` table over the published partitions. Loading a date
replaces that date in one transaction (DELETE WHERE dt, then INSERT), so reloading never doubles a row."""
from __future__ import annotations

import json
import os

from pipelines.orchestration import ddl
from pipelines.orchestration.publication import is_published, read_manifest
from pipelines.orchestration.validate import table_files

TOPICS_BY_DAY = """CREATE OR REPLACE VIEW topics_by_day AS
SELECT dt, topic, count(*) AS articles
FROM articles GROUP BY dt, topic"""
LOADS = """CREATE TABLE IF NOT EXISTS loads (
    dt DATE PRIMARY KEY, rows BIGINT NOT NULL, run_id VARCHAR, taxonomy_version VARCHAR)"""


class NotPublished(RuntimeError):
    """The date has no _SUCCESS marker: it was never published, or its publication is in progress."""


class WarehouseSchemaOutdated(RuntimeError):
    """The DuckDB file's articles table has other columns than schemas/articles.py (the schema evolved)."""


class LoadMismatch(RuntimeError):
    """The rows inserted differ from the rows the manifest lists; the load was rolled back."""


def connect(db_path: str):
    import duckdb

    os.makedirs(os.path.dirname(os.path.abspath(db_path)), exist_ok=True)
    from schemas.articles import ARTICLES_TABLE

    con = duckdb.connect(db_path)
    con.execute(ddl.duckdb())
    columns = [row[0] for row in con.execute("DESCRIBE articles").fetchall()]
    if columns != ARTICLES_TABLE.names:
        con.close()
        raise WarehouseSchemaOutdated(
            f"{db_path}: articles has columns {columns}, the schema has {ARTICLES_TABLE.names}; move the file "
            "away and reload the dates (news_retag or load_warehouse per date) to rebuild it")
    con.execute(LOADS)
    con.execute(TOPICS_BY_DAY)
    return con


def load_date(db_path: str, output: str, dt: str) -> int:
    """Replaces dt in the warehouse with what is published for it; returns the rows it now holds for dt. Holds dt's
    publication lock (a publish that died half way is finished first), so it loads one whole publication."""
    from pipelines.core.publish import settled

    with settled(output, dt):
        return _load(db_path, output, dt)


def _load(db_path: str, output: str, dt: str) -> int:
    from schemas.articles import ARTICLES

    if not is_published(output, dt):
        raise NotPublished(f"dt={dt} under {output} carries no _SUCCESS marker; not loading it")
    manifest = read_manifest(output, dt)
    files = table_files(output, "articles", dt)
    cols = ", ".join(f'"{n}"' for n in ARTICLES.names)
    con = connect(db_path)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM articles WHERE dt = CAST(? AS DATE)", [dt])
        if files:
            con.execute(
                f"INSERT INTO articles ({cols}, dt, topic) SELECT {cols}, CAST(? AS DATE), topic "
                "FROM read_parquet(?, hive_partitioning = true, hive_types = {'topic': VARCHAR})",
                [dt, files],
            )
        rows = con.execute("SELECT count(*) FROM articles WHERE dt = CAST(? AS DATE)", [dt]).fetchone()[0]
        expected = manifest["tables"]["articles"]["rows"]
        if rows != expected:
            con.execute("ROLLBACK")
            raise LoadMismatch(f"dt={dt}: inserted {rows} rows, the manifest lists {expected}")
        con.execute("DELETE FROM loads WHERE dt = CAST(? AS DATE)", [dt])
        con.execute("INSERT INTO loads VALUES (CAST(? AS DATE), ?, ?, ?)",
                    [dt, rows, manifest.get("run_id"), (manifest.get("versions") or {}).get("taxonomy_version")])
        con.execute("COMMIT")
        return rows
    finally:
        con.close()


def counts_by_partition(db_path: str) -> dict[tuple[str, str], int]:
    """(dt, topic) -> rows, for checks and tests."""
    import duckdb

    con = duckdb.connect(db_path, read_only=True)
    try:
        return {(str(dt), topic): n for dt, topic, n in
                con.execute("SELECT dt, topic, count(*) FROM articles GROUP BY ALL").fetchall()}
    finally:
        con.close()


def describe(db_path: str) -> str:
    return json.dumps({f"{k[0]}/{k[1]}": v for k, v in sorted(counts_by_partition(db_path).items())}, indent=1)
