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
# The words before a cue that may make a phrase: tokens (`_TOKEN`) with only whitespace
# between them, matched in one C-level pass on the reversed text, where a token ends with
# its first letter (it runs to the end of `_TOKEN`'s run of characters). A phrase is a
# few words: the last `_FEW` are read, and the rest only when all of them fit.
_FEW = 6
_TOKEN_BEFORE = r"[\w’'.\-]*[^\W_]"
_FEW_BEFORE = re.compile(rf"\s*({_TOKEN_BEFORE}(?:\s+{_TOKEN_BEFORE}){{0,{_FEW - 1}}})")
_RUN_BEFORE = re.compile(rf"\s*({_TOKEN_BEFORE}(?:\s+{_TOKEN_BEFORE})*)")
_MORE = (-1, -1)  # the words read so far all fit: read the rest of the run
# Every word `_TRAILING_ADVERBIAL` can end with, for a test that spares most searches.
_ADVERBIAL_ENDS = (
    "has", "have", "had", "also", "further", "then", "later", "again", "repeatedly",
    "reportedly", "previously", "earlier", "initially", "subsequently", "today", "yesterday",
    "separately", "publicly", "day", "morning", "afternoon", "evening", "night", "week",
    *"0123456789", "st", "nd", "rd", "th",
)  # fmt: skip


def _trailing_adverbial(text: str, lo: int, hi: int) -> int | None:
    """Where `_TRAILING_ADVERBIAL` starts in text[lo:hi], if it is there."""
    end = hi
    while end > lo and text[end - 1].isspace():
        end -= 1
    if not text.endswith(_ADVERBIAL_ENDS, lo, end):
        return None  # the search would scan the whole window to find nothing
    stripped = _TRAILING_ADVERBIAL.search(text, lo, hi)
    return stripped.start() if stripped is not None else None


def noun_phrase_before(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker-shaped phrase ending at `hi` (a cue's start), not reaching before `lo`."""
    lo = max(lo, hi - _LONGEST)
    adverbial = _trailing_adverbial(text, lo, hi)
    if adverbial is not None:
        hi = adverbial
    backwards = text[lo:hi][::-1]
    found = _phrase_before(text, lo, hi, _FEW_BEFORE.match(backwards), whole=False)
    if found is _MORE:
        found = _phrase_before(text, lo, hi, _RUN_BEFORE.match(backwards), whole=True)
    return found


def _phrase_before(text, lo, hi, run, *, whole: bool) -> tuple[int, int] | None:
    if run is None:
        return None  # no word right before the cue
    end = hi - run.start(1)
    words = text[hi - run.end(1) : end].split()
    if not whole and len(words) < _FEW:
        whole = True  # the run was read to its end
    taken: list[tuple[int, int]] = []  # right to left
    for index, word in enumerate(reversed(words)):
        if index == _FEW - 1 and not whole:
            return _MORE
        start = text.rfind(word, lo, end) if taken else end - len(word)
        end = start + len(word)
        lower = word.lower()
        if not taken and lower in _PRONOUNS:
            return (start, end)
        if lower in _CONNECTORS:
            if not taken or not _np_word(text[taken[-1][0] : taken[-1][1]]):
                break
        elif not _np_word(word):
            break
        taken.append((start, end))
        end = start
    while taken and text[taken[-1][0] : taken[-1][1]].lower() in _CONNECTORS:
        taken.pop()
    if not taken:
        return None
    return (taken[-1][0], taken[0][1])


def noun_phrase_after(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker-shaped phrase starting at `lo` (just after a cue): "said Lavrov"."""
    # Tokens are read lazily: a phrase is a few words, often one ("He"); the word after
    # one is read early only after a connector, which needs a capital to follow.
    tokens = _TOKEN.finditer(text, lo, min(hi, lo + _LONGEST))
    taken: list[tuple[int, int]] = []
    gap_start = lo
    token = next(tokens, None)
    while token is not None:
        start, end = token.span()
        if start != gap_start and text[gap_start:start].strip():
            break
        word = text[start:end]
        lower = word.lower()
        if not taken and lower in _PRONOUNS:
            return (start, end)
        if lower in _CONNECTORS:
            token = next(tokens, None)
            if not taken or token is None or not text[token.start()].isupper():
                break
        elif not _np_word(word) or (not taken and lower in _SENTENCE_ADVERBS):
            break
        else:
            token = next(tokens, None)
        taken.append((start, end))
        gap_start = end
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
