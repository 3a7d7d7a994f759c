"""The count tables' DDL as migrations create them: one table per grain of a family.

Every family (`app.models.COUNT_MODELS`) has the same measures, a unique key over the
day and its dimensions (nulls not distinct: None is a value there, the unattributed or
unthemed statements) and an index leading with each dimension. Migrations call
`create_count_tables` with the family of their revision, so a new family is one call.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic.operations import Operations

from app.db_versions import install

SUFFIXES = {"day": "", "month": "_month", "all": "_all"}
"""Each grain's table name: the family's name and this."""
MEASURES = ("n", "n_first", "n_outlet_first", "stories_first", "stories_outlet_first")


def create_count_tables(op: Operations, base: str, dimensions: Sequence[str]) -> None:
    """Create family `base` keyed by `dimensions` at every grain, with the data version's
    trigger. Only an entity is never None (a statement about nothing has no cell)."""
    for suffix in SUFFIXES.values():
        table = f"{base}{suffix}"
        op.create_table(
            table,
            *(sa.Column(d, sa.Integer(), nullable=d != "entity_id") for d in dimensions),
            sa.Column("day", sa.Date(), nullable=True),
            *(sa.Column(measure, sa.Integer(), nullable=False) for measure in MEASURES),
            sa.UniqueConstraint(
                "day",
                *dimensions,
                name=op.f(f"uq_{table}_day"),
                postgresql_nulls_not_distinct=True,
            ),
        )
        for dimension in dimensions:
            op.create_index(f"ix_{table}_{dimension}", table, [dimension, "day"])
        install(op.execute, [table])
