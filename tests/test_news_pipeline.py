"""End-to-end runs of the batch job on the DirectRunner, read back with pyarrow and DuckDB."""
import glob
import json
import os

import duckdb
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import yaml

from pipelines import news_pipeline
from pipelines.core.cleaning import load_rules
from pipelines.core.extraction.html import RULES_PATH as EXTRACTION_RULES_PATH
from schemas.articles import ARTICLES, DUPLICATES, REJECTED
from tests.conftest import REPO, write_jsonl

DT = "2026-11-24"
TS = "2026-11-24T08:00:00Z"


BODIES = {
    1: "The government announced new tariffs on imported steel on Monday, saying cheap shipments had hurt local mills. "
       "Trade negotiators from both sides will meet next week in Geneva to discuss the duties.",
    2: "A chipmaker in Taiwan said it would build a second foundry in Arizona. It cited strong demand for advanced "
       "processors from cloud companies and carmakers alike.",
    3: "Heavy rain flooded several districts of the capital overnight. The weather service warned that rivers "
       "could rise further before the weekend as another storm approaches.",
    4: "The national football team named a new coach on Thursday after a disappointing tournament. He promised younger "
       "players more time on the pitch in the qualifiers next spring.",
}


def story(n):
    first, second = BODIES[n].split(". ", 1)
    return f"{first}.\n\n{second}\n\nad-image\n\nOpinion\n\nView All"


def good(n, url=None, ts=TS, **kw):
    return {"url": url or f"https://news.example.com/{n}", "scraped_at": ts, "title": f"Headline {n}",
            "text": story(n), "source": "Example", **kw}


@pytest.fixture
def messy_input(tmp_path):
    """Four good stories, two copies of them, and one of every kind of bad record."""
    records = [
        good(1), good(2), good(3), good(4, published_at="2026-11-23"),
        good(1, url="https://www.news.example.com/1/?utm_source=x#top", ts="2026-11-24T09:00:00Z"),  # URL copy
        good(2, url="https://syndicator.example.org/copy-of-2", ts="2026-11-24T10:00:00Z"),  # content copy
        b'{"url": "https://e.com/broken", "scraped_at": ',  # malformed JSON
        {"scraped_at": TS, "text": "no url"},  # missing field
        {"url": "https://e.com/t", "scraped_at": 1234, "text": "x"},  # wrongly typed field
        b'{"url": "https://e.com/u", "scraped_at": "2026-11-24T08:00:00Z", "text": "bad \xc3\x28 bytes"}',  # bad UTF-8
        {"url": "https://e.com/e", "scraped_at": TS, "text": ""},  # empty body
        {"url": "https://e.com/j", "scraped_at": TS, "text": "ad-image\n\nView All\n"},  # only junk
        {"url": "https://e.com/big", "scraped_at": TS, "text": "word " * 3000},  # over the size limit
        {"url": "https://e.com/d", "scraped_at": "24/11/2026 08:00", "text": "x"},  # date that does not parse
        [1, 2, 3],  # not an object
    ]
    write_jsonl(tmp_path / "in.jsonl", records)
    return tmp_path


def run(tmp_path, *extra):
    return news_pipeline.run([
        "--input", str(tmp_path / "*.jsonl"), "--output", str(tmp_path / "out"), "--run_date", DT,
        "--max_record_bytes", "10000", "--quiet", *extra,
    ])


HIVE = ds.partitioning(pa.schema([("dt", pa.string()), ("topic", pa.string())]), flavor="hive")


def articles(out):
    return pq.read_table(os.path.join(out, "articles"), partitioning=HIVE)


def test_every_record_is_accounted_for(messy_input):
    report = run(messy_input)
    assert report["records_read"] == 15
    assert (report["articles_written"], report["duplicates"], report["rejected"]) == (4, 2, 9)
    assert report["balanced"] and report["problems"] == []
    assert report["rejected_by_reason"] == {
        "clean:empty_body": 1, "parse:bad_timestamp": 1, "parse:empty_body": 1, "parse:invalid_json": 1,
        "parse:invalid_utf8": 1, "parse:not_an_object": 1, "parse:schema:scraped_at": 1, "parse:schema:url": 1,
        "parse:too_large": 1,
    }
    assert report["duplicates_by_rule"] == {"exact_content": 1, "exact_url": 1}
    on_disk = json.load(open(messy_input / "out" / "reports" / f"dt={DT}" / "report.json"))
    assert on_disk["records_read"] == 15 and on_disk["balanced"] is True
    # Every rule set that shapes the rows is named in the report, the extractor's included.
    extraction_version = str(yaml.safe_load(EXTRACTION_RULES_PATH.read_text(encoding="utf-8"))["version"])
    assert (on_disk["cleaning_version"], on_disk["extraction_version"]) == (load_rules().version, extraction_version)


def test_output_reads_back_with_pyarrow_and_duckdb_and_matches_the_schema(messy_input):
    run(messy_input)
    out = str(messy_input / "out")
    for path in glob.glob(f"{out}/articles/**/*.parquet", recursive=True):
        assert pq.read_schema(path).remove_metadata().equals(ARTICLES.remove_metadata())
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    for path in glob.glob(f"{out}/duplicates/**/*.parquet", recursive=True):
        assert pq.read_schema(path).remove_metadata().equals(DUPLICATES.remove_metadata())
    for path in glob.glob(f"{out}/rejected/**/*.parquet", recursive=True):
        assert pq.read_schema(path).remove_metadata().equals(REJECTED.remove_metadata())

    con = duckdb.connect()
    rows = con.execute(
        f"SELECT dt, topic, article_id, url, title, primary_topic, taxonomy_version, cleaning_version "
        f"FROM read_parquet('{out}/articles/**/*.parquet', hive_partitioning = true) "
        f"WHERE topic = coalesce(primary_topic, 'untagged') ORDER BY url"
    ).fetchall()
    assert [r[3] for r in rows] == [f"https://news.example.com/{n}" for n in (1, 2, 3, 4)]
    assert {str(r[0]) for r in rows} == {DT}
    assert all(r[4].startswith("Headline") and r[7] == load_rules().version for r in rows)

    table = articles(out).to_pandas()
    firsts = table[table["topic"] == table["primary_topic"].fillna("untagged")]
    assert sorted(firsts["url"]) == [f"https://news.example.com/{n}" for n in (1, 2, 3, 4)]
    for text in firsts["text"]:
        assert "ad-image" not in text and "View All" not in text and "\n\n" in text

    ledger = pq.read_table(f"{out}/duplicates").to_pylist()
    ids = dict(zip(firsts["url"], firsts["article_id"]))
    by_url = {r["url"]: r for r in ledger}
    assert by_url["https://www.news.example.com/1/?utm_source=x#top"]["duplicate_of"] == ids["https://news.example.com/1"]
    assert by_url["https://syndicator.example.org/copy-of-2"]["duplicate_of"] == ids["https://news.example.com/2"]

    rejected = pq.read_table(f"{out}/rejected").to_pylist()
    assert all(r["raw"] and r["stage"] and r["reason"] for r in rejected)
    big = next(r for r in rejected if r["reason"] == "too_large")
    assert big["raw_size"] > 10000 and big["raw"].startswith(b'{"url": "https://e.com/big"')


def test_rerun_replaces_the_date_with_identical_rows_and_no_stale_files(messy_input):
    run(messy_input)
    out = str(messy_input / "out")
    first = articles(out).sort_by([("article_id", "ascending"), ("topic", "ascending")])
    stale = os.path.join(out, "articles", f"dt={DT}", "topic=stale", "part-old.parquet")
    os.makedirs(os.path.dirname(stale))
    pq.write_table(first.slice(0, 1).drop_columns(["dt", "topic"]), stale)
    run(messy_input)
    second = articles(out).sort_by([("article_id", "ascending"), ("topic", "ascending")])
    assert not os.path.exists(stale)
    assert second.equals(first)
    assert not os.path.exists(os.path.join(out, "_staging", f"dt={DT}")) or not os.listdir(os.path.join(out, "_staging", f"dt={DT}"))


def test_a_run_that_fails_midway_leaves_the_previous_publication_intact(messy_input, monkeypatch):
    run(messy_input)
    out = str(messy_input / "out")
    before = articles(out).num_rows
    report_before = open(os.path.join(out, "reports", f"dt={DT}", "report.json")).read()

    from pipelines.io import parquet_writer

    def boom(self, shard_path, *side_inputs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(parquet_writer._FinalizeShardFn, "process", boom)
    with pytest.raises(Exception, match="disk on fire"):
        run(messy_input)
    assert articles(out).num_rows == before
    assert open(os.path.join(out, "reports", f"dt={DT}", "report.json")).read() == report_before


def test_a_run_whose_sum_does_not_hold_is_not_published(messy_input, monkeypatch):
    from pipelines.core import report as report_mod

    real = report_mod.build_report

    def short_by_one(*args, **kwargs):
        r = real(*args, **kwargs)
        r["records_read"] += 1
        r["balanced"] = False
        return r

    monkeypatch.setattr(report_mod, "build_report", short_by_one)
    with pytest.raises(news_pipeline.RunFailed, match="sum does not hold"):
        run(messy_input)
    assert not os.path.exists(messy_input / "out" / "articles" / f"dt={DT}")


def test_unmatched_input_pattern_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="matches no file"):
        news_pipeline.run(["--input", str(tmp_path / "nothing*.jsonl"), "--output", str(tmp_path), "--run_date", DT])


def test_bad_run_date_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        news_pipeline.run(["--input", "x", "--output", str(tmp_path), "--run_date", "24-11-2026"])
    assert "--run_date must be YYYY-MM-DD" in capsys.readouterr().err


def _sorted(table):
    return table.sort_by([("article_id", "ascending"), ("topic", "ascending")])


def test_copies_of_earlier_dates_are_caught_and_reruns_never_see_themselves(messy_input):
    out = str(messy_input / "out")
    run(messy_input)  # 2026-11-24
    day1 = _sorted(articles(out))
    ids = {r["url"]: r["article_id"] for r in day1.to_pylist()}
    day2_dir = messy_input / "day2"
    day2_dir.mkdir()
    ts = "2026-11-25T07:00:00Z"
    cut = BODIES[3].split(". ")[0] + ". The weather service warned that rivers could rise further before the weekend."
    write_jsonl(day2_dir / "in.jsonl", [
        {**good(1), "url": "https://mirror.example.net/steel-tariffs", "scraped_at": ts},  # exact copy of day 1
        {**good(3), "url": "https://mirror.example.net/floods", "scraped_at": ts, "text": cut + "\n\nad-image"},  # near copy
        {"url": "https://news.example.com/new", "scraped_at": ts, "title": "Museum reopens",
         "text": "The city museum reopened after a two-year renovation.\n\nVisitors queued from early morning to see "
                 "the restored galleries and a new wing devoted to local history."},
    ])
    args = ["--input", str(day2_dir / "*.jsonl"), "--output", out, "--run_date", "2026-11-25", "--quiet"]
    report = news_pipeline.run(args)
    assert (report["articles_written"], report["duplicates"]) == (1, 2) and report["balanced"]
    assert report["history"]["index_files"] >= 1
    ledger = {r["url"]: r for r in pq.read_table(f"{out}/duplicates/dt=2026-11-25").to_pylist()}
    assert ledger["https://mirror.example.net/steel-tariffs"]["duplicate_of"] == ids["https://news.example.com/1"]
    assert ledger["https://mirror.example.net/steel-tariffs"]["rule"] == "exact_content"
    assert ledger["https://mirror.example.net/floods"]["duplicate_of"] == ids["https://news.example.com/3"]
    assert ledger["https://mirror.example.net/floods"]["rule"].startswith("near_dup")

    day2 = _sorted(articles(out).filter(pa.compute.equal(articles(out)["dt"], "2026-11-25")))
    run(messy_input)  # rerun of day 1: its own published index is not history, so nothing is dropped against it
    assert _sorted(articles(out).filter(pa.compute.equal(articles(out)["dt"], DT))).equals(day1)
    news_pipeline.run(args)  # rerun of day 2 reproduces its rows
    assert _sorted(articles(out).filter(pa.compute.equal(articles(out)["dt"], "2026-11-25"))).equals(day2)


def test_no_publish_leaves_a_checked_staging_dir_for_the_caller(messy_input):
    from pipelines.core.publish import publish

    out, staging = str(messy_input / "out"), str(messy_input / "stage")
    report = run(messy_input, "--staging_dir", staging, "--no_publish")
    assert report["balanced"] and report["staging"] == staging
    assert not os.path.exists(os.path.join(out, "articles", f"dt={DT}"))
    assert json.load(open(os.path.join(staging, "reports", f"dt={DT}", "report.json")))["articles_written"] == 4
    publish(staging, out, DT)
    assert articles(out).num_rows >= 4 and not os.path.exists(staging)


def test_local_runs_skip_the_prism_download():
    from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

    for argv in ([], ["--runner", "DirectRunner"]):
        opts = news_pipeline.local_runner_without_prism(PipelineOptions(argv))
        assert opts.view_as(StandardOptions).runner == "FnApiRunner"
    other = news_pipeline.local_runner_without_prism(PipelineOptions(["--runner", "DataflowRunner"]))
    assert other.view_as(StandardOptions).runner == "DataflowRunner"


def test_a_rerun_into_the_staging_of_a_publish_that_died_half_way_settles_it_first_and_lands(messy_input, monkeypatch):
    from pipelines.core import publish as publication
    from tests.core.test_publish import Crash, count_calls

    run(messy_input)
    out = str(messy_input / "out")
    first = articles(out).sort_by([("article_id", "ascending"), ("topic", "ascending")])
    staging = str(messy_input / "out" / "_staging" / f"dt={DT}" / "same-run")
    run(messy_input, "--staging_dir", staging, "--no_publish")
    count_calls(monkeypatch, names=("rename",), crash_after=len(publication.TABLES) + 2)  # old out, two new in
    with pytest.raises(Crash):
        publication.publish(staging, out, DT)
    monkeypatch.undo()
    # the same run again (a cleared task): its job must not empty the staging a half-done publish is moving out of
    run(messy_input, "--staging_dir", staging)
    with publication.settled(out, DT) as generation:
        assert generation is not None
    assert articles(out).sort_by([("article_id", "ascending"), ("topic", "ascending")]).equals(first)


@pytest.mark.integration
def test_the_job_on_two_worker_processes_as_a_user_runs_it(messy_input):
    """`python -m pipelines.news_pipeline ... --direct_running_mode multi_processing`: the module is `__main__`, and
    its steps and records cross into SDK worker processes pickled; the run must add up as in one process."""
    import subprocess
    import sys

    out = messy_input / "out"
    cmd = [sys.executable, "-m", "pipelines.news_pipeline", "--input", str(messy_input / "*.jsonl"), "--output",
           str(out), "--run_date", DT, "--max_record_bytes", "10000", "--quiet",
           "--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "sdk_worker_main" in proc.stderr, "no SDK worker process was started"  # its forwarded warnings
    report = json.load(open(out / "reports" / f"dt={DT}" / "report.json"))
    assert report["records_read"] == 15 and report["balanced"] is True and report["problems"] == []
    assert (report["articles_written"], report["duplicates"], report["rejected"]) == (4, 2, 9)
    rows = articles(str(out)).to_pylist()
    assert sorted(r["url"] for r in rows if r["topic"] == (r["primary_topic"] or "untagged")) == [
        f"https://news.example.com/{n}" for n in range(1, 5)]
