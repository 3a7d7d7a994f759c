"""Plain-text articles: an optional `date YYYY-MM-DD URL` header, a title, then the body.

Real files are messier than that layout: some have no header, some no title (the
first line is already a paragraph), some carry a masthead ("The Limited Times") or a
bare ISO timestamp or a "Published: 15 December 2023" line near the top, a
"Source: TASS" line or a wire dateline ("MOSCOW (Reuters) -"). What can be inferred
is inferred; what cannot is left empty rather than guessed (an unknown date is None,
never today).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from app.ingest.article import OutletRef, ParsedArticle
from app.ingest.dates import PublicationDate, parse_publication_date
from app.ingest.decode import decode_text
from app.ingest.errors import IngestError
from app.ingest.finish import finish_article
from app.ingest.noise import noise_reason
from app.ingest.outlets import outlet_from_name, outlet_from_url

_HEADER = re.compile(
    r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})(?:\s+(?P<url>https?://\S+))?\s*$", re.IGNORECASE
)
_ISO_STAMP = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?\s*$"
)
_URL_LINE = re.compile(r"^\s*(?P<url>https?://\S+)\s*$")
_DATE_LINE = re.compile(
    r"^\s*(?:(?:published|updated|posted|date)\s*(?:on)?\s*:?\s*)?(?P<date>[\w ,./:+-]{4,60}?)\s*$",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|via|credit)\s*:\s*(?P<name>[^\n]{2,120})$", re.IGNORECASE | re.MULTILINE
)
_DATELINE = re.compile(r"\((?P<name>[A-Z][\w .'&-]{1,40})\)\s*[-–—]")
_DATELINE_WINDOW = 600
_TITLE_MAX = 250
_SENTENCE_END = (".", "!", "?", '"', "”", "'", "’")
_LOOKAHEAD_LINES = 8


def read_text_file(path: Path, *, max_bytes: int) -> ParsedArticle:
    """Read and parse one `.txt` article from disk."""
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"{path.name} is {size:,} bytes; the limit for one article is {max_bytes:,} bytes."
        )
    raw = path.read_bytes()
    return parse_plain_text(decode_text(raw, source=path.name), raw=raw, source_name=path.name)


def _parse_iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _is_title(line: str, following: list[str]) -> bool:
    stripped = line.strip()
    return (
        bool(following) and len(stripped) <= _TITLE_MAX and not stripped.endswith(_SENTENCE_END[:3])
    )


def parse_plain_text(
    text: str,
    *,
    raw: bytes | None = None,
    source_name: str | None = None,
    title: str | None = None,
    published: date | None = None,
    url: str | None = None,
    outlet: OutletRef | None = None,
    published_precision: str | None = None,
) -> ParsedArticle:
    """Split `text` into metadata and body; explicit arguments win over inferred values.

    `published_precision` qualifies an explicit `published` ("day" when omitted).
    """
    lines = text.split("\n")
    inferred_date: date | None = None
    inferred_url: str | None = None
    inferred_outlet: OutletRef | None = None

    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and (header := _HEADER.match(lines[0])):
        inferred_date = _parse_iso_date(header["date"])
        inferred_url = header["url"]
        lines.pop(0)

    # Mastheads, stamps and URL lines at the very top describe the article; they are
    # not part of what anyone said, so they move into metadata.
    while lines:
        line = lines[0].strip()
        if not line:
            lines.pop(0)
        elif inferred_outlet is None and (masthead := outlet_from_name(line)):
            inferred_outlet = masthead
            lines.pop(0)
        elif (stamp := _ISO_STAMP.match(line)) and inferred_date is None:
            inferred_date = _parse_iso_date(stamp["date"])
            lines.pop(0)
        elif (link := _URL_LINE.match(line)) and inferred_url is None:
            inferred_url = link["url"]
            lines.pop(0)
        else:
            break

    if not lines:
        raise IngestError(f"{source_name or 'The article'} has no text after its header.")

    # Site furniture above the headline ("Now you can see non-English news...") stays in
    # the body, where extraction skips it, but is never taken for the title.
    first = next(
        (i for i, line in enumerate(lines) if line.strip() and noise_reason(line) is None), 0
    )
    following = [line for line in lines[first + 1 : first + 1 + _LOOKAHEAD_LINES] if line.strip()]
    if title is None and _is_title(lines[first], following):
        title = lines.pop(first).strip()
    elif (
        title is not None
        and following
        and " ".join(lines[first].split()) == " ".join(title.split())
    ):
        # The editor confirmed the inferred title (the preview fills it in): the line is
        # still the title, not the first line of the body.
        lines.pop(first)
    body = "\n".join(lines).strip("\n").rstrip()
    if not body.strip():
        raise IngestError(f"{source_name or 'The article'} has a title but no body.")
    if title is None:
        title = _title_from_body(body)

    inferred_precision = "day" if inferred_date else None
    if published is None and inferred_date is None and (opening := _date_in_opening(body)):
        inferred_date, inferred_precision = opening.value, opening.precision
    final_url = url or inferred_url
    final_outlet = (
        outlet
        or (outlet_from_url(final_url) if final_url else None)
        or inferred_outlet
        or outlet_from_byline(body)
    )
    final_date = published or inferred_date
    precision = (published_precision or "day") if published else inferred_precision
    return finish_article(
        ParsedArticle(
            title=title,
            body=body,
            raw=raw if raw is not None else text.encode("utf-8"),
            published=final_date,
            published_precision=precision,
            url=final_url,
            outlet=final_outlet,
            source_name=source_name,
        )
    )


def _date_in_opening(body: str) -> PublicationDate | None:
    """A date standing alone on one of the first lines: an ISO stamp as scraped pages
    have, or "Published: 15 December 2023"."""
    for line in body.split("\n")[:_LOOKAHEAD_LINES]:
        if stamp := _ISO_STAMP.match(line):
            if found := _parse_iso_date(stamp["date"]):
                return PublicationDate(found, "day")
            continue
        if dated := _DATE_LINE.match(line):
            try:
                found_date = parse_publication_date(dated["date"])
            except IngestError:
                continue  # an impossible date in running text is not metadata
            if found_date is not None:
                return found_date
    return None


def outlet_from_byline(body: str) -> OutletRef | None:
    """A known outlet credited in the text: a "Source: TASS" line or a wire dateline
    such as "MOSCOW, Jan 21 (Reuters) -" in the opening paragraph."""
    for match in _SOURCE_LINE.finditer(body):
        value = match["name"].strip().rstrip(".")
        found = outlet_from_url(value) if _URL_LINE.match(value) else outlet_from_name(value)
        if found:
            return found
    for match in _DATELINE.finditer(body[:_DATELINE_WINDOW]):
        if found := outlet_from_name(match["name"]):
            return found
    return None


def _title_from_body(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip()
    if len(first) <= 120:
        return first
    cut = first[:120].rsplit(" ", 1)[0]
    return f"{cut}…"


def parse_date_text(value: str) -> date:
    """An ISO date from a form or a CLI flag, with a message an editor understands."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError as error:
        raise IngestError(
            f"'{value}' is not a valid date; write it as YYYY-MM-DD (for example 2022-02-24)."
        ) from error
