"""The migration history builds the schema the models describe, from nothing."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db import alembic_config, include_in_autogenerate, make_engine, upgrade
from app.models import Base


def test_upgrade_from_empty_to_head_creates_every_table(make_database):
    engine = make_engine(make_database("migrate"))
    try:
        upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
    finally:
        engine.dispose()


def test_models_and_migrations_do_not_drift(make_database):
    engine = make_engine(make_database("drift"))
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    "include_object": include_in_autogenerate,
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back_up_again(make_database):
    engine = make_engine(make_database("roundtrip"))
    try:
        upgrade(engine)
        command.downgrade(alembic_config(engine), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}, (
            "downgrade left tables behind"
        )
        upgrade(engine)
        assert "statements" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
