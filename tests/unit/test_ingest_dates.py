"""Publication dates from other tools' exports, with their precision; impossible ones refused."""

from __future__ import annotations

from datetime import date

import pytest

from app.ingest import parse_plain_text
from app.ingest.dates import PublicationDate, parse_publication_date
from app.ingest.errors import IngestError


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2023-12-15", date(2023, 12, 15), "day"),
        ("2022-01-21T11:19:46.411Z", date(2022, 1, 21), "day"),
        ("2023-12-15 08:30:00+02:00", date(2023, 12, 15), "day"),
        ("Fri, 15 Dec 2023 08:30:00 GMT", date(2023, 12, 15), "day"),
        ("15/12/2023", date(2023, 12, 15), "day"),
        ("15.12.2023", date(2023, 12, 15), "day"),
        ("12/15/2023", date(2023, 12, 15), "day"),
        ("15 December 2023", date(2023, 12, 15), "day"),
        ("Dec. 15, 2023", date(2023, 12, 15), "day"),
        ("December 15, 2023 10:30 AM EST", date(2023, 12, 15), "day"),
        ("Friday, 15 December 2023", date(2023, 12, 15), "day"),
        ("2023-12", date(2023, 12, 1), "month"),
        ("December 2023", date(2023, 12, 1), "month"),
        ("2023", date(2023, 1, 1), "year"),
    ],
)
def test_common_date_forms_are_read_with_their_precision(value, expected, precision):
    assert parse_publication_date(value) == PublicationDate(expected, precision)


@pytest.mark.parametrize("value", ["", "   ", "yesterday", "3 hours ago", "soon"])
def test_relative_or_empty_dates_are_never_guessed(value):
    assert parse_publication_date(value) is None


@pytest.mark.parametrize("value", ["31/02/2022", "2022-02-29", "2021-13-01", "32 January 2022"])
def test_impossible_dates_raise_a_sentence(value):
    with pytest.raises(IngestError, match="is impossible"):
        parse_publication_date(value)


def test_published_line_in_the_opening_gives_a_date():
    article = parse_plain_text("Harbour talks\n\nPublished: 4 March 2023\n\nThe talks ended.")
    assert (article.published, article.published_precision) == (date(2023, 3, 4), "day")


def test_month_only_line_keeps_month_precision():
    article = parse_plain_text("Harbour talks\n\nMarch 2023\n\nThe talks ended.")
    assert (article.published, article.published_precision) == (date(2023, 3, 1), "month")


def test_impossible_date_in_running_text_is_not_metadata():
    article = parse_plain_text("Harbour talks\n\n31/02/2022\n\nThe talks ended.")
    assert article.published is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Harbour talks\n\nThe talks ended on Tuesday.\n\nSource: TASS", "tass"),
        ("Harbour talks\n\nMOSCOW, March 4 (Reuters) - The talks ended.", "reuters"),
        ("Harbour talks\n\nThe talks ended.\n\nSource: https://www.bbc.co.uk/news/1", "bbc"),
    ],
)
def test_bylines_and_wire_datelines_name_known_outlets(text, slug):
    article = parse_plain_text(text)
    assert article.outlet is not None and article.outlet.slug == slug


def test_unknown_source_line_is_not_an_outlet():
    assert parse_plain_text("Talks\n\nThey ended.\n\nSource: the ministry").outlet is None


def test_language_is_detected_and_short_text_left_unknown():
    french = parse_plain_text(
        "Négociations\n\nLe ministre a déclaré mardi que les négociations reprendraient "
        "le mois prochain à Genève, malgré les désaccords."
    )
    assert french.language == "fr"
    assert parse_plain_text("Talks\n\nThey ended.").language is None
