"""Extraction in worker processes, so that storing one batch overlaps extracting the next.

A bulk import spends most of its time in extraction, which is pure Python and holds
the GIL; the store waits on Postgres. Run in one process, the two take turns. Here the
items go to a pool of processes a window ahead of the store, and come back in their
input order, so the import's bookkeeping (batches, resumption, reports) is unchanged.

Small inputs never pay for a pool: the first `inline_first` items are extracted in the
calling process, and a pool starts only when more follow. The pool uses the "spawn"
start method: the web process that runs imports also runs threads (uvicorn, the queue
worker, connection pools), which a fork would copy in an unknown state.

What every item needs alike (the registry the extractor resolves against, about 80 KB
pickled) goes to each worker once, when it starts, rather than with every chunk.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_shared: Any = None
"""In a worker process: the `shared` value its pool was started with."""

INLINE_FIRST = 100
"""Items extracted in the calling process before a pool is worth starting (a spawned
worker takes about a second to import the extractor and load the registry)."""
CHUNK = 16
"""Items per task sent to a worker: enough to make pickling and queueing overhead small,
few enough that the store never waits long for the next one."""


def _install(shared: Any) -> None:
    global _shared
    _shared = shared


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
    """`work(entry)` for each entry, in input order, in up to `workers` processes;
    `work(shared, entry)` when `shared` is not None.

    `work` must be a module-level function and entries, `shared` and results picklable.
    At most `window` entries are read ahead of the consumer, so memory stays bounded
    whatever the input's size. With `workers` of 1 or fewer everything runs here.
    """
    entries = iter(entries)
    local = _bind(work, shared)
    yield from map(local, islice(entries, inline_first))
    if workers <= 1:
        yield from map(local, entries)
        return
    first = list(islice(entries, CHUNK))
    if len(first) < CHUNK:
        yield from map(local, first)
        return
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_install,
        initargs=(shared,),
    )
    pending: deque[Future[list[R]]] = deque([pool.submit(_apply, work, first)])
    try:
        while chunk := list(islice(entries, CHUNK)):
            pending.append(pool.submit(_apply, work, chunk))
            if len(pending) * CHUNK >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
