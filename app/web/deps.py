"""FastAPI dependencies with Annotated aliases, so route signatures say what they need."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session

from app.queries.filters import StatementFilter
from app.settings import Settings


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


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
    page: Annotated[str | None, Query(description="Page number, from 1")] = None,
) -> StatementFilter:
    """The `StatementFilter` of the query string; a `FilterError` becomes a 400.

    The parameters are declared only so that OpenAPI documents them: parsing and
    validation belong to `StatementFilter.from_query`, the same as the pages use.
    """
    return StatementFilter.from_query(request.query_params.multi_items())


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
IsHtmx = Annotated[bool, Depends(is_htmx)]
Filters = Annotated[StatementFilter, Depends(statement_filter)]
# Row ids are Postgres integers: a larger number is simply not there, not a server error.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
