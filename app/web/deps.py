"""FastAPI dependencies with Annotated aliases, so route signatures say what they need."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.datastructures import State

from app.models import User
from app.queries.filters import StatementFilter
from app.services.accounts import user_for_api_token, user_for_session
from app.settings import Settings

SESSION_USER_KEY = "sid"
# Until when (a Unix time) this browser reads from the primary: set by `ReadYourWrites`.
READ_PRIMARY_UNTIL_KEY = "rp"


def get_session(request: Request) -> Iterator[Session]:
    """A session on the primary database: for writes, and for reads that must see them."""
    with request.app.state.sessionmaker() as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A session for routes that only read, on DATABASE_READ_URL when it is set.

    A replica lags the primary a little, so a browser that has just written (saved a
    view, uploaded an article) reads from the primary for `read_after_write_seconds`
    and sees its own change on the next page.
    """
    state = request.app.state
    factory = state.sessionmaker if reads_primary(request.session) else state.read_sessionmaker
    with factory() as session:
        yield session


def reads_primary(browser_session: Mapping[str, Any]) -> bool:
    """True while a browser that has just written must read from the primary."""
    until = browser_session.get(READ_PRIMARY_UNTIL_KEY)
    return isinstance(until, int | float) and until > time.time()


def read_engine_for(state: State, browser_session: Mapping[str, Any]) -> Engine:
    """The engine `get_read_session` reads from for this browser session."""
    return state.engine if reads_primary(browser_session) else state.read_engine


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def is_htmx(request: Request) -> bool:
    """True for an HTMX swap; a history restore wants the whole page back."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def statement_filter(
    request: Request,
    speaker: Annotated[
        list[str] | None, Query(description="Speaker slug; repeat for several")
    ] = None,
    outlet: Annotated[
        list[str] | None, Query(description="Outlet slug; repeat for several")
    ] = None,
    theme: Annotated[list[str] | None, Query(description="Theme slug; repeat for several")] = None,
    about: Annotated[
        list[str] | None,
        Query(description="Entity slug (country, organisation, person); repeat for several"),
    ] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="First day, YYYY-MM-DD")
    ] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Last day, YYYY-MM-DD")] = None,
    q: Annotated[
        str | None, Query(description='Words and phrases: "security guarantees" -sanctions')
    ] = None,
    sort: Annotated[
        str | None, Query(description="newest, oldest or relevance (the default when q is set)")
    ] = None,
    before: Annotated[
        str | None,
        Query(description="Newest-first keyset position, YYYY-MM-DD,ID (from a `next` link)"),
    ] = None,
    page: Annotated[
        str | None, Query(description="Page number, from 1, of oldest-first or relevance order")
    ] = None,
) -> StatementFilter:
    """The `StatementFilter` of the query string; a `FilterError` becomes a 400.

    The parameters are declared only so that OpenAPI documents them: parsing and
    validation belong to `StatementFilter.from_query`, the same as the pages use.
    """
    return StatementFilter.from_query(request.query_params.multi_items())


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user or nobody, and whether by API token (which needs no CSRF
    token, since browsers never attach it to a request on their own)."""

    user: User | None
    by_api_token: bool = False


class NotSignedInError(Exception):
    """The route needs a signed-in user; pages redirect to the sign-in form, the API says 401."""


# Declares the API token in the OpenAPI description (Swagger UI's "Authorize" button);
# a missing or non-Bearer header is left to the session cookie.
bearer_token = HTTPBearer(
    auto_error=False,
    scheme_name="apiToken",
    description="`demarche user token NAME` prints one; it acts with that account's role.",
)


def get_principal(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_token)],
) -> Principal:
    """The caller, from an `Authorization: Bearer` API token or the session cookie."""
    if credentials is not None:
        user = user_for_api_token(session, credentials.credentials.strip())
        if user is None:
            raise HTTPException(
                401,
                "The API token is unknown or revoked.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        principal = Principal(user, by_api_token=True)
    else:
        session_token = request.session.get(SESSION_USER_KEY)
        user = user_for_session(session, session_token) if isinstance(session_token, str) else None
        if session_token is not None and user is None:
            request.session.pop(SESSION_USER_KEY)
        principal = Principal(user)
    request.state.user = principal.user
    return principal


def get_user_or_none(principal: Annotated[Principal, Depends(get_principal)]) -> User | None:
    return principal.user


def get_current_user(principal: Annotated[Principal, Depends(get_principal)]) -> User:
    if principal.user is None:
        raise NotSignedInError
    return principal.user


SessionDep = Annotated[Session, Depends(get_session)]
# Read-only routes (pages, API reads, exports, feeds): a write through it fails when
# DATABASE_READ_URL is a replica, so a route that writes must take SessionDep.
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
IsHtmx = Annotated[bool, Depends(is_htmx)]
Filters = Annotated[StatementFilter, Depends(statement_filter)]
# Row ids are Postgres integers: a larger number is simply not there, not a server error.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
# The signed-in user, for routes whose policy requires one (a 401 or the sign-in page otherwise).
CurrentUser = Annotated[User, Depends(get_current_user)]
# The user if someone is signed in, for pages that anonymous visitors may also read.
MaybeUser = Annotated[User | None, Depends(get_user_or_none)]
