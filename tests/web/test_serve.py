"""`demarche serve` on a fresh machine: embedded Postgres, demo corpus, clean stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
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


def _start_serve(
    *args: str, env: dict[str, str]
) -> tuple[subprocess.Popen, list[str], threading.Thread]:
    """`demarche serve ARGS` and its output lines, read as they come so its pipe never
    fills."""
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    return server, lines, reader


def _wait_until_healthy(server: subprocess.Popen, port: int, lines: list[str]) -> None:
    deadline = time.monotonic() + 120
    while True:
        assert server.poll() is None, "".join(lines)
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "serve did not answer within 120 seconds"
        time.sleep(0.5)


def sign_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def test_serve_without_database_url_runs_embedded_postgres_with_demo_and_stops_it(tmp_path):
    """A fresh install: the demo loads, a first administrator is created with a password
    printed once, and signing in with it shows the demo statements."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEMARCHE_DATA_DIR=str(tmp_path / "data"), DEMARCHE_PORT=str(port))
    server, lines, reader = _start_serve(env=env)
    try:
        _wait_until_healthy(server, port, lines)
        password = re.search(r"password: (\S+)", "".join(lines)).group(1)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            assert client.get("/statements").status_code == 303, "anonymous browsing is off"
            assert sign_in(client, "admin", password).status_code == 303
            timeline = client.get("/statements")
        assert timeline.status_code == 200
        assert "Sergey Lavrov" in timeline.text, "the demo corpus was not loaded on first run"
        assert _postgres_processes(tmp_path / "data")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        reader.join(timeout=10)
    output = "".join(lines)
    assert "Démarche is running at" in output
    deadline = time.monotonic() + 20
    while _postgres_processes(tmp_path / "data") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _postgres_processes(tmp_path / "data"), "the embedded Postgres outlived serve"


def test_serve_with_two_processes_shares_one_database_and_session_key(make_database):
    """`serve --processes 2` runs two uvicorn workers on one port. Forty requests on new
    connections, which the kernel hands to either worker, all see the sign-in made
    through one of them: `serve` gives both the same database and the same key."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": make_database("serve_processes"),
        "DEMARCHE_PORT": str(port),
        "DEMARCHE_RUN_WORKER": "false",
        "DEMARCHE_SECRET_KEY": "a-key-both-processes-must-sign-sessions-with",
    }
    server, lines, reader = _start_serve("--no-demo", "--processes", "2", env=env)
    try:
        _wait_until_healthy(server, port, lines)
        workers = [
            child
            for child in psutil.Process(server.pid).children()
            if "spawn_main" in " ".join(child.cmdline())
        ]
        assert len(workers) == 2
        password = re.search(r"password: (\S+)", "".join(lines)).group(1)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as client:
            assert sign_in(client, "admin", password).status_code == 303
            cookies = client.cookies
        for _ in range(40):
            with httpx.Client(base_url=base, timeout=10, cookies=cookies) as fresh:
                assert fresh.get("/account").status_code == 200, "a process refused the sign-in"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        reader.join(timeout=10)
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
