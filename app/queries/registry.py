"""The registry as admins browse it: speakers, outlets and themes with a name filter,
retired ones included (marked), so an entry can be found to edit or restore."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models import Outlet, Speaker, SpeakerAlias, Statement, Theme

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


def articles_of_speaker(session: Session, *, speaker_id: int) -> list[int]:
    """Articles with a statement by the speaker: what reprocessing after an edit redoes."""
    return list(
        session.execute(
            select(Statement.article_id)
            .where(Statement.speaker_id == speaker_id)
            .group_by(Statement.article_id)
            .order_by(Statement.article_id)
        ).scalars()
    )


def statement_count(session: Session, *, speaker_id: int) -> int:
    return session.execute(
        select(func.count(Statement.id)).where(Statement.speaker_id == speaker_id)
    ).scalar_one()
