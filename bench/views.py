"""Server time of the main views over a large corpus, and the import that loads it.

    python -m bench.views --articles 100000
    python -m bench.views --articles 100000 --reuse   # time the views again, no import

The corpus (`bench.corpus`) is imported through `import_items` with one extraction
worker per core, as `demarche import` does, into a database of its own
(`demarche_bench_views_<N>`) on DATABASE_URL's server or an embedded Postgres; its import
rate is reported. Each view is then requested `--requests` times (after two warm-up
requests) through the ASGI app in this process, so the figures are the server's time
without the network: p50, p95 and max in milliseconds, and the status. Results print as
a table and are appended to docs/performance.md.

The views are those an analyst opens most, with filters taken from the data (the most
quoted speaker, the busiest outlet, the largest theme), so they match rows at any size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.db import database_url, ensure_database, make_engine
from app.db_recent_search import roll_recent_search
from app.ingest.readers import read_upload
from app.main import create_app
from app.models import Article, Outlet, Speaker, Statement, StatementTheme, Theme
from app.services.imports import import_items
from app.settings import Settings
from bench.corpus import generate
from bench.import_rate import LIMITS, Machine, bench_server, prepare_database, publish

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = REPO_ROOT / "docs" / "performance.md"
TARGET_VIEW_P95_MS = 100.0
TARGET_SEARCH_P95_MS = 200.0


class _NoJobs:
    """The views never queue work; the bench's app gets no queue worker."""

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def enqueue_import(self, job_id: int) -> None:
        raise RuntimeError("the views benchmark does not import through the web")


@dataclass(slots=True)
class Timing:
    label: str
    path: str
    status: int
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def search(self) -> bool:
        return "q=" in self.path


def database_name(articles: int) -> str:
    """The views database of a corpus size, kept between runs for `--reuse`."""
    return f"demarche_bench_views_{articles}"


def _article_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count(Article.id))).scalar_one()


def filled(server_url: str, name: str) -> bool:
    """Whether database `name` exists on the server and holds articles."""
    admin = make_engine(server_url)
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
    finally:
        admin.dispose()
    if not exists:
        return False
    engine = make_engine(database_url(server_url, name))
    try:
        return _article_count(engine) > 0
    finally:
        engine.dispose()


def load(engine: Engine, articles: int, seed: int, workers: int) -> tuple[int, float]:
    """Import the corpus; returns (articles stored, seconds)."""

    def items() -> Iterator:
        for name, data in generate(articles, seed):
            yield from read_upload(name, data, limits=LIMITS, defer=True)

    stored = 0
    start = time.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        for done, outcome in enumerate(import_items(session, items(), workers=workers), 1):
            stored += outcome.status == "stored"
            if done % 5000 == 0:
                rate = done / (time.perf_counter() - start)
                print(f"  {done:,} imported ({rate:,.0f}/s)", file=sys.stderr)
    seconds = time.perf_counter() - start
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return stored, seconds


def most_quoted(session: Session, limit: int) -> list[str]:
    """The slugs of the `limit` speakers with the most statements, most first."""
    return list(
        session.execute(
            select(Speaker.slug)
            .join(Statement, Statement.speaker_id == Speaker.id)
            .group_by(Speaker.slug)
            .order_by(func.count().desc())
            .limit(limit)
        ).scalars()
    )


def views(engine: Engine) -> dict[str, str]:
    """The main views, with filters that match rows in this corpus."""
    with Session(engine) as session:
        [speaker] = most_quoted(session, 1)
        outlet = session.execute(
            select(Outlet.slug)
            .join(Article, Article.outlet_id == Outlet.id)
            .group_by(Outlet.slug)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        theme = session.execute(
            select(Theme.slug)
            .join(StatementTheme, StatementTheme.theme_id == Theme.id)
            .group_by(Theme.slug)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        newest = session.execute(select(func.max(Statement.stated_on))).scalar_one()
    year = f"from={newest.year}-01-01&to={newest.year}-12-31"
    words = quote('"security guarantees" -sanctions')
    return {
        "overview": "/",
        "timeline": "/statements",
        "timeline, one speaker": f"/statements?speaker={speaker}",
        "timeline, outlet + theme + year": f"/statements?outlet={outlet}&theme={theme}&{year}",
        "timeline, search": f"/statements?q={words}",
        "search page": f"/search?q={words}",
        "speakers": "/speakers",
        "speaker page": f"/speakers/{speaker}",
        "outlets": "/outlets",
        "outlet page": f"/outlets/{outlet}",
        "themes (heatmap)": "/themes",
        "theme page": f"/themes/{theme}",
        "API statements, one speaker": f"/api/statements?speaker={speaker}",
        "Atom feed, one theme": f"/statements.atom?theme={theme}",
    }


def time_views(engine: Engine, requests: int) -> list[Timing]:
    # Anonymous reading on: the views are timed without a sign-in round trip per request.
    # The page cache is off: every request renders its page afresh, as the first visit to
    # an address after a write does (bench.load measures the cache at work).
    settings = Settings(
        database_url=None, run_worker=False, demo=False, anonymous_read=True, page_cache_mb=0
    )
    app = create_app(settings, engine=engine, jobs=_NoJobs())
    timings: list[Timing] = []
    with TestClient(app) as client:
        for label, path in views(engine).items():
            status = 0
            for _ in range(2):
                status = client.get(path, follow_redirects=False).status_code
            samples: list[float] = []
            for _ in range(requests):
                start = time.perf_counter()
                status = client.get(path, follow_redirects=False).status_code
                samples.append((time.perf_counter() - start) * 1000)
            timings.append(Timing(label, path, status, samples))
            print(f"  {label}: p95 {timings[-1].p95:.0f} ms ({status})", file=sys.stderr)
    return timings


def report(
    machine: Machine,
    articles: int,
    statements: int,
    imported: tuple[int, float] | None,
    timings: Sequence[Timing],
    requests: int,
) -> str:
    """The dated section for docs/performance.md."""
    lines = [
        f"## {datetime.now():%Y-%m-%d %H:%M} — views at {articles:,} articles",
        "",
        f"{machine.describe()} {statements:,} statements. Server time through the ASGI app in process, "
        f"{requests} requests per view after two warm-up requests.",
        "",
    ]
    if imported:
        stored, seconds = imported
        lines += [
            f"Import (`import_items`, extraction workers beside the store): {stored:,} "
            f"articles in {seconds:,.0f} s, **{stored / seconds:,.0f} articles/s**.",
            "",
        ]
    lines += [
        "| View | Path | Status | p50 ms | p95 ms | max ms | Target p95 |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in timings:
        target = TARGET_SEARCH_P95_MS if t.search else TARGET_VIEW_P95_MS
        verdict = "met" if t.p95 <= target and t.status == 200 else "**missed**"
        lines.append(
            f"| {t.label} | `{t.path}` | {t.status} | {t.p50:.0f} | {t.p95:.0f} | "
            f"{max(t.samples_ms):.0f} | < {target:.0f} ({verdict}) |"
        )
    return "\n".join(lines)


@dataclass(slots=True)
class ViewsRun:
    """The views timed over one database, and the import that filled it (if this run did)."""

    database_url: str
    articles: int
    statements: int
    imported: tuple[int, float] | None
    timings: list[Timing]


def measure(
    server_url: str,
    machine: Machine,
    *,
    articles: int,
    seed: int,
    requests: int,
    workers: int,
    reuse: bool,
) -> ViewsRun:
    """Fill `demarche_bench_views_<articles>` on the server (unless `reuse` finds it
    filled) and time the views over it."""
    name = database_name(articles)
    url = ensure_database(server_url, name)
    engine = make_engine(url)
    try:
        prepare_database(engine, machine)
        imported = None
        if not (reuse and _article_count(engine)):
            print(f"importing {articles:,} articles into {name}", file=sys.stderr)
            imported = load(engine, articles, seed, workers)
        # What a worker does within the hour after an import (app.jobs.roll_search_indexes).
        roll_recent_search(engine)
        stored = _article_count(engine)
        with engine.connect() as conn:
            statements = conn.execute(select(func.count(Statement.id))).scalar_one()
        timings = time_views(engine, requests)
    finally:
        engine.dispose()
    return ViewsRun(url, stored, statements, imported, timings)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="extraction workers beside the storing process (default: one per core)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time the views of an earlier run's database"
    )
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args(argv)

    machine = Machine.here()
    with bench_server(machine) as server_url:
        run = measure(
            server_url,
            machine,
            articles=args.articles,
            seed=args.seed,
            requests=args.requests,
            workers=args.workers,
            reuse=args.reuse,
        )
    section = report(
        machine, run.articles, run.statements, run.imported, run.timings, args.requests
    )
    publish(section, no_docs=args.no_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
