"""The data version the page cache keys pages by: every committed write to what pages
show moves it by one, nothing else moves it, and concurrent writers never wait on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, text

from app.db import make_engine, upgrade
from app.db_versions import READ, TRIGGER, UNVERSIONED
from app.models import Base


@pytest.fixture(scope="module")
def database(make_database) -> Iterator[Engine]:
    engine = make_engine(make_database("data_version"))
    upgrade(engine)
    yield engine
    engine.dispose()


def version(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text(READ)).scalar_one()


def add_outlet(connection: Connection, slug: str) -> None:
    connection.execute(
        text("INSERT INTO outlets (slug, name) VALUES (:slug, :slug)"), {"slug": slug}
    )


def test_every_table_pages_read_has_the_trigger(database: Engine) -> None:
    with database.connect() as connection:
        triggered = set(
            connection.execute(
                text("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = :name"),
                {"name": TRIGGER},
            ).scalars()
        )
    assert triggered == set(Base.metadata.tables) - UNVERSIONED


def test_a_committed_transaction_moves_the_version_by_one(database: Engine) -> None:
    before = version(database)
    with database.begin() as connection:
        add_outlet(connection, "one-a")
        add_outlet(connection, "one-b")
        connection.execute(text("UPDATE outlets SET name = 'One' WHERE slug = 'one-a'"))
    assert version(database) == before + 1


def test_a_rolled_back_write_leaves_the_version(database: Engine) -> None:
    before = version(database)
    with database.connect() as connection:
        add_outlet(connection, "rolled-back")
        connection.rollback()
    assert version(database) == before


def test_a_write_undone_to_a_savepoint_counts_only_if_another_write_stays(
    database: Engine,
) -> None:
    before = version(database)
    with database.begin() as connection, connection.begin_nested() as savepoint:
        add_outlet(connection, "undone")
        savepoint.rollback()
    assert version(database) == before
    with database.begin() as connection:
        with connection.begin_nested() as savepoint:
            add_outlet(connection, "undone-again")
            savepoint.rollback()
        add_outlet(connection, "kept")
    assert version(database) == before + 1


def test_writes_no_page_shows_leave_the_version(database: Engine) -> None:
    before = version(database)
    with database.begin() as connection:
        connection.execute(text("SELECT txid_current()"))
        connection.execute(
            text("INSERT INTO login_failures (username, address) VALUES ('who', '10.0.0.1')")
        )
        user = connection.execute(
            text(
                "INSERT INTO users (username, password_hash, role, active) "
                "VALUES ('stamped', 'x', 'viewer', true) RETURNING id"
            )
        ).scalar_one()
        connection.execute(
            text("INSERT INTO api_tokens (token_hash, user_id, label) VALUES ('h', :user, 'cli')"),
            {"user": user},
        )
    after_setup = version(database)
    assert after_setup == before + 1
    with database.begin() as connection:
        connection.execute(text("UPDATE api_tokens SET last_used_at = now()"))
    assert version(database) == after_setup


def test_two_open_writers_never_wait_on_each_other(database: Engine) -> None:
    before = version(database)
    with database.connect() as first, database.connect() as second:
        for connection in (first, second):
            connection.execute(text("SET lock_timeout = '1s'"))
        add_outlet(first, "writer-one")
        add_outlet(second, "writer-two")
        first.commit()
        second.commit()
    assert version(database) == before + 2
