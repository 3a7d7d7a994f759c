"""How fast Démarche ingests plain-text articles, beside a raw `COPY` of the same texts.

    python -m bench.import_rate --articles 2000

Figures, all in articles per second on the synthetic corpus of `bench.corpus`:

- **raw COPY floor**: the texts `(name, body)` copied into a plain table with psycopg's
  COPY API in one transaction. Nothing stores text faster, so it is the yardstick the
  storage stage is compared with (target: storage within 5x of it).
- **storage stage alone**: for articles already read and extracted (outside the
  timer), `store_articles` with `BATCH_SIZE` articles per transaction, as imports store:
  each article one row holding its extraction (target: within 5x of the COPY floor).
  Then, timed apart over the same run, the **indexing stage** that imports run after
  each stored batch (`index_stored`: statements, themes, entities, stories, search
  vectors, count tables), and the two together. Beside them, **one by one**:
  `store_article`, stored and indexed in one transaction each, as the upload form and
  the API do.
- **end to end**: `read_upload` + extraction + storage, through the service loop
  (`import_items`, what the CLI runs) and an import job (`run_import_job`, what the web
  upload runs: the same plus per-item bookkeeping rows), each with extraction in this
  process (0 workers) and with `--workers` extraction processes beside the storing one
  (the app's default is one per core, `DEMARCHE_EXTRACT_WORKERS`). Target: 300
  articles/s. For these the CPU time of every process is measured (`bench.cpu`): the
  storing process, the extraction workers, the database's Postgres backends, in
  milliseconds per article, and from them the rate on idle cores (`modelled_rate`),
  which a busy machine cannot distort as it does the wall-clock rate. The workers' fork
  server starts before the timers (once per process, as in the web or worker process
  that runs imports; its start is reported apart).
- **extraction per core**: read + extract, no database, one process (target 500/s).

Each storage figure runs on emptied article tables of a fresh database (created,
migrated with `app.db.upgrade`, registry synced, and dropped at the end) on
DATABASE_URL's server, or on an embedded Postgres started in a temporary folder.
cProfile runs after the timed runs (never inside them) on the storage stage and on
extraction; its top functions go into the report so a missed target names its next step.
Results print as a table and are appended to docs/performance.md as a dated section.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import platform
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import database, drop_database, ensure_database, make_engine, upgrade
from app.extract import extract_statements
from app.extract.payload import Extraction
from app.ingest import ParsedArticle
from app.ingest.limits import IngestLimits
from app.ingest.readers import read_upload
from app.services.articles import (
    DuplicateArticleError,
    index_stored,
    store_article,
    store_articles,
)
from app.services.imports import (
    BATCH_SIZE,
    UploadedFile,
    create_import_job,
    import_items,
    run_import_job,
)
from app.services.parallel import ordered_map, start_fork_server
from app.services.registry import sync_registry
from bench.corpus import generate
from bench.cpu import CpuMeter, CpuUse, modelled_rate

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = REPO_ROOT / "docs" / "performance.md"
LIMITS = IngestLimits()

TARGET_END_TO_END = 300.0
TARGET_EXTRACTION_PER_CORE = 500.0
TARGET_STORAGE_VS_COPY = 5.0

Corpus = list[tuple[str, bytes]]
Prepared = list[tuple[ParsedArticle, Extraction]]


# --- machine --------------------------------------------------------------------------


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def reference_ms() -> float:
    """CPU milliseconds of a fixed pure-Python workload, best of five.

    This machine is a VM whose neighbours slow it down by up to half for hours at a
    time, and neither the load average nor per-CPU-second rates show it (a shared core
    runs fewer instructions per CPU-second). Timing the same small workload beside every
    benchmark tells a slow machine from slow code: sections whose reference is close
    were measured at the same machine speed."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        counts: dict[str, int] = {}
        for i in range(200_000):
            key = str(i % 997)
            counts[key] = counts.get(key, 0) + len(key)
        best = min(best, time.process_time() - start)
    return best * 1000


@dataclass(slots=True)
class Machine:
    """What the numbers were measured on; rates mean little without it."""

    cores: int
    ram_gib: float
    cpu: str
    python: str
    postgres: str = "?"
    server: str = "?"
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    reference_before: float = 0.0
    reference_after: float = 0.0

    @classmethod
    def here(cls) -> Machine:
        return cls(
            cores=len(os.sched_getaffinity(0)),
            ram_gib=_ram_gib(),
            cpu=_cpu_model(),
            python=platform.python_version(),
            load_before=os.getloadavg(),
            reference_before=reference_ms(),
        )

    def finish(self) -> None:
        """Take the load average and the reference workload's time after the run."""
        self.load_after = os.getloadavg()
        self.reference_after = reference_ms()

    def reference(self) -> str:
        """The reference workload's CPU time before and after, for a section's header."""
        after = self.reference_after or reference_ms()
        return (
            f"Reference workload (`bench.import_rate.reference_ms`, lower is a faster "
            f"machine): {self.reference_before:.0f} / {after:.0f} ms CPU before / after."
        )

    def describe(self) -> str:
        """The machine sentence every benchmark section starts with."""
        after = self.load_after if any(self.load_after) else os.getloadavg()
        return (
            f"Machine: {self.cores} cores ({self.cpu}), {self.ram_gib:.0f} GiB RAM, "
            f"Python {self.python}, PostgreSQL {self.postgres} ({self.server}). "
            f"Load average before / after: {', '.join(f'{x:.2f}' for x in self.load_before)}"
            f" / {', '.join(f'{x:.2f}' for x in after)} (other work on the machine inflates "
            f"every figure). {self.reference()}"
        )


# --- stages ---------------------------------------------------------------------------


@dataclass(slots=True)
class Figure:
    """One measured rate; `note` says what was timed when the label is not enough."""

    label: str
    articles: int
    seconds: float
    note: str = ""
    cpu_seconds: float = 0.0
    """CPU time of this process alone: what a busy machine cannot take away, so the
    extraction rate per core reads from it; for DB stages it excludes Postgres' work."""
    use: CpuUse | None = None
    """End-to-end figures: CPU time of every process, Postgres' included."""
    workers: int = 0

    def modelled(self, cores: int) -> float:
        """Articles per second on `cores` idle cores, from `use` (nan without it)."""
        if self.use is None:
            return float("nan")
        return modelled_rate(
            articles=self.articles,
            extraction=self.use.children,
            storing=self.use.own,
            postgres=self.use.postgres,
            processes=self.workers,
            cores=cores,
        )

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")

    @property
    def cpu_rate(self) -> float:
        return self.articles / self.cpu_seconds if self.cpu_seconds else float("nan")


@dataclass(slots=True)
class Results:
    machine: Machine
    articles: int
    seed: int
    statements: int = 0
    figures: dict[str, Figure] = field(default_factory=dict)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    fork_server: float = 0.0
    """Wall seconds the workers' fork server took to start, before the timed runs."""

    def add(self, key: str, figure: Figure) -> Figure:
        self.figures[key] = figure
        print(
            f"  {figure.label}: {figure.rate:,.1f} articles/s "
            f"({figure.cpu_rate:,.1f} per CPU-second)",
            file=sys.stderr,
        )
        return figure


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of `run` (CPU of this process only)."""
    start, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - start, time.process_time() - cpu


def read_and_extract(name: str, data: bytes) -> tuple[ParsedArticle, Extraction]:
    """What happens to one uploaded `.txt` before the store: read, then extract (the
    statements with their JSON, as an import's extraction processes hand them over)."""
    items = read_upload(name, data, limits=LIMITS)
    parsed = items[0].article
    if len(items) != 1 or parsed is None:
        raise RuntimeError(f"{name}: the reader did not return one article ({items[0].error})")
    return parsed, Extraction.of(extract_statements(parsed.body, published=parsed.published))


def measure_extraction(corpus: Corpus, results: Results) -> Prepared:
    """Read and extract every article in this process; returns them for the storage stage.

    Read and extract are timed apart as well, to say which half the time goes to.
    """
    read_and_extract(*corpus[0])  # load the registry and compile patterns outside the timer
    parsed: list[ParsedArticle] = []
    read_seconds = _timed(
        lambda: parsed.extend(read_upload(n, d, limits=LIMITS)[0].article for n, d in corpus)
    )
    prepared: Prepared = []
    extract_seconds = _timed(
        lambda: prepared.extend(
            (p, Extraction.of(extract_statements(p.body, published=p.published))) for p in parsed
        )
    )
    both = _timed(lambda: [read_and_extract(n, d) for n, d in corpus])
    results.add(
        "read",
        Figure(
            "read only (read_upload)", len(corpus), read_seconds[0], cpu_seconds=read_seconds[1]
        ),
    )
    results.add(
        "extract",
        Figure(
            "extract only (extract_statements)",
            len(corpus),
            extract_seconds[0],
            cpu_seconds=extract_seconds[1],
        ),
    )
    results.add(
        "extraction",
        Figure("extraction per core (read + extract)", len(corpus), both[0], cpu_seconds=both[1]),
    )
    results.statements = sum(len(e.statements) for _, e in prepared)
    return prepared


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def measure_copy(engine: Engine, corpus: Corpus, results: Results, *, repeat: int = 3) -> None:
    """The floor: COPY (name, body) of the same texts, one transaction, best of `repeat`.

    A regular (logged) table, like `articles`, so the WAL cost is on both sides. Then,
    for scale, the rate at which Postgres computes the full-text vectors of those texts
    without writing anything: every stored article and statement needs one for search.
    """
    import psycopg

    rows = [(name, data.decode("utf-8")) for name, data in corpus]
    best = float("inf")
    with psycopg.connect(_libpq(engine.url.render_as_string(hide_password=False))) as conn:
        conn.execute("CREATE TABLE bench_copy (name text NOT NULL, body text NOT NULL)")
        conn.commit()
        for _ in range(repeat):
            conn.execute("TRUNCATE bench_copy")
            conn.commit()
            start = time.perf_counter()
            with conn.cursor() as cur, cur.copy("COPY bench_copy (name, body) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            conn.commit()
            best = min(best, time.perf_counter() - start)
        vectors = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            conn.execute(
                "SELECT sum(length(to_tsvector('english'::regconfig, body))) FROM bench_copy"
            ).fetchone()
            vectors = min(vectors, time.perf_counter() - start)
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
    results.add("copy", Figure("raw COPY floor", len(corpus), best, f"best of {repeat}"))
    results.add(
        "vectors",
        Figure(
            "full-text vectors of the same texts alone (Postgres `to_tsvector`, no write)",
            len(corpus),
            vectors,
            f"best of {repeat}; what search indexing costs the server per article body, "
            "before statements' own vectors",
        ),
    )


@contextlib.contextmanager
def bench_server(machine: Machine) -> Iterator[str]:
    """The server to measure on: DATABASE_URL's, or an embedded Postgres in a temporary
    folder removed afterwards. Notes on `machine` which one it is."""
    data_dir = Path(tempfile.mkdtemp(prefix="demarche-bench-"))
    try:
        with database(os.environ.get("DATABASE_URL"), data_dir) as server_url:
            machine.server = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded"
            yield server_url
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def prepare_database(engine: Engine, machine: Machine) -> None:
    """Migrate, load the registry, note the server's version: what every bench database
    needs before it is measured."""
    upgrade(engine)
    with Session(engine) as session:
        sync_registry(session)
        session.commit()
    with engine.connect() as conn:
        machine.postgres = conn.execute(text("SHOW server_version")).scalar_one()


def publish(section: str, *, no_docs: bool) -> None:
    """Print a benchmark's section and, unless `no_docs`, append it to docs/performance.md."""
    print(section)
    if not no_docs:
        with DOCS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + section + "\n")
        print(f"appended to {DOCS}", file=sys.stderr)


@contextlib.contextmanager
def fresh_database(server_url: str, tag: str, machine: Machine) -> Iterator[Engine]:
    """A new database, migrated and with the registry synced, dropped on exit.

    Every stage gets its own rather than a TRUNCATE between stages: after an ANALYZE of
    emptied tables, psycopg's prepared statements got generic plans for "empty" tables
    and the story lookup in `_story_id` ran ~100x slower (see docs/performance.md), which
    measured the reset, not the app. A fresh database is what a new install starts from.
    """
    name = f"demarche_bench_{os.getpid()}_{tag}"
    url = ensure_database(server_url, name)
    engine = make_engine(url)
    try:
        prepare_database(engine, machine)
        yield engine
    finally:
        engine.dispose()
        drop_database(server_url, name)


def store_all(engine: Engine, prepared: Prepared) -> int:
    """`store_article` for each prepared article, stored and indexed in one commit each,
    as the upload form and the API store."""
    stored = 0
    with Session(engine, expire_on_commit=False) as session:
        for parsed, extraction in prepared:
            try:
                store_article(session, parsed=parsed, statements=extraction.statements)
                stored += 1
            except DuplicateArticleError:
                session.rollback()
    return stored


@dataclass(slots=True)
class StageClock:
    """Wall and CPU seconds of this process spent in one stage, summed over batches."""

    wall: float = 0.0
    cpu: float = 0.0

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu


def store_batches(
    engine: Engine, prepared: Prepared, clocks: tuple[StageClock, StageClock] | None = None
) -> int:
    """BATCH_SIZE articles per commit, as imports store: `store_articles` and its
    commit, then `index_stored` and its commit, batch after batch. `clocks` (storing,
    indexing) get each stage's time."""
    storing, indexing = clocks or (StageClock(), StageClock())
    stored = 0
    with Session(engine, expire_on_commit=False) as session:
        for start in range(0, len(prepared), BATCH_SIZE):
            with storing.running():
                results = store_articles(session, prepared[start : start + BATCH_SIZE])
                session.commit()
            with indexing.running():
                index_stored(session, results)
                session.commit()
            stored += sum(not isinstance(r, DuplicateArticleError) for r in results)
    return stored


def measure_storage(engine: Engine, prepared: Prepared, results: Results) -> None:
    seconds, cpu = _timed(lambda: store_all(engine, prepared))
    results.add(
        "storage",
        Figure(
            "stored and indexed one by one (store_article)",
            len(prepared),
            seconds,
            "one commit each, as the upload form and the API store",
            cpu,
        ),
    )


def measure_batched_storage(engine: Engine, prepared: Prepared, results: Results) -> None:
    """The storage stage as imports run it, and the indexing stage that follows each
    batch, timed apart over the same run."""
    storing, indexing = StageClock(), StageClock()
    stored = store_batches(engine, prepared, (storing, indexing))
    results.add(
        "storage_batched",
        Figure(
            f"storage stage, batched (store_articles, {BATCH_SIZE} per commit)",
            len(prepared),
            storing.wall,
            f"{stored} stored, each row with its extraction",
            storing.cpu,
        ),
    )
    results.add(
        "indexing",
        Figure(
            f"indexing stage, batched (index_stored, {BATCH_SIZE} per commit)",
            len(prepared),
            indexing.wall,
            "statements, themes, entities, stories, search vectors, count tables",
            indexing.cpu,
        ),
    )
    results.add(
        "stored_and_indexed",
        Figure(
            "storage + indexing, batched",
            len(prepared),
            storing.wall + indexing.wall,
            "both stages, as an import commits them",
            storing.cpu + indexing.cpu,
        ),
    )


def _database_name(engine: Engine) -> str:
    return str(engine.url.database)


def _import_items(engine: Engine, corpus: Corpus, workers: int) -> dict[str, int]:
    counts: dict[str, int] = {}

    def items() -> Iterator:
        for name, data in corpus:
            yield from read_upload(name, data, limits=LIMITS, defer=True)

    with Session(engine, expire_on_commit=False) as session:
        for outcome in import_items(session, items(), workers=workers):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts


def _processes(workers: int) -> str:
    if workers <= 0:
        return "1 process"
    plural = "s" if workers > 1 else ""
    return f"{workers} extraction worker{plural} + the storing process"


def _end_to_end(label: str, corpus: Corpus, workers: int, use: CpuUse, note: str) -> Figure:
    return Figure(label, len(corpus), use.wall, note, use.own, use, workers)


def measure_end_to_end(engine: Engine, corpus: Corpus, results: Results, workers: int) -> None:
    """The service loop the CLI runs: read_upload, extraction, batched store."""
    counts: dict[str, int] = {}
    with CpuMeter(_database_name(engine)) as meter:
        counts.update(_import_items(engine, corpus, workers))
    note = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    label = f"end to end, import_items, {_processes(workers)}"
    results.add(f"e2e{workers}", _end_to_end(label, corpus, workers, meter.use, note))


def measure_import_job(engine: Engine, corpus: Corpus, results: Results, workers: int) -> None:
    """An import job as the web upload queues it; storing the upload is outside the timer."""
    with Session(engine, expire_on_commit=False) as session:
        job = create_import_job(
            session,
            label="bench",
            files=[UploadedFile(name, data) for name, data in corpus],
            urls=[],
        )
        job_id = job.id
    with Session(engine, expire_on_commit=False) as session:
        with CpuMeter(_database_name(engine)) as meter:
            run_import_job(session, job_id, limits=LIMITS, workers=workers)
        stats = session.execute(
            text("SELECT stored, duplicates, failed FROM import_jobs WHERE id = :id"),
            {"id": job_id},
        ).one()
    note = f"{stats.stored} stored, {stats.duplicates} duplicate, {stats.failed} failed"
    label = f"end to end, import job (run_import_job), {_processes(workers)}"
    results.add(f"job{workers}", _end_to_end(label, corpus, workers, meter.use, note))


# --- profiles -------------------------------------------------------------------------


def _short(filename: str) -> str:
    for marker in ("/site-packages/", str(REPO_ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def top_functions(profile: cProfile.Profile, *, limit: int = 8) -> list[str]:
    """The top functions by own time, and the app's own functions by cumulative time.

    Own time names the code that burns the CPU; cumulative time within `app/` names the
    app function to change, since library time is spent on the app's behalf.
    """
    stats = pstats.Stats(profile, stream=io.StringIO())
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in entries.values()) or 1.0
    rows = [
        (tt, ct, nc, f"{_short(file)}:{line}({name})")
        for (file, line, name), (_, nc, tt, ct, _) in entries.items()
    ]
    own = sorted(rows, reverse=True)[:limit]
    app = sorted((r for r in rows if r[3].startswith("app/")), key=lambda r: r[1], reverse=True)[
        :limit
    ]
    lines = ["own time:"]
    lines += [f"  {tt / total:5.1%}  {nc:>8} calls  {where}" for tt, _, nc, where in own]
    lines.append("cumulative, app code:")
    lines += [f"  {ct / total:5.1%}  {nc:>8} calls  {where}" for _, ct, nc, where in app]
    return lines


@contextlib.contextmanager
def sql_timer(engine: Engine) -> Iterator[dict[str, list[float]]]:
    """Wall time spent in each SQL statement (by its first words) while the block runs.

    cProfile sees a wait inside psycopg but not which statement it was waiting for; this
    names the statements, and what is left of the wall time is Python (ORM, app code).
    """
    spent: dict[str, list[float]] = {}

    def before(conn: Connection, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        key = " ".join(statement.split()[:4])[:60]
        entry = spent.setdefault(key, [0.0, 0])
        entry[0] += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        entry[1] += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield spent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _commit_time(engine: Engine, prepared: Prepared) -> float:
    """`store_all` with the time spent in COMMIT (the WAL flush) measured apart."""
    spent = 0.0
    original = Session.commit

    def commit(self: Session) -> None:
        nonlocal spent
        start = time.perf_counter()
        original(self)
        spent += time.perf_counter() - start

    Session.commit = commit  # type: ignore[method-assign]
    try:
        store_all(engine, prepared)
    finally:
        Session.commit = original  # type: ignore[method-assign]
    return spent


def profile_stages(
    server_url: str, machine: Machine, corpus: Corpus, prepared: Prepared, results: Results
) -> None:
    """cProfile extraction and storage on a slice, and split storage's wall time by SQL.

    Storage is profiled on the last articles of the corpus, after the others are stored,
    so the tables are as full as at the end of the timed run, not empty.
    """
    size = min(len(corpus) // 4, 300)
    profile = cProfile.Profile()
    profile.runcall(lambda: [read_and_extract(n, d) for n, d in corpus[:size]])
    results.profiles[f"read + extract, cProfile ({size} articles)"] = top_functions(profile)
    with fresh_database(server_url, "profile", machine) as engine:
        store_all(engine, prepared[: -2 * size])
        profile = cProfile.Profile()
        profile.runcall(lambda: store_all(engine, prepared[-2 * size : -size]))
        results.profiles[f"storage, cProfile ({size} articles)"] = top_functions(profile)
        start = time.perf_counter()
        with sql_timer(engine) as spent:
            committing = _commit_time(engine, prepared[-size:])
        wall = time.perf_counter() - start
    in_sql = sum(seconds for seconds, _ in spent.values())
    lines = [
        f"wall {wall:.2f} s for {size} articles ({size / wall:.1f}/s): "
        f"{in_sql / wall:.0%} in SQL statements, {committing / wall:.0%} in COMMIT, "
        f"{1 - (in_sql + committing) / wall:.0%} in Python and COPY (which cursor events miss)",
        "statements by total time:",
    ]
    for key, (seconds, calls) in sorted(spent.items(), key=lambda kv: -kv[1][0])[:8]:
        lines.append(
            f"  {seconds / wall:5.1%}  {calls:>6} calls  {seconds / calls * 1000:6.2f} ms each  {key}"
        )
    results.profiles[f"storage, wall time by SQL statement ({size} articles)"] = lines
    with fresh_database(server_url, "profile_batched", machine) as engine:
        store_batches(engine, prepared[:-size])
        profile = cProfile.Profile()
        profile.runcall(lambda: store_batches(engine, prepared[-size:]))
        results.profiles[f"storage batched, cProfile ({size} articles)"] = top_functions(profile)


# --- report ---------------------------------------------------------------------------


def _verdict(rate: float, target: float) -> str:
    if rate >= target:
        return f"met ({rate / target:.1f}x the target)"
    return f"**missed**: {rate / target:.0%} of the target, needs {target / rate:.1f}x"


def cpu_table(results: Results) -> list[str]:
    """CPU milliseconds per article of each process of the end-to-end runs, and the rate
    they allow on idle cores (`bench.cpu.modelled_rate`)."""
    cores = results.machine.cores
    rows = [(f, f.use) for f in results.figures.values() if f.use is not None]
    if not rows:
        return []
    lines = [
        "",
        "CPU per article of each process in the end-to-end runs (ms; the storing process's "
        "own time, its extraction workers' with the fork server's share, the database's "
        f"Postgres backends'), and the rate that CPU allows on {cores} idle cores:",
        "",
        "| Figure | Storing process | Extraction workers | Postgres | Total | "
        f"Modelled on {cores} idle cores | Wall rate here |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f, use in rows:
        per = 1000 / f.articles
        lines.append(
            f"| {f.label} | {use.own * per:.2f} | {use.children * per:.2f} | "
            f"{use.postgres * per:.2f} | {use.total * per:.2f} | {f.modelled(cores):,.0f} | "
            f"{f.rate:,.1f} |"
        )
    return lines


def report(results: Results) -> str:
    """The dated Markdown section appended to docs/performance.md."""
    m, f = results.machine, results.figures
    copy_rate = f["copy"].rate
    lines = [
        f"## {datetime.now():%Y-%m-%d %H:%M} — {results.articles} articles",
        "",
        f"{m.describe()} Corpus: `bench.corpus`, seed "
        f"{results.seed}, {results.statements / results.articles:.1f} statements per article."
        + (
            f" The extraction workers' fork server started in {results.fork_server:.1f} s "
            "before the timed runs (once per process)."
            if results.fork_server
            else ""
        ),
        "",
        "| Figure | Articles/s (wall) | Per CPU-second of the Python process | Target | Verdict | Notes |",
        "| --- | ---: | ---: | --- | --- | --- |",
    ]
    targets: dict[str, tuple[str, str]] = {
        "copy": ("floor", ""),
        "storage_batched": (
            f"≥ {copy_rate / TARGET_STORAGE_VS_COPY:,.0f} (COPY / 5)",
            _verdict(f["storage_batched"].rate, copy_rate / TARGET_STORAGE_VS_COPY)
            + f"; COPY is {copy_rate / f['storage_batched'].rate:,.0f}x faster",
        ),
        "extraction": (
            f"≥ {TARGET_EXTRACTION_PER_CORE:.0f} per core",
            _verdict(f["extraction"].rate, TARGET_EXTRACTION_PER_CORE),
        ),
    }
    for key in f:
        if key.startswith(("e2e", "job")):
            targets[key] = (f"≥ {TARGET_END_TO_END:.0f}", _verdict(f[key].rate, TARGET_END_TO_END))
    for key, figure in f.items():
        target, verdict = targets.get(key, ("", ""))
        lines.append(
            f"| {figure.label} | {figure.rate:,.1f} | {figure.cpu_rate:,.1f} | {target} | "
            f"{verdict} | {figure.note} |"
        )
    lines += cpu_table(results)
    if results.profiles:
        lines += ["", "Profiles (cProfile, share of profiled time):", ""]
    for title, rows in results.profiles.items():
        lines += [f"{title}:", "", "```", *rows, "```", ""]
    return "\n".join(lines)


def _start_workers() -> None:
    """Start the fork server and wait until it has loaded the extractor (a pool of one
    worker extracting nothing returns only once it has)."""
    start_fork_server()
    list(ordered_map(abs, range(2), workers=1, inline_first=0))


def run(args: argparse.Namespace) -> Results:
    machine = Machine.here()
    results = Results(machine, args.articles, args.seed)
    print(f"generating {args.articles} articles (seed {args.seed})", file=sys.stderr)
    corpus: Corpus = list(generate(args.articles, args.seed))
    prepared = measure_extraction(corpus, results)

    if any(args.workers):
        seconds = _timed(_start_workers)[0]
        results.fork_server = seconds
    with bench_server(machine) as server_url:
        with fresh_database(server_url, "copy", machine) as engine:
            measure_copy(engine, corpus, results)
        with fresh_database(server_url, "storage", machine) as engine:
            measure_storage(engine, prepared, results)
        with fresh_database(server_url, "storage_batched", machine) as engine:
            measure_batched_storage(engine, prepared, results)
        for workers in args.workers:
            with fresh_database(server_url, f"e2e{workers}", machine) as engine:
                measure_end_to_end(engine, corpus, results, workers)
            with fresh_database(server_url, f"job{workers}", machine) as engine:
                measure_import_job(engine, corpus, results, workers)
        if not args.no_profile:
            profile_stages(server_url, machine, corpus, prepared, results)
    machine.finish()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers",
        type=lambda value: [int(v) for v in value.split(",") if v.strip()],
        default=[0, len(os.sched_getaffinity(0))],
        help="comma-separated extraction worker counts for the end-to-end figures, 0 for "
        "extraction in the storing process (default: 0 and the app's default, one per "
        "core)",
    )
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args(argv)
    results = run(args)
    section = report(results)
    publish(section, no_docs=args.no_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
