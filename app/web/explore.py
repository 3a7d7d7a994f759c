"""Exploring pages: the overview, and the speaker, outlet and theme pages and indexes.

Each route reads the view from the URL with `StatementFilter`, calls one data function
in `app.queries`, and renders one template; an HTMX request gets only the `view` block.
A non-canonical address redirects to the canonical one, a bad value gets a 400 page
saying what is wrong, and an unknown slug a 404 saying which.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.charts.palette import PagePalette
from app.queries.entities import entities_mentioned
from app.queries.filters import FilterError, StatementFilter
from app.queries.overview import overview
from app.queries.profiles import (
    MAX_NAME_SEARCH,
    outlet_index,
    outlet_profile,
    speaker_index,
    speaker_profile,
    theme_index,
    theme_profile,
)
from app.queries.review import history, merged_into
from app.queries.statements import filter_names, unknown_slugs
from app.queries.volume import carried_by
from app.web.deps import IsHtmx, ReadSessionDep
from app.web.templating import templates

router = APIRouter()

NAME_KEY = "name"
# What a slug in a page address may be; anything else cannot name a speaker, outlet or theme.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


def printable(slug: str) -> str:
    """The slug as a message may quote it: short, control characters dropped."""
    return "".join(char for char in slug[:80] if char.isprintable())


def read_view(
    request: Request, *, own: str | None = None, extra: Iterable[str] = ()
) -> tuple[StatementFilter, dict[str, str], str]:
    """The view's filter, the page's own extra keys, and its canonical query string.

    Raises FilterError, with a sentence per problem, when the URL is not a view.

    `own` is the key the page itself fixes (a speaker page fixes `speaker`), so it is
    left out of the canonical address, as are the timeline-only `chart` and `before`.
    """
    extras: dict[str, str] = {}
    items = []
    for key, value in request.query_params.multi_items():
        if key in extra:
            extras[key] = value.strip()
        else:
            items.append((key, value))
    filters = StatementFilter.from_query(items)
    for value in extras.values():
        if len(value) > MAX_NAME_SEARCH:
            raise FilterError(
                [f"The name to find is too long: at most {MAX_NAME_SEARCH} characters."]
            )
        if not value.isprintable():
            raise FilterError(["The name to find holds control characters; type a name."])
    view = filters.narrowing()
    if own:
        view = view.with_removed(own)
    canonical = view.query_items() + [(key, value) for key, value in extras.items() if value]
    return view, extras, urlencode(canonical, safe=",")


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    htmx: bool,
    canonical: str,
) -> Response:
    """The page, or its `view` block for HTMX; a non-canonical address redirects first."""
    path = request.url.path
    url = f"{path}?{canonical}" if canonical else path
    if not htmx and parse_qsl(request.url.query, keep_blank_values=True) != parse_qsl(canonical):
        return RedirectResponse(url, status_code=302)
    return templates.TemplateResponse(
        request,
        template,
        {"htmx": htmx, "canonical_url": url, "palette": PagePalette(), **context},
        block_name="view" if htmx else None,
        headers={"Vary": "HX-Request", "HX-Push-Url": url},
    )


def bad_view(request: Request, error: FilterError, *, htmx: bool = False) -> Response:
    """A 400 saying what is wrong: the error page, or for an HTMX swap the `view` region."""
    return templates.TemplateResponse(
        request,
        "partials/_bad_view.html" if htmx else "pages/error.html",
        {
            "title": "That view could not be read",
            "message": " ".join(error.messages),
            "back": request.url.path,
            "back_label": "Open this page without filters",
        },
        status_code=400,
    )


def not_found(request: Request, kind: str, slug: str) -> Response:
    """A 404 naming the slug, with a way to the index of its kind."""
    index = {"speaker": "/speakers", "outlet": "/outlets", "theme": "/themes"}[kind]
    return templates.TemplateResponse(
        request,
        "pages/error.html",
        {
            "title": "Not found",
            "message": f"No {kind} is known as “{printable(slug)}”.",
            "back": index,
            "back_label": f"See every {kind}",
        },
        status_code=404,
    )


def _names(session: Session, filters: StatementFilter) -> dict[str, Any]:
    names = filter_names(session, filters=filters)
    return {
        "names": names,
        "described": names.describe(filters),
        "errors": unknown_slugs(session, filters=filters),
    }


@router.get("/", summary="Overview: what changed in the newest week")
def overview_page(request: Request, session: ReadSessionDep, htmx: IsHtmx) -> Response:
    try:
        filters, _, canonical = read_view(request)
    except FilterError as error:
        return bad_view(request, error, htmx=htmx)
    data = overview(session, filters=filters, today=date.today())
    carried = carried_by(session, statements=data.newest.statements) if data else {}
    return render(
        request,
        "pages/overview.html",
        {"title": "Overview", "filters": filters, "data": data, "carried": carried}
        | _names(session, filters),
        htmx=htmx,
        canonical=canonical,
    )


@router.get("/speakers", summary="Speakers with their statement counts")
def speakers_page(request: Request, session: ReadSessionDep, htmx: IsHtmx) -> Response:
    try:
        filters, extras, canonical = read_view(request, own="speaker", extra=(NAME_KEY,))
    except FilterError as error:
        return bad_view(request, error, htmx=htmx)
    name = extras.get(NAME_KEY) or None
    return render(
        request,
        "pages/speakers.html",
        {
            "title": "Speakers",
            "filters": filters,
            "name": name or "",
            "rows": speaker_index(session, filters=filters, name=name),
        }
        | _names(session, filters),
        htmx=htmx,
        canonical=canonical,
    )


@router.get("/speakers/{slug}", summary="A speaker's page")
def speaker_page(request: Request, slug: str, session: ReadSessionDep, htmx: IsHtmx) -> Response:
    try:
        filters, _, canonical = read_view(request, own="speaker")
    except FilterError as error:
        return bad_view(request, error, htmx=htmx)
    profile = speaker_profile(session, slug=slug, filters=filters) if SLUG.match(slug) else None
    if profile is None:
        return not_found(request, "speaker", slug)
    return render(
        request,
        "pages/speaker.html",
        {
            "title": profile.speaker.name,
            "filters": filters,
            "profile": profile,
            "talks_about": entities_mentioned(
                session, filters=filters.narrowing().with_replaced("speaker", slug), limit=15
            ),
            "carried": carried_by(session, statements=profile.recent.statements),
            "events": history(session, target_type="speaker", target_id=profile.speaker.id),
            "merged_into": merged_into(session, speaker=profile.speaker),
        }
        | _names(session, filters),
        htmx=htmx,
        canonical=canonical,
    )


@router.get("/outlets", summary="Outlets with their statement counts")
def outlets_page(request: Request, session: ReadSessionDep, htmx: IsHtmx) -> Response:
    try:
        filters, _, canonical = read_view(request, own="outlet")
    except FilterError as error:
        return bad_view(request, error, htmx=htmx)
    return render(
        request,
        "pages/outlets.html",
        {"title": "Outlets", "filters": filters, "rows": outlet_index(session, filters=filters)}
        | _names(session, filters),
        htmx=htmx,
        canonical=canonical,
    )


@router.get("/outlets/{slug}", summary="An outlet's page")
def outlet_page(request: Request, slug: str, session: ReadSessionDep, htmx: IsHtmx) -> Response:
    try:
        filters, _, canonical = read_view(request, own="outlet")
    except FilterError as error:
        return bad_view(request, error, htmx=htmx)
    profile = outlet_profile(session, slug=slug, filters=filters) if SLUG.match(slug) else None
    if profile is None:
        return not_found(request, "outlet", slug)
    return render(
        request,
        "pages/outlet.html",
        {
            "title": profile.outlet.name,
            "filters": filters,
            "profile": profile,
            "carried": carried_by(session, statements=profile.recent.statements),
        }
        | _names(session, filters),
        htmx=htmx,
        canonical=canonical,
    )


@router.get("/themes", summary="Themes and the theme-by-month heatmap")
def themes_page(request: Request, session: ReadSessionDep, htmx: IsHtmx) -> Response:
    try:
        filters, _, canonical = read_view(request, own="theme")
    except FilterError as error:
        return bad_view(request, error, htmx=htmx)
    return render(
        request,
        "pages/themes.html",
        {"title": "Themes", "filters": filters, "index": theme_index(session, filters=filters)}
        | _names(session, filters),
        htmx=htmx,
        canonical=canonical,
    )


@router.get("/themes/{slug}", summary="A theme's page")
def theme_page(request: Request, slug: str, session: ReadSessionDep, htmx: IsHtmx) -> Response:
    try:
        filters, _, canonical = read_view(request, own="theme")
    except FilterError as error:
        return bad_view(request, error, htmx=htmx)
    profile = theme_profile(session, slug=slug, filters=filters) if SLUG.match(slug) else None
    if profile is None:
        return not_found(request, "theme", slug)
    return render(
        request,
        "pages/theme.html",
        {
            "title": profile.theme.name,
            "filters": filters,
            "profile": profile,
            "carried": carried_by(session, statements=profile.representative),
        }
        | _names(session, filters),
        htmx=htmx,
        canonical=canonical,
    )
