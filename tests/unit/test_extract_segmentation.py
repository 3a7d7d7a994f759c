"""Sentence and quotation spans on scraped text: glued sentences, stray and open marks."""

from __future__ import annotations

import pytest

from app.extract.paragraphs import paragraphs
from app.extract.quotes import find_quotes
from app.extract.sentences import split_sentences


def sentences(text: str) -> list[str]:
    quotes = find_quotes(text, 0, len(text))
    return [text[a:b] for a, b in split_sentences(text, 0, len(text), quotes)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talks ended.He left the hall.", ["The talks ended.", "He left the hall."]),
        (
            "Mr. Kerry arrived in the U.S. capital. He met Lavrov.",
            ["Mr. Kerry arrived in the U.S. capital.", "He met Lavrov."],
        ),
        (
            "It was cold in the U.S. The talks went on.",
            ["It was cold in the U.S.", "The talks went on."],
        ),
        (
            "“We waited. We asked. Nothing came,” he said. Then he left.",
            ["“We waited. We asked. Nothing came,” he said.", "Then he left."],
        ),
        (
            'They left Ukraine."And this is not all," he added.',
            ["They left Ukraine.", '"And this is not all," he added.'],
        ),
        ("A reply to all proposalsLavrov said.", ["A reply to all proposals", "Lavrov said."]),
        ("John F. Kennedy spoke first.", ["John F. Kennedy spoke first."]),
    ],
    ids=[
        "glued",
        "abbreviations",
        "us_at_end",
        "quote_kept_whole",
        "glued_quote",
        "camel",
        "initial",
    ],
)
def test_split_sentences(text, expected):
    assert sentences(text) == expected


def test_straight_quotes_get_a_direction_from_their_neighbours():
    text = 'He said "we are ready" and left.'
    [quote] = find_quotes(text, 0, len(text))
    assert text[quote.inner_start : quote.inner_end] == "we are ready"
    assert quote.opened and quote.closed


def test_quote_left_open_runs_to_the_paragraph_end():
    text = "“We are not going anywhere. This is our land"
    [quote] = find_quotes(text, 0, len(text))
    assert not quote.closed
    assert (
        text[quote.inner_start : quote.inner_end] == "We are not going anywhere. This is our land"
    )


def test_stray_closing_mark_is_reported_as_unopened():
    text = "we will not look at such requests”, Lavrov said."
    [quote] = find_quotes(text, 0, len(text))
    assert not quote.opened and quote.start == 0


def test_paragraphs_skip_boilerplate_and_repeats():
    body = "Fight Censorship, Share This Post!\nA line.\n\nA line.\nRead also: more news\nEnd."
    assert [body[p.start : p.end] for p in paragraphs(body)] == ["A line.", "End."]
