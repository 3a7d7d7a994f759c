"""Quotation spans inside one paragraph, from curly, straight and guillemet marks.

Scraped text mixes “curly” and "straight" marks, drops closing marks, and glues marks to
words ("Ukraine."And). Straight marks get a direction from their neighbours (an opening
mark has a space before it, a closing mark a space after it) and, when both sides are
glued, from whether a quote is currently open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(r"[“”\"«»„]")
_OPENING = frozenset("“«„")
_CLOSING = frozenset("”»")
_AFTER_CLOSE = frozenset(",.;:!?)]—–-")


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # offset of the opening mark, or of the paragraph when it is missing
    end: int  # offset just past the closing mark, or the paragraph end when it is missing
    inner_start: int
    inner_end: int
    opened: bool  # False: a stray closing mark with no opening one
    closed: bool  # False: runs to the paragraph end (quotes often go on in the next one)


def _opens(text: str, index: int, start: int, end: int, inside: bool) -> bool:
    mark = text[index]
    if mark in _OPENING:
        return True
    if mark in _CLOSING:
        return False
    before = text[index - 1] if index > start else " "
    after = text[index + 1] if index + 1 < end else " "
    if before.isspace() or before in "([—–/":
        return not after.isspace()
    if after.isspace() or after in _AFTER_CLOSE:
        return False
    return not inside


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """Quotes in text[start:end], in order; unbalanced marks give open-ended spans."""
    if text.isascii() and text.find('"', start, end) < 0:
        return []  # of the marks, ASCII has only the straight one
    found: list[Quote] = []
    open_at: int | None = None
    for match in _MARK.finditer(text, start, end):
        index = match.start()
        if _opens(text, index, start, end, open_at is not None):
            if open_at is not None:
                found.append(_span(text, open_at, index, closed=False))
            open_at = index
        elif open_at is not None:
            found.append(Quote(open_at, index + 1, open_at + 1, index, True, True))
            open_at = None
        else:
            found.append(Quote(start, index + 1, start, index, False, True))
    if open_at is not None:
        found.append(_span(text, open_at, end, closed=False))
    return found


# "...the door stays openLavrov told reporters. “The West...": the closing
# mark was lost where the attribution got glued on.
_GLUED_ATTRIBUTION = re.compile(r"(?<=[a-z.,])(?=[A-Z][a-z]+ (?:said|told|added|stressed)\b)")


def _span(text: str, open_at: int, stop: int, *, closed: bool) -> Quote:
    glued = _GLUED_ATTRIBUTION.search(text, open_at + 1, stop)
    if glued is not None:
        stop = glued.start()
    inner_end = stop
    while inner_end > open_at + 1 and text[inner_end - 1].isspace():
        inner_end -= 1
    return Quote(open_at, inner_end, open_at + 1, inner_end, True, closed)
