"""Rules every newsflow DAG follows: docs, tags, owner, retries, timeouts, a failure hook, and a cheap parse
(no Beam, pyarrow or DuckDB imported by the DAG files; the whole folder parses within a budget)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipelines.orchestration import alerts
from tests.dags.conftest import DAGS_FOLDER, REPO

EXPECTED_DAGS = {"news_daily", "news_retag", "news_compact"}
HEAVY = ("apache_beam", "pyarrow", "duckdb")
PARSE_BUDGET_S = 10.0  # on a busy 2-core CI machine; locally it is under 2 s


def test_the_folder_holds_the_expected_dags_and_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == EXPECTED_DAGS


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_has_docs_tags_an_owner_and_a_run_timeout(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.doc_md and dag.doc_md.lstrip().startswith(f"### {dag_id}")
    assert "newsflow" in dag.tags
    assert dag.owner == "newsflow"
    assert dag.dagrun_timeout is not None and dag.dagrun_timeout.total_seconds() > 0
    assert dag.max_active_runs == 1


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_every_task_has_retries_a_timeout_and_the_alert_hook(dagbag, dag_id):
    for t in dagbag.dags[dag_id].tasks:
        assert t.owner == "newsflow", t.task_id
        assert t.retries is not None and t.retries >= 0, t.task_id
        assert t.execution_timeout is not None and t.execution_timeout.total_seconds() > 0, t.task_id
        callbacks = t.on_failure_callback if isinstance(t.on_failure_callback, list) else [t.on_failure_callback]
        assert alerts.on_failure in callbacks, t.task_id
    # The tasks that do the work retry; the deterministic checks and the sensor do not.
    retried = {t.task_id for t in dagbag.dags[dag_id].tasks if t.retries > 0}
    assert retried, f"{dag_id} retries nothing"


def test_parsing_the_dag_files_imports_nothing_heavy_and_fits_the_budget(tmp_path):
    code = (
        "import sys, time, json\n"
        "t = time.monotonic()\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag(dag_folder={DAGS_FOLDER!r})\n"
        "print(json.dumps({'seconds': time.monotonic() - t, 'errors': {k: str(v) for k, v in bag.import_errors.items()},"
        f" 'heavy': [m for m in {HEAVY!r} if m in sys.modules], 'dags': sorted(bag.dag_ids)}}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(AIRFLOW_HOME=str(tmp_path), AIRFLOW__CORE__LOAD_EXAMPLES="False", PYTHONPATH=REPO)
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["errors"] == {} and set(result["dags"]) == EXPECTED_DAGS
    assert result["heavy"] == [], f"DAG parsing imported {result['heavy']}"
    assert result["seconds"] < PARSE_BUDGET_S, result


@pytest.mark.parametrize("dag_id", ["news_retag", "news_compact"])
def test_maintenance_dags_map_one_task_per_date(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert type(dag.timetable).__name__ == "NullTimetable"  # triggered by hand, with params.dates
    mapped = [t for t in dag.tasks if any(c.__name__ == "MappedOperator" for c in type(t).__mro__)]
    assert mapped and "dates" in dag.params


@pytest.mark.parametrize("dag_id, task_id", [("news_daily", "publish"), ("news_retag", "retag"),
                                             ("news_compact", "compact")])
def test_the_tasks_that_publish_retry(dagbag, dag_id, task_id):
    # A publish refused because the date moved on (PublicationConflict), one that waited too long for the date's
    # lock (DateLocked) and one that died half way are all settled by the task's retry.
    task = dagbag.dags[dag_id].get_task(task_id)
    assert task.retries >= 1 and task.retry_delay.total_seconds() > 0
