"""Who may call which route: one declarative rule per route, checked for every request.

Every route's endpoint has an access level. GET and HEAD routes default to READ (the
read-only pages: any signed-in user, and anonymous visitors when
DEMARCHE_ANONYMOUS_READ is on), so adding a page that only reads needs nothing. Any
other method MUST declare its level with `@requires(...)`; an undeclared one is refused
to everyone (and tests/web/test_access_matrix.py fails). `authorize` runs as an
app-wide dependency, before the route's own dependencies and before any form is read
(FastAPI does decode a JSON body first):

1. the level's check: not signed in -> a redirect to /login (pages) or 401 (JSON API);
   signed in with too low a role -> 403;
2. then, for unsafe methods, the CSRF token (`app.web.csrf`), unless the caller used an
   API token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import TypeVar
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount

from app.services.accounts import ROLE_RANK
from app.web.csrf import verify_csrf
from app.web.deps import NotSignedInError, PrincipalDep, SettingsDep

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Mounted apps the policy does not see (they are not FastAPI routes), all public.
PUBLIC_MOUNTS = frozenset({"/static"})
_ATTRIBUTE = "__demarche_access__"

Endpoint = TypeVar("Endpoint", bound=Callable[..., object])


class Access(StrEnum):
    """Access levels, from open to narrow."""

    PUBLIC = "public"  # anyone, signed in or not: the sign-in page, health check
    READ = "read"  # read-only pages: signed-in users, and anonymous visitors if allowed
    VIEWER = "viewer"  # any signed-in user: saving a view, changing one's password
    EDITOR = "editor"  # upload, import, the write API, review
    ADMIN = "admin"  # accounts and the registry


def requires(level: Access) -> Callable[[Endpoint], Endpoint]:
    """Declare a route's access level; put it under the `@router.post(...)` line."""

    def declare(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _ATTRIBUTE, level)
        return endpoint

    return declare


def route_access(route: BaseRoute) -> Access | None:
    """The route's level: declared, else READ for a GET/HEAD route, else None (refused)."""
    endpoint = getattr(route, "endpoint", None)
    declared = getattr(endpoint, _ATTRIBUTE, None)
    if declared is not None:
        return declared
    methods = getattr(route, "methods", None) or set()
    if isinstance(route, APIRoute) and methods <= SAFE_METHODS:
        return Access.READ
    return None


def iter_routes(app: FastAPI) -> Iterator[BaseRoute]:
    """Every route of the app, those of included routers too, as they are matched."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI copies included routers' routes into app.routes
        yield from app.routes
        return
    for context in iter_route_contexts(app.routes):
        yield context.original_route


def unruled_routes(app: FastAPI) -> list[str]:
    """Routes the policy would refuse to everyone: unsafe methods with no `@requires`,
    and mounts other than PUBLIC_MOUNTS. The access-matrix test keeps this empty."""
    found = []
    for route in iter_routes(app):
        if isinstance(route, Mount):
            if route.path not in PUBLIC_MOUNTS:
                found.append(f"mount {route.path}")
        elif route_access(route) is None:
            methods = ",".join(sorted(getattr(route, "methods", None) or ()))
            found.append(f"{methods} {getattr(route, 'path', route)}")
    return found


def allowed(level: Access, role: str | None, *, anonymous_read: bool) -> bool:
    """Whether someone with `role` (None: not signed in) may use a route of `level`."""
    if level is Access.PUBLIC:
        return True
    if role is None:
        return level is Access.READ and anonymous_read
    needed = ROLE_RANK["viewer"] if level is Access.READ else ROLE_RANK[level.value]
    return ROLE_RANK[role] >= needed


async def authorize(request: Request, principal: PrincipalDep, settings: SettingsDep) -> None:
    """The app-wide dependency: the route's level, then the CSRF token on unsafe methods."""
    route = request.scope.get("route")
    level = route_access(route) if route is not None else None
    if level is None:
        raise HTTPException(403, "This address has no access rule, so it is closed to everyone.")
    user = principal.user
    if not allowed(level, user.role if user else None, anonymous_read=settings.anonymous_read):
        if user is None:
            raise NotSignedInError
        raise HTTPException(
            403, f"Your account ({user.role}) cannot do this; it needs the {level.value} role."
        )
    if request.method not in SAFE_METHODS and not principal.by_api_token:
        await verify_csrf(request, max_part_size=settings.max_upload_bytes)


def is_json_path(path: str) -> bool:
    """The JSON API and its description answer 401 where pages redirect to the sign-in form."""
    return path.startswith("/api/") or path == "/openapi.json"


def sign_in_target(request: Request) -> str:
    """Where to come back to after signing in: this page for a GET, else the home page."""
    if request.method != "GET":
        return "/"
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


async def not_signed_in(request: Request, _: Exception) -> Response:
    """A visitor on a page that needs an account: 401 for the JSON API, HX-Redirect for
    HTMX (a plain redirect would swap the sign-in page into a fragment), else a 303."""
    if is_json_path(request.url.path):
        return JSONResponse(
            {"detail": "Sign in, or send an API token (Authorization: Bearer ...)."},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    login = "/login?next=" + quote(sign_in_target(request), safe="/")
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": login})
    return RedirectResponse(login, status_code=303)


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (another site) becomes '/'."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\r\n\\") or any(ord(ch) < 32 for ch in target):
        return "/"
    return target
