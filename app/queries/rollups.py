"""The aggregate navigator: which count table answers a view's aggregate, if any.

Facets, charts and rankings add up statements per speaker, outlet, theme or entity
under a filter. The count tables (`app.models.COUNT_MODELS`) hold those sums per day
(and coarser, below), so a view reads a few thousand cells instead of every statement
in view. `rollup` picks the smallest table that has every dimension the view filters
or groups by, and says which measure keeps "one story counts once"
(`app.queries.volume.first_copy`); it returns None when no table answers exactly, and
the caller runs its live query:

- search words (`q`) select statements no count can know;
- a statement has several themes and entities, so a table with themes (entities) only
  answers when the view filters on one theme (entity) or groups by theme (entity), not
  both, and not when it filters on several: the table would count a statement twice;
- the first copy "among the outlets in view" is known per outlet, so a first-copy count
  narrowed to several outlets is live.

Each table has three grains (`app.models.GRAINS`): cells per day, per month, and over
all time. The caller says how fine a day it reads (`grain`) and the navigator takes the
coarsest table that still answers exactly, which a view without dates (every list,
facet and ranking of the whole corpus) reads in a few rows per name instead of one per
day. The statements a view keeps never depend on the grain: `filtered` drops the
undated ones exactly when the view has a date bound, and a view with none reads the
all-time cells, undated statements included.

Both ways give the same numbers: tests/db/test_rollups.py runs every aggregate both
ways over a varied corpus, at every grain.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select

from app.models import (
    COUNT_GRAINS,
    Entity,
    EntityCount,
    EntitySpeakerOutletCount,
    EntityThemeCount,
    EntityThemeOutletCount,
    Grain,
    Outlet,
    OutletCount,
    Speaker,
    SpeakerCount,
    SpeakerOutletCount,
    Theme,
    ThemeCount,
    ThemeOutletCount,
    ThemeSpeakerCount,
    ThemeSpeakerOutletCount,
)
from app.queries.filters import StatementFilter

Dimension = Literal["speaker", "outlet", "theme", "about"]
_COLUMNS: dict[Dimension, str] = {
    "speaker": "speaker_id",
    "outlet": "outlet_id",
    "theme": "theme_id",
    "about": "entity_id",
}
_SLUGGED: dict[Dimension, type[Speaker] | type[Outlet] | type[Theme] | type[Entity]] = {
    "speaker": Speaker,
    "outlet": Outlet,
    "theme": Theme,
    "about": Entity,
}
# A statement has any number of these: a table keyed by one counts the statement once
# per theme (entity) it has.
_SEVERAL: frozenset[Dimension] = frozenset({"theme", "about"})
# Smallest first, as measured at 10,000 articles (docs/performance.md): the first table
# with every dimension a view needs answers it.
_TABLES = (
    OutletCount,
    ThemeCount,
    EntityCount,
    SpeakerCount,
    SpeakerOutletCount,
    ThemeOutletCount,
    ThemeSpeakerCount,
    EntityThemeCount,
    ThemeSpeakerOutletCount,
    EntitySpeakerOutletCount,
    EntityThemeOutletCount,
)
_DIMENSIONS = {
    model: frozenset(d for d, column in _COLUMNS.items() if column in model.DIMENSIONS)
    for model in _TABLES
}


@dataclass(frozen=True, slots=True)
class Rollup:
    """A count table narrowed to a view: its cells with something to count."""

    model: type[Any]
    grain: Grain
    measure: ColumnElement[int]
    conditions: tuple[ColumnElement[bool], ...]
    stories: ColumnElement[int] | None
    """The distinct stories (one story once), as an aggregate over the cells, or None
    when the cells cannot tell: a story is counted in one cell of each combination of
    the table's dimensions, so the sum is exact only over all days and when every
    dimension but the outlet (one per article) is grouped by or narrowed to one value."""
    outlet_stories: ColumnElement[int] | None
    """Each story once per outlet, counted by the outlet's first copy of it (when that
    copy has a statement in view), under the same conditions as `stories`: how an
    outlet's stories are counted when every copy's statements count."""

    def column(self, dimension: Dimension) -> ColumnElement[int]:
        return getattr(self.model, _COLUMNS[dimension])

    @property
    def day(self) -> ColumnElement[Any]:
        return self.model.day

    @property
    def count(self) -> ColumnElement[int]:
        """The statements counted, as an aggregate over the cells."""
        return func.sum(self.measure)

    def query(self, *columns: Any) -> Select:
        return select(*columns).select_from(self.model).where(*self.conditions)

    def last_day(self, dimension: Dimension, key: ColumnElement[int]) -> ColumnElement[date]:
        """The newest day in view of the `dimension` value `key` (a column of the outer
        query), from a day table: a correlated max that the (dimension, day) index
        answers by reading its last entries, where a coarse grain knows no day."""
        if self.grain != "day":
            raise ValueError(f"a {self.grain} table knows no days")
        # Its own scope for the cells, even under a query of the same table.
        return (
            select(func.max(self.day))
            .where(*self.conditions, self.column(dimension) == key)
            .correlate_except(self.model)
            .scalar_subquery()
        )


def rollup(
    filters: StatementFilter,
    *,
    every_copy: bool,
    by: Collection[Dimension] = (),
    skip: Dimension | None = None,
    grain: Grain = "day",
) -> Rollup | None:
    """The count table answering an aggregate grouped `by` these dimensions under
    `filters` (all but `skip`, as `app.queries.statements.filtered`), or None.

    `every_copy` counts syndicated copies as the statement lists do; otherwise one
    story counts once, as `app.queries.volume.counted`. `grain` is the finest day the
    caller reads from the cells: "day" when it compares or shows days, "month" when it
    groups by month or coarser, "all" when it reads no day at all; the table returned
    is the coarsest that answers (`coarsest`), so "day" is always correct.
    """
    if filters.q:
        return None
    narrowing = {d for d in _COLUMNS if getattr(filters, d) and d != skip}
    if any(len(getattr(filters, d)) > 1 for d in narrowing & _SEVERAL):
        return None
    if narrowing & set(by) & _SEVERAL:
        return None
    smallest = _smallest(narrowing | set(by))
    if smallest is None:
        return None
    chosen = coarsest(filters, needed=grain)
    model = COUNT_GRAINS[smallest][chosen]
    if every_copy:
        measure = model.n
    elif not filters.outlet:
        measure = model.n_first
    elif len(filters.outlet) == 1 and skip != "outlet":
        measure = model.n_outlet_first
    else:
        return None
    dimensions = _DIMENSIONS[smallest] - {"outlet"}
    single = {d for d in narrowing if len(getattr(filters, d)) == 1}
    exact = not (filters.date_from or filters.date_to) and dimensions <= set(by) | single
    stories = outlet_stories = None
    if exact:
        outlet_stories = func.sum(model.stories_outlet_first)
        # Counting every copy, a story counts once per outlet if any of its copies there
        # has a statement in view: not always the first copy, so not in the cells.
        if not every_copy:
            stories = outlet_stories if filters.outlet else func.sum(model.stories_first)
    conditions = [measure > 0]
    for dimension in sorted(narrowing):
        conditions.append(_narrowed(getattr(model, _COLUMNS[dimension]), dimension, filters))
    if filters.date_from:
        conditions.append(model.day >= filters.date_from)
    if filters.date_to:
        conditions.append(model.day <= filters.date_to)
    return Rollup(
        model=model,
        grain=chosen,
        measure=measure,
        conditions=tuple(conditions),
        stories=stories,
        outlet_stories=outlet_stories,
    )


def _narrowed(
    column: ColumnElement[int], dimension: Dimension, filters: StatementFilter
) -> ColumnElement[bool]:
    """`column` narrowed to the ids of the view's slugs for `dimension`.

    One slug is compared as one value (a scalar subquery, which the planner runs first
    and uses as a constant): as a semi-join it could not walk the (dimension, day) index
    in day order, and the first and last day of an outlet's theme in a year read all
    5,322 of the outlet's cells twice (14 ms at a million articles)."""
    named = _SLUGGED[dimension]
    slugs = getattr(filters, dimension)
    if len(slugs) == 1:
        return column == select(named.id).where(named.slug == slugs[0]).scalar_subquery()
    return column.in_(select(named.id).where(named.slug.in_(slugs)))


def coarsest(filters: StatementFilter, *, needed: Grain) -> Grain:
    """The coarsest grain whose cells give what a caller `needed` under the view's dates.

    All time only without date bounds: its cells have no day to compare. By month when
    the bounds (if any) are whole months: a month's cell is then wholly in view or out.
    """
    if needed == "day":
        return "day"
    if needed == "all" and not (filters.date_from or filters.date_to):
        return "all"
    if _starts_month(filters.date_from) and _ends_month(filters.date_to):
        return "month"
    return "day"


def _starts_month(day: date | None) -> bool:
    return day is None or day.day == 1


def _ends_month(day: date | None) -> bool:
    return day is None or (day + timedelta(days=1)).day == 1


def _smallest(needed: set[Dimension]) -> type[Any] | None:
    for model in _TABLES:
        dimensions = _DIMENSIONS[model]
        if needed <= dimensions and dimensions & _SEVERAL <= needed:
            return model
    return None
