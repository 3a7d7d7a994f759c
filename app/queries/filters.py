"""`StatementFilter`: the state of a shared view, parsed from and written back to a URL.

The URL is the only state a view has, so the same filter must always have the same
address: keys come out in one canonical order, repeated values sorted and deduplicated,
defaults left out. Bad input becomes `FilterError` with sentences for the user.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlencode

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

Slug = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{0,119}$")
]

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_KEY = 20
CHART_GROUPINGS = ("speaker", "theme")
UNDATED = "undated"
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2}|undated),(\d{1,12})$")


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a keyset page starts: statements strictly older than this (date, id).

    Written `2022-01-13,4812` in the URL, or `undated,4812` past the dated statements,
    so a page's address keeps showing the same statements however many arrive later.
    """

    stated_on: date | None
    id: int

    @classmethod
    def parse(cls, value: str) -> Cursor:
        match = _CURSOR.match(value)
        if not match:
            raise ValueError("use the form YYYY-MM-DD,NUMBER from an “Older” link")
        day, number = match.groups()
        try:
            stated_on = None if day == UNDATED else date.fromisoformat(day)
        except ValueError:
            raise ValueError(f"{day} is not a date") from None
        return cls(stated_on=stated_on, id=int(number))

    def __str__(self) -> str:
        day = self.stated_on.isoformat() if self.stated_on else UNDATED
        return f"{day},{self.id}"


Sort = Literal["newest", "oldest", "relevance"]
SORTS: tuple[Sort, ...] = ("newest", "oldest", "relevance")


class FilterError(ValueError):
    """The query string cannot be read as a filter; `messages` say why, one per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


_FIELD_LABELS = {
    "speaker": "speaker",
    "outlet": "outlet",
    "theme": "theme",
    "about": "“about” entity",
    "from": "“from” date",
    "to": "“to” date",
    "q": "search text",
    "sort": "sort order",
    "chart": "chart grouping",
    "before": "“before” position",
    "page": "page",
}


class StatementFilter(BaseModel):
    """Which statements a view shows. Field aliases are the URL keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    KEYS: ClassVar[tuple[str, ...]] = (
        "speaker",
        "outlet",
        "theme",
        "about",
        "from",
        "to",
        "q",
        "sort",
        "chart",
        "before",
        "page",
    )
    MULTI: ClassVar[frozenset[str]] = frozenset({"speaker", "outlet", "theme", "about"})

    speaker: tuple[Slug, ...] = Field(default=(), max_length=MAX_VALUES_PER_KEY)
    outlet: tuple[Slug, ...] = Field(default=(), max_length=MAX_VALUES_PER_KEY)
    theme: tuple[Slug, ...] = Field(default=(), max_length=MAX_VALUES_PER_KEY)
    about: tuple[Slug, ...] = Field(default=(), max_length=MAX_VALUES_PER_KEY)
    date_from: date | None = Field(default=None, alias="from")
    date_to: date | None = Field(default=None, alias="to")
    q: str | None = Field(default=None, max_length=MAX_QUERY_LENGTH)
    sort: Sort | None = Field(
        default=None,
        description="newest or oldest first, or relevance to `q`; unset means relevance "
        "when `q` is given and newest otherwise.",
    )
    chart: Literal["speaker", "theme"] = "speaker"
    before: Cursor | None = Field(
        default=None,
        description="where a newest-first page starts: statements older than "
        "`YYYY-MM-DD,ID` (or `undated,ID`), as the “Older” link writes it.",
    )
    page: int = Field(
        default=1,
        ge=1,
        le=10_000,
        description="page number of an oldest-first or relevance-ordered view.",
    )
    within: tuple[int, ...] | None = Field(default=None, exclude=True)
    """Never in an address: the search's matches by id, when a search window
    (`app.queries.windows`) has read them once for a page, so its queries take them by id
    instead of searching again. Any changed copy of the filter drops them."""

    @field_validator("q", mode="after")
    @classmethod
    def _searchable(cls, value: str | None) -> str | None:
        """Postgres text cannot hold NUL or lone surrogates; refuse them with a sentence."""
        if value and any(unicodedata.category(char) in {"Cc", "Cs"} for char in value):
            raise ValueError("contains control characters, which cannot be searched")
        return value

    @field_validator("speaker", "outlet", "theme", "about", mode="after")
    @classmethod
    def _sorted_unique(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(values)))

    @model_validator(mode="before")
    @classmethod
    def _default_sort_left_out(cls, data: Any) -> Any:
        """Store no sort when it is the default, so one view keeps one address.

        Relevance without search words means nothing, so it falls back to the default
        too: removing `q` from a relevance-sorted view leaves a valid, canonical view.
        """
        if not isinstance(data, dict) or data.get("sort") is None:
            return data
        searching = bool(data.get("q"))
        if data["sort"] == ("relevance" if searching else "newest") or (
            data["sort"] == "relevance" and not searching
        ):
            return {**data, "sort": None}
        return data

    @model_validator(mode="after")
    def _one_position(self) -> StatementFilter:
        """Keep only the position the view's order pages by, so it keeps one address.

        Newest first (the timeline) pages by keyset (`before`), stable however many
        statements arrive, since they arrive at the top; the other orders page by
        number (`page`): oldest first grows at its end, and a relevance ranking has no
        position a new statement could not take.
        """
        if self.effective_sort == "newest" and self.page != 1:
            return self.model_copy(update={"page": 1})
        if self.effective_sort != "newest" and self.before is not None:
            return self.model_copy(update={"before": None})
        return self

    @property
    def effective_sort(self) -> Sort:
        """The order results come in: the explicit sort, else relevance when searching."""
        return self.sort or ("relevance" if self.q else "newest")

    @field_validator("before", mode="before")
    @classmethod
    def _cursor(cls, value: Any) -> Cursor | None:
        if value is None or isinstance(value, Cursor):
            return value
        if isinstance(value, dict):  # from model_dump, when a copy is made
            return Cursor(**value)
        return Cursor.parse(str(value))

    @model_validator(mode="after")
    def _dates_in_order(self) -> StatementFilter:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError(
                f"the “to” date ({self.date_to}) is before the “from” date ({self.date_from})"
            )
        return self

    @classmethod
    def from_query(cls, items: Iterable[tuple[str, str]]) -> StatementFilter:
        """Parse `(key, value)` pairs from a query string; empty values mean “not set”."""
        raw: dict[str, Any] = {}
        unknown: list[str] = []
        for key, value in items:
            if key not in cls.KEYS:
                unknown.append(key)
                continue
            value = value.strip()
            if not value:
                continue
            if key in cls.MULTI:
                raw.setdefault(key, []).append(value.casefold())
            else:
                raw[key] = value
        messages = [f"“{key[:40]}” is not a filter this page knows." for key in unknown]
        try:
            parsed = cls.model_validate(raw)
        except ValidationError as error:
            messages.extend(_describe_errors(error))
            raise FilterError(messages) from None
        if messages:
            raise FilterError(messages)
        return parsed

    def query_items(self) -> list[tuple[str, str]]:
        """The canonical (key, value) pairs: fixed key order, sorted values, no defaults."""
        items: list[tuple[str, str]] = []
        for key in ("speaker", "outlet", "theme", "about"):
            items.extend((key, value) for value in sorted(set(getattr(self, key))))
        if self.date_from:
            items.append(("from", self.date_from.isoformat()))
        if self.date_to:
            items.append(("to", self.date_to.isoformat()))
        if self.q:
            items.append(("q", self.q))
        if self.sort:
            items.append(("sort", self.sort))
        if self.chart != "speaker":
            items.append(("chart", self.chart))
        if self.before:
            items.append(("before", str(self.before)))
        if self.page != 1:
            items.append(("page", str(self.page)))
        return items

    def query_string(self) -> str:
        return urlencode(self.query_items(), safe=",")

    def url(self, path: str) -> str:
        query = self.query_string()
        return f"{path}?{query}" if query else path

    def _replace(self, **changes: Any) -> StatementFilter:
        """A copy with `changes` applied, back at the newest statements: a new filter
        starts from the top, whatever page the old one was on."""
        data = self.model_dump(by_alias=False)
        data.update({"before": None, "page": 1, **changes})
        return type(self).model_validate(data)

    def with_added(self, key: str, value: str) -> StatementFilter:
        return self._replace(**{key: (*getattr(self, key), value)})

    def with_removed(self, key: str, value: str | None = None) -> StatementFilter:
        field = _attribute(key)
        if key in self.MULTI and value is not None:
            return self._replace(**{field: tuple(v for v in getattr(self, field) if v != value)})
        return self._replace(**{field: () if key in self.MULTI else None})

    def with_replaced(self, key: str, value: Any) -> StatementFilter:
        field = _attribute(key)
        if key in self.MULTI:
            return self._replace(**{field: (value,)})
        return self._replace(**{field: value})

    def toggle(self, key: str, value: str) -> StatementFilter:
        if value in getattr(self, key):
            return self.with_removed(key, value)
        return self.with_added(key, value)

    def with_before(self, cursor: Cursor | None) -> StatementFilter:
        """The same view from another keyset position (None: from the newest)."""
        data = self.model_dump(by_alias=False)
        data["before"] = cursor
        return type(self).model_validate(data)

    def with_page(self, page: int) -> StatementFilter:
        """The same view at another page number (orders other than newest first)."""
        data = self.model_dump(by_alias=False)
        data["page"] = page
        return type(self).model_validate(data)

    def first_page(self) -> StatementFilter:
        """The same view from its start, whichever way it pages: what exports, feeds and
        saved views keep of a view."""
        data = self.model_dump(by_alias=False)
        data.update(before=None, page=1)
        return type(self).model_validate(data)

    def narrowing(self) -> StatementFilter:
        """Only what selects statements: no chart grouping, no page position.

        Entity pages and the overview carry this part of a view from page to page.
        """
        return self._replace(chart="speaker")

    def statement_items(self) -> list[tuple[str, str]]:
        """The canonical pairs that select statements (for chips and "remove" links)."""
        positions = ("chart", "before", "page")
        return [(key, value) for key, value in self.query_items() if key not in positions]

    @property
    def is_empty(self) -> bool:
        return not self.query_items()

    @property
    def selects_all(self) -> bool:
        """True when no key narrows the statements (a chart grouping or position may be set)."""
        return not self.statement_items()


def _attribute(key: str) -> str:
    return {"from": "date_from", "to": "date_to"}.get(key, key)


def _describe_errors(error: ValidationError) -> list[str]:
    """Turn pydantic's errors into sentences naming the URL key and the bad value."""
    messages = []
    for item in error.errors():
        location = item["loc"]
        key = str(location[0]) if location else ""
        label = _FIELD_LABELS.get(key, key)
        value = item.get("input")
        shown = f"“{str(value)[:60]}”" if isinstance(value, str | int) else ""
        kind = item["type"]
        if not location:
            messages.append(
                f"The dates are out of order: {item['msg'].removeprefix('Value error, ')}."
            )
        elif kind.startswith("date"):
            messages.append(f"The {label} {shown} is not a date; use YYYY-MM-DD.")
        elif kind == "string_pattern_mismatch":
            messages.append(
                f"The {label} {shown} is not a valid identifier (lowercase letters, digits, dashes)."
            )
        elif kind == "too_long":
            messages.append(f"Too many values for {label}: at most {MAX_VALUES_PER_KEY}.")
        elif kind == "string_too_long":
            messages.append(f"The {label} is too long: at most {MAX_QUERY_LENGTH} characters.")
        elif kind == "value_error" and key == "q":
            messages.append("The search text contains control characters; remove them.")
        elif kind == "literal_error" and key == "sort":
            messages.append(f"The {label} {shown} is not one of: {', '.join(SORTS)}.")
        elif kind == "literal_error":
            choices = " or ".join(f"“{choice}”" for choice in CHART_GROUPINGS)
            messages.append(f"The {label} {shown} is not one this page draws: use {choices}.")
        elif key == "before":
            reason = str(item["msg"]).removeprefix("Value error, ")
            messages.append(f"The {label} {shown} cannot be read: {reason}.")
        elif kind.startswith(("int", "greater", "less")):
            messages.append(f"The {label} {shown} must be a whole number from 1 to 10000.")
        else:
            messages.append(f"The {label} {shown} is not valid: {item['msg']}.")
    return messages


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def describe(
    filters: StatementFilter,
    *,
    speakers: dict[str, str],
    outlets: dict[str, str],
    themes: dict[str, str],
    entities: dict[str, str] | None = None,
) -> str:
    """The filter in words, for page titles and feed titles.

    "Statements by Sergey Lavrov about NATO enlargement in RT, from 1 January 2022";
    `entities` maps slugs to how a sentence names them ("the EU"): "Statements by Sergey
    Lavrov about the EU", and "... about the EU on NATO enlargement" with a theme too.
    """

    def names(slugs: tuple[str, ...], known: dict[str, str]) -> str:
        labels = [known.get(slug, slug) for slug in slugs]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]

    parts = ["Statements"]
    if filters.speaker:
        parts.append(f"by {names(filters.speaker, speakers)}")
    if filters.about:
        parts.append(f"about {names(filters.about, entities or {})}")
    if filters.theme:
        parts.append(f"{'on' if filters.about else 'about'} {names(filters.theme, themes)}")
    if filters.outlet:
        parts.append(f"in {names(filters.outlet, outlets)}")
    if filters.q:
        parts.append(f"matching {filters.q}")
    if filters.date_from and filters.date_to:
        parts.append(f"from {_day(filters.date_from)} to {_day(filters.date_to)}")
    elif filters.date_from:
        parts.append(f"since {_day(filters.date_from)}")
    elif filters.date_to:
        parts.append(f"until {_day(filters.date_to)}")
    sentence = " ".join(parts)
    if filters.sort and filters.sort != "relevance":
        sentence += f", {filters.sort} first"
    return sentence
