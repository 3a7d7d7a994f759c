"""Links that keep a view's filters, worked out once per view rather than once per link.

A page draws hundreds of links from one `StatementFilter`: every statement card links its
speaker, outlet, themes and entities, every chart column its period. Each link made from
scratch copies and revalidates the filter (tens of microseconds), which adds up to a large
share of a page's time. The filter is frozen, hence hashable, so the parts that depend only
on the view are memoised here; what varies per link (a slug in the path) is appended.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Literal

from app.queries.filters import StatementFilter

EntityKind = Literal["speaker", "outlet", "theme"]
PATHS = {"speaker": "/speakers", "outlet": "/outlets", "theme": "/themes"}
# Enough for the views a few busy pages have open at once; entries are small.
_VIEWS = 512
_LINKS = 8192


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


@lru_cache(maxsize=_VIEWS)
def narrowed(filters: StatementFilter) -> StatementFilter:
    """`filters.narrowing()`, once per view: what the statement cards link from."""
    return filters.narrowing()


@lru_cache(maxsize=_VIEWS)
def _entity_query(kind: EntityKind, filters: StatementFilter) -> str:
    return narrowed(filters).with_removed(kind).query_string()


def entity_url(kind: EntityKind, slug: str, filters: StatementFilter) -> str:
    """A speaker's, outlet's or theme's page, narrowed by the view's other filters."""
    return _with_query(f"{PATHS[kind]}/{slug}", _entity_query(kind, filters))


@lru_cache(maxsize=_LINKS)
def toggle_url(filters: StatementFilter, key: str, value: str, path: str) -> str:
    """`path` with `value` of `key` added to the view, or taken out if already chosen."""
    return filters.toggle(key, value).url(path)


@lru_cache(maxsize=_VIEWS)
def _from_the_top(filters: StatementFilter) -> StatementFilter:
    return filters.with_before(None)


@lru_cache(maxsize=_LINKS)
def _timeline_url(filters: StatementFilter, changes: tuple[tuple[str, object], ...]) -> str:
    view = _from_the_top(filters)
    for key, value in changes:
        key = {"date_from": "from", "date_to": "to"}.get(key, key)
        view = view.with_removed(key) if value is None else view.with_replaced(key, value)
    return view.url("/statements")


def timeline_url(filters: StatementFilter, **changes: str | date | None) -> str:
    """The timeline for the view's statements with some keys replaced (None removes);
    the chart grouping stays, the page position goes."""
    return _timeline_url(filters, tuple(changes.items()))
