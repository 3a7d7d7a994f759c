"""Editors' changes to speakers: confirm a proposed speaker, add an alias, merge two into
one. Each is audited, shown in the speaker's history and can be reverted; a merge holds
for statements extracted later."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import AuditEvent, Speaker, Statement
from app.services.reprocess import reprocess_articles
from tests.db.test_editorial import TWO_STATEMENTS
from tests.factories import make_article, speaker


@pytest.fixture
def proposed(session) -> Speaker:
    found = Speaker(slug="ivan-testov", name="Ivan Testov", kind="person", confirmed=False)
    session.add(found)
    session.commit()
    return found


def last_event(session) -> AuditEvent:
    return session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()


def audit_count(session) -> int:
    return session.execute(select(func.count(AuditEvent.id))).scalar_one()


def test_confirming_a_proposed_speaker_is_audited_and_revertible(client, session, proposed):
    response = client.post("/speakers/ivan-testov/confirm", follow_redirects=False)
    assert response.status_code == 303
    assert proposed.confirmed is True
    event = last_event(session)
    assert (event.action, event.before, event.after) == (
        "speaker.confirm",
        {"confirmed": False},
        {"confirmed": True},
    )
    page = client.get("/speakers/ivan-testov")
    assert f'action="/history/{event.id}/revert"' in page.text
    client.post(f"/history/{event.id}/revert")
    session.refresh(proposed)
    assert proposed.confirmed is False


def test_an_added_alias_shows_on_the_page_and_a_revert_removes_it(client, session, proposed):
    client.post("/speakers/ivan-testov/aliases", data={"alias": "I. Testov"})
    assert "I. Testov" in client.get("/speakers/ivan-testov").text
    client.post(f"/history/{last_event(session).id}/revert")
    session.refresh(proposed)
    assert [a.alias for a in proposed.aliases] == []


def test_a_duplicate_or_empty_alias_is_refused(client, session, proposed):
    before = audit_count(session)
    assert client.post("/speakers/ivan-testov/aliases", data={"alias": "  "}).status_code == 400
    assert (
        client.post("/speakers/ivan-testov/aliases", data={"alias": "ivan testov"}).status_code
        == 400
    )
    assert audit_count(session) == before


def test_merging_moves_statements_keeps_the_name_as_alias_and_holds_after_reprocessing(
    client, session
):
    article = make_article(session, text=TWO_STATEMENTS)
    ryabkov = speaker(session, "sergei-ryabkov")
    lavrov = speaker(session, "sergey-lavrov")
    response = client.post("/speakers/sergei-ryabkov/merge", data={"into": "Sergey Lavrov"})
    assert response.status_code == 200
    assert str(response.url).endswith("/speakers/sergey-lavrov#history")
    session.expire_all()
    speakers = {
        s.speaker_id
        for s in session.scalars(select(Statement).where(Statement.article_id == article.id))
    }
    assert speakers == {lavrov.id}
    assert "Sergei Ryabkov" in {a.alias for a in lavrov.aliases}
    reprocess_articles(session, article_ids=[article.id])
    session.expire_all()
    speakers = {
        s.speaker_id
        for s in session.scalars(select(Statement).where(Statement.article_id == article.id))
    }
    assert speakers == {lavrov.id}, (
        "a statement extracted again for the merged speaker goes to the other"
    )
    assert "Merged into" in client.get("/speakers/sergei-ryabkov").text
    assert ryabkov.id not in speakers


def test_a_merge_can_be_reverted(client, session):
    article = make_article(session, text=TWO_STATEMENTS)
    ryabkov = speaker(session, "sergei-ryabkov")
    client.post("/speakers/sergei-ryabkov/merge", data={"into": "sergey-lavrov"})
    merge = session.execute(
        select(AuditEvent).where(AuditEvent.action == "speaker.merge")
    ).scalar_one()
    assert client.post(f"/history/{merge.id}/revert", follow_redirects=False).status_code == 303
    session.expire_all()
    speakers = {
        s.speaker.slug
        for s in session.scalars(select(Statement).where(Statement.article_id == article.id))
    }
    assert speakers == {"sergey-lavrov", "sergei-ryabkov"}
    assert session.get(Speaker, ryabkov.id).merged_into_id is None


@pytest.mark.parametrize(
    "into, message",
    [
        ("", "Name the speaker"),
        ("nobody-we-know", "No speaker"),
        ("sergei-ryabkov", "another speaker"),
    ],
)
def test_a_merge_into_nothing_or_itself_is_refused(client, into, message):
    response = client.post("/speakers/sergei-ryabkov/merge", data={"into": into})
    assert response.status_code == 400
    assert message in response.text


def test_speaker_actions_need_an_editor_and_the_csrf_token(app, sign_in, client, proposed):
    with TestClient(app, raise_server_exceptions=False) as viewer:
        sign_in(viewer, "viewer")
        assert viewer.post("/speakers/ivan-testov/confirm").status_code == 403
        assert "confirm-speaker" not in viewer.get("/speakers/ivan-testov").text
    del client.headers["X-CSRF-Token"]
    assert client.post("/speakers/ivan-testov/confirm").status_code == 403
    assert proposed.confirmed is False
