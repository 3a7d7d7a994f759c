"""The extraction pipeline: paragraphs, quotes, sentences, attribution, dates, themes.

Also the place for what spans sentences: a cue alone in its sentence ("negotiationsLavrov
said.") takes the sentence before as content, a bare quote sentence belongs to the last
quoted speaker of the paragraph or the one before, and a statement already seen (a
paragraph printed twice) is not reported again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.extract.attribution import Found, attribute, content_found
from app.extract.dates import statement_date
from app.extract.mentions import noun_phrase_after
from app.extract.model import ExtractedStatement
from app.extract.paragraphs import paragraphs
from app.extract.quotes import find_quotes
from app.extract.sentences import split_sentences
from app.extract.speakers import NATIONALITIES as _PLACES
from app.extract.speakers import ArticleSpeakers, Resolution, normalize
from app.extract.themes import theme_scores

_NON_WORD = re.compile(r"\W+")


@dataclass(slots=True)
class _LastQuote:
    resolution: Resolution | None
    mention: str | None
    cue: str | None
    paragraph: int


def extract_statements(body: str, *, published: date | None = None) -> list[ExtractedStatement]:
    """Statements in document order."""
    article = ArticleSpeakers(published)
    found: list[Found] = []
    last_quote: _LastQuote | None = None
    for number, paragraph in enumerate(paragraphs(body)):
        quotes = find_quotes(body, paragraph.start, paragraph.end)
        previous: tuple[int, int] | None = None
        for start, end in split_sentences(body, paragraph.start, paragraph.end, quotes):
            items = attribute(body, start, end, quotes, article)
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
                if item.kind != "indirect" and item.resolution and item.resolution.speaker:
                    last_quote = _LastQuote(item.resolution, item.mention, item.cue, number)
            if not resolved:
                _note_subject(body, start, end, article)
            found.extend(resolved)
            unattributed = all(i.resolution.speaker is None for i in resolved if i.resolution)
            previous = (start, end) if unattributed else None
    return _build(body, _unique(body, found), published)


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


def _note_subject(body: str, start: int, end: int, article: ArticleSpeakers) -> None:
    """Remember who a sentence without statements is about, for a later "he"."""
    np = noun_phrase_after(body, start, end)
    if np is None:
        return
    mention = body[np[0] : np[1]]
    resolution = article.resolve(mention)
    if resolution.how != "unresolved":
        article.note(resolution)
    elif _looks_like_a_name(mention):
        article.note_stranger()


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
        key = _NON_WORD.sub(" ", body[item.start : item.end].lower()).strip()
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


def _build(body: str, found: list[Found], published: date | None) -> list[ExtractedStatement]:
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
                themes=theme_scores(text),
                confidence=item.confidence,
            )
        )
    return statements
