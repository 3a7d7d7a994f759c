"""The shipped registry: speakers with aliases and roles, outlets, the theme taxonomy, and
the countries and organisations statements are about.

The data lives in YAML files beside this module so that editors and reviewers change
people, outlets and themes without touching Python. Loading is pure (no database). The
store copies the files into tables at start (`app.services.registry`), admins change
those rows in the app, and the service layer hands the pipeline a `Registry` built from
the rows; `shipped()` is the registry of the files alone, for the command-line
extractor, the evaluation and the unit tests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent

SpeakerKind = Literal["person", "institution"]
EntityKind = Literal["country", "organisation", "person"]


@dataclass(frozen=True, slots=True)
class Role:
    """A position held over a date range; `descriptors` are how articles name the holder."""

    title: str
    start: date | None
    end: date | None
    descriptors: tuple[str, ...]

    def held_on(self, day: date | None) -> bool:
        """True when the role was held on `day`; an unknown day matches any role."""
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class SpeakerEntry:
    slug: str
    name: str
    kind: SpeakerKind
    country: str | None
    organisation: str | None
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class OutletEntry:
    slug: str
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    slug: str
    name: str
    description: str
    phrases: tuple[str, ...]


def _read(name: str) -> list[dict[str, Any]]:
    with (KNOWLEDGE_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def speaker_entry(row: dict[str, Any]) -> SpeakerEntry:
    """A speaker from a mapping shaped like a speakers.yaml item (or a database row)."""
    return SpeakerEntry(
        slug=row["slug"],
        name=row["name"],
        kind=row.get("kind") or "person",
        country=row.get("country"),
        organisation=row.get("organisation"),
        aliases=tuple(row.get("aliases") or ()),
        roles=tuple(
            Role(
                title=role["title"],
                start=_as_date(role.get("from")),
                end=_as_date(role.get("to")),
                descriptors=tuple(role.get("descriptors") or ()),
            )
            for role in row.get("roles") or ()
        ),
    )


def outlet_entry(row: dict[str, Any]) -> OutletEntry:
    """An outlet from a mapping shaped like an outlets.yaml item (or a database row)."""
    return OutletEntry(
        slug=row["slug"],
        name=row["name"],
        domains=tuple(row.get("domains") or ()),
        aliases=tuple(row.get("aliases") or ()),
    )


def theme_entry(row: dict[str, Any]) -> ThemeEntry:
    """A theme from a mapping shaped like a themes.yaml item (or a database row)."""
    return ThemeEntry(
        slug=row["slug"],
        name=row["name"],
        description=row.get("description") or "",
        phrases=tuple(row.get("phrases") or ()),
    )


def role_as_yaml(role: Role) -> dict[str, Any]:
    """A role as speakers.yaml writes it, dates as ISO strings (for a JSON column)."""
    return {
        "title": role.title,
        "from": role.start.isoformat() if role.start else None,
        "to": role.end.isoformat() if role.end else None,
        "descriptors": list(role.descriptors),
    }


@cache
def speakers() -> tuple[SpeakerEntry, ...]:
    """Every known speaker, people and institutions, in file order."""
    return tuple(speaker_entry(row) for row in _read("speakers.yaml"))


@cache
def outlets() -> tuple[OutletEntry, ...]:
    """Known news outlets with the domains and names that identify them."""
    return tuple(outlet_entry(row) for row in _read("outlets.yaml"))


@cache
def themes() -> tuple[ThemeEntry, ...]:
    """The curated theme taxonomy with the phrases that signal each theme."""
    return tuple(theme_entry(row) for row in _read("themes.yaml"))


@dataclass(frozen=True, slots=True, eq=False)
class Registry:
    """The speakers, outlets and themes one extraction run resolves against.

    Two registries with the same content are equal and hash alike (by a digest of the
    content), so the pipeline's caches, keyed by registry, keep working across imports
    and in worker processes that each receive their own copy; an edit makes a new
    digest, and the next run builds fresh indexes.
    """

    speakers: tuple[SpeakerEntry, ...]
    outlets: tuple[OutletEntry, ...]
    themes: tuple[ThemeEntry, ...]
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        content = repr((self.speakers, self.outlets, self.themes)).encode()
        object.__setattr__(self, "digest", hashlib.sha256(content).hexdigest())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Registry) and (self is other or self.digest == other.digest)

    def __hash__(self) -> int:
        return hash(self.digest)


_last: list[Registry] = []


def latest(registry: Registry) -> Registry:
    """The registry equal to `registry` handed out last, if there is one, else `registry`,
    which becomes it.

    The store reads the registry afresh for every import part and upload, each time as
    new objects. The pipeline's caches are keyed by registry, and an entry added under
    a fresh copy keeps that copy alive even though an equal one is already cached: a
    worker importing a million articles held some two thousand copies (681 MB against
    318 at 20,000 articles). Handing out one object while the content is unchanged
    keeps one copy.
    """
    if _last and _last[0] == registry:
        return _last[0]
    _last[:] = [registry]
    return registry


@cache
def shipped() -> Registry:
    """The registry of the YAML files alone, as shipped."""
    return Registry(speakers(), outlets(), themes())


@dataclass(frozen=True, slots=True)
class EntityEntry:
    """Something a statement can be about: a country, an organisation or a person."""

    slug: str
    name: str  # the facet label: "EU"
    prose: str  # how a sentence names it: "the EU"
    kind: EntityKind
    phrases: tuple[str, ...]  # matched case-sensitively as whole words
    speaker: str | None  # the speakers.yaml slug when it also speaks
    part_of: tuple[str, ...]  # entities a mention also counts for
    first_name: bool  # also a given name: not counted before a capitalised word


@dataclass(frozen=True, slots=True)
class EntityCatalogue:
    entries: tuple[EntityEntry, ...]
    not_about: tuple[str, ...]  # phrases that contain a name but mean something else


@cache
def entities() -> EntityCatalogue:
    """The entities of `entities.yaml`, then every speaker as an entity of its own.

    People are found by their speakers.yaml names and aliases; institutions that no
    organisation of entities.yaml claims become organisations, counted also for the
    country or organisation of their `country` code (the Kremlin also makes a statement
    about Russia). A phrase belongs to the first entry that lists it, entities.yaml first.
    """
    with (KNOWLEDGE_DIR / "entities.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    entries: list[EntityEntry] = []
    by_code: dict[str, str] = {}
    for kind, section in (("country", "countries"), ("organisation", "organisations")):
        for row in data.get(section, ()):
            if "code" in row:
                by_code[row["code"]] = row["slug"]
            entries.append(
                EntityEntry(
                    slug=row["slug"],
                    name=row["name"],
                    prose=row.get("prose", row["name"]),
                    kind=kind,
                    phrases=tuple(
                        dict.fromkeys(
                            (*row["names"], *row.get("adjectives", ()), *row.get("capitals", ()))
                        )
                    ),
                    speaker=row.get("speaker"),
                    part_of=tuple(row.get("part_of", ())),
                    first_name=bool(row.get("first_name", False)),
                )
            )
    not_about = tuple(data.get("not_about", ()))
    ignored = set(data.get("ignored_speaker_aliases", ()))
    claimed_speakers = {entry.speaker for entry in entries if entry.speaker}
    taken = {phrase for entry in entries for phrase in entry.phrases} | set(not_about) | ignored
    slugs = {entry.slug for entry in entries}
    for speaker in speakers():
        if speaker.slug in claimed_speakers:
            continue
        if speaker.slug in slugs:
            raise ValueError(f"entities.yaml and speakers.yaml both use the slug {speaker.slug}")
        phrases = []
        for alias in dict.fromkeys((speaker.name, *speaker.aliases)):
            phrase = alias.removeprefix("the ").removeprefix("The ")
            if phrase[:1].isupper() and phrase not in taken:
                phrases.append(phrase)
                taken.add(phrase)
        institution = speaker.kind == "institution"
        parent = by_code.get(speaker.country or "") if institution else None
        entries.append(
            EntityEntry(
                slug=speaker.slug,
                name=speaker.name,
                prose=speaker.name,
                kind="organisation" if institution else "person",
                phrases=tuple(phrases),
                speaker=speaker.slug,
                part_of=(parent,) if parent else (),
                first_name=False,
            )
        )
    return EntityCatalogue(tuple(entries), not_about)
