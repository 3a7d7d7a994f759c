"""entities statements are about: countries, organisations, people

The rows of `entities` come from the registry (app/knowledge/entities.yaml and the
speakers), synced on start like the speakers; `statement_entities` links statements to
the entities their text names. Its two keys are checked per statement, not per row
(`app.db_keys`), like the statements' own since 0006.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 15:41:43.740187
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db_keys import Key, install, uninstall

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS: tuple[Key, ...] = (
    ("statement_id", "statements", "CASCADE"),
    ("entity_id", "entities", "CASCADE"),
)


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("prose", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('country', 'organisation', 'person')", name=op.f("ck_entities_kind")
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speakers.id"],
            name=op.f("fk_entities_speaker_id_speakers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("slug", name=op.f("uq_entities_slug")),
    )
    op.create_index(op.f("ix_entities_speaker_id"), "entities", ["speaker_id"], unique=False)
    op.create_table(
        "statement_entities",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_statement_entities_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_entities_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", "entity_id", name=op.f("pk_statement_entities")),
    )
    op.create_index(
        op.f("ix_statement_entities_entity_id"), "statement_entities", ["entity_id"], unique=False
    )
    for sql in install("statement_entities", KEYS):
        op.execute(sql)


def downgrade() -> None:
    for sql in uninstall("statement_entities", KEYS):
        op.execute(sql)
    op.drop_index(op.f("ix_statement_entities_entity_id"), table_name="statement_entities")
    op.drop_table("statement_entities")
    op.drop_index(op.f("ix_entities_speaker_id"), table_name="entities")
    op.drop_table("entities")
