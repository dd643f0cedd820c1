"""Per-deployment settings the DAG files read at parse time, from the environment only (cheap, no DB access).
Runner and its options change per deployment without editing code: DirectRunner locally, DataflowRunner or
FlinkRunner in production with NEWSFLOW_PIPELINE_OPTIONS carrying project/region/temp_location or flink_master."""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from pipelines.orchestration.paths import extra_pipeline_options


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    python: str
    runner: str
    pipeline_options: dict
    retries: int
    retry_delay: timedelta
    sensor_timeout: timedelta
    sensor_poke: timedelta
    deferrable: bool
    job_timeout: timedelta
    compact_target_mb: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            python=env.get("NEWSFLOW_PYTHON") or sys.executable,
            runner=env.get("NEWSFLOW_RUNNER") or "DirectRunner",
            pipeline_options=extra_pipeline_options(environ=env),
            retries=int(env.get("NEWSFLOW_RETRIES", "2")),
            retry_delay=timedelta(seconds=int(env.get("NEWSFLOW_RETRY_DELAY_S", "300"))),
            sensor_timeout=timedelta(seconds=int(env.get("NEWSFLOW_SENSOR_TIMEOUT_S", str(6 * 3600)))),
            sensor_poke=timedelta(seconds=int(env.get("NEWSFLOW_SENSOR_POKE_S", "300"))),
            deferrable=_bool(env.get("NEWSFLOW_DEFERRABLE", "true")),
            job_timeout=timedelta(seconds=int(env.get("NEWSFLOW_JOB_TIMEOUT_S", "3600"))),
            compact_target_mb=int(env.get("NEWSFLOW_COMPACT_TARGET_MB", "256")),
        )
