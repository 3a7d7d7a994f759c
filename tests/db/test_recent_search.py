"""Each searched table keeps a search index over its newest months, rolled forward as
newer articles arrive; the planner reads it for a window's span of newest days, and the
window is the same with it or without it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.db import include_in_autogenerate
from app.db_recent_search import index_name, roll_recent_search, since_for
from app.queries import windows
from app.queries.filters import StatementFilter
from app.queries.windows import search_window
from tests.factories import TASS, article_text, make_article

MATCHING = "Written security guarantees for Ukraine must come before any ceasefire"


@pytest.fixture
def engine(own_engine: Engine) -> Engine:
    """A database of its own: an index built concurrently sees only committed rows."""
    return own_engine


def add_articles(engine: Engine, days: list[date], said: str = MATCHING) -> None:
    with Session(engine) as session:
        for day in days:
            make_article(
                session, text=article_text(said=f"{said} ({day})"), published=day, outlet=TASS
            )
        session.commit()


def rolled(engine: Engine) -> dict[str, str]:
    """The rolled indexes by name, each with its definition."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%search_since%'")
        ).all()
    return dict(rows)


def test_the_first_day_held_is_the_first_of_the_month_two_months_before_the_newest():
    assert since_for(date(2024, 12, 31)) == date(2024, 10, 1)
    assert since_for(date(2025, 2, 1)) == date(2024, 12, 1)
    assert since_for(date(2025, 1, 15)) == date(2024, 11, 1)


def test_a_roll_indexes_the_newest_months_of_statements_and_of_articles(engine):
    add_articles(engine, [date(2024, 3, 5), date(2024, 11, 20), date(2024, 12, 2)])
    roll = roll_recent_search(engine)
    assert set(roll.created) == {
        "ix_statements_search_since_202410",
        "ix_articles_search_since_202410",
    }
    definitions = rolled(engine)
    assert "stated_on >= '2024-10-01'::date" in definitions["ix_statements_search_since_202410"]
    assert "published_on >= '2024-10-01'::date" in definitions["ix_articles_search_since_202410"]
    assert all("USING gin (search)" in definition for definition in definitions.values())


def test_a_second_roll_with_nothing_newer_changes_nothing(engine):
    add_articles(engine, [date(2024, 12, 2)])
    roll_recent_search(engine)
    again = roll_recent_search(engine)
    assert again.created == () and again.dropped == ()
    assert len(rolled(engine)) == 2


def test_articles_of_a_new_month_move_the_index_on_and_drop_the_one_it_replaces(engine):
    add_articles(engine, [date(2024, 12, 2)])
    roll_recent_search(engine)
    add_articles(engine, [date(2025, 1, 3)])
    roll = roll_recent_search(engine)
    assert set(roll.dropped) == {
        "ix_statements_search_since_202410",
        "ix_articles_search_since_202410",
    }
    assert set(rolled(engine)) == {
        "ix_statements_search_since_202411",
        "ix_articles_search_since_202411",
    }


def test_a_date_in_the_future_does_not_move_the_index_past_today(engine):
    today = date.today()
    add_articles(engine, [today - timedelta(days=3), today.replace(year=today.year + 60)])
    roll_recent_search(engine)
    assert index_name("statements", since_for(today - timedelta(days=3))) in rolled(engine)


def test_a_table_without_a_dated_row_gets_no_index(engine):
    add_articles(engine, [])
    assert roll_recent_search(engine).created == ()
    assert rolled(engine) == {}


def test_an_index_whose_concurrent_build_failed_is_built_again(engine):
    add_articles(engine, [date(2024, 12, 2)])
    roll_recent_search(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE pg_index SET indisvalid = false "
                "WHERE indexrelid = 'ix_statements_search_since_202410'::regclass"
            )
        )
    roll = roll_recent_search(engine)
    assert roll.dropped == ("ix_statements_search_since_202410",)
    assert roll.created == ("ix_statements_search_since_202410",)
    with engine.connect() as conn:
        valid = conn.execute(
            text(
                "SELECT indisvalid FROM pg_index "
                "WHERE indexrelid = 'ix_statements_search_since_202410'::regclass"
            )
        ).scalar_one()
    assert valid


def test_autogenerate_leaves_the_rolled_indexes_alone():
    assert not include_in_autogenerate(
        None, "ix_statements_search_since_202410", "index", True, None
    )
    assert include_in_autogenerate(None, "ix_statements_search", "index", True, None)


def span_plan(engine: Engine, since: date) -> str:
    """The plan of a window span's query (matches of the search from `since` on) between
    the search indexes alone: in a table this small the planner would rather read the
    date indexes or the whole table, so those are out of its reach (dropped in a
    transaction that is rolled back)."""
    with engine.connect() as conn, conn.begin() as transaction:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        dated = conn.execute(
            text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'statements' "
                "AND indexdef LIKE '%stated_on%' AND indexdef NOT LIKE '%USING gin%'"
            )
        ).scalars()
        conn.execute(text(f"DROP INDEX {', '.join(dated)}"))
        rows = conn.execute(
            text(
                "EXPLAIN SELECT id FROM statements WHERE stated_on >= :since "
                "AND search @@ websearch_to_tsquery('english', '\"security guarantees\"')"
            ),
            {"since": since},
        ).scalars()
        plan = "\n".join(rows)
        transaction.rollback()
    return plan


def test_a_span_of_the_newest_days_reads_the_index_of_the_newest_months(engine):
    add_articles(engine, [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 366, 3)])
    roll_recent_search(engine)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE statements"))
    assert "on ix_statements_search_since_202410" in span_plan(engine, date(2024, 11, 18))
    assert "on ix_statements_search " in span_plan(engine, date(2024, 6, 1))


def test_a_window_is_the_same_with_the_index_of_the_newest_months_or_without(engine, monkeypatch):
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 366, 2)]
    add_articles(engine, days)
    add_articles(engine, days, said="The sanctions on Russian banks will backfire on Europe")
    for name, value in {"PROBE": 12, "HITS": 3, "MARGIN": 1.5, "WINDOW": 11}.items():
        monkeypatch.setattr(windows, name, value)
    filters = StatementFilter.from_query([("q", '"security guarantees"')])
    with Session(engine) as session:
        without = search_window(session, filters=filters)
    roll_recent_search(engine)
    assert rolled(engine)
    with Session(engine) as session:
        within = search_window(session, filters=filters)
    assert within == without
    assert within.capped and within.since is not None and within.since >= date(2024, 10, 1)
