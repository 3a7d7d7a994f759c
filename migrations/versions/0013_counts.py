"""counts: statements per day and speaker, outlet, theme or entity, for facets and charts

The tables are filled from the statements already stored (`app.services.counts.rebuild`);
from here on every write keeps them fresh.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.services.counts import rebuild

revision: str = "0013"
down_revision: str | None = "0012"
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


def upgrade() -> None:
    for table, dimensions in TABLES.items():
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
                "day", *dimensions, name=op.f(f"uq_{table}_day"), postgresql_nulls_not_distinct=True
            ),
        )
        for dimension in dimensions:
            op.create_index(f"ix_{table}_{dimension}", table, [dimension, "day"])
    rebuild(op.get_bind(), grains=("day",), tables=tuple(TABLES))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
