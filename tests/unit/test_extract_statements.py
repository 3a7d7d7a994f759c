"""End to end: sentences written in the style of scraped diplomatic news, one case a row."""

from __future__ import annotations

from datetime import date

import pytest

from app.extract import extract_statements, to_contract

PUBLISHED = date(2022, 1, 14)  # a Friday

# (body, speaker name or None, kind, text, cue)
SINGLE = [
    pytest.param(
        "“We will not wait for an answer forever,” Lavrov said on Friday.",
        "Sergey Lavrov", "direct", "We will not wait for an answer forever", "said",
        id="cue_after_curly_quote",
    ),
    pytest.param(
        '"The ball is now in the court of Washington," said Sergei Lavrov.',
        "Sergey Lavrov", "direct", "The ball is now in the court of Washington", "said",
        id="inverted_cue_after_straight_quote",
    ),
    pytest.param(
        "Peskov told journalists: “The Kremlin sees no grounds for optimism yet.”",
        "Dmitry Peskov", "direct", "The Kremlin sees no grounds for optimism yet.", "told",
        id="cue_before_quote_with_colon",
    ),
    pytest.param(
        "Lavrov said Moscow expects concrete written proposals from the alliance.",
        "Sergey Lavrov", "indirect", "Moscow expects concrete written proposals from the alliance",
        "said", id="indirect_without_that",
    ),
    pytest.param(
        "Russian Foreign Minister Sergey Lavrov stressed on Thursday that the dialogue "
        "with Washington must rest on equal footing.",
        "Sergey Lavrov", "indirect", "the dialogue with Washington must rest on equal footing",
        "stressed", id="indirect_with_that_and_time_adverbial",
    ),
    pytest.param(
        "Talks on the new arms treaty cannot begin under pressure, Lavrov insisted.",
        "Sergey Lavrov", "indirect", "Talks on the new arms treaty cannot begin under pressure",
        "insisted", id="indirect_cue_after",
    ),
    pytest.param(
        "Lavrov reiterated that Moscow “has never closed the door to diplomacy”.",
        "Sergey Lavrov", "mixed", "Moscow “has never closed the door to diplomacy”",
        "reiterated", id="mixed_quote_inside_reported_speech",
    ),
    pytest.param(
        "According to Lavrov, the western capitals are not ready for serious talks.",
        "Sergey Lavrov", "indirect", "the western capitals are not ready for serious talks",
        "According to", id="according_to_before",
    ),
    pytest.param(
        "The sanctions have failed to change Moscow's course, according to Maria Zakharova.",
        "Maria Zakharova", "indirect", "The sanctions have failed to change Moscow's course",
        "according to", id="according_to_after",
    ),
    pytest.param(
        "Any deployment near our borders will get a response, the Kremlin said.",
        "Kremlin", "indirect", "Any deployment near our borders will get a response", "said",
        id="institution_kremlin",
    ),
    pytest.param(
        "The State Department said the visit had been planned for several weeks.",
        "US State Department", "indirect", "the visit had been planned for several weeks", "said",
        id="institution_state_department",
    ),
    pytest.param(
        "The Russian Foreign Ministry warned that the expulsions would not go unanswered.",
        "Russian Foreign Ministry", "indirect", "the expulsions would not go unanswered", "warned",
        id="institution_russian_foreign_ministry",
    ),
    pytest.param(
        "The alliance will never again be allowed to dictate terms, Riabkov warned on TV.",
        "Sergei Ryabkov", "indirect", "The alliance will never again be allowed to dictate terms",
        "warned", id="misspelled_riabkov",
    ),
    pytest.param(
        "After the Geneva round, Sergei Ryakhkov threatened that Moscow could move missiles.",
        "Sergei Ryabkov", "indirect", "Moscow could move missiles", "threatened",
        id="misspelled_ryakhkov",
    ),
    pytest.param(
        "Russia cannot accept a vague reply to its key demandsLavrov said.",
        "Sergey Lavrov", "indirect", "Russia cannot accept a vague reply to its key demands",
        "said", id="run_on_glued_attribution",
    ),
    pytest.param(
        "“Nobody in Europe wants a new Yalta, we only want our own security” she said",
        None, "direct", "Nobody in Europe wants a new Yalta, we only want our own security",
        "said", id="unattributable_pronoun_keeps_quote_without_speaker",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("body", "speaker", "kind", "text", "cue"), SINGLE)
def test_single_statement(body, speaker, kind, text, cue):
    [statement] = extract_statements(body, published=PUBLISHED)
    assert (statement.speaker.name if statement.speaker else None) == speaker
    assert statement.kind == kind
    assert statement.text == text
    assert statement.cue == cue


def test_two_cues_in_one_sentence_make_two_statements():
    body = (
        "There can be no talk of pulling the units back, Lavrov insisted, adding that the "
        "American request was simply unacceptable."
    )
    first, second = extract_statements(body, published=PUBLISHED)
    assert first.text == "There can be no talk of pulling the units back"
    assert (first.cue, second.cue) == ("insisted", "adding")
    assert second.text == "the American request was simply unacceptable"
    assert first.speaker == second.speaker and first.speaker.slug == "sergey-lavrov"


def test_participle_after_leading_cue_splits_the_content():
    body = (
        "Lavrov noted that trust had to be rebuilt step by step, stressing that Russia had "
        "no quarrel with ordinary Americans."
    )
    first, second = extract_statements(body, published=PUBLISHED)
    assert first.text == "trust had to be rebuilt step by step"
    assert second.cue == "stressing"
    assert second.text == "Russia had no quarrel with ordinary Americans"


def test_pronoun_he_resolves_to_the_last_speaker():
    body = (
        "Sergei Lavrov met reporters in Moscow on Friday.\n\n"
        "He said the western reply was long overdue and incomplete."
    )
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker.slug == "sergey-lavrov"
    assert statement.speaker_mention == "He"


def test_descriptor_the_top_diplomat_resolves_to_lavrov():
    body = (
        "Putin spoke with the Turkish leader on Tuesday. Lavrov said Moscow was ready to talk.\n"
        "Sanctions will only hurt Europe itself, the top diplomat said."
    )
    statements = extract_statements(body, published=PUBLISHED)
    assert statements[-1].speaker.slug == "sergey-lavrov"
    assert statements[-1].speaker_mention == "the top diplomat"


def test_descriptor_the_head_of_russian_diplomacy_resolves_by_role_at_the_date():
    body = "The head of Russian diplomacy said the summit was a waste of everyone's time."
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker.slug == "sergey-lavrov"


def test_the_minister_goes_to_the_most_recent_minister_not_the_president():
    body = (
        "Russian Foreign Minister Sergey Lavrov arrived in Ankara.\n"
        "President Vladimir Putin had approved the trip, officials noted.\n"
        "The grain corridor must serve the poorest countries first, the minister stated."
    )
    statements = extract_statements(body, published=PUBLISHED)
    assert statements[-1].speaker.slug == "sergey-lavrov"


def test_unknown_named_speaker_is_kept_unconfirmed():
    body = "Lithuania's deputy envoy Ona Petraityte said the blockade had to end at once."
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker.known is False
    assert statement.speaker.name == "Ona Petraityte"
    assert statement.speaker.slug == "ona-petraityte"


def test_quote_continued_in_the_next_paragraph_keeps_the_speaker():
    body = (
        "“We have given our answer. We are waiting for theirs,” Zakharova told a briefing.\n\n"
        "“If the West chooses escalation, it will carry the full responsibility for it.”"
    )
    first, second = extract_statements(body, published=PUBLISHED)
    assert second.speaker == first.speaker
    assert second.speaker.slug == "maria-zakharova"
    assert second.text.startswith("If the West chooses escalation")


def test_second_quote_after_the_attribution_belongs_to_the_same_speaker():
    body = (
        "“The door remains open,” Stoltenberg said. “But we will not compromise on the "
        "core principles of European security.”"
    )
    first, second = extract_statements(body, published=PUBLISHED)
    assert first.speaker.slug == second.speaker.slug == "jens-stoltenberg"


def test_bare_quote_with_nobody_before_has_no_speaker():
    body = "Diplomats in Vienna were gloomy.\n\n“Nobody expects a breakthrough at this round.”"
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker is None
    assert statement.confidence < 0.5


def test_run_on_sentence_without_space_is_split():
    body = (
        "Russian Foreign Minister Sergey Lavrov stressed that Kiev had been armed for years."
        "He noted that Moscow hears talk of cutting aid to Kiev."
    )
    first, second = extract_statements(body, published=PUBLISHED)
    assert first.text == "Kiev had been armed for years"
    assert second.text == "Moscow hears talk of cutting aid to Kiev"
    assert second.speaker.slug == "sergey-lavrov"


@pytest.mark.parametrize(
    ("body", "speaker", "mention", "text"),
    [
        pytest.param(
            "Without a deal nobody can guarantee the safety of ships in the Black "
            "SeaZakharova said.",
            "Maria Zakharova", "Zakharova",
            "Without a deal nobody can guarantee the safety of ships in the Black Sea",
            id="surname_glued_to_a_place",
        ),
        pytest.param(
            "The convoy will wait at the border of the Gulf of AdenSergey Lavrov told "
            "reporters.",
            "Sergey Lavrov", "Sergey Lavrov",
            "The convoy will wait at the border of the Gulf of Aden",
            id="full_name_glued_to_a_place",
        ),
        pytest.param(
            "Nobody can guarantee the safety of ships in the Black SeaMcCain said.",
            "John McCain", "McCain",
            "Nobody can guarantee the safety of ships in the Black Sea",
            id="camel_case_name_glued_to_a_place",
        ),
    ],
)  # fmt: skip
def test_speaker_glued_to_the_word_before_is_cut_off_it(body, speaker, mention, text):
    [statement] = extract_statements(body, published=PUBLISHED)
    assert (statement.speaker.name, statement.speaker.known) == (speaker, True)
    assert (statement.speaker_mention, statement.text) == (mention, text)


@pytest.mark.parametrize(
    ("body", "speaker", "mention"),
    [
        ("The sanctions bill must pass this month, McCain said.", "John McCain", "McCain"),
        (
            "The state will not back the new tax plan, Ron DeSantis said.",
            "Ron DeSantis", "Ron DeSantis",
        ),
        (
            "The bridge must be held at all costs, Douglas MacArthur said.",
            "Douglas MacArthur", "Douglas MacArthur",
        ),
        (
            "The fund will keep its bonds until the spring, the BlackRock Investment "
            "Institute said.",
            "BlackRock Investment Institute", "the BlackRock Investment Institute",
        ),
    ],
)  # fmt: skip
def test_names_written_in_camel_case_stay_whole(body, speaker, mention):
    [statement] = extract_statements(body, published=PUBLISHED)
    assert (statement.speaker.name, statement.speaker_mention) == (speaker, mention)


def test_duplicated_paragraph_gives_one_statement():
    paragraph = "Lavrov said the talks in Geneva had ended without any result."
    body = f"{paragraph}\n\n{paragraph}\n\nShare this article"
    assert len(extract_statements(body, published=PUBLISHED)) == 1


def test_repeated_sentence_inside_a_longer_paragraph_is_not_repeated():
    sentence = "Lavrov said the talks in Geneva had ended without any result."
    body = f"{sentence}\n\n{sentence} The delegations left the hotel in the evening."
    assert len(extract_statements(body, published=PUBLISHED)) == 1


@pytest.mark.parametrize(
    "body",
    [
        "Moscow announced an inspection of troops in the Far East on Friday.",
        "The delegations met for four hours behind closed doors in Geneva.",
        "Fight Censorship, Share This Post!",
        "Read also: Lavrov says the West “has lost its way” in Ukraine",
        "Sign up for our daily newsletter and never miss a briefing.",
        "Kerry and Lavrov said the chemical weapons talks were going well.",
        "Officials acknowledge that relations have sunk to a new low.",
    ],
    ids=["event", "narration", "share_boilerplate", "read_also", "newsletter", "joint", "vague"],
)
def test_not_a_statement(body):
    assert extract_statements(body, published=PUBLISHED) == []


def test_offsets_point_into_the_body_given():
    body = (
        "  MOSCOW, January 14.\n\n“We expect a reply next week,” Lavrov said.\n"
        "Lavrov added that the longer the fighting lasts, the harder the talks.\n\n"
        "Sanctions will hurt Europe most, he said, adding, “Europe pays the bill.”"
    )
    statements = extract_statements(body, published=PUBLISHED)
    assert len(statements) == 4
    for statement in statements:
        assert body[statement.start : statement.end] == statement.text
    assert [s.start for s in statements] == sorted(s.start for s in statements)


def test_statement_date_defaults_to_publication_and_reads_the_attribution():
    body = (
        "Lavrov said on Wednesday that the reply had arrived.\n"
        "Lavrov said the reply was incomplete."
    )
    first, second = extract_statements(body, published=PUBLISHED)
    assert (first.date, first.date_precision) == (date(2022, 1, 12), "day")
    assert (second.date, second.date_precision) == (PUBLISHED, "day")


def test_without_publication_date_the_date_is_unknown():
    [statement] = extract_statements("Lavrov said the reply was incomplete.")
    assert statement.date is None and statement.date_precision is None


def test_themes_come_from_the_statement_text():
    body = "Lavrov said NATO expansion to the east threatens Russia's security guarantees."
    [statement] = extract_statements(body, published=PUBLISHED)
    slugs = [theme.slug for theme in statement.themes]
    assert "nato-enlargement" in slugs and "security-guarantees" in slugs
    assert all(0 < theme.score <= 1 for theme in statement.themes)


def test_to_contract_has_the_design_fields():
    [statement] = extract_statements(
        "“Sanctions are a dead end,” Peskov said.", published=PUBLISHED
    )
    assert to_contract(statement, article="a.txt") == {
        "article": "a.txt",
        "speaker": "Dmitry Peskov",
        "speaker_mention": "Peskov",
        "text": "Sanctions are a dead end",
        "kind": "direct",
        "cue": "said",
        "start": 1,
        "end": 25,
        "date": "2022-01-14",
        "themes": ["sanctions"],
    }


def test_inverted_descriptor_after_a_stray_full_stop_takes_the_sentence_before():
    body = (
        "Sergei Lavrov spoke for two hours.\n"
        "We see no reason to look at such demands at all., added the head of Russian diplomacy."
    )
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker.slug == "sergey-lavrov"
    assert statement.text == "We see no reason to look at such demands at all"


def test_unresolvable_according_to_leaves_the_verb_cue_in_charge():
    body = (
        "Lavrov met the press.\n"
        "“Everything depends on Washington,” the Russian official said, according to the agency."
    )
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker.slug == "sergey-lavrov"
    assert statement.text == "Everything depends on Washington"


# (body, [(speaker name or None, text)]) for the cue forms added with the complement rules
CASES = [
    pytest.param(
        "Lavrov called the proposal “a dead end” after the vote.",
        [("Sergey Lavrov", "the proposal “a dead end”")],
        id="called_x_quoted_y",
    ),
    pytest.param(
        "Lavrov called Blinken on Tuesday to discuss the prisoner exchange.",
        [],
        id="called_without_quote_is_a_phone_call",
    ),
    pytest.param(
        "Lavrov urged the Western capitals to return to the negotiating table.",
        [("Sergey Lavrov", "the Western capitals to return to the negotiating table")],
        id="urged_object_to",
    ),
    pytest.param(
        "Lavrov dismissed suggestions that the Geneva format had collapsed.",
        [("Sergey Lavrov", "the Geneva format had collapsed")],
        id="dismissed_suggestions_that",
    ),
    pytest.param(
        "Speaking after two days of talks in Vienna, Lavrov said the sides had narrowed "
        "their differences.",
        [("Sergey Lavrov", "the sides had narrowed their differences")],
        id="scene_before_cue",
    ),
    pytest.param(
        "The main task, Lavrov said, is to avoid a new arms race in Europe.",
        [("Sergey Lavrov", "The main task, Lavrov said, is to avoid a new arms race in Europe")],
        id="cue_in_mid_sentence_keeps_the_sentence",
    ),
    pytest.param(
        "“We are ready to talk,” Lavrov said, “but not at any price.”",
        [("Sergey Lavrov", "We are ready to talk"), ("Sergey Lavrov", "but not at any price.")],
        id="quote_split_by_the_cue",
    ),
    pytest.param(
        "Sergey Lavrov, who arrived in Geneva on Sunday, told reporters that the talks "
        "would be difficult.",
        [("Sergey Lavrov", "the talks would be difficult")],
        id="relative_clause_after_name",
    ),
    pytest.param(
        "Lavrov said the meeting had been useful, but Blinken said the gaps remained wide.",
        [
            ("Sergey Lavrov", "the meeting had been useful"),
            ("Antony Blinken", "the gaps remained wide"),
        ],
        id="second_speaker_in_the_sentence",
    ),
    pytest.param(
        "The delegations are expected to meet again in March, the AP reported.",
        [("Associated Press", "The delegations are expected to meet again in March")],
        id="outlet_as_source",
    ),
    pytest.param(
        "Lavrov spoke in Moscow. “We will respond in kind,” he said, according to the BBC.",
        [("Sergey Lavrov", "We will respond in kind")],
        id="according_to_outlet_is_no_speaker",
    ),
    pytest.param(
        "The minister ended with a warning: “Nobody will dictate terms to us,” Lavrov said.",
        [("Sergey Lavrov", "Nobody will dictate terms to us")],
        id="only_the_quote_after_a_colon",
    ),
    pytest.param(
        "On Friday, however, the Kremlin spokesman, Dmitry Peskov, met reporters. "
        "“We see no progress yet,” he said.",
        [("Dmitry Peskov", "We see no progress yet")],
        id="he_is_the_subject_after_a_scene",
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_statements_of_a_sentence(body, expected):
    statements = extract_statements(body, published=PUBLISHED)
    assert [(s.speaker.name if s.speaker else None, s.text) for s in statements] == expected


def test_key_statements_digest_belongs_to_its_speaker():
    body = (
        "Below are Lavrov's key statements.\n\n"
        "Russia is open to dialogue. Sanctions will not change its course.\n\n"
        "“We are patient people, and we can wait.”"
    )
    statements = extract_statements(body, published=PUBLISHED)
    assert [(s.speaker.name, s.text) for s in statements] == [
        ("Sergey Lavrov", "Russia is open to dialogue. Sanctions will not change its course"),
        ("Sergey Lavrov", "We are patient people, and we can wait."),
    ]


# (body, speaker name, mention, text): a wire dateline opening the paragraph is neither
# the content nor part of the speaker's phrase.
DATELINES = [
    pytest.param(
        "BEIJING, Mar 3 (Xinhua) - Wang Yi, Foreign Minister of China, said on Monday that "
        "the two sides would resume talks on trade next month.",
        "Wang Yi",
        "Wang Yi",
        "the two sides would resume talks on trade next month",
        id="date_and_agency_before_name_with_title",
    ),
    pytest.param(
        "GENEVA, February 9 (TASS) - Moscow sees no reason to return to the old format, "
        "Deputy Foreign Minister Sergei Ryabkov said on Wednesday.",
        "Sergei Ryabkov",
        "Deputy Foreign Minister Sergei Ryabkov",
        "Moscow sees no reason to return to the old format",
        id="date_and_agency_before_content_with_cue_after",
    ),
    pytest.param(
        "KYIV (Reuters) — Ukraine will not give up any territory, Foreign Minister "
        "Dmytro Kuleba said.",
        "Dmytro Kuleba",
        "Foreign Minister Dmytro Kuleba",
        "Ukraine will not give up any territory",
        id="agency_only",
    ),
]


@pytest.mark.parametrize(("body", "speaker", "mention", "text"), DATELINES)
def test_wire_dateline_is_not_in_the_statement_or_the_speaker(body, speaker, mention, text):
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker is not None and statement.speaker.name == speaker
    assert statement.speaker_mention == mention
    assert statement.text == text


@pytest.mark.parametrize(
    ("body", "text"),
    [
        pytest.param(
            "According to Sergey Lavrov, Foreign Minister of Russia, the new sanctions had "
            "not changed Moscow's course.",
            "the new sanctions had not changed Moscow's course",
            id="capitalised_title",
        ),
        pytest.param(
            "According to Lavrov, the Russian foreign minister, the talks in Geneva were "
            "useful but not decisive.",
            "the talks in Geneva were useful but not decisive",
            id="title_with_article",
        ),
        pytest.param(
            "According to Lavrov, the talks in Geneva were useful, but more work remained.",
            "the talks in Geneva were useful, but more work remained",
            id="no_title",
        ),
    ],
)
def test_according_to_leaves_the_speakers_title_out_of_the_statement(body, text):
    [statement] = extract_statements(body, published=PUBLISHED)
    assert statement.speaker is not None and statement.speaker.name == "Sergey Lavrov"
    assert statement.text == text
