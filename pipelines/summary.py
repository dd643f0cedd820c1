"""The short human summary printed after a run: counts, where the files are, and one DuckDB query over them."""
from __future__ import annotations

import os


def print_summary(report: dict, output: str) -> None:
    dt = report["dt"]
    print(f"\nnewsflow {report['pipeline_version']} · run {dt} · taxonomy {report['taxonomy_version']}"
          f" · cleaning {report['cleaning_version']}")
    print(f"  read       {report['records_read']:>7} records from {len(report['inputs'])} files")
    if report.get("skipped_by_reason"):
        print(f"  skipped    {sum(report['skipped_by_reason'].values()):>7}  {_fmt(report['skipped_by_reason'])} (WARC records that are not pages)")
    print(f"  written    {report['articles_written']:>7} articles")
    print(f"  duplicates {report['duplicates']:>7}  {_fmt(report['duplicates_by_rule'])}")
    print(f"  rejected   {report['rejected']:>7}  {_fmt(report['rejected_by_reason'])}")
    print(f"  sum holds  {report['balanced']}")
    print("  articles per topic partition (an article is in every topic it has):")
    for topic, n in sorted(report["rows_per_topic_partition"].items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"    {topic:<26}{n:>6}")
    print(f"  files:   {os.path.join(output, 'articles', f'dt={dt}')}/topic=*/*.parquet")
    print(f"  ledger:  {os.path.join(output, 'duplicates', f'dt={dt}')}   rejected: {os.path.join(output, 'rejected', f'dt={dt}')}")
    print(f"  report:  {os.path.join(output, 'reports', f'dt={dt}', 'report.json')}")
    _duckdb_query(output)


def _fmt(counts: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items())


def _duckdb_query(output: str) -> None:
    try:
        import duckdb
    except ImportError:
        return
    glob = os.path.join(output, "articles", "**", "*.parquet")
    sql = (
        f"SELECT dt, count(*) AS articles, count(*) FILTER (WHERE list_contains(topics, 'rare-earths')) AS rare_earths,"
        f" count(*) FILTER (WHERE list_contains(topics, 'semiconductors')) AS semiconductors"
        f" FROM read_parquet('{glob}', hive_partitioning = true)"
        f" WHERE topic = coalesce(primary_topic, 'untagged') GROUP BY dt ORDER BY dt"
    )
    print("\n  DuckDB, over every published date (each article counted once via its primary topic):")
    print("    " + sql)
    con = duckdb.connect()
    rows = con.execute(sql).fetchall()
    print(f"    {'dt':<12}{'articles':>9}{'rare-earths':>13}{'semiconductors':>16}")
    for dt, n, re_, semi in rows:
        print(f"    {str(dt):<12}{n:>9}{re_:>13}{semi:>16}")
