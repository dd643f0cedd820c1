"""The failure hook records the date and the run report and never raises; deployment settings come from the
environment."""
from __future__ import annotations

import json
import os
import types
from datetime import timedelta

from pipelines.orchestration import alerts, staging_dir
from pipelines.orchestration.settings import Settings
from tests.orchestration.conftest import DT


def _context(output, **extra):
    ti = types.SimpleNamespace(dag_id="news_daily", task_id="validate", run_id="r1", try_number=1)
    return {"ti": ti, "ds": DT, "params": {"output": output}, "exception": ValueError("boom"), **extra}


def test_an_alert_carries_the_date_the_error_and_the_staged_report(staged, tmp_path, monkeypatch):
    output, staging = staged
    os.rename(staging, staging_dir(output, DT, "r1"))  # where news_daily's run r1 stages
    log = tmp_path / "alerts.jsonl"
    monkeypatch.setenv(alerts.LOG_ENV, str(log))
    alerts.on_failure(_context(output))
    (record,) = [json.loads(line) for line in log.read_text().splitlines()]
    assert (record["dag_id"], record["task_id"], record["ds"]) == ("news_daily", "validate", DT)
    assert "boom" in record["error"]
    assert record["report"]["dt"] == DT and record["report"]["records_read"] > 0


def test_an_alert_without_a_report_still_goes_out_and_a_broken_hook_does_not_raise(tmp_path, monkeypatch):
    monkeypatch.delenv(alerts.LOG_ENV, raising=False)
    output = str(tmp_path / "out")
    alerts.on_failure(_context(output))
    record = json.loads((tmp_path / "out" / "_alerts" / "alerts.jsonl").read_text())
    assert record["report"] is None and record["ds"] == DT
    monkeypatch.setenv(alerts.LOG_ENV, str(tmp_path))  # a directory: appending fails, the hook swallows it
    alerts.on_failure(_context(output))


def test_settings_default_to_the_direct_runner_and_read_production_options():
    local = Settings.from_env({})
    assert local.runner == "DirectRunner" and local.pipeline_options == {} and local.deferrable
    prod = Settings.from_env({"NEWSFLOW_RUNNER": "DataflowRunner", "NEWSFLOW_RETRIES": "4",
                              "NEWSFLOW_PIPELINE_OPTIONS": '{"project": "p", "region": "europe-west1"}',
                              "NEWSFLOW_SENSOR_TIMEOUT_S": "60", "NEWSFLOW_DEFERRABLE": "false"})
    assert prod.runner == "DataflowRunner" and prod.retries == 4
    assert prod.pipeline_options == {"project": "p", "region": "europe-west1"}
    assert prod.sensor_timeout == timedelta(seconds=60) and not prod.deferrable
