"""Reporting forms beyond "X said Y": a verb sharing its subject, a lone participle,
"according to" with a role or an aside, an unknown name with an aside. One rule a row."""

from __future__ import annotations

from datetime import date

import pytest

from app.extract import extract_statements

PUBLISHED = date(2022, 1, 14)

CASES = [
    pytest.param(
        "Foreign Minister Sergey Lavrov welcomed the proposal and said the two countries "
        "would hold further talks next month.",
        [("Sergey Lavrov", "the two countries would hold further talks next month")],
        id="coordinated_verb_takes_the_sentence_subject",
    ),
    pytest.param(
        'UN chief Antonio Guterres condemned the strike and urged Israel to "stop its '
        'reckless campaign".',
        [("Antonio Guterres", 'Israel to "stop its reckless campaign"')],
        id="coordinated_directive_takes_the_sentence_subject",
    ),
    pytest.param(
        "On Sunday, however, the US secretary of state, Rex Tillerson, met Lavrov and said "
        "the talks were useful for both sides.",
        [("Rex Tillerson", "the talks were useful for both sides")],
        id="coordinated_verb_after_scene_and_apposition",
    ),
    pytest.param(
        "Lavrov said the meeting went well and said he had agreed with Blinken on a new date.",
        [
            ("Sergey Lavrov", "the meeting went well"),
            ("Sergey Lavrov", "he had agreed with Blinken on a new date"),
        ],
        id="second_coordinated_cue_splits_the_content",
    ),
    pytest.param(
        "Lavrov criticised the sanctions at length. Gaining the trust of partners in Asia "
        "is a priority, he said.",
        [("Sergey Lavrov", "Gaining the trust of partners in Asia is a priority")],
        id="content_opening_with_a_gerund_before_a_final_cue",
    ),
    pytest.param(
        'Tillerson also weighed in on the trade dispute, saying, "We believe the parties '
        'will find a way."',
        [("Rex Tillerson", "We believe the parties will find a way.")],
        id="lone_participle_after_narration",
    ),
    pytest.param(
        "The Russian Foreign Ministry issued a statement on Friday saying the new "
        'sanctions were "a hostile act" against the country.',
        [
            (
                "Russian Foreign Ministry",
                'the new sanctions were "a hostile act" against the country',
            )
        ],
        id="statement_saying",
    ),
    pytest.param(
        'Senator John McCain went farther, calling Putin "a thug and a liar".',
        [("John McCain", 'Putin "a thug and a liar"')],
        id="lone_calling_with_a_quote",
    ),
    pytest.param(
        "Maria Zakharova mocked the report on Tuesday, writing on Telegram that western "
        'newspapers "have lost all credibility."',
        [("Maria Zakharova", 'western newspapers "have lost all credibility."')],
        id="lone_writing_on_a_platform",
    ),
    pytest.param(
        "The dispute will continue for years, according to Jane Doerr, director of the "
        "Baltic program at Leiden University.",
        [("Jane Doerr", "The dispute will continue for years")],
        id="according_to_a_name_with_an_aside",
    ),
    pytest.param(
        "President Vladimir Putin spoke on Friday. According to the head of state, the new "
        "plant will open next year.",
        [("Vladimir Putin", "the new plant will open next year")],
        id="according_to_a_role_with_of",
    ),
    pytest.param(
        "Lavrov spoke at length on Friday. According to him, the new plant will open "
        '"as soon as possible."',
        [("Sergey Lavrov", 'the new plant will open "as soon as possible."')],
        id="according_to_him",
    ),
    pytest.param(
        '"The border must stay closed until further notice," Park Sang-min, a spokesman '
        "for the interior ministry, said on Tuesday.",
        [("Park Sang-min", "The border must stay closed until further notice")],
        id="hyphenated_given_name_with_an_aside",
    ),
    pytest.param(
        '"The border must stay closed," Gen. Robert J. Mallory, U.S. Forces Japan '
        "commander, said in a statement.",
        [("Robert J. Mallory", "The border must stay closed")],
        id="name_before_a_role_aside_without_article",
    ),
    pytest.param(
        "Lavrov seemed to suggest that the door remains open to a compromise with Washington.",
        [("Sergey Lavrov", "the door remains open to a compromise with Washington")],
        id="hedged_infinitive_cue_with_that",
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_statements_of_a_sentence(body, expected):
    statements = extract_statements(body, published=PUBLISHED)
    assert [(s.speaker.name if s.speaker else None, s.text) for s in statements] == expected


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Lavrov spoke for an hour, saying nothing new.", id="empty_participle"),
        pytest.param(
            "Anti-war protesters said the march would go ahead.", id="hyphen_word_no_name"
        ),
        pytest.param(
            "The ministry cut its budget, calling for cheaper embassies abroad.",
            id="calling_for_without_quote",
        ),
        pytest.param(
            "Lavrov appeared to suggest a meeting with Blinken in Geneva next month.",
            id="hedged_infinitive_cue_without_that",
        ),
    ],
)
def test_not_a_statement(body):
    assert extract_statements(body, published=PUBLISHED) == []
