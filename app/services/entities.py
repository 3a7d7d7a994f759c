"""Entities in the store: the registry's copy of them, and which statements are about them.

`sync_entities` copies `app.knowledge.entities()` (entities.yaml and every speaker) into
`entities`, linking people and institutions to their speaker rows; `serve`, `import`
and the tests call it through `sync_registry`. `write_statement_entities` is called by
`app.services.articles.write_statements` with the statement ids it drew, and COPYs one
row per statement and entity its text names.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app import knowledge
from app.extract import ExtractedStatement
from app.extract.entities import entity_slugs
from app.models import Entity, Speaker
from app.services.bulk import any_of, copy_rows


def sync_entities(session: Session) -> None:
    """Insert new entities and update changed ones; entities no longer listed are kept,
    since statements may still point at them. The caller commits."""
    catalogue = knowledge.entities().entries
    speaker_slugs = {entry.speaker for entry in catalogue if entry.speaker}
    speaker_ids = dict(
        session.execute(
            select(Speaker.slug, Speaker.id).where(any_of(Speaker.slug, speaker_slugs))
        ).all()
    )
    statement = insert(Entity).values(
        [
            {
                "slug": entry.slug,
                "name": entry.name,
                "prose": entry.prose,
                "kind": entry.kind,
                "speaker_id": speaker_ids.get(entry.speaker) if entry.speaker else None,
            }
            for entry in catalogue
        ]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[Entity.slug],
            set_={
                column: statement.excluded[column]
                for column in ("name", "prose", "kind", "speaker_id")
            },
        )
    )


def write_statement_entities(
    session: Session, statements: Iterable[tuple[int, ExtractedStatement]]
) -> None:
    """COPY the links from stored statements (id, extracted statement) to their entities.

    An entity missing from the table (a registry edited but not synced yet) is skipped,
    as statement themes are.
    """
    pairs = [
        (statement_id, slug)
        for statement_id, statement in statements
        for slug in entity_slugs(statement.entities)
    ]
    if not pairs:
        return
    ids = dict(
        session.execute(
            select(Entity.slug, Entity.id).where(any_of(Entity.slug, {slug for _, slug in pairs}))
        ).all()
    )
    copy_rows(
        session,
        "statement_entities",
        ("statement_id", "entity_id"),
        [(statement_id, ids[slug]) for statement_id, slug in pairs if slug in ids],
    )
