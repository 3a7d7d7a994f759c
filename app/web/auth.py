"""Signing in and out, and a user's own account page (password change)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.services.accounts import (
    AccountError,
    LoginThrottledError,
    api_tokens_of,
    authenticate,
    change_password,
    create_api_token,
    end_session,
    revoke_api_token,
    start_session,
)
from app.web.csrf import rotate_csrf_token
from app.web.deps import SESSION_USER_KEY, CurrentUser, MaybeUser, SessionDep, SettingsDep
from app.web.forms import form_text
from app.web.policy import Access, requires, safe_next
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


def _login_page(
    request: Request, *, next_url: str, username: str, error: str | None, status: int
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/login.html",
        {"next": next_url, "username": username, "error": error, "title": "Sign in"},
        status_code=status,
    )


@router.get("/login", summary="The sign-in form")
@requires(Access.PUBLIC)
def login_form(
    request: Request,
    user: MaybeUser,
    next_url: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next_url), status_code=303)
    return _login_page(request, next_url=safe_next(next_url), username="", error=None, status=200)


@router.post("/login", summary="Sign in")
@requires(Access.PUBLIC)
async def login(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    form = await request.form()
    username = form_text(form, "username")[:200]
    next_url = safe_next(form_text(form, "next"))
    address = request.client.host if request.client else "unknown"
    try:
        user = authenticate(
            session,
            username=username,
            password=form_text(form, "password"),
            address=address,
            failures_allowed=settings.login_failures_allowed,
            window=timedelta(minutes=settings.login_window_minutes),
        )
    except LoginThrottledError as throttled:
        minutes = throttled.retry_after_seconds // 60
        response = _login_page(
            request,
            next_url=next_url,
            username=username,
            error=f"Too many failed sign-ins. Wait {minutes} minutes and try again.",
            status=429,
        )
        response.headers["Retry-After"] = str(throttled.retry_after_seconds)
        return response
    if user is None:
        return _login_page(
            request,
            next_url=next_url,
            username=username,
            error="Wrong username or password.",
            status=422,
        )
    request.session[SESSION_USER_KEY] = start_session(session, user, days=settings.session_days)
    rotate_csrf_token(request)
    return RedirectResponse(next_url, status_code=303)


@router.post("/logout", summary="Sign out")
@requires(Access.PUBLIC)
def logout(request: Request, session: SessionDep) -> Response:
    token = request.session.pop(SESSION_USER_KEY, None)
    if isinstance(token, str):
        end_session(session, token)
    rotate_csrf_token(request)
    return RedirectResponse("/login", status_code=303)


def _account_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    *,
    errors: list[str] | None = None,
    changed: bool = False,
    new_token: str | None = None,
    status: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "pages/account.html",
        {
            "user": user,
            "errors": errors or [],
            "changed": changed,
            "tokens": api_tokens_of(session, user),
            "new_token": new_token,
            "title": "Your account",
        },
        status_code=status,
    )


@router.get("/account", summary="Your account")
@requires(Access.VIEWER)
def account_page(
    request: Request, user: CurrentUser, session: SessionDep, changed: bool = False
) -> Response:
    return _account_page(request, user, session, changed=changed)


@router.post("/account/password", summary="Change your password")
@requires(Access.VIEWER)
async def password_change(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    form = await request.form()
    new = form_text(form, "new_password")
    if new != form_text(form, "confirm_password"):
        return _account_page(
            request, user, session, errors=["The two new passwords differ."], status=422
        )
    try:
        change_password(
            session,
            user,
            current=form_text(form, "current_password"),
            new=new,
            keep_session=request.session.get(SESSION_USER_KEY),
        )
    except AccountError as error:
        return _account_page(request, user, session, errors=[str(error)], status=422)
    return RedirectResponse("/account?changed=true", status_code=303)


@router.post("/account/tokens", summary="Make an API token acting as you")
@requires(Access.VIEWER)
async def token_create(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    form = await request.form()
    label = form_text(form, "label").strip()
    if not label:
        return _account_page(
            request, user, session, errors=["Say what the token is for."], status=422
        )
    token = create_api_token(session, user, label=label, actor=user)
    return _account_page(request, user, session, new_token=token, status=201)


@router.post("/account/tokens/{token_id}/revoke", summary="Revoke one of your API tokens")
@requires(Access.VIEWER)
def token_revoke(token_id: int, user: CurrentUser, session: SessionDep) -> Response:
    if not revoke_api_token(session, actor=user, token_id=token_id):
        raise HTTPException(404, "You have no API token with that number.")
    return RedirectResponse("/account", status_code=303)
