"""Entities a statement is about: the countries, organisations and people its words name.

The catalogue is `app.knowledge.entities()`: countries and organisations of
`entities.yaml` (names, adjectives, capitals used for the government) and every speaker
of the registry under its own slug. All its phrases go into one regular expression,
built once as a trie of characters, so the scan of a statement is one C-level pass that
skips quickly over the words no phrase starts with, and a longer phrase always wins over
a shorter one starting at the same place ("South China Sea" over nothing, "UN Security
Council" over "UN"). Matching is case-sensitive: "US" is the country, "us" is not.

Phrases listed under `not_about` match like names and give nothing ("China Daily").
Two checks the expression cannot make cheaply run only on a hit: a registry surname
("Lavrov") is not counted after another given name ("Kirill Lavrov"), and a country that
is also a given name ("Georgia") is not counted before a capitalised word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from app.extract.mentions import ROLE_WORDS
from app.extract.model import EntityMention, SpeakerRef
from app.knowledge import EntityEntry, entities

_WORD_CHAR = re.compile(r"\w")
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z][a-z]")
_WORD_BEFORE = re.compile(r"[\w'’\-]+\s+$")
_SENTENCE_END = tuple('.!?:;"“”(')
_TITLES = frozenset(
    ["mr", "mrs", "ms", "dr", "sen", "senator", "rep", "gov", "governor", "gen", "general",
     "adm", "admiral", "prof", "professor", "king", "queen", "prince", "crown", "sheikh",
     "emir", "ayatollah", "pope", "comrade", "messrs"]
)  # fmt: skip
# A full stop after these is no sentence end: "Adm. Harry Harris" is not Kamala Harris.
_ABBREVIATIONS = frozenset(
    ["Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Adm", "Lt", "Col", "Maj", "Capt",
     "Sgt", "Prof"]
)  # fmt: skip
# How far back the word before a surname is looked for.
_LOOKBEHIND = 40


@dataclass(frozen=True, slots=True)
class _Target:
    """What a phrase means: the entity and those it is part of (nothing for not_about)."""

    entries: tuple[EntityEntry, ...]
    surname: bool  # a one-word person alias: not after another given name
    first_name: bool  # a country that is a given name too: not before a capitalised word


@dataclass(frozen=True, slots=True)
class _Matcher:
    pattern: re.Pattern[str]
    targets: dict[str, _Target]


def _trie_pattern(phrases: list[str]) -> str:
    """A regular expression matching any of `phrases`, longest first at each position.

    Every branch starts with a literal character, so `re` scans for the set of first
    characters before trying the rest (its charset prefix optimisation).
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(trie) + r")(?!\w)"


def _with_parents(entry: EntityEntry, by_slug: dict[str, EntityEntry]) -> tuple[EntityEntry, ...]:
    found = [entry]
    for entity in found:
        for slug in entity.part_of:
            parent = by_slug.get(slug)
            if parent is not None and parent not in found:
                found.append(parent)
    return tuple(found)


@cache
def _matcher() -> _Matcher:
    catalogue = entities()
    by_slug = {entry.slug: entry for entry in catalogue.entries}
    targets: dict[str, _Target] = {}
    for entry in catalogue.entries:
        parents = _with_parents(entry, by_slug)
        for phrase in entry.phrases:
            surname = entry.kind == "person" and " " not in phrase
            target = _Target(parents, surname=surname, first_name=entry.first_name)
            for variant in {phrase, phrase.replace("'", "’")}:
                targets.setdefault(variant, target)
    for phrase in catalogue.not_about:
        for variant in {phrase, phrase.replace("'", "’")}:
            targets.setdefault(variant, _Target((), surname=False, first_name=False))
    return _Matcher(re.compile(_trie_pattern(sorted(targets))), targets)


def _after_given_name(text: str, start: int) -> bool:
    """True when the word before `start` looks like another person's given name."""
    before = _WORD_BEFORE.search(text, max(0, start - _LOOKBEHIND), start)
    if before is None:
        return False
    word = before.group().rstrip()
    opening = text[max(0, before.start() - _LOOKBEHIND) : before.start()].rstrip()
    last = opening[:-1].split()[-1:] if opening.endswith(".") else []
    abbreviation = bool(last) and last[0] in _ABBREVIATIONS
    if not opening or (opening.endswith(_SENTENCE_END) and not abbreviation):
        return False  # the word opens a sentence: "Yesterday Putin ..."
    if not word[:1].isupper() or word.isupper():
        return False
    lower = word.lower().rstrip(".")
    return not (lower.endswith(("'s", "’s")) or lower in ROLE_WORDS or lower in _TITLES)


def entities_about(
    text: str, *, speaker: SpeakerRef | None = None, offset: int = 0
) -> tuple[EntityMention, ...]:
    """The entities `text` names, in order, each with the entities it is part of.

    A statement is not about its own speaker: mentions of the speaker's entity (Lavrov
    naming himself, the Kremlin naming the Kremlin) are left out. Offsets are into
    `text` plus `offset`, so a statement's text and its start give body offsets.
    """
    matcher = _matcher()
    found: list[EntityMention] = []
    position = 0
    while (match := matcher.pattern.search(text, position)) is not None:
        start, end = match.span()
        if start and _WORD_CHAR.match(text, start - 1):
            position = start + 1  # inside a word: "EUR", "UNESCO"
            continue
        target = matcher.targets[match.group()]
        position = end
        if not target.entries:
            continue
        if target.surname and _after_given_name(text, start):
            continue
        if target.first_name and _CAPITALISED_NEXT.match(text, end):
            continue
        if speaker is not None and target.entries[0].slug == speaker.slug:
            continue
        found.extend(
            EntityMention(entry.slug, entry.name, entry.kind, start + offset, end + offset)
            for entry in target.entries
        )
    return tuple(found)


def entity_slugs(mentions: tuple[EntityMention, ...]) -> list[str]:
    """The distinct entities of some mentions, in order of first mention."""
    return list(dict.fromkeys(mention.slug for mention in mentions))
