#!/usr/bin/env bash
# One command, a local Airflow: `airflow standalone` (SQLite metadata DB, api-server + scheduler + dag-processor +
# triggerer in one process group) over the repo's dags/, reading samples/raw/<ds>/ and writing out/airflow/.
# UI at http://localhost:${AIRFLOW_PORT:-8080} (no login: every local user is admin). Ctrl-C stops everything.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PY="${NEWSFLOW_PYTHON:-$REPO/.venv/bin/python}"
PORT="${AIRFLOW_PORT:-8080}"

export AIRFLOW_HOME="${AIRFLOW_HOME:-$REPO/.airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True
export AIRFLOW__API__PORT="$PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://localhost:$PORT/execution/"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
export NEWSFLOW_PYTHON="$PY"
export NEWSFLOW_OUTPUT="${NEWSFLOW_OUTPUT:-$REPO/out/airflow}"
export NEWSFLOW_DUCKDB="${NEWSFLOW_DUCKDB:-$NEWSFLOW_OUTPUT/warehouse/newsflow.duckdb}"
export NEWSFLOW_RETRIES="${NEWSFLOW_RETRIES:-1}"
export NEWSFLOW_RETRY_DELAY_S="${NEWSFLOW_RETRY_DELAY_S:-30}"
export PATH="$(dirname "$PY"):$PATH"  # standalone starts its components as `airflow ...`
export PYTHONPATH="$REPO${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$AIRFLOW_HOME" "$NEWSFLOW_OUTPUT"

echo "newsflow: AIRFLOW_HOME=$AIRFLOW_HOME, output $NEWSFLOW_OUTPUT, DuckDB $NEWSFLOW_DUCKDB"
echo "newsflow: UI http://localhost:$PORT ; backfill the samples from another shell with"
echo "  export AIRFLOW_HOME=$AIRFLOW_HOME"
echo "  $REPO/.venv/bin/airflow dags unpause news_daily"
# --reprocess-behavior is required: Airflow refuses to backfill a DAG with depends_on_past without it
echo "  $REPO/.venv/bin/airflow backfill create --dag-id news_daily --from-date 2026-11-24 --to-date 2026-11-26 --reprocess-behavior failed"
exec airflow standalone
