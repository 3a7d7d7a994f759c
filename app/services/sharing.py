"""Read-only links to one view, for someone outside the deployment, until they expire.

The link's token is 32 random bytes shown once to the editor who made it; the table
keeps only its sha256, like sessions and API tokens, so a copy of the database opens
nothing. Making a link is audited, and so is withdrawing one before it expires: a
withdrawn link opens nothing from that moment (`find_link` still finds it, so the page
can say it was withdrawn rather than unknown).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ShareLink, User
from app.queries.filters import StatementFilter
from app.services.audit import record_change

MAX_DAYS = 90
TOKEN_BYTES = 32


class ShareError(ValueError):
    """A link that cannot be made; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_link(
    session: Session, *, filters: StatementFilter, description: str, days: int, actor: User
) -> tuple[ShareLink, str]:
    """A link to the view's first page valid for `days`; returns the row and the token."""
    if not 1 <= days <= MAX_DAYS:
        raise ShareError(f"A link is valid for 1 to {MAX_DAYS} days.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink(
        token_hash=token_hash(token),
        query=filters.first_page().query_string(),
        description=description,
        created_by=actor.id,
        expires_at=datetime.now(UTC) + timedelta(days=days),
    )
    session.add(link)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="share.create",
        target_type="share_link",
        target_id=link.id,
        target_label=description,
        before=None,
        after={"query": link.query, "expires_at": link.expires_at.isoformat()},
    )
    session.commit()
    return link, token


def find_link(session: Session, token: str) -> ShareLink | None:
    """The link a token opens, expired or not (the page says which); None if none."""
    if not 20 <= len(token) <= 100:
        return None
    return session.execute(
        select(ShareLink).where(ShareLink.token_hash == token_hash(token))
    ).scalar_one_or_none()


def is_expired(link: ShareLink, *, now: datetime | None = None) -> bool:
    return (now or datetime.now(UTC)) >= link.expires_at


def withdraw_link(session: Session, *, link: ShareLink, actor: User) -> None:
    """Stop a link working now, before it expires; audited with its expiry before."""
    if link.withdrawn_at is not None:
        raise ShareError("This link was already withdrawn.")
    if is_expired(link):
        raise ShareError("This link has already expired.")
    before = {"expires_at": link.expires_at.isoformat(), "withdrawn_at": None}
    link.withdrawn_at = datetime.now(UTC)
    link.withdrawn_by = actor.id
    record_change(
        session,
        actor=actor,
        action="share.withdraw",
        target_type="share_link",
        target_id=link.id,
        target_label=link.description,
        before=before,
        after={
            "expires_at": link.expires_at.isoformat(),
            "withdrawn_at": link.withdrawn_at.isoformat(),
        },
    )
    session.commit()
