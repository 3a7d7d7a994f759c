"""CSV and JSON exports of any view: the view's rows, streamed, with a telling filename."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from app.queries.exports import EXPORT_COLUMNS, ExportRow, export_rows
from app.queries.filters import StatementFilter
from app.web.exports import _csv_chunks, export_filename
from tests.factories import article_text, make_article
from tests.web.explore_corpus import GUARANTEES, RT, SANCTIONS, two_speakers


@pytest.fixture
def corpus(session):
    return two_speakers(session)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_holds_the_views_rows_with_documented_columns(client, corpus):
    response = client.get("/statements.csv", params={"speaker": "sergey-lavrov"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="statements-by-sergey-lavrov.csv"'
    )
    header = response.text.splitlines()[0]
    assert header.split(",") == list(EXPORT_COLUMNS)
    rows = csv_rows(response.text)
    assert rows and all(row["speaker_slug"] == "sergey-lavrov" for row in rows)
    assert any(GUARANTEES in row["text"] for row in rows)
    quote = next(row for row in rows if GUARANTEES in row["text"])
    assert quote["outlet_slug"] == "rt"
    assert quote["stated_on"] == "2022-01-14"
    assert quote["article_id"] == str(corpus["lavrov"].id)


def test_csv_export_matches_the_api_for_the_same_view(client, corpus):
    params = {"q": "security", "sort": "oldest"}
    exported = [
        int(row["statement_id"])
        for row in csv_rows(client.get("/statements.csv", params=params).text)
    ]
    listed = [s["id"] for s in client.get("/api/statements", params=params).json()["statements"]]
    assert exported == listed


def test_export_holds_every_page_of_the_view(client, session, settings):
    for index in range(settings.page_size + 5):
        make_article(
            session, text=article_text(said=f"Exported statement number {index}"), outlet=RT
        )
    rows = csv_rows(client.get("/statements.csv", params={"outlet": "rt", "page": "2"}).text)
    assert len([row for row in rows if "Exported statement number" in row["text"]]) == (
        settings.page_size + 5
    )


def test_rows_are_read_in_batches_from_a_server_side_cursor(session, corpus):
    for index in range(7):
        make_article(session, text=article_text(said=f"Batched statement {index}"), outlet=RT)
    rows = list(export_rows(session, filters=StatementFilter(), batch_rows=2))
    assert len(rows) >= 9
    keys = [(row.stated_on, row.statement_id) for row in rows]
    assert keys == sorted(keys, reverse=True), "newest first, as the timeline"
    assert len({row.statement_id for row in rows}) == len(rows)


def test_json_export_has_the_filter_columns_and_rows(client, corpus):
    response = client.get("/statements.json", params={"outlet": "reuters"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('filename="statements-in-reuters.json"')
    body = json.loads(response.text)
    assert body["filter"]["query"] == "outlet=reuters"
    assert body["filter"]["description"] == "Statements in Reuters"
    assert body["columns"] == list(EXPORT_COLUMNS)
    assert any(SANCTIONS in row["text"] for row in body["statements"])
    assert all(row["outlet_slug"] == "reuters" for row in body["statements"])
    assert (
        body["statements"][0]["article_url"] == "https://www.reuters.com/world/zakharova-sanctions"
    )


def test_empty_view_exports_a_header_and_an_empty_list(client, corpus):
    assert client.get("/statements.csv", params={"from": "2030-01-01"}).text.strip() == ",".join(
        EXPORT_COLUMNS
    )
    assert (
        json.loads(client.get("/statements.json", params={"from": "2030-01-01"}).text)["statements"]
        == []
    )


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused():
    row = ExportRow(
        statement_id=1,
        stated_on=date(2022, 1, 14),
        speaker="=cmd|' /C calc'!A0",
        speaker_slug=None,
        speaker_mention="@SUM(1+1)",
        kind="direct",
        cue="said",
        text='=HYPERLINK("http://evil") is what they sent',
        themes="",
        outlet=None,
        outlet_slug=None,
        article_id=1,
        article_title="-2 degrees in Moscow",
        article_url=None,
        published_on=None,
        start=0,
        end=10,
    )
    [parsed] = csv_rows("".join(_csv_chunks(iter([row]))))
    assert parsed["text"] == '\'=HYPERLINK("http://evil") is what they sent'
    assert parsed["speaker"].startswith("'=")
    assert parsed["speaker_mention"] == "'@SUM(1+1)"
    assert parsed["article_title"] == "'-2 degrees in Moscow"
    assert parsed["stated_on"] == "2022-01-14"


@pytest.mark.parametrize("path", ["/statements.csv", "/statements.json"])
@pytest.mark.parametrize(
    "query",
    ["from=notadate", "speaker=%3Cscript%3E", "sort=best", "q=%00", "colour=red", "page=-1"],
)
def test_bad_filters_in_an_export_get_a_400_with_a_message(client, corpus, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "<script>" not in response.text
    assert "notice error" in response.text


@pytest.mark.parametrize(
    ("description", "filename"),
    [
        ("Statements", "statements.csv"),
        ("Statements by Sergey Lavrov in RT", "statements-by-sergey-lavrov-in-rt.csv"),
        ('Statements matching "garanties" -Élysée', "statements-matching-garanties-elysee.csv"),
        ("Statements by Владимир Путин", "statements-by.csv"),
        ("", "statements.csv"),
    ],
)
def test_export_filenames_are_plain_ascii_from_the_description(description, filename):
    assert export_filename(description, "csv") == filename
    assert len(export_filename("Statements by " + "x" * 500, "csv")) <= 104
