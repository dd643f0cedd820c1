#!/usr/bin/env bash
# One-off setup of a deployment (docker-compose's airflow-init): migrate the metadata DB, then write the admin's
# password from the environment into the simple auth manager's passwords file. Safe to run again.
set -euo pipefail
airflow db migrate
: "${AIRFLOW_ADMIN_USER:?set AIRFLOW_ADMIN_USER in .env}" "${AIRFLOW_ADMIN_PASSWORD:?set AIRFLOW_ADMIN_PASSWORD in .env}"
passwords="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-${AIRFLOW_HOME:-$HOME/airflow}/passwords.json}"
mkdir -p "$(dirname "$passwords")"
python - "$passwords" <<'PY'
import json, os, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump({os.environ["AIRFLOW_ADMIN_USER"]: os.environ["AIRFLOW_ADMIN_PASSWORD"]}, f)
PY
echo "airflow-init: metadata DB migrated, login for ${AIRFLOW_ADMIN_USER} written to ${passwords}"
