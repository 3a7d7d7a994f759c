"""Security headers on every kind of response, and templates the CSP can allow."""

from __future__ import annotations

import re

import pytest

from app.settings import REPO_ROOT
from app.web.security_headers import CONTENT_SECURITY_POLICY

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/statements"),
        ("GET", "/login"),
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("GET", "/static/css/app.css"),
        ("GET", "/no/such/page"),
        ("POST", "/api/articles"),
        ("GET", "/healthz"),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path):
    response = client.request(method, path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers


def test_the_policy_forbids_inline_script_eval_and_framing():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in directives["style-src-elem"]


def test_a_refused_oversized_upload_carries_the_headers_too(client):
    response = client.post(
        "/upload", content=b"x" * 400_000, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 413
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_https_responses_ask_browsers_to_stay_on_https(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://demarche.example") as client:
        response = client.get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_templates_have_no_inline_script_handler_or_style_element():
    """What the CSP would block must not be written in the first place."""
    problems = []
    for template in (REPO_ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for name, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("on...= handler", EVENT_HANDLER),
            ("javascript: URL", JAVASCRIPT_URL),
            ("<style> element", STYLE_ELEMENT),
        ]:
            if pattern.search(text):
                problems.append(f"{template.relative_to(REPO_ROOT)}: {name}")
    assert problems == []


def test_htmx_is_configured_for_the_csp(client):
    page = client.get("/statements").text
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', page).group(1)
    assert '"includeIndicatorStyles":false' in config
    assert '"allowEval":false' in config


def test_api_docs_start_swagger_from_a_static_file(client):
    page = client.get("/docs").text
    assert INLINE_SCRIPT.search(page) is None
    assert '<script src="/static/js/api-docs.js"></script>' in page
    assert client.get("/static/js/api-docs.js").status_code == 200
