"""The review queue and the editors' actions over HTTP: each action needs an editor and
the CSRF token, leaves one audit row, and shows in the statement's history, from which
it can be reverted."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import AuditEvent, Statement
from tests.db.test_editorial import TWO_STATEMENTS
from tests.factories import make_article


@pytest.fixture
def article(session):
    return make_article(session, text=TWO_STATEMENTS)


def audit_count(session) -> int:
    return session.execute(select(func.count(AuditEvent.id))).scalar_one()


def test_the_queue_lists_new_statements_lowest_confidence_first(client, session, article):
    low, high = sorted(article.statements, key=lambda s: s.id)
    low.confidence, high.confidence = 0.2, 0.9
    session.flush()
    page = client.get("/review")
    assert page.status_code == 200
    assert page.text.index(f'id="review-s{low.id}"') < page.text.index(f'id="review-s{high.id}"')


def test_the_queue_takes_the_timeline_filters(client, article):
    page = client.get("/review?speaker=sergei-ryabkov")
    lavrov = next(s for s in article.statements if s.speaker.slug == "sergey-lavrov")
    assert f'id="review-s{lavrov.id}"' not in page.text
    assert client.get("/review?from=yesterday").status_code == 400


@pytest.mark.parametrize(
    "action, data",
    [
        ("confirm", {}),
        ("reject", {}),
        ("correct", {"speaker": "Sergei Ryabkov", "kind": "indirect"}),
        ("split", {"at": "SPLIT"}),
    ],
)
def test_each_action_leaves_exactly_one_audit_row_per_statement(
    client, session, article, action, data
):
    statement = article.statements[0]
    if data.get("at") == "SPLIT":
        data = {"at": str((statement.start + statement.end) // 2)}
    before = audit_count(session)
    response = client.post(
        f"/statements/{statement.id}/{action}", data=data, follow_redirects=False
    )
    assert response.status_code == 303
    rows = 2 if action == "split" else 1  # a split records both halves
    assert audit_count(session) == before + rows


def test_merging_two_adjacent_statements_leaves_one_audit_row(client, session, article):
    first, second = sorted(article.statements, key=lambda s: s.start)
    before = audit_count(session)
    response = client.post(f"/statements/{first.id}/merge", data={"other": str(second.id)})
    assert response.status_code == 200
    assert audit_count(session) == before + 1
    assert session.get(Statement, second.id) is None


def test_a_correction_by_htmx_returns_the_item_changed_in_place(client, article):
    statement = article.statements[0]
    response = client.post(
        f"/statements/{statement.id}/correct",
        data={
            "speaker": "sergei-ryabkov",
            "kind": statement.kind,
            "start": str(statement.start),
            "end": str(statement.end),
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<li")
    assert "Sergei Ryabkov" in response.text and "corrected" in response.text


def test_the_history_shows_a_change_and_a_revert_restores_it(client, session, article):
    statement = next(s for s in article.statements if s.speaker.slug == "sergey-lavrov")
    client.post(
        f"/statements/{statement.id}/correct",
        data={"speaker": "sergei-ryabkov", "kind": statement.kind},
    )
    page = client.get(f"/statements/{statement.id}")
    assert "sergey-lavrov" in page.text and "sergei-ryabkov" in page.text
    event = session.execute(
        select(AuditEvent).where(
            AuditEvent.target_id == statement.id, AuditEvent.action == "statement.correct"
        )
    ).scalar_one()
    assert f'action="/history/{event.id}/revert"' in page.text
    response = client.post(f"/history/{event.id}/revert", follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Statement, statement.id).speaker.slug == "sergey-lavrov"
    assert "revert" in client.get(f"/statements/{statement.id}").text


def test_a_rejected_statement_leaves_the_timeline_and_the_article_page(client, article):
    statement = article.statements[0]
    client.post(f"/statements/{statement.id}/reject")
    assert f'card-s{statement.id}"' not in client.get("/statements").text
    assert f'card-s{statement.id}"' not in client.get(f"/articles/{article.id}").text
    assert statement.id not in {s["id"] for s in client.get("/api/statements").json()["statements"]}


@pytest.mark.parametrize(
    "action, data, message",
    [
        ("correct", {"speaker": "Nobody In Particular"}, "No speaker"),
        ("correct", {"start": "-4"}, "whole number"),
        ("correct", {"start": "0", "end": "99999999"}, "inside the article"),
        ("correct", {"stated_on": "2022-13-45"}, "YYYY-MM-DD"),
        ("correct", {"kind": "<script>"}, "kind is one of"),
        ("correct", {"theme": "x' OR 1=1 --", "whole_form": "1"}, "No theme"),
        ("split", {"at": "1"}, "inside the statement"),
        ("merge", {"other": "999999"}, "Choose the statement"),
    ],
)
def test_a_bad_value_is_refused_with_a_reason_and_changes_nothing(
    client, session, article, action, data, message
):
    statement = article.statements[0]
    before = audit_count(session)
    response = client.post(f"/statements/{statement.id}/{action}", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert audit_count(session) == before


def test_a_viewer_is_refused_and_a_visitor_sent_to_sign_in(app, sign_in, anonymous_client, article):
    statement = article.statements[0]
    with TestClient(app, raise_server_exceptions=False) as viewer:
        sign_in(viewer, "viewer")
        assert viewer.get("/review").status_code == 403
        assert viewer.post(f"/statements/{statement.id}/confirm").status_code == 403
    response = anonymous_client.post(f"/statements/{statement.id}/confirm", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_an_action_without_the_csrf_token_is_refused(client, session, article):
    statement = article.statements[0]
    before = audit_count(session)
    del client.headers["X-CSRF-Token"]
    response = client.post(f"/statements/{statement.id}/confirm")
    assert response.status_code == 403
    assert audit_count(session) == before


def test_an_unknown_statement_or_change_is_a_404(client):
    assert client.get("/statements/2147483647").status_code == 404
    assert client.post("/statements/2147483647/confirm").status_code == 404
    assert client.post("/history/2147483647/revert").status_code == 404


def test_a_correction_that_names_only_the_speaker_keeps_the_date_and_themes(
    client, session, article
):
    statement = article.statements[0]
    date_before = statement.stated_on
    themes_before = sorted(link.theme.slug for link in statement.themes)
    client.post(f"/statements/{statement.id}/correct", data={"speaker": "sergei-ryabkov"})
    session.expire_all()
    statement = session.get(Statement, statement.id)
    assert statement.speaker.slug == "sergei-ryabkov"
    assert statement.stated_on == date_before
    assert sorted(link.theme.slug for link in statement.themes) == themes_before


def test_the_whole_form_with_nothing_in_speaker_date_and_themes_clears_them(
    client, session, article
):
    statement = article.statements[0]
    client.post(
        f"/statements/{statement.id}/correct",
        data={"whole_form": "1", "speaker": "", "stated_on": "", "kind": statement.kind},
    )
    session.expire_all()
    statement = session.get(Statement, statement.id)
    assert (statement.speaker_id, statement.themes, statement.stated_on) == (None, [], None)
    assert statement.stated_precision is None


def test_the_queue_offers_to_merge_a_statement_with_the_next_of_its_article(client, article):
    first, second = sorted(article.statements, key=lambda s: s.start)
    page = client.get("/review")
    assert f'action="/statements/{first.id}/merge"' in page.text
    assert f'name="other" value="{second.id}"' in page.text


def test_the_history_lists_themes_as_words_not_code(client, article):
    statement = article.statements[0]
    client.post(
        f"/statements/{statement.id}/correct",
        data={
            "whole_form": "1",
            "theme": ["sanctions", "nato-enlargement"],
            "kind": statement.kind,
        },
    )
    page = client.get(f"/statements/{statement.id}").text
    assert "nato-enlargement, sanctions" in page
    assert "[&#39;" not in page
