"""The import queue in Postgres: workers run jobs, and a killed worker loses nothing."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.db import make_sessionmaker
from app.extract import extract_statements
from app.extract.payload import Extraction
from app.ingest import parse_plain_text
from app.ingest.limits import IngestLimits
from app.jobs import enqueue_import, make_queue, run_worker
from app.models import Article, ImportItem, ImportJob
from app.services.articles import store_articles
from app.services.imports import UploadedFile, create_import_job
from tests.factories import make_article


def wire_text(number: int) -> str:
    return (
        f"Talks, round {number}\n\nRussian Foreign Minister Sergey Lavrov spoke in "
        f"Moscow.\n\n\u201cRound {number} changed nothing for us,\u201d Lavrov said."
    )


def wire_zip(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(count):
            archive.writestr(f"wire/{number:04d}.txt", wire_text(number))
    return buffer.getvalue()


@pytest.fixture
def queue_database(own_engine: Engine) -> tuple[str, Engine]:
    """A database of its own (workers in other processes read what the test commits),
    as the URL a worker is given and the engine the test reads it with."""
    return own_engine.url.render_as_string(hide_password=False), own_engine


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine on a loop of its own thread: browser tests keep a loop on this one."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(asyncio.run, coroutine).result()


def stored_job(engine: Engine, name: str, count: int) -> ImportJob:
    """A queued job whose input is a zip of `count` wire articles, committed."""
    with make_sessionmaker(engine)() as session:
        return create_import_job(
            session, label=name, files=[UploadedFile(name, wire_zip(count))], urls=[]
        )


def work_until_idle(url: str, engine: Engine, *, stalled_seconds: float, name: str) -> None:
    """Run a worker that recovers what it must, does every queued job, then stops."""
    run(
        run_worker(
            url,
            make_sessionmaker(engine),
            limits=IngestLimits(),
            stalled_seconds=stalled_seconds,
            name=name,
            wait=False,
        )
    )


def _job(engine: Engine, job_id: int) -> ImportJob:
    with Session(engine) as session:
        return session.get(ImportJob, job_id)


async def _enqueue(url: str, job_id: int) -> None:
    queue = make_queue(url)
    async with queue.open_async():
        await enqueue_import(queue, job_id)


def test_a_worker_runs_a_queued_import_to_the_end(queue_database):
    url, engine = queue_database
    job = stored_job(engine, "five.zip", 5)
    run(_enqueue(url, job.id))
    work_until_idle(url, engine, stalled_seconds=5, name="test")
    done = _job(engine, job.id)
    assert (done.status, done.total, done.processed, done.stored) == ("done", 5, 5, 5)


def test_a_worker_that_starts_indexes_the_search_of_the_newest_months(queue_database):
    url, engine = queue_database
    with make_sessionmaker(engine)() as session:
        make_article(session, published=date(2024, 12, 2))
        session.commit()
    work_until_idle(url, engine, stalled_seconds=5, name="test")
    with engine.connect() as conn:
        names = set(
            conn.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'statements'")
            ).scalars()
        )
    assert "ix_statements_search_since_202410" in names


def test_a_worker_that_starts_indexes_what_a_dead_worker_stored_and_did_not_index(
    queue_database,
):
    url, engine = queue_database
    with make_sessionmaker(engine)() as session:
        parsed = parse_plain_text(wire_text(1), published=date(2022, 1, 21))
        found = Extraction.of(extract_statements(parsed.body, published=parsed.published))
        [stored] = store_articles(session, [(parsed, found)])
        session.commit()
    work_until_idle(url, engine, stalled_seconds=5, name="test")
    with Session(engine) as session:
        article = session.get_one(Article, stored.id)
        assert article.extraction is None and article.story_id is not None
        assert len(article.statements) == stored.statements >= 1


def test_unqueued_job_is_picked_up_when_a_worker_starts(queue_database):
    url, engine = queue_database
    job = stored_job(engine, "two.zip", 2)
    work_until_idle(url, engine, stalled_seconds=5, name="test")
    assert _job(engine, job.id).status == "done"


def test_a_worker_killed_mid_job_loses_nothing_and_does_nothing_twice(queue_database):
    url, engine = queue_database
    count = 300
    job = stored_job(engine, "big.zip", count)
    run(_enqueue(url, job.id))
    env = {**os.environ, "DATABASE_URL": url, "DEMARCHE_STALLED_SECONDS": "2"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "app", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while _job(engine, job.id).processed < 5:
            assert worker.poll() is None, "the worker exited on its own"
            assert time.monotonic() < deadline, "the worker made no progress"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    interrupted = _job(engine, job.id)
    assert interrupted.status == "running"
    assert 5 <= interrupted.processed < count, "kill the worker earlier: it had finished"

    time.sleep(3)  # longer than DEMARCHE_STALLED_SECONDS: the dead worker is now stalled
    work_until_idle(url, engine, stalled_seconds=2, name="rescuer")
    finished = _job(engine, job.id)
    assert (finished.status, finished.processed, finished.stored) == ("done", count, count)
    assert (finished.duplicates, finished.failed) == (0, 0)
    with Session(engine) as session:
        assert session.execute(select(func.count(Article.id))).scalar_one() == count
        assert session.execute(select(func.count(ImportItem.id))).scalar_one() == count
        unindexed = select(func.count(Article.id)).where(
            Article.extraction.is_not(None) | Article.story_id.is_(None)
        )
        assert session.execute(unindexed).scalar_one() == 0
