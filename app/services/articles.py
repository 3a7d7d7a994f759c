"""Storing articles: extraction runs here, then the article and its statements are written.

One article is one transaction: either it is stored with all its statements or, for
a duplicate or bad input, nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.extract import ExtractedStatement, SpeakerRef, extract_statements
from app.ingest import IngestError, OutletRef, ParsedArticle, read_text_file
from app.ingest.files import text_files
from app.ingest.fingerprint import content_hash, sha256_hex
from app.models import Article, Outlet, Speaker, Statement, StatementTheme, Theme


class DuplicateArticleError(Exception):
    """The same content is already stored; `article_id` is the stored copy."""

    def __init__(self, article_id: int, title: str) -> None:
        super().__init__(f"This article is already stored as “{title}”.")
        self.article_id = article_id
        self.title = title


def _outlet_id(session: Session, outlet: OutletRef | None) -> int | None:
    if outlet is None:
        return None
    session.execute(
        insert(Outlet)
        .values(slug=outlet.slug, name=outlet.name, domain=outlet.domain)
        .on_conflict_do_nothing(index_elements=[Outlet.slug])
    )
    return session.execute(select(Outlet.id).where(Outlet.slug == outlet.slug)).scalar_one()


def _speaker_ids(session: Session, refs: list[SpeakerRef]) -> dict[str, int]:
    """Ids by slug; speakers outside the registry are created unconfirmed for editors."""
    if not refs:
        return {}
    unique = {ref.slug: ref for ref in refs}
    session.execute(
        insert(Speaker)
        .values(
            [
                {"slug": ref.slug, "name": ref.name, "kind": ref.kind, "confirmed": ref.known}
                for ref in unique.values()
            ]
        )
        .on_conflict_do_nothing(index_elements=[Speaker.slug])
    )
    rows = session.execute(select(Speaker.slug, Speaker.id).where(Speaker.slug.in_(unique)))
    return dict(rows.all())


def _theme_ids(session: Session, slugs: set[str]) -> dict[str, int]:
    if not slugs:
        return {}
    rows = session.execute(select(Theme.slug, Theme.id).where(Theme.slug.in_(slugs)))
    return dict(rows.all())


def find_duplicate(session: Session, body: str) -> Article | None:
    return session.execute(
        select(Article).where(Article.content_hash == content_hash(body))
    ).scalar_one_or_none()


def store_article(
    session: Session, *, parsed: ParsedArticle, statements: list[ExtractedStatement]
) -> Article:
    """Write one parsed article and its extracted statements; commit.

    Raises DuplicateArticleError, leaving the database unchanged, when the content is stored.
    """
    if existing := find_duplicate(session, parsed.body):
        raise DuplicateArticleError(existing.id, existing.title)
    article = Article(
        outlet_id=_outlet_id(session, parsed.outlet),
        title=parsed.title,
        url=parsed.url,
        published_on=parsed.published,
        published_precision=parsed.published_precision,
        body=parsed.body,
        raw=parsed.raw,
        raw_sha256=sha256_hex(parsed.raw),
        content_hash=content_hash(parsed.body),
        source_name=parsed.source_name,
    )
    session.add(article)
    speaker_ids = _speaker_ids(session, [s.speaker for s in statements if s.speaker])
    theme_ids = _theme_ids(session, {t.slug for s in statements for t in s.themes})
    for found in statements:
        article.statements.append(
            Statement(
                speaker_id=speaker_ids[found.speaker.slug] if found.speaker else None,
                speaker_mention=found.speaker_mention,
                text=found.text,
                kind=found.kind,
                cue=found.cue,
                start=found.start,
                end=found.end,
                stated_on=found.date,
                stated_precision=found.date_precision,
                confidence=found.confidence,
                themes=[
                    StatementTheme(theme_id=theme_ids[t.slug], score=t.score)
                    for t in found.themes
                    if t.slug in theme_ids
                ],
            )
        )
    session.commit()
    return article


def add_article(session: Session, parsed: ParsedArticle) -> Article:
    """Extract statements from a parsed article and store both."""
    statements = extract_statements(parsed.body, published=parsed.published)
    return store_article(session, parsed=parsed, statements=statements)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    source: str
    status: Literal["stored", "duplicate", "rejected"]
    message: str
    article_id: int | None = None


def import_text_files(
    session: Session, paths: list[Path], *, max_bytes: int
) -> list[ImportOutcome]:
    """Import each file on its own: one bad or duplicate file never stops the others."""
    outcomes: list[ImportOutcome] = []
    for path in text_files(paths):
        try:
            parsed = read_text_file(path, max_bytes=max_bytes)
            article = add_article(session, parsed)
        except DuplicateArticleError as duplicate:
            session.rollback()
            outcomes.append(
                ImportOutcome(str(path), "duplicate", str(duplicate), duplicate.article_id)
            )
        except (IngestError, OSError) as error:
            session.rollback()
            outcomes.append(ImportOutcome(str(path), "rejected", str(error)))
        else:
            outcomes.append(
                ImportOutcome(
                    str(path),
                    "stored",
                    f"{len(article.statements)} statements",
                    article.id,
                )
            )
    return outcomes
