"""
### news_daily

Runs the newsflow batch job (`python -m pipelines.news_pipeline`) once a day for `{{ ds }}`, then checks the
run report it published before calling the day done.

* **run_pipeline** reads the day's raw files and replaces `articles/`, `duplicates/`, `rejected/` and
  `reports/` under `dt=<ds>` in the output root; reruns and backfills replace exactly that partition.
* **check_report** fails unless `reports/dt=<ds>/report.json` exists, is for `<ds>`, is `balanced`
  (read = written + duplicates + rejected) and lists no `problems`.

Where it reads and writes, first match wins: trigger params `input` / `output`, Airflow Variables
`newsflow_input` / `newsflow_output`, environment `NEWSFLOW_INPUT` / `NEWSFLOW_OUTPUT`, then the repo's
`samples/raw/<ds>/` and `out/airflow`. Inputs are a list or a comma-separated string of patterns;
`{ds}` in a pattern becomes the run date. Environment at parse time: `NEWSFLOW_PYTHON` (interpreter
that has the project installed, default: the one parsing this file), `NEWSFLOW_RUNNER` (default DirectRunner),
`NEWSFLOW_RETRIES` (default 2, five minutes apart).

Backfill: `airflow backfill create --dag-id news_daily --from-date 2026-11-24 --to-date 2026-11-26`.
"""
from __future__ import annotations

import os
import sys
from datetime import timedelta

import pendulum
from airflow.providers.apache.beam.operators.beam import BeamRunPythonPipelineOperator
from airflow.sdk import CronDataIntervalTimetable, Param, dag, task

from pipelines import orchestration

# Rendered as native objects (see render_template_as_native_obj) so the inputs stay a list: the Beam
# operator turns a list into one `--input=` flag per pattern.
INPUTS = "{{ newsflow_inputs(ds, params.input, var.value.get('newsflow_input', None)) }}"
OUTPUT = "{{ newsflow_output(params.output, var.value.get('newsflow_output', None)) }}"


@dag(
    dag_id="news_daily",
    # A run covers the day that just ended, so {{ ds }} is that day (a bare "@daily" would name the new one).
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=pendulum.datetime(2026, 11, 24, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=2),
    tags=["newsflow", "beam", "batch"],
    doc_md=__doc__,
    default_args={
        "owner": "newsflow",
        "retries": int(os.environ.get("NEWSFLOW_RETRIES", "2")),
        "retry_delay": timedelta(minutes=5),
    },
    params={
        "input": Param(None, type=["null", "array", "string"], description="input patterns; {ds} is the date"),
        "output": Param(None, type=["null", "string"], description="output root"),
    },
    user_defined_macros={"newsflow_inputs": orchestration.input_patterns, "newsflow_output": orchestration.output_dir},
    render_template_as_native_obj=True,
)
def news_daily():
    run_pipeline = BeamRunPythonPipelineOperator(
        task_id="run_pipeline",
        py_file="pipelines.news_pipeline",
        py_options=["-m"],
        py_interpreter=os.environ.get("NEWSFLOW_PYTHON") or sys.executable,
        runner=os.environ.get("NEWSFLOW_RUNNER") or "DirectRunner",
        pipeline_options={"input": INPUTS, "output": OUTPUT, "run_date": "{{ ds }}", "quiet": True},
        execution_timeout=timedelta(hours=1),
    )

    # No retries: a report that does not add up will not add up on the second read either.
    @task(retries=0)
    def check_report(output: str, run_date: str) -> dict:
        path = orchestration.report_path(output, run_date)
        return orchestration.report_summary(orchestration.check_report_file(path, run_date))

    run_pipeline >> check_report(OUTPUT, "{{ ds }}")


news_daily()
