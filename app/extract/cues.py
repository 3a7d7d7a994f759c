"""Reporting cues: the verbs and phrases that tie words to a speaker.

`VERB_CUES` are finite reporting verbs ("said", "has stressed", "pointed out");
`PARTICIPLE_CUES` open a second statement by the same speaker ("..., adding that ...");
"according to X" is handled on its own since the speaker follows the cue.

Some verbs report speech only with the right complement, and their content is the whole
complement: `QUOTING_OBJECT` verbs need quoted words in it ("called the plan "a farce"",
"described the talks as useful"), `DIRECTIVES` take an object and an infinitive or "of"
("urged Kiev to negotiate", "accused Washington of lying"), and `NOUN_THAT` verbs reach the
content through a noun ("dismissed suggestions that ...", "questioned whether ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.extract.patterns import small_letter_runs, trie_pattern

# Verbs that report speech on their own, with a quote, a "that" clause or a bare clause.
_VERBS = [
    "said",
    "says",
    "told",
    "tells",
    "stated",
    "states",
    "stressed",
    "stresses",
    "noted",
    "notes",
    "added",
    "adds",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "affirmed",
    "affirms",
    "reiterated",
    "reiterates",
    "insisted",
    "insists",
    "warned",
    "warns",
    "declared",
    "declares",
    "assured",
    "assures",
    "argued",
    "argues",
    "denied",
    "denies",
    "continued",
    "claimed",
    "claims",
    "asserted",
    "asserts",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "confirmed",
    "confirms",
    "commented",
    "remarked",
    "observed",
    "underlined",
    "underlines",
    "underscored",
    "underscores",
    "recalled",
    "recalls",
    "replied",
    "replies",
    "responded",
    "answered",
    "wrote",
    "tweeted",
    "charged",
    "vowed",
    "vows",
    "promised",
    "predicted",
    "predicts",
    "cautioned",
    "complained",
    "conceded",
    "contended",
    "maintained",
    "maintains",
    "mentioned",
    "highlighted",
    "highlights",
    "indicated",
    "signaled",
    "signalled",
    "signals",
    "threatened",
    "explained",
    "explains",
    "suggested",
    "suggests",
    "announced",
    "described",
    "describes",
    "joked",
    "joshed",
    "lamented",
    "pledged",
    "urged",
    "urges",
    "accused",
    "accuses",
    "demanded",
    "demands",
    "questioned",
    "labeled",
    "labelled",
    "branded",
    "blamed",
    "assailed",
    "dubbed",
    "termed",
    "dismissed",
    "dismisses",
    "disputed",
    "rejected",
    "rejects",
    "called",
    "calls",
    "shouted",
    "reported",
    "reports",
]
_PHRASAL = [
    "pointed out",
    "points out",
    "went on to say",
    "went on",
    "made clear",
    "made it clear",
    "called for",
    "calls for",
    "called on",
    "calls on",
    "pushed back on",
    "pushed back against",
    "alluded to",
    "pointed to",
    "was quoted as saying",
]
# Phrases with a choice of words: their first words, and the rest as a regex.
_PATTERNED = [
    (
        ["expressed"],
        r"\s+(?:his\s+|her\s+|its\s+|their\s+)?(?:confidence|hope|concern|regret|readiness)",
    ),
    # A hedged report, content only after "that": "seemed to suggest that ...".
    (
        ["seemed", "seems", "appeared", "appears"],
        r"\s+to\s+(?:suggest|say|acknowledge|concede|indicate)",
    ),
]

# Verbs that only report speech with a "that" clause or a quote: "suggested a meeting" and
# "announced an inspection" are events.
THAT_ONLY = frozenset({"suggested", "suggests", "announced", "described", "describes"})


def that_only(key: str) -> bool:
    """A cue whose content must follow "that" or a colon (a key from `cue_key`)."""
    return key in THAT_ONLY or " to " in key


# Verbs that take the hearer first: "told reporters on Friday that ...".
TAKES_HEARER = frozenset({"told", "tells", "assured", "assures", "warned", "warns"})
QUOTING_OBJECT = frozenset(
    {"called", "calls", "labeled", "labelled", "branded", "blamed", "lamented", "assailed",
     "dubbed", "termed", "pledged", "described", "describes"}
)  # fmt: skip
DIRECTIVES = frozenset(
    {"urged", "urges", "accused", "accuses", "demanded", "demands", "called for", "calls for",
     "called on", "calls on", "alluded to", "pointed to", "expressed readiness", "pointed out",
     "points out"}
)  # fmt: skip
NOUN_THAT = frozenset(
    {"dismissed", "dismisses", "disputed", "rejected", "rejects", "questioned",
     "pushed back on", "pushed back against"}
)  # fmt: skip
# Only a news outlet "reports"; a person who "reported to" someone is narration.
OUTLET_ONLY = frozenset({"reported", "reports"})


@lru_cache(maxsize=1024)
def cue_key(cue: str) -> str:
    """A cue as written, lowercased with single spaces and no possessive: the sets' keys."""
    words = cue.lower().split()
    return " ".join(w for w in words if w not in {"his", "her", "its", "their"})


_PARTICIPLES = [
    "adding",
    "noting",
    "stressing",
    "saying",
    "emphasizing",
    "emphasising",
    "explaining",
    "arguing",
    "insisting",
    "warning",
    "stating",
    "asserting",
    "claiming",
    "recalling",
    "underlining",
    "reiterating",
    "declaring",
    "acknowledging",
    "admitting",
    r"pointing\s+out",
    r"expressing\s+(?:his|her|the)\s+hope",
]

# Words that may come between a subject and its cue ("has also said"). The run is
# possessive (`*+`): no cue starts with one of these words (a test checks), so giving one
# back never lets a cue match, and `re` keeps no backtracking state at each word start.
AUXILIARIES = (
    "has", "have", "had", "also", "later", "then", "again", "further", "previously",
    "once again",
)  # fmt: skip
_AUXILIARY = r"(?:(?:" + "|".join(map(re.escape, AUXILIARIES)) + r")\s+)*+"


def _cue_atoms() -> list[list[str]]:
    """Every cue as trie atoms: its letters, `\\s+` between words, a pattern's tail whole."""
    literal = [[r"\s+" if c == " " else re.escape(c) for c in cue] for cue in _VERBS + _PHRASAL]
    patterned = [[*map(re.escape, word), tail] for words, tail in _PATTERNED for word in words]
    return literal + patterned


# All cues in one trie (`app.extract.patterns`): "called for" is tried before "called", as
# longest first, and a word start costs one test per letter, not one per cue.
VERB_CUES = re.compile(
    r"\b(?=[a-z])"  # most word starts are rejected here, before the long alternation
    + _AUXILIARY
    + r"(?P<cue>"
    + trie_pattern(_cue_atoms())
    + r")\b",
    re.VERBOSE,
)
# One word of every cue, its longest, UTF-8 encoded: a `VERB_CUES` match anywhere in a
# text has it as a whole run of small letters (the cue's words meet only spaces and word
# boundaries, and a sentence cut off at a glued capital, "...statedThe", ends at the
# capital), so a text whose runs of small letters include none of them has no cue.
CUE_WORDS = frozenset(max(cue.split(), key=len).encode() for cue in _VERBS + _PHRASAL) | frozenset(
    word.encode() for words, _ in _PATTERNED for word in words
)


def may_hold_cue(text: str, start: int, end: int) -> bool:
    """False when `VERB_CUES` finds nothing in any part of text[start:end]: a cheaper
    test than the regular expression's scan, which most paragraphs (narration) fail."""
    return not CUE_WORDS.isdisjoint(small_letter_runs(text[start:end]))


PARTICIPLE_CUES = re.compile(
    r",\s*(?:and\s+)?(?P<cue>" + "|".join(_PARTICIPLES) + r")\b(?P<that>\s+that\b)?\s*,?",
    re.VERBOSE,
)
ACCORDING_TO = re.compile(r"\b(?P<cue>[Aa]ccording\s+to)\s+")


def according_to(text: str, start: int, end: int) -> re.Match[str] | None:
    """`ACCORDING_TO.search(text, start, end)`, the regex only run from where the phrase
    may begin (a substring search first)."""
    found = text.find("ccording", start, end)
    if found < 0:
        return None
    return ACCORDING_TO.search(text, max(start, found - 1), end)
