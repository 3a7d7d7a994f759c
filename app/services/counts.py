"""Keeping the count tables (`app.models.COUNT_MODELS`) fresh, in the writer's transaction.

Every write that changes what a statement counts for (its speaker, date, themes,
entities, review state, or the statement itself) withdraws the contributions of the
statement's article before the change, while the database still holds the old values,
and adds them back after it: `withdraw` and `add`, by article, because the story
measures count each article once per cell, at its earliest statement there, which any
statement of the article can move. Each call is one SQL statement for every table: the
articles' day cells are grouped once per table (a materialized CTE), then added to the
table's three grains (`app.models.GRAINS`: by day, summed by month, summed over all
time) with `INSERT ... ON CONFLICT DO UPDATE`, in key order and always in the same
order of tables, so two writers touching the same cells take their row locks in the
same order. Summing is exact: a coarser cell holds the sum of its day cells, story
measures included, since which statement counts an article does not depend on the grain.

Which copy of a story counts first depends only on the article ids of the story, and
ids grow, so storing a later copy never moves another article's contributions (an
article indexed late, after a crash between storing and indexing, is the exception:
`app.services.indexing`); the app deletes no counted article (deleting one would need
its whole story withdrawn and added back around the delete), only one whose indexing
failed, before it was counted. `rebuild` recomputes everything from the statements (`demarche
counts rebuild`, and the migration that created the tables).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.models import COUNT_GRAINS, COUNT_MODELS, GRAINS, CountTable, Grain

MEASURES = ("n", "n_first", "n_outlet_first", "stories_first", "stories_outlet_first")

# Each statement once, with its cell's day, speaker and outlet and whether its article is
# the first of its story (overall, and within its outlet); ix_articles_story_id finds the
# earlier copies.
_STATEMENTS = """
    SELECT s.id, s.article_id, s.stated_on AS day, s.speaker_id, a.outlet_id,
        NOT EXISTS (
            SELECT FROM articles e WHERE e.story_id = a.story_id AND e.id < a.id
        ) AS first,
        NOT EXISTS (
            SELECT FROM articles e
            WHERE e.story_id = a.story_id AND e.id < a.id AND e.outlet_id = a.outlet_id
        ) AS outlet_first
    FROM statements s JOIN articles a ON a.id = s.article_id
    WHERE s.review <> 'rejected' AND {selection}
"""

# Their themes and entities, read once for all the tables. `ANY(ARRAY(...))` makes the
# planner probe the primary keys for the batch's statements: joined to the batch's
# estimate instead, it preferred reading every link (45 ms at 10,000 articles).
_LINKS = """
    SELECT statement_id, {column} FROM {table} WHERE {selection}
"""
_BATCH_LINKS = "statement_id = ANY(ARRAY(SELECT id FROM batch))"

# Where each dimension comes from: the statement itself, its themes (None for a
# statement without any) or its entities (one row per entity it is about).
_SOURCES = {
    "speaker_id": ("b.speaker_id", ""),
    "outlet_id": ("b.outlet_id", ""),
    "theme_id": ("t.theme_id", "LEFT JOIN themes t ON t.statement_id = b.id"),
    "entity_id": ("e.entity_id", "JOIN entities e ON e.statement_id = b.id"),
}


def _cells(dimensions: tuple[str, ...]) -> str:
    """The batch's day cells of one table: its measures per day and `dimensions`.

    `earliest` marks each article's earliest statement (undated last) per combination of
    the table's dimensions: the one whose cell counts the article for the story measures.
    """
    keys = ("day", *dimensions)
    sources = [_SOURCES[d][0] for d in dimensions]
    joins = " ".join(_SOURCES[d][1] for d in sorted(dimensions, key=lambda d: d != "entity_id"))
    positions = ", ".join(str(i) for i in range(1, len(keys) + 1))
    return f"""
        SELECT {", ".join(keys)}, count(*)::int AS n,
            (count(*) FILTER (WHERE first))::int AS n_first,
            (count(*) FILTER (WHERE outlet_first))::int AS n_outlet_first,
            (count(*) FILTER (WHERE first AND earliest))::int AS stories_first,
            (count(*) FILTER (WHERE outlet_first AND earliest))::int AS stories_outlet_first
        FROM (
            SELECT b.day, {", ".join(f"{c} AS {d}" for c, d in zip(sources, dimensions, strict=True))},
                b.first, b.outlet_first,
                row_number() OVER (
                    PARTITION BY b.article_id, {", ".join(sources)}
                    ORDER BY b.day NULLS LAST, b.id
                ) = 1 AS earliest
            FROM batch b {joins}
        ) cells
        GROUP BY {positions}
    """


# The day column of each grain, computed from a day cell's. The month is truncated as a
# timestamp without time zone, as `app.queries.volume.starting` does: on a date,
# `date_trunc` would convert every cell through the session's time zone first.
_DAYS: dict[Grain, str] = {
    "day": "day",
    "month": "date_trunc('month', day::timestamp)::date",
    "all": "NULL::date",
}


def _upsert(table: str, cells: str, dimensions: tuple[str, ...], grain: Grain) -> str:
    """Add the `cells` (day cells), times :sign and summed to the grain, to `table`."""
    keys = ("day", *dimensions)
    positions = ", ".join(str(i) for i in range(1, len(keys) + 1))
    return f"""
        INSERT INTO {table} AS c ({", ".join(keys)}, {", ".join(MEASURES)})
        SELECT {_DAYS[grain]}, {", ".join(dimensions)},
            {", ".join(f":sign * sum({m})" for m in MEASURES)}
        FROM {cells}
        GROUP BY {positions} ORDER BY {positions}
        ON CONFLICT ({", ".join(keys)}) DO UPDATE SET
            {", ".join(f"{m} = c.{m} + excluded.{m}" for m in MEASURES)}
    """


def _models(tables: tuple[str, ...] | None) -> tuple[type[CountTable], ...]:
    """The count tables by day named in `tables` (all when None)."""
    return tuple(m for m in COUNT_MODELS if tables is None or m.__tablename__ in tables)


@cache
def _sql(
    *, everything: bool, grains: tuple[Grain, ...] = GRAINS, tables: tuple[str, ...] | None = None
) -> str:
    """One statement adding every statement (or those of the articles :ids) to every
    count table (or those named in `tables`), in `grains`."""
    ctes = []
    for model in _models(tables):
        cells = f"{model.__tablename__}_cells"
        ctes.append(f"{cells} AS MATERIALIZED ({_cells(model.DIMENSIONS)})")
        for grain in grains:
            table = COUNT_GRAINS[model][grain].__tablename__
            ctes.append(f"{table} AS ({_upsert(table, cells, model.DIMENSIONS, grain)})")
    selection = "TRUE" if everything else "s.article_id = ANY(:ids) AND a.id = ANY(:ids)"
    links = "TRUE" if everything else _BATCH_LINKS
    return (
        f"WITH batch AS MATERIALIZED ({_STATEMENTS.format(selection=selection)}),\n"
        f"themes AS MATERIALIZED ("
        f"{_LINKS.format(column='theme_id', table='statement_themes', selection=links)}),\n"
        f"entities AS MATERIALIZED ("
        f"{_LINKS.format(column='entity_id', table='statement_entities', selection=links)}),\n"
        + ",\n".join(ctes)
        + "\nSELECT 1"
    )


def _apply(
    executor: Session | Connection,
    article_ids: Collection[int] | None,
    sign: int,
    grains: tuple[Grain, ...] = GRAINS,
    tables: tuple[str, ...] | None = None,
) -> None:
    if article_ids is None:
        executor.execute(text(_sql(everything=True, grains=grains, tables=tables)), {"sign": sign})
    elif article_ids:
        executor.execute(
            text(_sql(everything=False)), {"sign": sign, "ids": sorted(set(article_ids))}
        )


def add(session: Session, *, article_ids: Collection[int]) -> None:
    """Count the statements of these articles, as the database holds them now."""
    _apply(session, article_ids, 1)


def withdraw(session: Session, *, article_ids: Collection[int]) -> None:
    """Stop counting the statements of these articles: call before changing any of them."""
    _apply(session, article_ids, -1)


def rebuild(
    executor: Session | Connection,
    *,
    grains: tuple[Grain, ...] = GRAINS,
    tables: tuple[str, ...] | None = None,
) -> tuple[int, int]:
    """Empty the count tables and count every statement again, in the caller's transaction.

    TRUNCATE locks the tables until the commit: writers wait, then add their changes on
    top. `grains` and `tables` (names of tables by day) are for the migrations, which
    fill only the tables that exist at their revision. Returns (statements counted,
    cells written).
    """
    names = [
        COUNT_GRAINS[model][grain].__tablename__ for model in _models(tables) for grain in grains
    ]
    executor.execute(text(f"TRUNCATE {', '.join(names)}"))
    _apply(executor, None, 1, grains, tables)
    counted = executor.execute(text(f"SELECT coalesce(sum(n), 0) FROM {names[0]}")).scalar_one()
    sizes = " + ".join(f"(SELECT count(*) FROM {table})" for table in names)
    cells = executor.execute(text(f"SELECT {sizes}")).scalar_one()
    return counted, cells
