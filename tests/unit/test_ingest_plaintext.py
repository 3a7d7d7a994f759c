"""Plain-text articles: header lines, titles, mastheads and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from app.ingest import IngestError, parse_plain_text
from app.ingest.decode import decode_text
from app.ingest.fingerprint import content_hash
from app.ingest.outlets import outlet_for_editor, outlet_from_url
from app.ingest.plaintext import parse_date_text

HEADED = """date 2023-03-02 https://www.reuters.com/world/talks-resume-2023-03-02/
Diplomats meet again in Geneva

Talks resumed on Thursday, the minister said.

A second paragraph follows."""


def test_header_line_gives_date_url_and_outlet():
    article = parse_plain_text(HEADED)
    assert article.published == date(2023, 3, 2)
    assert article.published_precision == "day"
    assert article.url == "https://www.reuters.com/world/talks-resume-2023-03-02/"
    assert article.outlet is not None and article.outlet.slug == "reuters"
    assert article.title == "Diplomats meet again in Geneva"
    assert article.body.startswith("Talks resumed on Thursday")


def test_header_with_leading_space_is_still_a_header():
    article = parse_plain_text(" " + HEADED)
    assert article.published == date(2023, 3, 2)


def test_first_line_that_is_a_paragraph_is_not_taken_as_title():
    text = (
        "Russian Foreign Minister Sergei Lavrov told reporters on Friday that Moscow would "
        "wait for a written answer before deciding its next steps in the talks.\n\nMore text."
    )
    article = parse_plain_text(text)
    assert article.body.startswith("Russian Foreign Minister")
    assert article.title.startswith("Russian Foreign Minister Sergei Lavrov told")
    assert article.published is None


def test_masthead_and_iso_timestamp_become_outlet_and_date():
    text = "The Limited Times\n\nMinisters trade warnings\n\n2022-01-21T11:19:46.411Z\n\nBody text here."
    article = parse_plain_text(text)
    assert article.outlet is not None and article.outlet.slug == "the-limited-times"
    assert article.published == date(2022, 1, 21)


def test_unknown_date_stays_unknown_rather_than_today():
    article = parse_plain_text("A title\n\nSomeone said something.")
    assert article.published is None


def test_explicit_metadata_wins_over_inferred():
    article = parse_plain_text(
        HEADED, title="Edited title", published=date(2023, 3, 3), url="https://apnews.com/x"
    )
    assert (article.title, article.published, article.url) == (
        "Edited title",
        date(2023, 3, 3),
        "https://apnews.com/x",
    )
    assert article.outlet is not None and article.outlet.slug == "ap"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_empty_and_binary_input_is_refused_with_a_reason(raw, message):
    with pytest.raises(IngestError, match=message):
        decode_text(raw, source="upload.txt")


def test_windows_1252_text_is_decoded():
    assert decode_text("Caf\u00e9 \u201cquoted\u201d".encode("cp1252")) == "Café “quoted”"


def test_header_alone_is_refused():
    with pytest.raises(IngestError, match="no text"):
        parse_plain_text("date 2023-03-02 https://example.org/a\n\n")


@pytest.mark.parametrize("value", ["31/02/2022", "2022-02-31", "yesterday", "2022-13-01"])
def test_impossible_or_foreign_dates_are_refused_with_the_expected_form(value):
    with pytest.raises(IngestError, match="YYYY-MM-DD"):
        parse_date_text(value)


def test_content_hash_ignores_whitespace_and_case():
    assert content_hash("Lavrov said  this.\n") == content_hash("lavrov said this.")


def test_a_parsed_article_carries_its_content_hash_from_where_it_was_read():
    article = parse_plain_text(HEADED)
    assert article.content_hash == content_hash(article.body)


def test_outlet_from_url_uses_parent_domains():
    outlet = outlet_from_url("https://edition.cnn.com/2022/01/21/politics/talks")
    assert outlet is not None and outlet.slug == "cnn"
    assert outlet_from_url("https://example.org/story") is None


def test_editor_typed_outlet_matches_known_names_case_insensitively():
    assert outlet_for_editor("reuters").slug == "reuters"
    unknown = outlet_for_editor("  The Kabul  Courier ")
    assert (unknown.slug, unknown.name, unknown.known) == (
        "the-kabul-courier",
        "The Kabul Courier",
        False,
    )


def test_explicit_title_equal_to_the_first_line_is_not_repeated_in_the_body():
    inferred = parse_plain_text(HEADED)
    confirmed = parse_plain_text(HEADED, title=inferred.title)
    assert confirmed.body == inferred.body
