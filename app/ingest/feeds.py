"""RSS and Atom files: one article per entry, from its full content or its summary."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import feedparser

from app.ingest.dates import parse_publication_date
from app.ingest.errors import IngestError
from app.ingest.finish import check_article_size
from app.ingest.htmltext import fragment_text
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.outlets import outlet_from_name, outlet_from_url
from app.ingest.plaintext import parse_plain_text


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def read_feed(name: str, data: bytes, *, limits: IngestLimits) -> Iterator[InputItem]:
    """Entries of an RSS or Atom document; sources are `name#N` (1-based)."""
    # A stream, never a string: feedparser treats a string that looks like a URL or a
    # path as something to open.
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") or not parsed.get("feed"):
            yield InputItem.failed(name, f"{name} is not a readable RSS or Atom feed.")
        else:
            yield InputItem.failed(name, f"{name} is a feed with no entries.")
        return
    feed_title = (parsed.feed.get("title") or "").strip()
    for number, entry in enumerate(entries, start=1):
        source = f"{name}#{number}"
        try:
            yield InputItem.ok(
                source,
                _entry_article(entry, source=source, feed_title=feed_title, limits=limits),
            )
        except IngestError as error:
            yield InputItem.failed(source, str(error))


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    values = [part.get("value", "") for part in contents if part.get("value")]
    if values:
        return max(values, key=len)
    return entry.get("summary") or entry.get("description") or ""


def _entry_article(entry: Any, *, source: str, feed_title: str, limits: IngestLimits):
    label = f"Entry {source.rsplit('#', 1)[-1]}"
    body = fragment_text(_entry_html(entry))
    if not body:
        raise IngestError(f"{label} of the feed has no text (no content and no summary).")
    published = None
    for key in ("published", "updated", "created"):
        if value := (entry.get(key) or "").strip():
            try:
                published = parse_publication_date(value, source=f"The date of {label.lower()}")
            except IngestError:
                published = None
            if published:
                break
    link = (entry.get("link") or "").strip() or None
    outlet = (outlet_from_url(link) if link else None) or (
        outlet_from_name(feed_title) if feed_title else None
    )
    title = fragment_text(entry.get("title") or "").replace("\n\n", " ") or None
    article = parse_plain_text(
        body,
        raw=_entry_raw(entry),
        source_name=source,
        title=title,
        published=published.value if published else None,
        published_precision=published.precision if published else None,
        url=link if link and link.startswith(("http://", "https://")) else None,
        outlet=outlet,
    )
    check_article_size(article, max_bytes=limits.max_article_bytes, source=label)
    return article


def _entry_raw(entry: Any) -> bytes:
    parts = [entry.get("title") or "", entry.get("link") or "", _entry_html(entry)]
    return "\n".join(parts).encode("utf-8")
