"""Links that keep a view's filters: memoised per view, and still each view's own."""

from __future__ import annotations

from datetime import date

from app.queries.filters import StatementFilter
from app.web.links import entity_url, timeline_url, toggle_url


def parse(query: list[tuple[str, str]]) -> StatementFilter:
    return StatementFilter.from_query(query)


def test_entity_link_keeps_the_other_filters_and_drops_the_entitys_own_key_and_the_chart():
    view = parse([("speaker", "sergey-lavrov"), ("theme", "sanctions"), ("chart", "theme")])
    assert (
        entity_url("speaker", "maria-zakharova", view)
        == "/speakers/maria-zakharova?theme=sanctions"
    )
    assert entity_url("theme", "nato", view) == "/themes/nato?speaker=sergey-lavrov"


def test_entity_links_from_two_views_each_carry_their_own_filters():
    first = parse([("outlet", "rt")])
    second = parse([("outlet", "tass")])
    assert entity_url("speaker", "a", first) == "/speakers/a?outlet=rt"
    assert entity_url("speaker", "a", second) == "/speakers/a?outlet=tass"
    assert entity_url("speaker", "a", first) == "/speakers/a?outlet=rt"


def test_memoised_links_match_links_made_from_the_filter_directly():
    view = parse([("speaker", "sergey-lavrov"), ("about", "nato"), ("from", "2022-01-01")])
    assert toggle_url(view, "about", "nato", "/statements") == view.toggle("about", "nato").url(
        "/statements"
    )
    assert toggle_url(view, "about", "eu", "/statements") == view.toggle("about", "eu").url(
        "/statements"
    )
    expected = (
        view.with_before(None)
        .with_replaced("from", date(2022, 2, 1))
        .with_replaced("to", date(2022, 2, 28))
        .url("/statements")
    )
    assert timeline_url(view, date_from=date(2022, 2, 1), date_to=date(2022, 2, 28)) == expected


def test_timeline_link_with_none_removes_the_key():
    view = parse([("speaker", "sergey-lavrov"), ("outlet", "rt")])
    assert timeline_url(view, outlet=None) == "/statements?speaker=sergey-lavrov"
