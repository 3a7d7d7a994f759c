"""The fast forms of the extractor's patterns find exactly what the plain forms find."""

from __future__ import annotations

import re

import pytest

from app.extract.cues import ACCORDING_TO, AUXILIARIES, VERB_CUES, _cue_atoms, according_to
from app.extract.patterns import literal_alternation, trie_pattern
from app.extract.themes import theme_scores

WORDS = ["said", "says", "sa", "stressed", "stress", "told", "call", "called", "calls"]
TEXTS = [
    "He said that she says they stressed it; the stress told.",
    "Lavrov called, then calls again: a call, said to be called off.",
    "unsaid resaid saids sa sai s",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_trie_finds_what_the_longest_first_alternation_finds(text):
    plain = re.compile(r"\b(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b")
    trie = re.compile(r"\b(?:" + literal_alternation(WORDS) + r")\b")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_trie_prefers_the_longer_entry_where_two_match():
    pattern = re.compile(trie_pattern([list("call"), list("called")]))
    assert pattern.match("called off").group() == "called"
    assert pattern.match("call off").group() == "call"


def test_the_end_of_an_entry_is_checked_only_where_it_ends():
    pattern = re.compile(trie_pattern([list("talk"), list("talks")], end=r"(?!\w)"))
    assert pattern.match("talks.").group() == "talks"
    assert pattern.match("talkshow") is None


@pytest.mark.parametrize(
    "text",
    [
        "According to Lavrov, the talks failed.",
        "The talks failed, according to the ministry.",
        "Disaccording to nobody, accordingly",
        "according to",
        "no cue here",
    ],
)
def test_according_to_finds_what_its_regex_finds(text):
    for start in range(len(text) + 1):
        fast = according_to(text, start, len(text))
        plain = ACCORDING_TO.search(text, start, len(text))
        assert (fast and fast.span("cue")) == (plain and plain.span("cue"))


def test_no_cue_starts_with_an_auxiliary():
    """What makes the run of auxiliaries before a cue safe to match possessively."""
    cue = re.compile(trie_pattern(_cue_atoms()) + r"\b")
    for word in AUXILIARIES:
        assert cue.match(f"{word} said that") is None, word


@pytest.mark.parametrize(
    "text",
    [
        "Lavrov has also said that the talks failed, and he then again stressed it.",
        "She had previously told reporters; they have once again called for talks.",
        "It has had further talks, then later added that it has.",
        "has said has has said then then",
    ],
)
def test_verb_cues_find_what_a_backtracking_run_of_auxiliaries_finds(text):
    backtracking = re.compile(VERB_CUES.pattern.replace(")*+", ")*"), VERB_CUES.flags)
    for start in range(len(text) + 1):
        found = [(m.span(), m.span("cue")) for m in VERB_CUES.finditer(text, start)]
        plain = [(m.span(), m.span("cue")) for m in backtracking.finditer(text, start)]
        assert found == plain


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("a cease - fire along the line", "negotiations-and-peace-talks"),
        ("NATO’s eastern flank must be strengthened", "nato-enlargement"),
        ("the talks\tcontinue", "negotiations-and-peace-talks"),
    ],
)
def test_theme_phrases_match_whatever_the_spacing_and_apostrophes(text, slug):
    assert slug in [score.slug for score in theme_scores(text)]


def test_theme_phrases_never_match_inside_a_word():
    assert theme_scores("untalkshow prosanctionsist") == ()
