# The image every Airflow service of docker-compose.yml runs: the project installed from the same lock file as CI.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 AIRFLOW_HOME=/opt/airflow
RUN apt-get update && apt-get install -y --no-install-recommends build-essential git && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/newsflow
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY pipelines ./pipelines
COPY schemas ./schemas
COPY dags ./dags
COPY scripts ./scripts
COPY warehouse ./warehouse
COPY samples ./samples
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . && mkdir -p /opt/airflow/auth /data /warehouse
ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/newsflow/dags AIRFLOW__CORE__LOAD_EXAMPLES=False PYTHONPATH=/opt/newsflow
