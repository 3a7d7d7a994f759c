"""Shared fixtures: a real Postgres for every database test, and the app on top of it.

With DATABASE_URL set (CI, a developer's server) each test run creates databases of its
own on that server and drops them afterwards; without it an embedded Postgres from
`pgserver` starts in a temporary folder, so the suite passes on a fresh laptop too.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.db import drop_database, ensure_database, make_engine, upgrade
from app.main import create_app
from app.models import ROLES
from app.services.accounts import create_user, start_session, user_by_name
from app.services.imports import run_import_job
from app.services.registry import sync_registry
from app.settings import Settings
from app.web.csrf import CSRF_HEADER
from app.web.sessions import COOKIE_NAME, SESSION_SALT

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
TEST_SECRET_KEY = "a-fixed-key-so-tests-can-make-session-cookies"
# Every test database has one account per role, named after it, with this password.
TEST_PASSWORD = "correct horse battery staple"


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
    """One database migrated to head with the registry loaded and the accounts `viewer`,
    `editor` and `admin` (password TEST_PASSWORD), shared by the whole run."""
    engine = make_engine(make_database("tests"))
    upgrade(engine)
    with Session(engine) as session:
        sync_registry(session)
        add_role_accounts(session)
    yield engine
    engine.dispose()


@pytest.fixture
def own_engine(make_database) -> Iterator[Engine]:
    """A database of this test's own, migrated with the registry loaded: for tests whose
    writes other connections must see committed (a concurrent index build, the
    statistics counters), which the rolled-back `session` never commits."""
    engine = make_engine(make_database("own"))
    upgrade(engine)
    with Session(engine) as session:
        sync_registry(session)
        session.commit()
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


def add_role_accounts(session: Session) -> None:
    for role in ROLES:
        create_user(session, username=role, password=TEST_PASSWORD, role=role)


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url=None,
        secret_key=SecretStr(TEST_SECRET_KEY),
        shared_dir=SHARED_DIR,
        max_article_bytes=200_000,
        max_upload_bytes=5_000_000,
        allow_private_fetch=True,
        fetch_timeout_seconds=3,
        # The page cache keys on what other connections see committed; these tests write
        # inside one rolled-back transaction (tests/db/test_page_cache.py commits for real).
        page_cache_mb=0,
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
def app(engine: Engine, session: Session, settings: Settings) -> FastAPI:
    """The app, its database session bound to the test's transaction."""
    from app.web.deps import get_read_session, get_session

    app = create_app(settings, engine=engine, jobs=InlineJobs(session, settings))
    app.dependency_overrides[get_session] = lambda: session
    app.dependency_overrides[get_read_session] = lambda: session
    return app


@pytest.fixture
def sign_in(session: Session) -> Callable[[TestClient, str], str]:
    """Sign a test client in as the account named `username`, without the sign-in form
    (tests/web/test_accounts.py covers the form): a real session row and a cookie signed
    with the test key. The client then sends the session's CSRF token in the X-CSRF-Token
    header, as HTMX does; returns the token."""

    def sign(client: TestClient, username: str) -> str:
        user = user_by_name(session, username)
        assert user is not None, f"no account named {username}"
        csrf = secrets.token_urlsafe(16)
        cookie = URLSafeTimedSerializer(TEST_SECRET_KEY, salt=SESSION_SALT).dumps(
            {"sid": start_session(session, user, days=1), "csrf": csrf}
        )
        client.cookies.set(COOKIE_NAME, cookie)
        client.headers[CSRF_HEADER] = csrf
        return csrf

    return sign


@pytest.fixture
def anonymous_client(app: FastAPI) -> Iterator[TestClient]:
    """The app over HTTP (httpx) for a visitor who is not signed in."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def client(app: FastAPI, sign_in) -> Iterator[TestClient]:
    """The app over HTTP (httpx), signed in as an editor, sending its CSRF token."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        sign_in(test_client, "editor")
        yield test_client


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Print the dev-set scores (when measured) in every run's summary, CI's included."""
    from tests.test_extraction_quality import EVAL_REPORT

    report = config.stash.get(EVAL_REPORT, None)
    if report:
        terminalreporter.section("extraction on the annotated dev set")
        terminalreporter.write_line(report)
