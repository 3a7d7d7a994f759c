"""Paragraphs of a body worth reading: boilerplate lines and repeated paragraphs are dropped.

Scraped bodies carry share buttons, "Read also" link lines, newsletter blurbs and
sometimes the same paragraph twice; none of them may yield a statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_LINE = re.compile(r"[^\n]+")

# Lines that are furniture of the page, never reporting: phrases at the line start, and
# phrases that cannot occur in prose anywhere in the line (plain substring tests: fast).
_BOILERPLATE_START = re.compile(
    r"""\s*(?:read\ (?:also|more)|see\ also|related|more\ on\ this|advertisement
        |source(?:\ link)?\s*:|editor\s*:|photo\s*:|click\ here|leave\ a\ comment
        |follow\ (?:us|\w+(?:['’]s)?\ news)|sign\ up|subscribe|share\ this|you\ may\ like
        |all\ news\ articles|trends\ 24h|latest\b|copyright|©)""",
    re.IGNORECASE | re.VERBOSE,
)
_BOILERPLATE_ANYWHERE = (
    "fight censorship",
    "share this post",
    "newsletter",
    "akismet",
    "privacy policy",
    "all rights reserved",
    "we don't spam",
    "we don’t spam",
    "contributed to this report",
    "http://",
    "https://",
)

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int


def is_boilerplate(line: str) -> bool:
    if len(line) >= 400:
        return False
    if _BOILERPLATE_START.match(line) is not None:
        return True
    lowered = line.lower()
    return any(phrase in lowered for phrase in _BOILERPLATE_ANYWHERE)


def paragraphs(body: str) -> Iterator[Paragraph]:
    """Non-empty lines of `body` in order, minus boilerplate and exact repeats."""
    seen: set[str] = set()
    for match in _LINE.finditer(body):
        line = match.group()
        key = _SPACES.sub(" ", line).strip().lower()
        if not key or key in seen or is_boilerplate(line):
            continue
        seen.add(key)
        yield Paragraph(match.start(), match.end())
