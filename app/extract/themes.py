"""Themes of a statement, from the phrase lists in `app/knowledge/themes.yaml`.

Phrases are matched on word tokens, longest first from each position, through an index by
first token: one dictionary lookup per word of the statement rather than a regular
expression of every phrase. Each hit adds weight to its themes. A theme with one hit
scores 0.5, two 0.75, three 0.875: enough to rank, not a probability.
"""

from __future__ import annotations

import re
from functools import cache

from app.extract.model import ThemeScore
from app.knowledge import themes

MIN_SCORE = 0.5

_TOKEN = re.compile(r"\w+|[^\w\s]")

# first token -> [(phrase tokens, theme slugs)], longest phrase first
_Index = dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


@cache
def _index() -> _Index:
    by_phrase: dict[tuple[str, ...], list[str]] = {}
    for theme in themes():
        for phrase in theme.phrases:
            key = tuple(_tokens(phrase))
            if key and theme.slug not in by_phrase.setdefault(key, []):
                by_phrase[key].append(theme.slug)
    index: _Index = {}
    for key, slugs in by_phrase.items():
        index.setdefault(key[0], []).append((key, tuple(slugs)))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


def theme_scores(text: str) -> tuple[ThemeScore, ...]:
    """Themes found in `text`, best first."""
    index = _index()
    tokens = _tokens(text)
    hits: dict[str, int] = {}
    position = 0
    while position < len(tokens):
        step = 1
        for key, slugs in index.get(tokens[position], ()):
            if tuple(tokens[position : position + len(key)]) == key:
                for slug in slugs:
                    hits[slug] = hits.get(slug, 0) + 1
                step = len(key)
                break
        position += step
    scored = [ThemeScore(slug, round(1 - 0.5**count, 3)) for slug, count in hits.items()]
    scored = [s for s in scored if s.score >= MIN_SCORE]
    return tuple(sorted(scored, key=lambda s: (-s.score, s.slug)))
