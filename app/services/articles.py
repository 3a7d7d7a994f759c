"""Storing articles: extraction runs here, then articles are written and indexed.

`store_articles` writes a batch in the caller's transaction: exact duplicates are
refused (against stored articles and earlier ones of the batch) and each new article
goes in by COPY (`app.services.bulk`) as one row holding its extraction. Indexing
(`app.services.indexing`) then writes its statements, story, search vector and counts:
imports commit the stored batch first and index it in a second transaction, so what an
editor sent is kept before the heavier half runs. `store_article` does both for one
article in one transaction: either the article is stored and indexed with all its
statements or, for a duplicate or bad input, nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from psycopg.types.json import Json
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extract import ExtractedStatement, extract_statements
from app.extract.payload import Extraction
from app.ingest import OutletRef, ParsedArticle
from app.ingest.fingerprint import content_hash, sha256_hex
from app.ingest.finish import finish_article
from app.models import Article, Outlet
from app.services.bulk import allocate_ids, any_of, copy_rows, ids_creating, robust_plans
from app.services.indexing import UnindexedArticle, index_articles
from app.services.registry import current_registry, edited_outlets, with_edited_outlet

ARTICLE_COLUMNS = (
    "id",
    "outlet_id",
    "title",
    "url",
    "published_on",
    "published_precision",
    "body",
    "raw",
    "raw_sha256",
    "content_hash",
    "source_name",
    "language",
    "minhash",
    "extraction",
)


def statements_found(count: int) -> str:
    """The outcome line editors read in reports: "1 statement", "3 statements"."""
    return f"{count} statement" if count == 1 else f"{count} statements"


class DuplicateArticleError(Exception):
    """The same content is already stored; `article_id` is the stored copy."""

    def __init__(self, article_id: int, title: str) -> None:
        super().__init__(f"This article is already stored as “{title}”.")
        self.article_id = article_id
        self.title = title


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    statements: int
    unindexed: UnindexedArticle = field(compare=False, repr=False)
    """What indexing the article needs, from memory (`app.services.indexing`)."""


def _outlet_ids(session: Session, refs: list[OutletRef]) -> dict[str, int]:
    """Ids by slug; outlets typed by an editor are created on first use."""
    rows = {r.slug: {"slug": r.slug, "name": r.name, "domain": r.domain} for r in refs}
    return ids_creating(session, Outlet, rows)


@dataclass(slots=True)
class _New:
    """An article of the batch that is not a duplicate, on its way to the table."""

    parsed: ParsedArticle
    extraction: Extraction
    hash: str
    id: int = 0


def store_articles(
    session: Session, batch: Sequence[tuple[ParsedArticle, Extraction]]
) -> list[StoredArticle | DuplicateArticleError]:
    """Write parsed articles with their extraction in the session's transaction, in order.

    The caller commits, and indexes the stored ones (`index_stored`) in this transaction
    or the next. Each entry's result is the stored article, or the duplicate error
    naming the copy stored before (in the database or earlier in the batch). A database
    error leaves the transaction to roll back: the batch is all or nothing.
    """
    if not batch:
        return []
    robust_plans(session)
    hashes = [parsed.content_hash or content_hash(parsed.body) for parsed, _ in batch]
    stored = {
        row.content_hash: DuplicateArticleError(row.id, row.title)
        for row in session.execute(
            select(Article.content_hash, Article.id, Article.title).where(
                any_of(Article.content_hash, set(hashes))
            )
        )
    }
    entries: list[DuplicateArticleError | tuple[_New, bool]] = []
    first: dict[str, _New] = {}
    outlets = edited_outlets(session)
    for (parsed, extraction), hash in zip(batch, hashes, strict=True):
        if hash in stored:
            entries.append(stored[hash])
        elif hash in first:
            entries.append((first[hash], False))
        else:
            parsed = with_edited_outlet(finish_article(parsed), outlets)
            first[hash] = _New(parsed, extraction, hash)
            entries.append((first[hash], True))
    new = list(first.values())
    unindexed = _write_articles(session, new) if new else {}
    return [
        entry
        if isinstance(entry, DuplicateArticleError)
        else StoredArticle(entry[0].id, len(entry[0].extraction.statements), unindexed[entry[0].id])
        if entry[1]
        else DuplicateArticleError(entry[0].id, entry[0].parsed.title)
        for entry in entries
    ]


def index_stored(session: Session, results: Sequence[StoredArticle | DuplicateArticleError]) -> int:
    """Index the articles `store_articles` stored (`app.services.indexing`), in the
    session's transaction; the caller commits. Returns how many it indexed."""
    return index_articles(
        session, [result.unindexed for result in results if isinstance(result, StoredArticle)]
    )


def _write_articles(session: Session, new: list[_New]) -> dict[int, UnindexedArticle]:
    """Give the articles their ids and COPY them, each with its extraction; returns
    what indexing them needs, by id."""
    for article_id, article in zip(allocate_ids(session, "articles", len(new)), new, strict=True):
        article.id = article_id
    outlet_ids = _outlet_ids(session, [n.parsed.outlet for n in new if n.parsed.outlet])
    outlet_of = {n.id: outlet_ids[n.parsed.outlet.slug] if n.parsed.outlet else None for n in new}
    copy_rows(
        session,
        "articles",
        ARTICLE_COLUMNS,
        [
            (
                n.id,
                outlet_of[n.id],
                n.parsed.title,
                n.parsed.url,
                n.parsed.published,
                n.parsed.published_precision,
                n.parsed.body,
                n.parsed.raw,
                sha256_hex(n.parsed.raw),
                n.hash,
                n.parsed.source_name,
                n.parsed.language,
                n.parsed.minhash,
                # Already JSON text: the dumper passes it on as it is.
                Json(n.extraction.json, dumps=str),
            )
            for n in new
        ],
    )
    return {
        n.id: UnindexedArticle(n.id, outlet_of[n.id], n.parsed.minhash, n.extraction.statements)
        for n in new
    }


def find_duplicate(session: Session, body: str) -> Article | None:
    return session.execute(
        select(Article).where(Article.content_hash == content_hash(body))
    ).scalar_one_or_none()


def store_article(
    session: Session,
    *,
    parsed: ParsedArticle,
    statements: list[ExtractedStatement],
    commit: bool = True,
) -> Article:
    """Write and index one parsed article and its extracted statements, in one
    transaction: the form and the API show the statements at once.

    Raises DuplicateArticleError, leaving the database unchanged, when the content is
    stored. With `commit=False` the caller commits, to record more in the same transaction.
    """
    results = store_articles(session, [(parsed, Extraction.of(statements))])
    if isinstance(results[0], DuplicateArticleError):
        raise results[0]
    index_stored(session, results)
    [result] = results
    if commit:
        session.commit()
    return session.get_one(Article, result.id)


def add_article(session: Session, parsed: ParsedArticle, *, commit: bool = True) -> Article:
    """Extract statements from a parsed article and store both."""
    statements = extract_statements(
        parsed.body, published=parsed.published, registry=current_registry(session)
    )
    return store_article(session, parsed=parsed, statements=statements, commit=commit)
