"""Articles in every import format, written for these tests, and a local page server.

Every story is unique (a running number and a per-process token), so stories from one
test never collide with another's as duplicates in a shared database. The texts are
invented in the style of wire copy: a headline, a dateline paragraph, a direct quote
with "said", and reported speech.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import threading
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_numbers = itertools.count(1)
_RUN = uuid.uuid4().hex[:6]

_SPEAKERS = (
    ("Sergey Lavrov", "Russian Foreign Minister", "Moscow"),
    ("Antony Blinken", "US Secretary of State", "Washington"),
    ("Maria Zakharova", "Russian Foreign Ministry spokeswoman", "Moscow"),
    ("Annalena Baerbock", "German Foreign Minister", "Berlin"),
)
_TOPICS = (
    "grain corridor",
    "prisoner exchange",
    "arms control treaty",
    "embassy staffing",
    "security guarantees",
    "sanctions relief",
)


@dataclass(frozen=True)
class Story:
    """One invented news article: a headline, paragraphs and the quote in it."""

    number: int
    title: str
    paragraphs: tuple[str, ...]
    quote: str
    speaker: str

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """Headline, blank line, body: the plain-text layout."""
        return f"{self.title}\n\n{self.body}"


def story(speaker: str | None = None) -> Story:
    """A new, unique article quoting `speaker` (one of a few diplomats by default)."""
    number = next(_numbers)
    name, role, city = next(
        (entry for entry in _SPEAKERS if entry[0] == speaker), _SPEAKERS[number % len(_SPEAKERS)]
    )
    surname = name.split()[-1]
    topic = _TOPICS[number % len(_TOPICS)]
    quote = (
        f"We will not accept a deal on the {topic} that is written without us, "
        f"and file {_RUN}-{number} says as much"
    )
    title = f"{surname} sets terms on {topic} (dispatch {_RUN}-{number})"
    paragraphs = (
        f"{role} {name} spoke to reporters in {city} on Thursday after a day of talks "
        f"on the {topic}.",
        f"\u201c{quote},\u201d {surname} said.",
        f"{surname} said the negotiators would meet again within a fortnight, "
        f"according to officials familiar with dispatch {_RUN}-{number}.",
        f"Diplomats in Geneva and Vienna said the {topic} talks had stalled twice this year.",
    )
    return Story(number, title, paragraphs, quote, name)


def text_with_header(item: Story, *, date: str, url: str) -> bytes:
    """The plain-text layout with its `date YYYY-MM-DD URL` header."""
    return f"date {date} {url}\n{item.text}\n".encode()


def text_without_header(item: Story) -> bytes:
    return f"{item.text}\n".encode()


def html_page(item: Story, *, site: str = "Deutsche Welle") -> bytes:
    """A saved web page with navigation, a script and a footer around the article."""
    paragraphs = "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in item.paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(item.title)}</title>
<meta property="og:site_name" content="{escape(site)}">
<script>window.tracking = "do not import me";</script></head>
<body><nav>Home | World | Europe | Sport | Weather</nav>
<article><h1>{escape(item.title)}</h1>
{paragraphs}
</article>
<footer>Copyright {escape(site)} 2023. All rights reserved.</footer></body></html>
""".encode()


def record(item: Story, **extra: str) -> dict[str, str]:
    """A JSON/CSV export record: title and text, plus any metadata given."""
    return {"title": item.title, "text": item.body, **extra}


def json_bytes(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def json_lines(records: list[dict[str, str]]) -> bytes:
    return "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in records).encode()


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def rss_feed(items: list[Story], *, link_base: str = "https://www.reuters.com/world") -> bytes:
    entries = "\n".join(
        f"""<item><title>{escape(item.title)}</title>
<link>{link_base}/dispatch-{_RUN}-{item.number}</link>
<pubDate>Tue, 01 Mar 2022 10:00:00 GMT</pubDate>
<description><![CDATA[{"".join(f"<p>{escape(p)}</p>" for p in item.paragraphs)}]]></description>
</item>"""
        for item in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Reuters World News</title>
<link>https://www.reuters.com/world</link><description>Wire</description>
{entries}
</channel></rss>
""".encode()


def atom_feed(items: list[Story], *, link_base: str = "https://apnews.com/article") -> bytes:
    entries = "\n".join(
        f"""<entry><title>{escape(item.title)}</title>
<link href="{link_base}/dispatch-{_RUN}-{item.number}"/>
<id>urn:demarche-test:{_RUN}:{item.number}</id>
<updated>2022-03-02T09:30:00Z</updated>
<content type="html">{escape("".join(f"<p>{escape(p)}</p>" for p in item.paragraphs))}</content>
</entry>"""
        for item in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>AP Top News</title>
<id>urn:demarche-test:{_RUN}</id><updated>2022-03-02T09:30:00Z</updated>
{entries}
</feed>
""".encode()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"


class PageServer:
    """Pages served over HTTP on 127.0.0.1, by path; unknown paths get a 404."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = pages.get(self.path)
                if page is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *_: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
        """Serve `body` at `path`; returns the page's full URL."""
        self.pages[path] = Page(body, content_type)
        return self.base + path

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
