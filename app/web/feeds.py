"""Atom feeds of any statements view, for feed readers: `/statements.atom?<filters>`.

The feed's title is the view in words (`describe()`), its entries the view's newest
statements. XML is built with ElementTree, which escapes every text node; characters
that XML 1.0 cannot carry at all (most control characters) are dropped first, since
article text is untrusted.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.models import Statement
from app.queries.filters import StatementFilter
from app.queries.statements import filter_names, statement_page
from app.web.deps import Filters, ReadSessionDep

router = APIRouter(tags=["feeds"])

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50
TITLE_WORDS = 14
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = _clean(text)
    return element


def _timestamp(value: datetime | date) -> str:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _entry_title(statement: Statement) -> str:
    who = statement.speaker.name if statement.speaker else "Unattributed"
    words = statement.text.split()
    said = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    return f"{who}: “{said}”"


def _entry(feed: ET.Element, statement: Statement, base: str) -> None:
    article = statement.article
    page = f"{base}/articles/{article.id}#s{statement.id}"
    entry = _add(feed, "entry")
    _add(entry, "id", page)
    _add(entry, "title", _entry_title(statement))
    _add(entry, "updated", _timestamp(statement.created_at))
    if statement.stated_on:
        _add(entry, "published", _timestamp(statement.stated_on))
    author = _add(entry, "author")
    _add(author, "name", statement.speaker.name if statement.speaker else "Unattributed")
    _add(entry, "link", rel="alternate", type="text/html", href=page)
    if article.url:
        _add(entry, "link", rel="related", type="text/html", href=_clean(article.url))
    for link in statement.themes:
        _add(entry, "category", term=link.theme.slug, label=_clean(link.theme.name))
    outlet = article.outlet.name if article.outlet else "an unknown outlet"
    when = statement.stated_on.isoformat() if statement.stated_on else "date unknown"
    _add(
        entry,
        "content",
        f"{statement.text}\n\n— {statement.speaker_mention or 'unnamed'}, "
        f"{statement.cue or 'said'} ({when}), in {outlet}: “{article.title}”",
        type="text",
    )


def atom_feed(
    *, title: str, statements: list[Statement], base: str, self_url: str, view_url: str
) -> bytes:
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", self_url)
    _add(feed, "title", title)
    _add(feed, "subtitle", "Statements found by Démarche, newest first")
    newest = max((s.created_at for s in statements), default=datetime.now(UTC))
    _add(feed, "updated", _timestamp(newest))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=view_url)
    _add(feed, "generator", "Démarche")
    for statement in statements:
        _entry(feed, statement, base)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@router.get(
    "/statements.atom",
    summary="Follow a view as an Atom feed",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "Atom 1.0"}},
)
def statements_feed(request: Request, session: ReadSessionDep, filters: Filters) -> Response:
    """The view's newest statements, whatever the view's own sort: a feed is news."""
    newest: StatementFilter = filters.with_replaced("sort", "newest")
    names = filter_names(session, filters=newest)
    title = names.describe(newest)
    base = str(request.base_url).rstrip("/")
    page = statement_page(session, filters=newest, page_size=ENTRIES)
    body = atom_feed(
        title=f"{title} · Démarche",
        statements=page.statements,
        base=base,
        self_url=base + filters.first_page().url("/statements.atom"),
        view_url=base + filters.first_page().url("/statements"),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
