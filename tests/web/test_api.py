"""POST /api/articles: single or batch, idempotent by content, JSON errors never 500."""

from __future__ import annotations

from tests.factories import article_text


def test_single_article_is_stored_then_recognised_as_a_duplicate(client):
    payload = {
        "text": article_text(),
        "outlet": "Reuters",
        "published": "2022-01-21",
        "url": "https://www.reuters.com/world/api-story",
    }
    first = client.post("/api/articles", json=payload)
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "stored" and body["statements"] >= 1
    assert body["url"] == f"/articles/{body['article_id']}"
    again = client.post("/api/articles", json=payload)
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["article_id"] == body["article_id"]


def test_batch_stores_each_article_on_its_own(client):
    good = article_text()
    response = client.post(
        "/api/articles",
        json={
            "articles": [{"text": good}, {"text": good}, {"text": article_text(), "url": "ftp://x"}]
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["stored"], body["duplicates"], body["rejected"]) == (1, 1, 1)
    assert [r["index"] for r in body["results"]] == [0, 1, 2]
    assert "http:// or https://" in body["results"][2]["message"]


def test_impossible_date_is_a_422_with_a_json_reason(client):
    response = client.post(
        "/api/articles", json={"text": article_text(), "published": "2022-02-31"}
    )
    assert response.status_code == 422
    assert "published" in response.json()["detail"]


def test_missing_text_and_malformed_json_are_422_not_500(client):
    assert client.post("/api/articles", json={"title": "no text"}).status_code == 422
    malformed = client.post(
        "/api/articles", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 422
    assert "detail" in malformed.json()
    assert client.post("/api/articles", json={"articles": []}).status_code == 422


def test_binary_text_is_rejected_with_a_reason(client):
    response = client.post("/api/articles", json={"text": "\x00\x01\x02" * 500})
    assert response.status_code == 422
    assert "binary" in response.json()["message"]


def test_openapi_documents_the_articles_endpoint(client):
    spec = client.get("/openapi.json").json()
    assert "/api/articles" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_no_page_loads_anything_from_the_internet(client):
    for path in ("/docs", "/statements", "/upload", "/imports"):
        page = client.get(path).text
        assert "http://" not in page.replace('xmlns="http://', "").split("<body")[0]
        assert "cdn" not in page.lower()
        assert "https://" not in page.split("<body")[0]
