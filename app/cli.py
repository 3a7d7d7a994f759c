"""The `demarche` command: serve, worker, db, user, import, extract, eval, reprocess, themes,
counts."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from app.queries.proposals import ThemeProposals

cli = typer.Typer(
    name="demarche",
    help="Démarche: who said what in diplomatic news, when, and on which theme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema commands.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
themes_cli = typer.Typer(help="Theme commands.", no_args_is_help=True)
cli.add_typer(themes_cli, name="themes")
counts_cli = typer.Typer(
    help="The count tables behind facets and charts (kept fresh on every write).",
    no_args_is_help=True,
)
cli.add_typer(counts_cli, name="counts")
user_cli = typer.Typer(
    help="Accounts: create users, reset passwords, make API tokens.", no_args_is_help=True
)
cli.add_typer(user_cli, name="user")

log = logging.getLogger("demarche")


@contextmanager
def _migrated_database(settings: Settings, revision: str = "head") -> Iterator[tuple[str, Engine]]:
    """The configured database (or an embedded one), migrated to `revision`, and an engine
    on it that is disposed of on the way out."""
    from app.db import database, make_engine, upgrade

    with database(settings.database_url, settings.data_dir) as url:
        engine = make_engine(url)
        try:
            upgrade(engine, revision)
            yield url, engine
        finally:
            engine.dispose()


@cli.command()
def serve(
    demo: Annotated[
        bool | None,
        typer.Option(
            "--demo/--no-demo",
            help="Load the demo corpus now; by default it loads when the database is empty.",
        ),
    ] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    processes: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Web processes answering requests (default 1)."),
    ] = None,
) -> None:
    """Run the web app (starting an embedded Postgres when DATABASE_URL is unset)."""
    import uvicorn

    from app.db import make_sessionmaker
    from app.main import create_app
    from app.queries.articles import article_count
    from app.services.demo import load_demo
    from app.services.registry import sync_registry

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    settings = with_secret_key(get_settings())
    with _migrated_database(settings) as (_, engine):
        with make_sessionmaker(engine)() as session:
            sync_registry(session)
            _first_admin(session)
            first_run = article_count(session) == 0
            if demo or (demo is None and settings.demo and first_run):
                outcomes = load_demo(
                    session, shared_dir=settings.shared_dir, limits=settings.ingest_limits()
                )
                stored = sum(1 for outcome in outcomes if outcome.status == "stored")
                log.info(
                    "Demo corpus: %d articles stored, %d already there",
                    stored,
                    len(outcomes) - stored,
                )
        bind_host = host or settings.host
        bind_port = port or settings.port
        processes = processes or settings.web_processes
        typer.echo(f"Démarche is running at http://{bind_host}:{bind_port}")
        # uvicorn re-raises SIGTERM once it has shut down; turning it into SystemExit lets
        # the `with _migrated_database(...)` block stop the embedded Postgres instead of orphaning it.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        if processes == 1:
            app = create_app(settings, engine=engine)
            uvicorn.run(app, host=bind_host, port=bind_port, log_level="info")
            return
        # Each process builds its app from the environment: hand it the database this
        # command chose (embedded or not) and the key every process must sign with.
        key = settings.secret_key
        if key is None:
            raise RuntimeError("with_secret_key always sets a key")
        os.environ["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
        os.environ["DEMARCHE_SECRET_KEY"] = key.get_secret_value()
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            workers=processes,
            host=bind_host,
            port=bind_port,
            log_level="info",
        )


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _first_admin(session: Session) -> None:
    """On a database with no account, create `admin` with a random password, printed once.

    A fresh install is then usable at once (as Jupyter or Airflow's standalone mode do),
    without a default password that every install shares. Operators who prefer to choose
    it run `demarche user create NAME --role admin` before the first `serve`.
    """
    from app.services.accounts import create_user, generate_password, user_count

    if user_count(session):
        return
    password = generate_password()
    create_user(session, username="admin", password=password, role="admin")
    typer.echo(
        "\nNo account existed, so an administrator was created:\n"
        f"    username: admin\n    password: {password}\n"
        "It is shown only this once: sign in and change it on the account page, or set another\n"
        "with `demarche user password admin`. Create more accounts on the admin page or with\n"
        "`demarche user create NAME --role viewer|editor|admin`.\n"
    )


def with_secret_key(settings: Settings) -> Settings:
    """Settings with a session-signing key: DEMARCHE_SECRET_KEY, else one kept in the data
    directory (created on first use, readable by its owner only), so that sign-ins survive
    a restart with no setup."""
    import secrets

    from pydantic import SecretStr

    if settings.secret_key is not None:
        return settings
    path = settings.data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return settings.model_copy(update={"secret_key": SecretStr(path.read_text("utf-8").strip())})


@db_cli.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to `revision`."""
    settings = get_settings()
    with _migrated_database(settings, revision):
        typer.echo(f"Database upgraded to {revision}.")


def _is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


@cli.command("import")
def import_command(
    targets: Annotated[
        list[str], typer.Argument(help="Files, folders or http(s) URLs of articles.")
    ],
    quiet: Annotated[bool, typer.Option(help="Print only failures and the summary.")] = False,
) -> None:
    """Import articles in any supported format, each on its own, with a progress bar."""
    from itertools import chain

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from app.db import make_sessionmaker
    from app.ingest.fetch import read_url
    from app.ingest.readers import read_paths
    from app.services.imports import import_items
    from app.services.registry import sync_registry

    settings = get_settings()
    limits = settings.ingest_limits()
    paths = [Path(t) for t in targets if not _is_url(t)]
    urls = [t for t in targets if _is_url(t)]
    counts = {"stored": 0, "duplicate": 0, "failed": 0}
    with _migrated_database(settings) as (_, engine):
        items = chain(
            read_paths(paths, limits=limits, defer=True),
            *(read_url(u, limits=limits) for u in urls),
        )
        with (
            make_sessionmaker(engine)() as session,
            Progress(
                TextColumn("importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[summary]}"),
                transient=True,
                disable=quiet,
            ) as progress,
        ):
            sync_registry(session)
            bar = progress.add_task("import", total=None, summary="")
            for outcome in import_items(session, items, workers=settings.extract_workers):
                counts[outcome.status] += 1
                progress.update(bar, advance=1, summary=f"{counts['stored']} stored")
                if outcome.status == "failed" or not quiet:
                    progress.console.print(
                        f"{outcome.status:<9} {outcome.source}: {outcome.message}",
                        markup=False,
                        highlight=False,
                        soft_wrap=True,
                    )
    typer.echo(
        f"{counts['stored']} stored, {counts['duplicate']} duplicates, {counts['failed']} failed."
    )
    if not sum(counts.values()) or counts["failed"]:
        raise typer.Exit(code=1)


@cli.command()
def extract(
    paths: Annotated[
        list[Path], typer.Argument(help="Article files (any supported format) or folders.")
    ],
    output_format: Annotated[
        str, typer.Option("--format", help="Output format: jsonl (one statement a line).")
    ] = "jsonl",
) -> None:
    """Print the statements found in articles, with no database (the JSON Lines contract)."""
    from app.extract import extract_statements, to_contract
    from app.ingest.readers import read_paths

    if output_format != "jsonl":
        typer.echo(f"Unknown format “{output_format}”: only jsonl is supported.", err=True)
        raise typer.Exit(code=2)
    failed = False
    for item in read_paths(paths, limits=get_settings().ingest_limits()):
        if item.article is None:
            typer.echo(f"{item.source}: {item.error}", err=True)
            failed = True
            continue
        article = item.article
        for statement in extract_statements(article.body, published=article.published):
            record = to_contract(statement, article=item.source)
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(code=1)


@cli.command("eval")
def eval_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Annotation files or folders (default: tests/data/devset)."),
    ] = None,
    details: Annotated[
        bool, typer.Option(help="List misses, spurious finds and wrong speakers.")
    ] = False,
) -> None:
    """Score extraction against annotated articles: precision, recall, F1, attribution."""
    from app.evaluation.devset import DevsetError
    from app.evaluation.report import evaluate, format_table
    from app.settings import REPO_ROOT

    settings = get_settings()
    targets = paths or [REPO_ROOT / "tests" / "data" / "devset"]
    try:
        results, overall = evaluate(targets, shared_dir=settings.shared_dir)
    except DevsetError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=2) from error
    if not results:
        typer.echo("No annotation files found.", err=True)
        raise typer.Exit(code=2)
    typer.echo(format_table(results, overall, details=details))


@cli.command()
def worker() -> None:
    """Run a background worker for import jobs (any number, on any host sharing the database)."""
    import asyncio
    import os
    import socket

    from app.db import make_sessionmaker
    from app.jobs import run_worker
    from app.services.parallel import start_fork_server

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    settings = get_settings()
    with _migrated_database(settings) as (url, engine):
        if settings.extract_workers:
            start_fork_server()
        name = f"{socket.gethostname()}-{os.getpid()}"
        typer.echo(f"Worker {name} is waiting for jobs.")
        asyncio.run(
            run_worker(
                url,
                make_sessionmaker(engine),
                limits=settings.ingest_limits(),
                stalled_seconds=settings.stalled_seconds,
                name=name,
            )
        )


@cli.command()
def reprocess(
    article_ids: Annotated[
        list[int] | None, typer.Argument(help="Article numbers; all articles when none is given.")
    ] = None,
) -> None:
    """Re-run extraction on stored articles, e.g. after the extractor improved."""
    from app.db import make_sessionmaker
    from app.services.registry import sync_registry
    from app.services.reprocess import reprocess_articles

    settings = get_settings()
    with _migrated_database(settings) as (_, engine), make_sessionmaker(engine)() as session:
        sync_registry(session)
        before, after, count = reprocess_articles(session, article_ids=article_ids or None)
    typer.echo(f"{count} articles reprocessed: {before} statements before, {after} after.")


@counts_cli.command("rebuild")
def counts_rebuild() -> None:
    """Count every statement again from scratch: every write keeps the counts fresh, so
    this repairs them after a change made around the app (SQL by hand, a restore)."""
    from app.db import make_sessionmaker
    from app.services.articles import statements_found
    from app.services.counts import rebuild

    settings = get_settings()
    with _migrated_database(settings) as (_, engine), make_sessionmaker(engine)() as session:
        statements, cells = rebuild(session)
        session.commit()
    typer.echo(f"Counts rebuilt: {statements_found(statements)} in {cells} cells.")


@themes_cli.command("propose")
def themes_propose(
    view: Annotated[
        str,
        typer.Option(
            "--filter",
            help="The statements to look at, as a timeline query string: "
            "'speaker=sergey-lavrov&from=2022-01-01'. Default: all.",
        ),
    ] = "",
    samples: Annotated[
        int, typer.Option(min=0, max=20, help="Typical statements shown per proposal.")
    ] = 3,
) -> None:
    """Propose themes: cluster the statements that fit no curated theme, print top terms."""
    from urllib.parse import parse_qsl

    from app.db import make_sessionmaker
    from app.queries.filters import FilterError, StatementFilter
    from app.queries.proposals import proposed_themes

    try:
        filters = StatementFilter.from_query(parse_qsl(view.lstrip("?"), keep_blank_values=True))
    except FilterError as error:
        for message in error.messages:
            typer.echo(message, err=True)
        raise typer.Exit(code=2) from error
    settings = get_settings()
    with _migrated_database(settings) as (_, engine), make_sessionmaker(engine)() as session:
        result = proposed_themes(session, filters=filters, samples=samples)
    typer.echo(_proposals_text(result))


def _proposals_text(result: ThemeProposals) -> str:
    """The proposals as the CLI prints them: one numbered block per proposal."""
    from app.analysis import MAX_STATEMENTS

    count = len(result.proposals)
    lines = [
        f"{count} proposed theme{'' if count == 1 else 's'} from {result.considered:,} "
        f"statement{'' if result.considered == 1 else 's'} without a theme."
    ]
    if result.capped:
        lines.append(
            f"Only the {MAX_STATEMENTS:,} most recent were clustered; "
            "narrow the view with --filter to reach older ones."
        )
    for number, proposal in enumerate(result.proposals, start=1):
        lines += [
            "",
            f"{number}. {' · '.join(proposal.terms[:3])}: {proposal.size} statements, "
            f"cohesion {proposal.cohesion:.2f}",
            f"   terms: {', '.join(proposal.terms)}",
        ]
        for sample in proposal.samples:
            text = sample.text if len(sample.text) <= 160 else sample.text[:159] + "…"
            who = sample.speaker or "unattributed"
            when = sample.stated_on.isoformat() if sample.stated_on else "date unknown"
            lines.append(f"   - “{text}” ({who}, {when}, article {sample.article_id})")
    return "\n".join(lines)


def _read_new_password(generate: bool) -> str:
    from app.services.accounts import generate_password

    if generate:
        return generate_password()
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_cli.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="Login name: lowercase letters, digits, . _ -")],
    role: Annotated[
        str,
        typer.Option(help="viewer (browse, save views), editor (upload, import, review) or admin."),
    ] = "viewer",
    generate_password: Annotated[
        bool, typer.Option(help="Make up a random password and print it, instead of asking.")
    ] = False,
) -> None:
    """Create an account; the password is asked for twice (never taken on the command line)."""
    from app.db import make_sessionmaker
    from app.services.accounts import AccountError, create_user

    password = _read_new_password(generate_password)
    with _migrated_database(get_settings()) as (_, engine), make_sessionmaker(engine)() as session:
        try:
            user = create_user(session, username=username, password=password, role=role)
        except AccountError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(code=2) from error
    typer.echo(f"Created {user.role} “{user.username}”.")
    if generate_password:
        typer.echo(f"Password: {password}")


@user_cli.command("password")
def user_password(
    username: Annotated[str, typer.Argument(help="The account whose password to set.")],
    generate_password: Annotated[
        bool, typer.Option(help="Make up a random password and print it, instead of asking.")
    ] = False,
) -> None:
    """Set a new password (e.g. a forgotten one); the account is signed out everywhere."""
    from app.db import make_sessionmaker
    from app.services.accounts import password_problems, set_password, user_by_name

    password = _read_new_password(generate_password)
    with _migrated_database(get_settings()) as (_, engine), make_sessionmaker(engine)() as session:
        user = user_by_name(session, username)
        problems = password_problems(password, username=user.username) if user else []
        if user is None or problems:
            typer.echo(" ".join(problems) or f"No account is named “{username}”.", err=True)
            raise typer.Exit(code=2)
        set_password(session, user, password, keep_session=None, actor=None)
    typer.echo(f"Password of “{user.username}” changed; its sessions and API tokens were ended.")
    if generate_password:
        typer.echo(f"Password: {password}")


@user_cli.command("list")
def user_list() -> None:
    """List accounts with their role and state."""
    from app.db import make_sessionmaker
    from app.services.accounts import list_users

    with _migrated_database(get_settings()) as (_, engine), make_sessionmaker(engine)() as session:
        for user in list_users(session):
            state = "active" if user.active else "deactivated"
            typer.echo(f"{user.username:<24} {user.role:<7} {state}")


@user_cli.command("token")
def user_token(
    username: Annotated[str, typer.Argument(help="The account the token acts as.")],
    label: Annotated[str, typer.Option(help="What the token is for, e.g. 'nightly import'.")] = "",
) -> None:
    """Make an API token (Authorization: Bearer ...) acting with this account's role."""
    from app.db import make_sessionmaker
    from app.services.accounts import create_api_token, user_by_name

    with _migrated_database(get_settings()) as (_, engine), make_sessionmaker(engine)() as session:
        user = user_by_name(session, username)
        if user is None or not user.active:
            typer.echo(f"No active account is named “{username}”.", err=True)
            raise typer.Exit(code=2)
        token = create_api_token(session, user, label=label or "command line")
    typer.echo(token)


def main() -> None:
    cli()
