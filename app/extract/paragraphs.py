"""Paragraphs of a body worth reading: the lines ingest does not mark as noise.

Scraped bodies carry share buttons, "Read also" link lines, newsletter blurbs, captions
and sometimes the same paragraph twice; none of them may yield a statement. What counts
as noise is decided once, in `app.ingest.noise`, so the upload preview shows exactly
what extraction skips.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.ingest.noise import noise_lines

_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int


def paragraphs(body: str) -> Iterator[Paragraph]:
    """Non-empty lines of `body` in order, minus noise and repeated paragraphs."""
    skipped = {start for start, _, _ in noise_lines(body)}
    for match in _LINE.finditer(body):
        if match.start() not in skipped and match.group().strip():
            yield Paragraph(match.start(), match.end())
