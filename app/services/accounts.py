"""Accounts: users and their roles, password hashing, signed-in sessions, API tokens, and
the pause imposed after repeated failed sign-ins.

Passwords are hashed with argon2id through pwdlib; hashes made with older parameters are
upgraded at the next successful sign-in. Session and API tokens are random strings given
to the browser or the program once; the database keeps only their sha256, so a leaked
copy of the tables cannot be used to sign in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.models import ROLES, ApiToken, LoginFailure, User, UserSession
from app.services.audit import record

ROLE_RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
MIN_PASSWORD_LENGTH = 10
# argon2 hashes any length, but a megabyte "password" would only be a way to burn CPU.
MAX_PASSWORD_LENGTH = 1000
# Failures from one address across all accounts before it is paused too (password spraying).
ADDRESS_FAILURE_FACTOR = 10

_hasher = PasswordHash((Argon2Hasher(),))
# Verified against when the account does not exist, so a wrong username takes as long
# as a wrong password and sign-in timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about accounts that cannot be met; the message is for the person."""


@dataclass(frozen=True)
class LoginThrottledError(Exception):
    """Too many failed sign-ins for this account from this address (or from the address)."""

    retry_after_seconds: int


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_username(raw: str) -> str:
    """Lowercase and trimmed; NUL bytes dropped, as Postgres text cannot hold them (such
    a name matches no account instead of failing the query)."""
    return raw.replace("\x00", "").strip().lower()


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Why a new password is refused (length and the obvious), as sentences; [] if fine."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"A password may have at most {MAX_PASSWORD_LENGTH} characters.")
    if username and password.strip().lower() == username:
        problems.append("The password cannot be the username.")
    return problems


def generate_password() -> str:
    """A random password for a new account, to be shown once and changed by its owner."""
    return secrets.token_urlsafe(12)


def user_by_name(session: Session, username: str) -> User | None:
    return session.execute(
        select(User).where(User.username == normalise_username(username))
    ).scalar_one_or_none()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_count(session: Session) -> int:
    return session.execute(select(func.count(User.id))).scalar_one()


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.username)).scalars())


def create_user(
    session: Session, *, username: str, password: str, role: str, actor: User | None = None
) -> User:
    """A new active account, created by `actor` (None: the command line); AccountError
    says what is wrong with the request."""
    username = normalise_username(username)
    problems = []
    if not USERNAME_PATTERN.fullmatch(username):
        problems.append(
            "A username has 2 to 40 characters: lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or a digit."
        )
    if role not in ROLES:
        problems.append(f"The role must be one of: {', '.join(ROLES)}.")
    problems += password_problems(password, username=username)
    if not problems and user_by_name(session, username) is not None:
        problems.append(f"The username “{username}” is taken.")
    if problems:
        raise AccountError(" ".join(problems))
    user = User(username=username, role=role, password_hash=_hasher.hash(password), active=True)
    session.add(user)
    session.flush()
    record(session, actor=actor, action="account.create", target=user, after={"role": role})
    session.commit()
    return user


def _recent_failures(session: Session, since: datetime, *conditions: object) -> int:
    return session.execute(
        select(func.count(LoginFailure.id)).where(LoginFailure.failed_at >= since, *conditions)
    ).scalar_one()


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    failures_allowed: int,
    window: timedelta,
) -> User | None:
    """The active user with these credentials, or None (and the failure is recorded).

    Raises LoginThrottledError, before looking at the password, when this account has
    failed `failures_allowed` times from this address within `window`, or the address
    ten times that across all accounts.
    """
    username = normalise_username(username)[:200]
    now = datetime.now(UTC)
    since = now - window
    per_account = _recent_failures(
        session, since, LoginFailure.username == username, LoginFailure.address == address
    )
    per_address = _recent_failures(session, since, LoginFailure.address == address)
    if per_account >= failures_allowed or per_address >= failures_allowed * ADDRESS_FAILURE_FACTOR:
        raise LoginThrottledError(retry_after_seconds=int(window.total_seconds()))
    user = user_by_name(session, username)
    password = password[:MAX_PASSWORD_LENGTH]
    if user is None:
        _hasher.verify(password, _DUMMY_HASH)
        valid = False
    else:
        valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
        if valid and new_hash:
            user.password_hash = new_hash
    if not valid or user is None or not user.active:
        session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - 4 * window))
        session.add(LoginFailure(username=username, address=address))
        session.commit()
        return None
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.username == username, LoginFailure.address == address
        )
    )
    user.last_login_at = now
    session.commit()
    return user


def start_session(session: Session, user: User, *, days: int) -> str:
    """A new signed-in session for `user`; returns the token for the cookie (shown once)."""
    token = secrets.token_urlsafe(32)
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.expires_at <= func.now()
        )
    )
    session.add(
        UserSession(
            token_hash=token_digest(token),
            user_id=user.id,
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    session.commit()
    return token


def user_for_session(session: Session, token: str) -> User | None:
    """The active user signed in with this session token, if it is current."""
    return session.execute(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == token_digest(token),
            UserSession.expires_at > func.now(),
            User.active,
        )
    ).scalar_one_or_none()


def end_session(session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == token_digest(token)))
    session.commit()


def end_sessions(session: Session, user: User, *, keep: str | None = None) -> None:
    """Sign `user` out everywhere, except the session whose token is `keep`."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        statement = statement.where(UserSession.token_hash != token_digest(keep))
    session.execute(statement)


def change_password(
    session: Session, user: User, *, current: str, new: str, keep_session: str | None
) -> None:
    """Set a new password after checking the current one; other sessions are signed out,
    so a change made because of a leak locks out whoever had it."""
    if not _hasher.verify(current[:MAX_PASSWORD_LENGTH], user.password_hash):
        raise AccountError("The current password is not right.")
    problems = password_problems(new, username=user.username)
    if problems:
        raise AccountError(" ".join(problems))
    set_password(session, user, new, keep_session=keep_session, actor=user)


def set_password(
    session: Session, user: User, password: str, *, keep_session: str | None, actor: User | None
) -> None:
    """Replace the password (by its owner, an admin, or the command line when `actor` is
    None) and end the other sessions and the API tokens. The audit row says who, never
    what: no hash is copied into the log."""
    record(session, actor=actor, action="account.password", target=user)
    user.password_hash = _hasher.hash(password)
    user.password_changed_at = datetime.now(UTC)
    end_sessions(session, user, keep=keep_session)
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    session.commit()


def create_api_token(session: Session, user: User, *, label: str, actor: User | None = None) -> str:
    """A new API token acting as `user`; returns it (shown once, only its hash is kept)."""
    token = "dm_" + secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=token_digest(token), user_id=user.id, label=label[:200]))
    record(
        session, actor=actor, action="account.api_token", target=user, after={"label": label[:200]}
    )
    session.commit()
    return token


def user_for_api_token(session: Session, token: str) -> User | None:
    """The active owner of an API token; records when the token was last used."""
    row = session.execute(
        select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_digest(token), User.active)
    ).one_or_none()
    if row is None:
        return None
    session.execute(
        update(ApiToken).where(ApiToken.id == row.ApiToken.id).values(last_used_at=func.now())
    )
    session.commit()
    return row.User


def _not_oneself(actor: User, user: User) -> None:
    """An admin never demotes or deactivates themself, so the last admin cannot lock
    everyone out of account management (another admin may do it)."""
    if user.id == actor.id:
        raise AccountError("You cannot demote or deactivate your own account; ask another admin.")


def set_role(session: Session, *, actor: User, user: User, role: str) -> None:
    """Give `user` another role (by an admin, `actor`)."""
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
    if role == user.role:
        return
    _not_oneself(actor, user)
    record(
        session,
        actor=actor,
        action="account.role",
        target=user,
        before={"role": user.role},
        after={"role": role},
    )
    user.role = role
    session.commit()


def set_active(session: Session, *, actor: User, user: User, active: bool) -> None:
    """Deactivate (signing out everywhere, revoking API tokens) or reactivate `user`."""
    if active == user.active:
        return
    if not active:
        _not_oneself(actor, user)
        end_sessions(session, user)
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    record(
        session,
        actor=actor,
        action="account.reactivate" if active else "account.deactivate",
        target=user,
        before={"active": user.active},
        after={"active": active},
    )
    user.active = active
    session.commit()


def reset_password(session: Session, *, actor: User, user: User) -> str:
    """A new random password for `user` (shown once to the admin); their sessions end."""
    password = generate_password()
    set_password(session, user, password, keep_session=None, actor=actor)
    return password


def api_tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.execute(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        ).scalars()
    )


def revoke_api_token(session: Session, *, actor: User, token_id: int) -> bool:
    """Delete one of `actor`'s own tokens; False when they have no such token."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        return False
    record(
        session,
        actor=actor,
        action="account.api_token_revoked",
        target=actor,
        before={"label": token.label},
    )
    session.delete(token)
    session.commit()
    return True
