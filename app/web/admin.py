"""Account administration: list users, create (invite) them with a role, change roles,
reset passwords, deactivate and reactivate. Admins only."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app.models import ROLES, User
from app.queries.audit import recent_events
from app.services.accounts import (
    AccountError,
    create_user,
    generate_password,
    list_users,
    reset_password,
    set_active,
    set_role,
    user_by_id,
)
from app.web.deps import CurrentUser, SessionDep
from app.web.forms import form_text
from app.web.policy import Access, requires
from app.web.templating import templates

router = APIRouter(prefix="/admin", include_in_schema=False)


def _page(
    request: Request,
    session: SessionDep,
    me: User,
    *,
    errors: list[str] | None = None,
    created: tuple[str, str] | None = None,
    reset: tuple[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/admin_users.html",
        {
            "title": "Accounts",
            "users": list_users(session),
            "history": recent_events(session, target_type="user"),
            "roles": ROLES,
            "me": me,
            "errors": errors or [],
            "created": created,
            "reset": reset,
            "form": form or {"username": "", "role": "viewer"},
        },
        status_code=status,
    )


def _target(session: SessionDep, user_id: int) -> User:
    user = user_by_id(session, user_id)
    if user is None:
        raise HTTPException(404, f"No account has the number {user_id}.")
    return user


@router.get("/users", summary="Accounts")
@requires(Access.ADMIN)
def users_page(request: Request, session: SessionDep, me: CurrentUser) -> Response:
    return _page(request, session, me)


@router.post("/users", summary="Create an account with a one-time password")
@requires(Access.ADMIN)
async def create_account(request: Request, session: SessionDep, me: CurrentUser) -> Response:
    form = await request.form()
    username, role = form_text(form, "username"), form_text(form, "role")
    password = generate_password()
    try:
        user = create_user(session, username=username, password=password, role=role, actor=me)
    except AccountError as error:
        return _page(
            request,
            session,
            me,
            errors=[str(error)],
            form={"username": username, "role": role},
            status=422,
        )
    return _page(request, session, me, created=(user.username, password), status=201)


@router.post("/users/{user_id}/role", summary="Change an account's role")
@requires(Access.ADMIN)
async def change_role(
    request: Request, user_id: int, session: SessionDep, me: CurrentUser
) -> Response:
    form = await request.form()
    try:
        set_role(session, actor=me, user=_target(session, user_id), role=form_text(form, "role"))
    except AccountError as error:
        return _page(request, session, me, errors=[str(error)], status=409)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/active", summary="Deactivate or reactivate an account")
@requires(Access.ADMIN)
async def change_active(
    request: Request, user_id: int, session: SessionDep, me: CurrentUser
) -> Response:
    form = await request.form()
    active = form_text(form, "active")
    if active not in {"true", "false"}:
        return _page(request, session, me, errors=["Say whether to activate or not."], status=422)
    try:
        set_active(session, actor=me, user=_target(session, user_id), active=active == "true")
    except AccountError as error:
        return _page(request, session, me, errors=[str(error)], status=409)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/password", summary="Reset an account's password")
@requires(Access.ADMIN)
def reset_account_password(
    request: Request, user_id: int, session: SessionDep, me: CurrentUser
) -> Response:
    user = _target(session, user_id)
    password = reset_password(session, actor=me, user=user)
    return _page(request, session, me, reset=(user.username, password))
