"""Read-only share links: an editor makes one for a view; a visitor without an account
sees that view and its articles, nothing else, until it expires (then a 410 page)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.models import AuditEvent, ShareLink
from app.services.sharing import token_hash
from tests.db.test_editorial import TWO_STATEMENTS
from tests.factories import article_text, make_article


@pytest.fixture
def articles(session):
    return make_article(session, text=TWO_STATEMENTS), make_article(
        session, text=article_text(speaker="Maria Zakharova")
    )


def make_link(client, query: str, days: str = "7") -> str:
    response = client.post("/share", data={"query": query, "days": days})
    assert response.status_code == 201, response.text
    return re.search(r"/shared/[A-Za-z0-9_-]+", response.text).group(0)


def test_a_visitor_with_the_link_sees_only_that_view_read_only(client, anonymous_client, articles):
    ryabkov_article, other = articles
    path = make_link(client, "speaker=sergei-ryabkov")
    page = anonymous_client.get(path)
    assert page.status_code == 200
    assert "Sergei Ryabkov" in page.text and "Maria Zakharova" not in page.text
    assert "csrf_token" not in page.text and 'method="post" action="/statements' not in page.text
    assert page.headers["x-robots-tag"] == "noindex"
    assert anonymous_client.get(f"{path}?speaker=maria-zakharova").text.count("Zakharova") == 0
    assert anonymous_client.get(f"{path}/articles/{ryabkov_article.id}").status_code == 200
    assert anonymous_client.get(f"{path}/articles/{other.id}").status_code == 404
    assert anonymous_client.get("/statements", follow_redirects=False).status_code == 303


def test_the_token_is_stored_hashed_and_making_a_link_is_audited(client, session, articles):
    path = make_link(client, "speaker=sergei-ryabkov")
    token = path.rsplit("/", 1)[1]
    link = session.execute(select(ShareLink).order_by(ShareLink.id.desc()).limit(1)).scalar_one()
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert link.query == "speaker=sergei-ryabkov"
    event = session.execute(
        select(AuditEvent).where(AuditEvent.action == "share.create")
    ).scalar_one()
    assert event.target_id == link.id


def test_an_expired_link_gets_a_410_page_and_an_unknown_one_a_404(
    client, anonymous_client, session, articles
):
    path = make_link(client, "", days="1")
    link = session.execute(select(ShareLink).order_by(ShareLink.id.desc()).limit(1)).scalar_one()
    link.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    expired = anonymous_client.get(path)
    assert expired.status_code == 410
    assert "This link expired" in expired.text
    assert anonymous_client.get(path + "/articles/1").status_code == 410
    unknown = anonymous_client.get("/shared/" + "x" * 43)
    assert unknown.status_code == 404 and "not valid" in unknown.text
    assert anonymous_client.get("/shared/" + "x" * 5000).status_code < 500


@pytest.mark.parametrize(
    "data",
    [
        {"query": "from=not-a-date"},
        {"query": "", "days": "0"},
        {"query": "", "days": "365"},
        {"query": "", "days": "-1"},
    ],
)
def test_a_bad_view_or_duration_is_refused(client, data):
    assert client.post("/share", data=data).status_code == 400


def test_only_an_editor_with_the_csrf_token_makes_a_link(app, sign_in, client, anonymous_client):
    with TestClient(app, raise_server_exceptions=False) as viewer:
        sign_in(viewer, "viewer")
        assert viewer.post("/share", data={"query": ""}).status_code == 403
        assert 'action="/share"' not in viewer.get("/statements").text
    assert (
        anonymous_client.post("/share", data={"query": ""}, follow_redirects=False).status_code
        == 303
    )
    del client.headers["X-CSRF-Token"]
    assert client.post("/share", data={"query": ""}).status_code == 403


def latest_link(session) -> ShareLink:
    return session.execute(select(ShareLink).order_by(ShareLink.id.desc()).limit(1)).scalar_one()


def test_editors_see_the_open_links_with_who_made_them_the_view_and_the_expiry(
    client, session, articles
):
    make_link(client, "speaker=sergei-ryabkov", days="3")
    expired = make_link(client, "speaker=maria-zakharova")
    old = latest_link(session)
    old.expires_at = datetime.now(UTC) - timedelta(days=1)
    session.commit()
    page = client.get("/share")
    assert page.status_code == 200
    links = page.text[page.text.index('id="share-links"') :]
    assert "Sergei Ryabkov" in links and "Made by editor" in links
    assert "Maria Zakharova" not in links, f"the expired {expired} is no longer listed"
    assert "expires " in links and 'action="/share/' in links


def test_a_withdrawn_link_stops_working_at_once_and_the_withdrawal_is_audited(
    client, anonymous_client, session, articles
):
    ryabkov_article, _ = articles
    path = make_link(client, "speaker=sergei-ryabkov")
    link = latest_link(session)
    assert anonymous_client.get(path).status_code == 200
    response = client.post(f"/share/{link.id}/withdraw", follow_redirects=False)
    assert response.status_code == 303
    gone = anonymous_client.get(path)
    assert gone.status_code == 410 and "withdrawn" in gone.text
    assert anonymous_client.get(f"{path}/articles/{ryabkov_article.id}").status_code == 410
    assert f"link-{link.id}" not in client.get("/share").text
    [event] = session.execute(
        select(AuditEvent).where(AuditEvent.action == "share.withdraw")
    ).scalars()
    assert event.target_id == link.id and event.actor_name == "editor"
    assert event.before["withdrawn_at"] is None and event.after["withdrawn_at"]


def test_withdrawing_twice_or_an_unknown_link_is_a_clear_refusal(client, session, articles):
    make_link(client, "")
    link = latest_link(session)
    assert client.post(f"/share/{link.id}/withdraw").status_code in {200, 303}
    again = client.post(f"/share/{link.id}/withdraw")
    assert again.status_code == 409 and "already withdrawn" in again.text
    assert client.post("/share/999999/withdraw").status_code == 404
    assert client.post("/share/abc/withdraw").status_code in {400, 404, 422}
    assert client.post("/share/-1/withdraw").status_code in {400, 404, 422}


def test_only_an_editor_with_the_csrf_token_withdraws_a_link(app, sign_in, client, articles):
    make_link(client, "")
    with TestClient(app, raise_server_exceptions=False) as viewer:
        sign_in(viewer, "viewer")
        assert viewer.get("/share").status_code == 403
    link_id = client.get("/share").text.split('action="/share/')[1].split("/")[0]
    del client.headers["X-CSRF-Token"]
    assert client.post(f"/share/{link_id}/withdraw").status_code == 403
