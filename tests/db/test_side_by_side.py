"""A page's independent reads run side by side on connections of their own, and fall
back to the page's session when the pool has none to spare."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from app.db import normalise_url
from app.db_side_by_side import WORKERS, side_by_side


def _number(n: int, session: Session) -> int:
    return n


def _backend(session: Session) -> int:
    return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


@pytest.fixture
def small_pool(make_database) -> Iterator[Engine]:
    """An engine whose pool holds one connection: the page's session takes it."""
    engine = create_engine(normalise_url(make_database("side_by_side")), pool_size=1)
    yield engine
    engine.dispose()


def test_reads_beyond_the_first_run_on_connections_of_their_own(engine: Engine) -> None:
    with Session(engine) as session:
        page = _backend(session)
        found = side_by_side(session, {name: _backend for name in ("a", "b", "c")})
    assert found["a"] == page
    assert found["b"] != page
    assert found["c"] not in {page, found["b"]}


def test_results_come_back_under_their_names_in_the_order_asked(engine: Engine) -> None:
    reads = {f"read {n}": partial(_number, n) for n in range(WORKERS + 3)}
    with Session(engine) as session:
        found = side_by_side(session, reads)
    assert list(found) == list(reads)
    assert list(found.values()) == list(range(WORKERS + 3))


def test_a_lent_read_runs_while_the_pages_own_read_is_still_running(engine: Engine) -> None:
    """The page's read waits for the lent one to start: run one after another, it would
    wait in vain."""
    started = threading.Event()

    def lent(session: Session) -> int:
        started.set()
        return _backend(session)

    with Session(engine) as session:
        found = side_by_side(session, {"page": lambda s: started.wait(timeout=30), "lent": lent})
    assert found["page"] is True


def test_reads_run_on_the_pages_session_when_no_connection_is_spare(small_pool: Engine) -> None:
    with Session(small_pool) as session:
        page = _backend(session)
        found = side_by_side(session, {name: _backend for name in ("a", "b", "c")})
        assert set(found.values()) == {page}
        assert small_pool.pool.checkedout() == 1


def test_an_error_in_a_lent_read_is_raised_and_its_connection_goes_back(engine: Engine) -> None:
    def broken(session: Session) -> None:
        session.execute(text("SELECT 1 / 0"))

    with Session(engine) as session:
        _backend(session)
        lent_before = engine.pool.checkedout()
        with pytest.raises(Exception, match="division by zero"):
            side_by_side(session, {"page": _backend, "broken": broken})
        assert engine.pool.checkedout() == lent_before
        assert _backend(session) > 0
