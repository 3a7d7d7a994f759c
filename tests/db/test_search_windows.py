"""A broad search is served from a window of its newest matches, found however the
estimate falls, and every figure inside the window is exact."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import Statement
from app.queries import windows
from app.queries.entities import about_facets
from app.queries.filters import StatementFilter
from app.queries.search import search_articles
from app.queries.statements import (
    outlet_facets,
    speaker_facets,
    statement_page,
    theme_facets,
)
from app.queries.volume import volume
from app.queries.windows import search_window
from tests.factories import RT, TASS, article_text, make_article

FIRST_DAY = date(2024, 1, 1)
DAYS = 24
MATCHING = "Written security guarantees for Ukraine must come before any ceasefire"
OTHER = "The sanctions on Russian banks will backfire on Europe"


def query(text: str) -> StatementFilter:
    return StatementFilter.from_query([tuple(p.split("=", 1)) for p in text.split("&") if p])


@pytest.fixture
def corpus(session: Session) -> None:
    """A day each of two articles for 24 days: one quoting Lavrov on security
    guarantees (every other day in TASS), one quoting Zakharova on sanctions, with a
    second match from Zakharova every third day."""
    for number in range(DAYS):
        day = FIRST_DAY + timedelta(days=number)
        make_article(
            session,
            text=article_text(said=f"{MATCHING} in round {number}"),
            published=day,
            outlet=TASS if number % 2 else RT,
        )
        said = f"{MATCHING}, and soon, in round {number}" if number % 3 == 0 else OTHER
        make_article(
            session,
            text=article_text(speaker="Maria Zakharova", said=said),
            published=day,
            outlet=RT,
        )


def matches(session: Session) -> list[tuple[int, date]]:
    """Every statement quoting the guarantees, newest first."""
    return list(
        session.execute(
            select(Statement.id, Statement.stated_on)
            .where(Statement.text.contains("security guarantees"))
            .order_by(Statement.stated_on.desc(), Statement.id.desc())
        ).all()
    )


SETTINGS = {
    "searched whole": {},
    "probe and spans": {"PROBE": 12, "HITS": 3, "MARGIN": 1.5},
    "spans falling short": {"PROBE": 12, "HITS": 3, "MARGIN": 0.1, "SPAN_STEPS": 2},
}


@pytest.fixture(params=SETTINGS, ids=list(SETTINGS))
def estimate(request, monkeypatch) -> None:
    """The window must not depend on how its span was estimated: searched whole (a
    small corpus), found by the probe and one span, or after spans that fell short."""
    for name, value in SETTINGS[request.param].items():
        monkeypatch.setattr(windows, name, value)


def test_a_search_with_more_matches_than_the_window_holds_its_newest_whole_days(
    session, corpus, estimate, monkeypatch
):
    monkeypatch.setattr(windows, "WINDOW", 11)
    found = search_window(session, filters=query('q="security guarantees"'))
    every = matches(session)
    since = every[10][1]
    assert found.capped and found.since == since and found.until is None
    assert sorted(found.ids) == sorted(i for i, day in every if day >= since)
    assert len(found.ids) > 11  # the eleventh match's whole day


def test_a_window_leaves_the_planners_settings_as_it_found_them(session, corpus, monkeypatch):
    # Its spans are read with plain index scans off; the page's other queries are not.
    for name, value in {**SETTINGS["probe and spans"], "WINDOW": 11}.items():
        monkeypatch.setattr(windows, name, value)
    found = search_window(session, filters=query('q="security guarantees"'))
    assert found.capped
    assert session.execute(text("SHOW enable_indexscan")).scalar_one() == "on"


def test_oldest_first_the_window_holds_the_oldest_matches(session, corpus, estimate, monkeypatch):
    monkeypatch.setattr(windows, "WINDOW", 10)
    found = search_window(session, filters=query('q="security guarantees"&sort=oldest'))
    oldest = sorted(matches(session), key=lambda match: (match[1], match[0]))
    until = oldest[9][1]
    assert found.until == until and found.since is None
    assert sorted(found.ids) == sorted(i for i, day in oldest if day <= until)


def test_a_search_within_the_window_is_served_whole(session, corpus, estimate):
    found = search_window(session, filters=query('q="security guarantees"'))
    assert not found.capped
    assert sorted(found.ids) == sorted(i for i, _ in matches(session))


def test_a_view_without_search_words_has_no_window(session, corpus):
    assert search_window(session, filters=query("speaker=sergey-lavrov")).ids is None


def everything(session: Session, filters: StatementFilter) -> dict[str, Any]:
    page = statement_page(session, filters=filters, page_size=5)
    return {
        "page": [s.id for s in page.statements],
        "total": page.total,
        "next": page.next_cursor,
        "chart": volume(session, filters=filters, group="speaker"),
        "speakers": speaker_facets(session, filters=filters),
        "outlets": outlet_facets(session, filters=filters),
        "themes": theme_facets(session, filters=filters),
        "about": about_facets(session, filters=filters),
    }


@pytest.mark.parametrize(
    "view",
    [
        'q="security guarantees"',
        'q="security guarantees"&speaker=maria-zakharova',
        'q="security guarantees"&outlet=tass',
        'q="security guarantees"&sort=newest',
        'q="security guarantees"&sort=oldest',
        'q="security guarantees"&to=2024-01-20',
    ],
)
def test_every_figure_in_the_window_is_the_views_own_from_its_first_day(
    session, corpus, monkeypatch, view
):
    """Counts, facets (each counting as if its own filter were off), the chart and the
    page read the window's matches by id and give what the same view with the window's
    date bound gives searching."""
    monkeypatch.setattr(windows, "WINDOW", 6)
    filters = query(view)
    found = search_window(session, filters=filters)
    assert found.capped and found.ids
    bounded = filters.with_replaced("from" if found.since else "to", found.since or found.until)
    if filters.date_to and found.since:
        bounded = bounded.with_replaced("to", filters.date_to)
    assert everything(session, found.narrowed(filters)) == everything(session, bounded)


def test_the_window_links_to_the_matches_before_it(session, corpus, monkeypatch):
    monkeypatch.setattr(windows, "WINDOW", 8)
    filters = query('q="security guarantees"&outlet=rt')
    found = search_window(session, filters=filters)
    assert found.beyond(filters).query_string() == (
        f"outlet=rt&to={found.since - timedelta(days=1)}&q=%22security+guarantees%22"
    )


def test_a_page_address_older_than_the_window_keeps_its_statements(session, corpus, monkeypatch):
    """An "Older" address copied before newer matches moved the window on still lists
    the statements older than its cursor."""
    monkeypatch.setattr(windows, "WINDOW", 8)
    every = matches(session)
    cursor_id, cursor_day = every[20]
    filters = query(f'q="security guarantees"&sort=newest&before={cursor_day},{cursor_id}')
    found = search_window(session, filters=filters)
    assert found.since is not None and found.since <= cursor_day
    page = statement_page(session, filters=found.narrowed(filters), page_size=3)
    older = [i for i, day in every if (day, i) < (cursor_day, cursor_id)]
    assert [s.id for s in page.statements] == older[:3]


def test_articles_are_ranked_among_the_newest_when_too_many_match(session, corpus, monkeypatch):
    monkeypatch.setattr(windows, "WINDOW", 6)
    hits = search_articles(session, filters=query('q="security guarantees"'), limit=4)
    assert hits.window.capped and hits.total == len(hits.window.ids) >= 6
    assert len(hits.hits) == 4
    assert all(hit.published_on >= hits.window.since for hit in hits.hits)


def test_the_timeline_says_where_a_broad_search_stops_counting(
    client, session, corpus, monkeypatch
):
    monkeypatch.setattr(windows, "WINDOW", 8)
    page = client.get("/statements", params={"q": '"security guarantees"'}).text
    found = search_window(session, filters=query('q="security guarantees"'))
    assert "More than 8 statements match: the count, facets, chart and ranking cover" in page
    assert f"{found.since:%a} {found.since.day} {found.since:%b %Y} on." in page
    assert f'href="/statements?to={found.since - timedelta(days=1)}&amp;q=' in page
    search = client.get("/search", params={"q": '"security guarantees"'}).text
    assert "More than 8 statements match: the count and ranking cover" in search
    assert "More than 8 articles match" in search


def test_a_search_within_the_window_says_nothing_of_one(client, corpus):
    page = client.get("/statements", params={"q": '"security guarantees"'}).text
    assert "statements match: the count" not in page
    assert 'id="statements-window"' not in page
