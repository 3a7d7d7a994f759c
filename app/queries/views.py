"""The team's saved views, newest first, for the /views page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SavedView


def saved_views(session: Session) -> list[SavedView]:
    return list(
        session.execute(
            select(SavedView).order_by(SavedView.created_at.desc(), SavedView.id.desc())
        ).scalars()
    )


def saved_view(session: Session, *, view_id: int) -> SavedView | None:
    return session.get(SavedView, view_id)
