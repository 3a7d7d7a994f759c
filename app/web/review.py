"""The review queue, a statement's page with its history, and the editors' actions on it.

Every action is a plain form POST (303 back to where it came from, so it works with
JavaScript off); the confirm, reject and correct forms also carry `hx-post`, and an
HTMX request gets the statement's item back, changed, in place. Each POST is for
editors (`@requires(Access.EDITOR)`) and carries the CSRF token; reverting an admin's
registry change, which shares the history's revert route, is for admins only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.models import AuditEvent, Statement, User
from app.queries.filters import FilterError, StatementFilter
from app.queries.review import (
    UnknownPositionError,
    audit_event,
    history,
    review_queue,
    speaker_choices,
    statement_with_context,
    theme_choices,
)
from app.services import editorial, registry_edits, speaker_edits
from app.services.editorial import Correction, EditError
from app.services.registry_edits import Entry, RegistryError, StaleChangeError
from app.web.deps import CurrentUser, IsHtmx, RowId, SessionDep
from app.web.policy import Access, allowed, requires, safe_next
from app.web.templating import templates

router = APIRouter(tags=["review"])

QUEUE_SIZE = 25
NextField = Annotated[str, Form(max_length=2000)]


def revert_level(event: AuditEvent) -> Access | None:
    """Who may revert this change: editors an editorial one, admins a registry one (as
    only they may make it); None when it cannot be reverted."""
    if event.action in registry_edits.REVERTIBLE:
        return Access.ADMIN if registry_edits.restorable(event) else None
    if event.target_type == "statement":
        editable = event.action in editorial.REVERTIBLE and bool(event.before)
        return Access.EDITOR if editable else None
    if event.target_type == "speaker" and event.action in speaker_edits.REVERTIBLE:
        return Access.EDITOR
    return None


def revertible(event: AuditEvent, viewer: User | None, *, entry: Entry | None = None) -> bool:
    """Whether the history offers `viewer` to revert this change. A registry change also
    needs its `entry` (the page's) to still hold what it left (`registry_edits.in_effect`),
    else the revert would be refused."""
    level = revert_level(event)
    if level is None or viewer is None or not allowed(level, viewer.role, anonymous_read=False):
        return False
    if level is not Access.ADMIN:
        return True
    return (
        entry is not None
        and (registry_edits.kind_of(entry), entry.id) == (event.target_type, event.target_id)
        and registry_edits.in_effect(event, entry)
    )


templates.env.globals["revertible"] = revertible


@router.get("/review", summary="Review queue: new statements, lowest confidence first")
@requires(Access.EDITOR)
def review_page(request: Request, session: SessionDep) -> Response:
    """`after` (a statement id) is the queue's page position; the rest is the view."""
    items = request.query_params.multi_items()
    positions = [value for key, value in items if key == "after"]
    try:
        filters = StatementFilter.from_query([(k, v) for k, v in items if k != "after"])
    except FilterError as error:
        raise HTTPException(400, " ".join(error.messages)) from error
    after = _position(positions)
    try:
        queue = review_queue(session, filters=filters, limit=QUEUE_SIZE, after=after)
    except UnknownPositionError as error:
        raise HTTPException(
            400, f"No statement has the number {after}: start the queue from its first page."
        ) from error
    base = filters.url("/review")
    joiner = "&" if "?" in base else "?"
    return templates.TemplateResponse(
        request,
        "pages/review.html",
        {
            "title": "Review queue",
            "filters": filters,
            "queue": queue,
            "statements": queue.statements,
            "following": {s.id: editorial.adjacent(session, statement=s) for s in queue.statements},
            "total": queue.total,
            "speakers": speaker_choices(session),
            "themes": theme_choices(session),
            "here": f"{base}{joiner}after={after}" if after is not None else base,
            "first_page": base if after is not None else None,
            "next_page": f"{base}{joiner}after={queue.next_after}" if queue.next_after else None,
        },
    )


def _position(values: list[str]) -> int | None:
    """The `after` parameter: one statement id, or none for the first page."""
    if not values:
        return None
    if len(values) > 1 or not values[0].isdigit() or not 0 < int(values[0]) < 2**31:
        raise HTTPException(400, "“after” is the number of a statement, given once.")
    return int(values[0])


@router.get("/statements/{statement_id}", summary="A statement with its history of changes")
def statement_page(request: Request, statement_id: RowId, session: SessionDep) -> Response:
    statement = _statement(session, statement_id)
    return templates.TemplateResponse(
        request,
        "pages/statement.html",
        {
            "title": f"Statement {statement.id}",
            "statement": statement,
            "events": history(session, target_type="statement", target_id=statement.id),
            "speakers": speaker_choices(session),
            "themes": theme_choices(session),
            "next_statement": editorial.adjacent(session, statement=statement),
            "here": f"/statements/{statement.id}",
        },
    )


def _statement(session: SessionDep, statement_id: int) -> Statement:
    statement = statement_with_context(session, statement_id=statement_id)
    if statement is None:
        raise HTTPException(404, f"No statement has the number {statement_id}.")
    return statement


def _done(
    request: Request, session: SessionDep, htmx: bool, statement: Statement, target: str
) -> Response:
    """After an action: the item alone for HTMX, else back to the page it came from."""
    if not htmx:
        return RedirectResponse(safe_next(target), status_code=303)
    session.refresh(statement)
    return templates.TemplateResponse(
        request,
        "partials/_review_item.html",
        {
            "statement": statement,
            "themes": theme_choices(session),
            "here": safe_next(target),
            "next_statement": None,
            "acted": True,
        },
        headers={"Vary": "HX-Request"},
    )


@router.post("/statements/{statement_id}/confirm", summary="Confirm a statement as extracted")
@requires(Access.EDITOR)
def confirm_statement(
    request: Request,
    statement_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    htmx: IsHtmx,
    next: NextField = "/review",
) -> Response:
    statement = _statement(session, statement_id)
    editorial.confirm(session, statement=statement, actor=user)
    return _done(request, session, htmx, statement, next)


@router.post("/statements/{statement_id}/reject", summary="Reject a statement (hide it)")
@requires(Access.EDITOR)
def reject_statement(
    request: Request,
    statement_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    htmx: IsHtmx,
    next: NextField = "/review",
) -> Response:
    statement = _statement(session, statement_id)
    editorial.reject(session, statement=statement, actor=user)
    return _done(request, session, htmx, statement, next)


def _offset(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise EditError(f"The {label} is a character position: a whole number, 0 or more.")
    return int(value)


Refusals = tuple[tuple[type[Exception], int], ...]
EDIT_REFUSALS: Refusals = ((EditError, 400),)
# A revert is refused as stale (409), as clashing with today's registry (422: the old
# values fail the edit form's checks) or as an edit would be (400); a stale change is a
# kind of registry error, so it is matched first.
REVERT_REFUSALS: Refusals = ((StaleChangeError, 409), (RegistryError, 422), (EditError, 400))


@contextmanager
def _refused(session: Session, refusals: Refusals = EDIT_REFUSALS) -> Iterator[None]:
    """An edit the services refuse leaves nothing half-done and answers with its reason."""
    try:
        yield
    except Exception as error:
        status = next((code for kind, code in refusals if isinstance(error, kind)), None)
        if status is None:
            raise
        session.rollback()
        raise HTTPException(status, str(error)) from error


def _day(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise EditError("The date is written YYYY-MM-DD.") from error


@router.post("/statements/{statement_id}/correct", summary="Correct a statement's fields")
@requires(Access.EDITOR)
def correct_statement(
    request: Request,
    statement_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    htmx: IsHtmx,
    speaker: Annotated[str | None, Form(max_length=300)] = None,
    start: Annotated[str, Form(max_length=20)] = "",
    end: Annotated[str, Form(max_length=20)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    stated_on: Annotated[str, Form(max_length=20)] = "",
    stated_precision: Annotated[str, Form(max_length=10)] = "",
    theme: Annotated[list[str] | None, Form(max_length=120)] = None,
    whole_form: Annotated[str, Form(max_length=1)] = "",
    next: NextField = "/review",
) -> Response:
    """Only the fields that differ are changed and recorded; a field left out changes
    nothing. The page's form sends every field with `whole_form=1`: then an empty date
    clears the date and the ticked `theme`s are the whole list, none ticked included.
    The speaker is a slug or a name from the registry (the form suggests them); an
    empty one leaves the statement unattributed."""
    statement = _statement(session, statement_id)
    with _refused(session):
        day = _day(stated_on)
        # A browser sends an emptied field as "", which FastAPI reads as missing.
        named = speaker if speaker is not None else ("" if whole_form else None)
        correction = Correction(
            speaker=None if named is None else speaker_edits.resolve(session, named),
            start=_offset(start, "start"),
            end=_offset(end, "end"),
            kind=kind or None,
            stated_on=day,
            stated_precision=stated_precision or None,
            clear_date=bool(whole_form) and day is None,
            themes=tuple(theme or ()) if whole_form else None,
        )
        editorial.correct(session, statement=statement, actor=user, correction=correction)
    return _done(request, session, htmx, statement, next)


@router.post("/statements/{statement_id}/split", summary="Split a statement in two")
@requires(Access.EDITOR)
def split_statement(
    statement_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    at: Annotated[str, Form(max_length=20)] = "",
    next: NextField = "/review",
) -> Response:
    statement = _statement(session, statement_id)
    with _refused(session):
        position = _offset(at, "split position")
        if position is None:
            raise EditError("Give the character position to split at.")
        editorial.split(session, statement=statement, at=position, actor=user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/statements/{statement_id}/merge", summary="Merge a statement with the next one")
@requires(Access.EDITOR)
def merge_statement(
    statement_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    other: Annotated[str, Form(max_length=20)] = "",
    next: NextField = "/review",
) -> Response:
    statement = _statement(session, statement_id)
    with _refused(session):
        other_id = _offset(other, "other statement's number")
        second = session.get(Statement, other_id) if other_id else None
        if second is None:
            raise EditError("Choose the statement to merge with.")
        editorial.merge(session, statement=statement, other=second, actor=user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/history/{event_id}/revert", summary="Revert a recorded change")
@requires(Access.EDITOR)
def revert_change(event_id: RowId, session: SessionDep, user: CurrentUser) -> Response:
    """Put back the values the change replaced, then show the item's history. A change
    to the registry is an admin's to revert (403 for an editor), like making it."""
    event = audit_event(session, event_id=event_id)
    if event is None:
        raise HTTPException(404, f"No recorded change has the number {event_id}.")
    level = revert_level(event)
    if level is None:
        raise HTTPException(400, "This change cannot be reverted.")
    if not allowed(level, user.role, anonymous_read=False):
        raise HTTPException(403, f"Only an {level.value} can revert this change.")
    with _refused(session, REVERT_REFUSALS):
        if level is Access.ADMIN:
            entry = registry_edits.revert(session, event=event, actor=user)
            target = f"/admin/{event.target_type}s/{entry.slug}#history"
        elif event.target_type == "statement":
            statement = editorial.revert(session, event=event, actor=user)
            target = f"/statements/{statement.id}#history"
        else:
            slug = speaker_edits.revert(session, event=event, actor=user)
            target = f"/speakers/{slug}#history"
    return RedirectResponse(target, status_code=303)
