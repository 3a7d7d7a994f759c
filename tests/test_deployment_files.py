"""docker-compose.yml and the Dockerfile describe a deployment that tools accept."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose_config(*options: str) -> dict:
    """`docker-compose config` with `options`, parsed; skipped where it is not installed."""
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is not installed (apt-get install -y docker-compose)")
        pytest.skip("docker-compose is not installed here (apt-get install -y docker-compose)")
    result = subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), *options, "config"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


SCALE_SERVICES = {"db-replica", "web-1", "web-2", "worker-1", "worker-2", "proxy"}


def test_docker_compose_config_is_accepted():
    config = compose_config()
    assert {"db", "app"} <= set(config["services"])
    for name in SCALE_SERVICES:
        assert config["services"][name]["profiles"] == ["scale"], f"{name} starts by default"
    assert "healthcheck" in config["services"]["db"]
    assert "healthcheck" in config["services"]["app"]


def test_the_scale_profile_runs_two_web_processes_and_two_workers_on_one_postgres():
    services = compose_config("--profile", "scale")["services"]
    assert {"db", *SCALE_SERVICES} <= set(services)
    primary = "postgresql://demarche:demarche@db:5432/demarche"
    for web in ("web-1", "web-2"):
        environment = services[web]["environment"]
        assert environment["DATABASE_URL"] == primary
        assert "@db-replica:" in environment["DATABASE_READ_URL"]
        assert environment["DEMARCHE_RUN_WORKER"] == "false"
    for worker in ("worker-1", "worker-2"):
        assert services[worker]["command"] == ["demarche", "worker"]
        assert services[worker]["environment"]["DATABASE_URL"] == primary
    replica = " ".join(services["db-replica"]["command"])
    assert "pg_basebackup --host=db" in replica and "--write-recovery-conf" in replica
    nginx = (ROOT / "deploy/scale/nginx.conf").read_text(encoding="utf-8")
    assert "server web-1:8000;" in nginx and "server web-2:8000;" in nginx


def test_dockerfile_runs_the_demarche_server():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install" in dockerfile
    assert "demarche" in dockerfile and "serve" in dockerfile
