"""Reading the audit log: the latest changes, for the history on the admin page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent


def recent_events(
    session: Session, *, target_type: str | None = None, limit: int = 50
) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if target_type is not None:
        query = query.where(AuditEvent.target_type == target_type)
    return list(session.execute(query.limit(limit)).scalars())
