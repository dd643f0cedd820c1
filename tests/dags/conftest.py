"""Keeps Airflow away from the developer's ~/airflow: every Airflow import in these tests sees a throwaway home."""
from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DAGS_FOLDER = os.path.join(REPO, "dags")

# Set before anything imports airflow: its config module creates AIRFLOW_HOME and airflow.cfg on import.
_IN_PROCESS_HOME = tempfile.mkdtemp(prefix="newsflow-airflow-")
atexit.register(shutil.rmtree, _IN_PROCESS_HOME, True)
os.environ["AIRFLOW_HOME"] = _IN_PROCESS_HOME
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = DAGS_FOLDER
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=DAGS_FOLDER)


@pytest.fixture(scope="session")
def news_daily(dagbag):
    assert dagbag.import_errors == {}, dagbag.import_errors
    return dagbag.dags["news_daily"]


def code_snapshot(dest: str) -> str:
    """A copy of the code the Airflow subprocesses run (DAGs, pipelines, schemas, samples). Runs that are minutes
    apart (a backfill and its rerun) must run the same code even while someone edits the working tree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("dags", "pipelines", "schemas", "samples"):
        shutil.copytree(os.path.join(REPO, name), os.path.join(dest, name), ignore=ignore)
    return dest


def airflow_env(home: str, code: str | None = None, **extra: str) -> dict:
    """Environment for an Airflow subprocess: the caller's, minus any AIRFLOW_* / NEWSFLOW_* settings,
    plus a private AIRFLOW_HOME (SQLite metadata DB, logs) and the dags/ of `code` (a code_snapshot; default:
    the repo), whose packages come first on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSFLOW_"))}
    if code is not None:
        env["PYTHONPATH"] = code + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(
        AIRFLOW_HOME=home,
        AIRFLOW__CORE__DAGS_FOLDER=os.path.join(code, "dags") if code else DAGS_FOLDER,
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{os.path.join(home, 'airflow.db')}",
        NEWSFLOW_PYTHON=sys.executable,
        PYTHONHASHSEED="0",
    )
    env.update(extra)
    return env


def write_jsonl(path: str, records: list[dict]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")
