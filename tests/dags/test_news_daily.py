"""news_daily: parses cleanly, is wired as documented, renders the job's flags, and runs end to end in real Airflow."""
from __future__ import annotations

import collections
import glob
import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pendulum
import pytest

from pipelines import orchestration
from tests.dags.conftest import airflow_env, code_snapshot

RUN_DATE = "2026-11-24"


def test_dag_folder_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "news_daily" in dagbag.dag_ids


def test_dag_carries_schedule_ownership_retries_and_docs(news_daily):
    dag = news_daily
    assert dag.tags and {"newsflow", "beam"} <= set(dag.tags)
    assert dag.doc_md and "validate" in dag.doc_md and "backfill create" in dag.doc_md
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.dagrun_timeout and dag.dagrun_timeout > timedelta(0)
    assert dag.start_date == pendulum.datetime(2026, 11, 24, tz="UTC")
    # One run per day, covering the day that ended: the run for 2026-11-24 is scheduled at 2026-11-25 00:00.
    from airflow.timetables.interval import CronDataIntervalTimetable

    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    timetable = CronDataIntervalTimetable(dag.timetable.expression, dag.timetable.timezone)
    interval = timetable.infer_manual_data_interval(run_after=pendulum.datetime(2026, 11, 25, tz="UTC"))
    assert (interval.start, interval.end) == (
        pendulum.datetime(2026, 11, 24, tz="UTC"), pendulum.datetime(2026, 11, 25, tz="UTC"))
    run = dag.get_task("run_pipeline")
    assert run.owner == "newsflow"
    assert run.retries >= 1 and run.retry_delay > timedelta(0)
    assert dag.get_task("validate").retries == 0
    # The next date's job waits for this date's publication: publish is a direct downstream of run_pipeline.
    assert run.depends_on_past and run.wait_for_downstream
    assert "publish" in run.downstream_task_ids


def test_tasks_wait_run_stage_validate_publish_load_in_that_order(news_daily):
    dag = news_daily
    order = ["wait_for_input", "run_pipeline", "validate", "publish", "load_warehouse"]
    assert set(dag.task_ids) == set(order)
    for before, after in zip(order, order[1:]):
        assert after in dag.get_task(before).downstream_task_ids
    assert dag.get_task("load_warehouse").downstream_task_ids == set()
    assert dag.get_task("wait_for_input").deferrable is True
    run = dag.get_task("run_pipeline")
    assert type(run).__name__ == "BeamRunPythonPipelineOperator"
    assert (run.py_file, run.py_options, run.runner) == ("pipelines.news_pipeline", ["-m"], "DirectRunner")
    assert os.access(run.py_interpreter, os.X_OK)
    assert run.pipeline_options["run_date"] == "{{ ds }}"
    assert run.pipeline_options["no_publish"] is True


def _render_job_flags(dag, params: dict, variables: dict, run_id: str = "scheduled__2026-11-24T00:00:00+00:00"
                      ) -> list[str]:
    """The job's command-line flags as the provider builds them from the rendered pipeline_options."""
    from airflow.providers.apache.beam.hooks.beam import beam_options_to_args

    run = dag.get_task("run_pipeline")
    context = {"ds": RUN_DATE, "run_id": run_id, "params": params, "var": {"value": variables}}
    rendered = run.render_template(run.pipeline_options, context, jinja_env=dag.get_template_env())
    return beam_options_to_args(rendered)


def test_inputs_render_as_one_flag_per_pattern_with_the_date_filled_in(news_daily, monkeypatch):
    monkeypatch.delenv(orchestration.INPUT_ENV, raising=False)
    monkeypatch.delenv(orchestration.OUTPUT_ENV, raising=False)
    flags = _render_job_flags(news_daily, {"input": ["/raw/{ds}/a.jsonl", "/raw/{ds}/pages/*.txt"], "output": "/o"}, {})
    assert f"--input=/raw/{RUN_DATE}/a.jsonl" in flags
    assert f"--input=/raw/{RUN_DATE}/pages/*.txt" in flags
    assert "--output=/o" in flags and f"--run_date={RUN_DATE}" in flags
    assert f"--staging_dir=/o/_staging/dt={RUN_DATE}/scheduled__2026-11-24T00_00_00_00_00" in flags
    assert "--no_publish" in flags


def test_each_dag_run_stages_at_its_own_path(news_daily, monkeypatch):
    """A rerun's job never empties, and its publish never vouches for, another run's staging."""
    monkeypatch.delenv(orchestration.OUTPUT_ENV, raising=False)
    stagings = {f for run_id in ("scheduled__2026-11-24T00:00:00+00:00", "manual__2026-11-25T09:00:00+00:00")
                for f in _render_job_flags(news_daily, {"input": None, "output": "/o"}, {}, run_id)
                if f.startswith("--staging_dir=")}
    assert len(stagings) == 2 and all(f.startswith(f"--staging_dir=/o/_staging/dt={RUN_DATE}/") for f in stagings)
    assert all(os.path.basename(f).replace("_", "").replace("-", "").replace(".", "").isalnum() for f in stagings)


def test_rendered_defaults_point_at_the_repo_samples_and_out_airflow(news_daily, monkeypatch):
    monkeypatch.delenv(orchestration.INPUT_ENV, raising=False)
    monkeypatch.delenv(orchestration.OUTPUT_ENV, raising=False)
    flags = _render_job_flags(news_daily, {"input": None, "output": None}, {})
    inputs = [f for f in flags if f.startswith("--input=")]
    assert len(inputs) == len(orchestration.DEFAULT_INPUTS)
    assert all(os.path.join("samples", "raw", RUN_DATE) in f for f in inputs)
    assert f"--output={os.path.join(orchestration.REPO_ROOT, 'out', 'airflow')}" in flags


def test_a_variable_overrides_the_environment(news_daily, monkeypatch):
    monkeypatch.setenv(orchestration.INPUT_ENV, "/env/{ds}/*.jsonl")
    monkeypatch.setenv(orchestration.OUTPUT_ENV, "/env-out")
    flags = _render_job_flags(news_daily, {"input": None, "output": None},
                              {"newsflow_input": "/var/{ds}/*.jsonl", "newsflow_output": "/var-out"})
    assert [f for f in flags if f.startswith("--input=")] == [f"--input=/var/{RUN_DATE}/*.jsonl"]
    assert "--output=/var-out" in flags


def _run(cmd: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(cmd, env=env, cwd=env["AIRFLOW_HOME"], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        output = "".join(x.decode(errors="replace") if isinstance(x, bytes) else x for x in (e.stdout, e.stderr) if x)
        pytest.fail(f"{' '.join(cmd)} still running after {timeout}s:\n{output[-6000:]}")
    assert proc.returncode == 0, f"{' '.join(cmd)} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-6000:]}"
    return proc


def _parquet_counts(output, dt) -> dict:
    import pyarrow.parquet as pq

    counts = {}
    for path in glob.glob(os.path.join(output, "articles", f"dt={dt}", "topic=*", "*.parquet")):
        topic = os.path.basename(os.path.dirname(path)).split("=", 1)[1]
        counts[(dt, topic)] = counts.get((dt, topic), 0) + pq.ParquetFile(path).metadata.num_rows
    return counts


def _digest(root) -> dict:
    out = {}
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("_staging", "_alerts", "warehouse")]
        for name in files:
            with open(os.path.join(base, name), "rb") as f:
                out[os.path.relpath(os.path.join(base, name), root)] = f.read()
    return out



@pytest.mark.integration
def test_a_sample_day_runs_end_to_end_and_a_broken_rerun_leaves_it_untouched(tmp_path):
    """`airflow dags test` on the repo's sample day: validated partitions, _SUCCESS, DuckDB rows = Parquet rows.
    Then a rerun whose input is empty fails in validate, publishes nothing, and alerts with its run's report."""
    from pipelines.orchestration.publication import is_published, read_manifest
    from pipelines.orchestration.warehouse import counts_by_partition

    home, output = tmp_path / "airflow_home", tmp_path / "out"
    home.mkdir()
    db, alert_log = tmp_path / "w.duckdb", tmp_path / "alerts.jsonl"
    # No retries: a failing job should fail the test now, not after the DAG's retry delay.
    env = airflow_env(str(home), code_snapshot(str(tmp_path / "code")), NEWSFLOW_OUTPUT=str(output),
                      NEWSFLOW_DUCKDB=str(db), NEWSFLOW_RETRIES="0", NEWSFLOW_ALERT_LOG=str(alert_log))
    airflow = [sys.executable, "-m", "airflow"]

    started = time.monotonic()
    _run([*airflow, "db", "migrate"], env, timeout=120)
    _run([*airflow, "dags", "test", "news_daily", RUN_DATE], env, timeout=300)
    print(f"airflow db migrate + dags test: {time.monotonic() - started:.1f}s")

    with sqlite3.connect(home / "airflow.db") as db_conn:
        states = dict(db_conn.execute("SELECT task_id, state FROM task_instance WHERE dag_id = 'news_daily'"))
    assert states == dict.fromkeys(["wait_for_input", "run_pipeline", "validate", "publish", "load_warehouse"],
                                   "success")
    assert is_published(str(output), RUN_DATE)
    report = json.loads((output / "reports" / f"dt={RUN_DATE}" / "report.json").read_text())
    assert report["balanced"] is True and report["problems"] == []
    assert report["articles_written"] > 0 and report["duplicates"] >= 1 and report["rejected"] >= 1
    parquet = _parquet_counts(str(output), RUN_DATE)
    assert counts_by_partition(str(db)) == parquet
    assert read_manifest(str(output), RUN_DATE)["tables"]["articles"]["rows"] == sum(parquet.values())
    with sqlite3.connect(home / "airflow.db") as db_conn:
        (run_id,) = db_conn.execute("SELECT run_id FROM dag_run WHERE dag_id = 'news_daily'").fetchone()
    assert not os.path.exists(orchestration.staging_dir(str(output), RUN_DATE, run_id))

    # A rerun on an empty input: the job stages an empty day in its run's own staging dir (its path holds the run_id,
    # which `dags test` makes from the clock), and validate refuses it.
    published = _digest(str(output))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    started = time.monotonic()
    proc = subprocess.run([*airflow, "dags", "test", "news_daily", "2026-11-24T00:00:00+00:00",
                           "-c", json.dumps({"input": str(empty), "ready": str(empty)}),
                           "--mark-success-pattern", "wait_for_input"],
                          env=env, cwd=str(home), capture_output=True, text=True, timeout=300)
    print(f"failing dags test: {time.monotonic() - started:.1f}s")
    with sqlite3.connect(home / "airflow.db") as db_conn:
        latest = db_conn.execute("SELECT run_id FROM dag_run WHERE dag_id = 'news_daily' ORDER BY id DESC").fetchone()
        states = dict(db_conn.execute("SELECT task_id, state FROM task_instance WHERE run_id = ?", latest))
    assert states["validate"] == "failed", (states, (proc.stdout + proc.stderr)[-4000:])
    assert states["publish"] in ("upstream_failed", None) and states["load_warehouse"] in ("upstream_failed", None)
    assert _digest(str(output)) == published
    assert counts_by_partition(str(db)) == parquet
    alerts = [json.loads(line) for line in alert_log.read_text().splitlines()]
    assert [(a["task_id"], a["ds"]) for a in alerts] == [("validate", RUN_DATE)]
    assert "read no record" in alerts[0]["error"] and alerts[0]["report"]["dt"] == RUN_DATE

    # The maintenance DAGs on the published day, through Airflow: compaction and a re-tag with the same taxonomy
    # change no row, and the warehouse still equals the Parquet.
    rows_before = _article_rows(str(output))
    for dag_id, conf in (("news_compact", {"dates": [RUN_DATE], "target_mb": 0.002}),
                         ("news_retag", {"dates": [RUN_DATE]})):
        started = time.monotonic()
        _run([*airflow, "dags", "test", dag_id, "-c", json.dumps(conf)], env, timeout=300)
        print(f"dags test {dag_id}: {time.monotonic() - started:.1f}s")
        with sqlite3.connect(home / "airflow.db") as db_conn:
            states = set(db_conn.execute("SELECT state FROM task_instance WHERE dag_id = ?", (dag_id,)))
        assert states == {("success",)}, (dag_id, states)
        assert _article_rows(str(output)) == rows_before, dag_id
    assert counts_by_partition(str(db)) == parquet


def _article_rows(output) -> collections.Counter:
    import pyarrow.parquet as pq

    rows = collections.Counter()
    for path in glob.glob(os.path.join(output, "articles", f"dt={RUN_DATE}", "topic=*", "*.parquet")):
        for row in pq.ParquetFile(path).read().to_pylist():
            rows[json.dumps([os.path.basename(os.path.dirname(path)), row], sort_keys=True, default=repr)] += 1
    return rows
