"""Extraction in worker processes, so that storing one batch overlaps extracting the next.

A bulk import spends most of its time in extraction, which is pure Python and holds
the GIL; the store waits on Postgres. Run in one process, the two take turns. Here the
items go to a pool of processes a window ahead of the store, and come back in their
input order, so the import's bookkeeping (batches, resumption, reports) is unchanged.

Small inputs never pay for a pool: inputs of at most `inline_first` items are extracted
in the calling process; larger ones go to the pool whole.

Workers are forked from a fork server ("forkserver" start method): a single-threaded
process, started once per calling process, that has imported `FORKSERVER_PRELOAD` and
loaded the extractor's models. The web process that runs imports also runs threads
(uvicorn, the queue worker, connection pools), which forking it directly would copy in
an unknown state; "spawn" avoided that but made every worker import the app and load
the models again, about 1.7 CPU-seconds per worker and per pool: as much as extracting
650 articles, paid again for every part a `demarche worker` runs, and on a benchmark of
2,000 articles with two workers, more CPU than the whole store. A worker forked from the
server starts in milliseconds.

Workers run at a lower priority (`WORKER_NICENESS`) than the storing process. Storing is
a serial chain, the storing process and its Postgres backend taking turns, and on two
cores it is as long as extraction; when workers and the chain both want a core, the
chain gets it first and the workers take what is left.

What every item needs alike (the registry the extractor resolves against, about 80 KB
pickled) goes to each worker once, when it starts, rather than with every chunk.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_shared: Any = None
"""In a worker process: the `shared` value its pool was started with."""

INLINE_FIRST = 100
"""Inputs of at most this many items are extracted in the calling process: the fork
server takes about two CPU-seconds to start (imports and models, once per process),
a hundred items a third of that. Larger inputs go to the pool whole, from their first
item, so the storing process never spends its time loading the extractor's models."""
CHUNK = 16
"""Items per task sent to a worker: enough to make pickling and queueing overhead small,
few enough that the store never waits long for the next one."""


FORKSERVER_PRELOAD = ("app.cli", "app.services.imports", "app.services.import_workers")
"""Modules the fork server imports once, so that no worker imports them again: what the
`demarche` script imports (a worker runs its caller's main module again, as
`__mp_main__`, which is cheap once that module's imports are loaded), the module of the
import's extraction function, and the warm-up that loads the extractor's models."""
WORKER_NICENESS = 5
"""How much lower workers run than the storing process (see the module docstring)."""


def _context() -> multiprocessing.context.BaseContext:
    """The fork server where the platform has one, else "spawn" (slower to start)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(FORKSERVER_PRELOAD))
    return context


def start_fork_server() -> None:
    """Start the fork server now rather than with the first large input: `demarche
    worker` does at start-up, and benchmarks do outside their timers."""
    context = _context()
    if context.get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def _install(shared: Any) -> None:
    global _shared
    _shared = shared
    os.nice(WORKER_NICENESS)


def _bind(work: Callable[..., R], shared: Any) -> Callable[[T], R]:
    if shared is None:
        return work
    return lambda entry: work(shared, entry)


def _apply(work: Callable[..., R], chunk: list[T]) -> list[R]:
    return [_bind(work, _shared)(entry) for entry in chunk]


def ordered_map(
    work: Callable[..., R],
    entries: Iterable[T],
    *,
    workers: int,
    shared: Any = None,
    inline_first: int = INLINE_FIRST,
    window: int = 256,
) -> Iterator[R]:
    """`work(entry)` for each entry, in input order, in `workers` processes beside this
    one; `work(shared, entry)` when `shared` is not None.

    `work` must be a module-level function and entries, `shared` and results picklable.
    At most `window` entries are read ahead of the consumer, so memory stays bounded
    whatever the input's size. With `workers` of 0 everything runs here.
    """
    entries = iter(entries)
    local = _bind(work, shared)
    if workers <= 0:
        yield from map(local, entries)
        return
    head = list(islice(entries, inline_first + 1))
    if len(head) <= inline_first:
        yield from map(local, head)
        return
    entries = chain(head, entries)
    pool = ProcessPoolExecutor(
        workers,
        mp_context=_context(),
        initializer=_install,
        initargs=(shared,),
    )
    pending: deque[Future[list[R]]] = deque()
    try:
        while chunk := list(islice(entries, CHUNK)):
            pending.append(pool.submit(_apply, work, chunk))
            if len(pending) * CHUNK >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
