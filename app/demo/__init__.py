"""The built-in demo corpus: articles written for the project in the style of real reporting.

`serve --demo` (and the first start on an empty database) loads these, plus the real
sample articles from the shared folder when it is present beside the checkout.
"""

from pathlib import Path

DEMO_ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
