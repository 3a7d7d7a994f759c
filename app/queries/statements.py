"""The statements timeline: one page of statements and the facet counts beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    cast,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, defer, selectinload

from app.models import (
    Article,
    Entity,
    Outlet,
    Speaker,
    Statement,
    StatementEntity,
    StatementTheme,
    Theme,
)
from app.queries.filters import Cursor, StatementFilter, describe
from app.queries.rollups import rollup


@dataclass(frozen=True, slots=True)
class Facet:
    slug: str
    name: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class StatementPage:
    """One page of a view: where the next starts is a keyset cursor (newest first) or a
    page number (other orders); see `statement_page`."""

    statements: list[Statement]
    total: int
    first_number: int
    next_cursor: Cursor | None
    next_page: int | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None or self.next_page is not None

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.statements) - 1

    @property
    def is_first(self) -> bool:
        return self.first_number == 1


def filtered(query: Select, filters: StatementFilter, *, skip: str | None = None) -> Select:
    """Apply every filter but `skip` (facets count as if their own filter were off).

    Every read query of a view goes through here, so pages, charts and exports agree;
    statements an editor rejected are left out of all of them. A search whose matches a
    window has read (`filters.within`, `app.queries.windows`) takes them by id.
    """
    query = query.where(Statement.review != "rejected")
    if filters.speaker and skip != "speaker":
        query = query.where(
            Statement.speaker_id.in_(select(Speaker.id).where(Speaker.slug.in_(filters.speaker)))
        )
    if filters.outlet and skip != "outlet":
        query = query.where(
            Statement.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(filters.outlet)))
        )
    if filters.theme and skip != "theme":
        query = query.where(
            Statement.id.in_(
                select(StatementTheme.statement_id)
                .join(Theme, StatementTheme.theme_id == Theme.id)
                .where(Theme.slug.in_(filters.theme))
            )
        )
    if filters.about and skip != "about":
        query = query.where(
            Statement.id.in_(
                select(StatementEntity.statement_id)
                .join(Entity, StatementEntity.entity_id == Entity.id)
                .where(Entity.slug.in_(filters.about))
            )
        )
    if filters.date_from:
        query = query.where(Statement.stated_on >= filters.date_from)
    if filters.date_to:
        query = query.where(Statement.stated_on <= filters.date_to)
    if filters.within is not None:
        query = query.where(Statement.id == any_(id_array(filters.within)))
    elif filters.q:
        query = query.where(Statement.search.op("@@")(search_query(filters)))
    return query


def id_array(ids: tuple[int, ...]) -> ColumnElement:
    """`ids` as one Postgres integer array parameter, sent as its text: psycopg's list
    adapter took a few milliseconds per thousand ids, in every query of a page."""
    return cast(literal("{" + ",".join(map(str, ids)) + "}"), ARRAY(Integer))


def search_query(filters: StatementFilter) -> ColumnElement:
    """The tsquery of the filter's search words, as analysts type them (`"phrase" -word`)."""
    return func.websearch_to_tsquery("english", filters.q)


def older_than(cursor: Cursor) -> ColumnElement[bool]:
    """Statements after `cursor` in timeline order (date descending, undated last, then id)."""
    if cursor.stated_on is None:
        return and_(Statement.stated_on.is_(None), Statement.id < cursor.id)
    return or_(
        tuple_(Statement.stated_on, Statement.id) < tuple_(cursor.stated_on, cursor.id),
        Statement.stated_on.is_(None),
    )


TIMELINE_ORDER = (Statement.stated_on.desc().nulls_last(), Statement.id.desc())


def ordered(query: Select, filters: StatementFilter) -> Select:
    """`query` in the filter's order; ties fall back to newest first, then by id, so the
    order is total and pages never overlap."""
    match filters.effective_sort:
        case "relevance":
            rank = func.ts_rank_cd(Statement.search, search_query(filters))
            return query.order_by(rank.desc(), *TIMELINE_ORDER)
        case "oldest":
            return query.order_by(Statement.stated_on.asc().nulls_last(), Statement.id.asc())
        case _:
            return query.order_by(*TIMELINE_ORDER)


CARD_LOADING = (
    selectinload(Statement.speaker).options(defer(Speaker.roles)),
    selectinload(Statement.article)
    .options(defer(Article.body))
    .joinedload(Article.outlet)
    .options(defer(Outlet.domains), defer(Outlet.aliases)),
    selectinload(Statement.themes).joinedload(StatementTheme.theme).options(defer(Theme.phrases)),
    selectinload(Statement.entity_links).joinedload(StatementEntity.entity),
)
"""What a statement card shows, loaded with the statements: without it every card ran
its own queries for its speaker, article, outlet, themes and entities. The article's
text and the registry's lists (roles, domains, aliases, phrases) stay behind: each
joined row would carry kilobytes of body, or its JSON again, to be decoded for nothing.
The speaker and the article come by id after the page's statements are chosen, not
joined to them: joined, a speaker's 13,152 statements at 100,000 articles were each
joined to its article, outlet and speaker before the newest 51 were kept (158 ms)."""


def statement_page(session: Session, *, filters: StatementFilter, page_size: int) -> StatementPage:
    """The statements matching `filters` in the filter's order, one page of them.

    Newest first (the timeline's order) pages by keyset from `filters.before`: a page's
    address names the last statement seen, not an offset, so statements stored meanwhile
    never shift or repeat what an "Older" link shows. Past a dated cursor the dated
    statements come first and the undated after them, in two queries: a plain row
    comparison lets ix_statements_timeline start at the cursor, where an OR would make
    it read every newer entry first. The other orders page by number (`filters.page`).
    """
    query = filtered(select(Statement), filters).options(*CARD_LOADING)
    wanted = page_size + 1
    if filters.effective_sort != "newest":
        skipped = (filters.page - 1) * page_size
        if filters.q:
            total, rows = _ranked_matches(session, filters, skip=skipped, take=wanted)
        else:
            total = session.execute(_total(filters)).scalar_one()
            rows = _fetch(session, ordered(query, filters).limit(wanted).offset(skipped))
        return StatementPage(
            statements=rows[:page_size],
            total=total,
            first_number=skipped + 1,
            next_cursor=None,
            next_page=filters.page + 1 if len(rows) > page_size else None,
        )
    total = session.execute(_total(filters)).scalar_one()
    cursor = filters.before
    if filters.outlet and (cursor is None or cursor.stated_on is not None):
        since = _days_holding(session, filters, wanted=wanted, before=cursor)
        if since is not None:
            query = query.where(Statement.stated_on >= since)
    if cursor is None:
        rows = _fetch(session, query.order_by(*TIMELINE_ORDER).limit(wanted))
    elif cursor.stated_on is None:
        rows = _fetch(
            session, query.where(older_than(cursor)).order_by(*TIMELINE_ORDER).limit(wanted)
        )
    else:
        position = tuple_(Statement.stated_on, Statement.id) < tuple_(cursor.stated_on, cursor.id)
        rows = _fetch(session, query.where(position).order_by(*TIMELINE_ORDER).limit(wanted))
        if len(rows) < wanted:
            undated = query.where(Statement.stated_on.is_(None)).order_by(Statement.id.desc())
            rows += _fetch(session, undated.limit(wanted - len(rows)))
    remaining = _remaining(session, filters, cursor) if cursor else total
    shown = rows[:page_size]
    last = shown[-1] if shown else None
    return StatementPage(
        statements=shown,
        total=total,
        first_number=total - remaining + 1,
        next_cursor=Cursor(stated_on=last.stated_on, id=last.id)
        if last and len(rows) > page_size
        else None,
    )


def _days_holding(
    session: Session, filters: StatementFilter, *, wanted: int, before: Cursor | None
) -> date | None:
    """The newest day from which the view holds at least `wanted` statements (up to the
    day before `before`'s), from the counts by day; None when no table answers the view
    or it holds fewer.

    A view of one outlet reads its statements newest first by `ix_statements_outlet_timeline`
    and checks each against the view's other filters: bounded by these days, it reads
    only the days of the page instead of walking back until a rare theme has filled it.
    """
    rolled = rollup(filters, every_copy=True)
    if rolled is None:
        return None
    per_day = rolled.query(
        rolled.day.label("day"),
        func.sum(rolled.count).over(order_by=rolled.day.desc()).label("back"),
    ).where(rolled.day.is_not(None))
    if before is not None and before.stated_on is not None:
        per_day = per_day.where(rolled.day < before.stated_on)
    days = per_day.group_by(rolled.day).subquery()
    return session.execute(
        select(days.c.day).where(days.c.back >= wanted).order_by(days.c.day.desc()).limit(1)
    ).scalar()


def _ranked_matches(
    session: Session, filters: StatementFilter, *, skip: int, take: int
) -> tuple[int, list[Statement]]:
    """How many statements match the search, and `take` of them after `skip` in the
    view's order, from one pass over the matches: each match costs a recheck of its
    search vector, the bulk of a search's time, so counting and ordering share it."""
    numbered = session.execute(
        ordered(filtered(select(Statement.id, func.count().over()), filters), filters)
        .limit(take)
        .offset(skip)
    ).all()
    if not numbered:
        total = session.execute(_total(filters)).scalar_one() if skip else 0
        return total, []
    loaded = {
        statement.id: statement
        for statement in _fetch(
            session,
            select(Statement)
            .where(Statement.id.in_([statement_id for statement_id, _ in numbered]))
            .options(*CARD_LOADING),
        )
    }
    # A statement merged away between the two reads is left out, not an error.
    return numbered[0][1], [loaded[i] for i, _ in numbered if i in loaded]


def _total(filters: StatementFilter) -> Select:
    """How many statements the view lists, every copy counted."""
    rolled = rollup(filters, every_copy=True, grain="all")
    if rolled is None:
        return filtered(select(func.count(Statement.id)), filters)
    return rolled.query(func.coalesce(rolled.count, 0))


def _remaining(session: Session, filters: StatementFilter, cursor: Cursor) -> int:
    """How many statements of the view come after `cursor`, for the position shown.

    The days before the cursor's and the undated statements are read from the counts
    when a table answers the view; only the cursor's own day is counted live.
    """
    rolled = rollup(filters, every_copy=True)
    live = filtered(select(func.count(Statement.id)), filters)
    if rolled is None or cursor.stated_on is None:
        return session.execute(live.where(older_than(cursor))).scalar_one()
    earlier = rolled.query(func.coalesce(rolled.count, 0)).where(
        or_(rolled.day < cursor.stated_on, rolled.day.is_(None))
    )
    same_day = live.where(Statement.stated_on == cursor.stated_on, Statement.id < cursor.id)
    return session.execute(earlier).scalar_one() + session.execute(same_day).scalar_one()


def _fetch(session: Session, query: Select) -> list[Statement]:
    return list(session.execute(query).scalars().unique())


def speaker_facets(session: Session, *, filters: StatementFilter, limit: int = 30) -> list[Facet]:
    """Speakers with their statement counts under every filter but the speaker one.

    Selected speakers are always listed, even past `limit` or with no statements left.
    """
    counted = _rolled_up(filters, "speaker", Speaker)
    if counted is None:
        counted = filtered(
            select(Speaker.slug, Speaker.name, func.count(Statement.id)).join(
                Statement, Statement.speaker_id == Speaker.id
            ),
            filters,
            skip="speaker",
        ).group_by(Speaker.slug, Speaker.name)
    return _facets(session, counted, limit, filters.speaker, Speaker)


def outlet_facets(session: Session, *, filters: StatementFilter, limit: int = 30) -> list[Facet]:
    counted = _rolled_up(filters, "outlet", Outlet)
    if counted is None:
        counted = filtered(
            select(Outlet.slug, Outlet.name, func.count(Statement.id)).join(
                Statement, Statement.outlet_id == Outlet.id
            ),
            filters,
            skip="outlet",
        ).group_by(Outlet.slug, Outlet.name)
    return _facets(session, counted, limit, filters.outlet, Outlet)


def theme_facets(session: Session, *, filters: StatementFilter, limit: int = 30) -> list[Facet]:
    counted = _rolled_up(filters, "theme", Theme)
    if counted is None:
        counted = filtered(
            select(Theme.slug, Theme.name, func.count(Statement.id))
            .join(StatementTheme, StatementTheme.theme_id == Theme.id)
            .join(Statement, Statement.id == StatementTheme.statement_id),
            filters,
            skip="theme",
        ).group_by(Theme.slug, Theme.name)
    return _facets(session, counted, limit, filters.theme, Theme)


def _rolled_up(
    filters: StatementFilter,
    key: Literal["speaker", "outlet", "theme"],
    model: type[Speaker] | type[Outlet] | type[Theme],
) -> Select | None:
    """The facet's (slug, name, count) from a count table, when one answers the view:
    summed by id, then named, which is a third quicker than grouping by name."""
    rolled = rollup(filters, every_copy=True, by=(key,), skip=key, grain="all")
    if rolled is None:
        return None
    column = rolled.column(key)
    sums = rolled.query(column.label("key"), rolled.count.label("n")).group_by(column).subquery()
    return select(model.slug, model.name, sums.c.n).join(model, model.id == sums.c.key)


def _facets(
    session: Session,
    counted: Select,
    limit: int,
    selected: tuple[str, ...],
    model: type[Speaker] | type[Outlet] | type[Theme],
) -> list[Facet]:
    """List `counted`'s (slug, name, count) rows most first, ties by name."""
    n = list(counted.selected_columns)[2]
    rows = session.execute(counted.order_by(n.desc(), model.name, model.slug)).all()
    facets = [
        Facet(slug=slug, name=name, count=n, selected=slug in selected)
        for slug, name, n in rows[:limit]
    ]
    listed = {facet.slug for facet in facets}
    counts = {slug: n for slug, _, n in rows}
    missing = [slug for slug in selected if slug not in listed]
    if missing:
        names = dict(
            session.execute(select(model.slug, model.name).where(model.slug.in_(missing))).all()
        )
        facets.extend(
            Facet(slug=slug, name=names[slug], count=counts.get(slug, 0), selected=True)
            for slug in missing
            if slug in names
        )
    return facets


def unknown_slugs(session: Session, *, filters: StatementFilter) -> list[str]:
    """Sentences naming speakers, outlets, themes and entities in the filter that do not
    exist."""
    messages = []
    keys = (("speaker", Speaker), ("outlet", Outlet), ("theme", Theme), ("about", Entity))
    for key, model in keys:
        wanted = getattr(filters, key)
        if not wanted:
            continue
        found = set(session.execute(select(model.slug).where(model.slug.in_(wanted))).scalars())
        noun = "entity" if key == "about" else key
        messages.extend(
            f"No {noun} is known as “{slug}”: it matches nothing."
            for slug in wanted
            if slug not in found
        )
    return messages


@dataclass(frozen=True, slots=True)
class FilterNames:
    """Display names for the slugs a filter mentions."""

    speakers: dict[str, str]
    outlets: dict[str, str]
    themes: dict[str, str]
    entities: dict[str, str]  # as a sentence names them: "the EU"

    def describe(self, filters: StatementFilter) -> str:
        """The view in words, every slug by its name: page, feed and export titles."""
        return describe(
            filters,
            speakers=self.speakers,
            outlets=self.outlets,
            themes=self.themes,
            entities=self.entities,
        )


def filter_names(session: Session, *, filters: StatementFilter) -> FilterNames:
    def lookup(
        model: type[Speaker] | type[Outlet] | type[Theme], slugs: tuple[str, ...]
    ) -> dict[str, str]:
        if not slugs:
            return {}
        rows = session.execute(select(model.slug, model.name).where(model.slug.in_(slugs)))
        return dict(rows.all())

    return FilterNames(
        speakers=lookup(Speaker, filters.speaker),
        outlets=lookup(Outlet, filters.outlet),
        themes=lookup(Theme, filters.theme),
        entities=dict(
            session.execute(
                select(Entity.slug, Entity.prose).where(Entity.slug.in_(filters.about))
            ).all()
        )
        if filters.about
        else {},
    )
