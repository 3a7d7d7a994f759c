"""Search: statements and articles ranked against words and phrases, with match marks.

Queries are read by `websearch_to_tsquery` (`"security guarantees" -sanctions`).
Matches are marked by `ts_headline` with two private-use characters as delimiters,
removed from the text beforehand, so the caller can escape every piece of the
untrusted text and add its own markup between them: nothing Postgres returns is ever
trusted as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session, joinedload

from app.models import Article, Outlet, Statement
from app.queries.filters import StatementFilter
from app.queries.statements import StatementPage, statement_page

MARK_START = "\ue000"
MARK_END = "\ue001"
# Postgres ranks and marks within the first 100,000 characters of an article body, the
# same prefix its search column is computed from.
ARTICLE_SEARCH_CHARS = 100_000
_NEGATED = re.compile(r'(?:^|\s)-(?:"[^"]*"?|\S+)')


def positive_terms(q: str) -> str:
    """`q` without its excluded words and phrases: those are never in a match to mark."""
    return _NEGATED.sub(" ", q).strip()


def _unmarked(text: ColumnElement) -> ColumnElement:
    return func.replace(func.replace(text, MARK_START, ""), MARK_END, "")


def headline(text: ColumnElement, q: str, *, options: str) -> ColumnElement:
    """`ts_headline` of `text` for the positive terms of `q`, matches between marks."""
    query = func.websearch_to_tsquery("english", positive_terms(q))
    return func.ts_headline(
        "english",
        _unmarked(text),
        query,
        literal(f"StartSel={MARK_START}, StopSel={MARK_END}, {options}"),
    )


@dataclass(frozen=True, slots=True)
class StatementHits:
    page: StatementPage
    marked: dict[int, str]


def search_statements(
    session: Session, *, filters: StatementFilter, page_size: int
) -> StatementHits:
    """One page of the view (ranked when searching), each statement's text with marks."""
    page = statement_page(session, filters=filters, page_size=page_size)
    if not filters.q or not positive_terms(filters.q) or not page.statements:
        return StatementHits(page=page, marked={})
    ids = [statement.id for statement in page.statements]
    rows = session.execute(
        select(
            Statement.id, headline(Statement.text, filters.q, options="HighlightAll=true")
        ).where(Statement.id.in_(ids))
    ).all()
    return StatementHits(page=page, marked={statement_id: text for statement_id, text in rows})


@dataclass(frozen=True, slots=True)
class ArticleHit:
    id: int
    title: str
    marked_title: str
    marked_snippet: str
    outlet: str | None
    published_on: date | None
    statements: int


@dataclass(frozen=True, slots=True)
class ArticleHits:
    hits: list[ArticleHit]
    total: int


def _article_filters(filters: StatementFilter) -> list[ColumnElement[bool]]:
    """The filter keys that apply to an article: search words, outlet, publication dates."""
    conditions: list[ColumnElement[bool]] = [
        Article.search.op("@@")(func.websearch_to_tsquery("english", filters.q))
    ]
    if filters.outlet:
        conditions.append(
            Article.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(filters.outlet)))
        )
    if filters.date_from:
        conditions.append(Article.published_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Article.published_on <= filters.date_to)
    return conditions


def search_articles(session: Session, *, filters: StatementFilter, limit: int) -> ArticleHits:
    """Articles matching the search words, best first (title matches weigh most)."""
    if not filters.q:
        return ArticleHits(hits=[], total=0)
    conditions = _article_filters(filters)
    query = func.websearch_to_tsquery("english", filters.q)
    rank = func.ts_rank_cd(Article.search, query)
    order = (rank.desc(), Article.published_on.desc().nulls_last(), Article.id.desc())
    # One pass over the matches both counts and ranks them: each match costs a recheck
    # of its search vector, the bulk of a search's time.
    best = session.execute(
        select(Article.id, func.count().over()).where(*conditions).order_by(*order).limit(limit)
    ).all()
    if not best:
        return ArticleHits(hits=[], total=0)
    total = best[0][1]
    statement_counts = (
        select(func.count(Statement.id)).where(Statement.article_id == Article.id).scalar_subquery()
    )
    # Headlines are costly (they parse the text again), so only the best few get one.
    rows = session.execute(
        select(
            Article,
            headline(Article.title, filters.q, options="HighlightAll=true"),
            headline(
                func.left(Article.body, ARTICLE_SEARCH_CHARS),
                filters.q,
                options='MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … "',
            ),
            statement_counts,
        )
        .where(Article.id.in_([article_id for article_id, _ in best]))
        .options(joinedload(Article.outlet))
        .order_by(*order)
    ).all()
    hits = [
        ArticleHit(
            id=article.id,
            title=article.title,
            marked_title=title,
            marked_snippet=snippet,
            outlet=article.outlet.name if article.outlet else None,
            published_on=article.published_on,
            statements=count,
        )
        for article, title, snippet, count in rows
    ]
    return ArticleHits(hits=hits, total=total)
