"""Emergent themes: statements that fit no curated theme, clustered and proposed.

Texts in, proposals out. Each text becomes a TF-IDF vector of its words and pairs of
adjacent words (English stop words, the words of reporting and numbers left out; a term
must occur in two texts at least); k-means groups the vectors, for every k from 2 to `max_themes`,
and the k whose clusters are best separated (silhouette, cosine) wins. A cluster is
proposed when it holds at least `min_size` distinct texts, with the terms weighing most
in its centroid and its members most typical first.

Deterministic: the same texts in the same order give the same proposals (k-means and
the silhouette sample use a fixed random state). Bounded: callers pass at most
`MAX_STATEMENTS` texts (the query takes the most recent), so one request costs a few
seconds at worst on one core. Repeated texts (a statement carried by several outlets)
are clustered once and counted in their cluster's size every time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from app.analysis import MAX_STATEMENTS

MIN_SIZE = 3
MIN_COHESION = 0.25
"""Below this a cluster is the "everything else" k-means must also make: not proposed.
On the demo corpus that grab-bag measured 0.19 and the weakest real topic 0.45; on 1,300
real unthemed statements the proposals measured 0.31 to 0.47 and the grab-bag 0.08."""
MAX_THEMES = 8
TOP_TERMS = 6
RANDOM_STATE = 0
# Silhouette is quadratic in the number of texts: it is measured on a fixed sample.
_SILHOUETTE_SAMPLE = 1000
# Words every statement may carry whatever it is about.
_REPORTING_WORDS = frozenset(
    ["said", "says", "say", "told", "added", "noted", "stressed", "stated", "according",
     "believe", "believes", "think", "would", "could", "should", "also", "just", "like",
     "want", "wants", "need", "needs", "going", "make", "made", "way", "time", "today",
     "year", "years", "people", "thing", "things", "did", "does", "know", "really",
     "country", "countries", "side", "sides", "issue", "issues", "situation", "new", "mr",
     # what is left of contractions once the apostrophe splits them ("don’t")
     "don", "didn", "doesn", "isn", "aren", "wasn", "weren", "won", "wouldn", "couldn",
     "shouldn", "haven", "hasn", "ll", "ve", "re"]
)  # fmt: skip
_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | _REPORTING_WORDS)
_SPACE = re.compile(r"\s+")
_CLAUSE = re.compile(r"[^\w\s'’\-]+")
_WORD = re.compile(r"\b[^\W\d_][\w\-]*[^\W\d_]\b")


@dataclass(frozen=True, slots=True)
class Proposal:
    """A candidate theme: what its statements share, and which statements they are."""

    terms: tuple[str, ...]  # best first
    members: tuple[int, ...]  # indexes into the texts given, most typical first
    cohesion: float  # mean cosine similarity of the members to the centroid, 0..1

    @property
    def size(self) -> int:
        return len(self.members)


def propose_themes(
    texts: Sequence[str],
    *,
    max_themes: int = MAX_THEMES,
    min_size: int = MIN_SIZE,
    top_terms: int = TOP_TERMS,
) -> list[Proposal]:
    """Clusters of `texts` worth proposing as themes, largest first.

    Fewer than `2 * min_size` distinct texts with shared terms give no proposal: there
    is nothing to separate.
    """
    if len(texts) > MAX_STATEMENTS:
        raise ValueError(f"at most {MAX_STATEMENTS} texts are clustered at once")
    keys = [_SPACE.sub(" ", text.lower()).strip() for text in texts]
    distinct = list(dict.fromkeys(keys))
    if len(distinct) < 2 * min_size:
        return []
    vectorizer = TfidfVectorizer(
        analyzer=_terms,
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform(distinct)
    except ValueError:  # no term occurs in two texts
        return []
    rows = np.flatnonzero(matrix.getnnz(axis=1))  # texts sharing no term stay out
    if len(rows) < 2 * min_size:
        return []
    vectors = matrix[rows]
    # One thread: k-means' OpenMP threads fight the web server's (and each other) for
    # the cores, which made a 1,300-statement run 25 times slower here.
    with threadpool_limits(limits=1):
        labels = _best_labels(vectors, max_k=min(max_themes, len(rows) // min_size))
    if labels is None:
        return []
    terms = vectorizer.get_feature_names_out()
    members_of: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        members_of.setdefault(key, []).append(index)
    proposals = []
    for label in np.unique(labels):
        in_cluster = np.flatnonzero(labels == label)
        if len(in_cluster) < min_size:
            continue
        centroid = np.asarray(vectors[in_cluster].mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        similarity = vectors[in_cluster] @ (centroid / norm)
        if similarity.mean() < MIN_COHESION:
            continue
        order = in_cluster[np.argsort(-similarity, kind="stable")]
        proposals.append(
            Proposal(
                terms=_top_terms(centroid, terms, top_terms),
                members=tuple(
                    member for row in order for member in members_of[distinct[rows[row]]]
                ),
                cohesion=round(float(similarity.mean()), 3),
            )
        )
    return sorted(proposals, key=lambda p: (-p.size, -p.cohesion, p.terms))


def _best_labels(vectors, *, max_k: int) -> np.ndarray | None:
    """k-means labels for the k from 2 to `max_k` with the best silhouette."""
    best: tuple[float, np.ndarray] | None = None
    sample = min(_SILHOUETTE_SAMPLE, vectors.shape[0])
    for k in range(2, max_k + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=RANDOM_STATE).fit_predict(vectors)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(
            vectors, labels, metric="cosine", sample_size=sample, random_state=RANDOM_STATE
        )
        if best is None or score > best[0]:
            best = (score, labels)
    return best[1] if best else None


def _terms(text: str) -> list[str]:
    """Words and pairs of adjacent words, neither a stop word, within one clause: "Russia
    and the United States" gives "russia", "united", "states" and "united states", never
    the "russia united" a stop-word filter before pairing would make."""
    found: list[str] = []
    for clause in _CLAUSE.split(text.lower()):
        words = _WORD.findall(clause)
        found.extend(word for word in words if word not in _STOP_WORDS)
        found.extend(
            f"{first} {second}"
            for first, second in itertools.pairwise(words)
            if first not in _STOP_WORDS and second not in _STOP_WORDS
        )
    return found


def _top_terms(centroid: np.ndarray, terms: np.ndarray, count: int) -> tuple[str, ...]:
    """The heaviest terms, each word said once: a pair takes the place of its words
    chosen before it ("space" and "station" become "space station"), and a term whose
    words a chosen pair already says is skipped."""
    chosen: list[str] = []
    for index in np.argsort(-centroid, kind="stable"):
        if centroid[index] <= 0:
            break
        term = str(terms[index])
        words = term.split()
        pairs = [phrase.split() for phrase in chosen if " " in phrase]
        if any(word in pair for pair in pairs for word in words):
            continue
        replaced = [i for i, phrase in enumerate(chosen) if phrase in words]
        if replaced:
            chosen[replaced[0]] = term
            chosen = [phrase for i, phrase in enumerate(chosen) if i not in replaced[1:]]
        elif len(chosen) < count:
            chosen.append(term)
        else:
            break
    return tuple(chosen)
