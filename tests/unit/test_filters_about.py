"""The `about` filter: entities a statement is about, in the canonical address and in words."""

from __future__ import annotations

import pytest

from app.queries.filters import FilterError, StatementFilter, describe


def test_about_takes_its_place_after_theme_in_the_canonical_address():
    view = StatementFilter.from_query(
        [("q", "gas"), ("about", "nato"), ("speaker", "sergey-lavrov"), ("about", "EU")]
    )
    assert view.query_string() == "speaker=sergey-lavrov&about=eu&about=nato&q=gas"


def test_about_links_toggle_one_entity_and_reset_the_page():
    view = StatementFilter.from_query([("about", "eu"), ("page", "3")])
    assert view.toggle("about", "nato").query_string() == "about=eu&about=nato"
    assert view.toggle("about", "eu").query_string() == ""


@pytest.mark.parametrize(
    ("about", "entities", "sentence"),
    [
        (["eu"], {"eu": "the EU"}, "Statements by Sergey Lavrov about the EU"),
        (["eu", "nato"], {"eu": "the EU", "nato": "NATO"}, "Statements by Sergey Lavrov about the EU or NATO"),
        (["atlantis"], {}, "Statements by Sergey Lavrov about atlantis"),
    ],
)  # fmt: skip
def test_describe_names_what_the_statements_are_about(about, entities, sentence):
    view = StatementFilter.from_query(
        [("speaker", "sergey-lavrov"), *(("about", slug) for slug in about)]
    )
    names = {"sergey-lavrov": "Sergey Lavrov"}
    assert describe(view, speakers=names, outlets={}, themes={}, entities=entities) == sentence


def test_describe_with_an_entity_and_a_theme_says_on_for_the_theme():
    view = StatementFilter.from_query([("about", "eu"), ("theme", "sanctions")])
    sentence = describe(
        view, speakers={}, outlets={}, themes={"sanctions": "sanctions"}, entities={"eu": "the EU"}
    )
    assert sentence == "Statements about the EU on sanctions"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("<script>", "not a valid identifier"),
        ("../../etc/passwd", "not a valid identifier"),
        ("eu' OR 1=1 --", "not a valid identifier"),
        ("x" * 300, "not a valid identifier"),
    ],
)
def test_hostile_about_values_are_refused_with_a_sentence(value, message):
    with pytest.raises(FilterError) as raised:
        StatementFilter.from_query([("about", value)])
    assert message in raised.value.messages[0]
    assert "“about” entity" in raised.value.messages[0]


def test_too_many_about_values_are_refused():
    with pytest.raises(FilterError) as raised:
        StatementFilter.from_query([("about", f"entity-{n}") for n in range(25)])
    assert raised.value.messages == ["Too many values for “about” entity: at most 20."]
