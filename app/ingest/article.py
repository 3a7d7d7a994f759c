"""What ingest hands to extraction and to the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OutletRef:
    """An outlet as identified from a URL, a masthead or the editor's form.

    `known` is False for a name that is not in the shipped outlet list.
    """

    slug: str
    name: str
    domain: str | None
    known: bool


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article ready to store: `body` is what statement offsets will point into.

    `published_precision` is "day", "month" or "year" (a date known only to the month
    is stored as its first day), None when the date is unknown.
    """

    title: str
    body: str
    raw: bytes
    published: date | None
    published_precision: str | None
    url: str | None
    outlet: OutletRef | None
    source_name: str | None
    language: str | None = None
    """ISO 639-1 code of the body's language, None when too short or unclear to tell."""
    minhash: bytes | None = None
    """MinHash signature of the body (see `app.ingest.similarity`) for near-duplicates."""
    content_hash: str | None = None
    """The body's hash for exact duplicates (`app.ingest.fingerprint.content_hash`),
    computed with the MinHash where the article is read: in an import's extraction
    processes, not in the one storing."""
