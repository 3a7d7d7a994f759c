"""editorial review: a review state on statements, merged speakers, share links

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "statements",
        sa.Column("review", sa.String(length=10), server_default="new", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_statements_review"),
        "statements",
        "review IN ('new', 'confirmed', 'corrected', 'rejected')",
    )
    op.create_index(
        "ix_statements_review_queue",
        "statements",
        ["confidence", "id"],
        postgresql_where=sa.text("review = 'new'"),
    )
    op.add_column("speakers", sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_speakers_merged_into_id_speakers"),
        "speakers",
        "speakers",
        ["merged_into_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "share_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_share_links_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_share_links_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("share_links")
    op.drop_constraint(op.f("fk_speakers_merged_into_id_speakers"), "speakers", type_="foreignkey")
    op.drop_column("speakers", "merged_into_id")
    op.drop_index("ix_statements_review_queue", table_name="statements")
    op.drop_constraint(op.f("ck_statements_review"), "statements", type_="check")
    op.drop_column("statements", "review")
