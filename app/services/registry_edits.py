"""Admins' changes to the registry: create, edit, retire and restore speakers, outlets
and themes. Each change is validated whole, marks the row as managed in the app
(`edited_at`, which the start-up YAML sync respects: `app.services.registry`) and is
audited in the same transaction, with the values before and after.

Retiring hides an entry from the registry the extractor uses (`current_registry`); its
row stays, so every statement, article and theme link that points at it is kept, and
restoring brings it back as it was.

An edit reaches articles stored before it only when they are reprocessed:
`reprocess_affected` does that for the articles that name the entry (or are linked to
it), up to REPROCESS_LIMIT at a time from the admin page; beyond that the command line's
`demarche reprocess` is the tool.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extract.themes import phrase_problem
from app.ingest.outlets import slugify
from app.knowledge import (
    OutletEntry,
    Role,
    SpeakerEntry,
    SpeakerKind,
    ThemeEntry,
    role_as_yaml,
)
from app.models import SPEAKER_KINDS, Outlet, Speaker, SpeakerAlias, Theme, User
from app.queries.registry import articles_linked_to, articles_naming
from app.services.audit import record_change
from app.services.reprocess import reprocess_articles

MAX_NAME = 300
MAX_ITEMS = 200  # aliases, domains, phrases or roles on one entry
MAX_TEXT = 300
MAX_DESCRIPTION = 2000
REPROCESS_LIMIT = 300
"""Articles reprocessed from the admin page in one request (about 30 ms each)."""
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY = re.compile(r"[A-Z]{2,8}")
_DOMAIN = re.compile(r"(?=.{1,200}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")

Fields = Mapping[str, Sequence[str]]
"""A submitted form: each field's values, in order (repeated fields have several)."""
Entry = Speaker | Outlet | Theme
RegistryKind = Literal["speaker", "outlet", "theme"]


class RegistryError(ValueError):
    """An entry that cannot be saved; `messages` says every reason, in words."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def _control_characters(fields: Fields) -> list[str]:
    """Postgres text cannot hold a NUL, and no name needs a control character."""
    bad = any(
        ord(char) < 32 and char not in "\t\r\n"
        for values in fields.values()
        for value in values
        for char in value
    )
    return ["Text cannot contain control characters."] if bad else []


def _one(fields: Fields, name: str) -> str:
    values = fields.get(name) or [""]
    return " ".join(values[0].split())


def _lines(fields: Fields, name: str) -> tuple[str, ...]:
    """A textarea of one item a line: trimmed, blank lines dropped, repeats once."""
    text = (fields.get(name) or [""])[0]
    return tuple(
        dict.fromkeys(" ".join(line.split()) for line in text.splitlines() if line.strip())
    )


def _name_and_slug(fields: Fields, errors: list[str], *, slug: str | None) -> tuple[str, str]:
    """The entry's name, and its slug: the one it has, else the one typed or derived."""
    name = _one(fields, "name")
    if not name:
        errors.append("The name cannot be empty.")
    elif len(name) > MAX_NAME:
        errors.append(f"The name is at most {MAX_NAME} characters.")
    if slug is None:
        slug = _one(fields, "slug") or (slugify(name) if name else "")
        if not SLUG.fullmatch(slug) or len(slug) > 120:
            errors.append(
                "The slug is 1 to 120 lowercase letters, digits and single hyphens "
                "(it becomes the entry's address)."
            )
    return name, slug


def _check_items(items: tuple[str, ...], label: str, errors: list[str]) -> None:
    if len(items) > MAX_ITEMS:
        errors.append(f"At most {MAX_ITEMS} {label} an entry.")
    long = [item for item in items if len(item) > MAX_TEXT]
    if long:
        errors.append(f"A line of {label} is at most {MAX_TEXT} characters: “{long[0][:40]}…”.")


def _day(value: str, label: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"The {label} date “{value[:20]}” is not a date (YYYY-MM-DD).")
        return None


def _roles(fields: Fields, errors: list[str]) -> tuple[Role, ...]:
    """Roles from the repeated role_* fields; a row left blank is no role."""
    titles = list(fields.get("role_title") or [])
    starts = list(fields.get("role_from") or [])
    ends = list(fields.get("role_to") or [])
    descriptors = list(fields.get("role_descriptors") or [])
    rows = max(len(titles), len(starts), len(ends), len(descriptors))
    if rows > MAX_ITEMS:
        errors.append(f"At most {MAX_ITEMS} roles an entry.")
        return ()

    def at(values: list[str], index: int) -> str:
        return " ".join(values[index].split()) if index < len(values) else ""

    roles: list[Role] = []
    for index in range(rows):
        title, start, end = at(titles, index), at(starts, index), at(ends, index)
        said = tuple(
            dict.fromkeys(d.strip() for d in at(descriptors, index).split(";") if d.strip())
        )
        if not (title or start or end or said):
            continue
        number = len(roles) + 1
        if not title:
            errors.append(f"Role {number} needs a title.")
            continue
        if len(title) > MAX_TEXT:
            errors.append(f"Role {number}'s title is at most {MAX_TEXT} characters.")
        _check_items(said, f"descriptors of role {number}", errors)
        begins = _day(start, f"start of role {number}", errors)
        finishes = _day(end, f"end of role {number}", errors)
        if begins and finishes and finishes < begins:
            errors.append(f"Role {number} ({title}) ends on {end}, before it starts on {start}.")
        roles.append(Role(title, begins, finishes, said))
    _check_overlaps(roles, errors)
    return tuple(roles)


def _check_overlaps(roles: list[Role], errors: list[str]) -> None:
    """The same title held twice at once is a typing mistake; two posts at once are not."""
    for number, role in enumerate(roles):
        for other in roles[number + 1 :]:
            if role.title.casefold() != other.title.casefold():
                continue
            starts_before_other_ends = (
                other.end is None or role.start is None or (role.start <= other.end)
            )
            ends_after_other_starts = (
                role.end is None or other.start is None or (other.start <= role.end)
            )
            if starts_before_other_ends and ends_after_other_starts:
                errors.append(f"Two “{role.title}” roles overlap: give them dates that do not.")


def speaker_form(fields: Fields, *, slug: str | None = None) -> SpeakerEntry:
    """The speaker a form describes (`slug` given: the speaker being edited keeps it)."""
    errors = _control_characters(fields)
    name, slug = _name_and_slug(fields, errors, slug=slug)
    kind = _one(fields, "kind") or "person"
    if kind not in SPEAKER_KINDS:
        errors.append("A speaker is a person or an institution.")
    country = _one(fields, "country").upper() or None
    if country is not None and not _COUNTRY.fullmatch(country):
        errors.append("The country is a code of 2 to 8 letters (RU, US, EU, UN).")
    organisation = _one(fields, "organisation") or None
    if organisation is not None and len(organisation) > MAX_TEXT:
        errors.append(f"The organisation is at most {MAX_TEXT} characters.")
    aliases = tuple(a for a in _lines(fields, "aliases") if a.casefold() != name.casefold())
    _check_items(aliases, "aliases", errors)
    roles = _roles(fields, errors)
    if errors:
        raise RegistryError(errors)
    return SpeakerEntry(slug, name, cast(SpeakerKind, kind), country, organisation, aliases, roles)


def outlet_form(fields: Fields, *, slug: str | None = None) -> OutletEntry:
    errors = _control_characters(fields)
    name, slug = _name_and_slug(fields, errors, slug=slug)
    domains = tuple(d.lower().removeprefix("www.") for d in _lines(fields, "domains"))
    bad = [d for d in domains if not _DOMAIN.fullmatch(d)]
    if bad:
        errors.append(
            f"“{bad[0][:60]}” is not a domain: write it bare, like reuters.com, one a line."
        )
    aliases = _lines(fields, "aliases")
    _check_items(domains, "domains", errors)
    _check_items(aliases, "aliases", errors)
    if errors:
        raise RegistryError(errors)
    return OutletEntry(slug, name, tuple(dict.fromkeys(domains)), aliases)


def theme_form(fields: Fields, *, slug: str | None = None) -> ThemeEntry:
    errors = _control_characters(fields)
    name, slug = _name_and_slug(fields, errors, slug=slug)
    description = " ".join((fields.get("description") or [""])[0].split())
    if len(description) > MAX_DESCRIPTION:
        errors.append(f"The description is at most {MAX_DESCRIPTION} characters.")
    phrases = _lines(fields, "phrases")
    _check_items(phrases, "phrases", errors)
    errors.extend(problem for p in phrases if (problem := phrase_problem(p)) is not None)
    if errors:
        raise RegistryError(errors)
    return ThemeEntry(slug, name, description, phrases)


def _role_label(role: dict[str, object]) -> str:
    span = f"{role.get('from') or '…'} – {role.get('to') or '…'}"
    return f"{role.get('title')} ({span})"


def snapshot(entry: Entry) -> dict[str, object]:
    """An entry's values as the history shows them, before or after a change."""
    if isinstance(entry, Speaker):
        return {
            "name": entry.name,
            "kind": entry.kind,
            "country": entry.country,
            "organisation": entry.organisation,
            "aliases": sorted(a.alias for a in entry.aliases if a.alias != entry.name),
            "roles": [_role_label(role) for role in entry.roles],
        }
    if isinstance(entry, Outlet):
        return {"name": entry.name, "domains": list(entry.domains), "aliases": list(entry.aliases)}
    return {
        "name": entry.name,
        "description": entry.description,
        "phrases": list(entry.phrases),
    }


def kind_of(entry: Entry) -> RegistryKind:
    if isinstance(entry, Speaker):
        return "speaker"
    return "outlet" if isinstance(entry, Outlet) else "theme"


def _audit(
    session: Session,
    *,
    actor: User,
    action: str,
    entry: Entry,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    record_change(
        session,
        actor=actor,
        action=f"{kind_of(entry)}.{action}",
        target_type=kind_of(entry),
        target_id=entry.id,
        target_label=entry.name,
        before=before,
        after=after,
    )


def _slug_taken(session: Session, model: type[Entry], slug: str) -> None:
    if session.execute(select(model.id).where(model.slug == slug)).first() is not None:
        raise RegistryError([f"The slug “{slug}” is taken: choose another."])


def _alias_clashes(session: Session, form: SpeakerEntry, speaker: Speaker | None) -> None:
    """An alias (or the name) another live speaker already goes by is refused: the
    extractor could no longer tell the two apart. Aliases the speaker had are let be."""
    had = {a.alias.casefold() for a in speaker.aliases} if speaker else set()
    wanted = {n.casefold(): n for n in (form.name, *form.aliases) if n.casefold() not in had}
    if not wanted:
        return
    clashes = session.execute(
        select(SpeakerAlias.alias, Speaker.name)
        .join(Speaker, Speaker.id == SpeakerAlias.speaker_id)
        .where(
            func.lower(SpeakerAlias.alias).in_(list(wanted)),
            Speaker.merged_into_id.is_(None),
            Speaker.retired_at.is_(None),
            Speaker.id != (speaker.id if speaker else -1),
        )
        .order_by(SpeakerAlias.alias)
    ).all()
    if clashes:
        raise RegistryError(
            [f"{owner} already goes by “{alias}”: an alias names one speaker only."
             for alias, owner in clashes]
        )  # fmt: skip


def _set_aliases(session: Session, speaker: Speaker, form: SpeakerEntry) -> None:
    keep = {form.name, *form.aliases}
    for alias in list(speaker.aliases):
        if alias.alias not in keep:
            speaker.aliases.remove(alias)
    present = {a.alias for a in speaker.aliases}
    for alias in (form.name, *form.aliases):
        if alias not in present:
            speaker.aliases.append(SpeakerAlias(alias=alias))
            present.add(alias)


def create_speaker(session: Session, *, form: SpeakerEntry, actor: User) -> Speaker:
    _slug_taken(session, Speaker, form.slug)
    _alias_clashes(session, form, None)
    speaker = Speaker(slug=form.slug, name=form.name, kind=form.kind, confirmed=True, aliases=[])
    _fill_speaker(speaker, form)
    session.add(speaker)
    _set_aliases(session, speaker, form)
    session.flush()
    _audit(
        session, actor=actor, action="create", entry=speaker, before=None, after=snapshot(speaker)
    )
    session.commit()
    return speaker


def update_speaker(session: Session, *, speaker: Speaker, form: SpeakerEntry, actor: User) -> None:
    _alias_clashes(session, form, speaker)
    before = snapshot(speaker)
    _fill_speaker(speaker, form)
    _set_aliases(session, speaker, form)
    session.flush()
    after = snapshot(speaker)
    if after == before:
        raise RegistryError(["Nothing changed."])
    _audit(session, actor=actor, action="edit", entry=speaker, before=before, after=after)
    session.commit()


def _fill_speaker(speaker: Speaker, form: SpeakerEntry) -> None:
    speaker.name = form.name
    speaker.kind = form.kind
    speaker.country = form.country
    speaker.organisation = form.organisation
    speaker.roles = [role_as_yaml(role) for role in form.roles]
    speaker.edited_at = datetime.now(UTC)


def create_outlet(session: Session, *, form: OutletEntry, actor: User) -> Outlet:
    _slug_taken(session, Outlet, form.slug)
    _domain_clashes(session, form, None)
    outlet = Outlet(slug=form.slug)
    _fill_outlet(outlet, form)
    session.add(outlet)
    session.flush()
    _audit(session, actor=actor, action="create", entry=outlet, before=None, after=snapshot(outlet))
    session.commit()
    return outlet


def update_outlet(session: Session, *, outlet: Outlet, form: OutletEntry, actor: User) -> None:
    _domain_clashes(session, form, outlet)
    before = snapshot(outlet)
    _fill_outlet(outlet, form)
    after = snapshot(outlet)
    if after == before:
        raise RegistryError(["Nothing changed."])
    _audit(session, actor=actor, action="edit", entry=outlet, before=before, after=after)
    session.commit()


def _domain_clashes(session: Session, form: OutletEntry, outlet: Outlet | None) -> None:
    """A domain serves one outlet: two would make an article's outlet a coin toss."""
    others = session.execute(
        select(Outlet.name, Outlet.domains).where(
            Outlet.retired_at.is_(None), Outlet.id != (outlet.id if outlet else -1)
        )
    ).all()
    clashes = [
        f"{name} already has the domain {domain}: a domain belongs to one outlet."
        for name, domains in others
        for domain in form.domains
        if domain in (domains or [])
    ]
    if clashes:
        raise RegistryError(clashes)


def _fill_outlet(outlet: Outlet, form: OutletEntry) -> None:
    outlet.name = form.name
    outlet.domains = list(form.domains)
    outlet.domain = form.domains[0] if form.domains else None
    outlet.aliases = list(form.aliases)
    outlet.edited_at = datetime.now(UTC)


def create_theme(session: Session, *, form: ThemeEntry, actor: User) -> Theme:
    _slug_taken(session, Theme, form.slug)
    theme = Theme(slug=form.slug)
    _fill_theme(theme, form)
    session.add(theme)
    session.flush()
    _audit(session, actor=actor, action="create", entry=theme, before=None, after=snapshot(theme))
    session.commit()
    return theme


def update_theme(session: Session, *, theme: Theme, form: ThemeEntry, actor: User) -> None:
    before = snapshot(theme)
    _fill_theme(theme, form)
    after = snapshot(theme)
    if after == before:
        raise RegistryError(["Nothing changed."])
    _audit(session, actor=actor, action="edit", entry=theme, before=before, after=after)
    session.commit()


def _fill_theme(theme: Theme, form: ThemeEntry) -> None:
    theme.name = form.name
    theme.description = form.description
    theme.phrases = list(form.phrases)
    theme.edited_at = datetime.now(UTC)


def set_retired(session: Session, *, entry: Entry, retired: bool, actor: User) -> None:
    """Retire an entry (hidden from extraction, everything pointing at it kept) or bring
    it back. Either way the row becomes managed in the app, so no sync undoes it."""
    if (entry.retired_at is not None) == retired:
        state = "retired" if retired else "in use"
        raise RegistryError([f"{entry.name} is already {state}."])
    before = {"retired": entry.retired_at.isoformat() if entry.retired_at else None}
    now = datetime.now(UTC)
    entry.retired_at = now if retired else None
    entry.edited_at = now
    _audit(
        session,
        actor=actor,
        action="retire" if retired else "restore",
        entry=entry,
        before=before,
        after={"retired": now.isoformat() if retired else None},
    )
    session.commit()


def _names(entry: Entry) -> list[str]:
    """The phrases an article names the entry by, as the registry lists them."""
    if isinstance(entry, Speaker):
        descriptors = [d for role in entry.roles for d in role.get("descriptors") or []]
        return [entry.name, *(a.alias for a in entry.aliases), *descriptors]
    if isinstance(entry, Outlet):
        return [entry.name, *entry.aliases]
    return list(entry.phrases)


@dataclass(frozen=True, slots=True)
class Reprocessed:
    articles: int
    statements_before: int
    statements_after: int


def reprocess_affected(session: Session, *, entry: Entry, actor: User) -> Reprocessed:
    """Re-extract the articles that name the entry or have a statement linked to it, so
    they take up the registry as it is now; reviewed statements are kept as always."""
    ids = sorted(
        set(articles_naming(session, phrases=_names(entry), limit=REPROCESS_LIMIT + 1))
        | set(articles_linked_to(session, entry=entry, limit=REPROCESS_LIMIT + 1))
    )
    if len(ids) > REPROCESS_LIMIT:
        raise RegistryError(
            [
                f"More than {REPROCESS_LIMIT} articles may name {entry.name}: too many for one "
                "request. Run `demarche reprocess` on the server instead."
            ]
        )
    if not ids:
        raise RegistryError([f"No stored article names {entry.name}: nothing to reprocess."])
    before, after, count = reprocess_articles(session, article_ids=ids)
    _audit(
        session,
        actor=actor,
        action="reprocess",
        entry=entry,
        before={"statements": before},
        after={"statements": after, "articles": count},
    )
    session.commit()
    return Reprocessed(count, before, after)
