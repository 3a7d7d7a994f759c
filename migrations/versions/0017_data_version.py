"""data version: a counter every committed write to the app's data moves

The page cache keyed pages by `pg_current_snapshot()`, which every transaction id on
the server moves, the job queue's heartbeats included, so under load a page lived a
few seconds. From here on it keys them by the sum of `data_versions`, which only the
app's own writes move (`app/db_versions.py`).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db_versions import CREATE_FUNCTION, FUNCTION, SLOTS, install, uninstall

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNT_FAMILIES = (
    "entity",
    "entity_speaker_outlet",
    "entity_theme",
    "outlet",
    "speaker",
    "speaker_outlet",
    "theme",
    "theme_speaker_outlet",
)
TABLES = (
    "api_tokens",
    "articles",
    "audit_events",
    "entities",
    "import_files",
    "import_items",
    "import_jobs",
    "outlets",
    "saved_views",
    "share_links",
    "speaker_aliases",
    "speakers",
    "statement_entities",
    "statement_themes",
    "statements",
    "stories",
    "themes",
    "user_sessions",
    "users",
    *(f"counts_{family}{suffix}" for family in COUNT_FAMILIES for suffix in ("", "_month", "_all")),
)
API_TOKEN_COLUMNS = ("id", "token_hash", "user_id", "label", "created_at", "last_used_at")


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column("slot", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("changes", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_data_versions")),
    )
    op.execute(f"INSERT INTO data_versions (slot) SELECT generate_series(0, {SLOTS - 1})")
    op.execute(CREATE_FUNCTION)
    install(op.execute, TABLES, columns={"api_tokens": API_TOKEN_COLUMNS})


def downgrade() -> None:
    uninstall(op.execute, TABLES)
    op.execute(f"DROP FUNCTION {FUNCTION}()")
    op.drop_table("data_versions")
