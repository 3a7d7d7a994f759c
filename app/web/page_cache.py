"""Rendered read-only pages kept per data version: a repeated view costs a lookup.

A read-only page is a function of the rows it reads, of the request (path, query, host
and the headers that change what is rendered) and of who asks (the signed session:
sign-in token and CSRF token). The data version (`app/db_versions.py`) names the rows:
every committed write to what pages show moves it (an import batch, an edit, a role
change, a sign-out), and nothing else does (the job queue's heartbeats, failed
sign-ins and other databases on the server leave it alone). So the cache needs no
invalidation: a write makes every old key unreachable and the least recently used
entries fall out under the size limit.

Only the GET routes `create_app` names are cached: the explore pages, search, feeds
and the read API, whose answers depend on nothing else (share links, which expire with
the clock, and pages that write are not among them). The version is read before the
route runs; the route's own queries see the same rows or newer ones, so a stored page is
never older than its key. A page is stored only if it answered 200 without setting a
cookie and the session came out of the request as it went in (a first visit mints a
CSRF token, and that page must not be served to the next first-time visitor). The
overview reads today's date, so the date is part of the key too.

A process reads the version at most every `recheck_seconds` (200 ms by default) and
trusts it in between: under load a kept page then costs no query at all, where reading
the version for every request held a thousand answers a second to a third. Another
browser's or a worker's write shows within that time; a browser's own write at once,
since `ReadYourWrites` marks its session after every write and a marked session reads
the version for each request.

Concurrent requests for one key render it once: the first renders, the others wait for
it and are answered from the store. Fifty clients opening the same fresh page would
otherwise render it fifty times on two cores, and every cached answer queues behind.
"""

from __future__ import annotations

import hashlib
import json
import time
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import anyio.to_thread
from sqlalchemy import Engine, text
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db_versions import READ as READ_VERSION
from app.web.deps import read_engine_for, reads_primary

# Request headers that change what a cacheable route renders.
VARYING_HEADERS = (b"host", b"accept", b"authorization", b"x-forwarded-proto", b"x-forwarded-host")
HTMX_HEADER_PREFIX = b"hx-"
# zlib's window bits for the gzip format, which Content-Encoding: gzip names.
GZIP_WBITS = 31
# A page bigger than this (a long API listing) is served but not kept.
MAX_ENTRY_FRACTION = 8
RECHECK_MARGIN_SECONDS = 0.2
"""Added to the recheck time for a browser's read-your-writes mark, which the session
keeps to a tenth of a second."""


@dataclass(frozen=True, slots=True)
class Page:
    """A kept answer: its headers but the length, and its body gzipped (pages of HTML
    shrink five to ten times, so the same memory keeps that many more of them; a
    browser takes the gzip as it is, other clients get it inflated)."""

    headers: list[tuple[bytes, bytes]]
    gzipped: bytes
    length: int

    @classmethod
    def of(cls, headers: list[tuple[bytes, bytes]], body: bytes) -> Page:
        kept = [(name, value) for name, value in headers if name.lower() != b"content-length"]
        packer = zlib.compressobj(level=1, wbits=GZIP_WBITS)
        return cls(kept, packer.compress(body) + packer.flush(), len(body))

    def answer(self, *, gzip: bool) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """The headers and body to send, gzipped when the client accepts it."""
        if gzip:
            encoding = [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
            return [*self.headers, *encoding, _length(self.gzipped)], self.gzipped
        body = zlib.decompress(self.gzipped, wbits=GZIP_WBITS)
        return [*self.headers, _length(body)], body


def _length(body: bytes) -> tuple[bytes, bytes]:
    return (b"content-length", str(len(body)).encode())


def _accepts_gzip(scope: Scope) -> bool:
    return any(
        name == b"accept-encoding" and b"gzip" in value.lower() for name, value in scope["headers"]
    )


class PageStore:
    """Least-recently-used pages, bounded by the bytes of their bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // MAX_ENTRY_FRACTION
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._pages: OrderedDict[bytes, Page] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: bytes) -> Page | None:
        page = self._pages.get(key)
        if page is None:
            self.misses += 1
            return None
        self.hits += 1
        self._pages.move_to_end(key)
        return page

    def put(self, key: bytes, page: Page) -> None:
        if page.length > self.max_entry or key in self._pages:
            return
        self._pages[key] = page
        self.bytes += len(page.gzipped)
        while self.bytes > self.max_bytes:
            _, dropped = self._pages.popitem(last=False)
            self.bytes -= len(dropped.gzipped)


def version_of(engine: Engine) -> int:
    """The data version this engine's database shows now."""
    with engine.connect() as connection:
        return connection.execute(text(READ_VERSION)).scalar_one()


@dataclass(slots=True)
class _Known:
    """The version a process last read from one engine, and when it asked."""

    version: int
    asked_at: float
    refreshing: bool = False


def _key(scope: Scope, version: int) -> bytes:
    headers = sorted(
        (name, value)
        for name, value in scope["headers"]
        if name in VARYING_HEADERS or name.startswith(HTMX_HEADER_PREFIX)
    )
    parts: list[Any] = [
        version,
        date.today().isoformat(),
        scope["scheme"],
        scope["path"],
        scope["query_string"].decode("latin-1"),
        [[name.decode("latin-1"), value.decode("latin-1")] for name, value in headers],
        scope.get("session", {}),
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()


class PageCache:
    """ASGI middleware serving repeated GETs of `routes` from a `PageStore`.

    It must sit inside `SignedCookieSession` (it keys on the session); security headers
    and cookies are added around what it replays.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: PageStore,
        routes: Sequence[BaseRoute],
        recheck_seconds: float = 0.0,
    ) -> None:
        self.app = app
        self.store = store
        self.routes = tuple(routes)
        self.recheck_seconds = recheck_seconds
        self._known: dict[Engine, _Known] = {}
        # Keys being rendered now, with the event their waiters wake on.
        self._flights: dict[bytes, anyio.Event] = {}

    def _cached(self, scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and any(route.matches(scope)[0] is Match.FULL for route in self.routes)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cached(scope):
            await self.app(scope, receive, send)
            return
        version = await self._version(scope)
        key = _key(scope, version)
        page = self.store.get(key)
        if page is None and (flight := self._flights.get(key)) is not None:
            await flight.wait()
            page = self.store.get(key)
            if page is None:  # that answer was not one to keep: render this one alone
                await self._render(key, scope, receive, send)
                return
        if page is not None:
            await _replay(page, scope, send)
            return
        self._flights[key] = anyio.Event()
        try:
            await self._render(key, scope, receive, send)
        finally:
            self._flights.pop(key).set()

    async def _version(self, scope: Scope) -> int:
        """The data version to key this request's page by: read now, or trusted from a
        read less than `recheck_seconds` ago. One request refreshes an expired version;
        the others meanwhile take the one they have."""
        browser = scope.get("session", {})
        engine = read_engine_for(scope["app"].state, browser)
        if self.recheck_seconds <= 0 or reads_primary(browser):
            return await anyio.to_thread.run_sync(version_of, engine)
        asked_at = time.monotonic()
        known = self._known.get(engine)
        if known is not None and (
            known.refreshing or asked_at - known.asked_at < self.recheck_seconds
        ):
            return known.version
        if known is not None:
            known.refreshing = True
        try:
            version = await anyio.to_thread.run_sync(version_of, engine)
        finally:
            if known is not None:
                known.refreshing = False
        self._known[engine] = _Known(version, asked_at)
        return version

    async def _render(self, key: bytes, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the route, passing its answer on, and keep it if it may be kept."""
        session_before = json.dumps(scope.get("session", {}), sort_keys=True, default=str)
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and size <= self.store.max_entry:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
            await send(message)

        await self.app(scope, receive, capture)
        if (
            start is not None
            and start["status"] == 200
            and size <= self.store.max_entry
            and not any(name.lower() == b"set-cookie" for name, _ in start["headers"])
            and json.dumps(scope.get("session", {}), sort_keys=True, default=str) == session_before
        ):
            self.store.put(key, Page.of(list(start["headers"]), b"".join(chunks)))


async def _replay(page: Page, scope: Scope, send: Send) -> None:
    headers, body = page.answer(gzip=_accepts_gzip(scope))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
