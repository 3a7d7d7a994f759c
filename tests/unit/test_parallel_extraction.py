"""Large imports extract in worker processes and still see their items in input order."""

from __future__ import annotations

import operator
import os
from itertools import count

from app.services.parallel import WORKER_NICENESS, ordered_map


def test_results_come_back_in_input_order_from_the_pool():
    results = list(ordered_map(operator.neg, range(300), workers=2, inline_first=10, window=64))
    assert results == [-n for n in range(300)]


def test_a_small_input_never_starts_a_pool_and_no_workers_means_this_process():
    here = os.getpid()
    assert set(ordered_map(pid, range(20), workers=4, inline_first=20)) == {here}
    assert set(ordered_map(pid, range(50), workers=0, inline_first=0)) == {here}


def test_the_input_is_read_at_most_a_window_ahead_of_the_consumer():
    produced = count()

    def numbers():
        for n in range(10_000):
            next(produced)
            yield n

    results = ordered_map(operator.neg, numbers(), workers=2, inline_first=0, window=64)
    assert [next(results) for _ in range(5)] == [0, -1, -2, -3, -4]
    assert next(produced) < 200, "the whole input was read ahead"
    results.close()


def test_a_shared_value_reaches_every_call_inline_and_in_the_workers():
    """The registry travels this way: once to each worker, then to every call."""
    results = list(ordered_map(operator.mul, range(200), workers=2, shared=3, inline_first=10))
    assert results == [3 * n for n in range(200)]


def test_a_large_input_is_extracted_whole_by_the_workers_at_a_lower_priority():
    """The storing process keeps its core for the store; workers take what is left."""
    here = os.nice(0)
    niceness = list(ordered_map(os.nice, [0] * 40, workers=1, inline_first=10))
    assert niceness == [here + WORKER_NICENESS] * 40


def test_workers_start_with_the_extractor_loaded():
    """Forked from the fork server, which loaded the language model and the entity
    matcher once: a worker's first item does not load them again."""
    assert all(ordered_map(extractor_loaded, range(20), workers=1, inline_first=0))


def extractor_loaded(_: int) -> bool:
    from app.extract.entities import _matcher
    from app.ingest.language import _identifier

    return _identifier.cache_info().currsize == 1 and _matcher.cache_info().currsize == 1


def pid(_: int) -> int:
    return os.getpid()
