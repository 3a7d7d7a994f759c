"""Themes of a statement, from the phrase lists of the registry's themes (as shipped,
`app/knowledge/themes.yaml`; as admins edit them, the service layer's registry).

Phrases are matched on word tokens (`\\w+` runs and single punctuation marks), longest
first from each position, left to right without overlap, all phrases at once: one
regular expression built as a trie of the phrases (`app.extract.patterns`), so a
statement is scanned once in C rather than token by token in Python. Each hit adds
weight to its themes. A theme with one hit scores 0.5, two 0.75, three 0.875: enough
to rank, not a probability.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.extract.model import ThemeScore
from app.extract.patterns import trie_pattern
from app.knowledge import Registry, shipped

MIN_SCORE = 0.5

_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD_TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text.lower().replace("’", "'")))


def _atoms(tokens: tuple[str, ...]) -> list[str]:
    """A phrase's tokens as regex atoms: letters, and between tokens the space the
    tokenizer skips (required between two words, which would otherwise be one token)."""
    atoms: list[str] = []
    for index, token in enumerate(tokens):
        if index:
            both_words = _WORD_TOKEN.fullmatch(tokens[index - 1]) and _WORD_TOKEN.fullmatch(token)
            atoms.append(r"\s+" if both_words else r"\s*")
        atoms.extend(re.escape(letter) for letter in token)
    return atoms


def phrase_problem(phrase: str) -> str | None:
    """Why `phrase` cannot be a theme phrase, in words; None when it can."""
    key = _tokens(phrase)
    if not key:
        return "A phrase needs at least one word."
    if not (_WORD_TOKEN.fullmatch(key[0]) and _WORD_TOKEN.fullmatch(key[-1])):
        return f"The phrase “{phrase}” must start and end with a letter or digit."
    return None


@lru_cache(maxsize=4)  # a registry edit makes a new one; old ones age out
def _phrases(
    registry: Registry,
) -> tuple[re.Pattern[str], dict[tuple[str, ...], tuple[str, ...]]]:
    """The phrase matcher and, by a phrase's tokens, the themes it stands for."""
    by_phrase: dict[tuple[str, ...], list[str]] = {}
    for theme in registry.themes:
        for phrase in theme.phrases:
            key = _tokens(phrase)
            if not key:
                continue
            problem = phrase_problem(phrase)
            if problem is not None:
                raise ValueError(problem)
            if theme.slug not in by_phrase.setdefault(key, []):
                by_phrase[key].append(theme.slug)
    # Whole words only: a phrase neither starts nor ends inside a word.
    trie = trie_pattern((_atoms(key) for key in by_phrase), end=r"(?!\w)")
    matcher = re.compile(r"(?<!\w)" + trie)
    return matcher, {key: tuple(slugs) for key, slugs in by_phrase.items()}


def theme_scores(text: str, registry: Registry | None = None) -> tuple[ThemeScore, ...]:
    """Themes found in `text`, best first; the shipped taxonomy unless another is given."""
    registry = registry or shipped()
    matcher, _ = _phrases(registry)
    hits: dict[str, int] = {}
    for found in matcher.findall(text.lower().replace("’", "'")):
        for slug in _themes_of(found, registry):
            hits[slug] = hits.get(slug, 0) + 1
    return _ranked(tuple(sorted(hits.items()))) if hits else ()


@lru_cache(maxsize=4096)
def _themes_of(found: str, registry: Registry) -> tuple[str, ...]:
    """The themes of a phrase as the matcher found it (spacing may differ from the list)."""
    return _phrases(registry)[1][_tokens(found)]


@lru_cache(maxsize=4096)
def _ranked(hits: tuple[tuple[str, int], ...]) -> tuple[ThemeScore, ...]:
    """Scores for (theme, hit count) pairs, best first."""
    scored = [ThemeScore(slug, round(1 - 0.5**count, 3)) for slug, count in hits]
    scored = [s for s in scored if s.score >= MIN_SCORE]
    return tuple(sorted(scored, key=lambda s: (-s.score, s.slug)))
