"""statement outlets: a view of one outlet reads its statements by date, not by article

A timeline narrowed to an outlet found its statements article by article: for each of
the outlet's articles, that article's statements in the view's dates
(`ix_statements_article_id`). The work grew with the outlet's articles: 1,646 index
probes at 100,000 articles, ten times as many at a million (238 ms for one page of an
outlet, a theme and a year). Each statement now carries its article's outlet, and an
index of (outlet, date, id) in the timeline's order gives the newest statements of an
outlet directly.

The column is the article's outlet, kept so by the database: the storing code writes it
with each COPY of statements; after any INSERT into statements one set-based query
fills the rows that came without it (an editor's split statement), and an article whose
outlet changes (an edit, or its outlet deleted) passes the change to its statements.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL = """
CREATE FUNCTION statements_outlet_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements AS s SET outlet_id = a.outlet_id
    FROM new_rows AS n JOIN articles AS a ON a.id = n.article_id
    WHERE s.id = n.id AND n.outlet_id IS DISTINCT FROM a.outlet_id;
    RETURN NULL;
END $$"""

FOLLOW = """
CREATE FUNCTION articles_outlet_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements SET outlet_id = NEW.outlet_id WHERE article_id = NEW.id;
    RETURN NULL;
END $$"""


def upgrade() -> None:
    op.add_column("statements", sa.Column("outlet_id", sa.Integer(), nullable=True))
    # The backfill changes no key: the per-statement key check (app.db_keys) would only
    # gather every updated row again and lock every article.
    op.execute("ALTER TABLE statements DISABLE TRIGGER statements_parents_on_update")
    op.execute(
        "UPDATE statements AS s SET outlet_id = a.outlet_id FROM articles AS a "
        "WHERE a.id = s.article_id AND a.outlet_id IS NOT NULL"
    )
    op.execute("ALTER TABLE statements ENABLE TRIGGER statements_parents_on_update")
    op.create_index(
        "ix_statements_outlet_timeline",
        "statements",
        ["outlet_id", sa.text("stated_on DESC NULLS LAST"), sa.text("id DESC")],
    )
    op.execute(FILL)
    op.execute(
        "CREATE TRIGGER statements_outlet_on_insert AFTER INSERT ON statements "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION statements_outlet_fill()"
    )
    op.execute(FOLLOW)
    op.execute(
        "CREATE TRIGGER articles_outlet_on_update AFTER UPDATE OF outlet_id ON articles "
        "FOR EACH ROW WHEN (OLD.outlet_id IS DISTINCT FROM NEW.outlet_id) "
        "EXECUTE FUNCTION articles_outlet_follow()"
    )
    op.execute("ANALYZE statements")


def downgrade() -> None:
    op.execute("DROP TRIGGER articles_outlet_on_update ON articles")
    op.execute("DROP FUNCTION articles_outlet_follow()")
    op.execute("DROP TRIGGER statements_outlet_on_insert ON statements")
    op.execute("DROP FUNCTION statements_outlet_fill()")
    op.drop_index("ix_statements_outlet_timeline", table_name="statements")
    op.drop_column("statements", "outlet_id")
