"""Shared fixtures: a real Postgres for every database test, and the app on top of it.

With DATABASE_URL set (CI, a developer's server) each test run creates databases of its
own on that server and drops them afterwards; without it an embedded Postgres from
`pgserver` starts in a temporary folder, so the suite passes on a fresh laptop too.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.db import drop_database, ensure_database, make_engine, upgrade
from app.main import create_app
from app.services.imports import run_import_job
from app.services.registry import sync_registry
from app.settings import Settings

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A URL on a Postgres server where the tests may create and drop databases."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield configured
        return
    import pgserver

    with tempfile.TemporaryDirectory(prefix="demarche-test-pg-") as folder:
        server = pgserver.get_server(Path(folder) / "pgdata", cleanup_mode="stop")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


@pytest.fixture(scope="session")
def make_database(postgres_server_url: str) -> Iterator[Callable[[str], str]]:
    """A factory of fresh, empty databases, all dropped at the end of the run."""
    created: list[str] = []

    def factory(purpose: str) -> str:
        name = f"demarche_{purpose}_{uuid.uuid4().hex[:10]}"
        created.append(name)
        return ensure_database(postgres_server_url, name)

    yield factory
    for name in created:
        drop_database(postgres_server_url, name)


@pytest.fixture(scope="session")
def engine(make_database) -> Iterator[Engine]:
    """One database migrated to head with the registry loaded, shared by the whole run."""
    engine = make_engine(make_database("tests"))
    upgrade(engine)
    with Session(engine) as session:
        sync_registry(session)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Services call `commit()`; with `create_savepoint` those commits only release a
    savepoint, so nothing a test writes outlives it.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url=None,
        shared_dir=SHARED_DIR,
        max_article_bytes=200_000,
        max_upload_bytes=5_000_000,
        allow_private_fetch=True,
        fetch_timeout_seconds=3,
    )


class InlineJobs:
    """Runs an import job at once, in the test's transaction, instead of queueing it.

    The job code is the real one; only the hand-off to a worker is skipped, so HTTP
    tests see a finished job. The queue itself is tested in tests/db/test_job_queue.py.
    """

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.limits = settings.ingest_limits()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def enqueue_import(self, job_id: int) -> None:
        run_import_job(self.session, job_id, limits=self.limits)


@pytest.fixture
def client(engine: Engine, session: Session, settings: Settings) -> Iterator[TestClient]:
    """The app over HTTP (httpx), its database session bound to the test's transaction."""
    from app.web.deps import get_session

    app = create_app(settings, engine=engine, jobs=InlineJobs(session, settings))
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Print the dev-set scores (when measured) in every run's summary, CI's included."""
    from tests.test_extraction_quality import EVAL_REPORT

    report = config.stash.get(EVAL_REPORT, None)
    if report:
        terminalreporter.section("extraction on the annotated dev set")
        terminalreporter.write_line(report)
