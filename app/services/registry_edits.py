"""Admins' changes to the registry: create, edit, retire and restore speakers, outlets
and themes. Each change is validated whole, marks the row as managed in the app
(`edited_at`, which the start-up YAML sync respects: `app.services.registry`) and is
audited in the same transaction, with the values before and after.

Retiring hides an entry from the registry the extractor uses (`current_registry`); its
row stays, so every statement, article and theme link that points at it is kept, and
restoring brings it back as it was.

Every change (and a creation) can be reverted from the entry's history, by an admin:
`revert` puts the audited values back through the same checks as the edit form, and is
itself audited (`speaker.registry_revert`, ...), so it can be reverted in turn. A change
can be reverted only while the entry still holds what it left (`in_effect`): its rows
hold whole snapshots of the entry, and putting back an overtaken one would silently undo
every change made since. Reverting the newest change first walks back one at a time.

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
from app.models import SPEAKER_KINDS, AuditEvent, Outlet, Speaker, SpeakerAlias, Theme, User
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
MODELS: dict[str, type[Entry]] = {"speaker": Speaker, "outlet": Outlet, "theme": Theme}
REVERTIBLE = frozenset(
    f"{kind}.{action}"
    for kind in MODELS
    for action in ("create", "edit", "retire", "restore", "registry_revert")
)
"""The admins' registry changes a revert can undo (reprocessing changes no value)."""


class RegistryError(ValueError):
    """An entry that cannot be saved; `messages` says every reason, in words."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


class StaleChangeError(RegistryError):
    """A revert of a change the entry has moved on from."""


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


def snapshot(entry: Entry) -> dict[str, object]:
    """An entry's values before or after a change, whole: the history shows them and a
    revert puts them back (roles as speakers.yaml writes them, descriptors included)."""
    if isinstance(entry, Speaker):
        return {
            "name": entry.name,
            "kind": entry.kind,
            "country": entry.country,
            "organisation": entry.organisation,
            "aliases": sorted(a.alias for a in entry.aliases if a.alias != entry.name),
            "roles": [dict(role) for role in entry.roles],
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
    _save_change(session, entry=speaker, form=form, actor=actor, action="edit")


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
    _save_change(session, entry=outlet, form=form, actor=actor, action="edit")


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
    _save_change(session, entry=theme, form=form, actor=actor, action="edit")


def _fill_theme(theme: Theme, form: ThemeEntry) -> None:
    theme.name = form.name
    theme.description = form.description
    theme.phrases = list(form.phrases)
    theme.edited_at = datetime.now(UTC)


Form = SpeakerEntry | OutletEntry | ThemeEntry


def _save_change(
    session: Session,
    *,
    entry: Entry,
    form: Form,
    actor: User,
    action: str,
    reverts: int | None = None,
) -> None:
    """Check `form` against the other live entries, write it onto `entry` and audit the
    entry's whole values before and after: an edit, or a revert putting old ones back."""
    before = snapshot(entry)
    if isinstance(entry, Speaker):
        speaker = cast(SpeakerEntry, form)
        _alias_clashes(session, speaker, entry)
        _fill_speaker(entry, speaker)
        _set_aliases(session, entry, speaker)
    elif isinstance(entry, Outlet):
        outlet = cast(OutletEntry, form)
        _domain_clashes(session, outlet, entry)
        _fill_outlet(entry, outlet)
    else:
        _fill_theme(entry, cast(ThemeEntry, form))
    session.flush()
    after = snapshot(entry)
    if after == before:
        raise RegistryError(
            ["Nothing changed."] if reverts is None
            else [f"{entry.name} already has the values this change replaced."]
        )  # fmt: skip
    if reverts is not None:
        after["reverts"] = reverts
    _audit(session, actor=actor, action=action, entry=entry, before=before, after=after)
    session.commit()


def set_retired(session: Session, *, entry: Entry, retired: bool, actor: User) -> None:
    """Retire an entry (hidden from extraction, everything pointing at it kept) or bring
    it back. Either way the row becomes managed in the app, so no sync undoes it."""
    if (entry.retired_at is not None) == retired:
        state = "retired" if retired else "in use"
        raise RegistryError([f"{entry.name} is already {state}."])
    _set_retired_at(
        session,
        entry=entry,
        retired_at=datetime.now(UTC) if retired else None,
        actor=actor,
        action="retire" if retired else "restore",
    )


def _set_retired_at(
    session: Session,
    *,
    entry: Entry,
    retired_at: datetime | None,
    actor: User,
    action: str,
    reverts: int | None = None,
) -> None:
    """Retire (at `retired_at`) or restore (None) and audit it."""
    if retired_at is None:
        _restore_clashes(session, entry)
    before = {"retired": entry.retired_at.isoformat() if entry.retired_at else None}
    entry.retired_at = retired_at
    entry.edited_at = datetime.now(UTC)
    after: dict[str, object] = {"retired": retired_at.isoformat() if retired_at else None}
    if reverts is not None:
        after["reverts"] = reverts
    _audit(session, actor=actor, action=action, entry=entry, before=before, after=after)
    session.commit()


def _restore_clashes(session: Session, entry: Entry) -> None:
    """The edit form's clash checks for a retired entry coming back, over all its names
    and domains: each joins the live registry again."""
    if isinstance(entry, Speaker):
        aliases = tuple(a.alias for a in entry.aliases if a.alias != entry.name)
        kind = cast(SpeakerKind, entry.kind)
        _alias_clashes(
            session, SpeakerEntry(entry.slug, entry.name, kind, None, None, aliases, ()), None
        )
    elif isinstance(entry, Outlet):
        _domain_clashes(
            session, OutletEntry(entry.slug, entry.name, tuple(entry.domains), ()), entry
        )


# Reverting: the values an audit row recorded, put back as an edit would.

_FORMS = {"speaker": speaker_form, "outlet": outlet_form, "theme": theme_form}
_SNAPSHOT_KEYS = {
    "speaker": {"name", "kind", "country", "organisation", "aliases", "roles"},
    "outlet": {"name", "domains", "aliases"},
    "theme": {"name", "description", "phrases"},
}


def in_effect(event: AuditEvent, entry: Entry) -> bool:
    """Whether the entry still holds what this change left: the values after an edit (or
    a revert of one), the retirement after a retire or restore, being in use after its
    creation. A change something has overtaken since cannot be reverted."""
    after = event.after or {}
    if "retired" in after:
        stamp = after["retired"]
        if stamp is None:
            return entry.retired_at is None
        return entry.retired_at == datetime.fromisoformat(str(stamp))
    if event.before is None:
        return entry.retired_at is None
    return {key: value for key, value in after.items() if key != "reverts"} == snapshot(entry)


def restorable(event: AuditEvent) -> bool:
    """Whether the row holds what a revert needs: one of REVERTIBLE, and for an edit the
    entry's whole values (rows written before reverts existed kept roles as labels)."""
    if event.action not in REVERTIBLE:
        return False
    before = event.before
    if before is None or "retired" in before:
        return True
    if not _SNAPSHOT_KEYS[event.target_type] <= before.keys():
        return False
    roles = before.get("roles", [])
    return isinstance(roles, list) and all(isinstance(role, dict) for role in roles)


def revert(session: Session, *, event: AuditEvent, actor: User) -> Entry:
    """Undo an admin's change to an entry, as an audited change of its own; returns the
    entry. An edit's values go back through the edit form's checks (an alias or domain
    another entry has taken since is refused); a retirement is undone by restoring, a
    restoration or a creation by retiring.

    A change is reverted only while it is `in_effect`: every row holds the entry's whole
    values, so putting back those of a change overtaken since would silently undo the
    later changes too. Reverting the newest first walks back one change at a time.
    """
    model = MODELS.get(event.target_type)
    entry = (
        session.get(model, event.target_id, with_for_update=True)
        if model is not None and event.target_id is not None
        else None
    )
    if entry is None or not restorable(event):
        raise RegistryError(["This change cannot be reverted."])
    if not in_effect(event, entry):
        raise StaleChangeError(
            [
                f"{entry.name} has changed since this change: revert the later changes "
                "first, or edit the entry."
            ]
        )
    before = event.before
    if before is not None and "retired" not in before:
        form = _FORMS[event.target_type](_form_fields(event.target_type, before), slug=entry.slug)
        _save_change(
            session, entry=entry, form=form, actor=actor, action="registry_revert", reverts=event.id
        )
        return entry
    stamp = before.get("retired") if before else None
    retired_at = datetime.fromisoformat(str(stamp)) if stamp else None
    if before is None:  # a creation is undone by retiring the entry
        retired_at = datetime.now(UTC)
    _set_retired_at(
        session,
        entry=entry,
        retired_at=retired_at,
        actor=actor,
        action="registry_revert",
        reverts=event.id,
    )
    return entry


def _form_fields(kind: str, values: Mapping[str, object]) -> Fields:
    """A snapshot as the edit form would send it, so a revert passes the form's checks."""

    def text(key: str) -> list[str]:
        value = values.get(key)
        return ["" if value is None else str(value)]

    def lines(key: str) -> list[str]:
        return ["\n".join(str(item) for item in cast(list[object], values.get(key) or []))]

    if kind == "outlet":
        return {"name": text("name"), "domains": lines("domains"), "aliases": lines("aliases")}
    if kind == "theme":
        return {
            "name": text("name"),
            "description": text("description"),
            "phrases": lines("phrases"),
        }
    roles = cast(list[dict[str, object]], values.get("roles") or [])
    return {
        "name": text("name"),
        "kind": text("kind"),
        "country": text("country"),
        "organisation": text("organisation"),
        "aliases": lines("aliases"),
        "role_title": [str(role.get("title") or "") for role in roles],
        "role_from": [str(role.get("from") or "") for role in roles],
        "role_to": [str(role.get("to") or "") for role in roles],
        "role_descriptors": [
            "; ".join(str(d) for d in cast(list[object], role.get("descriptors") or []))
            for role in roles
        ],
    }


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
