"""Publication dates as written by other tools and sites, kept with their precision.

Accepted: ISO dates and timestamps (`2023-12-15`, `2023-12-15T08:30:00Z`), year-month
(`2023-12`), a bare year, RFC 2822 as feeds write it (`Fri, 15 Dec 2023 08:30:00 GMT`),
day-first numeric dates (`15/12/2023`, `15.12.2023`; `12/15/2023` is read
month-first since it can be nothing else) and dates with month names
(`15 December 2023`, `Dec. 15, 2023`, `December 2023`). Relative dates ("yesterday")
are never guessed. A date that is well formed but impossible (`31/02/2022`) raises
`IngestError`: the editor's data is wrong and should be fixed, not silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from app.ingest.errors import IngestError

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME_TAIL = r"(?:[T\s,]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4})?)?"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"^(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_TIME_TAIL}$", re.I
        ),
        "day",
    ),
    (re.compile(r"^(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})$"), "day"),
    (re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"), "month"),
    (re.compile(r"^(?P<year>\d{4})$"), "year"),
    (
        re.compile(
            rf"^{_WEEKDAY}(?P<day>\d{{1,2}})[./-](?P<month>\d{{1,2}})[./-](?P<year>\d{{4}}){_TIME_TAIL}$",
            re.I,
        ),
        "day",
    ),
    (
        re.compile(
            rf"^{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}}){_TIME_TAIL}$",
            re.I,
        ),
        "day",
    ),
    (
        re.compile(
            rf"^{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME_TAIL}$",
            re.I,
        ),
        "day",
    ),
    (re.compile(rf"^{_MONTH},?\s+(?P<year>\d{{4}})$", re.I), "month"),
]
_EARLIEST_YEAR = 1800


@dataclass(frozen=True, slots=True)
class PublicationDate:
    """A date and how much of it is known: "day", "month" or "year".

    A month-precise date is stored as the month's first day, a year as 1 January.
    """

    value: date
    precision: str


def parse_publication_date(value: str, *, source: str = "The date") -> PublicationDate | None:
    """The date written in `value`; None when it is empty or not a date at all.

    Raises `IngestError` for a date that has a known shape but cannot exist.
    """
    text = " ".join(value.split()).strip()
    if not text:
        return None
    for pattern, precision in _PATTERNS:
        if match := pattern.match(text):
            return _build(match, precision, text=text, source=source)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return PublicationDate(parsed.date(), "day")
    try:
        return PublicationDate(datetime.fromisoformat(text).date(), "day")
    except ValueError:
        return None


def _build(match: re.Match[str], precision: str, *, text: str, source: str) -> PublicationDate:
    fields = match.groupdict()
    year = int(fields["year"])
    month_text = fields.get("month") or "1"
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.casefold()]
    day = int(fields.get("day") or 1)
    if month > 12 and day <= 12 and month_text.isdigit() and "-" not in text[:5]:
        # 12/15/2023 can only be month-first (American order).
        month, day = day, month
    try:
        result = date(year, month, day)
    except ValueError as error:
        raise IngestError(
            f"{source}, '{text}', is impossible ({error}); correct it, for example as 2022-02-24."
        ) from error
    if year < _EARLIEST_YEAR:
        raise IngestError(f"{source}, '{text}', is too early to be a publication date.")
    return PublicationDate(result, precision)
