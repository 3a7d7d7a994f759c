"""A large views database made from a filled smaller one, in SQL, instead of importing it.

    python -m bench.views --articles 100000               # the real import, ~15 min here
    python -m bench.replicate --from 100000 --times 10    # demarche_bench_views_1000000

Filling `demarche_bench_views_<N>` goes through the real import at 100-200 articles/s on
this 2-core machine: a million articles would take hours, and what the views need from
them is their volume, not the import. So the target database is created as a copy of
the source (`CREATE DATABASE ... TEMPLATE`, which needs nobody connected to the source:
client connections that do not go away are reported, or ended with `--terminate`), and
`times - 1` copies of the corpus are added inside it with `INSERT ... SELECT`, table by
table: stories, articles, statements, statement_themes, statement_entities. Accounts,
import jobs, saved views and the registry (outlets, speakers, themes, entities) are
not copied: the copies point at the same registry rows, as more articles would.

What a copy is: copy c (1 to times - 1) holds every story, article, statement and
statement link of the source, with each table's own id offset by c * (max id + 1), so
the mapping is arithmetic and each copy's links (a statement's article, an article's
story, a link's statement) stay inside that copy; syndicated groups therefore stay
groups of their own, and "one story counts once" counts each copy's stories once. Its
dates (articles.published_on, statements.stated_on, created_at) are moved c days back,
so copies do not sit on exactly the same days while the newest date, which the views'
"one year" filter is taken from, stays the source's. `content_hash` (the only unique
column besides the keys) becomes the sha256 of the original hash and the new id. Texts,
raw bytes (copied, so the database's size is honest), MinHash signatures, band keys and
search vectors are the source's own: the search vectors are copied, not recomputed,
which means the target's `search` columns stop being generated columns (Postgres 15
cannot make a column generated again without recomputing it).

What that gives: the same texts shifted in time, so search matches, count tables, chart
volumes and the rows behind every view scale by `times`, which is what timing the views
needs. What it does not: the import path is not exercised (`bench.import_rate` and
`bench.workers` measure it), texts do not vary beyond the source's, and the database is
for reading: an article imported into it later would get no search vector.

For speed, the copies run with triggers off (`session_replication_role = replica`: the
statement-level key checks of `app.db_keys` would lock every parent row; the copies'
keys hold by construction) and without the secondary indexes of the copied tables
(their definitions are read from pg_indexes, primary keys and unique constraints stay);
the indexes are then built again with a raised `maintenance_work_mem`, every sequence
of those tables is moved past its largest id, the count tables are rebuilt by the app's
own `app.services.counts.rebuild` (what `demarche counts rebuild` runs), and the whole
database gets `VACUUM ANALYZE`. Prints rows per table, seconds per stage (wall clock:
the work is the server's) and the databases' sizes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, create_engine, text

from app.db import database_url, drop_database, normalise_url
from app.services import counts
from bench.import_rate import Machine, bench_server
from bench.views import database_name

TABLES = ("stories", "articles", "statements", "statement_themes", "statement_entities")
"""The corpus, parents first: everything that hangs off articles and statements."""

LEFT_OUT = {"import_items": "an import job's record of its inputs; no job is copied"}
"""Tables with a key to the corpus that are not copied, and why."""

OWN_ID = {"stories": "stories", "articles": "articles", "statements": "statements"}
"""Tables whose own id is offset, by the name of the offset."""

# Columns rewritten in each copy; every other column is copied as it is. `{x}` is the
# offset of table x's ids in this copy, `{c}` the copy's number.
CHANGED = {
    "stories": {
        "id": "id + {stories}",
        "created_at": "created_at - make_interval(days => {c})",
    },
    "articles": {
        "id": "id + {articles}",
        "story_id": "story_id + {stories}",
        # The new id makes the hash unique even when the source is itself a replica.
        "content_hash": (
            "encode(sha256(convert_to(content_hash || '/' || (id + {articles}), 'UTF8')), 'hex')"
        ),
        "published_on": "published_on - {c}",
        "created_at": "created_at - make_interval(days => {c})",
    },
    "statements": {
        "id": "id + {statements}",
        "article_id": "article_id + {articles}",
        "stated_on": "stated_on - {c}",
        "created_at": "created_at - make_interval(days => {c})",
    },
    "statement_themes": {"statement_id": "statement_id + {statements}"},
    "statement_entities": {"statement_id": "statement_id + {statements}"},
}

# Which rows of a table are the source's: those up to the source's largest id.
SOURCE_ROWS = {
    "stories": "id <= {max_stories}",
    "articles": "id <= {max_articles}",
    "statements": "id <= {max_statements}",
    "statement_themes": "statement_id <= {max_statements}",
    "statement_entities": "statement_id <= {max_statements}",
}


class ReplicateError(RuntimeError):
    """The replica cannot be made as asked; the message says why and what to do."""


@dataclass(slots=True)
class Replica:
    """What `replicate` made, and what each stage cost."""

    source: str
    target: str
    times: int
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Table: (rows in the source, rows in the target)."""
    seconds: dict[str, float] = field(default_factory=dict)
    source_bytes: int = 0
    target_bytes: int = 0
    server_version: str = "?"

    @property
    def articles(self) -> int:
        return self.rows["articles"][1]


@contextmanager
def _stage(replica: Replica, name: str) -> Iterator[None]:
    start = time.perf_counter()
    print(f"  {name}...", file=sys.stderr)
    yield
    replica.seconds[name] = time.perf_counter() - start


@contextmanager
def _engine(url: str, **options: object) -> Iterator[Engine]:
    engine = create_engine(normalise_url(url), **options)
    try:
        yield engine
    finally:
        engine.dispose()


def _others(conn: Connection, database: str) -> list[str]:
    """Client connections to `database` other than this one, described."""
    rows = conn.execute(
        text(
            "SELECT pid, coalesce(nullif(application_name, ''), '?'), state "
            "FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        ),
        {"name": database},
    ).all()
    return [f"pid {pid} ({app}, {state})" for pid, app, state in rows]


def _free_source(conn: Connection, source: str, *, terminate: bool, wait: float) -> None:
    """Wait up to `wait` seconds for the source's connections to close (a pool just
    disposed, a server just stopped), then end them if `terminate`, or refuse."""
    deadline = time.monotonic() + wait
    while (others := _others(conn, source)) and time.monotonic() < deadline:
        time.sleep(0.5)
    if not others:
        return
    if not terminate:
        raise ReplicateError(
            f"{len(others)} connection(s) to {source}: {', '.join(others)}. "
            "CREATE DATABASE ... TEMPLATE needs none; close them, or pass --terminate "
            "to end them (never while that database is being filled)."
        )
    conn.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ),
        {"name": source},
    )
    _free_source(conn, source, terminate=False, wait=wait)


def _create(
    server_url: str, replica: Replica, *, replace: bool, terminate: bool, wait: float
) -> None:
    source, target = replica.source, replica.target
    with _engine(server_url, isolation_level="AUTOCOMMIT") as admin, admin.connect() as conn:
        existing = set(
            conn.execute(
                text("SELECT datname FROM pg_database WHERE datname IN (:s, :t)"),
                {"s": source, "t": target},
            ).scalars()
        )
        if source not in existing:
            raise ReplicateError(f"{source} does not exist: fill it first (python -m bench.views)")
        if target in existing:
            if not replace:
                raise ReplicateError(f"{target} exists: pass --replace to make it again")
            conn.execute(text(f'DROP DATABASE "{target}" WITH (FORCE)'))
        _free_source(conn, source, terminate=terminate, wait=wait)
        # FILE_COPY copies the files after a checkpoint; the default (WAL_LOG) would also
        # write the whole source, gigabytes at 100k articles, through the WAL.
        conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}" STRATEGY FILE_COPY'))
        replica.source_bytes = conn.execute(
            text("SELECT pg_database_size(:name)"), {"name": source}
        ).scalar_one()
        replica.server_version = conn.execute(text("SHOW server_version")).scalar_one()


def _counts(conn: Connection) -> dict[str, int]:
    return {
        table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in TABLES
    }


def _secondary_indexes(conn: Connection) -> dict[str, str]:
    """Index name: definition, for the copied tables' indexes that back no constraint."""
    rows = conn.execute(
        text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY(:tables) AND NOT EXISTS ("
            "  SELECT FROM pg_constraint k WHERE k.conname = i.indexname"
            "  AND k.conrelid = format('%I.%I', i.schemaname, i.tablename)::regclass"
            ") ORDER BY i.tablename, i.indexname"
        ),
        {"tables": list(TABLES)},
    ).all()
    return dict(rows)


def _generated_columns(conn: Connection) -> list[tuple[str, str]]:
    return [
        (table, column)
        for table, column in conn.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = ANY(:tables) "
                "AND is_generated = 'ALWAYS'"
            ),
            {"tables": list(TABLES)},
        )
    ]


def _columns(conn: Connection, table: str) -> list[str]:
    return list(
        conn.execute(
            text(
                "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            ),
            {"t": table},
        ).scalars()
    )


def copy_sql(table: str, columns: Sequence[str], **numbers: int) -> str:
    """The INSERT ... SELECT adding one copy of `table`'s source rows.

    `numbers` holds c, the offsets (stories, articles, statements) and the source's
    largest ids (max_stories, ...): integers, written into the SQL as literals.
    """
    changed = CHANGED[table]
    if missing := set(changed) - set(columns):
        raise ReplicateError(f"{table} has no column {', '.join(sorted(missing))}: see CHANGED")
    values = [changed[col].format(**numbers) if col in changed else f'"{col}"' for col in columns]
    quoted = ", ".join(f'"{col}"' for col in columns)
    return (
        f"INSERT INTO {table} ({quoted}) SELECT {', '.join(values)} FROM {table} "
        f"WHERE {SOURCE_ROWS[table].format(**numbers)}"
    )


def _copy(conn: Connection, times: int) -> None:
    largest = {
        f"max_{table}": conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        for table in OWN_ID
    }
    columns = {table: _columns(conn, table) for table in TABLES}
    for c in range(1, times):
        start = time.perf_counter()
        offsets = {table: c * (largest[f"max_{table}"] + 1) for table in OWN_ID}
        for table in TABLES:
            conn.execute(text(copy_sql(table, columns[table], c=c, **offsets, **largest)))
        conn.commit()
        print(f"    copy {c} of {times - 1}: {time.perf_counter() - start:,.1f} s", file=sys.stderr)


def _move_sequences(conn: Connection) -> None:
    for table in OWN_ID:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                f"FROM {table} HAVING max(id) IS NOT NULL"
            )
        )


def replicate(
    server_url: str,
    *,
    source: str,
    target: str,
    times: int,
    replace: bool = False,
    terminate: bool = False,
    wait: float = 15.0,
    maintenance_work_mem: str = "1GB",
) -> Replica:
    """Make database `target` hold `times` copies of database `source`'s corpus."""
    if times < 2:
        raise ReplicateError("--times must be at least 2")
    replica = Replica(source, target, times)
    with _stage(replica, "copy the database (TEMPLATE)"):
        _create(server_url, replica, replace=replace, terminate=terminate, wait=wait)
    try:
        _fill(database_url(server_url, target), replica, maintenance_work_mem)
    except BaseException:
        # Half a replica must not pass for a filled database (`bench.scale --reuse`).
        drop_database(server_url, target)
        raise
    return replica


def _fill(url: str, replica: Replica, maintenance_work_mem: str) -> None:
    """Everything after the TEMPLATE copy: the copies, indexes, sequences, counts, VACUUM."""
    times = replica.times
    with _engine(url) as engine, engine.connect() as conn:
        before = _counts(conn)
        with _stage(replica, "drop secondary indexes"):
            indexes = _secondary_indexes(conn)
            for name in indexes:
                conn.execute(text(f'DROP INDEX "{name}"'))
            for table, column in _generated_columns(conn):
                conn.execute(text(f'ALTER TABLE {table} ALTER COLUMN "{column}" DROP EXPRESSION'))
            conn.commit()
        with _stage(replica, f"add {times - 1} copies"):
            conn.execute(text("SET session_replication_role = replica"))
            conn.execute(text("SET synchronous_commit = off"))
            _copy(conn, times)
            conn.execute(text("RESET session_replication_role"))
        with _stage(replica, f"build {len(indexes)} indexes"):
            conn.execute(text(f"SET maintenance_work_mem = '{maintenance_work_mem}'"))
            for definition in indexes.values():
                conn.execute(text(definition))
            conn.commit()
        with _stage(replica, "move sequences"):
            _move_sequences(conn)
            conn.commit()
        with _stage(replica, "rebuild count tables"):
            counts.rebuild(conn)
            conn.commit()
        after = _counts(conn)
    with (
        _stage(replica, "VACUUM ANALYZE"),
        _engine(url, isolation_level="AUTOCOMMIT") as engine,
        engine.connect() as conn,
    ):
        conn.execute(text("VACUUM ANALYZE"))
        replica.target_bytes = conn.execute(
            text("SELECT pg_database_size(current_database())")
        ).scalar_one()
    replica.rows = {table: (before[table], after[table]) for table in TABLES}


def report(machine: Machine, replica: Replica) -> str:
    """Rows per table, seconds per stage and the databases' sizes."""
    source_articles = replica.rows["articles"][0]
    lines = [
        f"## {datetime.now():%Y-%m-%d %H:%M} — views database replicated: "
        f"{source_articles:,} articles x {replica.times} = {replica.articles:,} (`bench.replicate`)",
        "",
        f"{machine.describe()} `{replica.source}` ({replica.source_bytes / 2**20:,.0f} MB) "
        f"copied {replica.times} times into `{replica.target}` "
        f"({replica.target_bytes / 2**20:,.0f} MB): the same texts moved up to "
        f"{replica.times - 1} days back, the import path not exercised (see the module's "
        "docstring). Wall-clock seconds; the work is the server's.",
        "",
        "| Table | Source rows | Rows after |",
        "| --- | ---: | ---: |",
        *(f"| {table} | {a:,} | {b:,} |" for table, (a, b) in replica.rows.items()),
        "",
        "| Stage | Seconds |",
        "| --- | ---: |",
        *(f"| {stage} | {seconds:,.1f} |" for stage, seconds in replica.seconds.items()),
        f"| total | {sum(replica.seconds.values()):,.1f} |",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=int, required=True, help="source size N")
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--replace", action="store_true", help="drop the target if it exists")
    parser.add_argument(
        "--terminate", action="store_true", help="end connections to the source that stay open"
    )
    parser.add_argument("--maintenance-work-mem", default="1GB")
    args = parser.parse_args(argv)

    machine = Machine.here()
    with bench_server(machine) as server_url:
        try:
            replica = replicate(
                server_url,
                source=database_name(args.source),
                target=database_name(args.source * args.times),
                times=args.times,
                replace=args.replace,
                terminate=args.terminate,
                maintenance_work_mem=args.maintenance_work_mem,
            )
        except ReplicateError as error:
            print(f"bench.replicate: {error}", file=sys.stderr)
            return 1
    machine.postgres = replica.server_version
    print(report(machine, replica))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
