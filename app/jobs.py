"""Background work on a real queue in Postgres (procrastinate).

Bulk imports run here: in-process beside the web app for the embedded default, or in
`demarche worker` processes, on this host or others sharing the database. The queue's
tables live in the same Postgres (created by migration 0002).

An import is two kinds of task: `demarche:run_import` plans a job and queues one
`demarche:import_part` per slice of DEMARCHE_IMPORT_PART_ITEMS items, and the parts
run on whichever workers are free, so the workers of every host share one large job.
Each task holds a lock of its own (one job planned, one part run at a time) and
resumes where it stopped, so a task retried after its worker died does nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol

import procrastinate
from procrastinate import JobContext
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db_recent_search import roll_recent_search
from app.ingest.archive import EntryMark
from app.ingest.limits import IngestLimits
from app.services.imports import (
    ImportPart,
    plan_import_parts,
    run_import_part,
    unfinished_import_job_ids,
)
from app.services.indexing import index_unindexed
from app.settings import get_settings

log = logging.getLogger(__name__)

QUEUES = ["imports", "maintenance"]
IMPORT_TASKS = ("demarche:run_import", "demarche:import_part")
ROLL_TASK = "demarche:roll_search_indexes"


class JobRunner(Protocol):
    """What the web app needs from background work: start, stop, and queue an import."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def enqueue_import(self, job_id: int) -> None: ...


tasks = procrastinate.Blueprint()


def _context(context: JobContext) -> dict[str, Any]:
    extra = context.additional_context
    if not extra or "sessionmaker" not in extra:
        raise RuntimeError("the worker was started without a sessionmaker in its context")
    return extra


async def run_import(context: JobContext, job_id: int) -> None:
    """Plan one import job and queue each part as soon as its file is counted, so other
    workers start while the plan goes on; planned again after a crash, the parts already
    queued stay queued once and the parts already done do nothing."""
    extra = _context(context)
    factory: sessionmaker[Session] = extra["sessionmaker"]
    loop = asyncio.get_running_loop()

    def plan_and_queue() -> None:
        with factory() as session:
            for part in plan_import_parts(
                session,
                job_id,
                limits=extra["limits"],
                part_items=get_settings().import_part_items,
            ):
                queued = enqueue_import_part(context.app, job_id, part)
                asyncio.run_coroutine_threadsafe(queued, loop).result()

    await asyncio.to_thread(plan_and_queue)


def import_part(
    context: JobContext,
    job_id: int,
    file_id: int,
    start: int,
    stop: int | None,
    entry: int = 0,
    entry_item: int = 0,
    spent: int = 0,
) -> None:
    """Import one part of a job; a rerun after a crash skips what is already recorded.

    `entry`, `entry_item` and `spent` are the part's `EntryMark` (a part queued before
    they existed reads its file from the start)."""
    extra = _context(context)
    factory: sessionmaker[Session] = extra["sessionmaker"]
    with factory() as session:
        run_import_part(
            session,
            job_id,
            ImportPart(file_id, start, stop, EntryMark(entry, entry_item, spent)),
            limits=extra["limits"],
            workers=get_settings().extract_workers,
        )


async def recover_stalled(context: JobContext, timestamp: int) -> None:
    """Put jobs of workers that stopped sending heartbeats back in the queue."""
    await retry_stalled_jobs(context.app, _context(context)["stalled_seconds"])


def roll_search_indexes(context: JobContext, timestamp: int | None = None) -> None:
    """Move the search indexes of the newest months on once the newest month has moved
    (`app.db_recent_search`): every hour, and once when a worker starts. Cheap when
    there is nothing to do; a build takes seconds to a minute and blocks no writer."""
    factory: sessionmaker[Session] = _context(context)["sessionmaker"]
    roll = roll_recent_search(factory.kw["bind"])
    if roll.created or roll.dropped:
        log.info(
            "search indexes of the newest months: made %s, dropped %s", roll.created, roll.dropped
        )


async def enqueue_roll(queue: procrastinate.App) -> None:
    """Queue a roll of the newest months' search indexes, unless one already waits."""
    with contextlib.suppress(AlreadyEnqueued):
        await queue.configure_task(ROLL_TASK, queueing_lock="roll-search-indexes").defer_async()


async def retry_stalled_jobs(queue: procrastinate.App, stalled_seconds: float) -> int:
    """Requeue the jobs of workers silent for `stalled_seconds` (killed, crashed, cut off).

    Import jobs resume where they stopped, so a retried job does nothing twice.
    """
    manager = queue.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_seconds))
    for job in stalled:
        log.warning("retrying stalled job %s (%s)", job.id, job.task_name)
        await manager.retry_job(job)
    await manager.prune_stalled_workers(seconds_since_heartbeat=stalled_seconds)
    return len(stalled)


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL in the plain form libpq (and so procrastinate) reads."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_queue(database_url: str) -> procrastinate.App:
    """A queue app bound to one database, with Démarche's tasks registered on it.

    Tasks are registered per app (not on a shared blueprint), because procrastinate
    renames a blueprint's tasks in place when they are added to an app.
    """
    queue = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(database_url))
    )
    queue.task(name="demarche:run_import", queue="imports", pass_context=True)(run_import)
    queue.task(name="demarche:import_part", queue="imports", pass_context=True)(import_part)
    queue.periodic(cron="* * * * *", periodic_id="recover-stalled-imports")(
        queue.task(name="demarche:recover_stalled", queue="maintenance", pass_context=True)(
            recover_stalled
        )
    )
    queue.periodic(cron="17 * * * *", periodic_id="roll-search-indexes")(
        queue.task(name=ROLL_TASK, queue="maintenance", pass_context=True)(roll_search_indexes)
    )
    return queue


def worker_context(
    factory: sessionmaker[Session], *, limits: IngestLimits, stalled_seconds: float
) -> dict[str, Any]:
    return {"sessionmaker": factory, "limits": limits, "stalled_seconds": stalled_seconds}


async def enqueue_import(queue: procrastinate.App, job_id: int) -> None:
    """Queue an import job; the lock keeps one job from running twice at once."""
    await queue.configure_task("demarche:run_import", lock=f"import-{job_id}").defer_async(
        job_id=job_id
    )


async def enqueue_import_part(queue: procrastinate.App, job_id: int, part: ImportPart) -> None:
    """Queue one part of a job, unless it is already waiting in the queue.

    The lock keeps one part from running on two workers at once; the queueing lock
    keeps a job planned twice (after a crash) from queueing its parts twice.
    """
    key = f"import-part-{part.file_id}-{part.start}"
    with contextlib.suppress(AlreadyEnqueued):
        await queue.configure_task("demarche:import_part", lock=key, queueing_lock=key).defer_async(
            job_id=job_id,
            file_id=part.file_id,
            start=part.start,
            stop=part.stop,
            entry=part.resume.entry,
            entry_item=part.resume.item,
            spent=part.resume.spent,
        )


async def requeue_unfinished(queue: procrastinate.App, factory: sessionmaker[Session]) -> int:
    """At worker start: queue again every unfinished job with no task (plan or part) in
    the queue, such as a job whose worker was killed before it was stalled long enough
    to be retried, or a job stored while no queue was reachable."""
    with factory() as session:
        job_ids = unfinished_import_job_ids(session)
    if not job_ids:
        return 0
    waiting = {
        job.task_kwargs.get("job_id")
        for task in IMPORT_TASKS
        for status in ("todo", "doing")
        for job in await queue.job_manager.list_jobs_async(task=task, status=status)
    }
    missing = [job_id for job_id in job_ids if job_id not in waiting]
    for job_id in missing:
        await enqueue_import(queue, job_id)
    return len(missing)


def _index_unindexed(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        index_unindexed(session)


async def prepare_worker(
    queue: procrastinate.App, factory: sessionmaker[Session], stalled_seconds: float
) -> None:
    """What every worker does before it takes jobs, in-process or `demarche worker`:
    index the articles a dead worker stored and did not index, recover the jobs of dead
    workers and orphaned jobs, and queue a search-index roll."""
    await asyncio.to_thread(_index_unindexed, factory)
    await retry_stalled_jobs(queue, stalled_seconds)
    await requeue_unfinished(queue, factory)
    await enqueue_roll(queue)


def worker_options(
    factory: sessionmaker[Session], *, limits: IngestLimits, stalled_seconds: float, name: str
) -> dict[str, Any]:
    """Options shared by the in-process worker and `demarche worker`."""
    return {
        "queues": QUEUES,
        "name": name,
        "additional_context": worker_context(
            factory, limits=limits, stalled_seconds=stalled_seconds
        ),
        "stalled_worker_timeout": stalled_seconds,
        "update_heartbeat_interval": max(1.0, stalled_seconds / 3),
        "fetch_job_polling_interval": 2.0,
    }


async def run_worker(
    database_url: str,
    factory: sessionmaker[Session],
    *,
    limits: IngestLimits,
    stalled_seconds: float,
    name: str,
    wait: bool = True,
) -> None:
    """A worker process's whole life: recover orphaned jobs, then work until signalled
    (or, with `wait=False`, until the queue is empty)."""
    queue = make_queue(database_url)
    async with queue.open_async():
        await prepare_worker(queue, factory, stalled_seconds)
        await queue.run_worker_async(
            wait=wait,
            **worker_options(factory, limits=limits, stalled_seconds=stalled_seconds, name=name),
        )


class QueueRunner:
    """The web app's handle on the queue: it defers jobs and may run a worker in-process."""

    def __init__(
        self,
        database_url: str,
        factory: sessionmaker[Session],
        *,
        limits: IngestLimits,
        run_worker: bool,
        stalled_seconds: float,
    ) -> None:
        self.queue = make_queue(database_url)
        self.factory = factory
        self.limits = limits
        self.run_worker = run_worker
        self.stalled_seconds = stalled_seconds
        self._worker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.queue.open_async()
        if self.run_worker:
            await prepare_worker(self.queue, self.factory, self.stalled_seconds)
            options = worker_options(
                self.factory,
                limits=self.limits,
                stalled_seconds=self.stalled_seconds,
                name="in-process",
            )
            self._worker = asyncio.create_task(
                self.queue.run_worker_async(install_signal_handlers=False, **options)
            )

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        await self.queue.close_async()

    async def enqueue_import(self, job_id: int) -> None:
        await enqueue_import(self.queue, job_id)
