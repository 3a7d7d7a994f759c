"""The JSON API: the same services and queries as the pages, for programs (see /docs).

Read endpoints take the timeline's query string (`StatementFilter`) and answer with the
models of `app.web.schemas`; a filter that cannot be read is a 400 with sentences.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from app.queries.articles import article_themes, article_with_statements, same_story
from app.queries.filters import Slug, StatementFilter
from app.queries.lookups import (
    outlet_by_slug,
    speaker_by_slug,
    statement_by_id,
    statement_count,
    theme_by_slug,
)
from app.queries.statements import (
    Facet,
    filter_names,
    outlet_facets,
    speaker_facets,
    statement_page,
    theme_facets,
)
from app.services.submissions import Submission, submit
from app.web.deps import Filters, ReadSessionDep, RowId, SessionDep, SettingsDep
from app.web.policy import Access, requires
from app.web.schemas import (
    ArticleDetail,
    EntityDetail,
    EntityList,
    EntityOut,
    Facets,
    FilterOut,
    Problem,
    StatementList,
    StatementOut,
    ThemeCount,
    article_ref,
    facets_out,
    filter_out,
    statement_out,
)

router = APIRouter(prefix="/api", tags=["api"])

# Facet lists in the API are whole, not cut to the timeline's 30.
ALL = 100_000
READ_ERRORS: dict[int | str, dict] = {400: {"model": Problem, "description": "Unreadable filter"}}
NOT_FOUND: dict[int | str, dict] = {404: {"model": Problem, "description": "No such item"}}

MAX_BATCH = 500
_SURROGATE = re.compile("[\ud800-\udfff]")


class ArticleIn(BaseModel):
    """One article to store. Only `text` is required; the rest is inferred when missing."""

    text: str = Field(min_length=1, description="The article, title on the first line or not.")
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(
        default=None, max_length=200, description="Outlet name, e.g. Reuters"
    )
    published: date | None = Field(default=None, description="Publication date, YYYY-MM-DD")
    url: str | None = Field(default=None, max_length=2000)

    @field_validator("title", "outlet", "url")
    @classmethod
    def storable(cls, value: str | None) -> str | None:
        """Postgres text cannot hold NUL, nor UTF-8 a lone surrogate: refuse them here
        (a 422 naming the field) rather than fail when the row is written."""
        if value is not None and ("\x00" in value or _SURROGATE.search(value)):
            raise ValueError("must not contain NUL characters or unpaired surrogates")
        return value


class ArticleBatchIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_BATCH)


class ArticleResult(BaseModel):
    index: int
    status: Literal["stored", "duplicate", "rejected"]
    message: str
    article_id: int | None
    statements: int
    url: str | None = Field(description="The article's page, when stored or already there")


class BatchResult(BaseModel):
    stored: int
    duplicates: int
    rejected: int
    results: list[ArticleResult]


def _submit_one(
    session: SessionDep, article: ArticleIn, index: int, max_bytes: int
) -> ArticleResult:
    outcome = submit(
        session,
        Submission(
            text=article.text,
            title=article.title or "",
            outlet=article.outlet or "",
            published=article.published.isoformat() if article.published else "",
            url=article.url or "",
        ),
        max_bytes=max_bytes,
    )
    return ArticleResult(
        index=index,
        status=outcome.status,
        message=outcome.message,
        article_id=outcome.article_id,
        statements=outcome.statements,
        url=f"/articles/{outcome.article_id}" if outcome.article_id else None,
    )


_STATUS_CODES = {"stored": 201, "duplicate": 200, "rejected": 422}


@router.post(
    "/articles",
    summary="Store one article or a batch; idempotent by content",
    response_model=ArticleResult | BatchResult,
    responses={
        201: {"description": "Stored"},
        200: {"description": "Already stored"},
        422: {"description": "Rejected, with the reasons"},
    },
)
@requires(Access.EDITOR)
def post_articles(
    session: SessionDep,
    settings: SettingsDep,
    payload: Annotated[ArticleIn | ArticleBatchIn, Body()],
) -> JSONResponse:
    """A single article answers 201 (stored), 200 (already stored: same id) or 422.

    A batch (`{"articles": [...]}`) answers 200 with one result per article, in order;
    each article is stored on its own, so one bad article never rejects the others.
    """
    if isinstance(payload, ArticleIn):
        result = _submit_one(session, payload, 0, settings.max_article_bytes)
        return JSONResponse(result.model_dump(), status_code=_STATUS_CODES[result.status])
    results = [
        _submit_one(session, article, index, settings.max_article_bytes)
        for index, article in enumerate(payload.articles)
    ]
    batch = BatchResult(
        stored=sum(r.status == "stored" for r in results),
        duplicates=sum(r.status == "duplicate" for r in results),
        rejected=sum(r.status == "rejected" for r in results),
        results=results,
    )
    return JSONResponse(batch.model_dump())


def _filter_out(session: SessionDep, filters: StatementFilter) -> FilterOut:
    names = filter_names(session, filters=filters)
    words = names.describe(filters)
    return filter_out(filters, words)


def _all_facets(session: SessionDep, filters: StatementFilter) -> Facets:
    return facets_out(
        speaker_facets(session, filters=filters, limit=ALL),
        outlet_facets(session, filters=filters, limit=ALL),
        theme_facets(session, filters=filters, limit=ALL),
    )


@router.get(
    "/statements",
    summary="A view's statements, page by page, with facet counts",
    response_model=StatementList,
    responses=READ_ERRORS,
)
def list_statements(
    session: ReadSessionDep, settings: SettingsDep, filters: Filters
) -> StatementList:
    """The same statements, order and counts as the timeline page for the same query
    string. `next` is the following page's address: a keyset position when newest first
    (stable however many statements arrive), a page number in the other orders."""
    page = statement_page(session, filters=filters, page_size=settings.page_size)
    following = None
    if page.next_cursor:
        following = filters.with_before(page.next_cursor)
    elif page.next_page:
        following = filters.with_page(page.next_page)
    return StatementList(
        filter=_filter_out(session, filters),
        total=page.total,
        first=page.first_number,
        page_size=settings.page_size,
        next=following.url("/api/statements") if following else None,
        start=filters.first_page().url("/api/statements"),
        statements=[statement_out(statement) for statement in page.statements],
        facets=_all_facets(session, filters),
    )


@router.get(
    "/statements/{statement_id}",
    summary="One statement",
    response_model=StatementOut,
    responses={**READ_ERRORS, **NOT_FOUND},
)
def get_statement(session: ReadSessionDep, statement_id: RowId) -> StatementOut:
    statement = statement_by_id(session, statement_id=statement_id)
    if statement is None:
        raise HTTPException(404, f"No statement has the number {statement_id}.")
    return statement_out(statement)


def _entity_list(
    session: SessionDep, filters: StatementFilter, key: str, facets: list[Facet]
) -> EntityList:
    return EntityList(
        filter=_filter_out(session, filters),
        items=[
            EntityOut(
                slug=facet.slug,
                name=facet.name,
                statements=facet.count,
                selected=facet.selected,
                api=f"/api/{key}s/{facet.slug}",
                timeline=filters.with_replaced(key, facet.slug).url("/statements"),
            )
            for facet in facets
        ],
    )


@router.get(
    "/speakers",
    summary="Speakers with their statement counts under the filters",
    response_model=EntityList,
    responses=READ_ERRORS,
)
def list_speakers(session: ReadSessionDep, filters: Filters) -> EntityList:
    """Speakers quoted at least once under every filter but `speaker`, most quoted first
    (the speaker facet of the timeline, whole)."""
    return _entity_list(
        session, filters, "speaker", speaker_facets(session, filters=filters, limit=ALL)
    )


@router.get(
    "/outlets",
    summary="Outlets with their statement counts under the filters",
    response_model=EntityList,
    responses=READ_ERRORS,
)
def list_outlets(session: ReadSessionDep, filters: Filters) -> EntityList:
    return _entity_list(
        session, filters, "outlet", outlet_facets(session, filters=filters, limit=ALL)
    )


@router.get(
    "/themes",
    summary="Themes with their statement counts under the filters",
    response_model=EntityList,
    responses=READ_ERRORS,
)
def list_themes(session: ReadSessionDep, filters: Filters) -> EntityList:
    return _entity_list(
        session, filters, "theme", theme_facets(session, filters=filters, limit=ALL)
    )


def _entity_detail(
    session: SessionDep,
    filters: StatementFilter,
    *,
    key: Literal["speaker", "outlet", "theme"],
    slug: str,
    name: str,
    details: dict[str, str | bool | list[str] | None],
) -> EntityDetail:
    scoped = filters.with_replaced(key, slug)
    return EntityDetail(
        slug=slug,
        name=name,
        kind=key,
        details=details,
        statements=statement_count(session, filters=scoped),
        filter=_filter_out(session, scoped),
        facets=_all_facets(session, scoped),
        statements_api=scoped.url("/api/statements"),
        timeline=scoped.url("/statements"),
    )


@router.get(
    "/speakers/{slug}",
    summary="One speaker, with the outlets and themes of their statements",
    response_model=EntityDetail,
    responses={**READ_ERRORS, **NOT_FOUND},
)
def get_speaker(session: ReadSessionDep, filters: Filters, slug: Slug) -> EntityDetail:
    speaker = speaker_by_slug(session, slug=slug)
    if speaker is None:
        raise HTTPException(404, f"No speaker is known as “{slug}”.")
    details = {
        "kind": speaker.kind,
        "country": speaker.country,
        "organisation": speaker.organisation,
        "confirmed": speaker.confirmed,
        "aliases": sorted(alias.alias for alias in speaker.aliases),
    }
    return _entity_detail(
        session, filters, key="speaker", slug=slug, name=speaker.name, details=details
    )


@router.get(
    "/outlets/{slug}",
    summary="One outlet, with the speakers and themes it carries",
    response_model=EntityDetail,
    responses={**READ_ERRORS, **NOT_FOUND},
)
def get_outlet(session: ReadSessionDep, filters: Filters, slug: Slug) -> EntityDetail:
    outlet = outlet_by_slug(session, slug=slug)
    if outlet is None:
        raise HTTPException(404, f"No outlet is known as “{slug}”.")
    return _entity_detail(
        session,
        filters,
        key="outlet",
        slug=slug,
        name=outlet.name,
        details={"domain": outlet.domain},
    )


@router.get(
    "/themes/{slug}",
    summary="One theme, with its speakers and outlets",
    response_model=EntityDetail,
    responses={**READ_ERRORS, **NOT_FOUND},
)
def get_theme(session: ReadSessionDep, filters: Filters, slug: Slug) -> EntityDetail:
    theme = theme_by_slug(session, slug=slug)
    if theme is None:
        raise HTTPException(404, f"No theme is known as “{slug}”.")
    return _entity_detail(
        session,
        filters,
        key="theme",
        slug=slug,
        name=theme.name,
        details={"description": theme.description},
    )


@router.get(
    "/articles/{article_id}",
    summary="One article: its text, statements, themes and the same story elsewhere",
    response_model=ArticleDetail,
    responses={**READ_ERRORS, **NOT_FOUND},
)
def get_article(session: ReadSessionDep, article_id: RowId) -> ArticleDetail:
    article = article_with_statements(session, article_id=article_id)
    if article is None:
        raise HTTPException(404, f"No article has the number {article_id}.")
    ref = article_ref(article)
    return ArticleDetail(
        id=article.id,
        title=article.title,
        url=article.url,
        published_on=article.published_on,
        published_precision=article.published_precision,
        language=article.language,
        outlet=ref.outlet,
        body=article.body,
        statements=[statement_out(statement) for statement in article.statements],
        themes=[
            ThemeCount(slug=theme.slug, name=theme.name, count=count)
            for theme, count in article_themes(article)
        ],
        same_story=[article_ref(other) for other in same_story(session, article=article)],
        page=ref.page,
    )
