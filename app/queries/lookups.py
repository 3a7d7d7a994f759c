"""Speakers, outlets, themes, articles and single statements, looked up for the JSON API.

Lists carry the same counts as the facets beside the timeline: statements under every
filter except the entity's own, so a program sees what an analyst sees.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Article, Outlet, Speaker, Statement, StatementTheme, Theme
from app.queries.filters import StatementFilter
from app.queries.statements import filtered


def statement_count(session: Session, *, filters: StatementFilter) -> int:
    return session.execute(filtered(select(func.count(Statement.id)), filters)).scalar_one()


def statement_by_id(session: Session, *, statement_id: int) -> Statement | None:
    return session.execute(
        select(Statement)
        .where(Statement.id == statement_id)
        .options(
            joinedload(Statement.speaker),
            joinedload(Statement.article).joinedload(Article.outlet),
            selectinload(Statement.themes).joinedload(StatementTheme.theme),
        )
    ).scalar_one_or_none()


def speaker_by_slug(session: Session, *, slug: str) -> Speaker | None:
    return session.execute(
        select(Speaker).where(Speaker.slug == slug).options(selectinload(Speaker.aliases))
    ).scalar_one_or_none()


def outlet_by_slug(session: Session, *, slug: str) -> Outlet | None:
    return session.execute(select(Outlet).where(Outlet.slug == slug)).scalar_one_or_none()


def theme_by_slug(session: Session, *, slug: str) -> Theme | None:
    return session.execute(select(Theme).where(Theme.slug == slug)).scalar_one_or_none()
