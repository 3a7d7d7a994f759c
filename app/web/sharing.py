"""Share links: an editor makes a read-only link to the view on screen; a visitor with
the link sees that view, and the articles its statements come from, without an account.

`/shared/{token}` is PUBLIC: the token is the credential. It opens exactly one view (the
filters stored with the link; the visitor's query string is ignored) and only the
articles that have a statement in it. An unknown token is a 404, an expired or
withdrawn one a 410, each with a page that says so. Editors list the open links at
`/share` and withdraw one early there. The page is not indexed, and the same-origin referrer
policy keeps the token out of the Referer sent to other sites.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from app.charts.palette import PagePalette
from app.models import ShareLink, Statement
from app.queries.articles import article_with_statements
from app.queries.filters import FilterError, StatementFilter
from app.queries.share_links import active_links, share_link
from app.queries.statements import filter_names, filtered, statement_page
from app.services.sharing import (
    MAX_DAYS,
    ShareError,
    create_link,
    find_link,
    is_expired,
    withdraw_link,
)
from app.web.deps import CurrentUser, RowId, SessionDep
from app.web.policy import Access, requires
from app.web.templating import templates

router = APIRouter(tags=["share links"])

SHARED_PAGE_SIZE = 100


def _description(session: SessionDep, filters: StatementFilter) -> str:
    return filter_names(session, filters=filters).describe(filters)


@router.post("/share", summary="Make a read-only link to a view that expires")
@requires(Access.EDITOR)
def make_share_link(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    query: Annotated[str, Form(max_length=10_000)] = "",
    days: Annotated[str, Form(max_length=5)] = "7",
) -> Response:
    """`query` is the view's query string, read by the same filter model as the pages."""
    try:
        filters = StatementFilter.from_query(parse_qsl(query, keep_blank_values=True))
        if not days.isdigit():
            raise ShareError(f"A link is valid for 1 to {MAX_DAYS} days.")
        link, token = create_link(
            session,
            filters=filters,
            description=_description(session, filters),
            days=int(days),
            actor=user,
        )
    except FilterError as error:
        raise HTTPException(400, " ".join(error.messages)) from error
    except ShareError as error:
        raise HTTPException(400, str(error)) from error
    return templates.TemplateResponse(
        request,
        "pages/share_created.html",
        {
            "title": "Read-only link",
            "link": link,
            "url": str(request.base_url).rstrip("/") + f"/shared/{token}",
            "view_url": filters.first_page().url("/statements"),
        },
        status_code=201,
    )


@router.get("/share", summary="Open share links: who made each, for what view, until when")
@requires(Access.EDITOR)
def share_links_page(request: Request, session: SessionDep) -> Response:
    return _links_page(request, session)


def _links_page(
    request: Request, session: SessionDep, *, error: str | None = None, status: int = 200
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/share_links.html",
        {"title": "Share links", "links": active_links(session), "error": error},
        status_code=status,
    )


@router.post("/share/{link_id}/withdraw", summary="Withdraw a share link before it expires")
@requires(Access.EDITOR)
def withdraw_share_link(
    request: Request, link_id: RowId, session: SessionDep, user: CurrentUser
) -> Response:
    link = share_link(session, link_id=link_id)
    if link is None:
        raise HTTPException(404, f"No share link has the number {link_id}.")
    try:
        withdraw_link(session, link=link, actor=user)
    except ShareError as error:
        return _links_page(request, session, error=str(error), status=409)
    return RedirectResponse("/share", status_code=303)


def _open(session: SessionDep, token: str) -> tuple[ShareLink, StatementFilter]:
    link = find_link(session, token)
    if link is None:
        raise HTTPException(404, "This link is not valid. Ask whoever sent it for a new one.")
    if link.withdrawn_at is not None:
        raise HTTPException(
            410, "This link was withdrawn by the team that shared it. Ask them for a new one."
        )
    if is_expired(link):
        raise HTTPException(
            410,
            f"This link expired on {link.expires_at:%Y-%m-%d %H:%M} UTC. "
            "Ask whoever sent it for a new one.",
        )
    return link, StatementFilter.from_query(parse_qsl(link.query))


@router.get("/shared/{token}", summary="A shared view, read-only (the token is the key)")
@requires(Access.PUBLIC)
def shared_view(
    request: Request, token: Annotated[str, Path(max_length=100)], session: SessionDep
) -> Response:
    link, filters = _open(session, token)
    page = statement_page(session, filters=filters, page_size=SHARED_PAGE_SIZE)
    return templates.TemplateResponse(
        request,
        "pages/shared.html",
        {
            "title": link.description,
            "link": link,
            "token": token,
            "page": page,
            "palette": PagePalette(),
        },
        headers={"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"},
    )


@router.get(
    "/shared/{token}/articles/{article_id}", summary="An article of a shared view, read-only"
)
@requires(Access.PUBLIC)
def shared_article(
    request: Request,
    token: Annotated[str, Path(max_length=100)],
    article_id: RowId,
    session: SessionDep,
) -> Response:
    """Only an article with a statement in the shared view opens."""
    link, filters = _open(session, token)
    in_view = session.execute(
        filtered(select(Statement.id), filters).where(Statement.article_id == article_id).limit(1)
    ).first()
    article = article_with_statements(session, article_id=article_id) if in_view else None
    if article is None:
        raise HTTPException(404, "This article is not part of the shared view.")
    return templates.TemplateResponse(
        request,
        "pages/shared_article.html",
        {"title": article.title, "link": link, "token": token, "article": article},
        headers={"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"},
    )
