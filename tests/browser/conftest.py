"""Browser fixtures: the real app served by uvicorn on loopback, and Debian's Chromium.

The server runs in a thread of the test process against a database of its own, with
committed data, because the browser talks to it over real HTTP.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.settings import Settings
from tests.conftest import TEST_PASSWORD
from tests.live import live_app

CHROMIUM = Path(os.environ.get("DEMARCHE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_server(make_database) -> Iterator[str]:
    with live_app(
        make_database,
        "browser",
        Settings(database_url=None, max_article_bytes=200_000),
        password=TEST_PASSWORD,
    ) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def sign_in_page(page, live_server: str, username: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{live_server}/login")
    page.fill("#l-username", username)
    page.fill("#l-password", TEST_PASSWORD)
    page.click("#l-submit")
    page.wait_for_selector(".account-name >> text=" + username)


@pytest.fixture
def anonymous_page(browser):
    """A browser tab of a visitor who has not signed in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page(anonymous_page, live_server):
    """A browser tab signed in as an editor."""
    sign_in_page(anonymous_page, live_server, "editor")
    return anonymous_page
