"""Many clients at once: throughput, latency and errors of a real server, and its memory.

    python -m bench.views --articles 10000          # first: the corpus and its database
    python -m bench.load --articles 10000 --clients 50 --seconds 300

Starts `demarche serve` as its own process on loopback over the database `bench.views`
filled (`demarche_bench_views_<N>` on DATABASE_URL's server; anonymous reading on, no
queue worker), then drives it from a second process with `wrk` (Debian's package):
`--clients` connections cycle through a mix of addresses: the main views `bench.views`
times, each several times over, and the pages of the most quoted speakers, of every
outlet and theme, the timeline narrowed to each of them, and searches, so that pages
kept in the server's page cache meet pages rendered for the first time as they would
in a team's day. Like browsers, the clients send the session cookie of their first
visit. The server runs `--processes` web processes; each one's resident memory is
sampled every half second. Each client is one wrk thread with one connection, whose
script times every request (see `LUA`). Prints a table and appends it to
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import make_engine
from app.models import Outlet, Theme
from app.web.sessions import COOKIE_NAME
from bench.import_rate import Machine, publish
from bench.views import most_quoted, views

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = REPO_ROOT / "docs" / "performance.md"
TARGET_P95_MS = 300.0
TARGET_RSS_MB = 300.0

COLD_SECONDS = 60
"""Requests answered within this long of the start are also reported apart: the server
renders every address of the mix for the first time then."""

LUA = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } demarche_timespec;
int clock_gettime(int clock, demarche_timespec *now);
]]
local clock = ffi.new("demarche_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end

paths = {%(paths)s}
local threads = {}
counter = 0
sent = 0
took = {}
ended = {}

function setup(thread)
  -- Each client starts at its own place in the mix, as a team's browsers would.
  thread:set("counter", #threads * math.floor(#paths / %(clients)d))
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  sent = now_us()
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function response(status, headers, body)
  local now = now_us()
  took[#took + 1] = now - sent
  ended[#ended + 1] = now
end

local function percentile(sorted, q)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(#sorted * q))]
end

done = function(summary, latency, requests)
  local all, cold, warm, first = {}, {}, {}, nil
  for _, thread in ipairs(threads) do
    local start = thread:get("ended")[1]
    if start and (first == nil or start < first) then first = start end
  end
  for _, thread in ipairs(threads) do
    local times, ends = thread:get("took"), thread:get("ended")
    for i = 1, #times do
      all[#all + 1] = times[i]
      if ends[i] - first < %(cold_us)d then cold[#cold + 1] = times[i] else warm[#warm + 1] = times[i] end
    end
  end
  table.sort(all); table.sort(cold); table.sort(warm)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\\"requests\\":%%d,\\"duration_us\\":%%d,\\"non2xx\\":%%d,\\"connect\\":%%d," ..
    "\\"read\\":%%d,\\"write\\":%%d,\\"timeout\\":%%d,\\"p50_us\\":%%d,\\"p95_us\\":%%d," ..
    "\\"p99_us\\":%%d,\\"max_us\\":%%d,\\"corrected_p95_us\\":%%d,\\"cold_requests\\":%%d," ..
    "\\"cold_p95_us\\":%%d,\\"warm_p95_us\\":%%d}\\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99), all[#all] or 0,
    latency:percentile(95), #cold, percentile(cold, 0.95), percentile(warm, 0.95)))
end
"""
"""wrk's script: one connection per wrk thread, so each thread's `request` and
`response` pair up and time every request as its client saw it.

wrk's own latency figures are not these: it "corrects" its histogram for coordinated
omission, adding for every answer slower than a connection's mean interval the answers
that a client sending at a steady rate would have waited for meanwhile. Ten requests
of three seconds among 550,000 of half a millisecond gave a p95 of 1.8 s that way and
0.44 ms as the clients saw it. The corrected p95 is reported beside the clients' own.
"""


@dataclass(slots=True)
class LoadResult:
    requests: int
    seconds: float
    non2xx: int
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    corrected_p95_ms: float
    cold_requests: int
    cold_p95_ms: float
    warm_p95_ms: float
    peak_rss_mb: float
    processes: int
    addresses: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(process: psutil.Process) -> float:
    try:
        members = [process, *process.children(recursive=True)]
        return sum(member.memory_info().rss for member in members) / 2**20
    except psutil.NoSuchProcess:
        return 0.0


def _wait_healthy(base: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited before it answered")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {base}/healthz within {timeout:.0f} s")


# How many times each main view appears in the mix for one page of a speaker, outlet or theme.
MAIN_VIEW_WEIGHT = 5
SEARCHES = (
    '"security guarantees" -sanctions',
    "grain corridor",
    "sanctions",
    '"peace talks"',
    "NATO enlargement",
    "nuclear",
)


def mix(engine: Engine, *, speakers: int = 40) -> list[str]:
    """The addresses the clients cycle through (see the module's docstring)."""
    paths = list(views(engine).values()) * MAIN_VIEW_WEIGHT
    with Session(engine) as session:
        quoted = most_quoted(session, speakers)
        outlets = session.execute(select(Outlet.slug).order_by(Outlet.slug)).scalars()
        themes = session.execute(select(Theme.slug).order_by(Theme.slug)).scalars()
        for kind, slugs in (
            ("speaker", quoted),
            ("outlet", list(outlets)),
            ("theme", list(themes)),
        ):
            for slug in slugs:
                paths += [f"/{kind}s/{slug}", f"/statements?{kind}={slug}"]
    paths += [f"/search?q={quote(words)}" for words in SEARCHES]
    return paths


def _session_cookie(base: str) -> str:
    """The cookie a browser holds after its first page, sent by every client after."""
    response = httpx.get(f"{base}/", timeout=60)
    response.raise_for_status()
    return f"{COOKIE_NAME}={response.cookies[COOKIE_NAME]}"


def _web_processes(server: psutil.Process) -> list[psutil.Process]:
    """The processes answering requests: uvicorn's spawned workers, else the server itself."""
    try:
        workers = [
            child for child in server.children() if "spawn_main" in " ".join(child.cmdline())
        ]
    except psutil.NoSuchProcess:
        return []
    return workers or [server]


def run_load(database_url: str, *, clients: int, seconds: int, processes: int) -> LoadResult:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    engine = make_engine(database_url)
    try:
        paths = mix(engine)
    finally:
        engine.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEMARCHE_ANONYMOUS_READ": "true",
        "DEMARCHE_RUN_WORKER": "false",
        "DEMARCHE_SECRET_KEY": secrets.token_urlsafe(32),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            *("-m", "app", "serve", "--no-demo"),
            *("--port", str(port), "--processes", str(processes)),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0.0
    sampling = threading.Event()

    def sample() -> None:
        nonlocal peak
        process = psutil.Process(server.pid)
        while not sampling.is_set():
            for web in _web_processes(process):
                peak = max(peak, _rss_mb(web))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        _wait_healthy(base, server)
        cookie = _session_cookie(base)
        sampler.start()
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(
                LUA
                % {
                    "paths": ", ".join(json.dumps(path) for path in paths),
                    "clients": clients,
                    "cold_us": COLD_SECONDS * 1_000_000,
                }
            )
        output = subprocess.run(
            [
                wrk,
                f"-t{clients}",
                f"-c{clients}",
                f"-d{seconds}s",
                "--timeout",
                "60s",
                "-H",
                f"Cookie: {cookie}",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        os.unlink(script.name)
    finally:
        sampling.set()
        server.terminate()
        server.wait(timeout=30)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non2xx=data["non2xx"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        corrected_p95_ms=data["corrected_p95_us"] / 1000,
        cold_requests=data["cold_requests"],
        cold_p95_ms=data["cold_p95_us"] / 1000,
        warm_p95_ms=data["warm_p95_us"] / 1000,
        peak_rss_mb=peak,
        processes=processes,
        addresses=len(set(paths)),
    )


def report(machine: Machine, articles: int, clients: int, result: LoadResult) -> str:
    errors = result.non2xx + result.socket_errors
    met = result.p95_ms <= TARGET_P95_MS and not errors
    return "\n".join(
        [
            f"## {datetime.now():%Y-%m-%d %H:%M} — load: {clients} clients at {articles:,} articles",
            "",
            f"{machine.describe()} `demarche serve --processes {result.processes}` "
            f"(uvicorn), `wrk` from a second process on loopback cycling through "
            f"{result.addresses} addresses (the main views of `bench.views` weighted "
            f"{MAIN_VIEW_WEIGHT}x, speaker, outlet and theme pages, searches) with a "
            "browser's session cookie. Peak RSS is the largest web process's.",
            "",
            "Latencies are each request's as its client saw it (wrk with one connection per "
            f"thread, timed in its script). The first {COLD_SECONDS} s are also given apart: "
            "every address is rendered for the first time then, and each waits behind the "
            "others. wrk's own p95 is given last: it adds, for every answer slower than a "
            "client's mean interval, the answers a client sending at a steady rate would "
            "have waited for meanwhile, so a slow first minute fills its histogram.",
            "",
            "| Requests | Seconds | Requests/s | p50 ms | p95 ms | p99 ms | max ms | "
            f"First {COLD_SECONDS} s: requests, p95 ms | After: p95 ms | wrk's corrected p95 ms | "
            "Non-2xx | Socket errors | Peak server RSS MB |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {result.requests:,} | {result.seconds:.0f} | {result.rate:.1f} | "
            f"{result.p50_ms:.0f} | {result.p95_ms:.0f} | {result.p99_ms:.0f} | "
            f"{result.max_ms:.0f} | {result.cold_requests:,}, {result.cold_p95_ms:.0f} | "
            f"{result.warm_p95_ms:.0f} | {result.corrected_p95_ms:.0f} | "
            f"{result.non2xx} | {result.socket_errors} | {result.peak_rss_mb:.0f} |",
            "",
            f"Targets: no errors and p95 under {TARGET_P95_MS:.0f} ms "
            f"({'met' if met else '**missed**'}); a web process under {TARGET_RSS_MB:.0f} MB "
            f"({'met' if result.peak_rss_mb <= TARGET_RSS_MB else '**missed**'}).",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="web processes (one per core)"
    )
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args(argv)
    server_url = os.environ.get("DATABASE_URL")
    if not server_url:
        raise SystemExit("set DATABASE_URL to the server bench.views filled")
    database_url = (
        make_url(server_url)
        .set(database=f"demarche_bench_views_{args.articles}")
        .render_as_string(hide_password=False)
    )
    machine = Machine.here()
    machine.server = "DATABASE_URL"
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            machine.postgres = conn.execute(text("SHOW server_version")).scalar_one()
    finally:
        engine.dispose()
    result = run_load(
        database_url,
        clients=args.clients,
        seconds=args.seconds,
        processes=args.processes,
    )
    section = report(machine, args.articles, args.clients, result)
    publish(section, no_docs=args.no_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
