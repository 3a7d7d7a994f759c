"""The account administration page: invite with a role, change roles, reset passwords,
deactivate and reactivate; an admin cannot lock themself out."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.services.accounts import user_by_name
from tests.conftest import TEST_PASSWORD
from tests.factories import article_text
from tests.web.test_accounts import sign_in_with_form

SHOWN_PASSWORD = re.compile(r'<code class="secret">([^<]+)</code>')


@pytest.fixture
def admin(app, sign_in):
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "admin")
        yield client


def user_id(session, username: str) -> int:
    return user_by_name(session, username).id


def test_the_page_lists_every_account_with_its_role(admin):
    page = admin.get("/admin/users")
    assert page.status_code == 200
    for role in ("viewer", "editor", "admin"):
        assert f'id="user-{role}"' in page.text
    assert "(you)" in page.text


def test_inviting_someone_shows_a_one_time_password_that_signs_them_in(admin, app):
    response = admin.post("/admin/users", data={"username": "Amina.K", "role": "editor"})
    assert response.status_code == 201
    assert "Created <strong>amina.k</strong>" in response.text
    password = SHOWN_PASSWORD.search(response.text).group(1)
    assert password not in admin.get("/admin/users").text, "the password was shown twice"
    with TestClient(app) as newcomer:
        assert sign_in_with_form(newcomer, "amina.k", password).status_code == 303
        assert newcomer.get("/upload").status_code == 200


def test_an_invitation_with_a_bad_username_is_refused_and_kept_in_the_form(admin, session):
    response = admin.post("/admin/users", data={"username": "no spaces!", "role": "viewer"})
    assert response.status_code == 422
    assert "lowercase letters" in response.text
    assert 'value="no spaces!"' in response.text
    assert user_by_name(session, "no spaces!") is None


def test_promoting_a_viewer_lets_them_upload(admin, app, sign_in, session):
    with TestClient(app, raise_server_exceptions=False) as viewer:
        sign_in(viewer, "viewer")
        assert viewer.post("/upload", data={"text": article_text()}).status_code == 403
        changed = admin.post(
            f"/admin/users/{user_id(session, 'viewer')}/role",
            data={"role": "editor"},
            follow_redirects=False,
        )
        assert changed.status_code == 303
        stored = viewer.post("/upload", data={"text": article_text()}, follow_redirects=False)
        assert stored.status_code == 303


def test_an_unknown_role_is_refused(admin, session):
    response = admin.post(f"/admin/users/{user_id(session, 'viewer')}/role", data={"role": "root"})
    assert response.status_code == 409
    assert "role must be one of" in response.text


def test_an_admin_cannot_demote_or_deactivate_themself(admin, session):
    me = user_id(session, "admin")
    demoted = admin.post(f"/admin/users/{me}/role", data={"role": "viewer"})
    assert demoted.status_code == 409
    assert "your own account" in demoted.text
    deactivated = admin.post(f"/admin/users/{me}/active", data={"active": "false"})
    assert deactivated.status_code == 409
    assert user_by_name(session, "admin").role == "admin"
    assert user_by_name(session, "admin").active


def test_deactivating_signs_the_person_out_and_reactivating_lets_them_back(
    admin, app, sign_in, session
):
    target = user_id(session, "editor")
    with TestClient(app) as editor:
        sign_in(editor, "editor")
        assert (
            admin.post(
                f"/admin/users/{target}/active", data={"active": "false"}, follow_redirects=False
            ).status_code
            == 303
        )
        assert editor.get("/statements", follow_redirects=False).status_code == 303
        assert sign_in_with_form(editor, "editor").status_code == 422
        assert "deactivated" in admin.get("/admin/users").text
        admin.post(f"/admin/users/{target}/active", data={"active": "true"})
        assert sign_in_with_form(editor, "editor").status_code == 303


def test_resetting_a_password_shows_the_new_one_once_and_the_old_one_stops(admin, app, session):
    response = admin.post(f"/admin/users/{user_id(session, 'viewer')}/password")
    assert response.status_code == 200
    password = SHOWN_PASSWORD.search(response.text).group(1)
    with TestClient(app) as viewer:
        assert sign_in_with_form(viewer, "viewer", TEST_PASSWORD).status_code == 422
        assert sign_in_with_form(viewer, "viewer", password).status_code == 303


def test_an_unknown_account_number_is_a_404(admin):
    assert admin.post("/admin/users/999999/role", data={"role": "viewer"}).status_code == 404


def test_a_malformed_account_number_is_a_4xx(admin):
    assert admin.post("/admin/users/abc/role", data={"role": "viewer"}).status_code == 400
