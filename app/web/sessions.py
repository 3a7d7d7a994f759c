"""The browser's session: a small dict in a signed cookie (itsdangerous), as `request.session`.

It holds only two random strings: the CSRF token (every visitor) and the sign-in token
(signed-in users), whose sha256 names a `user_sessions` row. Signing stops a visitor
from forging a session; the row lets sign-out, a password change or a deactivation end
it on the server. The cookie is HttpOnly and SameSite=Lax, and Secure whenever the
request came over https (directly, or through a proxy uvicorn trusts for
X-Forwarded-Proto), so a development server on http://127.0.0.1 still works.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "demarche_session"
SESSION_SALT = "demarche.session"


class SignedCookieSession:
    """Puts the cookie's dict in `scope["session"]` and writes it back when it changed."""

    def __init__(self, app: ASGIApp, *, secret: str, max_age_seconds: int) -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret, salt=SESSION_SALT)
        self.max_age = max_age_seconds

    def _load(self, scope: Scope) -> dict[str, Any]:
        raw = HTTPConnection(scope).cookies.get(COOKIE_NAME)
        if not raw:
            return {}
        try:
            value = self.serializer.loads(raw, max_age=self.max_age)
        except BadSignature:
            return {}
        return value if isinstance(value, dict) else {}

    def _cookie(self, session: dict[str, Any], *, secure: bool) -> str:
        if session:
            value = self.serializer.dumps(session)
            cookie = f"{COOKIE_NAME}={value}; Path=/; Max-Age={self.max_age}"
        else:
            cookie = f"{COOKIE_NAME}=; Path=/; Max-Age=0"
        cookie += "; HttpOnly; SameSite=Lax"
        return cookie + "; Secure" if secure else cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        initial = self._load(scope)
        scope["session"] = dict(initial)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and scope["session"] != initial:
                headers = MutableHeaders(scope=message)
                headers.append(
                    "Set-Cookie",
                    self._cookie(scope["session"], secure=scope.get("scheme") == "https"),
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)
