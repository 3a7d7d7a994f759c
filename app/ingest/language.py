"""The language an article is written in, with py3langid's bundled model (no download).

py3langid counts the model's byte n-gram features by walking its automaton one byte
at a time in a Python loop, which cost more than half of reading an article. The
automaton is an Aho-Corasick one whose states stand for byte strings of at most
`_DFA_DEPTH` bytes (checked on the model py3langid 0.4 ships: every transition leads to
the longest suffix of the state's string plus the byte that is itself a state), so the
state after any byte is the state reached from the start by the last `_DFA_DEPTH` bytes
alone. `_WindowedIdentifier` walks those windows for every position at once as numpy
gathers and hands the library the same feature counts, in the same order, as its own
walk: the scores, the answer and its probability are bit for bit the library's
(tests/unit/test_ingest_language.py compares them).
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below these, langid's answer is a guess: a headline or a caption is too short to tell.
_MIN_LETTERS = 40
_MIN_PROBABILITY = 0.6
# The identifier's cost is linear in the sample, and it was a seventh of reading and
# extracting an article at 1,000 characters. 500 (about 80 words) give the same answer
# as 1,000 and as 20,000 on every article in ../shared and on 2,000 of `bench.corpus`,
# none less sure than 0.89 (against `_MIN_PROBABILITY`); a longer sample only slows
# imports down.
_SAMPLE_CHARS = 500
# Letters as str.isalpha sees them, near enough: word characters minus digits and "_";
# counted by runs, which is twice as fast as a list of single letters.
_LETTERS = re.compile(r"[^\W\d_]+")
# The longest byte string any state of the model's automaton stands for.
_DFA_DEPTH = 6


class _WindowedIdentifier(LanguageIdentifier):
    """py3langid's identifier with its feature count and scoring done as array operations
    (over all the model's languages: `set_languages` would not narrow the widened table)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        moves = self.tk_nextmove
        self._moves = np.frombuffer(moves, dtype=np.dtype(moves.typecode))
        self._rows = np.asarray(self._rowbase, dtype=np.intp)
        self._features = np.asarray(self.tk_output, dtype=np.intp)
        # The float16 table widened once (57 MB for the bundled model): numpy's float16
        # conversion of the rows an article needs took longer than all the rest.
        self._table = self.nb_ptc.astype(np.float32)

    def _feature_counts(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The features found and their counts, in order of first occurrence (the order
        of the library's Counter, which fixes the order of the score's sum)."""
        text = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        states = np.zeros(text.size, dtype=np.intp)
        for lag in range(min(_DFA_DEPTH, text.size) - 1, -1, -1):
            # Every position from `lag` on takes the byte `lag` places before it.
            states[lag:] = self._moves[self._rows[states[lag:]] + text[: text.size - lag]]
        found = self._features[states]
        features, first, counts = np.unique(
            found[found >= 0], return_index=True, return_counts=True
        )
        order = np.argsort(first)
        return features[order], counts[order].astype(np.float32)

    def _raw_score(self, text: bytes) -> np.ndarray:
        features, counts = self._feature_counts(text)
        if not features.size:  # featureless input: the library's own fallback score
            return super()._raw_score(text)
        # The library's `log1p(counts) @ nb_ptc[features] + nb_pc`: numpy widens the
        # float16 rows to float32 before the product, so the widened table gives the
        # same sum.
        return np.log1p(counts) @ self._table[features] + self.nb_pc


def _has_letters(sample: str, minimum: int) -> bool:
    """Whether `sample` holds `minimum` letters; an article's opening lines nearly always
    do, so they are counted first and the rest of the sample only when they fall short."""
    if sum(map(len, _LETTERS.findall(sample, 0, 4 * minimum))) >= minimum:
        return True
    return sum(map(len, _LETTERS.findall(sample))) >= minimum


@cache
def _identifier() -> LanguageIdentifier:
    return _WindowedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when the text is too short or unclear."""
    sample = text[:_SAMPLE_CHARS]
    if not _has_letters(sample, _MIN_LETTERS):
        return None
    language, probability = _identifier().classify(sample)
    return language if probability >= _MIN_PROBABILITY else None
