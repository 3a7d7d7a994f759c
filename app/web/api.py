"""The JSON API: the same services as the pages, for programs (documented at /docs)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.services.submissions import Submission, submit
from app.web.deps import SessionDep, SettingsDep
from app.web.policy import Access, requires

router = APIRouter(prefix="/api", tags=["api"])

MAX_BATCH = 500


class ArticleIn(BaseModel):
    """One article to store. Only `text` is required; the rest is inferred when missing."""

    text: str = Field(min_length=1, description="The article, title on the first line or not.")
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(
        default=None, max_length=200, description="Outlet name, e.g. Reuters"
    )
    published: date | None = Field(default=None, description="Publication date, YYYY-MM-DD")
    url: str | None = Field(default=None, max_length=2000)


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
