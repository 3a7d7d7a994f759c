"""The search page: statements and articles matching words and phrases, marks included.

It reads the same query string as the timeline (`q` plus any filter); statements come
ranked by relevance unless the view says otherwise, articles by relevance always. A
search matching more statements (articles) than a window holds ranks the newest of them
(`app.queries.windows`), and says so.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.db_side_by_side import side_by_side
from app.queries.filters import FilterError, StatementFilter
from app.queries.search import StatementHits, search_articles, search_statements
from app.queries.statements import filter_names
from app.queries.windows import Window, search_window
from app.web.deps import ReadSessionDep
from app.web.templating import templates

router = APIRouter(tags=["search"])

STATEMENT_HITS = 20
ARTICLE_HITS = 20


def _statement_hits(session: Session, *, filters: StatementFilter) -> tuple[Window, StatementHits]:
    """The search's window of statements and the first page ranked within it."""
    window = search_window(session, filters=filters)
    hits = search_statements(session, filters=window.narrowed(filters), page_size=STATEMENT_HITS)
    return window, hits


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
        # The statements are ORM objects, so they load on the page's own session; the
        # articles, plain values, are searched beside them.
        reads = side_by_side(
            session,
            {
                "statements": partial(_statement_hits, filters=filters),
                "articles": partial(search_articles, filters=filters, limit=ARTICLE_HITS),
            },
        )
        window, statements = reads["statements"]
        context.update(
            title=f"Search: {filters.q}",
            description=names.describe(filters),
            window=window,
            statements=statements,
            articles=reads["articles"],
        )
    return templates.TemplateResponse(request, "pages/search.html", context)
