"""Database plumbing: URLs, engines, sessions, migrations and the embedded Postgres.

With DATABASE_URL unset the app runs on a Postgres of its own, started from the
`pgserver` package in the data directory, so one command works on a fresh machine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db_recent_search import is_rolled_index
from app.models import CHECKED_PER_STATEMENT
from app.settings import REPO_ROOT

log = logging.getLogger(__name__)

MIGRATIONS_DIR = REPO_ROOT / "migrations"
EMBEDDED_DATABASE = "demarche"


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver whatever scheme the URL was written with."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql", "postgresql+psycopg2"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


# Postgres compiles a query to machine code when its estimated cost passes
# jit_above_cost. The count-table upsert of an import batch is estimated at millions
# (it cannot know a batch is 200 articles) and spent 6 s compiling for 0.1 s of work at
# 100,000 articles; the explore queries are short and gain nothing from it either.
SESSION_OPTIONS = "-c jit=off"


def make_engine(url: str) -> Engine:
    return create_engine(
        normalise_url(url),
        pool_pre_ping=True,
        future=True,
        connect_args={"options": SESSION_OPTIONS},
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def ensure_database(server_url: str, name: str) -> str:
    """Create database `name` on the server of `server_url` if missing; return its URL."""
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return database_url(server_url, name)


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url`."""
    return (
        make_url(normalise_url(server_url)).set(database=name).render_as_string(hide_password=False)
    )


def drop_database(server_url: str, name: str) -> None:
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Run a Postgres from the pgserver package in `data_dir`; yield its database URL.

    The server stops when the block exits, so `serve` leaves no process behind.
    """
    import pgserver

    pgdata = data_dir / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        yield ensure_database(server.get_uri(), EMBEDDED_DATABASE)
    finally:
        server.cleanup()


@contextmanager
def database(database_url: str | None, data_dir: Path) -> Iterator[str]:
    """The configured database, or an embedded one when none is configured."""
    if database_url:
        yield normalise_url(database_url)
        return
    log.info("DATABASE_URL is unset: starting an embedded Postgres in %s", data_dir)
    with embedded_postgres(data_dir) as url:
        yield url


QUEUE_TABLE_PREFIX = "procrastinate_"


def include_in_autogenerate(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """What autogenerate compares: not the job queue's own tables (created from
    procrastinate's schema), nor the model foreign keys that statement-level triggers
    enforce instead of a constraint (`app.models.CHECKED_PER_STATEMENT`), nor the search
    indexes of the newest months that workers roll forward (`app.db_recent_search`)."""
    if type_ == "foreign_key_constraint" and not reflected:
        elements = getattr(obj, "elements", ())
        if any(element.info == CHECKED_PER_STATEMENT for element in elements):
            return False
    if type_ == "index" and is_rolled_index(name):
        return False
    return not (name or "").startswith(QUEUE_TABLE_PREFIX)


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that needs no alembic.ini: the engine is passed along."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


MIGRATION_LOCK = 0x44454D41
"""The advisory lock key ("DEMA") held while migrating."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision`, one process at a time.

    Web processes and workers on several hosts all migrate when they start; a session
    advisory lock makes the others wait for the first and then find nothing to do.
    """
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            command.upgrade(alembic_config(engine), revision)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
