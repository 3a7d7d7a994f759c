"""Large imports extract in worker processes and still see their items in input order."""

from __future__ import annotations

import operator
from itertools import count

from app.services.parallel import ordered_map


def test_results_come_back_in_input_order_across_the_inline_start_and_the_pool():
    results = list(ordered_map(operator.neg, range(300), workers=2, inline_first=10, window=64))
    assert results == [-n for n in range(300)]


def test_a_small_input_never_starts_a_pool_and_one_worker_means_this_process():
    assert list(ordered_map(operator.neg, range(20), workers=4, inline_first=10)) == [
        -n for n in range(20)
    ]
    assert list(ordered_map(operator.neg, range(50), workers=1, inline_first=0)) == [
        -n for n in range(50)
    ]


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
