"""Paragraphs of a body worth reading: the lines ingest does not mark as noise.

Scraped bodies carry share buttons, "Read also" link lines, newsletter blurbs, captions
and sometimes the same paragraph twice; none of them may yield a statement. What counts
as noise is decided once, in `app.ingest.noise`, so the upload preview shows exactly
what extraction skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from app.ingest.noise import classify_lines


class Paragraph(NamedTuple):
    start: int
    end: int


def paragraphs(body: str) -> Iterator[Paragraph]:
    """Non-empty lines of `body` in order, minus noise and repeated paragraphs."""
    for start, end, reason in classify_lines(body):
        if reason is None:
            yield Paragraph(start, end)
