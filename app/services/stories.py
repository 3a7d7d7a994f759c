"""Near-duplicates grouped as one story: which stored story a new article joins.

Articles sharing a MinHash band key (`app.ingest.similarity.band_keys`) are candidates;
each is then checked on its signature, and an article joins the story of its most
similar one at NEAR_DUPLICATE_THRESHOLD or more, else starts a story of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.ingest.similarity import NEAR_DUPLICATE_THRESHOLD, similarities

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


class Grouped(Protocol):
    """An article being indexed, as story assignment sees it."""

    minhash: bytes | None
    keys: set[int]
    story: int
    """Set here: a stored story's id, or minus the number of a story new in the batch."""


def stored_candidates(session: Session, keys: set[int]) -> dict[int, list[tuple[bytes, int]]]:
    """(signature, story) of the stored articles sharing each of `keys`, by key."""
    candidates: dict[int, list[tuple[bytes, int]]] = {}
    session.execute(text("SET LOCAL enable_seqscan = off"))
    rows = session.execute(_CANDIDATES, {"keys": sorted(keys), "per_key": CANDIDATES_PER_KEY})
    for key, minhash, story_id in rows:
        candidates.setdefault(key, []).append((minhash, story_id))
    session.execute(text("RESET enable_seqscan"))
    return candidates


def assign_stories(session: Session, batch: Sequence[Grouped]) -> int:
    """Give each article the story of its most similar article, stored or earlier in the
    batch, at NEAR_DUPLICATE_THRESHOLD or more; else a new story. Returns how many new.
    """
    candidates = stored_candidates(session, {key for new in batch for key in new.keys})
    new_stories = 0
    for new in batch:
        signature = new.minhash
        found = [pair for key in new.keys for pair in candidates.get(key, ())]
        best = None
        if signature is not None and found:
            scores = similarities(signature, [minhash for minhash, _ in found])
            best = max(zip(scores, (story for _, story in found), strict=True))
        if best is not None and best[0] >= NEAR_DUPLICATE_THRESHOLD:
            new.story = best[1]
        else:
            new_stories += 1
            new.story = -new_stories
        if signature is not None:
            for key in new.keys:
                candidates.setdefault(key, []).append((signature, new.story))
    return new_stories
