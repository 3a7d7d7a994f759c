"""Statements as plain JSON data, to keep an article's extraction with the article.

An import stores each article with its extraction in one row and writes the statement
rows in a second stage (`app.services.indexing`). Normally that stage uses the
statements still in memory; after a crash between the two it reads them back from
here. A statement's text is left out: it is `body[start:end]` of the article it was
found in, which is stored beside it. `Extraction.of` makes the JSON text where the
statements are found, in an import's extraction processes, so the process that stores
only copies it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.extract.model import EntityMention, ExtractedStatement, SpeakerRef, ThemeScore

Payload = list[list[Any]]


def to_payload(statements: Sequence[ExtractedStatement]) -> Payload:
    """One list per statement, in a fixed order: compact to store, read by `from_payload`."""
    return [
        [
            s.speaker and [s.speaker.name, s.speaker.slug, s.speaker.kind, s.speaker.known],
            s.speaker_mention,
            s.kind,
            s.cue,
            s.start,
            s.end,
            s.date and s.date.isoformat(),
            s.date_precision,
            [[t.slug, t.score] for t in s.themes],
            s.confidence,
            [[e.slug, e.name, e.kind, e.start, e.end] for e in s.entities],
        ]
        for s in statements
    ]


def from_payload(payload: Payload, body: str) -> list[ExtractedStatement]:
    """The statements `to_payload` was given, their texts cut again from `body`."""
    return [
        ExtractedStatement(
            speaker=speaker and SpeakerRef(*speaker),
            speaker_mention=mention,
            text=body[start:end],
            kind=kind,
            cue=cue,
            start=start,
            end=end,
            date=stated and date.fromisoformat(stated),
            date_precision=precision,
            themes=tuple(ThemeScore(slug, score) for slug, score in themes),
            confidence=confidence,
            entities=tuple(EntityMention(*entity) for entity in entities),
        )
        for (
            speaker,
            mention,
            kind,
            cue,
            start,
            end,
            stated,
            precision,
            themes,
            confidence,
            entities,
        ) in payload
    ]


@dataclass(frozen=True, slots=True)
class Extraction:
    """The statements found in one article, with their payload as JSON text."""

    statements: list[ExtractedStatement]
    json: str

    @classmethod
    def of(cls, statements: list[ExtractedStatement]) -> Extraction:
        return cls(statements, json.dumps(to_payload(statements), separators=(",", ":")))
