"""The extraction pipeline: paragraphs, quotes, sentences, attribution, dates, themes.

Also the place for what spans sentences: a cue alone in its sentence ("negotiationsLavrov
said.") takes the sentence before as content, a bare quote sentence belongs to the last
quoted speaker of the paragraph or the one before, and a statement already seen (a
paragraph printed twice) is not reported again.

A digest introduced by "Below are Putin's key statements" makes every following sentence
without an attribution of its own that speaker's: consecutive plain sentences of a
paragraph form one statement, a sentence with quotation marks stands alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from app.extract.attribution import (
    Found,
    attribute,
    content_found,
    may_attribute,
    scene_end,
    trim_content,
)
from app.extract.dates import statement_date
from app.extract.entities import entities_about
from app.extract.mentions import ROLE_WORDS, noun_phrase_after
from app.extract.model import ExtractedStatement
from app.extract.paragraphs import paragraphs
from app.extract.patterns import literal_alternation
from app.extract.quotes import find_quotes
from app.extract.sentences import split_sentences
from app.extract.speakers import NATIONALITIES as _PLACES
from app.extract.speakers import ArticleSpeakers, Resolution, normalize
from app.extract.themes import theme_scores
from app.ingest.similarity import SPACE_BUT_WORDS
from app.knowledge import Registry, shipped

_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class _LastQuote:
    resolution: Resolution | None
    mention: str | None
    cue: str | None
    paragraph: int


def extract_statements(
    body: str, *, published: date | None = None, registry: Registry | None = None
) -> list[ExtractedStatement]:
    """Statements in document order, resolved against `registry` (the shipped one when
    None: the service layer passes the one admins edit, built from the database)."""
    registry = registry or shipped()
    article = ArticleSpeakers(published, body, registry)
    found: list[Found] = []
    last_quote: _LastQuote | None = None
    digest: tuple[Resolution, str] | None = None
    for number, (paragraph_start, paragraph_end) in enumerate(paragraphs(body)):
        heading = _digest_heading(body, paragraph_start, paragraph_end)
        if heading is not None:
            resolution = article.resolve(heading.group("who"))
            if resolution.speaker is not None:
                digest = (resolution, heading.group("who"))
                continue
        quotes = find_quotes(body, paragraph_start, paragraph_end)
        narration = not may_attribute(body, paragraph_start, paragraph_end, quotes)
        if narration and digest is None:  # nobody's words: only who it is about may matter
            article.defer(partial(_note_narration, body, paragraph_start, paragraph_end))
            continue
        previous: tuple[int, int] | None = None
        for start, end in split_sentences(body, paragraph_start, paragraph_end, quotes):
            if start == paragraph_start and (dateline := _dateline(body, start, end)):
                start = dateline.end()  # "TOKYO, Dec 24 (Xinhua) - " is nobody's words
            subject = _SubjectNote(body, start, end)
            article.defer(subject)
            items = [] if narration else attribute(body, start, end, quotes, article)
            if not items and digest is None:  # most sentences: nobody's words
                subject.note_stranger(article)
                previous = (start, end)
                continue
            if digest is not None and all(i.resolution is None for i in items):
                item = _digest_item(body, start, end, digest, found, paragraph_start)
                if item is not None:
                    found.append(item)
                    continue
            resolved: list[Found] = []
            for item in items:
                if item.pending:
                    pending = item
                    item = _attach_to_previous(body, item, previous)
                    if item is not None and previous is not None:
                        found = [f for f in found if f.end <= previous[0] or f.start >= previous[1]]
                    if item is None:  # "Spicer said:" with the quote in the next paragraph
                        last_quote = _LastQuote(
                            pending.resolution, pending.mention, pending.cue, number
                        )
                        continue
                elif item.resolution is None:
                    item = _continue_quote(item, last_quote, number)
                    if item is None:
                        continue
                resolved.append(item)
            for item in resolved:
                if item.resolution is not None and item.resolution.speaker is not None:
                    article.note(item.resolution)
                if item.resolution and item.resolution.speaker:
                    last_quote = _LastQuote(item.resolution, item.mention, item.cue, number)
            if not resolved:
                subject.note_stranger(article)
            found.extend(resolved)
            unattributed = all(i.resolution.speaker is None for i in resolved if i.resolution)
            previous = (start, end) if unattributed else None
    return _build(body, _unique(body, found), published, registry)


def _note_narration(body: str, start: int, end: int, article: ArticleSpeakers) -> None:
    """Note who each sentence of a paragraph of narration is about, as the loop over
    sentences would (none holds a statement): a step the article runs only when a later
    resolution depends on it, so the paragraph may never even be split into sentences."""
    for sentence_start, sentence_end in split_sentences(body, start, end, []):
        if sentence_start == start and (dateline := _dateline(body, sentence_start, sentence_end)):
            sentence_start = dateline.end()
        subject = _sentence_subject(body, sentence_start, sentence_end, article)
        if subject is not None:
            if subject.speaker is not None:
                article.note(subject)
            else:
                article.note_stranger()


class _SubjectNote:
    """Noting who a sentence is about (`_sentence_subject`), for a "he" after it: a step
    the article runs only when a resolution next depends on it (`ArticleSpeakers.defer`),
    as finding the subject costs more than anything else most sentences do."""

    __slots__ = ("body", "end", "ran", "start", "stranger", "subject")

    def __init__(self, body: str, start: int, end: int) -> None:
        self.body, self.start, self.end = body, start, end
        self.ran = False
        self.subject: Resolution | None = None
        self.stranger = False

    def __call__(self, article: ArticleSpeakers) -> None:
        self.ran = True
        self.subject = subject = _sentence_subject(self.body, self.start, self.end, article)
        if subject is not None:
            if subject.speaker is not None:
                article.note(subject)
            elif self.stranger:
                article.note_stranger()

    def note_stranger(self, article: ArticleSpeakers) -> None:
        """The sentence gave no statement: a person it is about whom we cannot name makes
        a following "he" nobody's (once the subject is found, if it ever is)."""
        if not self.ran:
            self.stranger = True  # nothing was noted after this step: it notes it itself
        elif self.subject is not None and self.subject.speaker is None:
            article.note_stranger()


def to_contract(statement: ExtractedStatement, *, article: str) -> dict:
    """The JSON Lines object of the extraction contract (docs/DESIGN.md)."""
    return {
        "article": article,
        "speaker": statement.speaker.name if statement.speaker else None,
        "speaker_mention": statement.speaker_mention,
        "text": statement.text,
        "kind": statement.kind,
        "cue": statement.cue,
        "start": statement.start,
        "end": statement.end,
        "date": statement.date.isoformat() if statement.date else None,
        "themes": [theme.slug for theme in statement.themes],
    }


# A wire dateline opening a paragraph: the place in capitals, then a date, an agency in
# brackets or both, then a dash: "MOSCOW, January 13 (Sputnik) - ", "KYIV (Reuters) — ".
DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’\-]*(?:\s+[A-Z][A-Z.'’\-]*){0,3}"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?"
    r"(?:\s*\([^()\n]{1,40}\))?|\s*\([^()\n]{1,40}\))\s*[-–—]+\s+"
)


def _dateline(body: str, start: int, end: int) -> re.Match[str] | None:
    """`DATELINE.match`, skipped when the second letter is small: "The talks ..." never
    starts a dateline, whose first word is in capitals."""
    if start + 1 < end and body[start + 1].islower():
        return None
    return DATELINE.match(body, start, end)


def _digest_heading(body: str, start: int, end: int) -> re.Match[str] | None:
    """`_DIGEST.match` where its first word may start (after any spaces)."""
    first = body[start]
    if first not in "BHT" and not first.isspace():
        return None
    return _DIGEST.match(body, start, end)


_DIGEST = re.compile(
    r"^\s*(?:Below\s+are|Here\s+are|The\s+following\s+are)\s+(?:the\s+)?"
    r"(?P<who>[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3}?)(?:['’]s?)\s+"
    r"(?:\w+\s+){0,2}(?:statements|remarks|quotes|comments|theses|points)\b",
    re.MULTILINE,
)


def _digest_item(body, start, end, digest, found, paragraph_start) -> Found | None:
    """A sentence of a "key statements" digest: the digest speaker's."""
    resolution, mention = digest
    span = trim_content(body, start, end)
    if span is None:
        return None
    lo, hi, kind = span
    previous = found[-1] if found else None
    plain = kind == "indirect"
    if (
        plain
        and previous is not None
        and previous.kind == "indirect"
        and previous.cue is None
        and previous.resolution == resolution
        and previous.start >= paragraph_start
        and not body[previous.end : lo].strip(" .!?")
    ):
        found.pop()  # consecutive plain sentences of one paragraph make one statement
        lo = previous.start
    return Found(resolution, mention, None, lo, hi, kind, (start, end), 0.7)


def _attach_to_previous(body: str, item: Found, previous: tuple[int, int] | None):
    if previous is None or item.resolution is None:
        return None
    return content_found(
        body, previous[0], previous[1], resolution=item.resolution, mention=item.mention,
        cue=item.cue, frame=item.frame, weight=0.9,
    )  # fmt: skip


def _continue_quote(item: Found, last: _LastQuote | None, paragraph: int) -> Found | None:
    """A bare quote: the last quoted speaker's when they spoke just before, else nobody's."""
    if last is not None and last.resolution is not None and paragraph - last.paragraph <= 1:
        weight = 0.85 if paragraph == last.paragraph else 0.7
        confidence = round(item.confidence / 0.6 * 0.9 * weight, 3)
        return Found(
            last.resolution, last.mention, last.cue, item.start, item.end, "direct",
            item.frame, confidence,
        )  # fmt: skip
    return Found(
        Resolution(None, "unresolved"), None, None, item.start, item.end, "direct",
        item.frame, 0.3,
    )  # fmt: skip


_CAPITAL_OR_ROLE = re.compile(
    r"\b(?:[A-Z]|he\b|she\b|(?:" + literal_alternation(ROLE_WORDS) + r")\b)"
)


def _sentence_subject(
    body: str, start: int, end: int, article: ArticleSpeakers
) -> Resolution | None:
    """Who a sentence is about, for a "he" in it or after it: the subject after any
    scene-setting ("On Monday, however, the spokesman, Sean Spicer, said" is Spicer).
    A resolution without speaker stands for a person named but not known; None: nobody."""
    np = noun_phrase_after(body, scene_end(body, start, end), end)
    if np is None or not _CAPITAL_OR_ROLE.search(body, np[0], np[1]):
        return None  # "the talks", "it": nobody to remember
    mention = body[np[0] : np[1]]
    if mention.endswith(("'s", "’s")):
        mention = mention[:-2]
    if body.startswith(", ", np[1]):
        aside = noun_phrase_after(body, np[1] + 2, end)
        if aside is not None and body.startswith(",", aside[1]):
            named = article.resolve(body[aside[0] : aside[1]])
            if named.speaker is not None and named.speaker.kind == "person":
                return named  # "the White House spokesman, Sean Spicer, ..."
    resolution = article.resolve(mention)
    if resolution.how != "unresolved":
        return resolution if resolution.speaker is not None else None
    return resolution if _looks_like_a_name(mention) else None


@lru_cache(maxsize=16384)
def _looks_like_a_name(mention: str) -> bool:
    words = mention.split()
    return (
        1 <= len(words) <= 3
        and all(w[0].isupper() for w in words)
        and normalize(mention) not in _PLACES
        and words[0].lower() not in {"the", "a", "an"}
    )


def _unique(body: str, found: list[Found]) -> list[Found]:
    seen: set[str] = set()
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, f.end)):
        key = _word_key(body[item.start : item.end].lower())
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


def _word_key(text: str) -> str:
    """`" ".join(_WORD.findall(text))`, for ASCII text without the regex."""
    if text.isascii():
        return b" ".join(text.encode().translate(SPACE_BUT_WORDS).split()).decode()
    return " ".join(_WORD.findall(text))


def _build(
    body: str, found: list[Found], published: date | None, registry: Registry
) -> list[ExtractedStatement]:
    statements = []
    for item in found:
        resolution = item.resolution or Resolution(None, "unresolved")
        day, precision = statement_date(body, *item.frame, published=published)
        text = body[item.start : item.end]
        statements.append(
            ExtractedStatement(
                speaker=resolution.speaker,
                speaker_mention=item.mention,
                text=text,
                kind=item.kind,
                cue=item.cue,
                start=item.start,
                end=item.end,
                date=day,
                date_precision=precision,
                themes=theme_scores(text, registry),
                confidence=item.confidence,
                entities=entities_about(text, speaker=resolution.speaker, offset=item.start),
            )
        )
    return statements
