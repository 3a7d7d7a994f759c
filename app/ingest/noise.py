"""Lines of a body that are page furniture, not reporting: found, never removed.

The stored body stays as it was received (statement offsets point into it); these
spans are shown struck out in the preview and skipped by extraction. Each span is a
whole line with a short reason: share and subscribe buttons, "Read also" links,
comment forms, newsletter blurbs, site footers, photo captions, advertisements,
bare links, and paragraphs that repeat an earlier one.

The patterns are a superset of `app.extract.paragraphs.is_boilerplate`: every line it
drops is reported here too (a test checks this on the shared corpus when present).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Furniture is short; a long paragraph that mentions a newsletter is reporting.
MAX_NOISE_LINE = 400

_SHARE_WORDS = (
    "share this post", "facebook", "twitter", "whatsapp", "telegram", "linkedin", "email",
    "print",
)  # fmt: skip


class _Rule(NamedTuple):
    """A kind of furniture: its pattern, anchored at the line's start (`^`) or floating,
    and the words (folded) one of which every floating match holds."""

    reason: str
    pattern: re.Pattern[str]
    words: tuple[str, ...] = ()


_RULES: list[_Rule] = [
    _Rule(
        "share or follow prompt",
        re.compile(
            r"""^\s*(?:share\ this|share\ on\ |share\s*$|tweet\s*$|follow\ (?:us|\w+(?:['’]s)?\ news)
            |like\ us\ on|join\ us\ on|fight\ censorship|click\ here|you\ may\ like
            |now\ you\ can\ see\ non-english\ news)
            |share\ this\ post|(?:facebook|twitter|whatsapp|telegram|linkedin|email|print)
              (?:\s*[|·•,]\s*(?:facebook|twitter|whatsapp|telegram|linkedin|email|print|x))+\s*$""",
            re.IGNORECASE | re.VERBOSE,
        ),
        _SHARE_WORDS,
    ),
    _Rule(
        "subscription or newsletter",
        re.compile(
            r"""^\s*(?:sign\ up|subscribe)|newsletter|we\ don['’]t\ spam
            |get\ (?:our|the)\ (?:latest|best)\ .{0,40}\ (?:in|to)\ your\ inbox""",
            re.IGNORECASE | re.VERBOSE,
        ),
        ("newsletter", "spam", "inbox"),
    ),
    _Rule(
        "link to another article",
        re.compile(
            r"""^\s*(?:read\ (?:also|more)|see\ also|related|more\ on\ this|also\ read
            |recommended|most\ read|latest\b|trends\ 24h|all\ news\ articles|more\ from\ )""",
            re.IGNORECASE | re.VERBOSE,
        ),
    ),
    _Rule(
        "comment form",
        re.compile(
            r"""^\s*(?:leave\ a\ (?:comment|reply)|post\ comment|\d+\s+comments?\s*$|comments?\s*$
            |add\ a\ comment|show\ comments)|your\ email\ address\ will\ not\ be\ published
            |akismet|required\ fields\ are\ marked""",
            re.IGNORECASE | re.VERBOSE,
        ),
        ("email", "akismet", "required fields"),
    ),
    _Rule(
        "caption or credit",
        re.compile(
            r"""^\s*(?:photo|image|picture|video|file\ photo|caption)\s*(?::|by\b)
            |^\s*\((?:photo|image)\b[^)]*\)\s*$|\b(?:getty\ images|afp\ photo|ap\ photo|reuters/)
            |^\s*(?:editor|source(?:\ link)?)\s*:""",
            re.IGNORECASE | re.VERBOSE,
        ),
        ("getty images", "afp photo", "ap photo", "reuters/"),
    ),
    _Rule(
        "site footer",
        re.compile(
            r"""^\s*(?:copyright|©|terms\ of\ (?:use|service)|cookie)|privacy\ policy
            |all\ rights\ reserved|contributed\ to\ this\ report""",
            re.IGNORECASE | re.VERBOSE,
        ),
        ("privacy policy", "all rights reserved", "contributed to this report"),
    ),
    _Rule(
        "advertisement", re.compile(r"^\s*(?:advertisement|sponsored|promoted)\b", re.IGNORECASE)
    ),
    _Rule("bare link", re.compile(r"https?://", re.IGNORECASE), ("://",)),
]
# A cheap test every rule above implies, so that most lines (reporting) skip the eight
# searches: how an anchored rule's line may start, and a word each floating rule needs.
_MAY_START = re.compile(
    r"""\s*(?:share|tweet|follow|like\ us|join\ us|fight|click|you\ may|now\ you|sign\ up
    |subscribe|read|see\ also|related|more\ |also\ read|recommended|most\ read|latest|trends
    |all\ news|leave\ a|post\ comment|\d|comment|add\ a|show\ comments|photo|image|picture
    |video|file\ photo|caption|\(|editor|source|copyright|©|terms\ of|cookie|advertisement
    |sponsored|promoted)""",
    re.IGNORECASE | re.VERBOSE,
)
_MAY_CONTAIN = tuple(dict.fromkeys(word for rule in _RULES for word in rule.words))
_LINE = re.compile(r"[^\n]+")


def noise_reason(line: str) -> str | None:
    """Why a single line is furniture, or None when it may be reporting."""
    return _reason(line, _MAY_CONTAIN)


def _reason(line: str, may_contain: tuple[str, ...]) -> str | None:
    """`noise_reason`, testing only the words of `may_contain` for the floating rules."""
    if len(line) >= MAX_NOISE_LINE:
        return None
    starts = _MAY_START.match(line) is not None
    if not starts and not may_contain:
        return None
    folded = line.casefold() if may_contain else ""
    if not any(word in folded for word in may_contain):
        if not starts:
            return None
        # Only the rules' anchored parts can match a line without a floating rule's
        # word, and only at its start: `match` fails there at once where `search` would
        # try every position of the line.
        for reason, pattern, _ in _RULES:
            if pattern.match(line):
                return reason
        return None
    # The same, rule by rule: a reporting line that names "Telegram" or an email is
    # searched by the one or two rules with that word, not by all eight.
    for reason, pattern, words in _RULES:
        if any(word in folded for word in words):
            if pattern.search(line):
                return reason
        elif starts and pattern.match(line):
            return reason
    return None


def noise_lines(body: str) -> list[tuple[int, int, str]]:
    """(start, end, reason) of every line the pipeline ignores, as offsets into `body`.

    A paragraph seen before (whitespace and case folded) is "repeated paragraph"; its
    first occurrence is kept.
    """
    return [(start, end, reason) for start, end, reason in classify_lines(body) if reason]


def classify_lines(body: str) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, reason) of every line of `body` that is not blank, the reason None
    for a line of reporting: one pass that gives extraction its paragraphs and the
    preview its noise."""
    seen: set[str] = set()
    # Case folding works letter by letter, so a word found in no line of the folded body
    # is found in no folded line: most bodies rule out every floating rule's word here,
    # once, instead of line by line.
    folded = body.casefold()
    may_contain = tuple(word for word in _MAY_CONTAIN if word in folded)
    # When no letter folds to several, the folded body's offsets are the body's: the
    # lines holding one of those words are known from where they were found, and the
    # others skip folding and searching themselves.
    holding = _lines_holding(folded, may_contain) if len(folded) == len(body) else None
    for match in _LINE.finditer(body):
        line = match.group()
        key = _paragraph_key(line)
        if not key:
            continue
        if holding is None or match.start() in holding:
            reason = _reason(line, may_contain)
        else:
            reason = _reason(line, ())
        if reason is None and key in seen:
            reason = "repeated paragraph"
        seen.add(key)
        yield match.start(), match.end(), reason


def _paragraph_key(line: str) -> str:
    """The line with its whitespace runs folded to one space (as `\\s+` would) and its
    case folded: what makes two paragraphs the same. Most lines are written with single
    spaces and no other whitespace (`isprintable` is False for every whitespace character
    but the space), and then only the case is folded: splitting and joining a line's words
    cost several times that."""
    if line.isprintable() and "  " not in line and line[0] != " " and line[-1] != " ":
        return line.casefold()
    return " ".join(line.split()).casefold()


def _lines_holding(folded: str, words: tuple[str, ...]) -> set[int]:
    """Where the lines of `folded` that hold one of `words` start (no word holds a line
    break)."""
    starts: set[int] = set()
    for word in words:
        at = folded.find(word)
        while at >= 0:
            starts.add(folded.rfind("\n", 0, at) + 1)
            at = folded.find(word, at + len(word))
    return starts
