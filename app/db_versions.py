"""A version of the data pages show, moved by every committed write to it: the SQL
that migrations install for it.

The page cache keys pages by what the database holds. `pg_current_snapshot()` named
that exactly but moved with every transaction id on the server: the job queue's worker
heartbeats (every ten seconds per worker), failed sign-ins, other databases. Pages then
lived a few seconds under load. The version here moves only with the app's own data.

It is the sum of a few counters (`data_versions`, one row per slot). Each writing
transaction adds one to a single slot, once, from a statement-level trigger on every
table a page reads, and the addition commits or rolls back with the write (a savepoint
rolled back takes its addition with it). So the sum a reader sees grows exactly when it
sees a new commit: a page kept under a sum is never older than the data that sum names.
Writers take a slot no other open transaction holds (`FOR UPDATE SKIP LOCKED`), so two
import workers never wait on each other's counter; when every slot is taken a writer
waits for its own (by backend id), which only costs time.

Migrations call `install` with the tables of their revision; a test checks that every
table the models declare, but those in `UNVERSIONED`, has the trigger.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

SLOTS = 16
FUNCTION = "bump_data_version"
TRIGGER = "bump_data_version"
# Set, transaction-locally, once the transaction has added its one.
BUMPED_SETTING = "demarche.data_version_bumped"

UNVERSIONED = frozenset(
    {
        # Written on every failed sign-in; no page shows it.
        "login_failures",
        # The version itself.
        "data_versions",
    }
)
"""Tables whose writes change no cached page, so they leave the version alone."""

UNVERSIONED_COLUMNS = {"api_tokens": frozenset({"last_used_at"})}
"""Columns written while reading (an API call stamps its token) that no cached page shows."""

CREATE_FUNCTION = f"""
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{BUMPED_SETTING}', true) IS DISTINCT FROM 'on' THEN
        UPDATE data_versions SET changes = changes + 1
        WHERE slot = (SELECT slot FROM data_versions LIMIT 1 FOR UPDATE SKIP LOCKED);
        IF NOT FOUND THEN
            UPDATE data_versions SET changes = changes + 1
            WHERE slot = pg_backend_pid() % {SLOTS};
        END IF;
        PERFORM set_config('{BUMPED_SETTING}', 'on', true);
    END IF;
    RETURN NULL;
END $$
"""

READ = "SELECT sum(changes) FROM data_versions"
"""The version a reader's snapshot shows."""


def _events(table: str, columns: Sequence[str]) -> str:
    skipped = UNVERSIONED_COLUMNS.get(table, frozenset())
    if not skipped:
        return "INSERT OR UPDATE OR DELETE OR TRUNCATE"
    watched = ", ".join(column for column in columns if column not in skipped)
    return f"INSERT OR UPDATE OF {watched} OR DELETE OR TRUNCATE"


def install(
    execute: Callable[[str], object],
    tables: Sequence[str],
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Put the version's trigger on `tables` (`columns` names the columns of the tables
    in `UNVERSIONED_COLUMNS`, whose trigger watches the others only)."""
    for table in tables:
        events = _events(table, (columns or {}).get(table, ()))
        execute(
            f"CREATE TRIGGER {TRIGGER} AFTER {events} ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def uninstall(execute: Callable[[str], object], tables: Sequence[str]) -> None:
    """Take the trigger off `tables` (a migration's downgrade)."""
    for table in tables:
        execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
