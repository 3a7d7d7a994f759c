"""Entities a statement is about: countries, organisations and people named in its words."""

from __future__ import annotations

from datetime import date

import pytest

from app.extract import extract_statements
from app.extract.entities import entities_about, entity_slugs
from app.extract.model import SpeakerRef
from app.knowledge import entities

LAVROV = SpeakerRef(name="Sergey Lavrov", slug="sergey-lavrov", kind="person", known=True)
KREMLIN = SpeakerRef(name="Kremlin", slug="kremlin", kind="institution", known=True)


def about(text: str, speaker: SpeakerRef | None = None) -> list[str]:
    return entity_slugs(entities_about(text, speaker=speaker))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names, short forms, adjectives and demonyms
        ("The European Union has chosen confrontation", ["eu"]),
        ("the EU and NATO keep moving east", ["eu", "nato"]),
        ("Nato's eastern flank is no concern of ours", ["nato"]),
        ("the U.S. and the U.K. drafted the text together", ["united-states", "united-kingdom"]),
        ("American diplomats were told to leave within a week", ["united-states"]),
        ("Ukrainian forces shelled the district overnight", ["ukraine"]),
        ("Russians will not accept such terms", ["russia"]),
        ("the Russian Federation reserves the right to respond", ["russia"]),
        ("talks with Türkiye and Turkey's neighbours", ["turkey"]),
        ("the People's Republic of China opposes it", ["china"]),
        ("the People’s Republic of China opposes it", ["china"]),
        # capitals used for the government
        ("Moscow has not answered and Kiev is stalling", ["russia", "ukraine"]),
        ("Kyiv expects more air defence from Washington", ["ukraine", "united-states"]),
        ("Beijing will not take sides", ["china"]),
        ("Brussels keeps adding names to the list", ["eu"]),
        # organisations
        ("the OSCE mission must be given access", ["osce"]),
        ("the G7 and the G-20 have different agendas", ["g7", "g20"]),
        ("BRICS+ is open to new members, the SCO too", ["brics", "sco"]),
        ("the IAEA inspectors and the WTO rules", ["iaea", "wto"]),
        ("the CSTO will hold exercises", ["csto"]),
        ("the United Nations must stay neutral", ["un"]),
        # a body counts for the entity it belongs to
        ("the UN Security Council failed to act", ["un-security-council", "un"]),
        ("the State Department has not replied", ["us-state-department", "united-states"]),
        ("the Kremlin has set out its position", ["kremlin", "russia"]),
        ("the European Parliament voted on it", ["european-parliament", "eu"]),
        # people, from the speakers registry
        ("we told Antony Blinken exactly that", ["antony-blinken"]),
        ("President Putin will decide", ["vladimir-putin"]),
        ("Mr. Blinken knows our position", ["antony-blinken"]),
        ("Zelensky's regime is running out of time", ["volodymyr-zelensky"]),
    ],
)
def test_entities_named_in_a_statement(text, expected):
    assert about(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as China Daily reported, the talks went well", []),
        ("ships in the South China Sea must be free to pass", []),
        ("Georgia wants a path to NATO membership", ["georgia", "nato"]),
        ("Tbilisi and Georgia's partners disagree", ["georgia"]),
        ("voters in the state of Georgia and a Georgia Republican", []),
        ("Georgia Tech published the survey", []),
        ("the Union is strong and the Soviet Union is gone", []),
        ("the African Union sent observers", ["african-union"]),
        ("nobody told us about it", []),
        ("a roast turkey for the holiday", []),
        ("the Minsk agreements are dead", []),
        ("the Budapest Memorandum gave guarantees", []),
        ("the Washington Post printed a leak", []),
        ("the meeting in Brussels lasted an hour", []),
        ("Latin American partners are welcome", []),
        ("UNESCO and the EURO area", []),
        ("his brother Kirill Lavrov was not there", []),
        ("retired Adm. Harry Harris was named envoy", []),
        ("the price cap and Power cuts", []),
    ],
)
def test_false_friends_are_not_entities(text, expected):
    assert about(text) == expected


def test_offsets_point_at_the_words_that_name_the_entity():
    text = "We warned Washington and the EU about it."
    mentions = entities_about(text, offset=100)
    body = " " * 100 + text
    assert [(m.slug, body[m.start : m.end]) for m in mentions] == [
        ("united-states", "Washington"),
        ("eu", "EU"),
    ]


def test_a_body_and_the_entity_it_belongs_to_share_the_mention():
    mentions = entities_about("the Kremlin said no")
    assert [(m.slug, m.kind, m.start, m.end) for m in mentions] == [
        ("kremlin", "organisation", 4, 11),
        ("russia", "country", 4, 11),
    ]


def test_a_speaker_naming_themselves_is_not_about_themselves():
    text = "Lavrov does not negotiate with the EU on these terms"
    assert about(text) == ["sergey-lavrov", "eu"]
    assert about(text, speaker=LAVROV) == ["eu"]


def test_an_institution_naming_itself_is_not_about_itself_or_its_country():
    assert about("the Kremlin will not comment", speaker=KREMLIN) == []
    assert about("the Kremlin and Russia agree", speaker=KREMLIN) == ["russia"]


def test_extracted_statements_carry_the_entities_of_their_text():
    body = (
        "Lavrov speaks on sanctions\n\n"
        "“The European Union will regret these sanctions,” Russian Foreign Minister "
        "Sergey Lavrov said on Friday, adding that Washington was behind them."
    )
    statements = extract_statements(body, published=date(2022, 3, 4))
    assert statements
    for statement in statements:
        for mention in statement.entities:
            assert statement.start <= mention.start < mention.end <= statement.end
    found = {m.slug for s in statements for m in s.entities}
    assert {"eu", "united-states"} <= found
    assert "sergey-lavrov" not in found


def test_every_entity_slug_is_unique_and_every_part_exists():
    catalogue = entities().entries
    slugs = [entry.slug for entry in catalogue]
    assert len(slugs) == len(set(slugs))
    assert {part for entry in catalogue for part in entry.part_of} <= set(slugs)
    assert {entry.kind for entry in catalogue} == {"country", "organisation", "person"}
