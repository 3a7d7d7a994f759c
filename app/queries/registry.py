"""The registry as admins browse it: speakers, outlets and themes with a name filter,
retired ones included (marked), so an entry can be found to edit or restore."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.models import Article, Outlet, Speaker, SpeakerAlias, Statement, StatementTheme, Theme

LIST_LIMIT = 200


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def registry_speakers(session: Session, *, q: str, limit: int = LIST_LIMIT) -> list[Speaker]:
    """Speakers not merged away whose name, slug or an alias contains `q`, registry
    (confirmed) ones first, then by name."""
    query = select(Speaker).where(Speaker.merged_into_id.is_(None))
    if q:
        pattern = _like(q)
        query = query.where(
            Speaker.name.ilike(pattern)
            | Speaker.slug.ilike(pattern)
            | Speaker.id.in_(
                select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias.ilike(pattern))
            )
        )
    return list(
        session.execute(
            query.options(selectinload(Speaker.aliases))
            .order_by(Speaker.confirmed.desc(), Speaker.name, Speaker.id)
            .limit(limit)
        ).scalars()
    )


def registry_outlets(session: Session, *, q: str, limit: int = LIST_LIMIT) -> list[Outlet]:
    query = select(Outlet)
    if q:
        pattern = _like(q)
        query = query.where(Outlet.name.ilike(pattern) | Outlet.slug.ilike(pattern))
    return list(session.execute(query.order_by(Outlet.name, Outlet.id).limit(limit)).scalars())


def registry_themes(session: Session) -> list[Theme]:
    return list(session.execute(select(Theme).order_by(Theme.name, Theme.id)).scalars())


def speaker_for_admin(session: Session, *, slug: str) -> Speaker | None:
    return session.execute(
        select(Speaker).where(Speaker.slug == slug).options(selectinload(Speaker.aliases))
    ).scalar_one_or_none()


def outlet_for_admin(session: Session, *, slug: str) -> Outlet | None:
    return session.execute(select(Outlet).where(Outlet.slug == slug)).scalar_one_or_none()


def theme_for_admin(session: Session, *, slug: str) -> Theme | None:
    return session.execute(select(Theme).where(Theme.slug == slug)).scalar_one_or_none()


def articles_naming(session: Session, *, phrases: Sequence[str], limit: int) -> list[int]:
    """Ids of articles whose words contain one of `phrases` (full-text, stemmed, so a
    superset: reprocessing an article that only seemed to match changes nothing), up to
    `limit`."""
    queries = [func.phraseto_tsquery("english", phrase) for phrase in phrases if phrase.strip()]
    if not queries:
        return []
    matches = or_(*(Article.search.op("@@")(query) for query in queries))
    return list(
        session.execute(
            select(Article.id).where(matches).order_by(Article.id).limit(limit)
        ).scalars()
    )


def articles_linked_to(
    session: Session, *, entry: Speaker | Theme | Outlet, limit: int
) -> list[int]:
    """Ids of articles with a statement by this speaker or on this theme (none for an
    outlet: reprocessing re-extracts statements, never an article's outlet)."""
    if isinstance(entry, Speaker):
        query = select(Statement.article_id).where(Statement.speaker_id == entry.id)
    elif isinstance(entry, Theme):
        query = (
            select(Statement.article_id)
            .join(StatementTheme, StatementTheme.statement_id == Statement.id)
            .where(StatementTheme.theme_id == entry.id)
        )
    else:
        return []
    return list(
        session.execute(
            query.group_by(Statement.article_id).order_by(Statement.article_id).limit(limit)
        ).scalars()
    )
