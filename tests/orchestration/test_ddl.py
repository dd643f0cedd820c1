"""Warehouse DDL: the committed files are what the generator makes from schemas/, and their column lists parse
back to the schema's columns (names, order, types)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import duckdb
import pytest

from pipelines.orchestration import ddl
from schemas.articles import ARTICLES, ARTICLES_TABLE

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DDL_DIR = os.path.join(REPO, "warehouse", "ddl")
ALL_COLUMNS = ARTICLES_TABLE.names  # data columns, then dt, topic


@pytest.mark.parametrize("name", sorted(ddl.generate_all()))
def test_committed_ddl_matches_a_fresh_generation(name):
    with open(os.path.join(DDL_DIR, name), encoding="utf-8") as f:
        assert f.read() == ddl.generate_all()[name], f"{name} is stale: run python scripts/generate_ddl.py"


def test_the_script_check_mode_agrees():
    proc = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "generate_ddl.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _statement(text: str, starts: str) -> str:
    start = text.index(starts)
    return text[start:text.index(";", start)]


def _column_block(statement: str) -> list[tuple[str, str]]:
    """(name, type) for each line of the first parenthesised column list of a CREATE statement."""
    body = statement[statement.index("(\n") + 2:]
    cols, depth, line = [], 0, ""
    for ch in body:
        if ch == ")" and depth == 0:
            break
        depth += ch in "(<"
        depth -= ch in ")>"
        if ch == "," and depth == 0:
            cols.append(line)
            line = ""
        else:
            line += ch
    cols.append(line)
    out = []
    for col in cols:
        m = re.match(r'\s*[`"]?(\w+)[`"]?\s+(.+?)\s*$', col, re.S)
        out.append((m.group(1), m.group(2)))
    return out


def test_duckdb_ddl_creates_the_table_of_the_schema():
    con = duckdb.connect()
    con.execute(ddl.duckdb())
    described = con.execute("DESCRIBE articles").fetchall()
    assert [r[0] for r in described] == ALL_COLUMNS
    nullable = {r[0]: r[2] == "YES" for r in described}
    assert nullable == {f.name: f.nullable for f in ARTICLES_TABLE}


def test_bigquery_columns_and_partition_columns_parse_back():
    text = ddl.bigquery()
    cols = _column_block(_statement(text, "CREATE OR REPLACE EXTERNAL TABLE"))
    assert cols == [(f.name, ddl.sql_type(f.type, "bigquery")) for f in ARTICLES]
    parts = _column_block("x (\n" + text[text.index("WITH PARTITION COLUMNS (\n") + 25:])
    assert [n for n, _ in parts] == ["dt", "topic"] and parts[0][1] == "DATE"
    assert "require_hive_partition_filter = true" in text and "hive_partition_uri_prefix" in text


def test_snowflake_external_table_and_copy_cover_every_column():
    text = ddl.snowflake()
    external = _column_block(_statement(text, "CREATE OR REPLACE EXTERNAL TABLE"))
    assert [n.lower() for n, _ in external] == ["dt", "topic"] + ARTICLES.names
    for name, expr in external[2:]:
        assert f'VALUE:"{name.lower()}"::' in expr
    native = _column_block(_statement(text, "CREATE TABLE IF NOT EXISTS"))
    assert [n.lower() for n, _ in native] == ALL_COLUMNS + ["_source_file", "_source_row"]
    copy = _statement(text, "COPY INTO")
    assert [m.lower() for m in re.findall(r'\$1:"(\w+)"', copy)] == ARTICLES.names
    assert "METADATA$FILENAME" in copy and "METADATA$FILE_ROW_NUMBER" in copy


def test_spark_table_is_partitioned_parquet_over_the_schema():
    text = ddl.spark()
    cols = _column_block(_statement(text, "CREATE TABLE"))
    assert cols == [(f.name, ddl.sql_type(f.type, "spark")) for f in ARTICLES_TABLE]
    assert "USING parquet" in text and "PARTITIONED BY (`dt`, `topic`)" in text


def test_an_unknown_arrow_type_is_refused():
    import pyarrow as pa

    with pytest.raises(ValueError):
        ddl.sql_type(pa.float16(), "bigquery")
