"""DATABASE_READ_URL: read-only routes query the replica, writes go to the primary.

The "replica" here is the same database reached as a role that may only SELECT and
whose transactions are read-only, as on a streaming standby: every GET page works
through it, a write through it fails, and a browser that has just written reads the
primary for a moment so it sees what it saved.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import make_engine, normalise_url, upgrade
from app.ingest.limits import IngestLimits
from app.main import create_app
from app.models import ImportJob, Outlet, Speaker, Statement, Theme, User
from app.queries.filters import StatementFilter
from app.services.accounts import create_user
from app.services.demo import load_demo
from app.services.imports import UploadedFile, create_import_job
from app.services.registry import sync_registry
from app.services.sharing import create_link
from app.settings import Settings
from app.web.csrf import CSRF_HEADER
from app.web.policy import iter_routes
from tests.conftest import TEST_PASSWORD, TEST_SECRET_KEY
from tests.factories import article_text

# The routes that read only, and so must query DATABASE_READ_URL. The others read the
# primary: accounts and sessions, import progress, and forms that query nothing.
REPLICA_ROUTES = {
    "/",
    "/speakers",
    "/speakers/{slug}",
    "/outlets",
    "/outlets/{slug}",
    "/themes",
    "/themes/{slug}",
    "/statements",
    "/articles/{article_id}",
    "/statements.csv",
    "/statements.json",
    "/statements.atom",
    "/views",
    "/search",
    "/proposed-themes",
    "/api/statements",
    "/api/statements/{statement_id}",
    "/api/speakers",
    "/api/outlets",
    "/api/themes",
    "/api/speakers/{slug}",
    "/api/outlets/{slug}",
    "/api/themes/{slug}",
    "/api/articles/{article_id}",
}
# Search without words shows the form alone; with them, it searches.
QUERY_STRINGS = {"/search": "?q=minister"}
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class QueryLog:
    """The statements each engine ran, by the engine's name."""

    statements: Counter[str] = field(default_factory=Counter)

    def watch(self, engine: Engine, name: str) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def record(conn, cursor, statement, parameters, context, executemany) -> None:
            self.statements[name] += 1

    def clear(self) -> None:
        self.statements.clear()


@dataclass
class Replica:
    """A primary with the demo corpus, and the URL of a read-only role on it."""

    primary: Engine
    settings: Settings
    apps: list[FastAPI] = field(default_factory=list)

    def app(self, *, read_after_write_seconds: float) -> tuple[FastAPI, QueryLog]:
        """The app with DATABASE_READ_URL on the read-only role, and a log of its queries."""
        settings = self.settings.model_copy(
            update={"read_after_write_seconds": read_after_write_seconds}
        )
        app = create_app(settings, engine=self.primary)
        self.apps.append(app)
        log = QueryLog()
        log.watch(self.primary, "primary")
        log.watch(app.state.read_engine, "replica")
        return app, log


@pytest.fixture
def replica(make_database) -> Iterator[Replica]:
    url = make_database("replica")
    primary = make_engine(url)
    upgrade(primary)
    with Session(primary) as session:
        sync_registry(session)
        load_demo(session, shared_dir=Path("/nonexistent"), limits=IngestLimits())
        create_user(session, username="admin", password=TEST_PASSWORD, role="admin")
        create_import_job(session, label="one.txt", files=[UploadedFile("one.txt", b"x")], urls=[])
    reader = f"demarche_reader_{uuid.uuid4().hex[:8]}"
    with primary.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{reader}" LOGIN'))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{make_url(url).database}" TO "{reader}"'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{reader}"'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{reader}"'))
        conn.execute(text(f'ALTER ROLE "{reader}" SET default_transaction_read_only = on'))
        conn.commit()
    read_url = (make_url(normalise_url(url)).set(username=reader, password=None)).render_as_string(
        hide_password=False
    )
    settings = Settings(
        DATABASE_URL=url,
        DATABASE_READ_URL=read_url,
        secret_key=SecretStr(TEST_SECRET_KEY),
        run_worker=False,
        demo=False,
        # Every request renders, so each read-only route shows which database it reads.
        page_cache_mb=0,
    )
    setup = Replica(primary, settings)
    try:
        yield setup
    finally:
        for app in setup.apps:
            app.state.read_engine.dispose()
        with primary.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{reader}"'))
            conn.execute(text(f'DROP ROLE "{reader}"'))
            conn.commit()
        primary.dispose()


def signed_in(app: FastAPI) -> TestClient:
    """A client signed in through the form, as the admin (who may open every page)."""
    client = TestClient(app)
    token = CSRF_FIELD.search(client.get("/login").text).group(1)
    response = client.post(
        "/login",
        data={"username": "admin", "password": TEST_PASSWORD, "next": "/", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    # Signing in rotates the CSRF token: take the new one from a form.
    client.headers[CSRF_HEADER] = CSRF_FIELD.search(client.get("/upload").text).group(1)
    return client


def path_values(engine: Engine) -> dict[str, str]:
    """A real value for every path parameter of the GET routes."""
    with Session(engine) as session:
        statement = session.execute(select(Statement).limit(1)).scalar_one()
        admin = session.execute(select(User).where(User.username == "admin")).scalar_one()
        _, token = create_link(
            session, filters=StatementFilter(), description="Statements", days=1, actor=admin
        )
        return {
            "token": token,
            "statement_id": str(statement.id),
            "article_id": str(statement.article_id),
            "job_id": str(session.execute(select(ImportJob.id)).scalars().first()),
            "speakers": session.get(Speaker, statement.speaker_id).slug,
            "outlets": session.execute(select(Outlet.slug)).scalars().first(),
            "themes": session.execute(select(Theme.slug)).scalars().first(),
        }


def concrete(path: str, values: dict[str, str]) -> str:
    """`path` with its parameters filled in; a slug is of the kind its path names (the
    segment before it: `/api/speakers/{slug}`, `/admin/themes/{slug}`)."""
    kind = path.split("/{slug}")[0].rsplit("/", 1)[-1]
    return re.sub(
        r"\{(\w+)\}", lambda m: values[kind if m.group(1) == "slug" else m.group(1)], path
    )


def get_routes(app: FastAPI) -> list[str]:
    return sorted(
        route.path
        for route in iter_routes(app)
        if isinstance(route, APIRoute) and "GET" in route.methods
    )


def test_a_write_through_the_read_engine_fails(replica):
    app, _ = replica.app(read_after_write_seconds=0)
    with (
        app.state.read_sessionmaker() as session,
        pytest.raises(DBAPIError, match="read-only transaction"),
    ):
        session.execute(text("UPDATE speakers SET name = name"))


def test_every_get_route_works_and_only_the_read_only_ones_query_the_replica(replica):
    app, log = replica.app(read_after_write_seconds=0)
    values = path_values(replica.primary)
    routes = get_routes(app)
    assert set(routes) >= REPLICA_ROUTES, "a replica route was renamed: update REPLICA_ROUTES"
    with signed_in(app) as client:
        for path in routes:
            log.clear()
            response = client.get(
                concrete(path, values) + QUERY_STRINGS.get(path, ""), follow_redirects=False
            )
            # The sign-in form sends a signed-in user on to the home page.
            assert response.status_code in {200, 303}, f"GET {path}: {response.status_code}"
            if path in REPLICA_ROUTES:
                assert log.statements["replica"] > 0, f"GET {path} did not query the replica"
            else:
                assert log.statements["replica"] == 0, f"GET {path} queried the replica"


def test_an_upload_writes_to_the_primary_and_its_page_reads_the_primary_at_once(replica):
    app, log = replica.app(read_after_write_seconds=30)
    with signed_in(app) as client:
        log.clear()
        response = client.post(
            "/upload",
            data={"text": article_text(said="The replica can wait for this one.")},
            follow_redirects=False,
        )
        assert response.status_code == 303
        # Stored although the replica's role cannot write: the upload used the primary.
        assert log.statements["primary"] > 0 and log.statements["replica"] == 0

        log.clear()
        page = client.get(response.headers["location"])
        assert page.status_code == 200
        assert "The replica can wait for this one." in page.text
        assert log.statements["replica"] == 0, "a browser that just wrote reads the primary"

    # A browser that has not just written reads the same article from the replica.
    app_later, later_log = replica.app(read_after_write_seconds=0)
    with signed_in(app_later) as reader:
        later_log.clear()
        assert reader.get(response.headers["location"]).status_code == 200
        assert later_log.statements["replica"] > 0


def test_a_signed_in_user_is_checked_on_the_primary(replica):
    """Sessions are read where sign-out writes, so a revoked session ends at once."""
    app, log = replica.app(read_after_write_seconds=0)
    with signed_in(app) as client:
        log.clear()
        assert client.get("/account").status_code == 200
        assert log.statements["primary"] > 0 and log.statements["replica"] == 0
