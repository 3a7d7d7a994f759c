"""Storing articles: extraction runs here, then articles and their statements are written.

`store_articles` writes a batch in the caller's transaction: exact duplicates are
refused (against stored articles and earlier ones of the batch), near-duplicates join
the story of the most similar article, stored or earlier in the batch, and the rows go
in by COPY (`app.services.bulk`). `store_article` is a batch of one in its own
transaction: either the article is stored with all its statements or, for a duplicate
or bad input, nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.db_statistics import refresh_stale_statistics
from app.extract import ExtractedStatement, SpeakerRef, extract_statements
from app.ingest import OutletRef, ParsedArticle
from app.ingest.fingerprint import content_hash, sha256_hex
from app.ingest.finish import finish_article
from app.ingest.similarity import NEAR_DUPLICATE_THRESHOLD, band_keys, similarities
from app.models import Article, Outlet, Speaker, Theme
from app.services import counts
from app.services.bulk import allocate_ids, any_of, copy_rows, robust_plans
from app.services.entities import write_statement_entities
from app.services.registry import current_registry, edited_outlets, with_edited_outlet

ARTICLE_COLUMNS = (
    "id",
    "outlet_id",
    "title",
    "url",
    "published_on",
    "published_precision",
    "body",
    "raw",
    "raw_sha256",
    "content_hash",
    "source_name",
    "language",
    "minhash",
    "story_id",
    "band_keys",
)
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


def statements_found(count: int) -> str:
    """The outcome line editors read in reports: "1 statement", "3 statements"."""
    return f"{count} statement" if count == 1 else f"{count} statements"


class DuplicateArticleError(Exception):
    """The same content is already stored; `article_id` is the stored copy."""

    def __init__(self, article_id: int, title: str) -> None:
        super().__init__(f"This article is already stored as “{title}”.")
        self.article_id = article_id
        self.title = title


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    statements: int


def _ids_creating(
    session: Session, model: type[Outlet] | type[Speaker], rows: dict[str, dict[str, object]]
) -> dict[str, int]:
    """Ids by slug for `rows` (slug -> column values), inserting the ones not stored yet."""
    if not rows:
        return {}

    def lookup(slugs: Iterable[str]) -> dict[str, int]:
        query = select(model.slug, model.id).where(any_of(model.slug, slugs))
        return dict(session.execute(query).all())

    ids = lookup(rows)
    missing = [values for slug, values in rows.items() if slug not in ids]
    if missing:
        session.execute(
            insert(model).values(missing).on_conflict_do_nothing(index_elements=[model.slug])
        )
        ids.update(lookup(str(values["slug"]) for values in missing))
    return ids


def _outlet_ids(session: Session, refs: list[OutletRef]) -> dict[str, int]:
    """Ids by slug; outlets typed by an editor are created on first use."""
    rows = {r.slug: {"slug": r.slug, "name": r.name, "domain": r.domain} for r in refs}
    return _ids_creating(session, Outlet, rows)


def _speaker_ids(session: Session, refs: list[SpeakerRef]) -> dict[str, int]:
    """Ids by slug; speakers outside the registry are created unconfirmed for editors.

    A speaker an editor merged into another gives the other's id, so the merge holds for
    articles stored or reprocessed later."""
    rows = {
        r.slug: {"slug": r.slug, "name": r.name, "kind": r.kind, "confirmed": r.known} for r in refs
    }
    ids = _ids_creating(session, Speaker, rows)
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
    transaction: a caller replacing an article's statements withdrew its counts first.
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


@dataclass(slots=True)
class _New:
    """An article of the batch that is not a duplicate, on its way to the tables."""

    parsed: ParsedArticle
    statements: list[ExtractedStatement]
    hash: str
    keys: set[int]
    story: int = 0
    """A stored story's id, or minus the number of a story new in this batch."""
    id: int = 0


CANDIDATES_PER_KEY = 32
"""Stored articles compared with a new one through any one band key, at most.

Most keys are shared by a handful of articles, but some by thousands: four signature
values that common phrasing or an outlet's furniture decides, not a story. The
benchmarks' generated articles, which share far more phrasing than real ones, made keys
of 1,400 articles at 130,000 stored, and these keys grow with the table: every article
sharing one was compared with all of them. A copy shares several keys with its story
(at the threshold's similarity, 0.5, one band in sixteen on average; at 0.8, six or
seven), so the first CANDIDATES_PER_KEY articles the index gives for a key (the oldest,
in the table's order) stand for it; a story syndicated a thousand times is found
through any of them, all being that story."""

_CANDIDATES = text(
    """
    SELECT k.key, a.minhash, a.story_id
    FROM unnest(CAST(:keys AS bigint[])) AS k(key)
    JOIN LATERAL (
        SELECT minhash, story_id FROM articles
        WHERE band_keys @> ARRAY[k.key] AND minhash IS NOT NULL AND story_id IS NOT NULL
        LIMIT :per_key
    ) a ON true
    """
)
"""The stored articles sharing each band key (CANDIDATES_PER_KEY at most), one index
probe per key.

One probe for all of a batch's keys (`band_keys && :keys`) made the GIN index merge
every matching article against all 3,200 keys: at 100,000 articles it took 320 ms a
batch, more than the rest of the store; probed key by key, 90 ms. Sequential scans are
off for it: on a young table the planner's estimates could pick one per key. The limit
stops each probe's heap reads; the index still lists the key's articles, which is
cheap."""


def stored_candidates(session: Session, keys: set[int]) -> dict[int, list[tuple[bytes, int]]]:
    """(signature, story) of the stored articles sharing each of `keys`, by key."""
    candidates: dict[int, list[tuple[bytes, int]]] = {}
    session.execute(text("SET LOCAL enable_seqscan = off"))
    rows = session.execute(_CANDIDATES, {"keys": sorted(keys), "per_key": CANDIDATES_PER_KEY})
    for key, minhash, story_id in rows:
        candidates.setdefault(key, []).append((minhash, story_id))
    session.execute(text("RESET enable_seqscan"))
    return candidates


def _assign_stories(session: Session, batch: list[_New]) -> int:
    """Give each article the story of its most similar article, stored or earlier in the
    batch, at NEAR_DUPLICATE_THRESHOLD or more; else a new story. Returns how many new.

    Candidates share a MinHash band key; each is then checked on its signature.
    """
    candidates = stored_candidates(session, {key for new in batch for key in new.keys})
    new_stories = 0
    for new in batch:
        signature = new.parsed.minhash
        found = [pair for key in new.keys for pair in candidates.get(key, ())]
        scores = similarities(signature, [minhash for minhash, _ in found])
        best = max(
            zip(scores, (story for _, story in found), strict=True),
            default=None,
        )
        if best is not None and best[0] >= NEAR_DUPLICATE_THRESHOLD:
            new.story = best[1]
        else:
            new_stories += 1
            new.story = -new_stories
        for key in new.keys:
            candidates.setdefault(key, []).append((signature, new.story))
    return new_stories


def store_articles(
    session: Session, batch: Sequence[tuple[ParsedArticle, list[ExtractedStatement]]]
) -> list[StoredArticle | DuplicateArticleError]:
    """Write parsed articles and their statements in the session's transaction, in order.

    The caller commits. Each entry's result is the stored article, or the duplicate
    error naming the copy stored before (in the database or earlier in the batch). A
    database error leaves the transaction to roll back: the batch is all or nothing.
    """
    if not batch:
        return []
    refresh_stale_statistics(session)
    robust_plans(session)
    hashes = [content_hash(parsed.body) for parsed, _ in batch]
    stored = {
        row.content_hash: DuplicateArticleError(row.id, row.title)
        for row in session.execute(
            select(Article.content_hash, Article.id, Article.title).where(
                any_of(Article.content_hash, set(hashes))
            )
        )
    }
    entries: list[DuplicateArticleError | tuple[_New, bool]] = []
    first: dict[str, _New] = {}
    outlets = edited_outlets(session)
    for (parsed, statements), hash in zip(batch, hashes, strict=True):
        if hash in stored:
            entries.append(stored[hash])
        elif hash in first:
            entries.append((first[hash], False))
        else:
            parsed = with_edited_outlet(finish_article(parsed), outlets)
            first[hash] = _New(parsed, statements, hash, set(band_keys(parsed.minhash)))
            entries.append((first[hash], True))
    new = list(first.values())
    if new:
        _write_articles(session, new)
    return [
        entry
        if isinstance(entry, DuplicateArticleError)
        else StoredArticle(entry[0].id, len(entry[0].statements))
        if entry[1]
        else DuplicateArticleError(entry[0].id, entry[0].parsed.title)
        for entry in entries
    ]


def _write_articles(session: Session, new: list[_New]) -> None:
    """Give the articles their ids and stories, then COPY them with all they own."""
    story_ids = allocate_ids(session, "stories", _assign_stories(session, new))
    for article_id, article in zip(allocate_ids(session, "articles", len(new)), new, strict=True):
        article.id = article_id
        if article.story < 0:
            article.story = story_ids[-article.story - 1]
    outlet_ids = _outlet_ids(session, [n.parsed.outlet for n in new if n.parsed.outlet])
    outlet_of = {n.id: outlet_ids[n.parsed.outlet.slug] if n.parsed.outlet else None for n in new}
    if story_ids:
        copy_rows(session, "stories", ("id",), [(story_id,) for story_id in story_ids])
    copy_rows(
        session,
        "articles",
        ARTICLE_COLUMNS,
        [
            (
                n.id,
                outlet_of[n.id],
                n.parsed.title,
                n.parsed.url,
                n.parsed.published,
                n.parsed.published_precision,
                n.parsed.body,
                n.parsed.raw,
                sha256_hex(n.parsed.raw),
                n.hash,
                n.parsed.source_name,
                n.parsed.language,
                n.parsed.minhash,
                n.story,
                sorted(n.keys),
            )
            for n in new
        ],
    )
    write_statements(session, {n.id: n.statements for n in new}, outlet_of)


def find_duplicate(session: Session, body: str) -> Article | None:
    return session.execute(
        select(Article).where(Article.content_hash == content_hash(body))
    ).scalar_one_or_none()


def store_article(
    session: Session,
    *,
    parsed: ParsedArticle,
    statements: list[ExtractedStatement],
    commit: bool = True,
) -> Article:
    """Write one parsed article and its extracted statements: a batch of one.

    Raises DuplicateArticleError, leaving the database unchanged, when the content is
    stored. With `commit=False` the caller commits, to record more in the same transaction.
    """
    [result] = store_articles(session, [(parsed, statements)])
    if isinstance(result, DuplicateArticleError):
        raise result
    if commit:
        session.commit()
    return session.get_one(Article, result.id)


def add_article(session: Session, parsed: ParsedArticle, *, commit: bool = True) -> Article:
    """Extract statements from a parsed article and store both."""
    statements = extract_statements(
        parsed.body, published=parsed.published, registry=current_registry(session)
    )
    return store_article(session, parsed=parsed, statements=statements, commit=commit)
