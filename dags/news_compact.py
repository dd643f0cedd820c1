"""
### news_compact

Rewrites published dates into files of about `target_mb` MB each (default `NEWSFLOW_COMPACT_TARGET_MB`, 256;
warehouses like 128-512 MB) without changing a single row. Trigger it with params `dates` (list of YYYY-MM-DD).

Each date (one mapped task each) is compacted into `<output>/_staging/dt=<date>/compact-<random>` (a fresh dir per
try), validated against its report like any run (same counts, same schema), then published with a fresh `_SUCCESS`
manifest. The DuckDB warehouse needs no reload: its rows do not change. Retries are safe: each step replaces one
date. If the date is published again meanwhile (a news_daily rerun), the publish is refused rather than bring back
the older rows, and the task's retry compacts what is published then.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from pipelines import orchestration
from pipelines.orchestration.alerts import on_failure
from pipelines.orchestration.settings import Settings

SETTINGS = Settings.from_env()
OUTPUT = "{{ newsflow_output(params.output, var.value.get('newsflow_output', None)) }}"


@dag(
    dag_id="news_compact",
    schedule=None,
    start_date=pendulum.datetime(2026, 11, 24, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=pendulum.duration(hours=6),
    tags=["newsflow", "maintenance"],
    doc_md=__doc__,
    default_args={
        "owner": "newsflow",
        "retries": SETTINGS.retries,
        "retry_delay": SETTINGS.retry_delay,
        "execution_timeout": pendulum.duration(hours=1),
        "on_failure_callback": on_failure,
    },
    params={
        "dates": Param([], type="array", items={"type": "string", "format": "date"}, description="dates to compact"),
        "target_mb": Param(SETTINGS.compact_target_mb, type="number", exclusiveMinimum=0,
                           description="target file size in MB"),
        "output": Param(None, type=["null", "string"], description="output root"),
    },
    user_defined_macros={"newsflow_output": orchestration.output_dir},
    render_template_as_native_obj=True,
)
def news_compact():
    @task(retries=0)
    def dates_to_compact(params: dict | None = None) -> list[str]:
        return orchestration.requested_dates(params, "news_compact")

    @task
    def compact(dt: str, output: str, params: dict | None = None) -> dict:
        from pipelines.orchestration.compact import compact_to_staging
        from pipelines.orchestration.publication import publish_staged
        from pipelines.orchestration.validate import validate_staging

        target = int(float((params or {}).get("target_mb") or SETTINGS.compact_target_mb) * 1024 * 1024)
        staging, stats = compact_to_staging(output, dt, target)
        validate_staging(staging, dt)
        publish_staged(staging, output, dt)
        return stats

    compact.partial(output=OUTPUT).expand(dt=dates_to_compact())


news_compact()
