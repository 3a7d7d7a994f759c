"""Accounts: signing in and out, session cookies, password change, the pause after failed
sign-ins, anonymous browsing, API tokens and the `demarche user` command."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.cli import cli
from app.models import ApiToken
from app.services.accounts import (
    AccountError,
    create_api_token,
    create_user,
    user_by_name,
)
from app.web.csrf import CSRF_HEADER
from app.web.sessions import COOKIE_NAME
from tests.conftest import TEST_PASSWORD
from tests.contract import runner
from tests.factories import article_text

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(client: TestClient, path: str = "/login") -> str:
    return CSRF_FIELD.search(client.get(path).text).group(1)


def sign_in_with_form(
    client: TestClient, username: str, password: str = TEST_PASSWORD, *, next_url: str = "/"
):
    token = form_token(client)
    return client.post(
        "/login",
        data={"username": username, "password": password, "next": next_url, "csrf_token": token},
        follow_redirects=False,
    )


def test_passwords_are_stored_as_argon2id_hashes(session):
    create_user(session, username="hashcheck", password="a long enough secret", role="viewer")
    stored = user_by_name(session, "hashcheck").password_hash
    assert stored.startswith("$argon2id$")
    assert "a long enough secret" not in stored


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("x", "a long enough secret", "viewer", "2 to 40 characters"),
        ("Bad Name!", "a long enough secret", "viewer", "lowercase letters"),
        ("shortpass", "short", "viewer", "at least 10 characters"),
        ("samename12", "samename12", "viewer", "cannot be the username"),
        ("goodname", "a long enough secret", "superuser", "role must be one of"),
        ("editor", "a long enough secret", "viewer", "is taken"),
    ],
)
def test_an_account_with_bad_details_is_refused_with_the_reason(
    session, username, password, role, message
):
    with pytest.raises(AccountError, match=message):
        create_user(session, username=username, password=password, role=role)


def test_signing_in_with_the_form_opens_the_page_asked_for(anonymous_client):
    response = sign_in_with_form(anonymous_client, "viewer", next_url="/statements?q=nato")
    assert response.status_code == 303
    assert response.headers["location"] == "/statements?q=nato"
    page = anonymous_client.get("/statements")
    assert page.status_code == 200
    assert 'class="account-name"' in page.text and ">viewer<" in page.text


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_signing_in_never_sends_the_browser_to_another_site(anonymous_client, target):
    response = sign_in_with_form(anonymous_client, "viewer", next_url=target)
    assert response.headers["location"] == "/"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(anonymous_client):
    wrong_password = sign_in_with_form(anonymous_client, "viewer", "not the password")
    no_such_user = sign_in_with_form(anonymous_client, "nobody-here", "not the password")
    assert wrong_password.status_code == no_such_user.status_code == 422
    assert "Wrong username or password." in wrong_password.text
    assert "Wrong username or password." in no_such_user.text
    assert anonymous_client.get("/statements", follow_redirects=False).status_code == 303


def test_session_cookie_is_httponly_and_samesite_lax_and_not_secure_over_http(anonymous_client):
    response = sign_in_with_form(anonymous_client, "viewer")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_served_over_https(app):
    with TestClient(app, base_url="https://demarche.example") as client:
        response = sign_in_with_form(client, "viewer")
    assert response.status_code == 303
    assert "; Secure" in response.headers["set-cookie"]


def test_a_forged_session_cookie_is_ignored(anonymous_client):
    anonymous_client.cookies.set(COOKIE_NAME, "eyJzaWQiOiJ4In0.forged.signature")
    response = anonymous_client.get("/statements", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_signing_out_ends_the_session_on_the_server_too(anonymous_client, session):
    sign_in_with_form(anonymous_client, "viewer")
    stolen = anonymous_client.cookies.get(COOKIE_NAME)
    token = form_token(anonymous_client, "/account")
    response = anonymous_client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    anonymous_client.cookies.set(COOKIE_NAME, stolen)
    replayed = anonymous_client.get("/statements", follow_redirects=False)
    assert replayed.status_code == 303, "a copy of the old cookie still worked after sign-out"


def test_password_change_needs_the_current_password_and_a_long_new_one(client):
    wrong = client.post(
        "/account/password",
        data={
            "current_password": "not it",
            "new_password": "a brand new secret",
            "confirm_password": "a brand new secret",
        },
    )
    assert wrong.status_code == 422
    assert "current password is not right" in wrong.text
    short = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "short",
            "confirm_password": "short",
        },
    )
    assert short.status_code == 422
    assert "at least 10 characters" in short.text
    mismatch = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "a brand new secret",
            "confirm_password": "another new secret",
        },
    )
    assert "differ" in mismatch.text


def test_changing_the_password_signs_out_every_other_browser(app, sign_in, session):
    with TestClient(app) as laptop, TestClient(app) as phone:
        sign_in(laptop, "editor")
        sign_in(phone, "editor")
        response = laptop.post(
            "/account/password",
            data={
                "current_password": TEST_PASSWORD,
                "new_password": "a brand new secret",
                "confirm_password": "a brand new secret",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert "password was changed" in laptop.get(response.headers["location"]).text
        assert laptop.get("/statements", follow_redirects=False).status_code == 200
        assert phone.get("/statements", follow_redirects=False).status_code == 303
    with TestClient(app) as other:
        assert sign_in_with_form(other, "editor", "a brand new secret").status_code == 303


def test_repeated_failures_pause_sign_in_for_that_account_even_with_the_right_password(
    anonymous_client, settings
):
    for _ in range(settings.login_failures_allowed):
        assert sign_in_with_form(anonymous_client, "viewer", "guess guess").status_code == 422
    paused = sign_in_with_form(anonymous_client, "viewer", TEST_PASSWORD)
    assert paused.status_code == 429
    assert int(paused.headers["retry-after"]) == settings.login_window_minutes * 60
    assert "Too many failed sign-ins" in paused.text
    assert sign_in_with_form(anonymous_client, "editor").status_code == 303, (
        "another account from the same address was paused too"
    )


def test_a_deactivated_account_cannot_sign_in_and_its_sessions_stop(anonymous_client, session):
    sign_in_with_form(anonymous_client, "viewer")
    assert anonymous_client.get("/statements", follow_redirects=False).status_code == 200
    user = user_by_name(session, "viewer")
    user.active = False
    session.flush()
    assert anonymous_client.get("/statements", follow_redirects=False).status_code == 303
    assert sign_in_with_form(anonymous_client, "viewer").status_code == 422


def test_without_anonymous_read_a_visitor_is_sent_to_sign_in(anonymous_client):
    page = anonymous_client.get("/statements?speaker=sergey-lavrov", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/statements%3Fspeaker%3Dsergey-lavrov"
    api = anonymous_client.get("/openapi.json")
    assert api.status_code == 401
    assert api.headers["www-authenticate"] == "Bearer"


def test_with_anonymous_read_a_visitor_browses_but_cannot_change_anything(app, settings):
    app.state.settings = settings.model_copy(update={"anonymous_read": True})
    with TestClient(app) as visitor:
        assert visitor.get("/statements").status_code == 200
        assert "Sign in" in visitor.get("/statements").text
        upload = visitor.get("/upload", follow_redirects=False)
        assert upload.status_code == 303
        posted = visitor.post(
            "/upload",
            data={"text": article_text(), "csrf_token": form_token(visitor)},
            follow_redirects=False,
        )
        assert posted.status_code == 303
        assert posted.headers["location"].startswith("/login")


def test_htmx_requests_of_a_signed_out_visitor_are_sent_to_the_sign_in_page(anonymous_client):
    response = anonymous_client.get("/statements", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=/statements"


def test_an_api_token_posts_articles_without_a_session_or_csrf_token(anonymous_client, session):
    token = create_api_token(session, user_by_name(session, "editor"), label="nightly import")
    response = anonymous_client.post(
        "/api/articles",
        json={"text": article_text()},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    assert CSRF_HEADER not in anonymous_client.headers


def test_an_unknown_api_token_gets_401(anonymous_client):
    response = anonymous_client.post(
        "/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer dm_not-a-token"}
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "The API token is unknown or revoked."}


def test_a_viewers_api_token_cannot_post_articles(anonymous_client, session):
    token = create_api_token(session, user_by_name(session, "viewer"), label="reader")
    response = anonymous_client.post(
        "/api/articles", json={"text": article_text()}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403


def test_cli_creates_an_admin_after_asking_for_the_password_twice(cli_database):
    result = runner.invoke(
        cli,
        ["user", "create", "Amina", "--role", "admin"],
        input="a long enough secret\na long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin “amina”." in result.stdout
    assert "a long enough secret" not in result.stdout
    listed = runner.invoke(cli, ["user", "list"])
    assert re.search(r"amina\s+admin\s+active", listed.stdout)


def test_cli_refuses_a_taken_username_and_a_short_password(cli_database):
    runner.invoke(cli, ["user", "create", "amina", "--generate-password"])
    taken = runner.invoke(cli, ["user", "create", "amina", "--generate-password"])
    assert taken.exit_code == 2
    assert "is taken" in taken.stderr
    short = runner.invoke(cli, ["user", "create", "bo", "--role", "editor"], input="short\nshort\n")
    assert short.exit_code == 2
    assert "at least 10 characters" in short.stderr


def test_cli_resets_a_password_and_makes_api_tokens(cli_database):
    created = runner.invoke(
        cli, ["user", "create", "desk", "--role", "editor", "--generate-password"]
    )
    assert created.exit_code == 0, created.output
    reset = runner.invoke(cli, ["user", "password", "desk", "--generate-password"])
    assert reset.exit_code == 0, reset.output
    assert "sessions and API tokens were ended" in reset.stdout
    token = runner.invoke(cli, ["user", "token", "desk", "--label", "nightly"])
    assert token.exit_code == 0
    assert token.stdout.startswith("dm_")
    unknown = runner.invoke(cli, ["user", "token", "nobody"])
    assert unknown.exit_code == 2


def test_the_api_description_declares_the_bearer_token(client):
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "`demarche user token NAME` prints one; it acts with that account's role.",
    }
    assert {"apiToken": []} in schema["paths"]["/api/articles"]["post"]["security"]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("nul\x00byte", "x"),
        ("viewer", "nul\x00byte"),
        ("u" * 100_000, "p"),
        ("viewer", "p" * 100_000),
        ("' OR 1=1 --", "' OR 1=1 --"),
        ("émile\u202e", "\U0001f600" * 10),
    ],
    ids=["nul-username", "nul-password", "huge-username", "huge-password", "sql", "unicode"],
)
def test_hostile_sign_in_values_are_refused_with_a_4xx(anonymous_client, username, password):
    response = sign_in_with_form(anonymous_client, username, password)
    assert response.status_code == 422, response.text[:300]
    assert "Wrong username or password." in response.text


def test_hostile_next_values_never_break_the_sign_in_page(anonymous_client):
    for target in ["/\x00", "/%00", "/\r\nSet-Cookie: x=1", "x" * 5000]:
        response = anonymous_client.get("/login", params={"next": target})
        assert response.status_code in {200, 400}


def test_a_blank_or_short_secret_key_is_refused_at_start(monkeypatch):
    from pydantic import ValidationError

    from app.settings import Settings

    monkeypatch.setenv("DEMARCHE_SECRET_KEY", "")
    with pytest.raises(ValidationError, match="at least 32"):
        Settings()


def test_serve_keeps_a_generated_secret_key_in_the_data_dir(tmp_path):
    from app.cli import with_secret_key
    from app.settings import Settings

    first = with_secret_key(Settings(data_dir=tmp_path, secret_key=None))
    again = with_secret_key(Settings(data_dir=tmp_path, secret_key=None))
    assert first.secret_key.get_secret_value() == again.secret_key.get_secret_value()
    assert len(first.secret_key.get_secret_value()) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_editor_makes_an_api_token_on_the_account_page_and_revokes_it(client, session):
    made = client.post("/account/tokens", data={"label": "nightly import"})
    assert made.status_code == 201
    token = re.search(r'<code class="secret">(dm_[^<]+)</code>', made.text).group(1)
    assert "nightly import" in made.text
    assert token not in client.get("/account").text, "the token was shown twice"
    with TestClient(client.app) as program:
        headers = {"Authorization": f"Bearer {token}"}
        assert (
            program.post(
                "/api/articles", json={"text": article_text()}, headers=headers
            ).status_code
            == 201
        )
        token_id = re.search(
            r'action="/account/tokens/(\d+)/revoke"', client.get("/account").text
        ).group(1)
        revoked = client.post(f"/account/tokens/{token_id}/revoke", follow_redirects=False)
        assert revoked.status_code == 303
        assert (
            program.post(
                "/api/articles", json={"text": article_text()}, headers=headers
            ).status_code
            == 401
        )


def test_a_token_needs_a_label_and_only_its_owner_may_revoke_it(client, session):
    assert client.post("/account/tokens", data={"label": "  "}).status_code == 422
    create_api_token(session, user_by_name(session, "viewer"), label="theirs")
    token_id = session.execute(select(ApiToken.id).where(ApiToken.label == "theirs")).scalar_one()
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert session.get(ApiToken, token_id) is not None
