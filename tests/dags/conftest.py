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


def airflow_env(home: str, **extra: str) -> dict:
    """Environment for an Airflow subprocess: the caller's, minus any AIRFLOW_* / NEWSFLOW_* settings,
    plus a private AIRFLOW_HOME (SQLite metadata DB, logs) and the repo's dags/."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSFLOW_"))}
    env.update(
        AIRFLOW_HOME=home,
        AIRFLOW__CORE__DAGS_FOLDER=DAGS_FOLDER,
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
