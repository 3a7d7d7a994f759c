"""From a sentence to statements: who (the phrase by the cue), what (the content), how.

Forms handled, with the content always excluding the attribution:
- cue after:  `"We expect answers," Lavrov said.` / `Russia is ready, said the minister.`
- cue before: `Lavrov said (that) Russia wants ...` / `He told reporters on Friday that ...`
  / `Lavrov said: "..."`
- `According to Lavrov, ...` and `..., according to Lavrov.`
- a second cue by the same speaker: `..., he said, adding that ...` gives two statements.
- a bare quote sentence, whose speaker the pipeline takes from the preceding quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extract.cues import (
    ACCORDING_TO,
    PARTICIPLE_CUES,
    TAKES_HEARER,
    THAT_ONLY,
    VERB_CUES,
)
from app.extract.mentions import ROLE_WORDS, noun_phrase_after, noun_phrase_before
from app.extract.model import Kind
from app.extract.quotes import Quote
from app.extract.speakers import ArticleSpeakers, Resolution

_SEPARATORS = ',;:—–()“”"'
_OPEN_MARKS = '“"«„'
_CLOSE_MARKS = '”"»'
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
_WORD = re.compile(r"\w+")
_TIME_ADVERBIAL = re.compile(
    r"\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today"
    r"|yesterday)(?:\s+(?:morning|afternoon|evening|night))?(?=\s)"
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


@dataclass(frozen=True, slots=True)
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


def attribute(
    text: str, start: int, end: int, quotes: list[Quote], article: ArticleSpeakers
) -> list[Found]:
    """Statements in the sentence text[start:end], in order."""
    inside = [q for q in quotes if q.opened and q.start < end and q.end > start]

    def quoted(offset: int) -> bool:
        return any(q.contains(offset) for q in inside)

    found = _according_to(text, start, end, quoted, article)
    if found is not None:
        return found
    for match in VERB_CUES.finditer(text, start, end):
        if quoted(match.start("cue")):
            continue
        result = _verb_cue(text, start, end, match, quoted, article)
        if result is not None:
            return result
    bare = _bare_quote(text, start, end, inside)
    return [bare] if bare is not None else []


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
    if len(_WORD.findall(text, lo, hi)) < 3:
        return None
    if resolution.speaker is None and (kind == "indirect" or not _vague_speaker(mention)):
        return None
    confidence = CONFIDENCE_BY_RESOLUTION[resolution.how] * weight
    if kind == "indirect":
        confidence *= 0.92
    return Found(resolution, mention, cue, lo, hi, kind, frame, round(confidence, 3))


def _vague_speaker(mention: str | None) -> bool:
    """'a senior official', 'they': a quote we keep without a speaker."""
    if mention is None:
        return False
    words = mention.lower().split()
    return words[-1] in ROLE_WORDS or words[-1] in {"he", "she", "they", "it", "we", "i"}


def _according_to(text, start, end, quoted, article) -> list[Found] | None:
    match = ACCORDING_TO.search(text, start, end)
    if match is None or quoted(match.start()):
        return None
    np = noun_phrase_after(text, match.end(), end)
    if np is None:
        return None
    mention = text[np[0] : np[1]]
    resolution = article.resolve(mention)
    if resolution.speaker is None:
        return None  # "according to figures" or "to the agency": maybe a verb cue says more
    cue = match.group("cue")
    if not text[start : match.start()].strip():
        comma = text.find(",", np[1], end)
        if comma < 0 or text[np[1] : comma].strip():
            return []
        frame = (start, comma + 1)
        return _with_participles(text, comma + 1, end, resolution, mention, cue, frame, quoted)
    before = text[start : match.start()].rstrip()
    if not before.endswith(",") or text[np[1] : end].strip(" .") != "":
        return []
    found = content_found(
        text, start, start + len(before) - 1, resolution=resolution, mention=mention, cue=cue,
        frame=(match.start(), end),
    )  # fmt: skip
    return [found] if found else []


def _verb_cue(text, start, end, match, quoted, article) -> list[Found] | None:
    cue_start, cue_end = match.start(), match.end()
    cue = match.group("cue")
    separator = _last_separator(text, start, cue_start)
    np = noun_phrase_before(text, separator, cue_start)
    inverted = False
    if np is None and text[separator:cue_start].strip() == "":
        np = _appositive_subject(text, start, separator, article)
    if np is None and text[separator:cue_start].strip() == "":
        np = noun_phrase_after(text, cue_end, end)
        inverted = np is not None
    if np is None:
        return None
    mention = text[np[0] : np[1]]
    if " and " in mention:
        return None  # "Kerry and Lavrov said": a joint statement, not one speaker's
    resolution = article.resolve(mention)
    if resolution.speaker is None and not _vague_speaker(mention):
        return None
    if inverted:
        content_end = _content_end_before(text, start, cue_start)
        return _trailing(text, start, content_end, end, np[1], resolution, mention, cue, quoted)
    content_end = _content_end_before(text, start, np[0])
    leading_at = _leading_content_start(text, cue_end, end, cue, quoted)
    if (
        leading_at is not None
        and content_end > start
        and not _immediate(text, cue_end, end)
        and not _INTRODUCTORY.fullmatch(text, start, content_end)
    ):
        leading_at = None  # `X, Lavrov told reporters, adding that Y`: X is the content
    if leading_at is not None:
        frame = (max(start, np[0] - 20), leading_at)
        if not text[leading_at:end].strip(" .") and text[cue_end:leading_at].strip() == ":":
            return [_pending(resolution, mention, cue, frame)]
        return _with_participles(text, leading_at, end, resolution, mention, cue, frame, quoted)
    if content_end <= start:
        rest = text[cue_end:end]
        hearer = cue.lower() in TAKES_HEARER and len(rest.split()) <= 6
        if rest.strip(" .,") and not hearer and not _ADVERBIAL_START.match(rest):
            return None
        return [_pending(resolution, mention, cue, (start, end))]
    return _trailing(text, start, content_end, end, cue_end, resolution, mention, cue, quoted)


def _pending(resolution, mention, cue, frame) -> Found:
    return Found(resolution, mention, cue, frame[0], frame[0], "direct", frame, 0.0, True)


def _trailing(text, start, content_end, end, after, resolution, mention, cue, quoted):
    found = content_found(
        text, start, content_end, resolution=resolution, mention=mention, cue=cue,
        frame=(content_end, end),
    )  # fmt: skip
    if found is None:
        return None
    extra = _participles(text, after, end, resolution, mention, quoted)
    return [found, *extra]


def _with_participles(text, lo, end, resolution, mention, cue, frame, quoted) -> list[Found]:
    first_end = end
    extra = _participles(text, lo, end, resolution, mention, quoted)
    if extra:
        first_end = _participle_start(text, lo, end, quoted)
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


def _participle_start(text, lo, end, quoted) -> int:
    return _participle_matches(text, lo, end, quoted)[0].start()


def _participles(text, lo, end, resolution, mention, quoted) -> list[Found]:
    matches = _participle_matches(text, lo, end, quoted)
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


def _leading_content_start(text, cue_end, end, cue, quoted) -> int | None:
    """Where the reported content starts when the cue comes first; None when it does not."""
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
        if time is None or lowered in THAT_ONLY:
            return None
        cue_end = time.end()
    if lowered in THAT_ONLY:
        return None
    m = _CLAUSE_START.match(text, cue_end, end)
    if m is not None and text[cue_end] == " ":
        return cue_end + 1
    return None


def _last_separator(text: str, start: int, cue_start: int) -> int:
    index = cue_start - 1
    while index >= start and text[index] not in _SEPARATORS:
        index -= 1
    return index + 1


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


def _appositive_subject(text, start, separator, article) -> tuple[int, int] | None:
    """`Salem Al Meslet, a senior opposition member, said`: the name before the aside."""
    hi = separator - 1  # the comma just before the cue
    for _ in range(2):
        lo = _last_separator(text, start, hi)
        chunk = text[lo:hi].strip()
        if not chunk:
            return None
        if chunk[0].isupper() and not chunk.lower().startswith(("the ", "a ", "an ")):
            np = noun_phrase_before(text, lo, hi)
            named = np is not None and text[lo : np[0]].strip() == ""
            if named and article.resolve(text[np[0] : np[1]]).speaker is not None:
                return np
            return None
        if lo <= start or text[lo - 1] != ",":
            return None
        hi = lo - 1
    return None


def _bare_quote(text: str, start: int, end: int, inside: list[Quote]) -> Found | None:
    """A sentence that is all quote: its speaker is the last quoted one (pipeline's call)."""
    for quote in inside:
        if quote.start > start or text[quote.start] not in _OPEN_MARKS:
            continue
        if (min(quote.end, end) - start) < 0.8 * (end - start):
            continue
        span = _trim_inner(text, quote.inner_start, min(quote.inner_end, end))
        if span is None or len(_WORD.findall(text, *span)) < 4 or text[slice(*span)].isupper():
            return None
        return Found(None, None, None, span[0], span[1], "direct", (start, end), 0.6)
    return None


def _trim_content(text: str, lo: int, hi: int) -> tuple[int, int, Kind] | None:
    while lo < hi and (text[lo].isspace() or text[lo] in ",;:"):
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;:."):
        hi -= 1
    if hi <= lo:
        return None
    has_marks = any(c in _OPEN_MARKS or c in _CLOSE_MARKS for c in text[lo:hi])
    if text[lo] in _OPEN_MARKS and text[hi - 1] in _CLOSE_MARKS:
        inner = text[lo + 1 : hi - 1]
        if not any(c in _OPEN_MARKS or c in _CLOSE_MARKS for c in inner):
            span = _trim_inner(text, lo + 1, hi - 1)
            return (*span, "direct") if span else None
    if text[lo] in _OPEN_MARKS and not any(c in _CLOSE_MARKS for c in text[lo + 1 : hi]):
        span = _trim_inner(text, lo + 1, hi)  # an opening mark never closed
        return (*span, "direct") if span else None
    # A curly closing mark never opened: the whole sentence is the quote.
    if text[hi - 1] == "”" and not any(c in _OPEN_MARKS for c in text[lo : hi - 1]):
        span = _trim_inner(text, lo, hi - 1)
        return (*span, "direct") if span else None
    return (lo, hi, "mixed" if has_marks else "indirect")


def _trim_inner(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;:"):
        hi -= 1
    return (lo, hi) if hi > lo else None
