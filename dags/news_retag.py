"""
### news_retag

Re-tags already published dates with another taxonomy version, without re-ingesting raw input. Trigger it with
params `dates` (list of YYYY-MM-DD) and optionally `taxonomy` (a topics YAML; default: the bundled one).

For each date (one mapped task each): read the published articles once per article, tag them with the tagging
stage's own function (`apply_tags`), write the new topic partitions plus unchanged copies of duplicates / rejected
/ index into `<output>/_staging/dt=<date>/retag-<random>` (a fresh dir per try), validate that like any run,
publish it (new `_SUCCESS` manifest), then reload the date into DuckDB. Only the tag columns (topics,
primary_topic, topic_scores, topic_evidence, taxonomy_version) can change; every other column stays as it was, and
dates not asked for are not touched. Retries are safe: each step replaces one date. If the date is published again
while it is being re-tagged (a news_daily rerun), the publish is refused rather than overwrite the newer rows, and
the task's retry re-tags what is published then (docs/orchestration.md, Publication).
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from pipelines import orchestration
from pipelines.orchestration.alerts import on_failure
from pipelines.orchestration.settings import Settings

SETTINGS = Settings.from_env()
OUTPUT = "{{ newsflow_output(params.output, var.value.get('newsflow_output', None)) }}"
DUCKDB = ("{{ newsflow_duckdb(newsflow_output(params.output, var.value.get('newsflow_output', None)), "
          "params.duckdb, var.value.get('newsflow_duckdb', None)) }}")


@dag(
    dag_id="news_retag",
    schedule=None,
    start_date=pendulum.datetime(2026, 11, 24, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=pendulum.duration(hours=6),
    tags=["newsflow", "taxonomy", "maintenance"],
    doc_md=__doc__,
    default_args={
        "owner": "newsflow",
        "retries": SETTINGS.retries,
        "retry_delay": SETTINGS.retry_delay,
        "execution_timeout": pendulum.duration(hours=1),
        "on_failure_callback": on_failure,
    },
    params={
        "dates": Param([], type="array", items={"type": "string", "format": "date"}, description="dates to re-tag"),
        "taxonomy": Param(None, type=["null", "string"], description="taxonomy YAML (default: the bundled one)"),
        "output": Param(None, type=["null", "string"], description="output root"),
        "duckdb": Param(None, type=["null", "string"], description="DuckDB file to reload"),
    },
    user_defined_macros={"newsflow_output": orchestration.output_dir, "newsflow_duckdb": orchestration.duckdb_path},
    render_template_as_native_obj=True,
)
def news_retag():
    @task(retries=0)
    def dates_to_retag(params: dict | None = None) -> list[str]:
        return orchestration.requested_dates(params, "news_retag")

    @task
    def retag(dt: str, output: str, params: dict | None = None) -> str:
        from pipelines.orchestration.publication import publish_staged
        from pipelines.orchestration.retag import retag_to_staging
        from pipelines.orchestration.validate import validate_staging

        staging = retag_to_staging(output, dt, (params or {}).get("taxonomy"))
        validate_staging(staging, dt)
        publish_staged(staging, output, dt)
        return dt

    @task(max_active_tis_per_dag=1)  # DuckDB has one writer at a time
    def load_warehouse(dt: str, db_path: str, output: str) -> int:
        from pipelines.orchestration.warehouse import load_date

        return load_date(db_path, output, dt)

    done = retag.partial(output=OUTPUT).expand(dt=dates_to_retag())
    load_warehouse.partial(db_path=DUCKDB, output=OUTPUT).expand(dt=done)


news_retag()
