"""Browsing pages: the statements timeline and the article page.

The overview and the speaker, outlet and theme pages live in `app.web.explore`.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import parse_qsl

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app.charts.palette import PagePalette
from app.db_side_by_side import side_by_side
from app.queries.articles import (
    article_themes,
    article_with_statements,
    same_story,
    waiting_for_indexing,
)
from app.queries.entities import about_facets
from app.queries.filters import FilterError, StatementFilter
from app.queries.statements import (
    filter_names,
    outlet_facets,
    speaker_facets,
    statement_page,
    theme_facets,
    unknown_slugs,
)
from app.queries.volume import carried_by, volume
from app.queries.windows import search_window
from app.web.deps import IsHtmx, ReadSessionDep, RowId, SettingsDep
from app.web.templating import templates

router = APIRouter()


@router.get("/statements", summary="Statements timeline (HTML)")
def statements_timeline(
    request: Request, session: ReadSessionDep, settings: SettingsDep, htmx: IsHtmx
) -> Response:
    """The timeline with its volume chart; an HTMX request gets only the `explorer` block.

    Pages go by keyset (`before`), so an "Older" address shows the same statements
    however many are stored after it was copied. A search with more matches than a
    window holds is counted, charted and ranked over its newest (`app.queries.windows`).
    """
    block = "explorer" if htmx else None
    headers = {"Vary": "HX-Request"}
    try:
        filters = StatementFilter.from_query(request.query_params.multi_items())
    except FilterError as error:
        context = {
            "filters": StatementFilter(),
            "errors": error.messages,
            "page": None,
            "title": "Statements",
            "speakers": [],
            "outlets": [],
            "abouts": [],
            "themes": [],
            "palette": PagePalette(),
            "htmx": htmx,
        }
        return templates.TemplateResponse(
            request,
            "pages/statements.html",
            context,
            status_code=400,
            block_name=block,
            headers=headers,
        )
    canonical = filters.url("/statements")
    if not htmx and parse_qsl(request.url.query, keep_blank_values=True) != filters.query_items():
        return RedirectResponse(canonical, status_code=302)
    headers["HX-Push-Url"] = canonical
    names = filter_names(session, filters=filters)
    window = search_window(session, filters=filters)
    view = window.narrowed(filters)
    # The statements first: they are ORM objects, so they load on the page's own session.
    reads = side_by_side(
        session,
        {
            "page": partial(statement_page, filters=view, page_size=settings.page_size),
            "volume": partial(volume, filters=view, group=filters.chart),
            "themes": partial(theme_facets, filters=view),
            "abouts": partial(about_facets, filters=view),
            "speakers": partial(speaker_facets, filters=view),
            "outlets": partial(outlet_facets, filters=view),
        },
    )
    context = {
        **reads,
        "filters": filters,
        "errors": unknown_slugs(session, filters=filters),
        "window": window,
        "carried": carried_by(session, statements=reads["page"].statements),
        "palette": PagePalette(),
        "title": names.describe(filters),
        "names": names,
        "htmx": htmx,
    }
    return templates.TemplateResponse(
        request, "pages/statements.html", context, block_name=block, headers=headers
    )


@router.get("/articles/{article_id}", summary="An article with its statements highlighted")
def article_page(request: Request, article_id: RowId, session: ReadSessionDep) -> Response:
    article = article_with_statements(session, article_id=article_id)
    if article is None:
        raise HTTPException(404, f"No article has the number {article_id}.")
    return templates.TemplateResponse(
        request,
        "pages/article.html",
        {
            "article": article,
            "siblings": same_story(session, article=article),
            "themes": article_themes(article),
            "indexing": waiting_for_indexing(session, article_id=article_id),
            "palette": PagePalette(),
            "stored": request.query_params.get("stored") == "1",
        },
    )
