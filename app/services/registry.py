"""The registry in the database: copied from the shipped YAML at start, edited by admins in
the app, and read back as the `Registry` the extraction pipeline resolves against.

Precedence. `sync_registry` runs at every start (`serve`, `import`): it inserts the
entries of app/knowledge/*.yaml that are new and updates the others, except rows an
admin has changed in the app (`edited_at` set, which retiring also sets): those keep the
admin's values, aliases included, whatever the YAML says later. So a YAML entry added
in a release still arrives, and an admin's edit is never undone by a restart.

`current_registry` builds what the pipeline needs from the rows, so an edit applies to
the next upload, import or reprocessing; statements extracted before keep what they
were given until their articles are reprocessed (`app.services.reprocess`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app import knowledge
from app.ingest import ParsedArticle
from app.ingest.outlets import match_outlet
from app.knowledge import (
    OutletEntry,
    Registry,
    outlet_entry,
    role_as_yaml,
    speaker_entry,
    theme_entry,
)
from app.models import Outlet, Speaker, SpeakerAlias, Theme
from app.services.entities import sync_entities


def sync_registry(session: Session) -> None:
    """Copy the shipped YAML into the tables, leaving rows admins edited as they are."""
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
                    "roles": [role_as_yaml(role) for role in entry.roles],
                    "confirmed": True,
                }
                for entry in speakers
            ]
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[Speaker.slug],
                set_={
                    "name": statement.excluded.name,
                    "roles": statement.excluded.roles,
                    "confirmed": True,
                },
                where=Speaker.__table__.c.edited_at.is_(None),
            )
        )
        ids = dict(
            session.execute(
                select(Speaker.slug, Speaker.id).where(Speaker.edited_at.is_(None))
            ).all()
        )
        alias_rows = [
            {"speaker_id": ids[entry.slug], "alias": alias}
            for entry in speakers
            if entry.slug in ids
            for alias in dict.fromkeys((entry.name, *entry.aliases))
        ]
        if alias_rows:
            session.execute(insert(SpeakerAlias).values(alias_rows).on_conflict_do_nothing())
    outlets = knowledge.outlets()
    if outlets:
        statement = insert(Outlet).values(
            [
                {
                    "slug": entry.slug,
                    "name": entry.name,
                    "domain": entry.domains[0] if entry.domains else None,
                    "domains": list(entry.domains),
                    "aliases": list(entry.aliases),
                }
                for entry in outlets
            ]
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[Outlet.slug],
                set_={
                    "domains": statement.excluded.domains,
                    "aliases": statement.excluded.aliases,
                },
                where=Outlet.__table__.c.edited_at.is_(None),
            )
        )
    themes = knowledge.themes()
    if themes:
        statement = insert(Theme).values(
            [
                {
                    "slug": entry.slug,
                    "name": entry.name,
                    "description": entry.description,
                    "phrases": list(entry.phrases),
                }
                for entry in themes
            ]
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[Theme.slug],
                set_={
                    "name": statement.excluded.name,
                    "description": statement.excluded.description,
                    "phrases": statement.excluded.phrases,
                },
                where=Theme.__table__.c.edited_at.is_(None),
            )
        )
    sync_entities(session)
    session.commit()


def current_registry(session: Session) -> Registry:
    """The registry as the rows hold it now: confirmed speakers not merged away, the
    shipped outlets and those admins made, every theme; none retired.

    Speakers the extractor proposed join once an editor confirms them; outlets typed by
    an editor at upload stay out until an admin edits them, so a stray name never
    becomes a source the extractor resolves "X said" to. Read as plain rows, not ORM
    objects: it runs for every upload and import batch.
    """
    live = (
        Speaker.confirmed.is_(True),
        Speaker.merged_into_id.is_(None),
        Speaker.retired_at.is_(None),
    )
    aliases: dict[int, list[str]] = {}
    for speaker_id, alias in session.execute(
        select(SpeakerAlias.speaker_id, SpeakerAlias.alias)
        .join(Speaker, Speaker.id == SpeakerAlias.speaker_id)
        .where(*live)
        .order_by(SpeakerAlias.id)
    ):
        aliases.setdefault(speaker_id, []).append(alias)
    speakers = tuple(
        speaker_entry(
            {
                **row._mapping,
                "aliases": [a for a in aliases.get(row.id, ()) if a != row.name],
            }
        )
        for row in session.execute(
            select(
                Speaker.id,
                Speaker.slug,
                Speaker.name,
                Speaker.kind,
                Speaker.country,
                Speaker.organisation,
                Speaker.roles,
            )
            .where(*live)
            .order_by(Speaker.id)
        )
    )
    shipped_outlets = {entry.slug for entry in knowledge.outlets()}
    outlets = tuple(
        outlet_entry(row._mapping)
        for row in session.execute(
            select(Outlet.slug, Outlet.name, Outlet.domains, Outlet.aliases)
            .where(
                Outlet.retired_at.is_(None),
                or_(Outlet.edited_at.is_not(None), Outlet.slug.in_(shipped_outlets)),
            )
            .order_by(Outlet.id)
        )
    )
    themes = tuple(
        theme_entry(row._mapping)
        for row in session.execute(
            select(Theme.slug, Theme.name, Theme.description, Theme.phrases)
            .where(Theme.retired_at.is_(None))
            .order_by(Theme.id)
        )
    )
    return knowledge.latest(Registry(speakers, outlets, themes))


@dataclass(frozen=True, slots=True)
class EditedOutlets:
    """What admins changed about outlets, as the store needs it for each new article."""

    live: tuple[OutletEntry, ...]  # edited in the app and in use
    retired: frozenset[str]  # slugs of retired outlets


def edited_outlets(session: Session) -> EditedOutlets:
    live: list[OutletEntry] = []
    retired: set[str] = set()
    for outlet in session.execute(
        select(Outlet).where(Outlet.edited_at.is_not(None)).order_by(Outlet.id)
    ).scalars():
        if outlet.retired_at is None:
            live.append(outlet_entry(_outlet_row(outlet)))
        else:
            retired.add(outlet.slug)
    return EditedOutlets(tuple(live), frozenset(retired))


def with_edited_outlet(parsed: ParsedArticle, edited: EditedOutlets) -> ParsedArticle:
    """The article with the outlet admins' edits name.

    Readers identify outlets by the shipped list while parsing (they know no database);
    an admin's new domain or alias is applied here, before the article is stored: the
    URL's domain first, then the name the reader found. An outlet the reader found but
    an admin retired identifies nothing: the article is stored without an outlet.
    """
    if not edited.live and not edited.retired:
        return parsed
    name = parsed.outlet.name if parsed.outlet else parsed.source_name
    found = match_outlet(edited.live, url=parsed.url, name=name)
    if found is not None:
        return replace(parsed, outlet=found)
    if parsed.outlet is not None and parsed.outlet.slug in edited.retired:
        return replace(parsed, outlet=None)
    return parsed


def _outlet_row(outlet: Outlet) -> dict[str, Any]:
    return {
        "slug": outlet.slug,
        "name": outlet.name,
        "domains": outlet.domains,
        "aliases": outlet.aliases,
    }
