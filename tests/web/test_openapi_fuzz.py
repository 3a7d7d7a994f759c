"""Schemathesis against the OpenAPI description, in-process through the ASGI app: no
request the description allows, however odd its values, gets a 500.

The caller is an editor with an API token, so every operation is reachable (a token
skips CSRF, as for any program calling the API). The number of examples per operation is
bounded so the whole run stays under a minute; every test runs in the test's rolled-back
transaction.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app.services.accounts import create_api_token, user_by_name
from tests.factories import make_article

# Generated examples only: the coverage phase (every boundary of every parameter) would
# take minutes on the shared machine; hypothesis' examples already reach the edges.
FUZZ_CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)


@pytest.fixture
def editor_token(session) -> str:
    return create_api_token(session, user_by_name(session, "editor"), label="schemathesis")


@pytest.fixture
def api_schema(app, session, editor_token):
    make_article(session)
    return schemathesis.openapi.from_asgi(
        "/openapi.json",
        app,
        config=FUZZ_CONFIG,
        headers={"Authorization": f"Bearer {editor_token}"},
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_the_description_allows_gets_a_server_error(case, session, editor_token):
    # Every example shares the test's session: a failed statement in one must not abort
    # the others' transaction, so each starts from a clean savepoint.
    session.rollback()
    response = case.call(headers={"Authorization": f"Bearer {editor_token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"


@pytest.mark.parametrize("field", ["title", "outlet", "url"])
def test_an_article_field_with_a_nul_character_is_refused_not_a_server_error(client, field):
    article = {"text": "A short dispatch about the talks.", field: "Talks\x00resume"}
    response = client.post("/api/articles", json={"articles": [article]})
    assert response.status_code == 422
    assert "NUL" in response.text
