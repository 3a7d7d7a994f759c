"""Copy the shipped registry (speakers, aliases, outlets, themes, entities) into the database.

Idempotent: new entries are inserted and changed names updated, so `serve` and
`import` can call it on every start. Editors' own additions are never deleted.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app import knowledge
from app.models import Outlet, Speaker, SpeakerAlias, Theme
from app.services.entities import sync_entities


def sync_registry(session: Session) -> None:
    speakers = knowledge.speakers()
    if speakers:
        statement = insert(Speaker).values(
            [
                {
                    "slug": entry.slug,
                    "name": entry.name,
                    "kind": entry.kind,
                    "country": entry.country,
                    "organisation": entry.organisation,
                    "confirmed": True,
                }
                for entry in speakers
            ]
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[Speaker.slug],
                set_={"name": statement.excluded.name, "confirmed": True},
            )
        )
        ids = dict(session.execute(select(Speaker.slug, Speaker.id)).all())
        alias_rows = [
            {"speaker_id": ids[entry.slug], "alias": alias}
            for entry in speakers
            for alias in dict.fromkeys((entry.name, *entry.aliases))
        ]
        session.execute(insert(SpeakerAlias).values(alias_rows).on_conflict_do_nothing())
    outlets = knowledge.outlets()
    if outlets:
        session.execute(
            insert(Outlet)
            .values(
                [
                    {
                        "slug": entry.slug,
                        "name": entry.name,
                        "domain": entry.domains[0] if entry.domains else None,
                    }
                    for entry in outlets
                ]
            )
            .on_conflict_do_nothing(index_elements=[Outlet.slug])
        )
    themes = knowledge.themes()
    if themes:
        statement = insert(Theme).values(
            [
                {"slug": entry.slug, "name": entry.name, "description": entry.description}
                for entry in themes
            ]
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[Theme.slug],
                set_={
                    "name": statement.excluded.name,
                    "description": statement.excluded.description,
                },
            )
        )
    sync_entities(session)
    session.commit()
