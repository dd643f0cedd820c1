"""docker-compose.yml and the Dockerfile, checked without Docker: every service's command is a real entry point,
volumes and environment are consistent with .env.example, no credential is written in the file, and the image
installs the lock file. (tests/dags/test_backfill.py runs the same services as local processes.)"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AIRFLOW_SERVICES = ("airflow-init", "api-server", "scheduler", "dag-processor", "triggerer")


def _read(name: str) -> str:
    with open(os.path.join(REPO, name), encoding="utf-8") as f:
        return f.read()


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(_read("docker-compose.yml"))


@pytest.fixture(scope="module")
def env_example() -> dict:
    pairs = {}
    for line in _read(".env.example").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), f".env.example: bad line {line!r}"
            pairs[key] = value
    return pairs


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return _read("Dockerfile")


def _image_path(dockerfile: str, path: str) -> str:
    """Where an absolute path inside the image comes from in the repo (via WORKDIR + COPY)."""
    workdir = re.search(r"^WORKDIR\s+(\S+)", dockerfile, re.M).group(1).rstrip("/")
    assert path.startswith(workdir + "/"), f"{path} is not under the image's WORKDIR {workdir}"
    rel = path[len(workdir) + 1:]
    top = rel.split("/", 1)[0]
    assert re.search(rf"^COPY\s+{re.escape(top)}\s+\./{re.escape(top)}\s*$", dockerfile, re.M), f"{top} not copied"
    return os.path.join(REPO, rel)


def test_the_production_services_are_all_there(compose):
    services = compose["services"]
    assert set(AIRFLOW_SERVICES) | {"postgres"} <= set(services)
    for name in AIRFLOW_SERVICES:
        assert services[name]["build"] == "." and services[name]["image"] == "newsflow:latest"
        assert services[name]["env_file"] == ".env"
        assert services[name]["environment"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql")
        assert services[name]["environment"]["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"


def test_every_airflow_command_parses_with_the_installed_airflow_cli(compose, tmp_path):
    commands = [compose["services"][n]["command"] for n in AIRFLOW_SERVICES
                if compose["services"][n]["command"][0] == "airflow"]
    assert {c[1] for c in commands} == {"api-server", "scheduler", "dag-processor", "triggerer"}
    code = ("import json, sys\nfrom airflow.cli.cli_parser import get_parser\n"
            "for cmd in json.loads(sys.argv[1]):\n    args = get_parser().parse_args(cmd[1:])\n"
            "    assert callable(args.func), cmd\nprint('ok')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(AIRFLOW_HOME=str(tmp_path), AIRFLOW__CORE__LOAD_EXAMPLES="False")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(commands)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]


def test_the_init_command_is_a_script_the_image_ships(compose, dockerfile):
    command = compose["services"]["airflow-init"]["command"]
    assert command[0] == "bash"
    script = _image_path(dockerfile, command[1])
    assert os.path.isfile(script)
    assert subprocess.run(["bash", "-n", script]).returncode == 0
    assert "airflow db migrate" in _read(os.path.relpath(script, REPO))


def test_the_dags_folder_is_the_one_the_image_copies(compose, dockerfile):
    for name in AIRFLOW_SERVICES:
        folder = compose["services"][name]["environment"]["AIRFLOW__CORE__DAGS_FOLDER"]
        assert os.path.isfile(os.path.join(_image_path(dockerfile, folder), "news_daily.py"))


def test_every_volume_is_declared_and_used_and_data_paths_sit_on_volumes(compose):
    declared = set(compose["volumes"])
    used, mounts = set(), {}
    for name, service in compose["services"].items():
        for spec in service.get("volumes", []):
            volume, target = spec.split(":")[:2]
            used.add(volume)
            mounts.setdefault(name, []).append(target)
    assert used == declared
    for name in AIRFLOW_SERVICES:
        env = compose["services"][name]["environment"]
        for key in ("NEWSFLOW_OUTPUT", "NEWSFLOW_DUCKDB"):
            assert any(env[key].startswith(m.rstrip("/") + "/") for m in mounts[name]), (name, key)


def test_credentials_come_from_env_and_every_reference_is_in_env_example(compose, env_example):
    text = _read("docker-compose.yml")
    referenced = set(re.findall(r"(?<!\$)\$\{(\w+)\}", text)) | set(re.findall(r"\$\$\{(\w+)\}", text))
    assert referenced and referenced <= set(env_example), referenced - set(env_example)
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD(?!S_FILE)|SECRET|FERNET|TOKEN", key):
                assert re.fullmatch(r"\$\{\w+\}", str(value)), f"{name}.{key} is hard-coded"
            if "://" in str(value) and "@" in str(value):
                assert "${POSTGRES_PASSWORD}" in value, f"{name}.{key} has a literal credential"
    for secret in ("POSTGRES_PASSWORD", "AIRFLOW_ADMIN_PASSWORD", "AIRFLOW__API_AUTH__JWT_SECRET"):
        assert secret in env_example
    assert json.loads(env_example["NEWSFLOW_PIPELINE_OPTIONS"]) is not None


def test_the_execution_api_url_points_at_the_api_server(compose):
    port = compose["services"]["api-server"]["command"][-1]
    for name in AIRFLOW_SERVICES:
        url = compose["services"][name]["environment"]["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]
        assert url == f"http://api-server:{port}/execution/"


def test_the_image_installs_the_lock_file_before_the_project(dockerfile):
    copy_lock = re.search(r"^COPY\s+.*\brequirements\.lock\b", dockerfile, re.M)
    install_lock = re.search(r"pip install [^\n]*-r requirements\.lock", dockerfile)
    install_project = re.search(r"pip install [^\n]*--no-deps[^\n]*-e \.", dockerfile)
    assert copy_lock and install_lock and install_project
    assert copy_lock.start() < install_lock.start() < install_project.start()
    lock = _read("requirements.lock")
    for pin in ("apache-airflow==", "apache-airflow-providers-apache-beam==", "apache-beam==", "duckdb=="):
        assert pin in lock
    # Anything installed besides the lock must be pinned exactly.
    for extra in re.findall(r'pip install --no-cache-dir "([^"]+)"', dockerfile):
        assert re.fullmatch(r"[\w.-]+==[\w.]+", extra), extra
    for top in ("pipelines", "schemas", "dags", "scripts"):
        assert re.search(rf"^COPY\s+{top}\s+\./{top}\s*$", dockerfile, re.M), top
