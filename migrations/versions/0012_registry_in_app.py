"""registry managed in the app: speaker roles, outlet domains and aliases, theme phrases,
edited and retired marks; withdrawn share links

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY_LIST = sa.text("'[]'::jsonb")
REGISTRY_LISTS = {"speakers": ("roles",), "outlets": ("domains", "aliases"), "themes": ("phrases",)}


def upgrade() -> None:
    for table, lists in REGISTRY_LISTS.items():
        for column in lists:
            op.add_column(
                table,
                sa.Column(column, postgresql.JSONB(), server_default=EMPTY_LIST, nullable=False),
            )
        op.add_column(table, sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE outlets SET domains = jsonb_build_array(domain) WHERE domain IS NOT NULL")
    op.add_column(
        "share_links", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("share_links", sa.Column("withdrawn_by", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_share_links_withdrawn_by_users"),
        "share_links",
        "users",
        ["withdrawn_by"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_share_links_withdrawn_by_users"), "share_links", type_="foreignkey")
    op.drop_column("share_links", "withdrawn_by")
    op.drop_column("share_links", "withdrawn_at")
    for table, lists in REGISTRY_LISTS.items():
        op.drop_column(table, "retired_at")
        op.drop_column(table, "edited_at")
        for column in lists:
            op.drop_column(table, column)
