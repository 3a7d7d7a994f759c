"""Saved views: name a view, list the team's views, open one, delete one; forms without JS."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import SavedView, User
from tests.web.explore_corpus import two_speakers


@pytest.fixture
def corpus(session):
    return two_speakers(session)


def save(client, name: str, query: str, **headers: str):
    return client.post(
        "/views", data={"name": name, "query": query}, headers=headers, follow_redirects=False
    )


def test_saving_a_view_stores_its_canonical_query_and_description(client, session, corpus):
    response = save(client, "  Lavrov   in RT ", "outlet=rt&speaker=sergey-lavrov&page=3&q=")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/views?saved=")
    view = session.execute(select(SavedView)).scalar_one()
    assert view.name == "Lavrov in RT"
    assert view.query == "speaker=sergey-lavrov&outlet=rt"
    assert view.description == "Statements by Sergey Lavrov in RT"
    saver = session.execute(select(User).where(User.username == "editor")).scalar_one()
    assert view.created_by == saver.id, "the view remembers who saved it"


def test_the_list_links_to_each_view_and_its_exports(client, corpus):
    save(client, "Lavrov in RT", "speaker=sergey-lavrov&outlet=rt")
    save(client, "Everything", "")
    page = client.get("/views")
    assert page.status_code == 200
    assert 'href="/statements?speaker=sergey-lavrov&amp;outlet=rt">Lavrov in RT</a>' in page.text
    assert 'href="/statements">Everything</a>' in page.text
    assert "Statements by Sergey Lavrov in RT" in page.text
    assert 'href="/statements.csv?speaker=sergey-lavrov&amp;outlet=rt"' in page.text
    assert page.text.index("Everything") < page.text.index("Lavrov in RT"), "newest first"
    opened = client.get("/statements?speaker=sergey-lavrov&outlet=rt")
    assert opened.status_code == 200


def test_after_saving_the_list_says_so(client, corpus):
    response = save(client, "Mine", "q=security")
    page = client.get(response.headers["location"])
    assert "The view was saved" in page.text


def test_a_name_already_taken_is_refused_with_a_409_and_the_form_again(client, session, corpus):
    assert save(client, "Lavrov", "speaker=sergey-lavrov").status_code == 303
    again = save(client, "lavrov", "outlet=rt")
    assert again.status_code == 409
    assert "already saved as “lavrov”" in again.text
    assert 'name="query" value="outlet=rt"' in again.text
    assert len(session.execute(select(SavedView)).all()) == 1


def test_htmx_save_answers_with_a_status_line_only(client, corpus):
    done = save(client, "Quick", "speaker=sergey-lavrov", **{"HX-Request": "true"})
    assert done.status_code == 200
    assert "<html" not in done.text
    assert "Saved as “Quick”" in done.text
    taken = save(client, "Quick", "", **{"HX-Request": "true"})
    assert taken.status_code == 409
    assert "already saved" in taken.text and "<html" not in taken.text


@pytest.mark.parametrize(
    ("name", "query", "status", "message"),
    [
        ("", "speaker=sergey-lavrov", 422, "Give the view a name"),
        ("   ", "", 422, "Give the view a name"),
        ("x" * 121, "", 422, "too long"),
        ("Nul\x00name", "", 422, "control characters"),
        ("Bad dates", "from=2022-02-31", 400, "is not a date"),
        ("Bad key", "colour=red", 400, "not a filter"),
        ("<script>alert(1)</script>", "speaker=%3Cscript%3E", 400, "not a valid identifier"),
    ],
)
def test_bad_names_and_queries_are_refused_with_a_message(
    client, session, name, query, status, message
):
    response = save(client, name, query)
    assert response.status_code == status
    assert message in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert session.execute(select(SavedView)).first() is None


def test_an_oversized_form_field_is_a_400_not_a_500(client):
    response = save(client, "Huge", "q=" + "x" * 20_000)
    assert response.status_code == 400


def test_deleting_a_view_removes_it_and_twice_is_harmless(client, session, corpus):
    save(client, "Doomed", "outlet=rt")
    view = session.execute(select(SavedView)).scalar_one()
    response = client.post(f"/views/{view.id}/delete", follow_redirects=False)
    assert response.status_code == 303
    assert "The view was deleted" in client.get(response.headers["location"]).text
    assert session.execute(select(SavedView)).first() is None
    assert client.post(f"/views/{view.id}/delete", follow_redirects=False).status_code == 303
    assert client.post("/views/99999999999/delete").status_code == 400
    assert client.get(f"/views/{view.id}/delete").status_code == 405


def test_htmx_delete_answers_with_nothing_to_swap_in(client, session, corpus):
    save(client, "Doomed", "outlet=rt")
    view = session.execute(select(SavedView)).scalar_one()
    response = client.post(f"/views/{view.id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text == ""


def test_the_timeline_offers_to_save_the_current_view(client, corpus):
    page = client.get("/statements?speaker=sergey-lavrov").text
    assert 'action="/views"' in page
    assert 'name="query" value="speaker=sergey-lavrov"' in page


def test_empty_list_explains_how_to_save_a_view(client):
    page = client.get("/views")
    assert page.status_code == 200
    assert "No saved views yet" in page.text
