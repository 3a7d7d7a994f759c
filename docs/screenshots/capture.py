"""Capture the pages of a running Démarche in Chromium at desktop and phone widths.

Usage: python docs/screenshots/capture.py http://127.0.0.1:8000 [USERNAME PASSWORD [ONLY]]
Signs in as USERNAME (default admin, the account `serve` creates on first start) and
writes PNGs beside this file; look at every one before committing it. ONLY, a
comma-separated list of names ("review,statement-history"), captures just those.

Take them from a fresh `demarche serve --demo` with `DEMARCHE_SHARED_DIR` pointing at a
folder without samples, so the pictures show only the demo articles we wrote. The
import-job picture comes from importing three demo articles through the bulk form; the
editorial shots correct the first statement of the review queue, so the history has a
change to show: run them against a demo database, not a real one.
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


def pages(base: str, first_article: str, job: str) -> dict[str, str]:
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
        "import-job": job,
        "views": f"{base}/views",
        "search": f'{base}/search?q="security guarantees" -sanctions',
        "timeline-about": f"{base}/statements?speaker=sergey-lavrov&about=nato",
        "proposed-themes": f"{base}/proposed-themes",
        "account": f"{base}/account",
        "admin-users": f"{base}/admin/users",
        "admin-speakers": f"{base}/admin/speakers",
        "admin-speaker": f"{base}/admin/speakers/sergey-lavrov",
        "admin-outlets": f"{base}/admin/outlets",
        "admin-outlet": f"{base}/admin/outlets/reuters",
        "admin-themes": f"{base}/admin/themes",
        "admin-theme": f"{base}/admin/themes/sanctions",
        "share-links": f"{base}/share",
    }


def capture_preview(context, base: str, label: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/upload")
    page.fill("#u-text", PREVIEW_TEXT)
    page.click("#u-preview")
    page.wait_for_selector("#preview")
    page.screenshot(path=HERE / f"upload-preview-{label}.png", full_page=False)
    page.close()


def start_import(context, base: str) -> str:
    """Import three demo articles through the bulk form; returns the job page's address."""
    demo = sorted((HERE.parent.parent / "app" / "demo" / "articles").glob("*.txt"))[:3]
    page = context.new_page()
    page.goto(f"{base}/imports")
    page.set_input_files("input[type=file]", [str(path) for path in demo])
    page.click("form.upload-form button[type=submit]")
    page.wait_for_url("**/imports/*")
    page.wait_for_selector('#job-status:text("done")', timeout=60_000)
    job = page.url
    page.close()
    return job


def capture_editorial(context, base: str, label: str, only: set[str] | None) -> None:
    """The review queue, then a statement's history after correcting its speaker there."""
    page = context.new_page()
    page.goto(f"{base}/review")
    if only is None or "review" in only:
        page.screenshot(path=HERE / f"review-{label}.png", full_page=False)
    if only is not None and "statement-history" not in only:
        page.close()
        return
    item = page.locator(".review-item").first
    statement = (item.get_attribute("id") or "").removeprefix("review-s")
    item.locator("summary", has_text="Correct").click()
    item.locator("input[name=speaker]").fill("Sergei Ryabkov")
    item.locator("select[name=kind]").select_option("indirect")
    item.locator("button", has_text="Save correction").click()
    page.wait_for_selector(f"#review-s{statement} .notice")
    page.goto(f"{base}/statements/{statement}")
    page.locator("#history").scroll_into_view_if_needed()
    page.screenshot(path=HERE / f"statement-history-{label}.png", full_page=False)
    page.close()


def sign_in(context, base: str, username: str, password: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#l-username", username)
    page.fill("#l-password", password)
    page.click("#l-submit")
    page.wait_for_selector(".account-name")
    page.close()


def main(base: str, username: str, password: str, only: set[str] | None = None) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, (width, height) in WIDTHS.items():
            if only is None or "login" in only:
                anonymous = browser.new_context(viewport={"width": width, "height": height})
                page = anonymous.new_page()
                page.goto(f"{base}/login")
                page.screenshot(path=HERE / f"login-{label}.png", full_page=False)
                anonymous.close()
            context = browser.new_context(viewport={"width": width, "height": height})
            sign_in(context, base, username, password)
            probe = context.new_page()
            probe.goto(f"{base}/statements?speaker=sergey-lavrov")
            first_article = probe.locator("a.article-link").first.get_attribute("href") or "/"
            first_article = first_article.split("#")[0]
            probe.close()
            job = start_import(context, base)
            for name, url in pages(base, first_article, job).items():
                if only is not None and name not in only:
                    continue
                page = context.new_page()
                page.goto(url)
                page.screenshot(path=HERE / f"{name}-{label}.png", full_page=False)
                page.close()
            if only is None or "upload-preview" in only:
                capture_preview(context, base, label)
            capture_editorial(context, base, label, only)
            context.close()
        browser.close()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        arguments[0] if arguments else "http://127.0.0.1:8000",
        arguments[1] if len(arguments) > 1 else "admin",
        arguments[2] if len(arguments) > 2 else "",
        set(arguments[3].split(",")) if len(arguments) > 3 else None,
    )
