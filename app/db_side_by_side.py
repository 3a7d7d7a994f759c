"""A page's independent reads run side by side, each on a connection of its own.

A timeline page asks Postgres for its statements, its chart and four facets: six queries
that need nothing from each other, yet one session runs them one after another, so the
page waits for their sum. At a million articles a search page waited 90-120 ms on
Postgres that way while the machine's second core sat idle. `side_by_side` hands all
but the first read to worker threads, each on a connection of the session's own engine,
and runs the first (and any that found no free connection) on the page's session.

Each read on a connection of its own sees the database as of its own start, as every
statement of a READ COMMITTED session already does: a page was never one snapshot, and
running its reads side by side changes nothing there.

Only reads that return plain values belong here (counts, facets, charts): ORM objects
loaded on a worker's session are detached when it closes. Reads never wait for a
connection: when the pool has none idle within its size (a busy process), the read runs
on the page's session, as before. Under full load parallel reads would only contend for
the same two cores; an idle moment is when they pay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

WORKERS = 3
"""Threads (and so connections) a process lends to pages' reads at once: a page has at
most six independent reads and the machine two cores."""

Read = Callable[[Session], Any]


@cache
def _workers() -> ThreadPoolExecutor:
    """The process's worker threads, made at the first page that needs them."""
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="side-by-side")


def _spare_connection(engine: Engine) -> Connection | None:
    """A connection of `engine`'s pool when one is idle within its size, else None: a
    read never waits for one, nor opens one past the pool's size."""
    pool = engine.pool
    if not isinstance(pool, QueuePool) or pool.checkedout() >= pool.size():
        return None
    return engine.connect()


def _on_own_connection(connection: Connection, read: Read) -> Any:
    """`read` on a session bound to `connection`, which goes back to the pool after."""
    try:
        with Session(bind=connection) as session:
            return read(session)
    finally:
        connection.close()


def side_by_side(session: Session, reads: Mapping[str, Read]) -> dict[str, Any]:
    """Each of `reads` run on a session, side by side where connections are spare; the
    results by the same keys. The first read runs on `session` itself, as do those that
    find no spare connection; an error in any read is raised once every read is done."""
    engine = session.get_bind()
    lent: dict[str, Future[Any]] = {}
    here: list[str] = []
    for name, read in reads.items():
        connection = None
        if here and len(lent) < WORKERS and isinstance(engine, Engine):
            connection = _spare_connection(engine)
        if connection is None:
            here.append(name)
        else:
            lent[name] = _workers().submit(_on_own_connection, connection, read)
    try:
        results = {name: reads[name](session) for name in here}
    finally:
        wait(lent.values())
    results.update((name, future.result()) for name, future in lent.items())
    return {name: results[name] for name in reads}
