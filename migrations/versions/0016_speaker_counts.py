"""speaker counts: statements per day (month, all time) and speaker alone

Charts and facets by speaker with no outlet in view summed the speaker-outlet cells:
at 100,000 articles the timeline's chart by speaker read a month table of pairs
(68 ms). These tables hold one row per speaker and day (month, nothing), filled from
the statements already stored; from here on every write keeps them fresh.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 08:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.services.counts import rebuild

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("counts_speaker", "counts_speaker_month", "counts_speaker_all")


def upgrade() -> None:
    for table in TABLES:
        op.create_table(
            table,
            sa.Column("speaker_id", sa.Integer(), nullable=True),
            sa.Column("day", sa.Date(), nullable=True),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.Column("n_first", sa.Integer(), nullable=False),
            sa.Column("n_outlet_first", sa.Integer(), nullable=False),
            sa.Column("stories_first", sa.Integer(), nullable=False),
            sa.Column("stories_outlet_first", sa.Integer(), nullable=False),
            sa.UniqueConstraint(
                "day",
                "speaker_id",
                name=op.f(f"uq_{table}_day"),
                postgresql_nulls_not_distinct=True,
            ),
        )
        op.create_index(f"ix_{table}_speaker_id", table, ["speaker_id", "day"])
    rebuild(op.get_bind(), tables=TABLES[:1])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
