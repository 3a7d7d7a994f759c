"""outlet views: theme-outlet and entity-theme-outlet counts, outlet and article indexes

A view narrowed by outlet read its About facet live when it had a theme too (no count
table had entity, theme and outlet), and an outlet page summed its themes and the
average outlet's from the theme-speaker-outlet cells of every speaker: two count tables
(three grains each) answer those, filled from the statements already stored. The
outlet's articles become an index of (outlet, id), read without the articles, and an
article's statements an index of (article, date), so one outlet's newest statements are
found by reading only the statements in the days wanted (`app.queries.statements`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

from alembic import op

from app.db_counts import SUFFIXES, create_count_tables
from app.services.counts import rebuild

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {
    "counts_theme_outlet": ("theme_id", "outlet_id"),
    "counts_entity_theme_outlet": ("entity_id", "theme_id", "outlet_id"),
}


def upgrade() -> None:
    for base, dimensions in TABLES.items():
        create_count_tables(op, base, dimensions)
    op.drop_index("ix_articles_outlet_id", table_name="articles")
    op.create_index("ix_articles_outlet_id", "articles", ["outlet_id", "id"])
    op.drop_index("ix_statements_article_id", table_name="statements")
    op.create_index("ix_statements_article_id", "statements", ["article_id", "stated_on"])
    rebuild(op.get_bind(), tables=tuple(TABLES))


def downgrade() -> None:
    op.drop_index("ix_statements_article_id", table_name="statements")
    op.create_index("ix_statements_article_id", "statements", ["article_id"])
    op.drop_index("ix_articles_outlet_id", table_name="articles")
    op.create_index("ix_articles_outlet_id", "articles", ["outlet_id"])
    for base in reversed(TABLES):
        for suffix in reversed(SUFFIXES.values()):
            op.drop_table(f"{base}{suffix}")
