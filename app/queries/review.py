"""The review queue and an item's history: what editors read before they change things."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Article, AuditEvent, Speaker, Statement, StatementTheme, Theme
from app.queries.filters import StatementFilter
from app.queries.statements import filtered


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the review queue; `shown_before` is how many of it came before."""

    statements: list[Statement]
    total: int
    shown_before: int
    next_after: int | None  # the last statement's id when more follow


class UnknownPositionError(LookupError):
    """The queue was asked to start after a statement that does not exist."""


def review_queue(
    session: Session, *, filters: StatementFilter, limit: int, after: int | None = None
) -> QueuePage:
    """New (unreviewed) statements of the view, lowest confidence first, one page.

    Pages by keyset on (confidence, id), the queue's total order: `after` is the id of
    the last statement of the page before, so a page's address shows the same
    statements however many were reviewed (and left the queue) in the meantime.
    """
    new = Statement.review == "new"
    total = session.execute(
        filtered(select(func.count(Statement.id)), filters).where(new)
    ).scalar_one()
    query = filtered(select(Statement), filters).where(new)
    shown_before = 0
    if after is not None:
        confidence = session.execute(
            select(Statement.confidence).where(Statement.id == after)
        ).scalar_one_or_none()
        if confidence is None:
            raise UnknownPositionError(after)
        beyond = tuple_(Statement.confidence, Statement.id) > tuple_(
            literal(confidence), literal(after)
        )
        query = query.where(beyond)
        shown_before = (
            total
            - session.execute(
                filtered(select(func.count(Statement.id)), filters).where(new, beyond)
            ).scalar_one()
        )
    rows = list(
        session.execute(
            query.options(
                joinedload(Statement.speaker),
                joinedload(Statement.article).joinedload(Article.outlet),
                selectinload(Statement.themes).joinedload(StatementTheme.theme),
            )
            .order_by(Statement.confidence, Statement.id)
            .limit(limit + 1)
        )
        .unique()
        .scalars()
    )
    shown = rows[:limit]
    more = len(rows) > limit
    return QueuePage(shown, total, shown_before, shown[-1].id if more else None)


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
