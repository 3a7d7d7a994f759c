"""Planner statistics kept current by the writers themselves.

Postgres plans each query from its tables' statistics, which autovacuum refreshes as
the tables change. Where autovacuum is off (the CI and benchmark server here runs with
`autovacuum = off`) or falls behind a bulk import, a table filled from empty keeps the
statistics of an empty table, and the planner reads it whole where an index would find
a few rows. Importing 250,000 articles that way, every batch read the whole
`statements` table three times (2.2 billion rows read by the 170,000th article) and the
rate fell from 290 to 160 articles/s, still falling. So a batch of articles first
analyzes the tables that changed by more than a fifth since their statistics were taken.

A fifth, not autovacuum's tenth, and the count tables only once their changes match
their size: each ANALYZE samples up to 30,000 rows of a table whatever its size, and
two workers importing 20,000 articles spent a fifth of their Postgres time analyzing
the tables a batch writes, 33 of them count tables. With both, Postgres's CPU per
article fell from 6.9-7.0 to 5.9 ms (docs/performance.md, "Session 13"). The batch's
own queries are index probes, which a table a fifth larger than its statistics plans
the same way (the planner scales the row counts it knows by the table's current size);
the count tables' statistics serve only the views: autovacuum refreshes them where it
runs, and the writers each time a count table has doubled where it does not.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import COUNT_GRAINS

STALE_ROWS = 1_000
"""A table is analyzed again once this many rows changed, plus `STALE_FRACTION` of it."""
STALE_FRACTION = 0.2
COUNTS_STALE_FRACTION = 1.0
"""The count tables' `STALE_FRACTION`: a batch's upsert finds its cells through the unique
key whatever their statistics say, so only the views read them. They were 33 of the
tables a batch writes and most of its `ANALYZE`s."""
STATISTICS_LOCK = 0x44454D53
"""The advisory lock ("DEMS") of one writer analyzing: the others do not wait for it."""

COUNT_TABLES = sorted(
    model.__tablename__ for grains in COUNT_GRAINS.values() for model in grains.values()
)
_STALE = text(
    "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
    "WHERE s.schemaname = current_schema() "
    "AND s.n_mod_since_analyze > :rows + greatest(c.reltuples, 0) * "
    "CASE WHEN s.relname = ANY(:counts) THEN :counts_fraction ELSE :fraction END "
    "ORDER BY s.relname"
)


def refresh_stale_statistics(session: Session) -> list[str]:
    """ANALYZE, in the session's transaction, every table of the schema whose statistics
    are stale, and return their names. Another writer doing the same meanwhile makes
    this one skip (its next batch looks again)."""
    locked = session.execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": STATISTICS_LOCK}
    ).scalar()
    if not locked:
        return []
    stale = list(
        session.execute(
            _STALE,
            {
                "rows": STALE_ROWS,
                "fraction": STALE_FRACTION,
                "counts": COUNT_TABLES,
                "counts_fraction": COUNTS_STALE_FRACTION,
            },
        ).scalars()
    )
    for table in stale:
        session.execute(text(f'ANALYZE "{table}"'))
    return stale
