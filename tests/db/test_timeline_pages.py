"""Keyset pages of the timeline walk every statement once, dated ones first, undated last."""

from __future__ import annotations

from datetime import date

from app.queries.filters import StatementFilter
from app.queries.statements import statement_page
from tests.factories import article_text, make_article


def test_older_pages_walk_every_statement_once_across_the_undated_ones(session):
    for day in (3, 1, 2):
        make_article(
            session, text=article_text(said=f"Dated on day {day}"), published=date(2022, 5, day)
        )
    for number in range(2):
        make_article(session, text=article_text(said=f"Undated number {number}"), published=None)

    seen = []
    filters = StatementFilter()
    while True:
        page = statement_page(session, filters=filters, page_size=2)
        seen.extend(page.statements)
        assert page.first_number == len(seen) - len(page.statements) + 1
        if page.next_cursor is None:
            break
        filters = filters.with_before(page.next_cursor)

    assert len(seen) == len({s.id for s in seen}) == 5
    dates = [s.stated_on for s in seen]
    assert dates[:3] == [date(2022, 5, 3), date(2022, 5, 2), date(2022, 5, 1)]
    assert dates[3:] == [None, None]
    assert seen[3].id > seen[4].id, "undated statements newest first"


def test_a_page_address_keeps_its_statements_when_newer_ones_arrive(session):
    for day in range(1, 6):
        make_article(
            session, text=article_text(said=f"Day {day} remark"), published=date(2022, 6, day)
        )
    first = statement_page(session, filters=StatementFilter(), page_size=2)
    second_view = StatementFilter().with_before(first.next_cursor)
    before = [s.id for s in statement_page(session, filters=second_view, page_size=2).statements]

    make_article(session, text=article_text(said="A later remark"), published=date(2022, 6, 30))
    after = statement_page(session, filters=second_view, page_size=2)
    assert [s.id for s in after.statements] == before
    assert after.first_number == 4, "the position counts the newer statement"
