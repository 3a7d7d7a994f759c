"""theme-speaker counts: a theme's speakers without summing every outlet's cells

A theme's page charts and ranks its speakers, and a timeline narrowed to a theme stacks
its chart by speaker; both summed the theme-speaker-outlet cells, one per outlet that
carried each speaker in each month (68,569 cells for the largest theme at 100,000
articles, against 8,227 speaker-months). A count table of theme and speaker (three grains)
answers them, filled from the statements already stored.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

from alembic import op

from app.db_counts import SUFFIXES, create_count_tables
from app.services.counts import rebuild

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BASE = "counts_theme_speaker"
DIMENSIONS = ("theme_id", "speaker_id")


def upgrade() -> None:
    create_count_tables(op, BASE, DIMENSIONS)
    rebuild(op.get_bind(), tables=(BASE,))
    # Statistics now, not at autovacuum's next pass: without them the planner takes a
    # theme's 8,000 cells for five and joins each to its speaker by index.
    for suffix in SUFFIXES.values():
        op.execute(f"ANALYZE {BASE}{suffix}")


def downgrade() -> None:
    for suffix in reversed(SUFFIXES.values()):
        op.drop_table(f"{BASE}{suffix}")
