"""Colours that stay with a speaker or a theme from one chart and page to the next.

A key's colour comes from a stable hash of its slug, so Lavrov is the same blue on the
overview, the timeline and his own page. When two keys of one chart land on the same
colour, the later one takes the next free colour: within a chart colours never repeat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

# Ten hues distinguishable by most colour-blind readers (after Tableau 10 and Okabe-Ito),
# darkened enough for white text and for thin bars on white.
PALETTE = (
    "#3b6fd4",
    "#e07b39",
    "#2f9e77",
    "#c2477b",
    "#8a63c9",
    "#b8932c",
    "#3a9bb5",
    "#d1574f",
    "#6f8a3c",
    "#9a6a4f",
)
OTHER = "#b9c0cb"
OTHER_KEY = "other"


def colour_for(key: str) -> str:
    """The preferred colour of `key`, the same in every process and on every page."""
    if key == OTHER_KEY:
        return OTHER
    digest = hashlib.blake2b(key.encode(), digest_size=2).digest()
    return PALETTE[int.from_bytes(digest) % len(PALETTE)]


def assign_colours(keys: Iterable[str]) -> dict[str, str]:
    """Colours for the keys of one chart, in order: preferred colours, never twice."""
    taken: set[str] = set()
    colours: dict[str, str] = {}
    for key in keys:
        if key == OTHER_KEY:
            colours[key] = OTHER
            continue
        start = PALETTE.index(colour_for(key))
        for step in range(len(PALETTE)):
            candidate = PALETTE[(start + step) % len(PALETTE)]
            if candidate not in taken or step == len(PALETTE) - 1:
                break
        taken.add(candidate)
        colours[key] = candidate
    return colours


class PagePalette:
    """The colours of one page: each speaker or theme keeps its preferred colour unless
    another name on the page already has it, so names in lists and in charts match and
    no two names of a kind share a colour on one page (up to the palette's ten)."""

    def __init__(self) -> None:
        self._assigned: dict[str, dict[str, str]] = {}

    def colour(self, kind: str, key: str) -> str:
        if key == OTHER_KEY:
            return OTHER
        assigned = self._assigned.setdefault(kind, {})
        if key not in assigned:
            taken = set(assigned.values())
            start = PALETTE.index(colour_for(key))
            free = [
                PALETTE[(start + step) % len(PALETTE)]
                for step in range(len(PALETTE))
                if PALETTE[(start + step) % len(PALETTE)] not in taken
            ]
            assigned[key] = free[0] if free else PALETTE[start]
        return assigned[key]

    def colours(self, kind: str, keys: Iterable[str]) -> dict[str, str]:
        return {key: self.colour(kind, key) for key in keys}
