"""Bulk import through `demarche worker` processes: the rate, and each worker's memory.

    python -m bench.workers --articles 20000 --workers 2

What a team running background workers gets: the generated corpus (`bench.corpus`) is
uploaded as zips of `--zip-articles` articles each, as an editor would upload them, into
one import job in a database of its own; then `--workers` `demarche worker` processes
start, knowing only the database URL, and share the job's parts through the queue. The
clock runs from their start (their start-up included) to the job's end. A sampler reads
every worker's resident memory, with its extraction processes, twice a second.

Reported: articles per second, the job's counters (stored, duplicate, failed: nothing may
be lost), each worker's peak resident memory, alone and with its extraction processes,
and the rate through each tenth of the job, which shows whether storing slows as the
tables grow (`--articles 1000000` for a million; the progress is also printed every
minute). The table is printed and, unless `--no-docs`, appended to docs/performance.md.

`--zip-dir DIR` keeps the generated zips in a folder of DIR named for the corpus and
reuses them on the next run: a million articles take both cores about 40 minutes to
generate, which a run can then spend on code changes instead of waiting.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from pathlib import Path

import psutil
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.db import drop_database, ensure_database, make_engine
from app.services.imports import UploadedFile, create_import_job
from bench.corpus import article
from bench.cpu import CpuMeter, CpuUse
from bench.import_rate import Machine, bench_server, prepare_database, publish

TARGET_RATE = 300.0
"""Articles per second end to end (the ingestion issue's target; a million in under an
hour needs 278)."""


@dataclass(slots=True)
class Peak:
    """The highest resident memory seen for one worker, in MiB."""

    alone: float = 0.0
    with_children: float = 0.0

    def sample(self, process: psutil.Process) -> None:
        try:
            own = process.memory_info().rss
            children = sum(child.memory_info().rss for child in process.children(recursive=True))
        except psutil.NoSuchProcess:
            return
        self.alone = max(self.alone, own / 2**20)
        self.with_children = max(self.with_children, (own + children) / 2**20)


@dataclass(frozen=True, slots=True)
class Progress:
    """The job's processed items `processed` at `seconds` after the workers started, and
    the CPU seconds the workers and Postgres had spent by then."""

    seconds: float
    processed: int
    workers_cpu: float = 0.0
    postgres_cpu: float = 0.0


@dataclass(frozen=True, slots=True)
class Tenth:
    """One tenth of the import: where it ended, its rate, and its CPU per article, which
    tells a slowdown in the workers from one in Postgres."""

    done: int
    seconds: float
    rate: float
    workers_ms: float
    postgres_ms: float


def tenths(progress: Sequence[Progress], articles: int) -> list[Tenth]:
    """The import by tenths of `articles`: for each tenth reached, the articles and
    seconds at its end, the rate and the CPU per article since the tenth before."""
    rows: list[Tenth] = []
    last = Progress(0.0, 0)
    for tenth in range(1, 11):
        goal = articles * tenth // 10
        reached = next((p for p in progress if p.processed >= goal), None)
        if reached is None or reached.seconds <= last.seconds:
            continue
        done = reached.processed - last.processed
        rows.append(
            Tenth(
                reached.processed,
                reached.seconds,
                done / (reached.seconds - last.seconds),
                1000 * (reached.workers_cpu - last.workers_cpu) / max(done, 1),
                1000 * (reached.postgres_cpu - last.postgres_cpu) / max(done, 1),
            )
        )
        last = reached
    return rows


@dataclass(slots=True)
class WorkersRun:
    articles: int
    workers: int
    extract_workers: int
    seconds: float
    stored: int
    duplicates: int
    failed: int
    peaks: list[Peak] = field(default_factory=list)
    use: CpuUse | None = None
    """CPU time of the workers (with their extraction processes) and of Postgres."""
    progress: list[Progress] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.articles / self.seconds

    def cpu_line(self, cores: int) -> str:
        """CPU per article and the rate it allows on `cores` idle cores (its total-CPU
        bound: the workers share the job, so no one process's chain limits it)."""
        if self.use is None:
            return ""
        per = 1000 / self.articles
        workers, postgres = self.use.children * per, self.use.postgres * per
        return (
            f"CPU per article: {workers:.2f} ms in the worker processes (their start-up, "
            f"extraction processes and fork servers included), {postgres:.2f} ms in Postgres "
            f"backends; on {cores} idle cores that CPU allows "
            f"{cores * 1000 / (workers + postgres):,.0f} articles/s."
        )


def _zip(articles: int, seed: int, number: int, first: int, stop: int) -> UploadedFile:
    """Articles `first` to `stop` of the corpus of `articles`, as zip `number`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(first, stop):
            archive.writestr(*article(index, articles, seed))
    return UploadedFile(f"articles-{number:03}.zip", buffer.getvalue())


def _zips(articles: int, seed: int, per_zip: int) -> list[UploadedFile]:
    """The corpus as zips of `per_zip` articles each, as an editor uploads a folder.

    Made on every core before the clock starts: the generator writes about 400 articles
    a second on one core here, so a million would keep the run waiting for 45 minutes.
    """
    firsts = range(0, articles, per_zip)
    stops = [min(first + per_zip, articles) for first in firsts]
    # Spawned, not forked: a test runs this in a process whose threads may hold locks.
    spawned = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=spawned) as pool:
        numbers = range(1, len(firsts) + 1)
        return list(pool.map(_zip, repeat(articles), repeat(seed), numbers, firsts, stops))


def _kept_zips(folder: Path, articles: int, seed: int, per_zip: int) -> list[UploadedFile]:
    """The corpus's zips from `folder`, generated and written there first if missing.

    The folder is named for what decides the zips' content, so another corpus never
    reads them; a run that stopped while writing leaves no `done` mark and is redone.
    """
    kept = folder / f"articles-{articles}-seed-{seed}-per-{per_zip}"
    done = kept / "done"
    if done.exists():
        return [UploadedFile(path.name, path.read_bytes()) for path in sorted(kept.glob("*.zip"))]
    kept.mkdir(parents=True, exist_ok=True)
    uploads = _zips(articles, seed, per_zip)
    for upload in uploads:
        (kept / upload.name).write_bytes(upload.data)
    done.touch()
    return uploads


def _start_worker(url: str, extract_workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEMARCHE_EXTRACT_WORKERS": str(extract_workers),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _job_row(engine: Engine, job_id: int) -> tuple[str, int, int, int, int]:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT status, stored, duplicates, failed, processed FROM import_jobs "
                "WHERE id = :id"
            ),
            {"id": job_id},
        ).one()
    return row.status, row.stored, row.duplicates, row.failed, row.processed


def run_workers(
    engine: Engine,
    url: str,
    *,
    articles: int,
    seed: int,
    workers: int,
    extract_workers: int,
    per_zip: int,
    timeout: float,
    zip_dir: Path | None = None,
) -> WorkersRun:
    """Queue one job holding the corpus, run `workers` worker processes until it is done."""
    files = (
        _zips(articles, seed, per_zip)
        if zip_dir is None
        else _kept_zips(zip_dir, articles, seed, per_zip)
    )
    with Session(engine, expire_on_commit=False) as session:
        job = create_import_job(session, label="bench", files=files, urls=[])
    processes: list[subprocess.Popen[bytes]] = []
    peaks = [Peak() for _ in range(workers)]
    sampling = threading.Event()

    def sample() -> None:
        watched = [psutil.Process(process.pid) for process in processes]
        while not sampling.is_set():
            for peak, process in zip(peaks, watched, strict=True):
                peak.sample(process)
            time.sleep(0.5)

    progress: list[Progress] = []
    printed = 0.0
    start = time.perf_counter()
    meter = CpuMeter(str(engine.url.database))
    try:
        with meter:
            processes.extend(_start_worker(url, extract_workers) for _ in range(workers))
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            deadline = time.monotonic() + timeout
            while (state := _job_row(engine, job.id))[0] not in {"done", "failed"}:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the import did not finish within {timeout:.0f} s")
                if all(process.poll() is not None for process in processes):
                    raise SystemExit("every worker exited before the job was done")
                progress.append(Progress(time.perf_counter() - start, state[4], *meter.so_far()))
                if progress[-1].seconds - printed >= 60:
                    printed = progress[-1].seconds
                    print(
                        f"  {state[4]:,} of {articles:,} after {printed:,.0f} s "
                        f"({state[4] / printed:,.0f}/s)",
                        file=sys.stderr,
                    )
                time.sleep(0.5)
        seconds = time.perf_counter() - start
    finally:
        sampling.set()
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    _, stored, duplicates, failed, processed = state
    progress.append(Progress(seconds, processed, *meter.so_far()))
    return WorkersRun(
        articles,
        workers,
        extract_workers,
        seconds,
        stored,
        duplicates,
        failed,
        peaks,
        meter.use,
        progress,
    )


def report(machine: Machine, run: WorkersRun) -> str:
    met = run.rate >= TARGET_RATE
    lines = [
        f"## Import through `demarche worker` processes (`bench.workers`) — "
        f"{datetime.now():%Y-%m-%d %H:%M}",
        "",
        machine.describe(),
        "",
        f"{run.articles:,} generated articles in zips, one import job, {run.workers} worker "
        f"processes with {run.extract_workers} extraction process(es) each; timed from the "
        "workers' start to the job's end.",
        "",
        "| Articles/s | Seconds | Stored | Duplicates | Failed |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {run.rate:,.1f} | {run.seconds:,.1f} | {run.stored:,} | {run.duplicates:,} "
        f"| {run.failed:,} |",
        "",
        "| Worker | Peak RSS, worker alone (MiB) | Peak RSS with its extraction processes (MiB) |",
        "| --- | ---: | ---: |",
        *(
            f"| {number} | {peak.alone:,.0f} | {peak.with_children:,.0f} |"
            for number, peak in enumerate(run.peaks, 1)
        ),
        "",
        f"Target ≥ {TARGET_RATE:.0f} articles/s: {'met' if met else '**missed**'} "
        f"({run.rate / TARGET_RATE:.0%} of it).",
    ]
    if run.use is not None:
        lines += ["", run.cpu_line(machine.cores)]
    lines += [
        "",
        "| Articles done | Seconds | Articles/s since the tenth before "
        "| CPU ms per article, workers | CPU ms per article, Postgres |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {t.done:,} | {t.seconds:,.0f} | {t.rate:,.1f} | {t.workers_ms:.2f} "
            f"| {t.postgres_ms:.2f} |"
            for t in tenths(run.progress, run.articles)
        ),
    ]
    return "\n".join(lines)


def measure(
    server_url: str,
    machine: Machine,
    *,
    articles: int,
    seed: int,
    workers: int,
    extract_workers: int,
    per_zip: int,
    timeout: float,
    zip_dir: Path | None = None,
) -> WorkersRun:
    """`run_workers` in a database of its own on the server, dropped afterwards."""
    name = f"demarche_bench_workers_{os.getpid()}"
    url = ensure_database(server_url, name)
    engine = make_engine(url)
    try:
        prepare_database(engine, machine)
        return run_workers(
            engine,
            url,
            articles=articles,
            seed=seed,
            workers=workers,
            extract_workers=extract_workers,
            per_zip=per_zip,
            timeout=timeout,
            zip_dir=zip_dir,
        )
    finally:
        engine.dispose()
        drop_database(server_url, name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--extract-workers",
        type=int,
        default=0,
        help="DEMARCHE_EXTRACT_WORKERS of each worker (0: each extracts in its own process)",
    )
    parser.add_argument("--zip-articles", type=int, default=2_000)
    parser.add_argument("--timeout", type=float, default=4 * 3600)
    parser.add_argument("--zip-dir", type=Path, help="keep the generated zips here and reuse them")
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args(argv)

    machine = Machine.here()
    with bench_server(machine) as server_url:
        run = measure(
            server_url,
            machine,
            articles=args.articles,
            seed=args.seed,
            workers=args.workers,
            extract_workers=args.extract_workers,
            per_zip=args.zip_articles,
            timeout=args.timeout,
            zip_dir=args.zip_dir,
        )
    machine.finish()
    section = report(machine, run)
    publish(section, no_docs=args.no_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
