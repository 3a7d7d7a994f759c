"""Two `demarche worker` processes on one queue share a bulk import, as workers on two
hosts would: the job is split between them, nothing is lost or stored twice, and a
worker killed mid-job leaves the other to finish its part."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.models import Article, ImportItem, ImportJob
from tests.db.test_job_queue import _enqueue, _job, queue_database, run, stored_job

# `queue_database` is a fixture: importing it makes it one of this module's too.
__all__ = ["queue_database"]

PART_ITEMS = 20


def start_worker(url: str) -> subprocess.Popen[bytes]:
    """A worker process like one on another host: it knows only the database URL."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEMARCHE_STALLED_SECONDS": "2",
        "DEMARCHE_IMPORT_PART_ITEMS": str(PART_ITEMS),
        "DEMARCHE_EXTRACT_WORKERS": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=30)


def scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.1)


@pytest.fixture
def two_workers(queue_database) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Two worker processes, both registered with the queue before the test goes on."""
    url, engine = queue_database
    workers = [start_worker(url), start_worker(url)]
    try:
        wait_for(
            lambda: scalar(engine, "SELECT count(*) FROM procrastinate_workers") == 2,
            seconds=90,
            what="both workers are registered",
        )
        yield workers
    finally:
        for worker in workers:
            stop(worker)


def part_runs_by_worker(engine: Engine) -> dict[int | None, int]:
    """How many import parts each worker (by queue id) ran to the end."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT worker_id, count(*) FROM procrastinate_jobs "
                "WHERE task_name = 'demarche:import_part' AND status = 'succeeded' "
                "GROUP BY worker_id"
            )
        ).all()
    return dict(rows)


def assert_imported_once_each(engine: Engine, job_id: int, count: int) -> None:
    finished = _job(engine, job_id)
    assert (finished.status, finished.total, finished.processed) == ("done", count, count)
    assert (finished.stored, finished.duplicates, finished.failed) == (count, 0, 0)
    with Session(engine) as session:
        assert session.execute(select(func.count(Article.id))).scalar_one() == count
        items = session.execute(
            select(ImportItem.source, func.count()).group_by(ImportItem.source)
        ).all()
    assert len(items) == count
    assert {times for _, times in items} == {1}


def test_two_workers_split_one_bulk_import_and_store_every_article_once(
    queue_database, two_workers
):
    url, engine = queue_database
    count = 120
    job = stored_job(engine, "wire.zip", count)
    run(_enqueue(url, job.id))

    wait_for(lambda: _job(engine, job.id).status == "done", seconds=240, what="the job is done")

    assert_imported_once_each(engine, job.id, count)
    runs = part_runs_by_worker(engine)
    assert sum(runs.values()) == count // PART_ITEMS, "each part ran exactly once"
    assert len(runs) == 2, f"both workers took parts of the job: {runs}"
    assert all(worker.poll() is None for worker in two_workers)


def test_a_worker_killed_mid_job_leaves_the_other_to_finish_with_nothing_lost(
    queue_database, two_workers
):
    url, engine = queue_database
    count = 200
    job = stored_job(engine, "wire.zip", count)
    run(_enqueue(url, job.id))
    doing = (
        "SELECT count(*) FROM procrastinate_jobs "
        "WHERE task_name = 'demarche:import_part' AND status = 'doing'"
    )
    wait_for(
        lambda: _job(engine, job.id).processed >= 5 and scalar(engine, doing) == 2,
        seconds=120,
        what="both workers are importing a part",
    )
    victim, survivor = two_workers
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert _job(engine, job.id).processed < count, "kill the worker earlier: it had finished"

    # The survivor's periodic check requeues the dead worker's part once its heartbeat
    # is DEMARCHE_STALLED_SECONDS old; it runs every minute.
    wait_for(lambda: _job(engine, job.id).status == "done", seconds=240, what="the job is done")

    assert survivor.poll() is None
    assert_imported_once_each(engine, job.id, count)
    with Session(engine) as session:
        assert session.get(ImportJob, job.id).finished_at is not None
