"""statement_themes indexed in a theme's ranking order (score, then newest)

A theme page shows the statements that carry the theme most clearly. Ordered by
(theme_id, score DESC, statement_id DESC), the index lets that query read the first
few entries of one theme instead of sorting all of its statements; it also serves every
lookup the single-column theme_id index served, which it replaces.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_statement_themes_ranked",
        "statement_themes",
        ["theme_id", sa.text("score DESC"), sa.text("statement_id DESC")],
    )
    op.drop_index("ix_statement_themes_theme_id", table_name="statement_themes")


def downgrade() -> None:
    op.create_index("ix_statement_themes_theme_id", "statement_themes", ["theme_id"])
    op.drop_index("ix_statement_themes_ranked", table_name="statement_themes")
