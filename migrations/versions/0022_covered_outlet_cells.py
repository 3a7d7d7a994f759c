"""covered outlet cells: an outlet's theme-by-speaker cells read from their index alone

A timeline narrowed to an outlet and a theme charts `counts_theme_speaker_outlet` by
speaker. The outlet's cells of a year are scattered over the table, so the chart read a
heap page for nearly every cell (17,810 cells on 6,564 pages, 32 ms at a million
articles). The outlet's index now includes every other column, so the same cells are
read from the index alone (5 ms).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 23:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "counts_theme_speaker_outlet"
INDEX = "ix_counts_theme_speaker_outlet_outlet_id"
INCLUDE = [
    "theme_id",
    "speaker_id",
    "n",
    "n_first",
    "n_outlet_first",
    "stories_first",
    "stories_outlet_first",
]


def upgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.create_index(INDEX, TABLE, ["outlet_id", "day"], postgresql_include=INCLUDE)


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.create_index(INDEX, TABLE, ["outlet_id", "day"])
