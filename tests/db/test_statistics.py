"""A batch of articles first analyzes the tables whose statistics went stale, so a table
filled from empty is not planned as if it were still empty (autovacuum may be off or
behind)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app import db_statistics
from app.db_statistics import refresh_stale_statistics
from tests.factories import make_article


@pytest.fixture
def engine(own_engine: Engine) -> Engine:
    """A database of its own: the statistics counters see only committed changes."""
    return own_engine


def store(engine: Engine, count: int) -> None:
    """Store `count` articles, one batch each, and wait until the statistics counters
    (sent by each backend at most once a second) have counted them."""
    with Session(engine) as session:
        for _ in range(count):
            make_article(session)
        session.execute(text("SELECT pg_stat_force_next_flush()"))
        session.commit()
    counted = text(
        "SELECT (SELECT count(*) FROM articles) <= "
        "(SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'articles')"
    )
    for _ in range(50):
        with engine.connect() as conn:
            if conn.execute(counted).scalar_one():
                return
        time.sleep(0.1)
    raise AssertionError("the statistics counters never counted the stored articles")


def reltuples(engine: Engine, table: str) -> float:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = :table"), {"table": table}
        ).scalar_one()


@pytest.fixture
def small_threshold(monkeypatch) -> None:
    monkeypatch.setattr(db_statistics, "STALE_ROWS", 2)


def test_tables_that_grew_past_their_statistics_are_analyzed_and_then_left_alone(
    engine, monkeypatch
):
    store(engine, 3)
    assert reltuples(engine, "statements") <= 0, "never analyzed: planned as empty"
    monkeypatch.setattr(db_statistics, "STALE_ROWS", 2)
    with Session(engine) as session:
        analyzed = refresh_stale_statistics(session)
        session.commit()
    assert {"articles", "statements"} <= set(analyzed)
    assert reltuples(engine, "statements") > 0
    with Session(engine) as session:
        assert refresh_stale_statistics(session) == []


def test_a_batch_of_articles_brings_stale_statistics_up_to_date_before_it_writes(
    engine, small_threshold
):
    store(engine, 3)
    store(engine, 1)  # its batch finds the first three stored and not analyzed
    assert reltuples(engine, "statements") > 0


def test_a_writer_skips_the_analysis_while_another_writer_does_it(engine, small_threshold):
    store(engine, 3)
    with Session(engine) as first, Session(engine) as second:
        first.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": db_statistics.STATISTICS_LOCK}
        )
        assert refresh_stale_statistics(second) == []


MODIFIED = text("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = :table")


def changed(engine: Engine, statement: str, table: str) -> None:
    """Run `statement` and wait until the statistics counters count its rows in `table`."""
    with engine.begin() as conn:
        before = conn.execute(MODIFIED, {"table": table}).scalar_one()
        rows = conn.execute(text(statement)).rowcount
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
    for _ in range(50):
        with engine.connect() as conn:
            if conn.execute(MODIFIED, {"table": table}).scalar_one() >= before + rows:
                return
        time.sleep(0.1)
    raise AssertionError(f"the statistics counters never counted the change to {table}")


def test_count_tables_wait_until_their_changes_match_their_size(engine, monkeypatch):
    # Only the views read a count table's statistics; refreshing them at a fifth made
    # them most of an import's ANALYZEs.
    monkeypatch.setattr(db_statistics, "STALE_ROWS", 0)
    store(engine, 6)
    with Session(engine) as session:
        refresh_stale_statistics(session)
        session.commit()
    changed(engine, "UPDATE articles SET title = title WHERE id % 2 = 0", "articles")
    changed(engine, "UPDATE counts_speaker_all SET n = n", "counts_speaker_all")
    with Session(engine) as session:
        analyzed = refresh_stale_statistics(session)
        session.commit()
    assert "articles" in analyzed
    assert "counts_speaker_all" not in analyzed, "every row changed once: not yet"
    changed(engine, "UPDATE counts_speaker_all SET n = n", "counts_speaker_all")
    with Session(engine) as session:
        assert "counts_speaker_all" in refresh_stale_statistics(session)
