"""`demarche serve` on a fresh machine: embedded Postgres, demo corpus, clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from tests.live import free_port


def _postgres_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "postgres" in (process.info["name"] or "") and str(data_dir) in cmdline:
            found.append(process)
    return found


def test_serve_without_database_url_runs_embedded_postgres_with_demo_and_stops_it(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEMARCHE_DATA_DIR=str(tmp_path / "data"), DEMARCHE_PORT=str(port))
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not answer within 120 seconds"
            time.sleep(0.5)
        timeline = httpx.get(f"http://127.0.0.1:{port}/statements", timeout=10)
        assert timeline.status_code == 200
        assert "Sergey Lavrov" in timeline.text, "the demo corpus was not loaded on first run"
        assert _postgres_processes(tmp_path / "data")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "Démarche is running at" in output
    deadline = time.monotonic() + 20
    while _postgres_processes(tmp_path / "data") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _postgres_processes(tmp_path / "data"), "the embedded Postgres outlived serve"
