"""Saving and deleting named views: the unit of work and its one transaction each.

A view is stored as its canonical query string with the page left out, so a saved
view opens at its first page and two names never hide the same address by accident of
spelling. Names are unique across the team, compared after folding spaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import SavedView
from app.queries.filters import StatementFilter

MAX_NAME_LENGTH = 120


class ViewNameError(ValueError):
    """The name is empty, too long or already taken; the message says which."""

    def __init__(self, message: str, *, taken_by: int | None = None) -> None:
        super().__init__(message)
        self.taken_by = taken_by


@dataclass(frozen=True, slots=True)
class NewView:
    name: str
    filters: StatementFilter
    description: str
    created_by: int | None = None


def clean_name(name: str) -> str:
    """The name as stored: runs of whitespace folded to one space, ends trimmed."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ViewNameError("Give the view a name.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ViewNameError(f"The name is too long: at most {MAX_NAME_LENGTH} characters.")
    if not cleaned.isprintable():
        # Postgres text cannot hold NUL, and no name needs control characters.
        raise ViewNameError("The name contains control characters; type it again.")
    return cleaned


def save_view(session: Session, view: NewView) -> SavedView:
    """Store `view`; a name already taken (ignoring case) raises `ViewNameError`."""
    name = clean_name(view.name)
    taken = session.execute(
        select(SavedView.id).where(func.lower(SavedView.name) == name.lower())
    ).scalar_one_or_none()
    if taken is not None:
        raise ViewNameError(
            f"A view is already saved as “{name}”; choose another name.", taken_by=taken
        )
    saved = SavedView(
        name=name,
        query=view.filters.first_page().query_string(),
        description=view.description,
        created_by=view.created_by,
    )
    session.add(saved)
    try:
        session.commit()
    except IntegrityError:
        # Another request saved the same name between the check and the commit.
        session.rollback()
        raise ViewNameError(f"A view is already saved as “{name}”; choose another name.") from None
    return saved


def delete_view(session: Session, *, view_id: int) -> bool:
    """Delete the view; False when it was already gone (deleting twice is harmless)."""
    saved = session.get(SavedView, view_id)
    if saved is None:
        return False
    session.delete(saved)
    session.commit()
    return True
