"""saved views: named, shared filters of the statements timeline; article search

Articles gain a generated tsvector (title weighted above the body) and its GIN index,
for the search page's article results.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("name", name=op.f("uq_saved_views_name")),
    )

    op.add_column(
        "articles",
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('english'::regconfig, (title)::text), 'A'::\"char\") || "
                "setweight(to_tsvector('english'::regconfig, \"left\"(body, 100000)), 'B'::\"char\")",
                persisted=True,
            ),
            nullable=False,
        ),
    )
    op.create_index("ix_articles_search", "articles", ["search"], postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("ix_articles_search", table_name="articles")
    op.drop_column("articles", "search")
    op.drop_table("saved_views")
