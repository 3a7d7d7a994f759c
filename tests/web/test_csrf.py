"""CSRF: a state change without the session's token is refused, whatever the route."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import Article
from app.settings import REPO_ROOT
from app.web.csrf import CSRF_HEADER
from tests.factories import article_text

POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
HX_MUTATION = re.compile(r"\bhx-(post|put|patch|delete)=", re.I)


def article_count(session) -> int:
    return session.execute(select(func.count(Article.id))).scalar_one()


def post_upload(client: TestClient, **data):
    return client.post(
        "/upload",
        data={"text": article_text(), **data},
        files={"_": ("", b"")},
        follow_redirects=False,
    )


@pytest.fixture
def editor(app, sign_in):
    """An editor's browser that does NOT send the token by itself (no HTMX header)."""
    with TestClient(app, raise_server_exceptions=False) as client:
        token = sign_in(client, "editor")
        del client.headers[CSRF_HEADER]
        yield client, token


def test_a_form_post_without_the_token_is_refused_and_changes_nothing(editor, session):
    client, _ = editor
    before = article_count(session)
    response = post_upload(client)
    assert response.status_code == 403
    assert "security token is missing or wrong" in response.text
    assert article_count(session) == before


def test_a_form_post_with_a_wrong_token_is_refused(editor, session):
    client, token = editor
    before = article_count(session)
    assert post_upload(client, csrf_token=token[::-1]).status_code == 403
    assert article_count(session) == before


def test_the_token_of_another_session_is_refused(editor, app, sign_in):
    client, _ = editor
    with TestClient(app) as other:
        other_token = sign_in(other, "editor")
    assert post_upload(client, csrf_token=other_token).status_code == 403


def test_a_form_post_with_the_hidden_field_goes_through(editor):
    client, token = editor
    response = post_upload(client, csrf_token=token)
    assert response.status_code == 303


def test_an_htmx_request_with_the_header_goes_through(editor):
    client, token = editor
    response = client.post(
        "/upload/preview",
        data={"text": article_text()},
        headers={"HX-Request": "true", CSRF_HEADER: token},
    )
    assert response.status_code == 200
    assert 'id="preview"' in response.text


def test_a_json_api_call_with_the_session_needs_the_header_too(editor):
    client, token = editor
    assert client.post("/api/articles", json={"text": article_text()}).status_code == 403
    sent = client.post("/api/articles", json={"text": article_text()}, headers={CSRF_HEADER: token})
    assert sent.status_code == 201


def test_signing_in_needs_the_token_of_the_sign_in_form(anonymous_client):
    anonymous_client.get("/login")
    response = anonymous_client.post(
        "/login", data={"username": "viewer", "password": "correct horse battery staple"}
    )
    assert response.status_code == 403


def test_the_token_changes_when_signing_in(anonymous_client):
    page = anonymous_client.get("/login").text
    before = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    anonymous_client.post(
        "/login",
        data={
            "username": "viewer",
            "password": "correct horse battery staple",
            "csrf_token": before,
        },
    )
    after = re.search(r'name="csrf_token" value="([^"]+)"', anonymous_client.get("/account").text)
    assert after and after.group(1) != before


def test_every_page_gives_htmx_the_token_in_hx_headers(client):
    page = client.get("/statements").text
    token = client.headers[CSRF_HEADER]
    assert f'<body hx-headers="{{&#34;{CSRF_HEADER}&#34;: &#34;{token}&#34;}}">' in page


def test_every_post_form_in_the_templates_carries_the_token():
    """A guard for forms added later: each <form method="post"> renders csrf_field()."""
    missing = []
    for template in (REPO_ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for body in POST_FORM.findall(text):
            if "csrf_field()" not in body:
                missing.append(template.name)
    assert missing == []


def test_htmx_mutations_happen_only_inside_pages_that_set_hx_headers():
    """hx-post/put/patch/delete rely on the <body hx-headers> of base.html: every template
    that uses one extends base.html (or is a partial included by such a page)."""
    for template in (REPO_ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if HX_MUTATION.search(text) and "/partials/" not in str(template):
            assert '{% extends "base.html" %}' in text, template.name
