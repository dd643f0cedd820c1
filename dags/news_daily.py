"""
### news_daily

One run per day, for the day that just ended (`{{ ds }}`):

1. **wait_for_input**: a sensor (deferrable: it waits in the triggerer, not in a worker slot) until the day's raw
   input exists; fails after `NEWSFLOW_SENSOR_TIMEOUT_S` (default 6 h).
2. **run_pipeline**: the Beam job (`python -m pipelines.news_pipeline`) with `--staging_dir
   <output>/_staging/dt=<ds>/<run_id> --no_publish` (`run_id` with every character other than letters, digits,
   `.`, `_` and `-` made `_`): it writes and checks the day in its run's own staging and publishes nothing.
3. **validate**: recounts the staged files: the report's sum holds, rows per topic match the report, every file
   has the schema in `schemas/articles.py`, no partition is empty that should not be.
4. **publish**: swaps the day's partitions in, under the date's lock and with a journal (a retry finishes a
   publish that died half way), the manifest `articles/dt=<ds>/_SUCCESS` moving in with the articles.
5. **load_warehouse**: replaces the day in the DuckDB file (`articles` table, `topics_by_day` view).

Every task is idempotent (retries and reruns replace exactly one date). A run only starts its job once the
previous date is published (`depends_on_past` + `wait_for_downstream` on run_pipeline, which has publish as a
direct downstream), because deduplication reads the dates before it: backfills run dates in order whatever
their `--max-active-runs`. A failure anywhere leaves the previous publication untouched and calls the alert hook
(`pipelines.orchestration.alerts`) with the date and the run report.

Where it reads and writes, first match wins: trigger params `input` / `output` / `duckdb`, Airflow Variables
`newsflow_input` / `newsflow_output` / `newsflow_duckdb`, environment `NEWSFLOW_INPUT` / `NEWSFLOW_OUTPUT` /
`NEWSFLOW_DUCKDB`, then the repo's `samples/raw/<ds>/`, `out/airflow` and `<output>/warehouse/newsflow.duckdb`.
Runner and Beam options per deployment: `NEWSFLOW_RUNNER`, `NEWSFLOW_PIPELINE_OPTIONS` (JSON). See
docs/orchestration.md.

Backfill (dates are `ds` values, inclusive; the reprocess flag is required because of depends_on_past:
`failed` fills missing and failed dates, `completed` reruns every date):
`airflow backfill create --dag-id news_daily --from-date 2026-11-24 --to-date 2026-11-26 --reprocess-behavior failed`.
"""
from __future__ import annotations

import pendulum
from airflow.providers.apache.beam.operators.beam import BeamRunPythonPipelineOperator
from airflow.sdk import CronDataIntervalTimetable, Param, dag, task

from pipelines import orchestration
from pipelines.orchestration.alerts import on_failure
from pipelines.orchestration.sensors import InputSensor
from pipelines.orchestration.settings import Settings

SETTINGS = Settings.from_env()
# Rendered as native objects (render_template_as_native_obj) so the inputs stay a list: the Beam operator turns
# a list into one `--input=` flag per pattern.
INPUTS = "{{ newsflow_inputs(ds, params.input, var.value.get('newsflow_input', None)) }}"
OUTPUT = "{{ newsflow_output(params.output, var.value.get('newsflow_output', None)) }}"
_OUT = "newsflow_output(params.output, var.value.get('newsflow_output', None))"
STAGING = "{{ newsflow_staging(" + _OUT + ", ds, run_id) }}"  # one per DAG run: see docs/orchestration.md
READY = ("{{ newsflow_ready(ds, params.ready, var.value.get('newsflow_ready', None), "
         "newsflow_inputs(ds, params.input, var.value.get('newsflow_input', None))) }}")
DUCKDB = "{{ newsflow_duckdb(" + _OUT + ", params.duckdb, var.value.get('newsflow_duckdb', None)) }}"


@dag(
    dag_id="news_daily",
    # A run covers the day that just ended, so {{ ds }} is that day (a bare "@daily" would name the new one).
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=pendulum.datetime(2026, 11, 24, tz="UTC"),
    # Missed days are filled by an explicit backfill (which runs in date order), not by the scheduler on start.
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=SETTINGS.sensor_timeout + 2 * SETTINGS.job_timeout,
    tags=["newsflow", "beam", "batch"],
    doc_md=__doc__,
    default_args={
        "owner": "newsflow",
        "retries": SETTINGS.retries,
        "retry_delay": SETTINGS.retry_delay,
        "execution_timeout": pendulum.duration(minutes=30),
        "on_failure_callback": on_failure,
    },
    params={
        "input": Param(None, type=["null", "array", "string"], description="input patterns; {ds} is the date"),
        "output": Param(None, type=["null", "string"], description="output root"),
        "ready": Param(None, type=["null", "string"], description="glob the sensor waits for; default: first input"),
        "duckdb": Param(None, type=["null", "string"], description="DuckDB file to load into"),
        "allow_empty": Param(False, type="boolean", description="publish a day that read no record"),
    },
    user_defined_macros={
        "newsflow_inputs": orchestration.input_patterns,
        "newsflow_output": orchestration.output_dir,
        "newsflow_staging": orchestration.staging_dir,
        "newsflow_ready": orchestration.ready_pattern,
        "newsflow_duckdb": orchestration.duckdb_path,
    },
    render_template_as_native_obj=True,
)
def news_daily():
    wait_for_input = InputSensor(
        task_id="wait_for_input",
        filepath=READY,
        deferrable=SETTINGS.deferrable,
        mode="poke" if SETTINGS.deferrable else "reschedule",  # without a triggerer, do not hold a worker slot
        timeout=SETTINGS.sensor_timeout.total_seconds(),
        poke_interval=SETTINGS.sensor_poke.total_seconds(),
        execution_timeout=SETTINGS.sensor_timeout + pendulum.duration(minutes=5),
        retries=0,  # a sensor timeout means the input is late: say so now, do not wait another six hours
    )

    run_pipeline = BeamRunPythonPipelineOperator(
        task_id="run_pipeline",
        py_file="pipelines.news_pipeline",
        py_options=["-m"],
        py_interpreter=SETTINGS.python,
        runner=SETTINGS.runner,
        pipeline_options={
            **SETTINGS.pipeline_options,
            "input": INPUTS, "output": OUTPUT, "run_date": "{{ ds }}",
            "staging_dir": STAGING, "no_publish": True, "quiet": True,
        },
        execution_timeout=SETTINGS.job_timeout,
        depends_on_past=True,
        wait_for_downstream=True,
    )

    # Deterministic: a staged day that fails its checks will fail them again, so no retries.
    @task(retries=0)
    def validate(staging: str, allow_empty: bool = False, ds: str | None = None) -> dict:
        from pipelines.orchestration.validate import validate_staging

        allowed = str(allow_empty).lower() == "true"  # a native bool, or its string if rendered as text
        return orchestration.report_summary(validate_staging(staging, ds, allow_empty=allowed))

    @task
    def publish(staging: str, output: str, ds: str | None = None, run_id: str | None = None) -> dict:
        from pipelines.orchestration.publication import publish_staged

        manifest = publish_staged(staging, output, ds, run_id)
        return {"dt": ds, "rows": {t: v["rows"] for t, v in manifest["tables"].items()}}

    @task(max_active_tis_per_dag=1)  # DuckDB has one writer at a time
    def load_warehouse(db_path: str, output: str, ds: str | None = None) -> int:
        from pipelines.orchestration.warehouse import load_date

        return load_date(db_path, output, ds)

    checked = validate(STAGING, "{{ params.allow_empty }}")
    published = publish(STAGING, OUTPUT)
    wait_for_input >> run_pipeline >> checked >> published >> load_warehouse(DUCKDB, OUTPUT)
    # publish is also a direct downstream of run_pipeline, so wait_for_downstream makes the next date's job wait
    # for this date's publication (its dedup reads it).
    run_pipeline >> published


news_daily()
