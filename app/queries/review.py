"""The review queue and an item's history: what editors read before they change things."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Article, AuditEvent, Speaker, Statement, StatementTheme, Theme
from app.queries.filters import StatementFilter
from app.queries.statements import filtered


def review_queue(
    session: Session, *, filters: StatementFilter, limit: int
) -> tuple[list[Statement], int]:
    """New (unreviewed) statements of the view, lowest confidence first, and how many."""
    new = Statement.review == "new"
    total = session.execute(
        filtered(select(func.count(Statement.id)), filters).where(new)
    ).scalar_one()
    rows = session.execute(
        filtered(select(Statement), filters)
        .where(new)
        .options(
            joinedload(Statement.speaker),
            joinedload(Statement.article).joinedload(Article.outlet),
            selectinload(Statement.themes).joinedload(StatementTheme.theme),
        )
        .order_by(Statement.confidence, Statement.id)
        .limit(limit)
    )
    return list(rows.unique().scalars()), total


def statement_with_context(session: Session, *, statement_id: int) -> Statement | None:
    return session.execute(
        select(Statement)
        .where(Statement.id == statement_id)
        .options(
            joinedload(Statement.speaker),
            joinedload(Statement.article).joinedload(Article.outlet),
            selectinload(Statement.themes).joinedload(StatementTheme.theme),
        )
    ).scalar_one_or_none()


def history(session: Session, *, target_type: str, target_id: int) -> list[AuditEvent]:
    """Every recorded change to one item, newest first."""
    return list(
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.target_type == target_type, AuditEvent.target_id == target_id)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        ).scalars()
    )


def audit_event(session: Session, *, event_id: int) -> AuditEvent | None:
    return session.get(AuditEvent, event_id)


def speaker_choices(session: Session, *, limit: int = 5000) -> list[tuple[str, str]]:
    """(slug, name) of the speakers an editor can pick, registry ones first."""
    return [
        (row.slug, row.name)
        for row in session.execute(
            select(Speaker.slug, Speaker.name)
            .order_by(Speaker.confirmed.desc(), Speaker.name)
            .limit(limit)
        )
    ]


def theme_choices(session: Session) -> list[tuple[str, str]]:
    return [
        (row.slug, row.name)
        for row in session.execute(select(Theme.slug, Theme.name).order_by(Theme.name))
    ]


def merged_into(session: Session, *, speaker: Speaker) -> Speaker | None:
    """The speaker an editor merged this one into, if any."""
    return session.get(Speaker, speaker.merged_into_id) if speaker.merged_into_id else None
