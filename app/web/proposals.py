"""The proposed-themes page: clusters of the statements of a view that fit no theme."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.analysis import MAX_STATEMENTS
from app.queries.filters import FilterError, StatementFilter
from app.queries.proposals import proposed_themes
from app.queries.statements import filter_names, unknown_slugs
from app.web.deps import ReadSessionDep
from app.web.templating import templates

router = APIRouter()

PATH = "/proposed-themes"


@router.get(PATH, summary="Themes proposed from the statements that fit no curated theme")
def proposed_themes_page(request: Request, session: ReadSessionDep) -> Response:
    """Read-only: takes the timeline's filters, clusters the unthemed statements they keep."""
    context = {"max_statements": MAX_STATEMENTS, "path": PATH}
    try:
        filters = StatementFilter.from_query(request.query_params.multi_items())
    except FilterError as error:
        context |= {"filters": StatementFilter(), "errors": error.messages, "result": None}
        return templates.TemplateResponse(
            request, "pages/proposed_themes.html", context, status_code=400
        )
    if filters.page != 1:
        filters = filters.first_page()  # one page of proposals: a page number means nothing
    if parse_qsl(request.url.query, keep_blank_values=True) != filters.query_items():
        return RedirectResponse(filters.url(PATH), status_code=302)
    names = filter_names(session, filters=filters)
    view = names.describe(filters)
    context |= {
        "filters": filters,
        "errors": unknown_slugs(session, filters=filters),
        "result": proposed_themes(session, filters=filters),
        "view": view,
    }
    return templates.TemplateResponse(request, "pages/proposed_themes.html", context)
