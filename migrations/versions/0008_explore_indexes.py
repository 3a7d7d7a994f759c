"""timeline index in the timeline's own order (newest first, undated last)

The timeline orders by stated_on DESC NULLS LAST, id DESC; the old (stated_on, id)
index read backwards gives NULLS FIRST, so every page sorted all statements. This index
replaces it: date ranges use it as well, and a keyset page becomes an index range scan.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 16:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_statements_stated_on_id", table_name="statements")
    op.create_index(
        "ix_statements_timeline",
        "statements",
        [sa.text("stated_on DESC NULLS LAST"), sa.text("id DESC")],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_statements_timeline", table_name="statements")
    op.create_index("ix_statements_stated_on_id", "statements", ["stated_on", "id"], unique=False)
