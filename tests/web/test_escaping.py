"""Article data is untrusted: every page escapes it (the Chromium check is in
tests/browser/test_security.py; this one reads the HTML the server sends)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from app.ingest import OutletRef
from app.models import Speaker, Statement
from app.services import counts
from app.settings import REPO_ROOT
from tests.factories import article_text, make_article

SCRIPT = "<script>alert('x')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile(session):
    article = make_article(
        session,
        text=article_text(said=f"We reject {SCRIPT} and {ATTRIBUTE} entirely"),
        title=f"Title {SCRIPT}",
        outlet=OutletRef(
            slug="hostile-outlet", name=f"Outlet {ATTRIBUTE}", domain=None, known=False
        ),
    )
    speaker = Speaker(
        slug="hostile-speaker", name=f"Speaker {SCRIPT}", kind="person", confirmed=False
    )
    session.add(speaker)
    session.flush()
    # Changed around the app's services, so the counts are moved here.
    counts.withdraw(session, article_ids=[article.id])
    session.execute(
        update(Statement)
        .where(Statement.article_id == article.id)
        .values(speaker_id=speaker.id, speaker_mention=ATTRIBUTE)
    )
    counts.add(session, article_ids=[article.id])
    session.flush()
    return article


@pytest.mark.parametrize(
    "path",
    [
        "/statements",
        "/statements?speaker=hostile-speaker",
        "/statements?outlet=hostile-outlet",
        "/statements?q=reject",
        "/articles/{id}",
    ],
)
def test_hostile_article_fields_arrive_escaped(client, hostile, path):
    page = client.get(path.format(id=hostile.id), follow_redirects=True)
    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert ATTRIBUTE not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_a_hostile_filter_value_is_escaped_in_the_error_message(client):
    page = client.get("/statements", params={"speaker": SCRIPT})
    assert page.status_code == 400
    assert SCRIPT not in page.text


def test_no_template_marks_data_as_safe():
    """`|safe` would switch autoescape off; markup built from article text is made in
    Python with markupsafe.escape (app/web/highlight.py) instead."""
    offenders = [
        template.name
        for template in (REPO_ROOT / "templates").rglob("*.html")
        if re.search(r"\|\s*safe\b", template.read_text(encoding="utf-8"))
    ]
    assert offenders == []
