"""Counting statements for charts and rankings: one story counts once, in time buckets.

A syndicated story is stored once per outlet that carried it, with the same statements
in every copy. Charts and rankings count each story's statements from one copy only —
the first stored among the outlets in view — so a wire story picked up by five outlets
does not look five times as loud. Lists of statements still show every copy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import (
    TIMESTAMP,
    BigInteger,
    ColumnElement,
    Date,
    Select,
    cast,
    exists,
    func,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased, defer

from app.models import Article, Grain, Outlet, Speaker, Statement, StatementTheme, Theme
from app.queries.filters import StatementFilter
from app.queries.rollups import rollup
from app.queries.statements import filtered

Unit = Literal["day", "week", "month", "year"]
OTHER = "other"
# Fewer columns than this say little about a trend: the range reaches back to fill them.
MIN_BUCKETS = 8


def starting(
    unit: Unit, day: ColumnElement[date] | InstrumentedAttribute[date | None]
) -> ColumnElement[date]:
    """The first day of the `unit` that holds `day`, in SQL.

    Truncated as a timestamp without time zone: given a date, `date_trunc` picks the
    variant with a time zone and converts every row through the session's zone, which
    took twice as long over a theme's 8,000 speaker-months for the same answer."""
    return func.date_trunc(unit, cast(day, TIMESTAMP)).cast(Date)


def first_copy(filters: StatementFilter) -> ColumnElement[bool]:
    """True for statements of the first article of their story among the outlets in view.

    Needs `Article` joined to the statements; ix_articles_story_id finds the earlier copies.
    """
    earlier = aliased(Article)
    conditions = [earlier.story_id == Article.story_id, earlier.id < Article.id]
    if filters.outlet:
        conditions.append(
            earlier.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(filters.outlet)))
        )
    return ~exists().where(*conditions)


def counted(filters: StatementFilter, *columns: Any, skip: str | None = None) -> Select:
    """`columns` over the statements in view, syndicated copies left out."""
    return filtered(
        select(*columns).select_from(Statement).join(Article, Article.id == Statement.article_id),
        filters,
        skip=skip,
    ).where(first_copy(filters))


def choose_unit(first: date, last: date) -> Unit:
    """Days for a few weeks, weeks for up to a year, months up to ten years, then years."""
    span = (last - first).days
    if span <= 45:
        return "day"
    if span <= 371:
        return "week"
    if span <= 3660:
        return "month"
    return "year"


def truncate(day: date, unit: Unit) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def following(day: date, unit: Unit) -> date:
    """The start of the bucket after the one starting at `day`."""
    if unit == "day":
        return day + timedelta(days=1)
    if unit == "week":
        return day + timedelta(days=7)
    if unit == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day.replace(year=day.year + 1)


def bucket_starts(first: date, last: date, unit: Unit) -> list[date]:
    starts = []
    current = truncate(first, unit)
    while current <= last:
        starts.append(current)
        current = following(current, unit)
    return starts


@dataclass(frozen=True, slots=True)
class VolumeSeries:
    key: str
    label: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Volume:
    """Statements per time bucket, split by speaker or theme (the top few, then "other")."""

    unit: Unit
    starts: list[date]
    series: list[VolumeSeries]
    group: Literal["speaker", "theme"]
    undated: int

    @property
    def total(self) -> int:
        return sum(item.total for item in self.series)

    def end_of(self, index: int) -> date:
        """The last day of bucket `index`, for links to the statements it holds."""
        return following(self.starts[index], self.unit) - timedelta(days=1)


def volume(
    session: Session,
    *,
    filters: StatementFilter,
    group: Literal["speaker", "theme"],
    top: int = 6,
    unit: Unit | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Volume:
    """Statements over time under `filters`, one story counted once, stacked by `group`.

    The unit follows the span of the data unless given; `first`/`last` fix the range
    (the overview shows twelve weeks whatever the data holds).
    """
    if first and last and unit in ("day", "week"):
        # A fixed window in days or weeks needs nothing from the data's own span.
        span_first = span_last = None
        undated = 0
    else:
        span_first, span_last, undated = session.execute(_span(filters)).one()
    if first or last:
        undated = 0  # a fixed window says nothing of the statements without a date
    first = first or span_first
    last = last or span_last
    if first is None or last is None:
        return Volume(unit=unit or "month", starts=[], series=[], group=group, undated=undated)
    unit = unit or choose_unit(first, last)
    while len(bucket_starts(first, last, unit)) < MIN_BUCKETS:
        first = truncate(first, unit) - timedelta(days=1)
    # Whole months in view (nothing in view before `first` or after `last` in their
    # months) can be read from cells by month.
    whole_months = (
        unit in ("month", "year")
        and (span_first is None or first <= span_first or first.day == 1)
        and (span_last is None or last >= span_last or following(last, "day").day == 1)
    )
    buckets = _buckets(
        filters,
        group=group,
        unit=unit,
        first=first,
        last=last,
        grain="month" if whole_months else "day",
    )
    starts = bucket_starts(first, last, unit)
    position = {start: index for index, start in enumerate(starts)}
    counts: dict[str | None, list[int]] = defaultdict(lambda: [0] * len(starts))
    labels: dict[str | None, str] = {}
    named = Speaker if group == "speaker" else Theme
    for start, slug, name, n in session.execute(_leading(buckets, named, top)):
        counts[slug][position[start]] += n
        labels[slug] = name
    ranked = sorted(
        (slug for slug in counts if slug is not None), key=lambda slug: (-sum(counts[slug]), slug)
    )
    series = [
        VolumeSeries(key=slug, label=labels[slug], counts=tuple(counts[slug])) for slug in ranked
    ]
    if None in counts:
        other_label = "Other speakers" if group == "speaker" else "Other or no theme"
        series.append(VolumeSeries(key=OTHER, label=other_label, counts=tuple(counts[None])))
    return Volume(unit=unit, starts=starts, series=series, group=group, undated=undated)


def _leading(buckets: Select, named: type[Speaker] | type[Theme], top: int) -> Select:
    """`buckets` with every name but the `top` largest (by total, ties by slug) summed
    into slug None with the statements that have none: the chart stacks `top` series and
    the rest. Summed here, a page reads a few rows per bucket, not one per name (8,227
    speaker-months on a theme's page at 100,000 articles); and only the leaders are
    named: naming every cell before ranking them took half the query's time."""
    cells = buckets.cte("cells")
    totals = (
        select(cells.c.key, func.sum(cells.c.n).label("n"))
        .where(cells.c.key.is_not(None))
        .group_by(cells.c.key)
        .subquery()
    )
    leaders = (
        select(totals.c.key, named.slug, named.name)
        .join(named, named.id == totals.c.key)
        .order_by(totals.c.n.desc(), named.slug)
        .limit(top)
        .cte("leaders")
    )
    return (
        select(cells.c.bucket, leaders.c.slug, leaders.c.name, func.sum(cells.c.n).cast(BigInteger))
        .select_from(cells)
        .outerjoin(leaders, leaders.c.key == cells.c.key)
        .group_by(cells.c.bucket, leaders.c.slug, leaders.c.name)
    )


def _span(filters: StatementFilter) -> Select:
    """The first and last day in view and the statements without a date, one story once."""
    rolled = rollup(filters, every_copy=False)
    if rolled is None:
        return counted(
            filters,
            func.min(Statement.stated_on),
            func.max(Statement.stated_on),
            func.count(Statement.id).filter(Statement.stated_on.is_(None)),
        )
    # Three queries in one: each of the first and last day is then read from one end of
    # an index leading with the day (or with the narrowed dimension, then the day), where
    # the three aggregates together read every cell in view (33 ms at 1,000,000 articles).
    first = rolled.query(func.min(rolled.day)).scalar_subquery()
    last = rolled.query(func.max(rolled.day)).scalar_subquery()
    undated = rolled.query(func.coalesce(rolled.count, 0)).where(rolled.day.is_(None))
    return select(first, last, undated.scalar_subquery())


def _buckets(
    filters: StatementFilter,
    *,
    group: Literal["speaker", "theme"],
    unit: Unit,
    first: date,
    last: date,
    grain: Grain,
) -> Select:
    """(bucket start, key, statements) from `first` to `last`, one story once; the key
    is the speaker's (or theme's) id, None for statements without one.

    `grain` "month" says that the view has nothing in the months of `first` and `last`
    outside the range, so the months' cells can be read whole."""
    rolled = rollup(filters, every_copy=False, by=(group,), grain=grain)
    if rolled is not None:
        bucket = starting(unit, rolled.day).label("bucket")
        start = truncate(first, "month") if rolled.grain == "month" else first
        return (
            rolled.query(bucket, rolled.column(group).label("key"), rolled.count.label("n"))
            .where(rolled.day.between(start, last))
            .group_by(bucket, rolled.column(group))
        )
    bucket = starting(unit, Statement.stated_on)
    key = Statement.speaker_id if group == "speaker" else StatementTheme.theme_id
    query = counted(
        filters, bucket.label("bucket"), key.label("key"), func.count(Statement.id).label("n")
    )
    if group == "theme":
        query = query.outerjoin(StatementTheme, StatementTheme.statement_id == Statement.id)
    return query.where(Statement.stated_on.between(first, last)).group_by(bucket, key)


def carried_by(session: Session, *, statements: list[Statement]) -> dict[int, list[Outlet]]:
    """For each syndicated story among `statements`, every outlet that carried it.

    Keyed by story id; stories carried by one outlet only are left out.
    """
    stories = {s.article.story_id for s in statements if s.article.story_id is not None}
    if not stories:
        return {}
    rows = session.execute(
        select(Article.story_id, Outlet)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .options(defer(Outlet.domains), defer(Outlet.aliases))
        .where(Article.story_id.in_(stories))
        .order_by(Article.story_id, Outlet.name)
    ).all()
    outlets: dict[int, list[Outlet]] = defaultdict(list)
    for story_id, outlet in rows:
        if outlet not in outlets[story_id]:
            outlets[story_id].append(outlet)
    return {story: found for story, found in outlets.items() if len(found) > 1}


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
