"""The date of a statement, read from its attribution and resolved against publication.

"said on Friday" is the last Friday on or before publication, "in June" a month, "on
February 24, 2022" a day. Plain regexes, no dateparser: this runs once per statement.
Without a phrase the statement takes the publication date (day precision), or None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.extract.model import DatePrecision
from app.extract.patterns import literal_alternation, small_letter_runs

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
# The name lists as tries (`app.extract.patterns`): the same matches in about two thirds
# of the time, since `re` otherwise tries every name in turn at every word it scans.
_MONTH = r"(?P<month>" + literal_alternation(_MONTHS) + r")\.?"

_PHRASE = re.compile(
    r"\b(?:"
    r"(?P<last>last\s+)?(?P<weekday>" + literal_alternation(_WEEKDAYS) + r")\b"
    r"|" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>"
    + literal_alternation(_MONTHS)
    + r")\b(?:,?\s+(?P<year2>(?:19|20)\d\d))?"
    r"|in\s+(?P<month3>" + literal_alternation(m for m in _MONTHS if len(m) > 3) + r")\b"
    r"(?:\s+(?P<year3>(?:19|20)\d\d))?"
    r"|(?P<relative>yesterday|today|the\s+day\s+before|last\s+week|last\s+month|last\s+year"
    r"|earlier\s+this\s+month)"
    r")",
    re.IGNORECASE,
)

Resolved = tuple[date | None, DatePrecision | None]


# What every `_PHRASE` form names: a weekday or a month as a whole word, or a relative
# word, which may start a longer one ("last weekend" is "last week").
_NAMES = frozenset(name.encode() for name in (*_WEEKDAYS, *_MONTHS))
_RELATIVE_STARTS = ("yesterday", "today", "day", "week", "month", "year")


def _may_name_a_date(text: str) -> bool:
    """False when `_PHRASE` finds nothing in `text`, told without it for ASCII text (most
    attributions, nine in ten of which name no date); in other text a letter may match
    case-insensitively one it does not equal ("ſunday"), so the regex decides."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered for word in _RELATIVE_STARTS) or not _NAMES.isdisjoint(
        small_letter_runs(lowered)
    )


def statement_date(text: str, lo: int, hi: int, *, published: date | None) -> Resolved:
    """The date named in text[lo:hi] (the attribution), else the publication date."""
    if not _may_name_a_date(text[lo:hi]):
        return (published, "day") if published else (None, None)
    phrases = list(_PHRASE.finditer(text, lo, hi))
    for match in reversed(phrases):
        resolved = _resolve(match, published)
        if resolved[0] is not None:
            return resolved
    return (published, "day") if published else (None, None)


def _resolve(match: re.Match[str], published: date | None) -> Resolved:
    group = match.groupdict()
    if group["weekday"] and published:
        back = (published.weekday() - _WEEKDAYS.index(group["weekday"].lower())) % 7
        if group["last"] and back == 0:
            back = 7
        return published - timedelta(days=back), "day"
    month = group["month"] or group["month2"]
    if month:
        year = group["year"] or group["year2"]
        day = int(group["day"] or group["day2"])
        return _day(int(year) if year else None, _MONTHS[month.lower()], day, published)
    if group["month3"]:
        number = _MONTHS[group["month3"].lower()]
        if group["year3"]:
            return date(int(group["year3"]), number, 1), "month"
        if published:
            year = published.year if number <= published.month else published.year - 1
            return date(year, number, 1), "month"
        return None, None
    relative = " ".join((group["relative"] or "").lower().split())
    if not relative or published is None:
        return None, None
    if relative == "today":
        return published, "day"
    if relative in {"yesterday", "the day before"}:
        return published - timedelta(days=1), "day"
    if relative == "last week":
        return published - timedelta(days=7), "day"
    if relative == "last month":
        first = published.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), "month"
    if relative == "earlier this month":
        return published.replace(day=1), "month"
    return date(published.year - 1, 1, 1), "year"


def _day(year: int | None, month: int, day: int, published: date | None) -> Resolved:
    try:
        if year is not None:
            return date(year, month, day), "day"
        if published is None:
            return None, None
        found = date(published.year, month, day)
        if found > published:
            found = date(published.year - 1, month, day)
        return found, "day"
    except ValueError:
        return None, None
