"""Accounts in Chromium: an admin invites an editor, who signs in with the one-time
password, changes it, and uploads; signing out closes the pages again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_page
from tests.factories import article_text

pytestmark = pytest.mark.browser


def test_an_invited_editor_signs_in_changes_the_password_and_uploads(
    browser, anonymous_page, live_server
):
    admin = anonymous_page
    sign_in_page(admin, live_server, "admin")
    admin.click("nav >> text=Admin")
    admin.fill("#n-username", "invited.editor")
    admin.select_option("#n-role", "editor")
    admin.click("#invite-form button[type=submit]")
    expect(admin.locator("#account-created")).to_contain_text("invited.editor")
    one_time = admin.locator("#account-created code.secret").text_content().strip()

    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        editor = context.new_page()
        editor.goto(f"{live_server}/upload")
        editor.wait_for_url(re.compile(r"/login\?next=/upload$"))
        editor.fill("#l-username", "invited.editor")
        editor.fill("#l-password", one_time)
        editor.click("#l-submit")
        editor.wait_for_url(f"{live_server}/upload")

        editor.click(".account-name")
        editor.fill("#p-current", one_time)
        editor.fill("#p-new", "my own long secret")
        editor.fill("#p-confirm", "my own long secret")
        editor.click("#password-form button[type=submit]")
        expect(editor.locator("#password-changed")).to_be_visible()

        editor.goto(f"{live_server}/upload")
        editor.fill("#u-text", article_text(speaker="Dmytro Kuleba"))
        editor.click("#u-save")
        editor.wait_for_url(re.compile(r"/articles/\d+\?stored=1$"))
        expect(editor.locator(".notice.success")).to_contain_text("Stored.")

        editor.click("text=Sign out")
        editor.wait_for_url(f"{live_server}/login")
        editor.goto(f"{live_server}/statements")
        editor.wait_for_url(re.compile(r"/login\?next=/statements$"))
    finally:
        context.close()

    admin.goto(f"{live_server}/admin/users")
    history = admin.locator("#history")
    expect(history).to_contain_text("invited.editor")
    expect(history.locator("tr.event-account-password")).to_contain_text("invited.editor")


def test_a_viewer_sees_no_upload_link_and_is_refused_the_page(anonymous_page, live_server):
    sign_in_page(anonymous_page, live_server, "viewer")
    expect(anonymous_page.locator("nav >> text=Upload")).to_have_count(0)
    response = anonymous_page.goto(f"{live_server}/upload")
    assert response.status == 403
    expect(anonymous_page.locator("main")).to_contain_text("needs the editor role")
