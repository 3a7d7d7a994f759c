"""Rendered pages kept per data version: repeated views are served from memory, and
nothing committed since, nor another visitor's page, is ever served in their place;
writes that change no page leave them in place, and one page is rendered once however
many ask for it at the same time.

These tests commit for real (the page cache keys on what other connections can see), on
a database of their own.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from pydantic import SecretStr
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from app.db import make_engine, upgrade
from app.ingest.limits import IngestLimits
from app.main import create_app
from app.models import Speaker
from app.services.accounts import create_user, start_session, user_by_name
from app.services.demo import load_demo
from app.services.registry import sync_registry
from app.settings import Settings
from app.web.page_cache import Page, PageStore
from app.web.sessions import COOKIE_NAME, SESSION_SALT
from tests.conftest import TEST_PASSWORD, TEST_SECRET_KEY
from tests.factories import article_text, make_article

T = TypeVar("T")


@pytest.fixture(scope="module")
def database(make_database) -> Iterator[Engine]:
    engine = make_engine(make_database("page_cache"))
    upgrade(engine)
    with Session(engine) as session:
        sync_registry(session)
        load_demo(session, shared_dir=Path("/nonexistent"), limits=IngestLimits())
        for role in ("viewer", "editor"):
            create_user(session, username=role, password=TEST_PASSWORD, role=role)
    yield engine
    engine.dispose()


def cached_app(database: Engine, *, recheck_ms: int) -> FastAPI:
    settings = Settings(
        database_url=None,
        secret_key=SecretStr(TEST_SECRET_KEY),
        run_worker=False,
        demo=False,
        anonymous_read=True,
        page_cache_mb=8,
        page_cache_recheck_ms=recheck_ms,
    )
    return create_app(settings, engine=database)


@pytest.fixture
def app(database: Engine) -> FastAPI:
    """Every request reads the data version: what any commit does shows on the next page."""
    return cached_app(database, recheck_ms=0)


def visitor(app: FastAPI) -> TestClient:
    """A browser that has been here before: it holds a session cookie with a CSRF token."""
    client = TestClient(app)
    client.get("/")
    assert client.cookies.get(COOKIE_NAME)
    return client


def signed_in(app: FastAPI, engine: Engine, username: str) -> TestClient:
    with Session(engine) as session:
        user = user_by_name(session, username)
        assert user is not None
        token = start_session(session, user, days=1)
        session.commit()
    cookie = URLSafeTimedSerializer(TEST_SECRET_KEY, salt=SESSION_SALT).dumps(
        {"sid": token, "csrf": f"csrf-of-{username}"}
    )
    client = TestClient(app)
    client.cookies.set(COOKIE_NAME, cookie)
    return client


def commit_article_saying(database: Engine, said: str) -> None:
    """Another party (an import, a worker) commits today's article quoting `said`."""
    with Session(database) as session:
        make_article(session, text=article_text(said=said), published=date.today())
        session.commit()


def count_version_reads(engine: Engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if "data_versions" in statement:
            seen.append(statement)

    return seen


def test_a_repeated_view_is_served_from_the_store_with_the_same_body(app: FastAPI) -> None:
    store: PageStore = app.state.page_store
    client = visitor(app)
    first = client.get("/speakers")
    hits = store.hits
    second = client.get("/speakers")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert store.hits == hits + 1
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]


def test_a_kept_page_goes_gzipped_to_a_browser_and_inflated_to_other_clients(app: FastAPI) -> None:
    client = visitor(app)
    first = client.get("/themes", headers={"Accept-Encoding": "identity"})
    plain = client.get("/themes", headers={"Accept-Encoding": "identity"})
    packed = client.get("/themes", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert plain.content == first.content
    assert int(plain.headers["content-length"]) == len(first.content)
    assert packed.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["vary"]
    assert packed.content == first.content, "httpx inflates what it was sent"
    stored: PageStore = app.state.page_store
    assert stored.bytes * 3 < len(first.content) * len(stored), "pages are kept compressed"


def test_a_committed_write_is_on_the_next_page(app: FastAPI, database: Engine) -> None:
    client = visitor(app)
    before = client.get("/speakers").text
    with Session(database) as session:
        speaker = session.execute(
            select(Speaker).where(Speaker.slug == "sergey-lavrov")
        ).scalar_one()
        speaker.name = "Sergei Viktorovich Lavrov"
        session.commit()
    try:
        after = client.get("/speakers").text
        assert "Sergei Viktorovich Lavrov" not in before
        assert "Sergei Viktorovich Lavrov" in after
    finally:
        with Session(database) as session:
            session.execute(
                select(Speaker).where(Speaker.slug == "sergey-lavrov")
            ).scalar_one().name = "Sergey Lavrov"
            session.commit()


def test_a_new_article_shows_on_the_timeline_at_once(app: FastAPI, database: Engine) -> None:
    client = visitor(app)
    client.get("/statements")
    said = "The cached timeline must show this sentence as soon as it is committed"
    commit_article_saying(database, said)
    assert said in client.get("/statements").text


def test_writes_that_change_no_page_leave_kept_pages_in_place(
    app: FastAPI, database: Engine
) -> None:
    store: PageStore = app.state.page_store
    client = visitor(app)
    client.get("/speakers")
    with database.begin() as connection:
        connection.execute(text("SELECT txid_current()"))
        connection.execute(text("INSERT INTO login_failures (username, address) VALUES ('x', 'y')"))
    hits = store.hits
    client.get("/speakers")
    assert store.hits == hits + 1


def in_a_thread_of_its_own(work: Callable[[], Coroutine[object, object, T]]) -> T:
    """Run `work` on an event loop of a thread of its own: the browser tests' Playwright
    keeps a loop running on the main thread for the rest of the session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work()).result()


def test_concurrent_requests_for_one_page_render_it_once(app: FastAPI, database: Engine) -> None:
    cookies = visitor(app).cookies
    queries: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if "data_versions" not in statement:
            queries.append(statement)

    async def ten_at_once() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=cookies
        ) as client:
            return await asyncio.gather(*(client.get("/outlets") for _ in range(10)))

    event.listen(database, "before_cursor_execute", record)
    try:
        answers = in_a_thread_of_its_own(ten_at_once)
        queries_for_ten = len(queries)
        another = visitor(app)
        queries.clear()
        another.get("/outlets")
        queries_for_one = len(queries)
    finally:
        event.remove(database, "before_cursor_execute", record)
    assert [answer.status_code for answer in answers] == [200] * 10
    assert len({answer.content for answer in answers}) == 1
    assert queries_for_one > 0
    assert queries_for_ten == queries_for_one


def test_one_visitors_page_is_never_served_to_another(app: FastAPI, database: Engine) -> None:
    viewer = signed_in(app, database, "viewer")
    editor = signed_in(app, database, "editor")
    as_viewer = viewer.get("/themes").text
    as_editor = editor.get("/themes").text
    assert "csrf-of-viewer" in as_viewer and "csrf-of-editor" not in as_viewer
    assert "csrf-of-editor" in as_editor and "csrf-of-viewer" not in as_editor
    assert ">editor<" in as_editor and ">editor<" not in as_viewer


def test_a_first_visit_is_not_kept_since_it_mints_its_own_csrf_token(app: FastAPI) -> None:
    store: PageStore = app.state.page_store
    kept, hits = len(store), store.hits
    first, second = TestClient(app).get("/outlets"), TestClient(app).get("/outlets")
    assert first.status_code == second.status_code == 200
    assert first.cookies.get(COOKIE_NAME) != second.cookies.get(COOKIE_NAME)
    assert (len(store), store.hits) == (kept, hits)


def test_a_partial_and_its_whole_page_are_kept_apart(app: FastAPI) -> None:
    client = visitor(app)
    whole = client.get("/statements").text
    partial = client.get("/statements", headers={"HX-Request": "true"}).text
    assert "<html" in whole
    assert "<html" not in partial
    assert "<html" in client.get("/statements").text


def test_errors_and_redirects_are_not_kept(app: FastAPI) -> None:
    store: PageStore = app.state.page_store
    client = visitor(app)
    kept = len(store)
    assert client.get("/speakers/nobody-by-this-name").status_code == 404
    assert client.get("/statements?theme=", follow_redirects=False).status_code in (302, 400)
    assert len(store) == kept


def test_pages_outside_the_cached_views_never_read_the_data_version(
    app: FastAPI, database: Engine
) -> None:
    reads = count_version_reads(database)
    client = signed_in(app, database, "editor")
    assert client.get("/account").status_code == 200
    assert client.get("/upload").status_code == 200
    assert reads == []
    client.get("/speakers")
    assert len(reads) == 1


def test_the_cache_is_off_at_zero_megabytes(database: Engine) -> None:
    settings = Settings(
        database_url=None, run_worker=False, demo=False, anonymous_read=True, page_cache_mb=0
    )
    app = create_app(settings, engine=database)
    reads = count_version_reads(database)
    client = visitor(app)
    client.get("/speakers")
    client.get("/speakers")
    assert reads == []
    assert app.state.page_store.hits == 0


def page(size: int) -> Page:
    """A page of `size` bytes that gzip cannot shrink, so the budget counts them all."""
    return Page.of([], os.urandom(size))


def test_the_store_drops_the_least_recently_used_pages_past_its_budget() -> None:
    store = PageStore(max_bytes=8_000)
    for key in (b"a", b"b", b"c", b"d"):
        store.put(key, page(1_000))
    assert store.get(b"a") is not None
    for key in (b"e", b"f", b"g", b"h", b"i"):
        store.put(key, page(1_000))
    assert store.bytes <= 8_000
    assert store.get(b"a") is not None
    assert store.get(b"b") is None


def test_a_page_over_an_eighth_of_the_budget_is_served_but_not_kept() -> None:
    store = PageStore(max_bytes=8_000)
    store.put(b"big", page(1_001))
    store.put(b"small", page(1_000))
    assert store.get(b"big") is None
    assert store.get(b"small") is not None


def test_within_the_recheck_time_kept_pages_cost_no_version_read(database: Engine) -> None:
    app = cached_app(database, recheck_ms=60_000)
    client = visitor(app)
    client.get("/speakers")
    reads = count_version_reads(database)
    for path in ("/speakers", "/outlets", "/speakers", "/themes"):
        assert client.get(path).status_code == 200
    assert len(reads) <= 1, "the version is read once, then trusted"


def test_another_partys_write_shows_once_the_recheck_time_has_passed(database: Engine) -> None:
    app = cached_app(database, recheck_ms=300)
    client = visitor(app)
    client.get("/statements")
    said = "An import by a worker shows on kept pages within the recheck time"
    commit_article_saying(database, said)
    time.sleep(0.4)
    assert said in client.get("/statements").text


def test_a_browsers_own_write_shows_at_once_whatever_the_recheck_time(database: Engine) -> None:
    app = cached_app(database, recheck_ms=60_000)
    editor = signed_in(app, database, "editor")
    said = "An editor rejects this remark and must not see it again on the timeline"
    with Session(database) as session:
        stored = make_article(session, text=article_text(said=said), published=date.today())
        session.commit()
        [statement_id] = [s.id for s in stored.statements if said in s.text]
    assert said in editor.get("/statements").text
    rejected = editor.post(
        f"/statements/{statement_id}/reject",
        headers={"X-CSRF-Token": "csrf-of-editor"},
        follow_redirects=False,
    )
    assert rejected.status_code in (200, 303)
    assert said not in editor.get("/statements").text
