"""The search page: statements and articles matching words and phrases, marks included.

It reads the same query string as the timeline (`q` plus any filter); statements come
ranked by relevance unless the view says otherwise, articles by relevance always. A
search matching more statements (articles) than a window holds ranks the newest of them
(`app.queries.windows`), and says so.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.queries.filters import FilterError, StatementFilter
from app.queries.search import search_articles, search_statements
from app.queries.statements import filter_names
from app.queries.windows import search_window
from app.web.deps import ReadSessionDep
from app.web.templating import templates

router = APIRouter(tags=["search"])

STATEMENT_HITS = 20
ARTICLE_HITS = 20


@router.get("/search", summary="Search statements and articles (HTML)")
def search_page(request: Request, session: ReadSessionDep) -> Response:
    try:
        filters = StatementFilter.from_query(request.query_params.multi_items())
    except FilterError as error:
        return templates.TemplateResponse(
            request,
            "pages/search.html",
            {"title": "Search", "filters": StatementFilter(), "errors": error.messages},
            status_code=400,
        )
    context: dict[str, object] = {"title": "Search", "filters": filters, "errors": []}
    if filters.q:
        names = filter_names(session, filters=filters)
        window = search_window(session, filters=filters)
        context.update(
            title=f"Search: {filters.q}",
            description=names.describe(filters),
            window=window,
            statements=search_statements(
                session, filters=window.narrowed(filters), page_size=STATEMENT_HITS
            ),
            articles=search_articles(session, filters=filters, limit=ARTICLE_HITS),
        )
    return templates.TemplateResponse(request, "pages/search.html", context)
