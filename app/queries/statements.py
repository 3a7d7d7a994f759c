"""The statements timeline: one page of statements and the facet counts beside it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

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
from app.queries.filters import StatementFilter


@dataclass(frozen=True, slots=True)
class Facet:
    slug: str
    name: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class StatementPage:
    statements: list[Statement]
    total: int
    page: int
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _filtered(query: Select, filters: StatementFilter, *, skip: str | None = None) -> Select:
    """Apply every filter but `skip` (facets count as if their own filter were off)."""
    if filters.speaker and skip != "speaker":
        query = query.where(
            Statement.speaker_id.in_(select(Speaker.id).where(Speaker.slug.in_(filters.speaker)))
        )
    if filters.outlet and skip != "outlet":
        query = query.where(
            Statement.article_id.in_(
                select(Article.id)
                .join(Outlet, Article.outlet_id == Outlet.id)
                .where(Outlet.slug.in_(filters.outlet))
            )
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
    if filters.q:
        query = query.where(Statement.search.op("@@")(search_query(filters)))
    return query


def search_query(filters: StatementFilter) -> ColumnElement:
    """The tsquery of the filter's search words, as analysts type them (`"phrase" -word`)."""
    return func.websearch_to_tsquery("english", filters.q)


def ordered(query: Select, filters: StatementFilter) -> Select:
    """`query` in the filter's order; ties fall back to newest first, then by id, so the
    order is total and pages never overlap."""
    match filters.effective_sort:
        case "relevance":
            rank = func.ts_rank_cd(Statement.search, search_query(filters))
            return query.order_by(
                rank.desc(), Statement.stated_on.desc().nulls_last(), Statement.id.desc()
            )
        case "oldest":
            return query.order_by(Statement.stated_on.asc().nulls_last(), Statement.id.asc())
        case _:
            return query.order_by(Statement.stated_on.desc().nulls_last(), Statement.id.desc())


def statement_page(session: Session, *, filters: StatementFilter, page_size: int) -> StatementPage:
    """The statements matching `filters` in the filter's order, one page of them."""
    total = session.execute(_filtered(select(func.count(Statement.id)), filters)).scalar_one()
    rows = session.execute(
        ordered(_filtered(select(Statement), filters), filters)
        .options(
            joinedload(Statement.speaker),
            joinedload(Statement.article).joinedload(Article.outlet),
            selectinload(Statement.themes).joinedload(StatementTheme.theme),
            selectinload(Statement.entity_links).joinedload(StatementEntity.entity),
        )
        .limit(page_size)
        .offset((filters.page - 1) * page_size)
    )
    return StatementPage(
        statements=list(rows.scalars().unique()),
        total=total,
        page=filters.page,
        page_size=page_size,
    )


def speaker_facets(session: Session, *, filters: StatementFilter, limit: int = 30) -> list[Facet]:
    """Speakers with their statement counts under every filter but the speaker one.

    Selected speakers are always listed, even past `limit` or with no statements left.
    """
    counted = (
        _filtered(
            select(Speaker.slug, Speaker.name, func.count(Statement.id).label("n")).join(
                Statement, Statement.speaker_id == Speaker.id
            ),
            filters,
            skip="speaker",
        )
        .group_by(Speaker.slug, Speaker.name)
        .order_by(func.count(Statement.id).desc(), Speaker.name)
    )
    return _facets(session, counted, limit, filters.speaker, Speaker)


def outlet_facets(session: Session, *, filters: StatementFilter, limit: int = 30) -> list[Facet]:
    counted = (
        _filtered(
            select(Outlet.slug, Outlet.name, func.count(Statement.id).label("n"))
            .join(Article, Article.outlet_id == Outlet.id)
            .join(Statement, Statement.article_id == Article.id),
            filters,
            skip="outlet",
        )
        .group_by(Outlet.slug, Outlet.name)
        .order_by(func.count(Statement.id).desc(), Outlet.name)
    )
    return _facets(session, counted, limit, filters.outlet, Outlet)


def theme_facets(session: Session, *, filters: StatementFilter, limit: int = 30) -> list[Facet]:
    counted = (
        _filtered(
            select(Theme.slug, Theme.name, func.count(Statement.id).label("n"))
            .join(StatementTheme, StatementTheme.theme_id == Theme.id)
            .join(Statement, Statement.id == StatementTheme.statement_id),
            filters,
            skip="theme",
        )
        .group_by(Theme.slug, Theme.name)
        .order_by(func.count(Statement.id).desc(), Theme.name)
    )
    return _facets(session, counted, limit, filters.theme, Theme)


def _facets(
    session: Session,
    counted: Select,
    limit: int,
    selected: tuple[str, ...],
    model: type[Speaker] | type[Outlet] | type[Theme],
) -> list[Facet]:
    rows = session.execute(counted).all()
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
    """Sentences naming speakers, outlets and entities in the filter that do not exist."""
    messages = []
    for key, model in (("speaker", Speaker), ("outlet", Outlet), ("about", Entity)):
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
