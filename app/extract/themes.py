"""Themes of a statement, from the phrase lists in `app/knowledge/themes.yaml`.

One compiled alternation of every phrase; each hit adds weight to its themes. A theme with
one hit scores 0.5, two 0.75, three 0.875: enough to rank, not a probability.
"""

from __future__ import annotations

import re
from functools import cache

from app.extract.model import ThemeScore
from app.knowledge import themes

MIN_SCORE = 0.5


@cache
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    by_phrase: dict[str, list[str]] = {}
    for theme in themes():
        for phrase in theme.phrases:
            key = " ".join(phrase.lower().replace("’", "'").split())
            if theme.slug not in by_phrase.setdefault(key, []):
                by_phrase[key].append(theme.slug)
    alternation = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(by_phrase, key=len, reverse=True)
    )
    pattern = re.compile(r"(?<!\w)(?:" + (alternation or r"(?!)") + r")(?!\w)", re.IGNORECASE)
    return pattern, {k: tuple(v) for k, v in by_phrase.items()}


def theme_scores(text: str) -> tuple[ThemeScore, ...]:
    """Themes found in `text`, best first."""
    pattern, by_phrase = _matcher()
    hits: dict[str, int] = {}
    for match in pattern.finditer(text.replace("’", "'")):
        key = " ".join(match.group().lower().split())
        for slug in by_phrase.get(key, ()):
            hits[slug] = hits.get(slug, 0) + 1
    scored = [ThemeScore(slug, round(1 - 0.5**count, 3)) for slug, count in hits.items()]
    scored = [s for s in scored if s.score >= MIN_SCORE]
    return tuple(sorted(scored, key=lambda s: (-s.score, s.slug)))
