"""Writing the statements of stored articles: their rows, themes, entities and counts.

Called by the indexing step (`app.services.indexing`) for new articles and by
`app.services.reprocess` for re-extracted ones; rows go in by COPY
(`app.services.bulk`), speakers outside the registry are created on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extract import ExtractedStatement, SpeakerRef
from app.models import Speaker, Theme
from app.services import counts
from app.services.bulk import allocate_ids, any_of, copy_rows, ids_creating
from app.services.entities import write_statement_entities

STATEMENT_COLUMNS = (
    "id",
    "article_id",
    "outlet_id",
    "speaker_id",
    "speaker_mention",
    "text",
    "kind",
    "cue",
    "start",
    "end",
    "stated_on",
    "stated_precision",
    "confidence",
)


def _speaker_ids(session: Session, refs: list[SpeakerRef]) -> dict[str, int]:
    """Ids by slug; speakers outside the registry are created unconfirmed for editors.

    A speaker an editor merged into another gives the other's id, so the merge holds for
    articles stored or reprocessed later."""
    rows = {
        r.slug: {"slug": r.slug, "name": r.name, "kind": r.kind, "confirmed": r.known} for r in refs
    }
    ids = ids_creating(session, Speaker, rows)
    if not ids:
        return ids
    merged = dict(
        session.execute(
            select(Speaker.id, Speaker.merged_into_id).where(
                any_of(Speaker.id, set(ids.values())), Speaker.merged_into_id.is_not(None)
            )
        ).all()
    )
    return {slug: merged.get(speaker_id, speaker_id) for slug, speaker_id in ids.items()}


def _theme_ids(session: Session, slugs: set[str]) -> dict[str, int]:
    if not slugs:
        return {}
    return dict(
        session.execute(select(Theme.slug, Theme.id).where(any_of(Theme.slug, slugs))).all()
    )


def write_statements(
    session: Session,
    statements_by_article: Mapping[int, Sequence[ExtractedStatement]],
    outlets: Mapping[int, int | None],
) -> None:
    """COPY the statements of stored articles, their themes and entities; speakers as needed.

    `outlets` gives each article's outlet id, which its statements carry
    (`Statement.outlet_id`): the callers have it at hand.

    The count tables (`app.services.counts`) count the articles' statements in the same
    transaction, so the articles' stories must be set before: a caller replacing an
    article's statements withdrew its counts first.
    """
    found = [s for statements in statements_by_article.values() for s in statements]
    speaker_ids = _speaker_ids(session, [s.speaker for s in found if s.speaker])
    theme_ids = _theme_ids(session, {t.slug for s in found for t in s.themes})
    ids = iter(allocate_ids(session, "statements", len(found)))
    rows: list[tuple] = []
    themes: dict[tuple[int, int], tuple[int, int, float]] = {}
    for article_id, statements in statements_by_article.items():
        for s in statements:
            statement_id = next(ids)
            rows.append(
                (
                    statement_id,
                    article_id,
                    outlets[article_id],
                    speaker_ids[s.speaker.slug] if s.speaker else None,
                    s.speaker_mention,
                    s.text,
                    s.kind,
                    s.cue,
                    s.start,
                    s.end,
                    s.date,
                    s.date_precision,
                    s.confidence,
                )
            )
            for theme in s.themes:
                if theme.slug in theme_ids:
                    key = (statement_id, theme_ids[theme.slug])
                    themes[key] = (*key, theme.score)
    if rows:
        copy_rows(session, "statements", STATEMENT_COLUMNS, rows)
    if themes:
        copy_rows(
            session, "statement_themes", ("statement_id", "theme_id", "score"), themes.values()
        )
    write_statement_entities(session, zip((row[0] for row in rows), found, strict=True))
    counts.add(session, article_ids=list(statements_by_article))
