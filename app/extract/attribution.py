"""From a sentence to statements: who (the phrase by the cue), what (the content), how.

Forms handled, with the content always excluding the attribution:
- cue after:  `"We expect answers," Lavrov said.` / `Russia is ready, said the minister.`
- cue before: `Lavrov said (that) Russia wants ...` / `He told reporters on Friday that ...`
  / `Lavrov said: "..."`
- `According to Lavrov, ...` and `..., according to Lavrov.`
- a second cue by the same speaker: `..., he said, adding that ...` gives two statements.
- a bare quote sentence, whose speaker the pipeline takes from the preceding quote.
- a second speaker in the same sentence: `Trump said he would stay, and Tillerson said the
  reports were untrue` gives one statement each.
- a registry speaker glued to the word before (`... in the Black SeaZakharova said.`):
  the name is cut off the word; camel-case names (McCain, DeSantis) stay whole.
- verbs that need a complement (`cues.QUOTING_OBJECT`, `DIRECTIVES`, `NOUN_THAT`): the
  content is the complement, `called [the plan "a farce"]`, `urged [Kiev to negotiate]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.extract.cues import (
    DIRECTIVES,
    NOUN_THAT,
    OUTLET_ONLY,
    PARTICIPLE_CUES,
    QUOTING_OBJECT,
    TAKES_HEARER,
    VERB_CUES,
    according_to,
    cue_key,
    may_hold_cue,
    that_only,
)
from app.extract.mentions import ROLE_WORDS, noun_phrase_after, noun_phrase_before
from app.extract.model import Kind
from app.extract.patterns import literal_alternation
from app.extract.quotes import Quote
from app.extract.speakers import ArticleSpeakers, Resolution

_SEPARATORS = ',;:—–()“”"'
_OPEN_MARKS = '“"«„'
_CLOSE_MARKS = '”"»'
_CLOSE_MARK_TUPLE = tuple(_CLOSE_MARKS)
_ADVERBIAL_START = re.compile(
    r"\s*(?:on|in|at|during|after|before|following|while|from|to|with|via|through|earlier"
    r"|later|today|yesterday|also|again|late|this|last|then|when|as|over|about|shortly"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March"
    r"|April|May|June|July|August|September|October|November|December)\b"
)
_THAT_OR_QUOTE = re.compile(r"\bthat\b\s*|[:,]\s*(?=[“\"«])|:\s*")
_CLAUSE_START = re.compile(r"\s+(?:(?:the|a|an|it|there|this|these|those|its|his|her|their"
                           r"|he|she|they|we|i|no|any|all|some|such|russia|moscow)\b"
                           r"|[A-Z“\"])", re.IGNORECASE)  # fmt: skip
# At least two, three, four words: cheaper than counting them all with findall.
_TWO_WORDS = re.compile(r"\w\W+\w")
_THREE_WORDS = re.compile(r"\w\W+\w+\W+\w")
_FOUR_WORDS = re.compile(r"\w\W+\w+\W+\w+\W+\w")
# Scene-setting before a sentence's subject: "On Monday, however, Lavrov ...".
_SCENE_OPENERS = (
    "On", "In", "At", "During", "After", "Before", "Following", "Meanwhile", "However", "But",
    "And", "Later", "Earlier", "Separately", "Still", "Yet", "Also", "Last", "This", "When",
    "While", "As",
)  # fmt: skip
_SCENE_ADVERBS = ("however", "meanwhile", "also", "though")
SCENE = re.compile(
    r"(?:(?:" + "|".join(_SCENE_OPENERS) + r")\b[^,“”\"]{0,60},\s*"
    r"|(?:" + "|".join(_SCENE_ADVERBS) + r"),\s*){1,3}"
)
# Most sentences start with none of these letters, and then no scene is tried for.
_SCENE_FIRST = frozenset(word[0] for word in _SCENE_OPENERS + _SCENE_ADVERBS)


def scene_end(text: str, start: int, end: int) -> int:
    """Where a sentence's subject may start: after any scene-setting (`SCENE`)."""
    if start < end and text[start] in _SCENE_FIRST:
        scene = SCENE.match(text, start, end)
        if scene is not None:
            return scene.end()
    return start


# A verb sharing the subject of the one before: "Lavrov welcomed the plan and said ...".
_COORDINATED = re.compile(r"(?:,\s*)?\b(?:and|but)\s+$")


def _coordinated(text: str, lo: int, hi: int) -> re.Match[str] | None:
    """`_COORDINATED.search(text, lo, hi)`, started near `hi`: a match ends there, its
    "and" or "but" just before the trailing spaces, so scanning the whole clause from `lo`
    finds the same match at many times the cost."""
    word_end = hi
    while word_end > lo and text[word_end - 1].isspace():
        word_end -= 1
    if word_end == hi:
        return None
    begin = word_end - 3  # "and", "but"; a comma and spaces may come before
    while begin > lo and text[begin - 1].isspace():
        begin -= 1
    return _COORDINATED.search(text, max(lo, begin - 1), hi)


_APPOSITION = re.compile(
    r"(?:\s+of\s+[\w’'. ]{1,40}?)?,\s*(?P<aside>[^,;:“”\"]{2,80}),\s*(?=[a-z])"
)
_TIME_ADVERBIAL = re.compile(
    r"\s+(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today"
    r"|yesterday)(?:\s+(?:morning|afternoon|evening|night))?|(?:earlier\s+)?this\s+week"
    r"|last\s+week)(?=\s)"
)
# "At the annual press conference, the minister said ...": a scene, not content.
_INTRODUCTORY = re.compile(
    r"\s*(?:(?:At|In|On|During|After|Before|Following|Speaking|Asked|Earlier|Later|Meanwhile"
    r"|However|Separately|Also|Then|Yesterday|Today)\b[^,]*|\S+(?:\s+\S+){0,2}),?\s*"
)

CONFIDENCE_BY_RESOLUTION = {
    "alias": 0.9,
    "descriptor": 0.85,
    "coreference": 0.75,
    "fuzzy": 0.7,
    "unknown": 0.65,
    "unresolved": 0.35,
}


# Not frozen: some twenty are built per article, and a frozen dataclass's __init__ (one
# object.__setattr__ call per field) costs about five times a plain one's. Never mutated.
@dataclass(slots=True)
class Found:
    resolution: Resolution | None  # None: a bare quote, the pipeline finds its speaker
    mention: str | None
    cue: str | None
    start: int  # content span, trimmed
    end: int
    kind: Kind
    frame: tuple[int, int]  # the attribution around the content, where its date is read
    confidence: float
    pending: bool = False  # "Lavrov said." or "Spicer said:" waiting for its content


def may_attribute(text: str, start: int, end: int, quotes: list[Quote]) -> bool:
    """False when `attribute` finds nothing in any sentence of the paragraph
    text[start:end], told by one search of the paragraph for what every form needs: a
    quote, a reporting verb, "according to" or a participle cue. Most paragraphs are
    narration; their sentences then cost no test each."""
    return bool(quotes) or (
        may_hold_cue(text, start, end)
        or text.find("ccording", start, end) >= 0
        or _has_lone_participle(text, start, end)
    )


def attribute(
    text: str, start: int, end: int, quotes: list[Quote], article: ArticleSpeakers
) -> list[Found]:
    """Statements in the sentence text[start:end], in order."""
    inside = [q for q in quotes if q.opened and q.start < end and q.end > start] if quotes else []
    quoted = _within_quotes(inside) if inside else _nowhere

    found = _according_to(text, start, end, quoted, article)
    if found and not _outlet_source(found[0]):
        return found
    if found == []:
        return found
    for match in VERB_CUES.finditer(text, start, end):
        if quoted(match.start("cue")) or text[match.start() - 1 : match.start()] == "-":
            continue
        result = _verb_cue(text, start, end, match, quoted, article)
        if result is not None:
            if result and result[0].start > match.start():
                return _second_clause(text, start, end, match, result, quoted, article)
            return result
    if found:
        return found  # "according to the BBC" with no speaker of its own in the sentence
    lone = _lone_participle(text, start, end, quoted, article)
    if lone:
        return lone
    bare = _bare_quote(text, start, end, inside)
    return [bare] if bare is not None else []


# A participle after a clause of narration: "Lavrov criticised the plan, saying (that) ...",
# "the embassy issued a statement saying ...", "McCain went further, calling Putin "a thug"".
_LONE_PARTICIPLE = re.compile(
    r"(?:,|\bstatement(?:\s+\w+){0,2}?)\s*(?:and\s+)?(?P<cue>saying|writing|calling|adding)"
    r"(?:\s+(?:on|in)\s+[A-Z][\w.]*)?(?:\s*,?\s*that\b)?\s*[,:]?\s*"
)


def _lone_participle(text, start, end, quoted, article) -> list[Found]:
    if not _has_lone_participle(text, start, end):
        return []  # a substring search is many times faster than the regex's scan
    match = _LONE_PARTICIPLE.search(text, start, end)
    if match is None or quoted(match.start()):
        return []
    np = clause_subject(text, start, match.start(), article)
    if np is None:
        return []
    mention = text[np[0] : np[1]]
    resolution = article.resolve(mention)
    cue = match.group("cue")
    hi = end
    if cue == "calling":
        if not _MARKS.search(text, match.end(), end):
            return []  # "calling for talks" is no quotation
        hi = _after_last_quote(text, match.end(), end)
    frame = (np[0], match.end())
    return _with_participles(text, match.end(), hi, resolution, mention, cue, frame, quoted)


def _within_quotes(inside: list[Quote]) -> Callable[[int], bool]:
    """Whether an offset is inside one of the quotes `inside`."""

    def quoted(offset: int) -> bool:
        return any(q.inner_start <= offset < q.inner_end for q in inside)

    return quoted


def _nowhere(offset: int) -> bool:
    """`_within_quotes` of no quote: most sentences quote nobody."""
    return False


def _has_lone_participle(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a word `_LONE_PARTICIPLE` needs."""
    return (
        text.find("saying", start, end) >= 0
        or text.find("adding", start, end) >= 0
        or text.find("calling", start, end) >= 0
        or text.find("writing", start, end) >= 0
    )


def _outlet_source(found: Found) -> bool:
    """'..., he said, according to the BBC': the outlet is the source, not the speaker."""
    speaker = found.resolution.speaker if found.resolution else None
    return speaker is not None and speaker.kind == "institution" and not speaker.known


_CLAUSE_BREAK = re.compile(r"(?:,[”\"]?|\b(?:and|but|while|whereas|though|although))\s*$")


def _second_clause(text, start, end, match, result, quoted, article) -> list[Found]:
    """`A said X, and B said Y`: X stops where B's clause starts, and B gets Y."""
    first = result[0]
    for later in VERB_CUES.finditer(text, first.start, first.end):
        if quoted(later.start("cue")):
            continue
        np = noun_phrase_before(text, first.start, later.start())
        if np is None:
            broken = _coordinated(text, first.start, later.start())
            if broken is None:
                continue
            np = (later.start(), later.start())
        else:
            broken = _CLAUSE_BREAK.search(text, first.start, np[0])
        if broken is None or broken.start() <= first.start:
            continue
        second = _verb_cue(text, np[0] if np[0] < np[1] else start, end, later, quoted, article)
        if not second or second[0].start < later.start():
            continue
        head = _verb_cue(text, start, broken.start(), match, quoted, article)
        if not head:
            continue
        return [f for f in head if f.end <= broken.start()] + second
    return result


def content_found(
    text: str,
    lo: int,
    hi: int,
    *,
    resolution: Resolution,
    mention: str | None,
    cue: str | None,
    frame: tuple[int, int],
    weight: float = 1.0,
) -> Found | None:
    """A statement whose content is text[lo:hi], once trimmed; None when it is empty."""
    span = _trim_content(text, lo, hi)
    if span is None:
        return None
    lo, hi, kind = span
    if not _THREE_WORDS.search(text, lo, hi):
        return None
    if resolution.speaker is None and (kind == "indirect" or not _vague_speaker(mention)):
        return None
    confidence = CONFIDENCE_BY_RESOLUTION[resolution.how] * weight
    if kind == "indirect":
        confidence *= 0.92
    return Found(resolution, mention, cue, lo, hi, kind, frame, round(confidence, 3))


def clause_subject(text, start, end, article) -> tuple[int, int] | None:
    """The phrase naming a known speaker as the subject of the sentence text[start:end],
    after any scene-setting: "On Monday, the spokesman, Sean Spicer, ..." is Spicer."""
    np = noun_phrase_after(text, scene_end(text, start, end), end)
    if np is None:
        return None
    aside = _APPOSITION.match(text, np[1], end)
    if aside is not None:
        named = noun_phrase_after(text, aside.start("aside"), end)
        if named is not None and text.startswith(",", named[1]):
            resolution = article.resolve(text[named[0] : named[1]])
            if resolution.speaker is not None and resolution.speaker.kind == "person":
                return named  # "the US secretary of state, Rex Tillerson, said"
    elif not re.match(r"\s+[a-z]", text[np[1] : np[1] + 2]):
        return None  # no verb follows: not the subject
    resolution = article.resolve(text[np[0] : np[1]])
    return np if resolution.speaker is not None else None


def _vague_speaker(mention: str | None) -> bool:
    """'a senior official', 'they': a quote we keep without a speaker."""
    if mention is None:
        return False
    words = mention.lower().split()
    return words[-1] in ROLE_WORDS or words[-1] in {"he", "she", "they", "it", "we", "i"}


def _according_to(text, start, end, quoted, article) -> list[Found] | None:
    match = according_to(text, start, end)
    if match is None or quoted(match.start()):
        return None
    np = noun_phrase_after(text, match.end(), end)
    if np is None:
        pronoun = _OBJECT_PRONOUN.match(text, match.end(), end)
        if pronoun is None:
            return None
        np = pronoun.span()
    whole = _WHOLE_SOURCE.match(text, match.end(), end)
    if whole is not None and whole.end() > np[1]:
        resolution = article.resolve(whole.group())
        if resolution.speaker is not None:  # "according to the head of state,"
            np = whole.span()
    mention = text[np[0] : np[1]]
    resolution = article.resolve(mention)
    if resolution.speaker is None:
        return None  # "according to figures" or "to the agency": maybe a verb cue says more
    cue = match.group("cue")
    if not text[start : match.start()].strip():
        comma = text.find(",", np[1], end)
        if comma < 0 or text[np[1] : comma].strip():
            return []
        title = _TITLE_ASIDE.match(text, comma + 1, end)
        if title is not None and _has_role_word(title.group()):
            comma = title.end() - 1  # "According to Lavrov, Foreign Minister of Russia, ..."
        frame = (start, comma + 1)
        return _with_participles(text, comma + 1, end, resolution, mention, cue, frame, quoted)
    before = text[start : match.start()].rstrip()
    tail = text[np[1] : end].strip(" .")
    if not before.endswith(",") or (tail and not _TAIL_APPOSITION.fullmatch(tail)):
        return []
    found = content_found(
        text, start, start + len(before) - 1, resolution=resolution, mention=mention, cue=cue,
        frame=(match.start(), end),
    )  # fmt: skip
    return [found] if found else []


_OBJECT_PRONOUN = re.compile(r"(?:him|her)\b")
# The source's title between commas after its name: "the US Secretary of State,".
_TITLE_ASIDE = re.compile(r"\s*(?:(?:the|a|an)\s+)?[\w’'.\-]+(?:\s+[\w’'.\-]+){0,7},")
# The source of "according to" up to its comma, when a role runs on: "the head of state".
_WHOLE_SOURCE = re.compile(r"[\w’'.\-]+(?: [\w’'.\-]+){1,5}(?=,)")
# "..., according to Jane Doe, director of the Baltic program at Leiden University."
_TAIL_APPOSITION = re.compile(r",\s*(?:an?\s+|the\s+)?[\w’'.\-]+[^,;:“”\"()]{0,100}")


def _verb_cue(text, start, end, match, quoted, article) -> list[Found] | None:
    cue_start, cue_end = match.start(), match.end()
    cue = match.group("cue")
    separator = _last_separator(text, start, cue_start)
    np = noun_phrase_before(text, separator, cue_start)
    if np is not None:
        np = _unglued(text, np, article)
    subject_start = np[0] if np else cue_start
    inverted = False
    next_to_cue = not text[separator:cue_start].strip()  # a separator right before the cue
    if np is None and next_to_cue:
        found = _appositive_subject(text, start, separator, article)
        if found is not None:
            np, subject_start = found
    coordinated = np is None and _coordinated(text, start, cue_start) is not None
    if coordinated:
        np = clause_subject(text, start, cue_start, article)
        subject_start = start
        coordinated = np is not None
    if np is None and next_to_cue and cue_key(cue) not in TAKES_HEARER:
        np = noun_phrase_after(text, cue_end, end)  # "told Fox News": Fox News is the hearer
        inverted = np is not None
    if np is None:
        return None
    mention = text[np[0] : np[1]]
    if " and " in mention:
        return None  # "Kerry and Lavrov said": a joint statement, not one speaker's
    if mention.lower() == "it" and text[start : np[0]].rstrip()[-1:] not in ("", *',”"'):
        return None  # "a country it says is hostile": "it" inside a clause is no source
    resolution = article.resolve(mention)
    if resolution.speaker is None and not _vague_speaker(mention):
        return None
    key = cue_key(cue)
    if key in OUTLET_ONLY and (resolution.speaker is None or resolution.speaker.kind == "person"):
        return None
    if inverted:
        content_end = _content_end_before(text, start, cue_start)
        return _trailing(text, start, content_end, end, np[1], resolution, mention, cue, quoted)
    content_end = start if coordinated else _content_end_before(text, start, subject_start)
    if content_end > start and _DESCRIPTOR.fullmatch(text, start, content_end):
        content_end = start  # "Chile's new foreign minister, Ana Rojas, says ..."
    leading_at = _leading_content_start(text, cue_end, end, cue, quoted)
    args = (resolution, mention, cue)
    if content_end > start:
        pre = text[start:content_end]
        after_quote = pre.rstrip(",").endswith(_CLOSE_MARK_TUPLE)
        opens = _opens_quote(text, cue_end, leading_at + 1) if leading_at is not None else False
        if leading_at is not None:
            if after_quote and opens and pre.lstrip()[:1] in _OPEN_MARKS:
                # `"A," he said, "B."`: one statement on each side of the cue
                head = _trailing(text, start, content_end, leading_at, cue_end, *args, quoted)
                frame = (max(start, np[0] - 20), leading_at)
                tail = _with_participles(text, leading_at, end, *args, frame, quoted)
                return [*(head or []), *tail]
            if not after_quote and _is_introduction(pre):
                pass  # "When asked about the talks, Lavrov said ...": the content follows
            elif not after_quote and opens and not _has_marks(pre):
                found = content_found(text, start, end, resolution=resolution, mention=mention,
                                      cue=cue, frame=(np[0], cue_end))  # fmt: skip
                return [found] if found else None  # "Without X, he adds, "Y"": one sentence
            elif not _immediate(text, cue_end, end) and not _INTRODUCTORY.fullmatch(pre):
                leading_at = None  # `X, Lavrov told reporters, adding that Y`: X is the content
        elif not after_quote and not _has_marks(pre):
            mid = _mid_sentence(text, cue_end, end, quoted)
            if mid is not None:
                lo = start
                short = _SHORT_INTRO.match(pre)
                if short is not None:
                    lo = mid  # "But, he said, the talks ...": the content is after the cue
                found = content_found(text, lo, end, resolution=resolution, mention=mention,
                                      cue=cue, frame=(np[0], cue_end))  # fmt: skip
                return [found] if found else None
    if leading_at is not None:
        frame = (max(start, np[0] - 20), leading_at)
        if not text[leading_at:end].strip(" .") and text[cue_end:leading_at].strip() == ":":
            return [_pending(resolution, mention, cue, frame)]
        hi = end
        if key in QUOTING_OBJECT:
            hi = _after_last_quote(text, leading_at, end)
        return _with_participles(text, leading_at, hi, *args, frame, quoted)
    if content_end <= start:
        rest = text[cue_end:end]
        hearer = cue.lower() in TAKES_HEARER and len(rest.split()) <= 6
        if rest.strip(" .,") and not hearer and not _ADVERBIAL_START.match(rest):
            return None
        return [_pending(resolution, mention, cue, (start, end))]
    if (
        _is_introduction(text[start:content_end])
        and "," not in text[start:content_end]
        # "Keeping the talks going is vital, he said." is content
        and _TIME_ADVERBIAL.sub("", text[cue_end:end]).strip(" .!?")
    ):
        return None  # "Even while leaving the hall, Lavrov pointed out ...": a scene
    return _trailing(text, start, content_end, end, cue_end, *args, quoted)


# A capital right after a small letter: where a name may have been glued to a word.
# Capital first, so that `re` skips to capitals instead of trying every position.
_GLUE = re.compile(r"[A-Z](?<=[a-z][A-Z])")


def _unglued(text: str, np: tuple[int, int], article: ArticleSpeakers) -> tuple[int, int]:
    """The phrase from a registry speaker's name glued on inside it: scraped text drops
    spaces, and "in the Black SeaZakharova said" is Zakharova speaking. Only a tail that
    is a speaker's name or alias is cut off, so names written in camel case (McCain,
    DeSantis, BlackRock) stay whole."""
    for glue in _GLUE.finditer(text, np[0] + 1, np[1]):
        resolution = article.resolve(text[glue.start() : np[1]])
        if resolution.how == "alias" and resolution.speaker and resolution.speaker.known:
            return (glue.start(), np[1])
    return np


# A role phrase before the name it describes: "The UK foreign secretary, Boris Johnson, said".
_DESCRIPTOR = re.compile(
    r"\s*\(?(?:(?:The|the|A|a|An|an|Its|Their|His|Her)\s+)?(?:[\w’'.\-]+\s+){0,6}?"
    r"(?:" + literal_alternation(ROLE_WORDS) + r")(?:\s+of\s+[\w’'.\- ]+)?"
    r"\s*,?\s*"
)
_INTRO_WORDS = re.compile(
    r"\s*(?:The (?:next|following|same|previous) \w+|Even|Without|With"
    r"|At|In|On|During|After|Before|Following|When|While|As|Ahead|Earlier|Later"
    r"|Meanwhile|However|Separately|Also|Then|Yesterday|Today|But|And|So|Still|Yet|Instead"
    r"|Indeed|Last|This|Since|Upon|Despite|Amid|Asked|Pressed|Questioned|[A-Z][a-z]+ing)\b"
)
_SHORT_INTRO = re.compile(
    r"\s*(?:But|And|Yet|Still|However|Meanwhile|At the same time|In fact|Moreover|Instead"
    r"|Indeed|Also|So|Now|Then|Separately|In addition|Nevertheless|Nonetheless)\s*,?\s*$"
)
_MID_TAIL = re.compile(
    r"(?:\s+(?:on\s+\w+|in\s+(?:a|an|the)\s+\w+(?:\s+\w+)?|last\s+\w+|this\s+\w+|today"
    r"|yesterday|again|also|earlier|later|however))*\s*,\s*"
)


_MARKS = re.compile("[" + re.escape(_OPEN_MARKS + _CLOSE_MARKS) + "]")
_OPEN = re.compile("[" + re.escape(_OPEN_MARKS) + "]")
_CLOSE = re.compile("[" + re.escape(_CLOSE_MARKS) + "]")


def _has_marks(chunk: str) -> bool:
    return _MARKS.search(chunk) is not None


def _is_introduction(pre: str) -> bool:
    """A scene or circumstance before the subject, not reported content."""
    return not _has_marks(pre) and _INTRO_WORDS.match(pre) is not None


def _mid_sentence(text, cue_end, end, quoted) -> int | None:
    """`The priorities, he said, should be ...`: where the sentence resumes after the cue."""
    m = _MID_TAIL.match(text, cue_end, end)
    if m is None or m.end() >= end or PARTICIPLE_CUES.match(text, m.start(), end):
        return None
    rest = text[m.end() : end]
    if not rest[:1].isalnum() and rest[:1] not in _OPEN_MARKS:
        return None
    return m.end()


def _after_last_quote(text: str, lo: int, end: int) -> int:
    """The end of the last quotation in text[lo:end], keeping what follows only when the
    quotes run on: "called it "a farce" after the vote" drops "after the vote"."""
    last = max(text.rfind(mark, lo, end) for mark in _CLOSE_MARKS)
    if last < 0:
        return end
    tail = _TAIL_BREAK.search(text, last + 1, end)
    return tail.start() if tail else end


_TAIL_BREAK = re.compile(
    r"\s*[,;—–(]|\s+(?:after|when|while|because|despite|as|before|since|though|although|but"
    r"|amid|even)\b"
)


def _quote_after_colon(text: str, start: int, content_end: int) -> int:
    """`Narration: "Quote," X said.`: only the quote is X's."""
    close = content_end - 1
    while close > start and text[close] in " ,":
        close -= 1
    if text[close] not in _CLOSE_MARKS:
        return start
    opening = max(text.rfind(mark, start, close) for mark in _OPEN_MARKS)
    if opening > start and text[start:opening].rstrip().endswith(":"):
        return opening
    return start


def _pending(resolution, mention, cue, frame) -> Found:
    return Found(resolution, mention, cue, frame[0], frame[0], "direct", frame, 0.0, True)


def _trailing(text, start, content_end, end, after, resolution, mention, cue, quoted):
    start = _quote_after_colon(text, start, content_end)
    found = content_found(
        text, start, content_end, resolution=resolution, mention=mention, cue=cue,
        frame=(content_end, end),
    )  # fmt: skip
    if found is None:
        return None
    extra = _participles(text, after, end, resolution, mention, quoted)
    return [found, *extra]


def _with_participles(text, lo, end, resolution, mention, cue, frame, quoted) -> list[Found]:
    matches = _participle_matches(text, lo, end, quoted)
    extra = _participle_statements(text, matches, end, resolution, mention)
    first_end = matches[0].start() if extra else end
    found = content_found(
        text, lo, first_end, resolution=resolution, mention=mention, cue=cue, frame=frame
    )
    return [f for f in (found, *extra) if f is not None]


def _participle_matches(text, lo, end, quoted):
    return [
        m
        for m in PARTICIPLE_CUES.finditer(text, lo, end)
        if not quoted(m.start()) and (m.group("that") or _opens_quote(text, m.end(), end)
                                      or m.group("cue") in {"saying", "adding"})
    ]  # fmt: skip


def _participles(text, lo, end, resolution, mention, quoted) -> list[Found]:
    matches = _participle_matches(text, lo, end, quoted)
    return _participle_statements(text, matches, end, resolution, mention)


def _participle_statements(text, matches, end, resolution, mention) -> list[Found]:
    found = []
    for index, match in enumerate(matches):
        stop = matches[index + 1].start() if index + 1 < len(matches) else end
        item = content_found(
            text, match.end(), stop, resolution=resolution, mention=mention,
            cue=match.group("cue"), frame=(match.start(), match.end()), weight=0.95,
        )  # fmt: skip
        if item is not None:
            found.append(item)
    return found


def _opens_quote(text: str, at: int, end: int) -> bool:
    while at < end and text[at] in " :,":
        at += 1
    return at < end and text[at] in _OPEN_MARKS


_IMMEDIATE = re.compile(r"\s*(?:,\s*)?that\b\s*|\s*[:,]?\s*(?=[“\"«])|\s*:\s*")


def _immediate(text: str, cue_end: int, end: int) -> bool:
    m = _IMMEDIATE.match(text, cue_end, end)
    return m is not None and (m.end() < end or ":" in m.group())


_THAT_OR_WHETHER = re.compile(r"\b(?:that|whether)\b\s*")
_SECOND_VERB = re.compile(r"[,;]|\b(?:and|but)\s+\w+ed\b")


def _complement_start(text, cue_end, end, key, quoted) -> int | None:
    """Where the complement of a verb that needs one starts, or None when it lacks one."""
    m = _IMMEDIATE.match(text, cue_end, end)
    if m is not None and m.end() < end and "that" in m.group():
        return m.end()
    rest = text[cue_end:end]
    if key in NOUN_THAT:
        for found in _THAT_OR_WHETHER.finditer(text, cue_end, min(end, cue_end + 120)):
            gap = text[cue_end : found.start()]
            if quoted(found.start()) or VERB_CUES.search(gap) or _SECOND_VERB.search(gap):
                break
            return found.end()
    if key in DIRECTIVES:
        if key.startswith("accuse") and not re.search(r"\bof\b", rest):
            return None
    else:
        mark = next((i for i, c in enumerate(rest) if c in _OPEN_MARKS), None)
        described = key.startswith("describ") and re.search(r"\bas\b", rest)
        if not described and (
            mark is None or _SECOND_VERB.search(rest, 0, mark) or VERB_CUES.search(rest, 0, mark)
        ):
            return None
        if mark is not None and len(rest[:mark].split()) > 25:
            return None
    lo = cue_end
    while lo < end and text[lo] in " ,:":
        lo += 1
    return lo if _TWO_WORDS.search(text, lo, end) else None


_NEEDS_COMPLEMENT = QUOTING_OBJECT | DIRECTIVES | NOUN_THAT


def _leading_content_start(text, cue_end, end, cue, quoted) -> int | None:
    """Where the reported content starts when the cue comes first; None when it does not."""
    key = cue_key(cue)
    if key in _NEEDS_COMPLEMENT:
        return _complement_start(text, cue_end, end, key, quoted)
    m = _IMMEDIATE.match(text, cue_end, end)
    if m is not None and (m.end() < end or ":" in m.group()):
        return m.end()
    lowered = cue.lower()
    if lowered in TAKES_HEARER or _ADVERBIAL_START.match(text, cue_end):
        limit = min(end, cue_end + 200)
        for found in _THAT_OR_QUOTE.finditer(text, cue_end, limit):
            if quoted(found.start()):
                break
            gap = text[cue_end : found.start()]
            if (
                "." in gap.replace("U.S.", "").replace("U.N.", "")
                or VERB_CUES.search(gap)
                or PARTICIPLE_CUES.search(text, cue_end, found.end())
            ):
                break
            return found.end()
        time = _TIME_ADVERBIAL.match(text, cue_end, end)
        if time is None or that_only(key):
            return None
        cue_end = time.end()
    if that_only(key):
        return None
    m = _CLAUSE_START.match(text, cue_end, end)
    if m is not None and text[cue_end] == " ":
        return cue_end + 1
    return None


def _last_separator(text: str, start: int, cue_start: int) -> int:
    """Just past the last separator in text[start:cue_start], else `start`."""
    found = _UP_TO_SEPARATOR.match(text, start, cue_start)
    return found.end() if found is not None else start


# Greedy, then back one character at a time to a separator: a scan from the end, in C.
_UP_TO_SEPARATOR = re.compile("(?s:.*)[" + re.escape(_SEPARATORS) + "]")


def _content_end_before(text: str, start: int, np_start: int) -> int:
    """The content end for a cue that follows it: before the separator ending the content."""
    if np_start > start and text[np_start - 1].islower():
        return np_start  # a glued `negotiationsLavrov said`
    index = np_start
    while index > start and text[index - 1].isspace():
        index -= 1
    if index > start and text[index - 1] == ",":
        index -= 1
    elif index > start and text[index - 1] in _CLOSE_MARKS:
        pass  # `...” Lavrov said`
    else:
        return start
    return index


_RELATIVE = re.compile(
    r"\s*(?:who|whose|which|a|an|the|his|her|its|their|also|currently|now|then|once|formerly"
    r"|ahead|before|after|during|speaking|according)\b|\s*[a-z]"
)


def _appositive_subject(text, start, separator, article):
    """`Salem Al Meslet, a senior opposition member, said` or `McMaster, who was at the
    meeting, told reporters`: the name before the asides, and where its phrase starts."""
    hi = separator - 1  # the comma just before the cue
    for _ in range(4):
        lo = _last_separator(text, start, hi)
        chunk = text[lo:hi]
        if not chunk.strip():
            return None
        np = noun_phrase_before(text, lo, hi)
        if np is not None and not _RELATIVE.match(chunk) and not _has_marks(chunk):
            lead = text[lo : np[0]]
            named = lead.strip().lower() in {"", "but", "and", "while", "though"}
            resolution = article.resolve(text[np[0] : np[1]]) if named else None
            if resolution is not None and resolution.speaker is not None:
                name = _named_before_title(text, start, lo, chunk, resolution, article)
                if name is not None:
                    return name, name[0]  # "Xi Jinping, President of China, said"
                phrase_start = np[0]
                if lo > start and text[lo - 1] == ",":
                    before = _last_separator(text, start, lo - 1)
                    if before == start and _DESCRIPTOR.fullmatch(text, start, lo - 1):
                        phrase_start = start
                return np, phrase_start
            if len(chunk.split()) > 2 and not _has_role_word(chunk):
                return None
        elif not _RELATIVE.match(chunk) and not _has_role_word(chunk):
            return None
        if lo <= start or text[lo - 1] != ",":
            return None
        hi = lo - 1
    return None


def _named_before_title(text, start, lo, chunk, resolution, article) -> tuple[int, int] | None:
    """The name before a title aside that names the same speaker, if there is one."""
    if lo <= start or text[lo - 1] != "," or not _has_role_word(chunk):
        return None
    before = _last_separator(text, start, lo - 1)
    np = noun_phrase_before(text, before, lo - 1)
    if np is None or text[before : np[0]].strip():
        return None
    named = article.resolve(text[np[0] : np[1]])
    return np if named.speaker is not None and named.speaker == resolution.speaker else None


def _has_role_word(chunk: str) -> bool:
    return any(w.lower().strip(".") in ROLE_WORDS for w in chunk.split())


def _bare_quote(text: str, start: int, end: int, inside: list[Quote]) -> Found | None:
    """A sentence that is all quote: its speaker is the last quoted one (pipeline's call)."""
    for quote in inside:
        if quote.start > start or text[quote.start] not in _OPEN_MARKS:
            continue
        if (min(quote.end, end) - start) < 0.8 * (end - start):
            continue
        span = _trim_inner(text, quote.inner_start, min(quote.inner_end, end))
        if span is None or not _FOUR_WORDS.search(text, *span) or text[slice(*span)].isupper():
            return None
        return Found(None, None, None, span[0], span[1], "direct", (start, end), 0.6)
    return None


def trim_content(text: str, lo: int, hi: int) -> tuple[int, int, Kind] | None:
    """text[lo:hi] without surrounding punctuation, and its kind by its quotation marks."""
    return _trim_content(text, lo, hi)


def _trim_content(text: str, lo: int, hi: int) -> tuple[int, int, Kind] | None:
    while lo < hi and (text[lo].isspace() or text[lo] in ",;:"):
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;:."):
        hi -= 1
    if hi <= lo:
        return None
    has_marks = _MARKS.search(text, lo, hi) is not None
    if (
        text[lo] in _OPEN_MARKS
        and text[hi - 1] in _CLOSE_MARKS
        and not _MARKS.search(text, lo + 1, hi - 1)
    ):
        span = _trim_inner(text, lo + 1, hi - 1)
        return (*span, "direct") if span else None
    if text[lo] in _OPEN_MARKS and not _CLOSE.search(text, lo + 1, hi):
        span = _trim_inner(text, lo + 1, hi)  # an opening mark never closed
        return (*span, "direct") if span else None
    # A curly closing mark never opened: the whole sentence is the quote.
    if text[hi - 1] == "”" and not _OPEN.search(text, lo, hi - 1):
        span = _trim_inner(text, lo, hi - 1)
        return (*span, "direct") if span else None
    return (lo, hi, "mixed" if has_marks else "indirect")


def _trim_inner(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;:"):
        hi -= 1
    return (lo, hi) if hi > lo else None
