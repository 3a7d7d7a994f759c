"""Search indexes over the newest months of statements and articles, rolled forward.

A GIN search index knows no dates. A broad search is served from a window of its newest
matches (`app.queries.windows`), but its span's query first takes every candidate of the
whole corpus from the index and only then keeps those of the span's days: at a million
articles, 95,380 candidates for `"security guarantees" -sanctions` in 37-48 ms, a third
of the timeline's time, before any of the page's other reads can start.

A second, partial index per table holds only the newest months (`WHERE stated_on >=
since`), so its posting lists hold only their candidates. The planner takes it by
itself for any query bounded at or after `since`, which the span of the newest matches
is; every other search reads the whole index as before, so results never depend on it.

It is one index per table, not one per month: each index on a table costs every query
on it some planning (62 monthly indexes made each query on `statements` 1.5-2.5 ms
slower to plan). It is made anew when the newest month moves on, over the newest month
and the `MONTHS_BEFORE` before it, and the index it replaces is dropped; both without
blocking writes (`CONCURRENTLY`), so imports and pages go on meanwhile. "Newest" is the
newest date up to today, so a mistyped date in the future does not empty the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, text

MONTHS_BEFORE = 2
"""Whole months an index holds before the newest month: it holds three to four."""

NAME = re.compile(r"^ix_(?P<table>[a-z_]+)_search_since_(?P<month>\d{6})$")
"""The rolled indexes' names (`ix_statements_search_since_202409`): the tables'
indexes the models do not describe, which autogenerate must leave alone."""

ROLL_LOCK = 0x44454D52
"""The advisory lock ("DEMR") a roll holds, so two workers never build the same index."""


@dataclass(frozen=True, slots=True)
class Searched:
    """A table with a search vector and the date its windows are cut by."""

    table: str
    dated: str


SEARCHED = (Searched("statements", "stated_on"), Searched("articles", "published_on"))


@dataclass(frozen=True, slots=True)
class Roll:
    """What one roll did: the indexes it made and the ones it dropped, by name."""

    created: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def since_for(newest: date) -> date:
    """The first day an index must hold when `newest` is the newest date in its table."""
    months = newest.year * 12 + newest.month - 1 - MONTHS_BEFORE
    return date(months // 12, months % 12 + 1, 1)


def index_name(table: str, since: date) -> str:
    return f"ix_{table}_search_since_{since:%Y%m}"


def is_rolled_index(name: str | None) -> bool:
    """Whether `name` is one of the indexes this module makes and drops."""
    return bool(name and NAME.match(name))


def roll_recent_search(engine: Engine) -> Roll:
    """Make each table's index of its newest months if it is missing or invalid (a
    build that was interrupted), and drop the ones it replaces. Does nothing while
    another process rolls."""
    created: list[str] = []
    dropped: list[str] = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ROLL_LOCK}).scalar():
            return Roll()
        try:
            for searched in SEARCHED:
                existing = _rolled_indexes(conn, searched.table)
                since = _since(conn, searched)
                wanted = None
                if since is not None:
                    wanted = index_name(searched.table, since)
                    if not existing.get(wanted, False):
                        if wanted in existing:  # invalid: its build was interrupted
                            _drop(conn, wanted, dropped)
                        _create(conn, searched, since)
                        created.append(wanted)
                # Dropped once the new one is built, so a search never lacks both.
                for name in sorted(existing.keys() - {wanted}):
                    _drop(conn, name, dropped)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ROLL_LOCK})
    return Roll(created=tuple(created), dropped=tuple(dropped))


def _create(conn: Connection, searched: Searched, since: date) -> None:
    conn.execute(
        text(
            f'CREATE INDEX CONCURRENTLY "{index_name(searched.table, since)}" '
            f"ON {searched.table} USING gin (search) "
            f"WHERE {searched.dated} >= '{since.isoformat()}'"
        )
    )


def _drop(conn: Connection, name: str, dropped: list[str]) -> None:
    conn.execute(text(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"'))
    dropped.append(name)


def _since(conn: Connection, searched: Searched) -> date | None:
    """The first day the table's index should hold now (None: it holds no dated row)."""
    newest = conn.execute(
        text(
            f"SELECT max({searched.dated}) FROM {searched.table} "
            f"WHERE {searched.dated} <= current_date"
        )
    ).scalar()
    return None if newest is None else since_for(newest)


def _rolled_indexes(conn: Connection, table: str) -> dict[str, bool]:
    """The table's rolled indexes by name, each with whether it is valid (a concurrent
    build that failed leaves an invalid index behind)."""
    rows = conn.execute(
        text(
            "SELECT c.relname, i.indisvalid FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = CAST(:table AS regclass)"
        ),
        {"table": table},
    ).all()
    return {
        name: valid
        for name, valid in rows
        if (match := NAME.match(name)) and match["table"] == table
    }
