"""CSRF tokens: one random token per browser session, sent back with every unsafe request.

Forms carry it in a hidden field (`{{ csrf_field() }}` in a template); HTMX requests
carry it in the X-CSRF-Token header, set once for the page by `hx-headers` on <body>.
`app.web.policy.authorize` checks it on every POST, PUT, PATCH and DELETE, after the
role check, except for callers authenticated by an API token (a header no other site
can make a browser send). The token changes when someone signs in or out, so a token
learnt before signing in is useless after.
"""

from __future__ import annotations

import json
import secrets

from fastapi import HTTPException, Request
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_KEY = "csrf"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The most files and fields any form of the app takes (bulk import: 200 files). Bodies
# are capped by BodySizeLimit before this, so a generous parse costs nothing more.
MAX_FORM_FILES = 200
MAX_FORM_FIELDS = 100

REFUSED = (
    "This form has expired or did not come from a Démarche page (its security token is "
    "missing or wrong). Reload the page and try again."
)


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def rotate_csrf_token(request: Request) -> None:
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)


async def _supplied_token(request: Request, max_part_size: int) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(FORM_CONTENT_TYPES):
        return None
    try:
        # Parsed once here; the route's own `await request.form()` gets this same form.
        form = await request.form(
            max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=max_part_size
        )
    except HTTPException as error:
        raise HTTPException(400, f"The form could not be read: {error.detail}") from error
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


async def verify_csrf(request: Request, *, max_part_size: int) -> None:
    """Refuse (403) an unsafe request whose token is missing or is not the session's."""
    expected = request.session.get(SESSION_KEY)
    supplied = await _supplied_token(request, max_part_size)
    if (
        not isinstance(expected, str)
        or supplied is None
        or not secrets.compare_digest(expected.encode(), supplied.encode())
    ):
        raise HTTPException(403, REFUSED)


@pass_context
def csrf_field(context: Context) -> Markup:
    """The hidden input every POST form needs: `{{ csrf_field() }}`."""
    token = csrf_token(context["request"])
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


@pass_context
def csrf_headers(context: Context) -> Markup:
    """The JSON for `hx-headers` on <body>, escaped for a double-quoted attribute."""
    return escape(json.dumps({CSRF_HEADER: csrf_token(context["request"])}))
