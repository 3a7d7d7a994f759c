"""Search: statements and articles ranked against words and phrases, with match marks.

Queries are read by `websearch_to_tsquery` (`"security guarantees" -sanctions`).
Matches are marked by `ts_headline` with two private-use characters as delimiters,
removed from the text beforehand, so the caller can escape every piece of the
untrusted text and add its own markup between them: nothing Postgres returns is ever
trusted as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, any_, func, literal, select
from sqlalchemy.orm import Session, joinedload

from app.models import Article, Outlet, Statement
from app.queries.filters import StatementFilter
from app.queries.statements import StatementPage, id_array, statement_page
from app.queries.windows import Window, window

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
    window: Window = field(default_factory=Window)
    """Where the matching articles were counted and ranked: the newest of them when
    there were more than a window holds."""


ARTICLE_PROBE = 2_000
"""Articles read by the window's probe at most: each costs its whole search vector."""


def _article_filters(filters: StatementFilter) -> list[ColumnElement[bool]]:
    """The filter keys that apply to an article, but the words: outlet, publication dates."""
    conditions: list[ColumnElement[bool]] = []
    if filters.outlet:
        conditions.append(
            Article.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(filters.outlet)))
        )
    if filters.date_from:
        conditions.append(Article.published_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Article.published_on <= filters.date_to)
    return conditions


def article_window(session: Session, *, filters: StatementFilter) -> Window:
    """The matching articles the search page ranks: all of them, or the newest by
    publication date when more match than a window holds (`app.queries.windows`)."""
    dates = _article_filters(filters.with_removed("outlet"))
    return window(
        session,
        view=select(Article.id, Article.published_on).where(*_article_filters(filters)),
        scope=select(Article.id, Article.published_on).where(*dates),
        hit=Article.search.op("@@")(func.websearch_to_tsquery("english", filters.q)),
        # ix_articles_published_on, read backwards.
        order=(Article.published_on.desc().nulls_first(),),
        oldest_first=False,
        bound=filters.date_from,
        probe=ARTICLE_PROBE,
    )


def search_articles(session: Session, *, filters: StatementFilter, limit: int) -> ArticleHits:
    """Articles matching the search words, best first (title matches weigh most), ranked
    among the newest when more match than a window holds."""
    if not filters.q:
        return ArticleHits(hits=[], total=0)
    found = article_window(session, filters=filters)
    if not found.ids:
        return ArticleHits(hits=[], total=0, window=found)
    query = func.websearch_to_tsquery("english", filters.q)
    rank = func.ts_rank_cd(Article.search, query)
    order = (rank.desc(), Article.published_on.desc().nulls_last(), Article.id.desc())
    best = list(
        session.execute(
            select(Article.id)
            .where(Article.id == any_(id_array(found.ids)))
            .order_by(*order)
            .limit(limit)
        ).scalars()
    )
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
        .where(Article.id.in_(best))
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
    return ArticleHits(hits=hits, total=found.size, window=found)
