"""Read-your-writes over a lagging replica: after a write, a browser reads the primary.

With DATABASE_READ_URL set, read-only routes query a replica that may be a moment
behind. Every request that may write (any method but GET, HEAD, OPTIONS) marks the
browser's session cookie with a time until which `get_read_session` sends its reads
to the primary, so the page a form redirects to shows what the form just saved.
API clients with a token carry no cookie: docs/scaling.md tells them what to expect.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.deps import READ_PRIMARY_UNTIL_KEY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadYourWrites:
    """Sets `READ_PRIMARY_UNTIL_KEY` in the session of every request that may write.

    It must sit inside `SignedCookieSession`, which puts the session in the scope and
    writes the cookie back when the session changed.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            scope["session"][READ_PRIMARY_UNTIL_KEY] = round(time.time() + self.seconds, 1)
        await self.app(scope, receive, send)
