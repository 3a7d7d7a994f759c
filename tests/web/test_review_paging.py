"""The review queue pages by its own order (lowest confidence first, then id), with the
position in the URL: walking the pages shows every new statement exactly once, even
when confidences tie or statements are reviewed between two pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models import Statement
from app.web import review
from tests.factories import article_text, make_article

PAGE = 3
ITEM = re.compile(r'id="review-s(\d+)"')
NEXT = re.compile(r'id="next-page" class="button secondary" href="([^"]+)"')


@pytest.fixture
def queue(session, monkeypatch) -> list[Statement]:
    """At least three pages of new statements, half of them with the same confidence."""
    monkeypatch.setattr(review, "QUEUE_SIZE", PAGE)
    for number in range(8):
        make_article(session, text=article_text(said=f"Point {number} stands as written"))
    statements = list(session.execute(select(Statement).order_by(Statement.id)).scalars())
    for index, statement in enumerate(statements):
        statement.confidence = 0.5 if index % 2 else round(0.1 + index / 100, 3)
    session.commit()
    assert len(statements) > 2 * PAGE
    return sorted(statements, key=lambda s: (s.confidence, s.id))


def walk(client, start: str = "/review") -> list[list[int]]:
    pages, url = [], start
    while url:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200
        pages.append([int(found) for found in ITEM.findall(response.text)])
        following = NEXT.search(response.text)
        url = following.group(1) if following else None
    return pages


def test_a_queue_longer_than_a_page_shows_every_item_once_across_pages_in_order(client, queue):
    pages = walk(client)
    assert len(pages) == -(-len(queue) // PAGE)
    assert all(len(page) == PAGE for page in pages[:-1])
    assert [i for page in pages for i in page] == [s.id for s in queue]


def test_a_page_address_keeps_its_place_when_earlier_items_are_reviewed(client, session, queue):
    second = client.get("/review")
    next_url = NEXT.search(second.text).group(1).replace("&amp;", "&")
    for statement in queue[:PAGE]:
        assert client.post(f"/statements/{statement.id}/confirm").status_code in {200, 303}
    shown = [int(i) for i in ITEM.findall(client.get(next_url).text)]
    assert shown == [s.id for s in queue[PAGE : 2 * PAGE]]


def test_the_page_says_which_items_it_shows_and_links_back_to_the_first(client, queue):
    first = client.get("/review")
    assert f"Showing 1–{PAGE} of {len(queue)}" in first.text
    second = client.get(NEXT.search(first.text).group(1).replace("&amp;", "&"))
    assert f"Showing {PAGE + 1}–{2 * PAGE} of {len(queue)}" in second.text
    assert 'rel="first"' in second.text


def test_the_queue_position_keeps_the_view_filters(client, queue):
    page = client.get("/review?speaker=sergey-lavrov")
    following = NEXT.search(page.text)
    assert following is None or "speaker=sergey-lavrov" in following.group(1)


@pytest.mark.parametrize(
    "after", ["abc", "-1", "0", "1.5", "99999999999", "%00", "1' OR '1'='1", "2147483647"]
)
def test_a_bad_or_unknown_queue_position_is_a_clear_400(client, queue, after):
    response = client.get("/review", params={"after": after})
    assert response.status_code == 400
    assert "statement" in response.text


def test_a_position_given_twice_is_refused(client, queue):
    response = client.get(f"/review?after={queue[0].id}&after={queue[1].id}")
    assert response.status_code == 400
