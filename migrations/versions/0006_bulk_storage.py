"""band keys as an article column; statements' keys checked per statement, not per row

Two changes for the bulk store, each measured in docs/performance.md:

- The 16 MinHash band keys of an article move from `article_bands` (16 rows, 16
  foreign-key checks) to one `bigint[]` column with a GIN index; candidates are found
  with `band_keys && :keys`.
- `statements` and `statement_themes`, written by the tens of rows per article, lose
  their per-row foreign-key triggers. Statement-level triggers take their place: after
  each INSERT or UPDATE, one set-based check that every parent the new rows name exists,
  locking them `FOR KEY SHARE` as a foreign key would; after a DELETE of parents, one
  set-based statement applying the ON DELETE action the model declares.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-23 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.db_keys import Key, install, uninstall

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECKED: dict[str, tuple[Key, ...]] = {
    "statements": (
        ("article_id", "articles", "CASCADE"),
        ("speaker_id", "speakers", "SET NULL"),
    ),
    "statement_themes": (
        ("statement_id", "statements", "CASCADE"),
        ("theme_id", "themes", "CASCADE"),
    ),
}
"""Child table -> (column, parent table, ON DELETE action) of each key it loses."""


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

    for child, keys in CHECKED.items():
        for sql in install(child, keys):
            op.execute(sql)


def downgrade() -> None:
    for child, keys in CHECKED.items():
        for sql in uninstall(child, keys):
            op.execute(sql)

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
