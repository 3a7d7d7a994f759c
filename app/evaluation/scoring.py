"""Scoring found statements against gold ones, by the rule in ANNOTATION.md.

A found statement matches a true one when it covers at least 60% of the true one's
words and at least 35% of its own words are the true one's. Matching is one-to-one,
best overlap first. Found statements that match an optional true statement count
neither way; attribution accuracy is the share of matched required statements whose
speaker is right.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from app import knowledge
from app.evaluation.devset import GoldStatement
from app.extract import ExtractedStatement

GOLD_COVERAGE = 0.60
FOUND_PRECISION = 0.35
_WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.casefold()))


def overlap(found: Counter[str], gold: Counter[str]) -> int:
    return sum((found & gold).values())


def is_match(found: Counter[str], gold: Counter[str]) -> bool:
    shared = overlap(found, gold)
    return (
        shared >= GOLD_COVERAGE * sum(gold.values())
        and shared >= FOUND_PRECISION * sum(found.values())
        and shared > 0
    )


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _canonical_by_alias() -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in knowledge.speakers():
        for label in (entry.name, *entry.aliases):
            index.setdefault(_fold(label), _fold(entry.name))
    return index


def same_speaker(found: str | None, gold: str | None) -> bool:
    """Names compare through the registry, so an alias counts as its canonical name."""
    if found is None or gold is None:
        return found is None and gold is None
    index = _canonical_by_alias()
    return index.get(_fold(found), _fold(found)) == index.get(_fold(gold), _fold(gold))


@dataclass
class Score:
    """Counts for one article or a whole set; the rates derive from them."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    attributed_right: int = 0
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    misattributed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def attribution(self) -> float:
        return self.attributed_right / self.true_positives if self.true_positives else 1.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives
        self.attributed_right += other.attributed_right


def score_article(found: list[ExtractedStatement], gold: tuple[GoldStatement, ...]) -> Score:
    found_words = [words(s.text) for s in found]
    gold_words = [words(g.text) for g in gold]
    pairs = sorted(
        (
            (overlap(fw, gw), fi, gi)
            for fi, fw in enumerate(found_words)
            for gi, gw in enumerate(gold_words)
            if is_match(fw, gw)
        ),
        reverse=True,
    )
    found_to_gold: dict[int, int] = {}
    taken: set[int] = set()
    for _, fi, gi in pairs:
        if fi in found_to_gold or gi in taken:
            continue
        found_to_gold[fi] = gi
        taken.add(gi)

    score = Score()
    for fi, statement in enumerate(found):
        gi = found_to_gold.get(fi)
        if gi is None:
            score.false_positives += 1
            score.spurious.append(statement.text)
            continue
        truth = gold[gi]
        if truth.optional:
            continue
        score.true_positives += 1
        name = statement.speaker.name if statement.speaker else None
        if same_speaker(name, truth.speaker):
            score.attributed_right += 1
        else:
            score.misattributed.append(f"{name!s} ≠ {truth.speaker!s}: {truth.text[:70]}")
    for gi, truth in enumerate(gold):
        if gi not in taken and not truth.optional:
            score.false_negatives += 1
            score.misses.append(f"{truth.speaker!s}: {truth.text[:90]}")
    return score
