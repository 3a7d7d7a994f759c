"""Statement dates resolved against publication, and themes from phrase rules."""

from __future__ import annotations

from datetime import date

import pytest

from app.extract.dates import statement_date
from app.extract.themes import theme_scores
from app.knowledge import themes

FRIDAY = date(2022, 1, 14)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("said on Friday", (FRIDAY, "day")),
        ("said on Thursday evening", (date(2022, 1, 13), "day")),
        ("said last Friday", (date(2022, 1, 7), "day")),
        ("said yesterday", (date(2022, 1, 13), "day")),
        ("said last week", (date(2022, 1, 7), "day")),
        ("said in June", (date(2021, 6, 1), "month")),
        ("said in January", (date(2022, 1, 1), "month")),
        ("said on February 24", (date(2021, 2, 24), "day")),
        ("said on February 24, 2022", (date(2022, 2, 24), "day")),
        ("said on the 10th of January", (date(2022, 1, 10), "day")),
        ("said last month", (date(2021, 12, 1), "month")),
        ("told reporters", (FRIDAY, "day")),
    ],
)
def test_statement_date(phrase, expected):
    assert statement_date(phrase, 0, len(phrase), published=FRIDAY) == expected


def test_relative_date_without_publication_is_unknown():
    assert statement_date("said on Friday", 0, 14, published=None) == (None, None)


def test_absolute_date_without_publication_still_resolves():
    text = "said on March 3, 2014"
    assert statement_date(text, 0, len(text), published=None) == (date(2014, 3, 3), "day")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("NATO expansion toward our borders is unacceptable", "nato-enlargement"),
        ("the new sanctions will hurt Europe", "sanctions"),
        ("Russia needs legally binding security guarantees", "security-guarantees"),
        ("Tehran will keep enriching uranium under the JCPOA limits", "iran-nuclear-deal"),
        ("the Minsk agreements remain the only basis", "minsk-agreements"),
        ("the grain corridor must stay open", "grain-and-food"),
        ("a multipolar world is taking shape", "multipolar-world-order"),
    ],
)
def test_theme_phrase_gives_theme(text, slug):
    assert slug in [score.slug for score in theme_scores(text)]


def test_more_hits_score_higher():
    one = dict((s.slug, s.score) for s in theme_scores("sanctions"))
    two = dict((s.slug, s.score) for s in theme_scores("sanctions and more sanctions"))
    assert two["sanctions"] > one["sanctions"]


def test_no_theme_for_unrelated_text():
    assert theme_scores("the weather in Moscow was mild") == ()


def test_taxonomy_has_enough_themes():
    assert len(themes()) >= 25
