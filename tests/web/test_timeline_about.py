"""The timeline narrowed to what statements are about: `about=eu`, the About facet."""

from __future__ import annotations

from datetime import date

import feedparser
import pytest

from tests.factories import article_text, make_article


@pytest.fixture
def corpus(session):
    said = {
        "lavrov-eu": "The European Union has chosen confrontation over trade",
        "lavrov-nato": "NATO keeps moving its infrastructure east",
        "zakharova-eu": "Brussels has once again shown its double standards",
    }
    make_article(session, text=article_text(said=said["lavrov-eu"]), published=date(2022, 2, 1))
    make_article(session, text=article_text(said=said["lavrov-nato"]), published=date(2022, 2, 2))
    make_article(
        session,
        text=article_text(speaker="Maria Zakharova", said=said["zakharova-eu"]),
        published=date(2022, 2, 3),
    )
    return said


def test_speaker_and_about_together_show_only_what_that_speaker_said_about_it(client, corpus):
    page = client.get("/statements?speaker=sergey-lavrov&about=eu")
    assert page.status_code == 200
    assert corpus["lavrov-eu"] in page.text
    assert corpus["lavrov-nato"] not in page.text
    assert corpus["zakharova-eu"] not in page.text
    assert "Statements by Sergey Lavrov about the EU" in page.text


def test_about_alone_gathers_every_speaker_on_that_entity(client, corpus):
    page = client.get("/statements?about=eu")
    assert corpus["lavrov-eu"] in page.text and corpus["zakharova-eu"] in page.text
    assert corpus["lavrov-nato"] not in page.text


def test_about_facet_counts_statements_as_if_about_were_off(client, corpus):
    page = client.get("/statements?speaker=sergey-lavrov&about=eu")
    assert "<legend>About</legend>" in page.text
    assert 'id="f-about-eu" type="checkbox" name="about" value="eu" checked' in page.text
    assert 'value="nato"' in page.text, "the other entities stay listed for a quick switch"
    eu = page.text.split('value="eu"')[1].split("</label>")[0]
    assert '<span class="count">1</span>' in eu, "one Lavrov statement is about the EU"


def test_active_about_filter_shows_as_a_removable_chip(client, corpus):
    page = client.get("/statements?about=nato")
    assert '<span class="chip-key">about</span> NATO' in page.text


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "eu;drop table entities", "ЕС", "x" * 500]
)
def test_hostile_about_values_get_a_message_and_a_400(client, corpus, value):
    page = client.get("/statements", params={"about": value})
    assert page.status_code == 400
    assert "is not a valid identifier" in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_unknown_entity_gives_an_empty_result_and_says_so(client, corpus):
    page = client.get("/statements", params={"about": "atlantis"})
    assert page.status_code == 200
    assert "No entity is known as “atlantis”" in page.text
    assert "No statement matches these filters" in page.text


def test_about_in_any_order_redirects_to_the_canonical_address(client, corpus):
    response = client.get("/statements?about=nato&speaker=sergey-lavrov", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/statements?speaker=sergey-lavrov&about=nato"


def test_cards_name_what_each_statement_is_about_with_links_that_filter(client, corpus):
    page = client.get("/statements?speaker=sergey-lavrov")
    assert 'href="/statements?speaker=sergey-lavrov&amp;about=eu" class="entity-tag"' in page.text
    narrowed = client.get("/statements?speaker=sergey-lavrov&about=eu")
    assert 'href="/statements?speaker=sergey-lavrov" class="entity-tag selected"' in narrowed.text


@pytest.mark.parametrize("path", ["/statements.atom", "/api/statements", "/statements.csv"])
def test_feeds_exports_and_the_api_name_the_entity_as_the_page_does(client, corpus, path):
    response = client.get(f"{path}?speaker=sergey-lavrov&about=eu")
    assert response.status_code == 200
    if path == "/statements.csv":
        disposition = response.headers["content-disposition"]
        assert "statements-by-sergey-lavrov-about-the-eu" in disposition
    elif path == "/api/statements":
        description = response.json()["filter"]["description"]
        assert description == "Statements by Sergey Lavrov about the EU"
    else:
        feed = feedparser.parse(response.text)
        assert feed.feed.title == "Statements by Sergey Lavrov about the EU · Démarche"
