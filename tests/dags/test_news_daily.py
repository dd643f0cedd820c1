"""news_daily: parses cleanly, is wired as documented, renders the job's flags, and runs end to end in real Airflow."""
from __future__ import annotations

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
from tests.dags.conftest import airflow_env, write_jsonl

RUN_DATE = "2026-11-24"


def test_dag_folder_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "news_daily" in dagbag.dag_ids


def test_dag_carries_schedule_ownership_retries_and_docs(news_daily):
    dag = news_daily
    assert dag.tags and {"newsflow", "beam"} <= set(dag.tags)
    assert dag.doc_md and "check_report" in dag.doc_md
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
    assert dag.get_task("check_report").retries == 0


def test_beam_task_runs_the_module_then_the_report_check(news_daily):
    dag = news_daily
    assert set(dag.task_ids) == {"run_pipeline", "check_report"}
    assert dag.get_task("run_pipeline").downstream_task_ids == {"check_report"}
    assert dag.get_task("check_report").downstream_task_ids == set()
    run = dag.get_task("run_pipeline")
    assert type(run).__name__ == "BeamRunPythonPipelineOperator"
    assert (run.py_file, run.py_options, run.runner) == ("pipelines.news_pipeline", ["-m"], "DirectRunner")
    assert os.access(run.py_interpreter, os.X_OK)
    assert run.pipeline_options["run_date"] == "{{ ds }}"


def _render_job_flags(dag, params: dict, variables: dict) -> list[str]:
    """The job's command-line flags as the provider builds them from the rendered pipeline_options."""
    from airflow.providers.apache.beam.hooks.beam import beam_options_to_args

    run = dag.get_task("run_pipeline")
    context = {"ds": RUN_DATE, "params": params, "var": {"value": variables}}
    rendered = run.render_template(run.pipeline_options, context, jinja_env=dag.get_template_env())
    return beam_options_to_args(rendered)


def test_inputs_render_as_one_flag_per_pattern_with_the_date_filled_in(news_daily, monkeypatch):
    monkeypatch.delenv(orchestration.INPUT_ENV, raising=False)
    monkeypatch.delenv(orchestration.OUTPUT_ENV, raising=False)
    flags = _render_job_flags(news_daily, {"input": ["/raw/{ds}/a.jsonl", "/raw/{ds}/pages/*.txt"], "output": "/o"}, {})
    assert f"--input=/raw/{RUN_DATE}/a.jsonl" in flags
    assert f"--input=/raw/{RUN_DATE}/pages/*.txt" in flags
    assert "--output=/o" in flags and f"--run_date={RUN_DATE}" in flags


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


def _fixture_records() -> list[dict]:
    transport = ("The city council approved a new budget for public transport on Monday after a long debate. "
                 "Officials said the plan adds bus lanes, extends tram service into the northern districts and "
                 "freezes fares for two years. Opposition members argued the spending was too high, but the vote "
                 "passed by a clear margin. ") * 3
    final = ("The home team won the cup final three goals to one in front of a full stadium on Sunday evening. "
             "The coach praised his players for their discipline and the striker scored twice in the second "
             "half. Fans celebrated in the streets until late at night. ") * 3
    at = f"{RUN_DATE}T08:00:00Z"
    return [
        {"url": "https://example.org/news/transport-budget", "scraped_at": at, "title": "Council backs budget",
         "text": transport},
        {"url": "https://example.org/news/transport-budget?utm_source=feed", "scraped_at": at,
         "title": "Council backs budget", "text": transport},
        {"url": "https://example.net/sport/cup-final", "scraped_at": at, "title": "Home side wins the cup",
         "text": final},
        {"url": "not a url", "scraped_at": at, "title": "broken", "text": "nothing"},
    ]


def _run(cmd: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(cmd, env=env, cwd=env["AIRFLOW_HOME"], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        output = "".join(x.decode(errors="replace") if isinstance(x, bytes) else x for x in (e.stdout, e.stderr) if x)
        pytest.fail(f"{' '.join(cmd)} still running after {timeout}s:\n{output[-6000:]}")
    assert proc.returncode == 0, f"{' '.join(cmd)} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-6000:]}"
    return proc


@pytest.mark.integration
def test_dag_runs_end_to_end_in_airflow_and_publishes_a_balanced_day(tmp_path):
    records = _fixture_records()
    write_jsonl(str(tmp_path / "raw" / RUN_DATE / "wire.jsonl"), records)
    home, output = tmp_path / "airflow_home", tmp_path / "out"
    home.mkdir()
    # No retries: a failing job should fail the test now, not after the DAG's retry delay.
    env = airflow_env(str(home), NEWSFLOW_INPUT=str(tmp_path / "raw" / "{ds}" / "*.jsonl"), NEWSFLOW_OUTPUT=str(output),
                      NEWSFLOW_RETRIES="0")
    airflow = [sys.executable, "-m", "airflow"]

    started = time.monotonic()
    _run([*airflow, "db", "migrate"], env, timeout=120)
    _run([*airflow, "dags", "test", "news_daily", RUN_DATE], env, timeout=240)
    print(f"airflow db migrate + dags test: {time.monotonic() - started:.1f}s")

    with sqlite3.connect(home / "airflow.db") as db:
        states = dict(db.execute("SELECT task_id, state FROM task_instance WHERE dag_id = 'news_daily'"))
    assert states == {"run_pipeline": "success", "check_report": "success"}
    assert glob.glob(str(output / "articles" / f"dt={RUN_DATE}" / "topic=*" / "*.parquet"))
    report = json.loads((output / "reports" / f"dt={RUN_DATE}" / "report.json").read_text())
    assert report["balanced"] is True and report["problems"] == []
    assert report["records_read"] == len(records)
    assert report["articles_written"] + report["duplicates"] + report["rejected"] == len(records)
    assert report["duplicates"] >= 1 and report["rejected"] >= 1
