"""Where a scheduled run reads, stages and writes, and whether a report lets the day stand."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Absolute, because the Beam subprocess runs in whatever directory the Airflow worker happens to be in.
DEFAULT_INPUTS = tuple(
    os.path.join(REPO_ROOT, "samples", "raw", "{ds}", name) for name in ("*.jsonl", "*.jsonl.gz", "pages/*.txt")
)
DEFAULT_OUTPUT = os.path.join(REPO_ROOT, "out", "airflow")
INPUT_ENV, OUTPUT_ENV = "NEWSFLOW_INPUT", "NEWSFLOW_OUTPUT"
READY_ENV, DUCKDB_ENV, OPTIONS_ENV = "NEWSFLOW_READY", "NEWSFLOW_DUCKDB", "NEWSFLOW_PIPELINE_OPTIONS"
# The staging name of a run that names none; news_daily names its staging after the DAG run (staging_dir's run).
STAGING_NAME = "airflow"


class ReportCheckFailed(RuntimeError):
    """A run's published report is missing, unreadable, or says the output does not add up."""


def _patterns(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return [p.strip() for p in value or () if p and p.strip()]


def input_patterns(ds: str, param=None, variable=None, environ: Mapping[str, str] | None = None) -> list[str]:
    """Input patterns for date ds from the first source that sets any: DAG param, Airflow Variable,
    $NEWSFLOW_INPUT, the bundled samples. A source is a list or a comma-separated string; `{ds}` becomes the date."""
    environ = os.environ if environ is None else environ
    for source in (param, variable, environ.get(INPUT_ENV)):
        patterns = _patterns(source)
        if patterns:
            return [p.replace("{ds}", ds) for p in patterns]
    return [p.replace("{ds}", ds) for p in DEFAULT_INPUTS]


def output_dir(param=None, variable=None, environ: Mapping[str, str] | None = None) -> str:
    """Output root from the first source that sets it: DAG param, Airflow Variable, $NEWSFLOW_OUTPUT, out/airflow."""
    environ = os.environ if environ is None else environ
    for source in (param, variable, environ.get(OUTPUT_ENV)):
        if isinstance(source, str) and source.strip():
            return source.strip()
    return DEFAULT_OUTPUT


def report_path(output: str, ds: str) -> str:
    return os.path.join(output, "reports", f"dt={ds}", "report.json")


def check_report_file(path: str, ds: str | None = None) -> dict:
    """The report at path, if it says the run is sound; raises ReportCheckFailed saying why otherwise."""
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except FileNotFoundError:
        raise ReportCheckFailed(f"no run report at {path}: the job did not publish this date") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ReportCheckFailed(f"run report {path} is unreadable: {e}") from None
    if not isinstance(report, dict):
        raise ReportCheckFailed(f"run report {path} is not a JSON object")
    missing = [k for k in ("dt", "records_read", "balanced", "problems") if k not in report]
    if missing:
        raise ReportCheckFailed(f"run report {path} lacks {', '.join(missing)}")
    if ds is not None and report["dt"] != ds:
        raise ReportCheckFailed(f"run report {path} is for dt={report['dt']}, expected dt={ds}")
    problems = report["problems"]
    if not isinstance(problems, Sequence) or isinstance(problems, str):
        raise ReportCheckFailed(f"run report {path}: 'problems' should be a list, got {problems!r}")
    if report["balanced"] is not True or problems:
        detail = "; ".join(map(str, problems)) or (
            f"read {report['records_read']} != written {report.get('articles_written')}"
            f" + duplicates {report.get('duplicates')} + rejected {report.get('rejected')}"
        )
        raise ReportCheckFailed(f"run for dt={report['dt']} does not add up ({path}): {detail}")
    return report


def report_summary(report: dict) -> dict:
    """The few counts worth keeping in an XCom."""
    keys = ("dt", "records_read", "articles_written", "duplicates", "rejected", "rows_per_topic_partition")
    return {k: report[k] for k in keys if k in report}


def _first(*sources) -> str | None:
    for source in sources:
        if isinstance(source, str) and source.strip():
            return source.strip()
    return None


def ready_pattern(ds: str, param=None, variable=None, inputs=None, environ: Mapping[str, str] | None = None) -> str:
    """The glob the input sensor waits for: DAG param, Variable, $NEWSFLOW_READY, else the first input pattern.
    A '_READY' marker file per date is the safest choice when files arrive over time."""
    environ = os.environ if environ is None else environ
    chosen = _first(param, variable, environ.get(READY_ENV))
    if chosen is None:
        chosen = (inputs or input_patterns(ds, environ=environ))[0]
    return chosen.replace("{ds}", ds)


def staging_dir(output: str, ds: str, name: str = STAGING_NAME) -> str:
    """Where a run stages date ds before validating and publishing it. news_daily passes its run_id, so each DAG run
    has its own dir (a retried task finds it; another run never empties or vouches for it)."""
    return os.path.join(output, "_staging", f"dt={ds}", re.sub(r"[^A-Za-z0-9._-]+", "_", name))


def duckdb_path(output: str, param=None, variable=None, environ: Mapping[str, str] | None = None) -> str:
    """The warehouse file: DAG param, Variable, $NEWSFLOW_DUCKDB, else <output>/warehouse/newsflow.duckdb."""
    environ = os.environ if environ is None else environ
    return _first(param, variable, environ.get(DUCKDB_ENV)) or os.path.join(output, "warehouse", "newsflow.duckdb")


def extra_pipeline_options(variable=None, environ: Mapping[str, str] | None = None) -> dict:
    """Deployment-specific Beam options (a JSON object, e.g. Dataflow project/region/temp_location or Flink master):
    Variable `newsflow_pipeline_options`, else $NEWSFLOW_PIPELINE_OPTIONS, else none."""
    environ = os.environ if environ is None else environ
    raw = variable if isinstance(variable, (str, dict)) and variable else environ.get(OPTIONS_ENV, "")
    if isinstance(raw, dict):
        return dict(raw)
    if not raw.strip():
        return {}
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError(f"pipeline options must be a JSON object, got {raw!r}")
    return value


def requested_dates(params: dict | None, dag_id: str) -> list[str]:
    """The sorted, de-duplicated ISO dates a manually triggered DAG was asked to process (params.dates)."""
    import datetime

    dates = sorted({datetime.date.fromisoformat(d).isoformat() for d in (params or {}).get("dates") or []})
    if not dates:
        raise ValueError(f'{dag_id} needs params.dates, e.g. {{"dates": ["2026-11-24"]}}')
    return dates
