"""Writing many rows at once: ids drawn ahead from the sequences, rows sent by COPY.

Storing an article writes some 45 rows (the article with its band keys, its story,
about twenty statements and their themes). Through the ORM each row was an object with its
unit-of-work bookkeeping; here rows are plain tuples, their ids are drawn from the
tables' sequences beforehand, so children can point at parents without a round trip
per row, and each table gets one COPY per batch of articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from sqlalchemy import ARRAY, BigInteger, String, any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from app.models import Outlet, Speaker


def robust_plans(session: Session) -> None:
    """Plan every statement of this transaction for its own parameters.

    psycopg prepares a statement after a few executions and Postgres may then keep one
    generic plan for it. A plan made while a table looked empty (a new install, or
    right after a bulk delete and ANALYZE) stays a sequential scan as the table grows:
    the story lookup once ran 100x slower that way (docs/performance.md). Planning these
    few, simple lookups per batch costs far less than one such plan.
    """
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def any_of(column: InstrumentedAttribute[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column = ANY(:array)`: one SQL text whatever the number of values (unlike IN)."""
    element = BigInteger() if column.type.python_type is int else String()
    return column == any_(bindparam(None, list(values), type_=ARRAY(element)))


def ids_creating(
    session: Session, model: type[Outlet] | type[Speaker], rows: dict[str, dict[str, object]]
) -> dict[str, int]:
    """Ids by slug for `rows` (slug -> column values), inserting the ones not stored yet.

    Two writers creating the same slug at once both get the one row: the insert skips
    a slug stored meanwhile, and the ids are read after it."""
    if not rows:
        return {}

    def lookup(slugs: Iterable[str]) -> dict[str, int]:
        query = select(model.slug, model.id).where(any_of(model.slug, slugs))
        return dict(session.execute(query).all())

    ids = lookup(rows)
    missing = [values for slug, values in rows.items() if slug not in ids]
    if missing:
        session.execute(
            insert(model).values(missing).on_conflict_do_nothing(index_elements=[model.slug])
        )
        ids.update(lookup(str(values["slug"]) for values in missing))
    return ids


def allocate_ids(session: Session, table: str, count: int) -> list[int]:
    """`count` new ids from the sequence behind `table.id`, fetched as one array."""
    if not count:
        return []
    return list(
        session.execute(
            text(
                "SELECT array(SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                "FROM generate_series(1, :count))"
            ),
            {"table": table, "count": count},
        ).scalar_one()
    )


def _column_types(cursor: psycopg.Cursor[Any], table: str, columns: Sequence[str]) -> list[int]:
    """The type oid of each of `columns`, as the binary COPY format needs them."""
    cursor.execute(
        "SELECT attname, atttypid::int FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    )
    types = dict(cursor.fetchall())
    return [types[column] for column in columns]


def copy_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY `rows` into `table` within the session's transaction, in binary format.

    Binary rows need no escaping: in text format psycopg escaped every article body and
    raw copy character by character, a fifth of the Python time of a batch.
    """
    connection = session.connection().connection.driver_connection
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        types = _column_types(cursor, table, columns)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
