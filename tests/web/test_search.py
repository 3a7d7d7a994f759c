"""Search: statements and articles by words and phrases, ranked, with matches marked safely."""

from __future__ import annotations

import pytest

from app.queries.search import positive_terms
from app.web.highlight import marked_matches
from tests.factories import article_text, make_article
from tests.web.explore_corpus import GUARANTEES, SANCTIONS, two_speakers


@pytest.fixture
def corpus(session):
    return two_speakers(session)


def test_phrase_search_finds_statements_with_the_phrase_marked(client, corpus):
    page = client.get("/search", params={"q": '"security guarantees" -sanctions'})
    assert page.status_code == 200
    assert '<mark class="match">security guarantees</mark>' in page.text
    assert SANCTIONS.split(" and ")[0] not in page.text
    assert (
        'Results for <span class="query-echo">&#34;security guarantees&#34; -sanctions</span>'
        in page.text
    )


def test_search_lists_matching_articles_with_marked_snippets(client, session):
    make_article(
        session,
        title="Kremlin wants written security guarantees",
        text=article_text(said="The answer must come in writing"),
    )
    page = client.get("/search", params={"q": "security guarantees"}).text
    articles = page.split('id="article-hits"')[1]
    assert '<mark class="match">security guarantees</mark>' in articles
    assert "Kremlin wants written" in articles


def test_statements_are_ranked_by_relevance(client, session):
    make_article(session, text=article_text(said="Security is one topic among many we raised"))
    make_article(
        session,
        text=article_text(said="Security, security and again security: guarantees of security"),
    )
    hits = client.get("/api/statements", params={"q": "security"}).json()["statements"]
    assert hits[0]["text"].startswith("Security, security and again")


def test_marks_never_carry_markup_from_the_stored_text(client, session):
    make_article(
        session,
        text=article_text(said='<img src=x onerror=alert(1)> security <b>guarantees</b> "now"'),
    )
    page = client.get("/search", params={"q": "security"}).text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<mark class="match">security</mark>' in page


def test_private_marker_characters_in_stored_text_cannot_forge_marks(client, session):
    make_article(
        session, text=article_text(said="Plain \ue000words\ue001 about security guarantees")
    )
    page = client.get("/search", params={"q": "security"}).text
    assert '<mark class="match">words</mark>' not in page
    assert '<mark class="match">security</mark>' in page


def test_search_keeps_the_other_filters_and_links_to_the_timeline(client, corpus):
    page = client.get("/search", params={"q": "security", "speaker": "maria-zakharova"}).text
    statements = page.split('id="statement-hits"')[1].split('id="article-hits"')[0]
    assert "backfire" in statements and "wait forever" not in statements
    assert 'href="/statements?speaker=maria-zakharova&amp;q=security"' in page
    assert '<input type="hidden" name="speaker" value="maria-zakharova">' in page


def test_empty_search_shows_the_form_and_help(client):
    page = client.get("/search")
    assert page.status_code == 200
    assert 'name="q"' in page.text
    assert "Search what was said" in page.text


def test_no_match_says_so(client, corpus):
    page = client.get("/search", params={"q": "zeppelin"}).text
    assert "No statement matches" in page and "No article matches" in page


@pytest.mark.parametrize(
    "q", ["'; DROP TABLE statements; --", "a & | ! <> :* (", '"""', "\\", "-", "- -x", "!!"]
)
def test_hostile_search_text_is_harmless(client, corpus, q):
    assert client.get("/search", params={"q": q}).status_code == 200
    assert client.get("/api/statements", params={"q": q}).status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "from=nope", "sort=best", "x=1"])
def test_bad_search_parameters_get_a_400_with_a_message(client, query):
    page = client.get(f"/search?{query}")
    assert page.status_code == 400
    assert "notice error" in page.text


@pytest.mark.parametrize(
    ("q", "positive"),
    [
        ('"security guarantees" -sanctions', '"security guarantees"'),
        ('nato -"eastern flank" expansion', "nato  expansion"),
        ("well-known -x", "well-known"),
        ("-only", ""),
    ],
)
def test_only_wanted_words_are_marked(q, positive):
    assert positive_terms(q) == positive


def test_marked_matches_escape_everything_but_the_marks():
    marked = marked_matches("a <b> \ue000x\ue001 \ue000y\ue001 & \ue000z\ue001")
    assert str(marked) == (
        'a &lt;b&gt; <mark class="match">x y</mark> &amp; <mark class="match">z</mark>'
    )


def test_timeline_sort_links_follow_the_search(client, corpus):
    page = client.get("/statements", params={"q": "security"}).text
    assert 'aria-current="true">Relevance<' in page
    assert 'href="/statements?q=security&amp;sort=newest"' in page
    plain = client.get("/statements").text
    assert ">Relevance<" not in plain
    assert GUARANTEES in plain
