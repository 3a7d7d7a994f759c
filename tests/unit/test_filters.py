"""The filter model: one canonical address per view, clear messages for bad values."""

from __future__ import annotations

from datetime import date

import pytest

from app.queries.filters import Cursor, FilterError, StatementFilter, describe


def parse(query: list[tuple[str, str]]) -> StatementFilter:
    return StatementFilter.from_query(query)


def test_same_view_written_two_ways_has_one_canonical_address():
    first = parse([("outlet", "rt"), ("speaker", "sergey-lavrov"), ("speaker", "maria-zakharova")])
    second = parse(
        [
            ("speaker", "maria-zakharova"),
            ("outlet", "rt"),
            ("speaker", "sergey-lavrov"),
            ("speaker", "sergey-lavrov"),
        ]
    )
    assert first.query_string() == second.query_string()
    assert first.query_string() == "speaker=maria-zakharova&speaker=sergey-lavrov&outlet=rt"


def test_empty_values_mean_not_set():
    assert parse([("q", ""), ("from", ""), ("speaker", "")]).is_empty


def test_round_trip_through_the_url_keeps_every_field():
    original = parse(
        [
            ("speaker", "sergey-lavrov"),
            ("from", "2022-01-01"),
            ("to", "2022-01-31"),
            ("q", '"security guarantees" -sanctions'),
            ("chart", "theme"),
            ("before", "2022-01-20,4812"),
        ]
    )
    again = parse(original.query_items())
    assert again == original
    assert again.date_from == date(2022, 1, 1)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ([("from", "notadate")], "is not a date"),
        ([("to", "2022-02-31")], "is not a date"),
        ([("from", "2022-02-01"), ("to", "2022-01-01")], "before the “from” date"),
        ([("speaker", "'; DROP TABLE statements; --")], "not a valid identifier"),
        ([("speaker", "../../etc/passwd")], "not a valid identifier"),
        ([("before", "0")], "cannot be read"),
        ([("before", "2022-02-30,12")], "2022-02-30 is not a date"),
        ([("before", "2022-01-01,1;DROP")], "cannot be read"),
        ([("chart", "pie")], "is not one this page draws"),
        ([("q", "x" * 500)], "too long"),
        ([("speaker", f"s{i}") for i in range(30)], "Too many values"),
        ([("colour", "red")], "not a filter this page knows"),
    ],
)
def test_bad_values_become_sentences_for_the_user(query, fragment):
    with pytest.raises(FilterError) as raised:
        parse(query)
    assert any(fragment in message for message in raised.value.messages)


def test_toggle_adds_then_removes_and_starts_again_from_the_newest():
    base = parse([("speaker", "sergey-lavrov"), ("before", "2022-01-20,4812")])
    added = base.toggle("speaker", "maria-zakharova")
    assert added.speaker == ("maria-zakharova", "sergey-lavrov")
    assert added.before is None
    assert added.toggle("speaker", "maria-zakharova").speaker == ("sergey-lavrov",)


def test_with_removed_and_with_replaced_for_single_values():
    view = parse([("from", "2022-01-01"), ("q", "nato")])
    assert view.with_removed("from").query_string() == "q=nato"
    assert view.with_replaced("q", "sanctions").q == "sanctions"


def test_describe_reads_as_a_sentence():
    view = parse(
        [
            ("speaker", "sergey-lavrov"),
            ("outlet", "rt"),
            ("from", "2022-01-01"),
            ("to", "2022-01-31"),
        ]
    )
    sentence = describe(
        view, speakers={"sergey-lavrov": "Sergey Lavrov"}, outlets={"rt": "RT"}, themes={}
    )
    assert sentence == "Statements by Sergey Lavrov in RT from 1 January 2022 to 31 January 2022"
    assert describe(StatementFilter(), speakers={}, outlets={}, themes={}) == "Statements"


def test_sort_defaults_to_relevance_when_searching_and_newest_otherwise():
    assert parse([]).effective_sort == "newest"
    assert parse([("q", "nato")]).effective_sort == "relevance"
    assert parse([("q", "nato"), ("sort", "oldest")]).effective_sort == "oldest"


def test_default_sort_is_left_out_of_the_address():
    assert parse([("q", "nato"), ("sort", "relevance")]).query_string() == "q=nato"
    assert parse([("sort", "newest")]).query_string() == ""
    assert parse([("q", "nato"), ("sort", "newest")]).query_string() == "q=nato&sort=newest"


def test_relevance_without_search_words_falls_back_to_newest():
    assert parse([("sort", "relevance")]).effective_sort == "newest"
    searching = parse([("q", "nato"), ("sort", "oldest")])
    assert searching.with_removed("q").query_string() == "sort=oldest"


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ([("sort", "best")], "not one of: newest, oldest, relevance"),
        ([("q", "nato\x00")], "control characters"),
    ],
)
def test_bad_sort_and_unsearchable_text_are_refused(query, fragment):
    with pytest.raises(FilterError) as raised:
        parse(query)
    assert any(fragment in message for message in raised.value.messages)


def test_describe_names_an_order_other_than_the_default():
    oldest = parse([("speaker", "sergey-lavrov"), ("sort", "oldest")])
    assert (
        describe(oldest, speakers={"sergey-lavrov": "Sergey Lavrov"}, outlets={}, themes={})
        == "Statements by Sergey Lavrov, oldest first"
    )
    searching = parse([("q", "nato"), ("sort", "newest")])
    assert describe(searching, speakers={}, outlets={}, themes={}) == (
        "Statements matching nato, newest first"
    )


def test_keyset_position_reads_and_writes_the_same_address():
    view = parse([("before", "2022-01-20,4812"), ("chart", "theme")])
    assert view.before == Cursor(stated_on=date(2022, 1, 20), id=4812)
    assert view.query_string() == "chart=theme&before=2022-01-20,4812"
    past_dated = view.with_before(Cursor(stated_on=None, id=7))
    assert past_dated.query_string() == "chart=theme&before=undated,7"
    assert parse(past_dated.query_items()) == past_dated


def test_chart_grouping_by_speaker_is_the_default_and_leaves_the_address_clean():
    assert parse([("chart", "speaker")]).query_string() == ""
    themed = parse([("speaker", "sergey-lavrov"), ("chart", "theme")])
    assert themed.with_replaced("chart", "speaker").query_string() == "speaker=sergey-lavrov"


def test_narrowing_keeps_what_selects_statements_and_drops_chart_and_position():
    view = parse([("theme", "sanctions"), ("chart", "theme"), ("before", "2022-01-20,9")])
    assert view.narrowing().query_string() == "theme=sanctions"
    assert view.statement_items() == [("theme", "sanctions")]
    assert parse([("chart", "theme")]).selects_all
