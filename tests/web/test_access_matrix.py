"""The access matrix: every route of the app × every method × {anonymous, viewer, editor,
admin}, with anonymous browsing on and off. Each caller gets exactly what the route's
level allows; otherwise a 401 (JSON API) or a redirect to the sign-in page (pages) for
a visitor, and a 403 for a signed-in user whose role is too low.

Routes are read from the app itself, so a route added later is covered with no change
here, and one whose access is not declared fails `test_every_route_has_an_access_rule`.
"""

from __future__ import annotations

import re
import secrets

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import AuditEvent, Theme
from app.services.accounts import start_session, user_by_name
from app.services.registry_edits import set_retired
from app.settings import Settings
from app.web.csrf import CSRF_HEADER
from app.web.policy import (
    Access,
    allowed,
    is_json_path,
    iter_routes,
    requires,
    route_access,
    unruled_routes,
)
from app.web.sessions import COOKIE_NAME, SESSION_SALT
from tests.conftest import TEST_SECRET_KEY

CALLERS = (None, "viewer", "editor", "admin")
PATH_PARAMETER = re.compile(r"\{[^}]+\}")


def route_cases(app: FastAPI) -> list[tuple[str, str, Access]]:
    cases = []
    for route in iter_routes(app):
        level = route_access(route)
        for method in sorted(getattr(route, "methods", None) or ()):
            if level is not None:
                cases.append((method, PATH_PARAMETER.sub("1", route.path), level))
    return cases


def call_as(client: TestClient, session: Session, role: str | None, method: str, path: str):
    """One request as `role` (None: a visitor), with a valid CSRF token, so that only the
    access policy can refuse it."""
    csrf = secrets.token_urlsafe(16)
    cookie: dict[str, str] = {"csrf": csrf}
    if role is not None:
        cookie["sid"] = start_session(session, user_by_name(session, role), days=1)
    client.cookies.clear()
    client.cookies.set(
        COOKIE_NAME, URLSafeTimedSerializer(TEST_SECRET_KEY, salt=SESSION_SALT).dumps(cookie)
    )
    return client.request(method, path, headers={CSRF_HEADER: csrf}, follow_redirects=False)


def refusal(response) -> str | None:
    """How the policy refused this response, or None if it let the request through."""
    location = response.headers.get("location", "")
    if response.status_code == 303 and location.startswith("/login?next="):
        return "sign-in redirect"
    if response.status_code == 401:
        return "401"
    if response.status_code == 403:
        return "403"
    return None


def test_every_route_has_an_access_rule(app):
    assert unruled_routes(app) == [], (
        "these routes have no access rule: declare one with @requires(Access....) "
        "(see app/web/policy.py)"
    )


@pytest.mark.parametrize("anonymous_read", [False, True], ids=["login-required", "anonymous-read"])
def test_each_caller_gets_exactly_what_the_route_allows(app, session, settings, anonymous_read):
    app.state.settings = settings.model_copy(update={"anonymous_read": anonymous_read})
    cases = route_cases(app)
    assert len(cases) >= 12, "the route list looks incomplete"
    wrong = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, path, level in cases:
            for role in CALLERS:
                response = call_as(client, session, role, method, path)
                json_route = is_json_path(path)
                got = refusal(response)
                if allowed(level, role, anonymous_read=anonymous_read):
                    expected = None
                elif role is None:
                    expected = "401" if json_route else "sign-in redirect"
                else:
                    expected = "403"
                if got != expected or response.status_code >= 500:
                    wrong.append(
                        f"{method} {path} ({level}) as {role or 'anonymous'}: expected "
                        f"{expected or 'access'}, got {response.status_code} {got or ''}"
                    )
    assert wrong == []


def test_an_unsafe_route_without_a_rule_is_closed_to_everyone_and_reported(
    engine, session, settings, sign_in
):
    from app.web.deps import get_session

    app = create_app(settings, engine=engine)
    app.dependency_overrides[get_session] = lambda: session

    @app.post("/forgotten")
    def forgotten() -> dict[str, str]:
        return {"changed": "everything"}

    assert unruled_routes(app) == ["POST /forgotten"]
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "admin")
        response = client.post("/forgotten")
    assert response.status_code == 403
    assert "no access rule" in response.text


def test_a_new_get_page_is_read_only_by_default_and_a_declared_one_is_narrower(
    engine, session, settings: Settings, sign_in
):
    from app.web.deps import get_session

    app = create_app(settings, engine=engine)
    app.dependency_overrides[get_session] = lambda: session

    @app.get("/new-page")
    def new_page() -> dict[str, str]:
        return {"page": "read-only"}

    @app.get("/editors-only")
    @requires(Access.EDITOR)
    def editors_only() -> dict[str, str]:
        return {"page": "for editors"}

    assert unruled_routes(app) == []
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "viewer")
        assert client.get("/new-page").status_code == 200
        assert client.get("/editors-only").status_code == 403


# The product's rules for the routes this branch knows (README, "Accounts and roles").
# Routes missing here get the default: GET/HEAD read-only, anything else declared.
POLICY = {
    ("GET", "/healthz"): Access.PUBLIC,
    ("GET", "/login"): Access.PUBLIC,
    ("POST", "/login"): Access.PUBLIC,
    ("POST", "/logout"): Access.PUBLIC,
    ("GET", "/statements"): Access.READ,
    ("GET", "/articles/{article_id}"): Access.READ,
    ("GET", "/docs"): Access.READ,
    ("GET", "/openapi.json"): Access.READ,
    ("GET", "/account"): Access.VIEWER,
    ("POST", "/account/password"): Access.VIEWER,
    ("POST", "/account/tokens"): Access.VIEWER,
    ("POST", "/account/tokens/{token_id}/revoke"): Access.VIEWER,
    ("GET", "/upload"): Access.EDITOR,
    ("POST", "/upload"): Access.EDITOR,
    ("POST", "/upload/preview"): Access.EDITOR,
    ("GET", "/imports"): Access.EDITOR,
    ("POST", "/imports"): Access.EDITOR,
    ("GET", "/imports/{job_id}"): Access.EDITOR,
    ("POST", "/api/articles"): Access.EDITOR,
    ("GET", "/admin/users"): Access.ADMIN,
    ("POST", "/admin/users"): Access.ADMIN,
    ("POST", "/admin/users/{user_id}/role"): Access.ADMIN,
    ("POST", "/admin/users/{user_id}/active"): Access.ADMIN,
    ("POST", "/admin/users/{user_id}/password"): Access.ADMIN,
    ("GET", "/review"): Access.EDITOR,
    ("GET", "/statements/{statement_id}"): Access.READ,
    ("POST", "/statements/{statement_id}/confirm"): Access.EDITOR,
    ("POST", "/statements/{statement_id}/reject"): Access.EDITOR,
    ("POST", "/statements/{statement_id}/correct"): Access.EDITOR,
    ("POST", "/statements/{statement_id}/split"): Access.EDITOR,
    ("POST", "/statements/{statement_id}/merge"): Access.EDITOR,
    ("POST", "/history/{event_id}/revert"): Access.EDITOR,  # a registry change's: ADMIN
    ("POST", "/speakers/{slug}/confirm"): Access.EDITOR,
    ("POST", "/speakers/{slug}/aliases"): Access.EDITOR,
    ("POST", "/speakers/{slug}/merge"): Access.EDITOR,
    ("POST", "/share"): Access.EDITOR,
    ("GET", "/share"): Access.EDITOR,
    ("POST", "/share/{link_id}/withdraw"): Access.EDITOR,
    ("GET", "/admin/speakers"): Access.ADMIN,
    ("POST", "/admin/speakers"): Access.ADMIN,
    ("GET", "/admin/speakers/{slug}"): Access.ADMIN,
    ("POST", "/admin/speakers/{slug}"): Access.ADMIN,
    ("POST", "/admin/speakers/{slug}/retire"): Access.ADMIN,
    ("POST", "/admin/speakers/{slug}/restore"): Access.ADMIN,
    ("POST", "/admin/speakers/{slug}/reprocess"): Access.ADMIN,
    ("GET", "/admin/outlets"): Access.ADMIN,
    ("POST", "/admin/outlets"): Access.ADMIN,
    ("GET", "/admin/outlets/{slug}"): Access.ADMIN,
    ("POST", "/admin/outlets/{slug}"): Access.ADMIN,
    ("POST", "/admin/outlets/{slug}/retire"): Access.ADMIN,
    ("POST", "/admin/outlets/{slug}/restore"): Access.ADMIN,
    ("POST", "/admin/outlets/{slug}/reprocess"): Access.ADMIN,
    ("GET", "/admin/themes"): Access.ADMIN,
    ("POST", "/admin/themes"): Access.ADMIN,
    ("GET", "/admin/themes/{slug}"): Access.ADMIN,
    ("POST", "/admin/themes/{slug}"): Access.ADMIN,
    ("POST", "/admin/themes/{slug}/retire"): Access.ADMIN,
    ("POST", "/admin/themes/{slug}/restore"): Access.ADMIN,
    ("POST", "/admin/themes/{slug}/reprocess"): Access.ADMIN,
    ("GET", "/shared/{token}"): Access.PUBLIC,
    ("GET", "/shared/{token}/articles/{article_id}"): Access.PUBLIC,
}


def test_the_declared_levels_are_the_product_policy(app):
    declared = {
        (method, route.path): route_access(route)
        for route in iter_routes(app)
        for method in getattr(route, "methods", None) or ()
    }
    assert {key: declared.get(key) for key in POLICY} == POLICY


@pytest.mark.parametrize(
    "role, expected",
    [(None, "sign-in redirect"), ("viewer", "403"), ("editor", "403"), ("admin", None)],
)
def test_a_registry_change_is_reverted_by_an_admin_only(app, session, role, expected):
    """The revert route is for editors, but a registry change is an admin's to undo, as it
    was an admin's to make: the route refuses an editor after reading the change."""
    theme = session.execute(select(Theme).where(Theme.slug == "sanctions")).scalar_one()
    set_retired(session, entry=theme, retired=True, actor=user_by_name(session, "admin"))
    event = session.execute(
        select(AuditEvent).where(AuditEvent.action == "theme.retire")
    ).scalar_one()
    with TestClient(app, raise_server_exceptions=False) as client:
        response = call_as(client, session, role, "POST", f"/history/{event.id}/revert")
    assert refusal(response) == expected
    assert (theme.retired_at is None) == (role == "admin")
