"""Saved views: name the current view, list the team's views, open or delete one.

Plain forms that work with JavaScript off (POST, then a 303 to the list); with HTMX the
save form swaps only its status line and a delete removes only its row.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.queries.filters import FilterError, StatementFilter
from app.queries.statements import filter_names
from app.queries.views import saved_views
from app.services.views import NewView, ViewNameError, delete_view, save_view
from app.web.deps import CurrentUser, IsHtmx, ReadSessionDep, RowId, SessionDep
from app.web.policy import Access, requires
from app.web.templating import templates

router = APIRouter(tags=["views"])

MAX_QUERY_FIELD = 10_000


def _views_page(
    request: Request,
    session: SessionDep,
    *,
    status: int = 200,
    notice: str | None = None,
    error: str | None = None,
    pending: dict[str, str] | None = None,
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/views.html",
        {
            "title": "Saved views",
            "views": saved_views(session),
            "notice": notice,
            "error": error,
            "pending": pending,
        },
        status_code=status,
    )


@router.get("/views", summary="The team's saved views (HTML)")
def list_views(request: Request, session: ReadSessionDep) -> Response:
    notice = None
    if request.query_params.get("deleted") == "1":
        notice = "The view was deleted."
    saved = request.query_params.get("saved", "")
    if saved.isdigit():
        notice = "The view was saved. It is at the top of the list."
    return _views_page(request, session, notice=notice)


def _save_result(
    request: Request,
    session: SessionDep,
    htmx: bool,
    *,
    status: int,
    message: str,
    pending: dict[str, str],
) -> Response:
    """A refusal: the status line for HTMX, else the list with the form filled again."""
    if htmx:
        return templates.TemplateResponse(
            request,
            "partials/_save_view_status.html",
            {"error": message, "view": None},
            status_code=status,
        )
    return _views_page(request, session, status=status, error=message, pending=pending)


@router.post("/views", summary="Save a view under a name")
@requires(Access.VIEWER)
def create_view(
    request: Request,
    session: SessionDep,
    htmx: IsHtmx,
    user: CurrentUser,
    name: Annotated[str, Form(max_length=1000)] = "",
    query: Annotated[str, Form(max_length=MAX_QUERY_FIELD)] = "",
) -> Response:
    """`query` is the view's query string, read by the same filter model as the pages."""
    pending = {"name": name[:120], "query": query}
    try:
        filters = StatementFilter.from_query(parse_qsl(query, keep_blank_values=True))
    except FilterError as error:
        return _save_result(
            request, session, htmx, status=400, message=" ".join(error.messages), pending=pending
        )
    names = filter_names(session, filters=filters)
    description = names.describe(filters)
    new = NewView(name=name, filters=filters, description=description, created_by=user.id)
    try:
        view = save_view(session, new)
    except ViewNameError as error:
        status = 409 if "already saved" in str(error) else 422
        return _save_result(
            request, session, htmx, status=status, message=str(error), pending=pending
        )
    if htmx:
        return templates.TemplateResponse(
            request, "partials/_save_view_status.html", {"error": None, "view": view}
        )
    return RedirectResponse(f"/views?saved={view.id}", status_code=303)


@router.post("/views/{view_id}/delete", summary="Delete a saved view")
@requires(Access.VIEWER)
def remove_view(session: SessionDep, htmx: IsHtmx, view_id: RowId) -> Response:
    """Deleting a view already gone still answers as done: the list is what was asked for."""
    delete_view(session, view_id=view_id)
    if htmx:
        return Response("", status_code=200)
    return RedirectResponse("/views?deleted=1", status_code=303)
