"""Article text with its statements marked, built from character offsets.

Article text is untrusted, so markup is assembled here piece by piece with every
slice of the body escaped; templates never mark stored text as safe.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from app.models import Statement


def highlight_statements(body: str, statements: Sequence[Statement]) -> Markup:
    """`body` escaped, each statement's span wrapped in a <mark> naming its speaker.

    Spans that overlap an earlier one are left unmarked rather than nesting marks.
    """
    pieces: list[str] = []
    cursor = 0
    for statement in sorted(statements, key=lambda s: (s.start, s.end)):
        if statement.start < cursor or statement.end > len(body):
            continue
        speaker = statement.speaker.name if statement.speaker else "Unattributed"
        pieces.append(escape(body[cursor : statement.start]))
        pieces.append(
            Markup(
                '<mark class="statement kind-{kind}" id="s{id}" title="{speaker} · {kind}">'
                "{text}</mark>"
                '<a class="speaker-tag" href="#card-s{id}">{speaker}</a>'
            ).format(
                kind=statement.kind,
                id=statement.id,
                speaker=speaker,
                text=body[statement.start : statement.end],
            )
        )
        cursor = statement.end
    pieces.append(escape(body[cursor:]))
    return Markup("").join(pieces)
