"""Atom feeds of any view: valid Atom that a feed reader (feedparser) reads back."""

from __future__ import annotations

import feedparser
import pytest

from tests.factories import article_text, make_article
from tests.web.explore_corpus import GUARANTEES, SANCTIONS, two_speakers


@pytest.fixture
def corpus(session):
    return two_speakers(session)


def read_feed(client, query: str = "") -> tuple[object, feedparser.FeedParserDict]:
    response = client.get(f"/statements.atom{'?' + query if query else ''}")
    return response, feedparser.parse(response.content)


def test_feed_of_a_view_is_valid_atom_titled_in_words(client, corpus):
    response, feed = read_feed(client, "speaker=sergey-lavrov")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Statements by Sergey Lavrov · Démarche"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == "http://testserver/statements.atom?speaker=sergey-lavrov"
    assert links["alternate"] == "http://testserver/statements?speaker=sergey-lavrov"


def test_feed_entries_carry_speaker_quote_article_link_and_dates(client, corpus):
    _, feed = read_feed(client, "speaker=sergey-lavrov")
    entry = next(e for e in feed.entries if GUARANTEES.split()[3] in e.content[0].value)
    assert entry.author == "Sergey Lavrov"
    assert entry.title.startswith("Sergey Lavrov: “")
    assert GUARANTEES in entry.content[0].value
    assert entry.link.startswith(f"http://testserver/articles/{corpus['lavrov'].id}#s")
    assert entry.id == entry.link
    assert entry.published.startswith("2022-01-14")
    assert entry.updated
    assert not any(SANCTIONS in e.content[0].value for e in feed.entries)


def test_feed_links_to_the_source_article_when_known(client, corpus):
    _, feed = read_feed(client, "outlet=reuters")
    related = [link.href for e in feed.entries for link in e.links if link.rel == "related"]
    assert "https://www.reuters.com/world/zakharova-sanctions" in related


def test_feed_is_newest_first_whatever_the_views_order(client, corpus):
    _, feed = read_feed(client, "sort=oldest")
    published = [entry.published for entry in feed.entries]
    assert published == sorted(published, reverse=True)


def test_untrusted_text_is_escaped_and_control_characters_dropped(client, session):
    make_article(
        session,
        text=article_text(said="The <script>alert(1)</script> & \x0b\x1f answer stands"),
    )
    response, feed = read_feed(client, "q=answer")
    assert not feed.bozo, feed.get("bozo_exception")
    assert b"<script>" not in response.content
    assert any("<script>alert(1)</script>" in e.content[0].value for e in feed.entries)


def test_empty_view_is_still_a_valid_feed(client, corpus):
    _, feed = read_feed(client, "from=2030-01-01")
    assert not feed.bozo
    assert feed.entries == []
    assert feed.feed.title == "Statements since 1 January 2030 · Démarche"


@pytest.mark.parametrize("query", ["from=2022-02-31", "speaker=%22%3E%3Cx%3E", "sort=x", "a=b"])
def test_bad_filters_in_a_feed_get_a_400(client, query):
    response = client.get(f"/statements.atom?{query}")
    assert response.status_code == 400
    assert "<x>" not in response.text


def test_timeline_head_advertises_the_feed_and_offers_follow_and_exports(client, corpus):
    page = client.get("/statements?speaker=sergey-lavrov&page=1", follow_redirects=True).text
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Statements by Sergey Lavrov" '
        'href="/statements.atom?speaker=sergey-lavrov">' in page
    )
    assert ">Follow (Atom)</a>" in page
    assert 'href="/statements.csv?speaker=sergey-lavrov"' in page
    assert 'href="/statements.json?speaker=sergey-lavrov"' in page


def test_export_links_leave_out_the_page_number(client, session, settings):
    for index in range(settings.page_size + 1):
        make_article(session, text=article_text(said=f"Feed paging statement {index}"))
    page = client.get("/statements?page=2").text
    assert 'href="/statements.csv"' in page
    assert 'href="/statements.atom"' in page
