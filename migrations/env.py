"""Alembic environment: the engine comes from `app.db.alembic_config`, never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from app.db import include_in_autogenerate
from app.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            compare_server_default=True,
            include_object=include_in_autogenerate,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
