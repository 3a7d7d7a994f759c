"""What statements are about: entities counted under a filter.

`entities_mentioned` answers "who and what does this view talk about" (a speaker's page
shows it for the speaker's statements); `about_facets` is the About facet of the
timeline, counted as if the `about` filter were off, like the other facets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.models import Entity, Statement, StatementEntity
from app.queries.filters import StatementFilter
from app.queries.rollups import rollup
from app.queries.statements import Facet, filtered


@dataclass(frozen=True, slots=True)
class EntityCount:
    slug: str
    name: str
    kind: str  # country | organisation | person
    count: int  # statements about it


def _counted(filters: StatementFilter, *, skip: Literal["about"] | None = None) -> Select:
    """(slug, name, kind, statements) per entity, most first: from a count table when
    one answers the view (`app.queries.rollups`), else from the statements."""
    rolled = rollup(filters, every_copy=True, by=("about",), skip=skip, grain="all")
    if rolled is None:
        count = func.count(StatementEntity.statement_id)
        query = filtered(
            select(Entity.slug, Entity.name, Entity.kind, count)
            .join(StatementEntity, StatementEntity.entity_id == Entity.id)
            .join(Statement, Statement.id == StatementEntity.statement_id),
            filters,
            skip=skip,
        )
    else:
        count = rolled.count
        query = rolled.query(Entity.slug, Entity.name, Entity.kind, count).join(
            Entity, Entity.id == rolled.column("about")
        )
    return query.group_by(Entity.id).order_by(count.desc(), Entity.name, Entity.slug)


def entities_mentioned(
    session: Session, *, filters: StatementFilter, limit: int = 20
) -> list[EntityCount]:
    """The entities the statements matching `filters` are about, most statements first."""
    rows = session.execute(_counted(filters).limit(limit))
    return [EntityCount(slug, name, kind, n) for slug, name, kind, n in rows]


def about_facets(session: Session, *, filters: StatementFilter, limit: int = 30) -> list[Facet]:
    """The About facet: entities with their counts under every filter but `about`.

    Selected entities are always listed, even past `limit` or with no statements left.
    """
    rows = session.execute(_counted(filters, skip="about").limit(limit)).all()
    facets = [
        Facet(slug=slug, name=name, count=n, selected=slug in filters.about)
        for slug, name, _, n in rows
    ]
    missing = set(filters.about) - {facet.slug for facet in facets}
    if missing:
        counted = _counted(filters, skip="about").where(Entity.slug.in_(missing))
        counts = {slug: n for slug, _, _, n in session.execute(counted)}
        names = session.execute(
            select(Entity.slug, Entity.name).where(Entity.slug.in_(missing)).order_by(Entity.name)
        )
        facets.extend(
            Facet(slug=slug, name=name, count=counts.get(slug, 0), selected=True)
            for slug, name in names
        )
    return facets
