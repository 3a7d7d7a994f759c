"""saved views point at the account that saved them

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE saved_views SET created_by = NULL WHERE created_by NOT IN (SELECT id FROM users)"
    )
    op.create_foreign_key(
        op.f("fk_saved_views_created_by_users"),
        "saved_views",
        "users",
        ["created_by"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_saved_views_created_by_users"), "saved_views", type_="foreignkey")
