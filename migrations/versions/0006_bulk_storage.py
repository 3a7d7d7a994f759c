"""band keys as an article column; statement themes checked per statement, not per row

Two changes for the bulk store, each measured in docs/performance.md:

- The 16 MinHash band keys of an article move from `article_bands` (16 rows, 16
  foreign-key checks) to one `bigint[]` column with a GIN index; candidates are found
  with `band_keys && :keys`.
- `statement_themes` loses its two per-row foreign-key triggers. Statement-level
  triggers take their place: after each INSERT or UPDATE, one set-based check that every
  new row's statement and theme exist, locking them `FOR KEY SHARE` as a foreign key
  would; after a DELETE of statements or themes, one set-based delete of their rows
  (the ON DELETE CASCADE the model declares).

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-23 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARENTS_EXIST = """
CREATE FUNCTION statement_themes_parents_exist() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint;
    found bigint;
BEGIN
    SELECT count(DISTINCT statement_id) INTO wanted FROM new_rows;
    SELECT count(*) INTO found FROM (
        SELECT 1 FROM statements WHERE id IN (SELECT statement_id FROM new_rows) FOR KEY SHARE
    ) AS locked;
    IF found < wanted THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'statement_themes refers to a statement that does not exist';
    END IF;
    SELECT count(DISTINCT theme_id) INTO wanted FROM new_rows;
    SELECT count(*) INTO found FROM (
        SELECT 1 FROM themes WHERE id IN (SELECT theme_id FROM new_rows) FOR KEY SHARE
    ) AS locked;
    IF found < wanted THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'statement_themes refers to a theme that does not exist';
    END IF;
    RETURN NULL;
END $$
"""

CASCADE = """
CREATE FUNCTION statement_themes_cascade_{parent}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM statement_themes WHERE {column} IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$
"""

TRIGGERS = (
    "CREATE TRIGGER statement_themes_parents_on_insert AFTER INSERT ON statement_themes "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION statement_themes_parents_exist()",
    "CREATE TRIGGER statement_themes_parents_on_update AFTER UPDATE ON statement_themes "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION statement_themes_parents_exist()",
    "CREATE TRIGGER statement_themes_cascade AFTER DELETE ON statements "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION statement_themes_cascade_statements()",
    "CREATE TRIGGER statement_themes_cascade AFTER DELETE ON themes "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION statement_themes_cascade_themes()",
)


def upgrade() -> None:
    op.add_column(
        "articles",
        sa.Column(
            "band_keys",
            postgresql.ARRAY(sa.BigInteger()),
            server_default="{}",
            nullable=False,
        ),
    )
    op.execute(
        "UPDATE articles SET band_keys = keys.band_keys FROM ("
        "  SELECT article_id, array_agg(band_key ORDER BY band_key) AS band_keys"
        "  FROM article_bands GROUP BY article_id"
        ") AS keys WHERE keys.article_id = articles.id"
    )
    op.create_index(
        op.f("ix_articles_band_keys"), "articles", ["band_keys"], postgresql_using="gin"
    )
    op.drop_table("article_bands")

    op.drop_constraint(
        op.f("fk_statement_themes_statement_id_statements"), "statement_themes", "foreignkey"
    )
    op.drop_constraint(op.f("fk_statement_themes_theme_id_themes"), "statement_themes", "foreignkey")
    op.execute(PARENTS_EXIST)
    op.execute(CASCADE.format(parent="statements", column="statement_id"))
    op.execute(CASCADE.format(parent="themes", column="theme_id"))
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    op.execute("DROP TRIGGER statement_themes_cascade ON themes")
    op.execute("DROP TRIGGER statement_themes_cascade ON statements")
    op.execute("DROP TRIGGER statement_themes_parents_on_update ON statement_themes")
    op.execute("DROP TRIGGER statement_themes_parents_on_insert ON statement_themes")
    op.execute("DROP FUNCTION statement_themes_cascade_themes()")
    op.execute("DROP FUNCTION statement_themes_cascade_statements()")
    op.execute("DROP FUNCTION statement_themes_parents_exist()")
    op.create_foreign_key(
        op.f("fk_statement_themes_theme_id_themes"),
        "statement_themes",
        "themes",
        ["theme_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_foreign_key(
        op.f("fk_statement_themes_statement_id_statements"),
        "statement_themes",
        "statements",
        ["statement_id"],
        ["id"],
        ondelete="CASCADE",
    )

    op.create_table(
        "article_bands",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_bands_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band_key", "article_id", name=op.f("pk_article_bands")),
    )
    op.create_index(
        op.f("ix_article_bands_article_id"), "article_bands", ["article_id"], unique=False
    )
    op.execute(
        "INSERT INTO article_bands (band_key, article_id) "
        "SELECT DISTINCT unnest(band_keys), id FROM articles"
    )
    op.drop_index(op.f("ix_articles_band_keys"), table_name="articles", postgresql_using="gin")
    op.drop_column("articles", "band_keys")
