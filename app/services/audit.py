"""The audit log: who changed what, when, with the values before and after.

`record` only adds the row to the caller's session; the caller's commit writes it with
the change itself, so a change is never kept without its record, nor a record without
its change.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import AuditEvent, User

COMMAND_LINE = "command line"


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    target: User,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
) -> None:
    """Add an audit row for a change to an account; `actor` None is the command line."""
    record_change(
        session,
        actor=actor,
        action=action,
        target_type="user",
        target_id=target.id,
        target_label=target.username,
        before=before,
        after=after,
    )


def record_change(
    session: Session,
    *,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    target_label: str,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
) -> None:
    """Add an audit row for a change to any item (a statement, a speaker, a share link)."""
    session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else COMMAND_LINE,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label=target_label[:300],
            before=before,
            after=after,
        )
    )
