"""The extractor resolves against the registry it is handed: an alias or a theme phrase
added to a copy of the shipped registry changes what the same text yields, and two
registries with the same content are interchangeable (they share the extractor's caches)."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date

from app.extract import extract_statements
from app.knowledge import Registry, shipped

TEXT = (
    "Moscow sets its terms\n\n"
    "The talks in Geneva ended on Friday without a date for the next round.\n\n"
    "\u201cThe zebra crossing accord stands until a written answer comes,\u201d Old Bear said."
)


def edited(*, alias: str | None = None, phrase: str | None = None) -> Registry:
    base = shipped()
    speakers = tuple(
        dataclasses.replace(s, aliases=(*s.aliases, alias))
        if alias and s.slug == "sergey-lavrov"
        else s
        for s in base.speakers
    )
    themes = tuple(
        dataclasses.replace(t, phrases=(*t.phrases, phrase))
        if phrase and t.slug == "sanctions"
        else t
        for t in base.themes
    )
    return Registry(speakers, base.outlets, themes)


def test_an_alias_added_to_the_registry_attributes_a_statement_the_shipped_one_does_not():
    [shipped_statement] = extract_statements(TEXT, published=date(2022, 2, 4))
    [edited_statement] = extract_statements(
        TEXT, published=date(2022, 2, 4), registry=edited(alias="Old Bear")
    )
    assert shipped_statement.speaker is not None and not shipped_statement.speaker.known
    assert edited_statement.speaker is not None and edited_statement.speaker.slug == "sergey-lavrov"


def test_a_theme_phrase_added_to_the_registry_tags_a_statement():
    [before] = extract_statements(TEXT)
    [after] = extract_statements(TEXT, registry=edited(phrase="zebra crossing accord"))
    assert "sanctions" not in {t.slug for t in before.themes}
    assert "sanctions" in {t.slug for t in after.themes}


def test_registries_are_equal_by_content_even_across_a_pickle():
    one, two = edited(alias="Old Bear"), edited(alias="Old Bear")
    assert one == two and hash(one) == hash(two) and one is not two
    assert pickle.loads(pickle.dumps(one)) == one
    assert one != shipped() and edited(alias="Grey Fox") != one
