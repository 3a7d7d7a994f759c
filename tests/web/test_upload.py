"""The upload form: a pasted article is stored and extracted; bad input is refused clearly."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Article
from tests.factories import article_text


def post(client, **fields):
    files = fields.pop("files", None)
    return client.post(
        "/upload", data=fields, files=files or {"_": ("", b"")}, follow_redirects=False
    )


def article_count(session) -> int:
    return session.execute(select(func.count(Article.id))).scalar_one()


def test_upload_form_is_served(client):
    page = client.get("/upload")
    assert page.status_code == 200
    assert 'name="text"' in page.text and 'name="published"' in page.text


def test_pasted_article_is_stored_and_shown_with_its_statements(client, session):
    response = post(
        client,
        text=article_text(),
        outlet="Reuters",
        published="2022-01-21",
        url="https://www.reuters.com/world/europe/story-2022-01-21/",
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/articles/") and location.endswith("?stored=1")
    page = client.get(location)
    assert "Stored." in page.text
    assert "Reuters" in page.text
    assert "statement" in page.text


def test_uploaded_txt_file_is_stored(client):
    response = post(
        client, files={"file": ("wire.txt", article_text().encode("utf-8"), "text/plain")}
    )
    assert response.status_code == 303


def test_impossible_date_is_refused_and_the_form_keeps_what_was_typed(client, session):
    before = article_count(session)
    text = article_text()
    response = post(client, text=text, published="31/02/2022", outlet="TASS")
    assert response.status_code == 422
    assert "is not a valid date" in response.text
    assert 'value="TASS"' in response.text
    assert "round" in response.text
    assert article_count(session) == before


def test_url_that_is_not_http_is_refused(client):
    response = post(client, text=article_text(), url="javascript:alert(1)")
    assert response.status_code == 422
    assert "http:// or https://" in response.text


def test_empty_paste_is_refused(client):
    response = post(client, text="   ")
    assert response.status_code == 422
    assert "Paste the article" in response.text


def test_binary_file_is_refused(client):
    response = post(
        client, files={"file": ("photo.txt", b"\x89PNG\x00\x00\x00" * 50, "text/plain")}
    )
    assert response.status_code == 422
    assert "binary" in response.text


def test_fifty_megabyte_paste_is_refused_with_413_and_nothing_stored(client, session):
    before = article_count(session)
    response = client.post("/upload", data={"text": "a" * 50_000_000})
    assert response.status_code == 413
    assert "larger than the limit" in response.text
    assert article_count(session) == before


def test_paste_over_the_article_limit_but_under_the_request_limit_is_refused(client, settings):
    response = post(client, text="Title\n\n" + "x" * (settings.max_article_bytes + 10))
    assert response.status_code == 422
    assert "larger than the limit" in response.text


def test_duplicate_upload_is_refused_with_a_link_to_the_stored_article(client, session):
    text = article_text()
    first = post(client, text=text)
    assert first.status_code == 303
    again = post(client, text=text)
    assert again.status_code == 409
    assert first.headers["location"].split("?")[0] in again.text
