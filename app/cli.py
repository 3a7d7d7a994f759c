"""The `demarche` command: serve, db, import, extract."""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.settings import get_settings

cli = typer.Typer(
    name="demarche",
    help="Démarche: who said what in diplomatic news, when, and on which theme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema commands.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")

log = logging.getLogger("demarche")


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
) -> None:
    """Run the web app (starting an embedded Postgres when DATABASE_URL is unset)."""
    import uvicorn

    from app.db import database, make_engine, make_sessionmaker, upgrade
    from app.main import create_app
    from app.queries.articles import article_count
    from app.services.demo import load_demo
    from app.services.registry import sync_registry

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    settings = get_settings()
    with database(settings.database_url, settings.data_dir) as url:
        engine = make_engine(url)
        upgrade(engine)
        with make_sessionmaker(engine)() as session:
            sync_registry(session)
            first_run = article_count(session) == 0
            if demo or (demo is None and settings.demo and first_run):
                outcomes = load_demo(
                    session, shared_dir=settings.shared_dir, max_bytes=settings.max_article_bytes
                )
                stored = sum(1 for outcome in outcomes if outcome.status == "stored")
                log.info(
                    "Demo corpus: %d articles stored, %d already there",
                    stored,
                    len(outcomes) - stored,
                )
        app = create_app(settings, engine=engine)
        bind_host = host or settings.host
        bind_port = port or settings.port
        typer.echo(f"Démarche is running at http://{bind_host}:{bind_port}")
        # uvicorn re-raises SIGTERM once it has shut down; turning it into SystemExit lets
        # the `with database(...)` block stop the embedded Postgres instead of orphaning it.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            uvicorn.run(app, host=bind_host, port=bind_port, log_level="info")
        finally:
            engine.dispose()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@db_cli.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to `revision`."""
    from app.db import database, make_engine, upgrade

    settings = get_settings()
    with database(settings.database_url, settings.data_dir) as url:
        engine = make_engine(url)
        upgrade(engine, revision)
        engine.dispose()
    typer.echo(f"Database upgraded to {revision}.")


@cli.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of .txt articles.")],
) -> None:
    """Import plain-text articles into the database, each on its own."""
    from app.db import database, make_engine, make_sessionmaker, upgrade
    from app.services.articles import import_text_files
    from app.services.registry import sync_registry

    settings = get_settings()
    with database(settings.database_url, settings.data_dir) as url:
        engine = make_engine(url)
        upgrade(engine)
        with make_sessionmaker(engine)() as session:
            sync_registry(session)
            outcomes = import_text_files(session, paths, max_bytes=settings.max_article_bytes)
        engine.dispose()
    for outcome in outcomes:
        typer.echo(f"{outcome.status:<9} {outcome.source}: {outcome.message}")
    counts = {
        status: sum(1 for o in outcomes if o.status == status)
        for status in ("stored", "duplicate", "rejected")
    }
    typer.echo(
        f"{counts['stored']} stored, {counts['duplicate']} duplicates, {counts['rejected']} rejected."
    )
    if not outcomes or counts["rejected"]:
        raise typer.Exit(code=1)


@cli.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt) or folders of them.")],
    output_format: Annotated[
        str, typer.Option("--format", help="Output format: jsonl (one statement a line).")
    ] = "jsonl",
) -> None:
    """Print the statements found in articles, with no database (the JSON Lines contract)."""
    from app.extract import extract_statements, to_contract
    from app.ingest import IngestError, read_text_file
    from app.ingest.files import text_files

    if output_format != "jsonl":
        typer.echo(f"Unknown format “{output_format}”: only jsonl is supported.", err=True)
        raise typer.Exit(code=2)
    settings = get_settings()
    failed = False
    for path in text_files(paths):
        try:
            parsed = read_text_file(path, max_bytes=settings.max_article_bytes)
        except (IngestError, OSError) as error:
            typer.echo(f"{path}: {error}", err=True)
            failed = True
            continue
        for statement in extract_statements(parsed.body, published=parsed.published):
            sys.stdout.write(
                json.dumps(to_contract(statement, article=str(path)), ensure_ascii=False)
            )
            sys.stdout.write("\n")
    if failed:
        raise typer.Exit(code=1)


def main() -> None:
    cli()
