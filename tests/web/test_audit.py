"""The audit log: every account change leaves one row, written with the change, saying
who did what and the values before and after; refused changes leave none."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.cli import cli
from app.models import AuditEvent, User
from app.services.accounts import create_user, user_by_name
from app.services.audit import COMMAND_LINE
from tests.conftest import TEST_PASSWORD
from tests.contract import runner


def events(session, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.execute(query).scalars())


@pytest.fixture
def admin(app, sign_in):
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "admin")
        yield client


def test_each_admin_action_leaves_one_row_with_before_and_after(admin, session):
    viewer = user_by_name(session, "viewer")
    before = len(events(session))
    admin.post("/admin/users", data={"username": "newcomer", "role": "viewer"})
    admin.post(f"/admin/users/{viewer.id}/role", data={"role": "editor"})
    admin.post(f"/admin/users/{viewer.id}/active", data={"active": "false"})
    admin.post(f"/admin/users/{viewer.id}/active", data={"active": "true"})
    admin.post(f"/admin/users/{viewer.id}/password")
    recorded = [
        (e.actor_name, e.action, e.target_label, e.before, e.after)
        for e in events(session)[before:]
    ]
    assert recorded == [
        ("admin", "account.create", "newcomer", None, {"role": "viewer"}),
        ("admin", "account.role", "viewer", {"role": "viewer"}, {"role": "editor"}),
        ("admin", "account.deactivate", "viewer", {"active": True}, {"active": False}),
        ("admin", "account.reactivate", "viewer", {"active": False}, {"active": True}),
        ("admin", "account.password", "viewer", None, None),
    ]


def test_a_password_change_by_its_owner_is_recorded_without_the_password(client, session):
    client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "a brand new secret",
            "confirm_password": "a brand new secret",
        },
    )
    [event] = events(session, "account.password")
    assert (event.actor_name, event.target_label) == ("editor", "editor")
    assert event.before is None and event.after is None


def test_refused_changes_leave_no_row(admin, session):
    me = user_by_name(session, "admin")
    before = len(events(session))
    admin.post(f"/admin/users/{me.id}/role", data={"role": "viewer"})
    admin.post("/admin/users", data={"username": "x", "role": "viewer"})
    admin.post(f"/admin/users/{me.id}/active", data={"active": "false"})
    assert len(events(session)) == before


def test_the_admin_page_shows_the_history(admin, session):
    viewer = user_by_name(session, "viewer")
    admin.post(f"/admin/users/{viewer.id}/role", data={"role": "editor"})
    page = admin.get("/admin/users").text
    assert 'id="history"' in page
    assert "changed the role" in page
    assert "role: viewer" in page and "role: editor" in page


def test_the_command_line_is_named_as_the_actor(cli_database):
    from app.db import make_engine

    result = runner.invoke(cli, ["user", "create", "desk", "--generate-password"])
    assert result.exit_code == 0, result.output
    engine = make_engine(cli_database)
    try:
        with Session(engine) as session:
            [event] = events(session)
    finally:
        engine.dispose()
    assert (event.actor_id, event.actor_name, event.action) == (
        None,
        COMMAND_LINE,
        "account.create",
    )


def test_the_row_is_written_in_the_same_transaction_as_the_change(engine):
    """Postgres's now() is the transaction's start: the account's created_at and its
    audit row's occurred_at are equal only if one transaction wrote both."""
    with Session(engine) as session:
        try:
            user = create_user(
                session, username="same-transaction", password="a long enough secret", role="viewer"
            )
            [event] = [e for e in events(session) if e.target_id == user.id]
            assert event.occurred_at == user.created_at
        finally:
            session.execute(delete(AuditEvent).where(AuditEvent.target_label == "same-transaction"))
            session.execute(delete(User).where(User.username == "same-transaction"))
            session.commit()
