"""Every statement of a view as flat rows, streamed from a server-side cursor.

Exports have no page: they hold the whole view, which may be large, so rows are read in
batches (`yield_per`) and written out as they come instead of being loaded at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from app.models import Article, Outlet, Speaker, Statement, StatementTheme, Theme
from app.queries.filters import StatementFilter
from app.queries.statements import filtered, ordered

BATCH_ROWS = 1000


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One statement as exported; the README's export table documents each column."""

    statement_id: int
    stated_on: date | None
    speaker: str | None
    speaker_slug: str | None
    speaker_mention: str | None
    kind: str
    cue: str | None
    text: str
    themes: str
    outlet: str | None
    outlet_slug: str | None
    article_id: int
    article_title: str
    article_url: str | None
    published_on: date | None
    start: int
    end: int


EXPORT_COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(ExportRow))


def export_rows(
    session: Session, *, filters: StatementFilter, batch_rows: int = BATCH_ROWS
) -> Iterator[ExportRow]:
    """The view's statements in the view's order, fetched `batch_rows` at a time."""
    themes = (
        select(
            func.coalesce(
                func.string_agg(Theme.slug, aggregate_order_by(literal(";"), Theme.slug)), ""
            )
        )
        .join(StatementTheme, StatementTheme.theme_id == Theme.id)
        .where(StatementTheme.statement_id == Statement.id)
        .scalar_subquery()
    )
    query = ordered(
        filtered(
            select(
                Statement.id,
                Statement.stated_on,
                Speaker.name,
                Speaker.slug,
                Statement.speaker_mention,
                Statement.kind,
                Statement.cue,
                Statement.text,
                themes,
                Outlet.name,
                Outlet.slug,
                Article.id,
                Article.title,
                Article.url,
                Article.published_on,
                Statement.start,
                Statement.end,
            )
            .join(Article, Article.id == Statement.article_id)
            .outerjoin(Speaker, Speaker.id == Statement.speaker_id)
            .outerjoin(Outlet, Outlet.id == Article.outlet_id),
            filters,
        ),
        filters,
    ).execution_options(yield_per=batch_rows)
    for row in session.execute(query):
        yield ExportRow(*row)
