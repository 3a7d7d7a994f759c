"""The read-only JSON API: the timeline's filters, counts and order, for programs."""

from __future__ import annotations

import pytest

from tests.factories import article_text, make_article
from tests.web.explore_corpus import GUARANTEES, RT, SANCTIONS, two_speakers


@pytest.fixture
def corpus(session):
    return two_speakers(session)


def texts(body: dict) -> list[str]:
    return [statement["text"] for statement in body["statements"]]


def test_statements_api_lists_a_view_with_the_filter_echoed_canonically(client, corpus):
    response = client.get(
        "/api/statements", params=[("outlet", "RT"), ("speaker", "sergey-lavrov"), ("q", "")]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["filter"]["query"] == "speaker=sergey-lavrov&outlet=rt"
    assert body["filter"]["description"] == "Statements by Sergey Lavrov in RT"
    assert body["filter"]["sort"] == "newest"
    assert any(GUARANTEES in text for text in texts(body))
    assert not any(SANCTIONS in text for text in texts(body))
    statement = body["statements"][0]
    assert statement["speaker"]["slug"] == "sergey-lavrov"
    assert statement["article"]["outlet"]["slug"] == "rt"
    assert statement["article"]["page"] == f"/articles/{corpus['lavrov'].id}"
    assert statement["page"].startswith(f"/articles/{corpus['lavrov'].id}#s")


def test_statements_api_carries_facet_counts_under_the_other_filters(client, corpus):
    body = client.get("/api/statements", params={"outlet": "reuters"}).json()
    speakers = {facet["slug"]: facet["count"] for facet in body["facets"]["speakers"]}
    outlets = {facet["slug"]: facet for facet in body["facets"]["outlets"]}
    assert "maria-zakharova" in speakers and "sergey-lavrov" not in speakers
    assert outlets["rt"]["count"] >= 1 and not outlets["rt"]["selected"]
    assert outlets["reuters"]["selected"]


def test_statements_api_pages_newest_first_by_keyset_and_other_orders_by_number(
    client, session, settings
):
    for index in range(settings.page_size + 2):
        make_article(session, text=article_text(said=f"Paging statement number {index}"), outlet=RT)
    first = client.get("/api/statements", params={"outlet": "rt"}).json()
    assert len(first["statements"]) == settings.page_size
    assert first["first"] == 1 and first["start"] == "/api/statements?outlet=rt"
    assert first["next"].startswith("/api/statements?outlet=rt&before=")
    second = client.get(first["next"]).json()
    assert second["first"] == settings.page_size + 1 and second["next"] is None
    seen = {s["id"] for s in first["statements"]} & {s["id"] for s in second["statements"]}
    assert not seen, "pages never overlap"

    oldest = client.get("/api/statements", params={"outlet": "rt", "sort": "oldest"}).json()
    assert oldest["next"] == "/api/statements?outlet=rt&sort=oldest&page=2"
    last = client.get(oldest["next"]).json()
    assert last["filter"]["page"] == 2 and last["next"] is None


def test_search_in_the_api_ranks_by_relevance_unless_told_otherwise(client, corpus):
    body = client.get("/api/statements", params={"q": "security"}).json()
    assert body["filter"]["sort"] == "relevance"
    assert body["filter"]["query"] == "q=security"
    assert len(body["statements"]) == 2
    oldest = client.get("/api/statements", params={"q": "security", "sort": "oldest"}).json()
    assert oldest["filter"]["query"] == "q=security&sort=oldest"
    dates = [s["stated_on"] for s in oldest["statements"]]
    assert dates == sorted(dates)
    excluded = client.get("/api/statements", params={"q": "security -sanctions"}).json()
    assert [GUARANTEES in t for t in texts(excluded)] == [True]


def test_one_statement_by_id_and_a_missing_one(client, corpus):
    listed = client.get("/api/statements", params={"speaker": "maria-zakharova"}).json()
    statement_id = listed["statements"][0]["id"]
    one = client.get(f"/api/statements/{statement_id}")
    assert one.status_code == 200
    assert one.json() == listed["statements"][0]
    missing = client.get("/api/statements/999999")
    assert missing.status_code == 404
    assert "999999" in missing.json()["detail"]


def test_speakers_list_counts_statements_within_the_filters(client, corpus):
    body = client.get("/api/speakers", params={"outlet": "rt"}).json()
    by_slug = {item["slug"]: item for item in body["items"]}
    assert by_slug["sergey-lavrov"]["statements"] >= 1
    assert "maria-zakharova" not in by_slug
    assert by_slug["sergey-lavrov"]["api"] == "/api/speakers/sergey-lavrov"
    assert by_slug["sergey-lavrov"]["timeline"] == "/statements?speaker=sergey-lavrov&outlet=rt"


def test_speaker_detail_has_registry_details_and_facets(client, corpus):
    response = client.get("/api/speakers/sergey-lavrov", params={"from": "2022-01-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Sergey Lavrov"
    assert body["details"]["confirmed"] is True
    assert body["statements"] >= 1
    assert body["filter"]["query"] == "speaker=sergey-lavrov&from=2022-01-01"
    assert [facet["slug"] for facet in body["facets"]["outlets"]] == ["rt"]
    assert body["statements_api"] == "/api/statements?speaker=sergey-lavrov&from=2022-01-01"
    later = client.get("/api/speakers/sergey-lavrov", params={"from": "2023-01-01"}).json()
    assert later["statements"] == 0


def test_outlets_and_themes_lists_and_details(client, corpus):
    outlets = client.get("/api/outlets").json()["items"]
    assert {"rt", "reuters"} <= {item["slug"] for item in outlets}
    reuters = client.get("/api/outlets/reuters").json()
    assert reuters["details"]["domain"] == "reuters.com"
    assert [f["slug"] for f in reuters["facets"]["speakers"]] == ["maria-zakharova"]
    themes = client.get("/api/themes").json()["items"]
    assert all(item["statements"] >= 1 for item in themes)
    if themes:
        theme = client.get(themes[0]["api"]).json()
        assert theme["statements"] == themes[0]["statements"]


def test_article_api_returns_text_statements_and_offsets(client, corpus):
    article = corpus["lavrov"]
    body = client.get(f"/api/articles/{article.id}").json()
    assert body["title"] == article.title
    assert body["outlet"]["slug"] == "rt"
    for statement in body["statements"]:
        assert body["body"][statement["start"] : statement["end"]]
    assert client.get("/api/articles/424242").status_code == 404


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/api/statements?from=notadate", "is not a date"),
        ("/api/statements?speaker=%3Cscript%3E", "not a valid identifier"),
        ("/api/statements?sort=best", "not one of"),
        ("/api/statements?page=0", "whole number"),
        ("/api/statements?q=%00", "control characters"),
        ("/api/statements?colour=red", "not a filter"),
        ("/api/speakers?to=2022-13-01", "is not a date"),
        ("/api/outlets/rt?from=2022-03-01&to=2022-01-01", "before the"),
        ("/api/themes?page=99999999999999999999", "whole number"),
        ("/api/statements/abc", "statement_id"),
        ("/api/statements/99999999999999", "statement_id"),
        ("/api/articles/-1", "article_id"),
        ("/api/speakers/..etc", "slug"),
        ("/api/speakers/DROP%20TABLE", "slug"),
    ],
)
def test_hostile_parameters_get_a_400_with_a_message(client, corpus, path, fragment):
    response = client.get(path)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert fragment in response.json()["detail"]


def test_unknown_slugs_and_paths_are_404s_in_json(client, corpus):
    for path in (
        "/api/speakers/nobody",
        "/api/outlets/nowhere",
        "/api/themes/nothing",
        "/api/speakers/..%2F..%2Fetc",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["detail"]


def test_openapi_documents_every_read_endpoint_with_its_filters(client):
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/statements",
        "/api/statements/{statement_id}",
        "/api/speakers",
        "/api/speakers/{slug}",
        "/api/outlets",
        "/api/outlets/{slug}",
        "/api/themes",
        "/api/themes/{slug}",
        "/api/articles/{article_id}",
    ):
        assert "get" in spec["paths"][path], path
    parameters = {p["name"] for p in spec["paths"]["/api/statements"]["get"]["parameters"]}
    assert {"speaker", "outlet", "theme", "from", "to", "q", "sort", "page"} <= parameters
    assert "StatementList" in spec["components"]["schemas"]
    assert "/api/articles" in spec["paths"] and "post" in spec["paths"]["/api/articles"]


def test_article_page_with_an_impossible_number_is_a_400_not_a_500(client):
    assert client.get("/articles/99999999999").status_code == 400
    assert client.get("/articles/0").status_code == 400
