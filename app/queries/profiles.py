"""The speaker, outlet and theme pages and their indexes: who, where and what, counted.

Each page's data comes from one function taking the page's slug and the view's
`StatementFilter`, so every entity page narrows by the same filters as the timeline.
Counts are statements with syndicated copies counted once (see `app.queries.volume`),
except where the question is which outlets carried something: there every copy counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Literal

from sqlalchemy import ColumnElement, Numeric, Select, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.db_side_by_side import side_by_side
from app.models import Article, Outlet, Speaker, SpeakerAlias, Statement, StatementTheme, Theme
from app.queries.filters import StatementFilter
from app.queries.rollups import Rollup, rollup
from app.queries.statements import CARD_LOADING, StatementPage, filtered, statement_page
from app.queries.volume import Volume, counted, share, starting, volume

RECENT = 8
MAX_NAME_SEARCH = 100


@dataclass(frozen=True, slots=True)
class Ranked:
    """One name in a ranking: its count, its share of the whole, and a baseline share."""

    slug: str
    name: str
    count: int
    share: float
    baseline: float | None = None


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One line of an index page."""

    slug: str
    name: str
    statements: int
    stories: int
    last_on: date | None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    statements: int
    stories: int
    first_on: date | None
    last_on: date | None


def _summary(session: Session, *, filters: StatementFilter) -> Summary:
    rolled = rollup(filters, every_copy=False)
    if rolled is None or rolled.stories is None:
        query = counted(
            filters,
            func.count(Statement.id),
            func.count(func.distinct(func.coalesce(Article.story_id, -Article.id))),
            func.min(Statement.stated_on),
            func.max(Statement.stated_on),
        )
    else:
        query = rolled.query(
            func.coalesce(rolled.count, 0),
            func.coalesce(rolled.stories, 0),
            func.min(rolled.day),
            func.max(rolled.day),
        )
    statements, stories, first_on, last_on = session.execute(query).one()
    return Summary(statements, stories, first_on, last_on)


def _top(session: Session, *, query: Select, limit: int) -> list[tuple[str, str, int]]:
    """The first `limit` rows of (slug, name, count), most first (ties by name)."""
    slug, name, n = query.selected_columns
    return [
        tuple(row) for row in session.execute(query.order_by(n.desc(), name, slug).limit(limit))
    ]


def _shares(rows: list[tuple[str, str, int]], total: int) -> list[Ranked]:
    """Rows of (slug, name, count) as shares of `total`: read beside the total, not after it."""
    return [Ranked(slug, name, n, share(n, total)) for slug, name, n in rows]


def _carriers(session: Session, *, filters: StatementFilter, limit: int) -> list[Ranked]:
    """The outlets carrying the view's statements, every copy counted, as shares of all
    copies: one query gives both the ranking and its total (outlets are few)."""
    rows = session.execute(_by_outlet_every_copy(filters)).all()
    total = sum(n for _, _, n in rows)
    top = sorted(rows, key=lambda row: (-row[2], row[1], row[0]))[:limit]
    return [Ranked(slug, name, n, share(n, total)) for slug, name, n in top]


def _by_speaker(filters: StatementFilter) -> Select:
    rolled = rollup(filters, every_copy=False, by=("speaker",), grain="all")
    if rolled is None:
        query = counted(filters, Speaker.slug, Speaker.name, func.count(Statement.id)).join(
            Speaker, Speaker.id == Statement.speaker_id
        )
    else:
        query = rolled.query(Speaker.slug, Speaker.name, rolled.count).join(
            Speaker, Speaker.id == rolled.column("speaker")
        )
    return query.group_by(Speaker.slug, Speaker.name)


def _by_theme(filters: StatementFilter) -> Select:
    rolled = rollup(filters, every_copy=False, by=("theme",), grain="all")
    if rolled is None:
        query = (
            counted(filters, Theme.slug, Theme.name, func.count(Statement.id))
            .join(StatementTheme, StatementTheme.statement_id == Statement.id)
            .join(Theme, Theme.id == StatementTheme.theme_id)
        )
    else:
        query = rolled.query(Theme.slug, Theme.name, rolled.count).join(
            Theme, Theme.id == rolled.column("theme")
        )
    return query.group_by(Theme.slug, Theme.name)


def _by_outlet_every_copy(filters: StatementFilter) -> Select:
    """Statements per outlet counting every copy: the question is who carried them."""
    rolled = rollup(filters, every_copy=True, by=("outlet",), grain="all")
    if rolled is None:
        query = filtered(
            select(Outlet.slug, Outlet.name, func.count(Statement.id))
            .select_from(Statement)
            .join(Outlet, Outlet.id == Statement.outlet_id),
            filters,
        )
    else:
        query = rolled.query(Outlet.slug, Outlet.name, rolled.count).join(
            Outlet, Outlet.id == rolled.column("outlet")
        )
    return query.group_by(Outlet.slug, Outlet.name)


def _index_rollup(
    filters: StatementFilter, *, every_copy: bool, dimension: Literal["speaker", "outlet"]
) -> tuple[Rollup, Rollup] | None:
    """The count tables answering an index page, if the cells can count its stories:
    the coarsest for the totals, the daily one for each row's last day."""
    totals = rollup(filters, every_copy=every_copy, by=(dimension,), skip=dimension, grain="all")
    daily = rollup(filters, every_copy=every_copy, by=(dimension,), skip=dimension)
    if totals is None or totals.stories is None or daily is None:
        return None
    return totals, daily


def _index(session: Session, query: Select) -> list[EntityRow]:
    return [
        EntityRow(slug, name, n, stories, last_on, detail)
        for slug, name, detail, n, stories, last_on in session.execute(query).all()
    ]


def _index_columns() -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[date]]:
    return (
        func.count(Statement.id).label("n"),
        func.count(func.distinct(func.coalesce(Article.story_id, -Article.id))),
        func.max(Statement.stated_on),
    )


# Speakers ---------------------------------------------------------------------------


def speaker_index(
    session: Session, *, filters: StatementFilter, name: str | None = None, limit: int = 500
) -> list[EntityRow]:
    """Speakers with statements in view, most quoted first; `name` searches names and aliases."""
    columns = (Speaker.slug, Speaker.name, func.coalesce(Speaker.organisation, ""))
    rolled = _index_rollup(filters, every_copy=False, dimension="speaker")
    if rolled is None:
        n, *rest = _index_columns()
        query = counted(filters, *columns, n, *rest, skip="speaker").join(
            Speaker, Speaker.id == Statement.speaker_id
        )
    else:
        totals, daily = rolled
        n, *rest = totals.count, totals.stories, daily.last_day("speaker", Speaker.id)
        query = totals.query(*columns, n, *rest).join(
            Speaker, Speaker.id == totals.column("speaker")
        )
    query = (
        query.group_by(Speaker.id, Speaker.slug, Speaker.name, Speaker.organisation)
        .order_by(n.desc(), Speaker.name, Speaker.slug)
        .limit(limit)
    )
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                Speaker.name.ilike(pattern),
                Speaker.id.in_(
                    select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias.ilike(pattern))
                ),
            )
        )
    return _index(session, query)


@dataclass(frozen=True, slots=True)
class SpeakerProfile:
    speaker: Speaker
    summary: Summary
    volume: Volume
    themes: list[Ranked]
    outlets: list[Ranked]
    recent: StatementPage


def speaker_profile(
    session: Session, *, slug: str, filters: StatementFilter
) -> SpeakerProfile | None:
    """A speaker's page: over time by theme, their themes, the outlets carrying them."""
    speaker = session.execute(select(Speaker).where(Speaker.slug == slug)).scalar_one_or_none()
    if speaker is None:
        return None
    scope = filters.narrowing().with_replaced("speaker", slug)
    # The recent statements first: ORM objects load on the page's own session.
    reads = side_by_side(
        session,
        {
            "recent": partial(statement_page, filters=scope, page_size=RECENT),
            "summary": partial(_summary, filters=scope),
            "volume": partial(volume, filters=scope, group="theme"),
            "themes": partial(_top, query=_by_theme(scope), limit=10),
            "outlets": partial(_carriers, filters=scope, limit=10),
        },
    )
    return SpeakerProfile(
        speaker=speaker,
        summary=reads["summary"],
        volume=reads["volume"],
        themes=_shares(reads["themes"], reads["summary"].statements),
        outlets=reads["outlets"],
        recent=reads["recent"],
    )


# Outlets ----------------------------------------------------------------------------


def outlet_index(session: Session, *, filters: StatementFilter) -> list[EntityRow]:
    """Outlets with statements in view, most statements first (every copy counts).

    A story counts once per outlet, by the outlet's first copy of it (smallest id) when
    that copy has a statement in view: how the count tables keep an outlet's stories
    (`stories_outlet_first`), so the list is read from them whenever no date narrows it.
    """
    columns = (Outlet.slug, Outlet.name, func.coalesce(Outlet.domain, ""))
    totals = rollup(filters, every_copy=True, by=("outlet",), skip="outlet", grain="all")
    daily = rollup(filters, every_copy=True, by=("outlet",), skip="outlet")
    if totals is None or totals.outlet_stories is None or daily is None:
        earlier = aliased(Article)
        outlet_first = ~exists().where(
            earlier.story_id == Article.story_id,
            earlier.id < Article.id,
            earlier.outlet_id == Article.outlet_id,
        )
        n = func.count(Statement.id).label("n")
        stories = func.count(func.distinct(Article.id)).filter(outlet_first)
        query = filtered(
            select(*columns, n, stories, func.max(Statement.stated_on))
            .select_from(Statement)
            .join(Article, Article.id == Statement.article_id)
            .join(Outlet, Outlet.id == Article.outlet_id),
            filters,
            skip="outlet",
        )
    else:
        n = totals.count
        stories = totals.outlet_stories
        query = totals.query(*columns, n, stories, daily.last_day("outlet", Outlet.id)).join(
            Outlet, Outlet.id == totals.column("outlet")
        )
    query = query.group_by(Outlet.id, Outlet.slug, Outlet.name, Outlet.domain).order_by(
        n.desc(), Outlet.name, Outlet.slug
    )
    return _index(session, query)


@dataclass(frozen=True, slots=True)
class OutletProfile:
    outlet: Outlet
    summary: Summary
    outlets_compared: int
    volume: Volume
    speakers: list[Ranked]
    themes: list[Ranked]
    recent: StatementPage


def _shares_beside_average(
    session: Session, *, filters: StatementFilter, outlet_id: int, group: str, limit: int
) -> tuple[list[Ranked], int]:
    """This outlet's share per speaker (or theme), beside the mean share over all outlets.

    Every outlet with statements in view weighs the same in the average, so a big wire
    service does not set the norm alone. Returns the rows and how many outlets compared.
    """
    named = Speaker if group == "speaker" else Theme
    totals = dict(session.execute(_outlet_totals(filters)).all())
    compared = len(totals)
    total_here = totals.get(outlet_id, 0)
    cells = _by_outlet_and(filters, named).subquery()
    # The outlet's leaders first, then the average for those alone: averaging every
    # name over every outlet before ranking summed 13,866 cells for 12 rows.
    leaders = session.execute(
        select(cells.c.key, named.slug, named.name, cells.c.n)
        .join(named, named.id == cells.c.key)
        .where(cells.c.outlet_id == outlet_id, cells.c.n > 0)
        .order_by(cells.c.n.desc(), named.name, named.slug)
        .limit(limit)
    ).all()
    if not leaders:
        return [], compared
    # The shares are summed in the database, as exact decimals: the same sum in any
    # order, so the counts and the live query agree to the last digit.
    outlets = _outlet_totals(filters).subquery()
    share_sums = dict(
        session.execute(
            select(cells.c.key, func.sum(cast(cells.c.n, Numeric) / outlets.c.n))
            .join(outlets, outlets.c.outlet_id == cells.c.outlet_id)
            .where(cells.c.key.in_([key for key, *_ in leaders]))
            .group_by(cells.c.key)
        ).all()
    )
    return [
        Ranked(
            slug,
            name,
            int(n),  # a sum of bigints, a Decimal
            share(int(n), total_here),
            float(share_sums[key]) / compared if compared else None,
        )
        for key, slug, name, n in leaders
    ], compared


def _by_outlet_and(filters: StatementFilter, named: type[Speaker] | type[Theme]) -> Select:
    """(outlet_id, key, n): statements per outlet and speaker (or theme) id, every copy,
    under every filter but the outlet; the key is None for statements without a speaker
    (or theme). Named by the caller: grouping by ids is a third quicker."""
    group: Literal["speaker", "theme"] = "speaker" if named is Speaker else "theme"
    rolled = rollup(filters, every_copy=True, by=("outlet", group), skip="outlet", grain="all")
    if rolled is None:
        outlet_id = Article.outlet_id
        query = select(Article.outlet_id).join_from(
            Statement, Article, Article.id == Statement.article_id
        )
        if named is Speaker:
            key = Statement.speaker_id
        else:
            query = query.join(StatementTheme, StatementTheme.statement_id == Statement.id)
            key = StatementTheme.theme_id
        query = filtered(
            query.add_columns(key.label("key"), func.count(Statement.id).label("n")),
            filters,
            skip="outlet",
        )
    else:
        outlet_id, key = rolled.column("outlet"), rolled.column(group)
        query = rolled.query(outlet_id, key.label("key"), rolled.count.label("n"))
    return query.where(outlet_id.is_not(None)).group_by(outlet_id, key)


def _outlet_totals(filters: StatementFilter) -> Select:
    """(outlet id, statements) per outlet, every copy, under every filter but the outlet."""
    rolled = rollup(filters, every_copy=True, by=("outlet",), skip="outlet", grain="all")
    if rolled is None:
        outlet_id = Article.outlet_id
        query = filtered(
            select(outlet_id, func.count(Statement.id).label("n"))
            .select_from(Statement)
            .join(Article, Article.id == Statement.article_id),
            filters,
            skip="outlet",
        )
    else:
        outlet_id = rolled.column("outlet")
        query = rolled.query(outlet_id, rolled.count.label("n"))
    return query.where(outlet_id.is_not(None)).group_by(outlet_id)


def outlet_profile(
    session: Session, *, slug: str, filters: StatementFilter
) -> OutletProfile | None:
    """An outlet's page: whom it quotes and what it covers, beside the average outlet."""
    outlet = session.execute(select(Outlet).where(Outlet.slug == slug)).scalar_one_or_none()
    if outlet is None:
        return None
    view = filters.narrowing()
    scope = view.with_replaced("outlet", slug)
    beside = partial(_shares_beside_average, filters=view, outlet_id=outlet.id, limit=12)
    # The recent statements first: ORM objects load on the page's own session.
    reads = side_by_side(
        session,
        {
            "recent": partial(statement_page, filters=scope, page_size=RECENT),
            "speakers": partial(beside, group="speaker"),
            "themes": partial(beside, group="theme"),
            "volume": partial(volume, filters=scope, group="speaker"),
            "summary": partial(_summary, filters=scope),
        },
    )
    speakers, compared = reads["speakers"]
    themes, _ = reads["themes"]
    return OutletProfile(
        outlet=outlet,
        summary=reads["summary"],
        outlets_compared=compared,
        volume=reads["volume"],
        speakers=speakers,
        themes=themes,
        recent=reads["recent"],
    )


# Themes -----------------------------------------------------------------------------

HEATMAP_MONTHS = 36


@dataclass(frozen=True, slots=True)
class ThemeRow:
    slug: str
    name: str
    description: str
    statements: int
    months_active: int
    last_on: date | None
    by_month: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ThemeIndex:
    months: list[date]
    rows: list[ThemeRow]
    truncated: bool


def theme_index(session: Session, *, filters: StatementFilter) -> ThemeIndex:
    """Every theme with statements in view, and its statements month by month.

    The grid covers the newest HEATMAP_MONTHS months of the view; `months_active` counts
    the months (in the whole view) with at least one statement: how often a theme recurs.
    """
    rows = session.execute(_by_theme_and_month(filters)).all()
    last = dict(session.execute(_last_days_by_theme(filters)).all())
    dated = sorted({m for *_, m, _ in rows if m is not None})
    months: list[date] = []
    if dated:
        current = dated[-1]
        while len(months) < HEATMAP_MONTHS and current >= dated[0]:
            months.insert(0, current)
            current = (current - timedelta(days=1)).replace(day=1)
    position = {m: i for i, m in enumerate(months)}
    info: dict[str, tuple[str, str]] = {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    totals: dict[str, int] = defaultdict(int)
    active: dict[str, int] = defaultdict(int)
    for slug, name, description, m, n in rows:
        info[slug] = (name, description)
        totals[slug] += n
        if m is not None:
            active[slug] += 1
            if m in position:
                counts[slug][position[m]] += n
    ordered = sorted(info, key=lambda slug: (-active[slug], -totals[slug], info[slug][0]))
    return ThemeIndex(
        months=months,
        rows=[
            ThemeRow(
                slug,
                info[slug][0],
                info[slug][1],
                totals[slug],
                active[slug],
                last.get(slug),
                tuple(counts[slug]),
            )
            for slug in ordered
        ],
        truncated=bool(months) and months[0] > dated[0],
    )


def _by_theme_and_month(filters: StatementFilter) -> Select:
    """(slug, name, description, month, statements) per theme and month, one story
    once, under every filter but the theme; month None for undated statements."""
    columns = (Theme.slug, Theme.name, Theme.description)
    rolled = rollup(filters, every_copy=False, by=("theme",), skip="theme", grain="month")
    if rolled is None:
        month = starting("month", Statement.stated_on)
        query = (
            counted(filters, *columns, month, func.count(Statement.id), skip="theme")
            .join(StatementTheme, StatementTheme.statement_id == Statement.id)
            .join(Theme, Theme.id == StatementTheme.theme_id)
        )
    else:
        month = starting("month", rolled.day)
        query = rolled.query(*columns, month, rolled.count).join(
            Theme, Theme.id == rolled.column("theme")
        )
    return query.group_by(*columns, month)


def _last_days_by_theme(filters: StatementFilter) -> Select:
    """(slug, newest day) per theme in view, under every filter but the theme: apart
    from the months, whose cells know no day."""
    rolled = rollup(filters, every_copy=False, by=("theme",), skip="theme")
    if rolled is None:
        return (
            counted(filters, Theme.slug, func.max(Statement.stated_on), skip="theme")
            .join(StatementTheme, StatementTheme.statement_id == Statement.id)
            .join(Theme, Theme.id == StatementTheme.theme_id)
            .group_by(Theme.slug)
        )
    return select(Theme.slug, rolled.last_day("theme", Theme.id))


@dataclass(frozen=True, slots=True)
class ThemeProfile:
    theme: Theme
    summary: Summary
    volume: Volume
    speakers: list[Ranked]
    outlets: list[Ranked]
    representative: list[Statement]


def theme_profile(session: Session, *, slug: str, filters: StatementFilter) -> ThemeProfile | None:
    """A theme's page: its trend by speaker, its top speakers and outlets, and the
    statements that carry it most clearly (highest theme score, one per story, at most
    two per speaker)."""
    theme = session.execute(select(Theme).where(Theme.slug == slug)).scalar_one_or_none()
    if theme is None:
        return None
    scope = filters.narrowing().with_replaced("theme", slug)
    # The representative statements first: ORM objects load on the page's own session.
    reads = side_by_side(
        session,
        {
            "representative": partial(_representative, filters=scope, theme_id=theme.id),
            "volume": partial(volume, filters=scope, group="speaker"),
            "speakers": partial(_top, query=_by_speaker(scope), limit=10),
            "outlets": partial(_carriers, filters=scope, limit=10),
            "summary": partial(_summary, filters=scope),
        },
    )
    return ThemeProfile(
        theme=theme,
        summary=reads["summary"],
        volume=reads["volume"],
        speakers=_shares(reads["speakers"], reads["summary"].statements),
        outlets=reads["outlets"],
        representative=reads["representative"],
    )


def _representative(
    session: Session, *, filters: StatementFilter, theme_id: int, limit: int = 6
) -> list[Statement]:
    # In ix_statement_themes_ranked's order (ties: newest stored first), so the query
    # reads the theme's first entries and stops, however many statements carry it. The
    # join stands for the theme filter, which is skipped: it would read them all.
    candidates = session.execute(
        counted(filters, Statement, skip="theme")
        .join(StatementTheme, StatementTheme.statement_id == Statement.id)
        .where(StatementTheme.theme_id == theme_id)
        .order_by(StatementTheme.score.desc(), StatementTheme.statement_id.desc())
        .limit(limit * 10)
        .options(*CARD_LOADING)
    ).scalars()
    chosen: list[Statement] = []
    stories: set[int] = set()
    per_speaker: dict[int | None, int] = defaultdict(int)
    for statement in candidates:
        story = statement.article.story_id or -statement.article_id
        if story in stories or per_speaker[statement.speaker_id] >= 2:
            continue
        stories.add(story)
        per_speaker[statement.speaker_id] += 1
        chosen.append(statement)
        if len(chosen) == limit:
            break
    # Shown newest first under day headings, as everywhere else.
    return sorted(chosen, key=lambda s: (s.stated_on or date.min, s.id), reverse=True)
