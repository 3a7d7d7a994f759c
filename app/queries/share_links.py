"""The share links still open: what editors review before withdrawing one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.models import ShareLink


def active_links(session: Session, *, limit: int = 500) -> list[ShareLink]:
    """Links neither expired nor withdrawn, soonest to expire first, with their makers."""
    return list(
        session.execute(
            select(ShareLink)
            .where(ShareLink.withdrawn_at.is_(None), ShareLink.expires_at > datetime.now(UTC))
            .options(joinedload(ShareLink.creator))
            .order_by(ShareLink.expires_at, ShareLink.id)
            .limit(limit)
        ).scalars()
    )


def share_link(session: Session, *, link_id: int) -> ShareLink | None:
    return session.get(ShareLink, link_id)
