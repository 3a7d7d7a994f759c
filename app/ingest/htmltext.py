"""Saved web pages and HTML fragments to plain text.

Whole pages go through trafilatura, which finds the main text and the metadata
(title, og:site_name, canonical URL, publication date) and drops navigation, scripts
and styles. Fragments (a feed entry's `content:encoded`) are flattened with lxml:
one paragraph per block element, with script, style and other non-text elements
removed before any text is taken.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
import trafilatura

from app.ingest.article import ParsedArticle
from app.ingest.dates import parse_publication_date
from app.ingest.decode import decode_text
from app.ingest.errors import IngestError
from app.ingest.outlets import outlet_for_editor, outlet_from_url
from app.ingest.plaintext import parse_plain_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_NOT_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head")
_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "pre",
    "dd", "dt", "hr",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\u00a0]+")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a `<meta>` tag near its top."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def fragment_text(fragment: str) -> str:
    """Paragraphs of an HTML fragment as text, one per block, separated by blank lines."""
    if "<" not in fragment:
        return "\n\n".join(line.strip() for line in fragment.split("\n") if line.strip())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_NOT_TEXT)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)


def read_html_page(
    data: bytes, *, source: str, url: str | None = None, encoding_hint: str | None = None
) -> ParsedArticle:
    """The main text and metadata of a saved web page; a page without main text is refused."""
    markup = decode_text(data, source=source, encoding_hint=encoding_hint or declared_charset(data))
    try:
        document = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura fails in many ways on broken markup
        raise IngestError(f"{source} could not be read as a web page ({error}).") from error
    text = (document.text or "").strip() if document is not None else ""
    if not text:
        raise IngestError(
            f"{source} has no article text that could be found; the page may be a menu, "
            "a login wall or built by JavaScript. Paste the article's text instead."
        )
    title = (document.title or "").strip() or None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if title and lines and lines[0] == title and len(lines) > 1:
        lines.pop(0)
    page_url = document.url or url
    published = None
    if document.date:
        try:
            published = parse_publication_date(document.date, source=f"{source}: the date")
        except IngestError:
            published = None  # a date trafilatura guessed from markup is not the editor's error
    outlet = (outlet_from_url(page_url) if page_url else None) or (
        outlet_for_editor(document.sitename) if document.sitename else None
    )
    return parse_plain_text(
        "\n\n".join(lines),
        raw=data,
        source_name=source,
        title=title,
        published=published.value if published else None,
        published_precision=published.precision if published else None,
        url=page_url,
        outlet=outlet,
    )
