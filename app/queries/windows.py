"""Search windows: a broad search served from its newest matches.

Postgres finds a search's candidates in a GIN index, but a phrase (`"security
guarantees"`) or an excluded word is confirmed against each candidate's own search
vector, read from the table, and ranking reads the vector again: every match costs a read
of its row in every query that counts, facets, charts or ranks the search. At a million
articles a broad search matches tens of thousands of statements, and the timeline read
them all seven times over (2.9 s for one page).

A search with more than `WINDOW` matches is therefore served from a window: its newest
`WINDOW` matches, widened to whole days, that is every match from the day `since` on
(oldest first: the oldest, up to the day `until`). Within the window every count, facet,
chart and ranking is exact; the page says where the window starts and links to the
matches beyond it. A search with at most `WINDOW` matches is served whole.

Finding the window without reading every match: a probe walks the newest statements in
the view's dates through the date index, without the search index, until `HITS` of
them match (at most `PROBE` rows), which gives the rate of matches; the counts by month
turn the rows that should hold `MARGIN` times `WINDOW` matches into a span of days, and
the search index is intersected with that span (a BitmapAnd with the date index), so
only the candidates inside it are read. A span that falls short is widened four times
over, at most `SPAN_STEPS` times, before the whole view is searched. Whichever way it
is found, the window is the same; only the work differs. The search index is still read
whole once per span (a GIN index knows no dates): a small cost per candidate beside
reading its row, but one that grows with the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import Session

from app.models import OutletCountByMonth, Statement
from app.queries.filters import StatementFilter
from app.queries.statements import filtered, search_query

WINDOW = 1_000
"""A search with more matches than this is served from a window of its newest."""
PROBE = 20_000
"""At most this many of the newest rows in view are read to see how often the search
matches them."""
HITS = 30
"""The probe stops at this many matches: enough to estimate their rate within a fifth."""
MARGIN = 3.0
"""The first span aims at this many times `WINDOW` matches, so one span usually does.

Each span reads the search index whole (35 ms for 95,000 candidates at a million
articles) and then only the span's rows (about 4 ms a thousand matches): a span that
falls short costs far more than a wide one. At 1.5, the estimate from thirty hits fell
short by 2.7 times at a million articles and the window took two spans (41 + 50 ms)."""
SPAN_STEPS = 3
"""Spans tried, each four times the last, before the whole view is searched."""
MAX_IDS = 10 * WINDOW
"""At most this many matches are handed to a page's queries by id; past it they search."""


@dataclass(frozen=True, slots=True)
class Window:
    """Which matches of a search a page reads: `ids` when they were read once (None:
    each query searches), and the window's edge when it holds only the newest (`since`)
    or oldest (`until`) matches."""

    ids: tuple[int, ...] | None = None
    since: date | None = None
    until: date | None = None
    limit: int = WINDOW
    """How many matches a window holds at least: more match when it is capped."""

    @property
    def capped(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def size(self) -> int:
        return len(self.ids or ())

    def narrowed(self, filters: StatementFilter) -> StatementFilter:
        """The view as the page's queries read it: within the window's days, taking the
        matches by id when they were read. Links are still made from `filters`."""
        if self.ids is None and not self.capped:
            return filters
        return filters.model_copy(
            update={
                "date_from": self.since or filters.date_from,
                "date_to": self.until or filters.date_to,
                "within": self.ids,
            }
        )

    def beyond(self, filters: StatementFilter) -> StatementFilter | None:
        """The same view over the matches the window leaves out (None when it leaves none):
        those before `since` (or after `until`)."""
        if self.since is not None:
            return filters.with_replaced("to", self.since - timedelta(days=1))
        if self.until is not None:
            return filters.with_replaced("from", self.until + timedelta(days=1))
        return None


Reach = Callable[[int, date], "date | None"]
"""How far back (forward, oldest first) from a day a number of rows in scope reach: the
day of the row that many rows on, or None when the scope holds fewer."""


def window(
    session: Session,
    *,
    view: Select,
    scope: Select,
    hit: ColumnElement[bool],
    order: tuple[ColumnElement, ...],
    oldest_first: bool,
    bound: date | None,
    reach: Reach | None = None,
    limit: int | None = None,
    probe: int | None = None,
) -> Window:
    """The window of the matches of `view` that satisfy `hit`, newest first (or oldest).

    `view` selects (id, day) under every condition of the view but the search; `scope`
    the same columns under its dates alone, walked in `order` through an index that
    holds both (spelt exactly as the index, nulls included, or the planner sorts the
    table instead): the probe reads it. `reach` turns the rows the window should span
    into a day; by default it walks the same index that far. `bound` is the view's own
    far date bound (its `from` newest first, its `to` oldest first), if any: a span
    reaching it has seen every match in view. `limit` and `probe` default to `WINDOW`
    and `PROBE`.
    """
    limit = WINDOW if limit is None else limit
    probe = PROBE if probe is None else probe
    _, day = scope.selected_columns
    dated = scope.where(day.is_not(None)).order_by(*order)
    start = session.execute(dated.with_only_columns(day).limit(1)).scalar()
    if start is None:
        return _whole(session, view=view, hit=hit, oldest_first=oldest_first, limit=limit)
    numbered = (
        dated.with_only_columns(hit.label("hit"), func.row_number().over(order_by=order).label("n"))
        .limit(probe)
        .subquery()
    )
    # Without an order of its own the outer query takes the rows as the index gives
    # them and stops at the HITS-th match.
    found = session.execute(select(numbered.c.n).where(numbered.c.hit).limit(HITS)).scalars().all()
    if not found:
        return _whole(session, view=view, hit=hit, oldest_first=oldest_first, limit=limit)
    read = found[-1] if len(found) == HITS else probe
    rows = int(read * MARGIN * limit / len(found))
    walk = reach or _walking(session, dated)
    for _ in range(SPAN_STEPS):
        edge = walk(rows, start)
        if edge is None:
            break
        with _bitmaps_only(session):
            matches = session.execute(
                view.where(hit, day <= edge if oldest_first else day >= edge)
            ).all()
        reached = bound is not None and (edge >= bound if oldest_first else edge <= bound)
        if reached and len(matches) <= limit:
            return Window(ids=tuple(match[0] for match in matches))
        if len(matches) >= limit:
            return _cut(matches, oldest_first=oldest_first, limit=limit)
        rows *= 4
    return _whole(session, view=view, hit=hit, oldest_first=oldest_first, limit=limit)


@contextmanager
def _bitmaps_only(session: Session) -> Iterator[None]:
    """Plain index scans off for a span's query, so the planner intersects the search
    index with the date index. Left to itself it may walk the date index through the
    span and test each row's search vector, read from the table: at 100,000 articles it
    did so for 36,582 articles to find 2,061 matches (324 ms, against 82 ms for the
    BitmapAnd that reads only the candidates both indexes name)."""
    session.execute(text("SET LOCAL enable_indexscan = off"))
    try:
        yield
    finally:
        session.execute(text("RESET enable_indexscan"))


def _walking(session: Session, dated: Select) -> Reach:
    """`Reach` by walking the index of `dated` (the scope in order) that many rows on."""
    _, day = dated.selected_columns

    def walk(rows: int, start: date) -> date | None:
        return session.execute(dated.with_only_columns(day).offset(rows).limit(1)).scalar()

    return walk


def _by_month(session: Session, *, filters: StatementFilter, oldest_first: bool) -> Reach:
    """`Reach` for statements from their counts by month (every outlet's cells of a
    month summed), the day found by spreading a month's statements evenly over its days:
    a walk of the date index would read every one of those rows."""
    month = OutletCountByMonth.day
    query = select(month, func.sum(OutletCountByMonth.n)).where(month.is_not(None))
    if filters.date_from:
        query = query.where(month >= filters.date_from.replace(day=1))
    if filters.date_to:
        query = query.where(month <= filters.date_to)
    query = query.group_by(month).order_by(month.asc() if oldest_first else month.desc())
    months: list[Any] = []
    earliest, latest = filters.date_from or date.min, filters.date_to or date.max

    def walk(rows: int, start: date) -> date | None:
        if not months:
            months.extend(session.execute(query).all())
        seen = 0
        for first_day, statements in months:
            last_day = (first_day + timedelta(days=31)).replace(day=1) - timedelta(days=1)
            if oldest_first:
                first, last = max(first_day, start, earliest), min(last_day, latest)
            else:
                first, last = max(first_day, earliest), min(last_day, start, latest)
            if last < first:
                continue
            if seen + statements >= rows:
                days = round((last - first).days * (rows - seen) / statements)
                return first + timedelta(days=days) if oldest_first else last - timedelta(days=days)
            seen += statements
        return None

    return walk


def _cut(rows: list, *, oldest_first: bool, limit: int) -> Window:
    """The window of `rows` (id, day), at least `limit` of them: the first `limit` in
    order and every other row of the last one's day."""
    days = sorted((row[1] for row in rows), reverse=not oldest_first)
    edge = days[limit - 1]
    if oldest_first:
        return Window(ids=tuple(i for i, d in rows if d <= edge), until=edge, limit=limit)
    return Window(ids=tuple(i for i, d in rows if d >= edge), since=edge, limit=limit)


def _whole(
    session: Session, *, view: Select, hit: ColumnElement[bool], oldest_first: bool, limit: int
) -> Window:
    """Every match in view when they are at most `limit`, else the window of the first
    `limit`: a search over the whole view, for a small view or a search whose matches the
    spans did not find."""
    _, day = view.selected_columns
    nearest = day.asc().nulls_last() if oldest_first else day.desc().nulls_last()
    rows = session.execute(view.where(hit).order_by(nearest).limit(limit + 1)).all()
    if len(rows) <= limit:
        return Window(ids=tuple(row[0] for row in rows))
    edge = rows[limit - 1][1]
    if edge is None:  # undated matches among the first: no day bounds them
        return Window()
    within = day <= edge if oldest_first else day >= edge
    return _cut(
        session.execute(view.where(hit, within)).all(), oldest_first=oldest_first, limit=limit
    )


def search_window(session: Session, *, filters: StatementFilter) -> Window:
    """The window of a search view's statements (an empty one when it does not search).

    The window is the view's own (every filter applies), but the ids handed to the page
    are the search's matches in the window's days under the date filters alone, so the
    facets, which count as if their own filter were off, read them too. A view narrowed
    by speaker, outlet, theme or entity whose words match more than `MAX_IDS` statements
    in those days is left to search in each query, within the window's days.
    """
    if not filters.q:
        return Window()
    hit = Statement.search.op("@@")(search_query(filters))
    unsearched = filters.with_removed("q")
    oldest_first = filters.effective_sort == "oldest"
    # ix_statements_timeline, read forwards or backwards.
    order = (
        (Statement.stated_on.asc().nulls_first(), Statement.id.asc())
        if oldest_first
        else (Statement.stated_on.desc().nulls_last(), Statement.id.desc())
    )
    # The probe reads the newest statements in the view's dates through the date index,
    # rejected ones too (it only estimates), so no other condition can make the planner
    # read them another way.
    scope = select(Statement.id, Statement.stated_on)
    if filters.date_from:
        scope = scope.where(Statement.stated_on >= filters.date_from)
    if filters.date_to:
        scope = scope.where(Statement.stated_on <= filters.date_to)
    found = window(
        session,
        view=filtered(select(Statement.id, Statement.stated_on), unsearched),
        scope=scope,
        hit=hit,
        order=order,
        oldest_first=oldest_first,
        bound=filters.date_to if oldest_first else filters.date_from,
        reach=_by_month(session, filters=filters, oldest_first=oldest_first),
    )
    cursor = filters.before
    if found.since and cursor and (cursor.stated_on is None or cursor.stated_on < found.since):
        # A page address copied before newer matches moved the window on: its statements
        # are those older than its cursor, so its window is the newest of those.
        if cursor.stated_on is None:
            return Window()
        return search_window(
            session, filters=filters.model_copy(update={"date_to": cursor.stated_on})
        )
    narrowing = filters.speaker or filters.outlet or filters.theme or filters.about
    if found.ids is None or not narrowing:
        return found
    days = StatementFilter(
        **{"from": found.since or filters.date_from, "to": found.until or filters.date_to}
    )
    ids = session.execute(
        filtered(select(Statement.id), days).where(hit).limit(MAX_IDS + 1)
    ).scalars()
    matches = tuple(ids)
    return Window(
        ids=matches if len(matches) <= MAX_IDS else None,
        since=found.since,
        until=found.until,
        limit=found.limit,
    )
