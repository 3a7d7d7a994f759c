"""deferred indexing: an import stores articles first and indexes them in a second step

An imported article is now stored in two transactions. The first writes the article
row with its extraction (`extraction`, the statements as JSON); the second, right
after, writes the statement rows, the article's story, band keys and search vector, and
the count tables, and clears `extraction`. A crash in between leaves articles whose
`extraction` is set: the partial index finds them for the next worker to finish.

The search vector was a generated column, computed in the first transaction whatever
it held; a trigger now computes it once the article is indexed (`extraction` null), and
again whenever its title or body changes.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VECTOR = (
    "setweight(to_tsvector('english'::regconfig, (title)::text), 'A'::\"char\") || "
    "setweight(to_tsvector('english'::regconfig, \"left\"(body, 100000)), 'B'::\"char\")"
)

SEARCH = f"""
CREATE FUNCTION articles_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := {VECTOR.replace("(title)", "(NEW.title)").replace("(body,", "(NEW.body,")};
    RETURN NEW;
END $$"""

TRIGGER = (
    "CREATE TRIGGER articles_search BEFORE INSERT OR UPDATE OF title, body, extraction "
    "ON articles FOR EACH ROW WHEN (NEW.extraction IS NULL) EXECUTE FUNCTION articles_search()"
)


def upgrade() -> None:
    op.drop_index("ix_articles_search", table_name="articles", postgresql_using="gin")
    op.drop_column("articles", "search")
    op.add_column("articles", sa.Column("search", postgresql.TSVECTOR(), nullable=True))
    op.add_column("articles", sa.Column("extraction", sa.JSON(), nullable=True))
    op.execute(SEARCH)
    op.execute(TRIGGER)
    op.execute(f"UPDATE articles SET search = {VECTOR}")
    op.create_index("ix_articles_search", "articles", ["search"], postgresql_using="gin")
    op.create_index(
        "ix_articles_unindexed",
        "articles",
        ["id"],
        postgresql_where=sa.text("extraction IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_articles_unindexed", table_name="articles")
    op.drop_index("ix_articles_search", table_name="articles", postgresql_using="gin")
    op.execute("DROP TRIGGER articles_search ON articles")
    op.execute("DROP FUNCTION articles_search()")
    op.drop_column("articles", "extraction")
    op.drop_column("articles", "search")
    op.add_column(
        "articles",
        sa.Column("search", postgresql.TSVECTOR(), sa.Computed(VECTOR, persisted=True)),
    )
    op.create_index("ix_articles_search", "articles", ["search"], postgresql_using="gin")
