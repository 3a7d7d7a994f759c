"""The About facet in a browser: ticking an entity narrows the timeline and the address."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_upload_to_shared_url import upload

pytestmark = pytest.mark.browser

EU_QUOTE = "Brussels has chosen to follow every instruction it receives from across the ocean"
OTHER_QUOTE = "Our partners in the region will hear our answer in good time"


def test_ticking_an_entity_narrows_the_timeline_and_proposals_keep_the_view(page, live_server):
    upload(
        page,
        live_server,
        text=(
            "Zakharova on the bloc\n\n"
            "Russian Foreign Ministry spokeswoman Maria Zakharova briefed reporters.\n\n"
            f"\u201c{EU_QUOTE},\u201d Zakharova said.\n\n"
            f"\u201c{OTHER_QUOTE},\u201d she added."
        ),
        outlet="TASS",
        published="2022-03-03",
    )
    page.goto(f"{live_server}/statements?speaker=maria-zakharova")
    expect(page.locator("#results")).to_contain_text(OTHER_QUOTE)

    page.check("#f-about-eu")
    page.wait_for_url(re.compile(r"speaker=maria-zakharova&about=eu$"))
    expect(page.locator("#results h1")).to_have_text("Statements by Maria Zakharova about the EU")
    expect(page.locator("#results")).to_contain_text(EU_QUOTE)
    expect(page.locator("#results")).not_to_contain_text(OTHER_QUOTE)

    page.click("#result-count a")
    page.wait_for_url(re.compile(r"/proposed-themes\?speaker=maria-zakharova&about=eu$"))
    expect(page.locator("#proposals-scope")).to_contain_text(
        "Statements by Maria Zakharova about the EU without a curated theme"
    )
