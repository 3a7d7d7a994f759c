"""count grains: every count table summed by month and over all time

A view without dates summed every day cell of its table (81,600 rows of speaker and
outlet at 28,000 articles, where 10,400 pairs exist); the all-time twin holds one row
per pair, the monthly twin one per pair and month, for views of whole months. Both are
filled from the statements already stored (`app.services.counts.rebuild`, which fills
the day tables again too); from here on every write keeps all three grains fresh.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.services.counts import rebuild

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {
    "counts_outlet": ("outlet_id",),
    "counts_speaker_outlet": ("speaker_id", "outlet_id"),
    "counts_theme": ("theme_id",),
    "counts_theme_speaker_outlet": ("theme_id", "speaker_id", "outlet_id"),
    "counts_entity": ("entity_id",),
    "counts_entity_speaker_outlet": ("entity_id", "speaker_id", "outlet_id"),
    "counts_entity_theme": ("entity_id", "theme_id"),
}
GRAINS = ("month", "all")


def upgrade() -> None:
    for base, dimensions in TABLES.items():
        for grain in GRAINS:
            table = f"{base}_{grain}"
            op.create_table(
                table,
                *(sa.Column(d, sa.Integer(), nullable=d != "entity_id") for d in dimensions),
                sa.Column("day", sa.Date(), nullable=True),
                sa.Column("n", sa.Integer(), nullable=False),
                sa.Column("n_first", sa.Integer(), nullable=False),
                sa.Column("n_outlet_first", sa.Integer(), nullable=False),
                sa.Column("stories_first", sa.Integer(), nullable=False),
                sa.Column("stories_outlet_first", sa.Integer(), nullable=False),
                sa.UniqueConstraint(
                    "day",
                    *dimensions,
                    name=op.f(f"uq_{table}_day"),
                    postgresql_nulls_not_distinct=True,
                ),
            )
            for dimension in dimensions:
                op.create_index(f"ix_{table}_{dimension}", table, [dimension, "day"])
    rebuild(op.get_bind(), grains=("day", *GRAINS), tables=tuple(TABLES))


def downgrade() -> None:
    for base in reversed(TABLES):
        for grain in reversed(GRAINS):
            op.drop_table(f"{base}_{grain}")
