"""The shipped registry: speakers with aliases and roles, outlets, and the theme taxonomy.

The data lives in YAML files beside this module so that editors and reviewers change
people, outlets and themes without touching Python. Loading is pure (no database): the
extraction pipeline reads the registry directly, and the store copies it into tables
so that queries can join on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent

SpeakerKind = Literal["person", "institution"]


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


@cache
def speakers() -> tuple[SpeakerEntry, ...]:
    """Every known speaker, people and institutions, in file order."""
    return tuple(
        SpeakerEntry(
            slug=row["slug"],
            name=row["name"],
            kind=row.get("kind", "person"),
            country=row.get("country"),
            organisation=row.get("organisation"),
            aliases=tuple(row.get("aliases", ())),
            roles=tuple(
                Role(
                    title=role["title"],
                    start=_as_date(role.get("from")),
                    end=_as_date(role.get("to")),
                    descriptors=tuple(role.get("descriptors", ())),
                )
                for role in row.get("roles", ())
            ),
        )
        for row in _read("speakers.yaml")
    )


@cache
def outlets() -> tuple[OutletEntry, ...]:
    """Known news outlets with the domains and names that identify them."""
    return tuple(
        OutletEntry(
            slug=row["slug"],
            name=row["name"],
            domains=tuple(row.get("domains", ())),
            aliases=tuple(row.get("aliases", ())),
        )
        for row in _read("outlets.yaml")
    )


@cache
def themes() -> tuple[ThemeEntry, ...]:
    """The curated theme taxonomy with the phrases that signal each theme."""
    return tuple(
        ThemeEntry(
            slug=row["slug"],
            name=row["name"],
            description=row.get("description", ""),
            phrases=tuple(row.get("phrases", ())),
        )
        for row in _read("themes.yaml")
    )
