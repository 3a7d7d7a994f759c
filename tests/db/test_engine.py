"""How the app's connections are set up."""

from __future__ import annotations

from sqlalchemy import text

from app.db import make_engine


def test_the_apps_connections_never_compile_queries_to_machine_code(make_database) -> None:
    """JIT compiling the import's count upsert took 6 s for 0.1 s of work at 100k
    articles (docs/performance.md): the app turns it off on every connection."""
    engine = make_engine(make_database("engine"))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        engine.dispose()
