"""The language an article is written in, with py3langid's bundled model (no download)."""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below these, langid's answer is a guess: a headline or a caption is too short to tell.
_MIN_LETTERS = 40
_MIN_PROBABILITY = 0.6
# langid walks its feature DFA byte by byte in Python, so its cost is linear in the
# sample. 1,000 characters (about 150 words) gave the same answer as 20,000 on every
# article in ../shared; a longer sample only slows imports down.
_SAMPLE_CHARS = 1_000
# Letters as str.isalpha sees them, near enough: word characters minus digits and "_";
# counted by runs, which is twice as fast as a list of single letters.
_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when the text is too short or unclear."""
    sample = text[:_SAMPLE_CHARS]
    if sum(map(len, _LETTERS.findall(sample))) < _MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return language if probability >= _MIN_PROBABILITY else None
