"""Article text with its statements (and skipped noise) marked, built from character offsets.

Article text is untrusted, so markup is assembled here piece by piece with every
slice of the body escaped; templates never mark stored text as safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.extract import ExtractedStatement
from app.ingest.noise import noise_lines
from app.models import Statement
from app.queries.search import MARK_END, MARK_START


@dataclass(frozen=True, slots=True)
class Span:
    """A marked stretch of the body: a statement (kind direct/indirect/mixed) or noise."""

    start: int
    end: int
    kind: str
    label: str
    anchor: str | None = None


def statement_spans(statements: Iterable[Statement]) -> list[Span]:
    return [
        Span(
            s.start,
            s.end,
            s.kind,
            s.speaker.name if s.speaker else "Unattributed",
            f"s{s.id}",
        )
        for s in statements
    ]


def extracted_spans(statements: Iterable[ExtractedStatement]) -> list[Span]:
    return [
        Span(s.start, s.end, s.kind, s.speaker.name if s.speaker else "Unattributed")
        for s in statements
    ]


def noise_spans(body: str) -> list[Span]:
    return [Span(start, end, "noise", reason) for start, end, reason in noise_lines(body)]


def _open_tag(span: Span) -> Markup:
    if span.kind == "noise":
        return Markup('<del class="noise" title="Skipped: {reason}">').format(reason=span.label)
    anchor = Markup(' id="{anchor}"').format(anchor=span.anchor) if span.anchor else Markup("")
    return Markup('<mark class="statement kind-{kind}"{anchor} title="{label} · {kind}">').format(
        kind=span.kind, anchor=anchor, label=span.label
    )


def _close_tag(span: Span) -> Markup:
    if span.kind == "noise":
        return Markup("</del>")
    if span.anchor:
        return Markup('</mark><a class="speaker-tag" href="#card-{anchor}">{label}</a>').format(
            anchor=span.anchor, label=span.label
        )
    return Markup('</mark><span class="speaker-tag">{label}</span>').format(label=span.label)


def highlight(body: str, spans: Sequence[Span]) -> Markup:
    """`body` escaped, each span wrapped in its tag; spans overlapping an earlier one are
    left unmarked rather than nesting tags."""
    pieces: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.start < cursor or span.end > len(body) or span.start >= span.end:
            continue
        pieces.append(escape(body[cursor : span.start]))
        pieces.append(_open_tag(span) + escape(body[span.start : span.end]) + _close_tag(span))
        cursor = span.end
    pieces.append(escape(body[cursor:]))
    return Markup("").join(pieces)


def highlight_article(body: str, statements: Sequence[Statement]) -> Markup:
    """The article page's body: statements marked, noise struck through."""
    return highlight(body, [*statement_spans(statements), *noise_spans(body)])


def highlight_preview(body: str, statements: Sequence[ExtractedStatement]) -> Markup:
    return highlight(body, [*extracted_spans(statements), *noise_spans(body)])


def marked_matches(marked: str) -> Markup:
    """Search matches as `<mark>`: `marked` is text with `MARK_START`/`MARK_END` around
    each match (from `ts_headline`); every piece of text is escaped, and matched words
    separated only by spaces share one mark, as a phrase reads."""
    marked = re.sub(f"{MARK_END}(\\s+){MARK_START}", r"\1", marked)
    pieces: list[Markup] = []
    for index, part in enumerate(re.split(f"[{MARK_START}{MARK_END}]", marked)):
        if not part:
            continue
        escaped = escape(part)
        pieces.append(
            Markup('<mark class="match">{}</mark>').format(escaped) if index % 2 else escaped
        )
    return Markup("").join(pieces)
