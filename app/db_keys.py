"""Foreign keys checked once per statement: the SQL that migrations install for them.

A COPY of a batch's statements, their themes and their entities (some fifty rows per
article) ran one referential-integrity trigger per row and key, which cost more than
writing the rows (docs/performance.md). For the keys marked
`app.models.CHECKED_PER_STATEMENT` the migrations drop the constraint and install, per
child table, statement-level triggers: after each INSERT or UPDATE (a COPY included)
one set-based query checks that every parent the new rows name exists and locks it
`FOR KEY SHARE`, as a foreign key would; after a DELETE of parents, one set-based
statement applies the ON DELETE action the model declares.

Migrations call these functions with the keys as they stood at that revision, so a
later change here must keep producing the same SQL for the same arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

Key = tuple[str, str, str]
"""(column, parent table, ON DELETE action: "CASCADE" or "SET NULL")."""


def _parents_exist(child: str, keys: Sequence[Key]) -> str:
    checks = "".join(
        f"""
    SELECT count(DISTINCT {column}) INTO wanted FROM new_rows;
    SELECT count(*) INTO found FROM (
        SELECT 1 FROM {parent} WHERE id IN (SELECT {column} FROM new_rows) FOR KEY SHARE
    ) AS locked;
    IF found < wanted THEN
        RAISE foreign_key_violation USING
            MESSAGE = '{child}.{column} refers to a row of {parent} that does not exist';
    END IF;"""
        for column, parent, _ in keys
    )
    return f"""
CREATE FUNCTION {child}_parents_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint;
    found bigint;
BEGIN{checks}
    RETURN NULL;
END $$"""


def _on_delete(child: str, key: Key) -> str:
    column, _, action = key
    if action == "CASCADE":
        change = f"DELETE FROM {child} WHERE {column} IN (SELECT id FROM old_rows)"
    elif action == "SET NULL":
        change = f"UPDATE {child} SET {column} = NULL WHERE {column} IN (SELECT id FROM old_rows)"
    else:
        raise ValueError(f"unsupported ON DELETE action {action!r}")
    return f"""
CREATE FUNCTION {child}_{column}_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {change};
    RETURN NULL;
END $$"""


def install(child: str, keys: Sequence[Key]) -> list[str]:
    """The statements that replace `child`'s constraints for `keys` by triggers.

    The constraints themselves (named by the naming convention) are dropped first.
    """
    sql = [
        f'ALTER TABLE {child} DROP CONSTRAINT "fk_{child}_{column}_{parent}"'
        for column, parent, _ in keys
    ]
    sql.append(_parents_exist(child, keys))
    for event in ("INSERT", "UPDATE"):
        sql.append(
            f"CREATE TRIGGER {child}_parents_on_{event.lower()} AFTER {event} ON {child} "
            "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {child}_parents_exist()"
        )
    for key in keys:
        column, parent, _ = key
        sql.append(_on_delete(child, key))
        sql.append(
            f"CREATE TRIGGER {child}_{column}_on_delete AFTER DELETE ON {parent} "
            "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {child}_{column}_on_delete()"
        )
    return sql


def uninstall(child: str, keys: Sequence[Key]) -> list[str]:
    """The statements that put `child`'s foreign-key constraints back in place."""
    sql: list[str] = []
    for column, parent, _ in keys:
        sql.append(f"DROP TRIGGER {child}_{column}_on_delete ON {parent}")
        sql.append(f"DROP FUNCTION {child}_{column}_on_delete()")
    for event in ("insert", "update"):
        sql.append(f"DROP TRIGGER {child}_parents_on_{event} ON {child}")
    sql.append(f"DROP FUNCTION {child}_parents_exist()")
    sql += [
        f'ALTER TABLE {child} ADD CONSTRAINT "fk_{child}_{column}_{parent}" '
        f"FOREIGN KEY ({column}) REFERENCES {parent} (id) ON DELETE {action}"
        for column, parent, action in keys
    ]
    return sql
