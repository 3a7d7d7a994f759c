"""The language an article is written in, with py3langid's bundled model (no download)."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below these, langid's answer is a guess: a headline or a caption is too short to tell.
_MIN_LETTERS = 40
_MIN_PROBABILITY = 0.6
_SAMPLE_CHARS = 20_000


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when the text is too short or unclear."""
    sample = text[:_SAMPLE_CHARS]
    if sum(1 for char in sample if char.isalpha()) < _MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return language if probability >= _MIN_PROBABILITY else None
