"""The registry in the admin area: list, create, edit, retire and restore speakers,
outlets and themes. Admins only; every form carries the CSRF token; a form that cannot
be saved comes back filled in, with every reason, as a 422 (a 409 for a state that
forbids the action, such as retiring what is retired).

The three kinds share one shape (`_Kind`): a list page with a "new" form, an edit page
with the entry's history, and retire/restore buttons. The work is in
`app.services.registry_edits`; here only the request is read and a page rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import SPEAKER_KINDS, Outlet, Speaker, User
from app.queries import registry as queries
from app.queries.review import history
from app.services import registry_edits as edits
from app.services.registry_edits import Entry, Fields, RegistryError
from app.web.deps import CurrentUser, SessionDep
from app.web.policy import Access, requires
from app.web.templating import templates

router = APIRouter(prefix="/admin", include_in_schema=False)

Slug = Annotated[str, Path(max_length=120)]
Search = Annotated[str, Query(max_length=200)]


@dataclass(frozen=True, slots=True)
class _Kind:
    """What differs between speakers, outlets and themes, for the shared pages."""

    name: str  # "speaker"
    plural: str  # "speakers": the URL segment and the heading
    find: Callable[[Session, str], Entry | None]
    listing: Callable[[Session, str], list[Any]]
    parse: Callable[..., Any]
    create: Callable[..., Entry]
    update: Callable[..., None]


KINDS = {
    "speakers": _Kind(
        "speaker",
        "speakers",
        lambda session, slug: queries.speaker_for_admin(session, slug=slug),
        lambda session, q: queries.registry_speakers(session, q=q),
        edits.speaker_form,
        lambda session, form, actor: edits.create_speaker(session, form=form, actor=actor),
        lambda session, entry, form, actor: edits.update_speaker(
            session, speaker=entry, form=form, actor=actor
        ),
    ),
    "outlets": _Kind(
        "outlet",
        "outlets",
        lambda session, slug: queries.outlet_for_admin(session, slug=slug),
        lambda session, q: queries.registry_outlets(session, q=q),
        edits.outlet_form,
        lambda session, form, actor: edits.create_outlet(session, form=form, actor=actor),
        lambda session, entry, form, actor: edits.update_outlet(
            session, outlet=entry, form=form, actor=actor
        ),
    ),
    "themes": _Kind(
        "theme",
        "themes",
        lambda session, slug: queries.theme_for_admin(session, slug=slug),
        lambda session, q: queries.registry_themes(session),
        edits.theme_form,
        lambda session, form, actor: edits.create_theme(session, form=form, actor=actor),
        lambda session, entry, form, actor: edits.update_theme(
            session, theme=entry, form=form, actor=actor
        ),
    ),
}


async def _fields(request: Request) -> Fields:
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


_BLANK_ROLES = 2  # empty role rows offered below the speaker's roles
_ROLE_FIELDS = ("role_title", "role_from", "role_to", "role_descriptors")


def _values(entry: Entry | None, fields: Fields | None) -> dict[str, Any]:
    """What a form shows: what was just submitted (to correct it), else the entry's."""
    if fields is not None:
        values: dict[str, Any] = {key: (fields.get(key) or [""])[0] for key in fields}
        columns = [list(fields.get(name) or []) for name in _ROLE_FIELDS]
        roles = [list(row) for row in zip_longest(*columns, fillvalue="")]
    elif entry is not None:
        values = {"slug": entry.slug, "name": entry.name}
        roles = []
        if isinstance(entry, Speaker):
            values |= {
                "kind": entry.kind,
                "country": entry.country or "",
                "organisation": entry.organisation or "",
                "aliases": "\n".join(a.alias for a in entry.aliases if a.alias != entry.name),
            }
            roles = [
                [r.get("title") or "", r.get("from") or "", r.get("to") or "",
                 "; ".join(r.get("descriptors") or [])]
                for r in entry.roles
            ]  # fmt: skip
        elif isinstance(entry, Outlet):
            values |= {"domains": "\n".join(entry.domains), "aliases": "\n".join(entry.aliases)}
        else:
            values |= {"description": entry.description, "phrases": "\n".join(entry.phrases)}
    else:
        values, roles = {}, []
    values["roles"] = roles + [["", "", "", ""]] * _BLANK_ROLES
    return values


def _entry(session: Session, kind: _Kind, slug: str) -> Entry:
    """The entry at `slug`; a slug no entry could have (a NUL byte, capitals) is a 404
    without asking the database."""
    entry = kind.find(session, slug) if edits.SLUG.fullmatch(slug) else None
    if entry is None:
        raise HTTPException(404, f"No {kind.name} has the address “{slug}”.")
    return entry


def _list_page(
    request: Request,
    session: Session,
    kind: _Kind,
    *,
    q: str = "",
    errors: list[str] | None = None,
    form: Fields | None = None,
    status: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/admin_registry.html",
        {
            "title": f"Registry: {kind.plural}",
            "kind": kind,
            "entries": kind.listing(session, q),
            "q": q,
            "errors": errors or [],
            "values": _values(None, form),
            "speaker_kinds": SPEAKER_KINDS,
        },
        status_code=status,
    )


def _edit_page(
    request: Request,
    session: Session,
    kind: _Kind,
    entry: Entry,
    *,
    errors: list[str] | None = None,
    form: Fields | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/admin_registry_entry.html",
        {
            "title": f"{entry.name}: {kind.name}",
            "kind": kind,
            "entry": entry,
            "errors": errors or [],
            "notice": notice,
            "values": _values(entry, form),
            "speaker_kinds": SPEAKER_KINDS,
            "events": history(session, target_type=kind.name, target_id=entry.id),
        },
        status_code=status,
    )


def _list(request: Request, session: Session, plural: str, q: str) -> Response:
    return _list_page(request, session, KINDS[plural], q=" ".join(q.replace("\x00", "").split()))


async def _create(request: Request, session: Session, plural: str, actor: User) -> Response:
    kind = KINDS[plural]
    fields = await _fields(request)
    try:
        entry = kind.create(session, kind.parse(fields), actor)
    except RegistryError as error:
        session.rollback()
        return _list_page(request, session, kind, errors=error.messages, form=fields, status=422)
    except IntegrityError:  # another admin took the slug between the check and the insert
        session.rollback()
        message = f"That slug was just taken: choose another for the new {kind.name}."
        return _list_page(request, session, kind, errors=[message], form=fields, status=409)
    return RedirectResponse(f"/admin/{plural}/{entry.slug}", status_code=303)


def _show(request: Request, session: Session, plural: str, slug: str) -> Response:
    kind = KINDS[plural]
    return _edit_page(request, session, kind, _entry(session, kind, slug))


async def _save(
    request: Request, session: Session, plural: str, slug: str, actor: User
) -> Response:
    kind = KINDS[plural]
    entry = _entry(session, kind, slug)
    fields = await _fields(request)
    try:
        kind.update(session, entry, kind.parse(fields, slug=entry.slug), actor)
    except RegistryError as error:
        session.rollback()
        entry = _entry(session, kind, slug)
        return _edit_page(
            request, session, kind, entry, errors=error.messages, form=fields, status=422
        )
    return RedirectResponse(f"/admin/{plural}/{entry.slug}#history", status_code=303)


def _retire(
    request: Request, session: Session, plural: str, slug: str, actor: User, *, retired: bool
) -> Response:
    kind = KINDS[plural]
    entry = _entry(session, kind, slug)
    try:
        edits.set_retired(session, entry=entry, retired=retired, actor=actor)
    except RegistryError as error:
        return _edit_page(request, session, kind, entry, errors=error.messages, status=409)
    return RedirectResponse(f"/admin/{plural}/{entry.slug}#history", status_code=303)


def _reprocess(request: Request, session: Session, plural: str, slug: str, actor: User) -> Response:
    kind = KINDS[plural]
    entry = _entry(session, kind, slug)
    try:
        done = edits.reprocess_affected(session, entry=entry, actor=actor)
    except RegistryError as error:
        return _edit_page(request, session, kind, entry, errors=error.messages, status=409)
    notice = (
        f"Reprocessed {done.articles} article{'' if done.articles == 1 else 's'}: "
        f"{done.statements_before} unreviewed statements replaced by {done.statements_after}."
    )
    return _edit_page(request, session, kind, _entry(session, kind, slug), notice=notice)


def _add_routes(plural: str, *, searchable: bool) -> None:
    """The same seven routes for each kind (the access matrix reads them from the app):
    list and create, show and save, retire, restore and reprocess one entry."""
    name = KINDS[plural].name
    article = "an" if name[0] in "aeiou" else "a"

    @requires(Access.ADMIN)
    def list_page(request: Request, session: SessionDep, q: Search = "") -> Response:
        return _list(request, session, plural, q if searchable else "")

    @requires(Access.ADMIN)
    async def create(request: Request, session: SessionDep, me: CurrentUser) -> Response:
        return await _create(request, session, plural, me)

    @requires(Access.ADMIN)
    def show(request: Request, slug: Slug, session: SessionDep) -> Response:
        return _show(request, session, plural, slug)

    @requires(Access.ADMIN)
    async def save(request: Request, slug: Slug, session: SessionDep, me: CurrentUser) -> Response:
        return await _save(request, session, plural, slug, me)

    @requires(Access.ADMIN)
    def retire(request: Request, slug: Slug, session: SessionDep, me: CurrentUser) -> Response:
        return _retire(request, session, plural, slug, me, retired=True)

    @requires(Access.ADMIN)
    def restore(request: Request, slug: Slug, session: SessionDep, me: CurrentUser) -> Response:
        return _retire(request, session, plural, slug, me, retired=False)

    @requires(Access.ADMIN)
    def reprocess(request: Request, slug: Slug, session: SessionDep, me: CurrentUser) -> Response:
        return _reprocess(request, session, plural, slug, me)

    routes: tuple[tuple[str, str, Callable[..., Any], str, str], ...] = (
        ("", "GET", list_page, f"{plural}_page", f"Registry {plural}"),
        ("", "POST", create, f"create_{name}", f"Add {article} {name} to the registry"),
        ("/{slug}", "GET", show, f"{name}_page", f"Edit a registry {name}"),
        ("/{slug}", "POST", save, f"save_{name}", f"Save a registry {name}"),
        ("/{slug}/retire", "POST", retire, f"retire_{name}", f"Retire {article} {name}"),
        ("/{slug}/restore", "POST", restore, f"restore_{name}", f"Restore a retired {name}"),
        (
            "/{slug}/reprocess",
            "POST",
            reprocess,
            f"reprocess_{name}",
            f"Reprocess the articles that name {article} {name}",
        ),
    )
    for path, method, endpoint, route_name, summary in routes:
        router.add_api_route(
            f"/{plural}{path}", endpoint, methods=[method], name=route_name, summary=summary
        )


_add_routes("speakers", searchable=True)
_add_routes("outlets", searchable=True)
_add_routes("themes", searchable=False)
