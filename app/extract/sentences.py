"""Sentence segmentation that keeps offsets and copes with scraped run-ons.

Boundaries are never placed inside a quotation, so `"A. B," he said.` stays one unit.
Besides the usual ". The", scraped text glues sentences together ("regime.He noted",
"negotiations".Joint) and even drops the stop entirely ("negotiationsLavrov said"); both
are treated as boundaries. Abbreviations and initials are not.
"""

from __future__ import annotations

import re

from app.extract.quotes import Quote

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "sgt",
        "capt",
        "adm",
        "maj",
        "cmdr",
        "jr",
        "sr",
        "st",
        "vs",
        "no",
        "inc",
        "corp",
        "co",
        "ltd",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "a.m",
        "p.m",
        "etc",
        "e.g",
        "i.e",
        "approx",
        "dept",
        "prof",
        "rev",
        "ft",
        "mt",
        "est",
        "u.s",
        "u.n",
        "u.k",
        "e.u",
        "u.s.a",
        "d.c",
        "n.y",
    ]
)
# After these, a capitalised word is taken as a new sentence only when it is a typical
# sentence opener ("in the U.S. The talks"), since "U.S. Secretary" is far more common.
_COUNTRY_ABBREVIATIONS = frozenset({"u.s", "u.n", "u.k", "e.u", "u.s.a", "d.c"})
_OPENERS = frozenset(
    [
        "the",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "but",
        "and",
        "this",
        "that",
        "these",
        "those",
        "in",
        "on",
        "at",
        "a",
        "an",
        "as",
        "if",
        "when",
        "while",
        "there",
        "his",
        "her",
        "its",
        "their",
        "our",
        "after",
        "before",
        "however",
        "meanwhile",
        "earlier",
        "later",
    ]
)

_STOP = re.compile(r"[.!?…]+")
# Starts with the capital, not with the lookbehind, so that `re` can skip ahead to
# capitals instead of trying every position.
_CAMEL = re.compile(r"[A-Z](?<=[a-z]{5}[A-Z])(?=[a-z])")
_WORD_AFTER = re.compile(r"\w+")
_RUN_END = re.compile(r"[\w.]*\Z")
_NO_CLOSERS: frozenset[int] = frozenset()
_TRAILING_MARKS = "”’)]"


def split_sentences(text: str, start: int, end: int, quotes: list[Quote]) -> list[tuple[int, int]]:
    """Sentence spans (start, end) covering text[start:end], whitespace trimmed."""
    cuts: list[int] = []
    if quotes:
        inside = [(q.inner_start, q.inner_end) for q in quotes if q.opened]
        closers = {q.end - 1 for q in quotes if q.opened and q.closed}
        for match in _STOP.finditer(text, start, end):
            cut = _boundary_after(text, match.start(), match.end(), end, closers)
            if cut is not None and not _within(cut, inside):
                cuts.append(cut)
        # A quote left open ends where the next one opens or an attribution got glued on.
        cuts.extend(q.end for q in quotes if q.opened and not q.closed and q.end < end)
        for match in _CAMEL.finditer(text, start, end):
            if not _within(match.start(), inside):
                cuts.append(match.start())
    else:  # most paragraphs: nothing to keep whole, no test per cut
        for match in _STOP.finditer(text, start, end):
            if match.end() < end:  # the stop ending the paragraph cuts nothing
                cut = _boundary_after(text, match.start(), match.end(), end, _NO_CLOSERS)
                if cut is not None:
                    cuts.append(cut)
        camel = _CAMEL.search(text, start, end)
        if camel is None:  # the stops' cuts alone, in order
            return _spans(text, start, end, cuts)
        cuts.extend(match.start() for match in _CAMEL.finditer(text, camel.start(), end))
    return _spans(text, start, end, sorted(set(cuts)))


def _spans(text: str, start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    """The trimmed spans between `cuts`, which are in order."""
    if not cuts:
        span = _trim(text, start, end)
        return [span] if span is not None else []
    spans: list[tuple[int, int]] = []
    lo = start
    for cut in [*cuts, end]:
        span = _trim(text, lo, cut)
        if span is not None:
            spans.append(span)
        lo = cut
    return spans


def _boundary_after(
    text: str, stop_start: int, stop_end: int, end: int, closers: set[int]
) -> int | None:
    cut = stop_end
    while cut < end and (text[cut] in _TRAILING_MARKS or cut in closers):
        cut += 1
    if cut >= end:
        return None
    gap = cut
    while gap < end and text[gap].isspace():
        gap += 1
    if gap >= end:
        return None
    following = text[gap]
    if following in "“\"‘'(":
        following = text[gap + 1] if gap + 1 < end else ""
    if not (following.isupper() or following.isdigit()):
        return None
    if text[stop_start] == ".":
        word = _word_before(text, stop_start).lower().strip(".")
        if len(word) == 1 and word.isalpha():
            return None  # an initial: "John F. Kennedy"
        if word in _COUNTRY_ABBREVIATIONS:
            after = _WORD_AFTER.match(text, gap if text[gap].isalnum() else gap + 1)
            if after is None or after.group().lower() not in _OPENERS:
                return None
        elif word in ABBREVIATIONS:
            return None
    if gap == cut and stop_start > 0 and text[stop_start - 1].isdigit():
        return None  # "3.5", "1.Introduction" is rare enough to lose
    return cut


def _word_before(text: str, at: int) -> str:
    """The run of word characters and dots ending at `at`, at most 40 long."""
    lo = max(0, at - 40)
    lo = max(lo, text.rfind(" ", lo, at) + 1)  # the run holds no space
    run = _RUN_END.search(text, lo, at)
    return run.group() if run else ""


def _within(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(lo < offset < hi for lo, hi in spans)


def _trim(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return (lo, hi) if hi > lo else None
