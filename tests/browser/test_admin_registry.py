"""The registry in Chromium: an admin gives a speaker a new alias on the admin page, an
article uploaded next is attributed to that speaker under the alias, and reverting the
edit from the entry's history takes the alias away again."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from app.settings import Settings
from tests.browser.conftest import sign_in_page
from tests.browser.test_upload_to_shared_url import upload
from tests.conftest import TEST_PASSWORD
from tests.live import live_app

pytestmark = pytest.mark.browser

QUOTE = "We will wait for a written answer before any further round"


@pytest.fixture(scope="module")
def registry_server(make_database) -> Iterator[str]:
    """A live server with a database of its own: the test changes the registry."""
    with live_app(
        make_database, "registry", Settings(database_url=None), password=TEST_PASSWORD
    ) as base:
        yield base


def test_an_admin_adds_an_alias_the_next_upload_is_attributed_by_it_and_a_revert_undoes_it(
    anonymous_page, registry_server
):
    base, page = registry_server, anonymous_page
    sign_in_page(page, base, "admin")
    page.goto(f"{base}/admin/speakers?q=Lavrov")
    page.click("#entry-sergey-lavrov a")
    aliases = page.locator("#r-aliases")
    aliases.fill(aliases.input_value() + "\nOld Bear")
    page.click("#save-entry")
    history = page.locator("#history .history-event").first
    expect(history).to_contain_text("edit")
    expect(history).to_contain_text("Old Bear")
    upload(
        page,
        base,
        text=(
            "Moscow sets its terms\n\n"
            "The talks in Geneva ended on Friday without a date for the next round.\n\n"
            f"\u201c{QUOTE},\u201d Old Bear said."
        ),
        outlet="TASS",
        published="2022-02-04",
    )
    statement = page.locator("mark.statement").first
    expect(statement).to_be_visible()
    page.goto(f"{base}/statements?speaker=sergey-lavrov&q=further+round")
    expect(page.locator("body")).to_contain_text(QUOTE)
    page.goto(f"{base}/admin/speakers/sergey-lavrov")
    page.locator("#history .history-event").first.get_by_role("button", name="Revert").click()
    expect(page.locator("#history .history-event").first).to_contain_text("registry revert")
    expect(page.locator("#r-aliases")).not_to_have_value(re.compile("Old Bear"))
