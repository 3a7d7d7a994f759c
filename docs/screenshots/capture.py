"""Capture the pages of a running Démarche in Chromium at desktop and phone widths.

Usage: python docs/screenshots/capture.py http://127.0.0.1:8000
Writes PNGs beside this file; look at every one before committing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = {"1280": (1280, 900), "390": (390, 844)}


PREVIEW_TEXT = (
    "date 2023-06-02 https://www.reuters.com/world/oslo-talks-2023-06-02/\n"
    "Ministers compare notes in Oslo\n\n"
    "Fight Censorship, Share This Post!\n\n"
    "Norwegian officials hosted the meeting on Friday.\n\n"
    "\u201cWe came to listen before we speak,\u201d Antony Blinken said in Oslo, adding that "
    "Washington wanted a quick answer.\n\nRead also: Earlier talks in Bern"
)


def pages(base: str, first_article: str) -> dict[str, str]:
    return {
        "overview": f"{base}/",
        "timeline": f"{base}/statements",
        "timeline-by-theme": f"{base}/statements?chart=theme",
        "speakers": f"{base}/speakers",
        "speaker": f"{base}/speakers/sergey-lavrov",
        "outlets": f"{base}/outlets",
        "outlet": f"{base}/outlets/reuters",
        "themes": f"{base}/themes",
        "theme": f"{base}/themes/negotiations-and-peace-talks",
        "not-found": f"{base}/speakers/no-such-person",
        "timeline-filtered": f"{base}/statements?speaker=sergey-lavrov&from=2022-01-01",
        "article": f"{base}{first_article}",
        "upload": f"{base}/upload",
        "bad-filter": f"{base}/statements?from=2022-02-31",
        "imports": f"{base}/imports",
        "import-job": f"{base}/imports/1",
        "views": f"{base}/views",
        "search": f'{base}/search?q="security guarantees" -sanctions',
        "timeline-about": f"{base}/statements?speaker=sergey-lavrov&about=nato",
        "proposed-themes": f"{base}/proposed-themes",
    }


def capture_preview(browser, base: str, label: str, size: tuple[int, int]) -> None:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{base}/upload")
    page.fill("#u-text", PREVIEW_TEXT)
    page.click("#u-preview")
    page.wait_for_selector("#preview")
    page.screenshot(path=HERE / f"upload-preview-{label}.png", full_page=False)
    page.close()


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        probe = browser.new_page()
        probe.goto(f"{base}/statements?speaker=sergei-ryabkov&from=2022-01-13&to=2022-01-13")
        first_article = probe.locator("a.article-link").first.get_attribute("href") or "/"
        first_article = first_article.split("#")[0]
        probe.close()
        for label, (width, height) in WIDTHS.items():
            for name, url in pages(base, first_article).items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url)
                page.screenshot(path=HERE / f"{name}-{label}.png", full_page=False)
                page.close()
            capture_preview(browser, base, label, (width, height))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
