"""The extraction result types: what a statement is once found in an article body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Kind = Literal["direct", "indirect", "mixed"]
DatePrecision = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    name: str  # canonical registry name, or the name as written for an unknown named person
    slug: str  # registry slug, or a slugified name for unknown speakers
    kind: Literal["person", "institution"]
    known: bool  # False: not in the registry, the store creates it as "unconfirmed"


@dataclass(frozen=True, slots=True)
class ThemeScore:
    slug: str
    score: float  # 0..1


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A country, organisation or person a statement is about, where its text names it."""

    slug: str
    name: str
    kind: Literal["country", "organisation", "person"]
    start: int  # offsets into the article body, like the statement's
    end: int


@dataclass(frozen=True, slots=True)
class ExtractedStatement:
    speaker: SpeakerRef | None  # None when the words cannot be attributed (never guessed)
    speaker_mention: str | None  # as written: "he", "the top diplomat", "Riabkov"
    text: str  # the reported content without the attribution; body[start:end] == text
    kind: Kind
    cue: str | None  # the reporting verb as written ("said", "according to")
    start: int
    end: int
    date: date | None  # the statement date (publication date by default)
    date_precision: DatePrecision | None
    themes: tuple[ThemeScore, ...]
    confidence: float  # 0..1, editors review lowest first
    entities: tuple[EntityMention, ...] = ()  # in text order; one per entity and mention
