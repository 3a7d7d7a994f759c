"""Storing articles: extraction runs here, then the article and its statements are written.

One article is one transaction: either it is stored with all its statements or, for
a duplicate or bad input, nothing changes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.extract import ExtractedStatement, SpeakerRef, extract_statements
from app.ingest import OutletRef, ParsedArticle
from app.ingest.fingerprint import content_hash, sha256_hex
from app.ingest.finish import finish_article
from app.ingest.similarity import (
    NEAR_DUPLICATE_THRESHOLD,
    band_keys,
    minhash_signature,
    similarity,
)
from app.models import (
    Article,
    ArticleBand,
    Outlet,
    Speaker,
    Statement,
    StatementTheme,
    Story,
    Theme,
)


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


def statement_rows(session: Session, statements: list[ExtractedStatement]) -> list[Statement]:
    """New Statement rows for extracted statements, creating speakers as needed."""
    speaker_ids = _speaker_ids(session, [s.speaker for s in statements if s.speaker])
    theme_ids = _theme_ids(session, {t.slug for s in statements for t in s.themes})
    return [
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
        for found in statements
    ]


def _story_id(session: Session, signature: bytes) -> int:
    """The story of the most similar stored article (a syndicated copy), else a new story.

    Candidates come from the MinHash band index; each is then checked on its signature.
    """
    candidates = session.execute(
        select(Article.minhash, Article.story_id)
        .join(ArticleBand, ArticleBand.article_id == Article.id)
        .where(ArticleBand.band_key.in_(set(band_keys(signature))))
        .distinct()
    ).all()
    scored = [
        (similarity(signature, minhash), story_id)
        for minhash, story_id in candidates
        if minhash is not None and story_id is not None
    ]
    best = max(scored, default=None)
    if best is not None and best[0] >= NEAR_DUPLICATE_THRESHOLD:
        return best[1]
    story = Story()
    session.add(story)
    session.flush()
    return story.id


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
    """Write one parsed article and its extracted statements.

    Raises DuplicateArticleError, leaving the database unchanged, when the content is
    stored. With `commit=False` the caller commits, to record more in the same transaction.
    """
    if existing := find_duplicate(session, parsed.body):
        raise DuplicateArticleError(existing.id, existing.title)
    parsed = finish_article(parsed)
    signature = parsed.minhash or minhash_signature(parsed.body)
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
        language=parsed.language,
        minhash=signature,
        story_id=_story_id(session, signature),
    )
    session.add(article)
    article.statements.extend(statement_rows(session, statements))
    session.flush()
    session.execute(
        insert(ArticleBand)
        .values([{"band_key": key, "article_id": article.id} for key in set(band_keys(signature))])
        .on_conflict_do_nothing()
    )
    if commit:
        session.commit()
    else:
        session.flush()
    return article


def add_article(session: Session, parsed: ParsedArticle, *, commit: bool = True) -> Article:
    """Extract statements from a parsed article and store both."""
    statements = extract_statements(parsed.body, published=parsed.published)
    return store_article(session, parsed=parsed, statements=statements, commit=commit)
