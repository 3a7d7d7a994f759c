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


def pages(base: str, first_article: str) -> dict[str, str]:
    return {
        "timeline": f"{base}/statements",
        "timeline-filtered": f"{base}/statements?speaker=sergey-lavrov&from=2022-01-01",
        "article": f"{base}{first_article}",
        "upload": f"{base}/upload",
        "bad-filter": f"{base}/statements?from=2022-02-31",
    }


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        probe = browser.new_page()
        probe.goto(f"{base}/statements?speaker=sergey-lavrov")
        first_article = probe.locator("a.article-link").first.get_attribute("href") or "/"
        first_article = first_article.split("#")[0]
        probe.close()
        for name, url in pages(base, first_article).items():
            for label, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url)
                page.screenshot(path=HERE / f"{name}-{label}.png", full_page=False)
                page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
