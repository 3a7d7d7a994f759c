"""Processes on several hosts start at once on a fresh database: migrations run once.

Without the advisory lock in `app.db.upgrade`, concurrent migrations block each other
for good (hence the timeout), or fail on tables another process has just created.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from app.db import make_engine, upgrade


def test_processes_migrating_the_same_empty_database_at_once_all_succeed(make_database):
    url = make_database("concurrent")
    engines = [make_engine(url) for _ in range(3)]
    try:
        with ThreadPoolExecutor(max_workers=len(engines)) as pool:
            for result in [pool.submit(upgrade, engine) for engine in engines]:
                result.result(timeout=120)
        with engines[0].connect() as conn:
            revisions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        for engine in engines:
            engine.dispose()
    assert len(revisions) == 1
