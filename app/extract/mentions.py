"""The noun phrase that names a speaker next to a reporting cue, found by shape alone.

"as Russian Foreign Minister Sergey Lavrov stressed on Monday" gives
"Russian Foreign Minister Sergey Lavrov"; ", added the head of Russian diplomacy" gives
"the head of Russian diplomacy". Whether the phrase is a known speaker is for `speakers`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[^\W_][\w’'.\-]*")
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "one", "two"})
_CONNECTORS = frozenset({"of", "for", "to", "in", "on", "and"})
# Lowercase words that belong inside a speaker phrase: role nouns and their modifiers.
ROLE_WORDS = frozenset(
    [
        "minister",
        "ministers",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "envoy",
        "ambassador",
        "diplomat",
        "diplomats",
        "official",
        "officials",
        "chief",
        "head",
        "leader",
        "president",
        "premier",
        "chancellor",
        "adviser",
        "advisor",
        "representative",
        "counterpart",
        "deputy",
        "foreign",
        "defense",
        "defence",
        "top",
        "senior",
        "state",
        "press",
        "prime",
        "general",
        "ministry",
        "department",
        "office",
        "service",
        "diplomacy",
        "affairs",
        "security",
        "national",
        "council",
        "aide",
        "negotiator",
        "commander",
        "director",
        "government",
        "administration",
        "spokesmen",
        "deputies",
        "former",
        "acting",
        "associate",
        "military",
        "permanent",
        "special",
        "then-president",
        "vice",
        "undersecretary",
        "under",
        "assistant",
        "first",
        "supreme",
        "chairman",
        "spokespeople",
        "source",
        "sources",
        "member",
        "members",
        "lawmaker",
        "lawmakers",
        "senator",
        "analyst",
        "expert",
        "experts",
        "journalist",
        "journalists",
        "media",
        "delegation",
        "agency",
    ]
)
_SENTENCE_ADVERBS = frozenset(
    [
        "then",
        "but",
        "and",
        "however",
        "meanwhile",
        "also",
        "later",
        "so",
        "thus",
        "now",
        "earlier",
        "still",
        "yet",
        "in",
        "on",
        "at",
        "after",
        "when",
        "while",
        "as",
        "if",
        "but",
        "separately",
        "instead",
        "moreover",
        "furthermore",
    ]
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_TRAILING_ADVERBIAL = re.compile(
    r"(?:\s+(?:has|have|had|also|further|then|later|again|once\s+again|repeatedly|reportedly"
    r"|previously|earlier|initially|subsequently|today|yesterday|separately|publicly"
    r"|on\s+" + _WEEKDAY + r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|on\s+" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?|this\s+week|last\s+week))+\s*$"
)


# No speaker phrase is longer than this many characters; looking further only costs time.
_LONGEST = 160


def noun_phrase_before(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker-shaped phrase ending at `hi` (a cue's start), not reaching before `lo`."""
    lo = max(lo, hi - _LONGEST)
    stripped = _TRAILING_ADVERBIAL.search(text, lo, hi)
    if stripped is not None:
        hi = stripped.start()
    tokens = [m.span() for m in _TOKEN.finditer(text, lo, hi)]
    taken: list[tuple[int, int]] = []
    for index in range(len(tokens) - 1, -1, -1):
        start, end = tokens[index]
        gap_end = taken[0][0] if taken else hi
        if text[end:gap_end].strip():
            break
        word = text[start:end]
        lower = word.lower()
        if not taken and lower in _PRONOUNS:
            return (start, end)
        if lower in _CONNECTORS:
            if not taken or not _np_word(text[taken[0][0] : taken[0][1]]):
                break
        elif not _np_word(word):
            break
        taken.insert(0, (start, end))
    while taken and text[taken[0][0] : taken[0][1]].lower() in _CONNECTORS:
        taken.pop(0)
    if not taken:
        return None
    return (taken[0][0], taken[-1][1])


def noun_phrase_after(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker-shaped phrase starting at `lo` (just after a cue): "said Lavrov"."""
    # Tokens are read lazily, one ahead: a phrase is a few words, the window ~25.
    tokens = _TOKEN.finditer(text, lo, min(hi, lo + _LONGEST))
    taken: list[tuple[int, int]] = []
    following = next(tokens, None)
    while following is not None:
        start, end = following.span()
        following = next(tokens, None)
        gap_start = taken[-1][1] if taken else lo
        if text[gap_start:start].strip():
            break
        word = text[start:end]
        lower = word.lower()
        if not taken and lower in _PRONOUNS:
            return (start, end)
        if lower in _CONNECTORS:
            if not taken or following is None or not text[following.start()].isupper():
                break
        elif not _np_word(word) or (not taken and lower in _SENTENCE_ADVERBS):
            break
        taken.append((start, end))
    while taken and text[taken[-1][0] : taken[-1][1]].lower() in _TRAILING_FILLER:
        taken.pop()
    if not taken:
        return None
    end = taken[-1][1]
    if text[end - 1] == "." and text.count(".", taken[-1][0], end) == 1:
        end -= 1  # "according to Lavrov." ends the sentence, "U.S." keeps its dots
    return (taken[0][0], end)


_TRAILING_FILLER = _CONNECTORS | _DETERMINERS


@lru_cache(maxsize=16384)
def _np_word(word: str) -> bool:
    """Whether a word may belong to a speaker phrase (cached: names recur)."""
    lower = word.lower().rstrip(".")
    if lower in _SENTENCE_ADVERBS or lower in _PRONOUNS:
        return False
    if lower in _DETERMINERS or lower in ROLE_WORDS:
        return True
    base = lower.removesuffix("’s").removesuffix("'s")
    return word[0].isupper() or base in ROLE_WORDS
