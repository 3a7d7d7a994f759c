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

Even so the identifier was a fifth of reading an article, and its table lookups (a
57 MB weight table gathered row by row) evicted the extractor's data from the cache.
Most articles are plainly English: `_plainly_english` says so from their function
words in a few microseconds, and only what it cannot vouch for goes to the identifier.
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

# `_plainly_english`'s evidence. English prose has a fifth to a half of its words among
# these; text in another language has hardly any, so a sample that reaches a fifth with
# at least five of them, "the" twice, no common function word of another Latin-script
# language (but one name's particle) and at most one letter beyond ASCII in 200
# characters is English as much as for the identifier: the same answer on every
# article of ../shared and 4,500 of `bench.corpus`, and on ~50,000 English samples mixed
# sentence by sentence with 14 other languages' text (docs/performance.md, fifth pass);
# only word salads built to break it can. Anything short of that goes to the
# identifier, as do one real article in eight.
# fmt: off
_ENGLISH_WORDS = frozenset(word.encode() for word in (
    "the", "The", "of", "and", "to", "in", "a", "is", "was", "for", "that", "on", "with",
    "as", "by", "at", "from", "said", "has", "have", "had", "his", "her", "he", "she", "it",
    "its", "this", "be", "been", "are", "were", "will", "would", "not", "but", "they",
    "their", "which", "who", "an",
))
_OTHER_LANGUAGES_WORDS = frozenset(word.encode() for word in (
    # French, German, Dutch, Spanish, Italian, Portuguese, Scandinavian, Indonesian,
    # Latin, Tagalog, Swahili, Welsh, Afrikaans and South Slavic function words that
    # are not also English words.
    "le", "les", "des", "du", "et", "est", "une", "au", "aux", "sur", "pour", "pas", "qui",
    "dans", "avec", "ce", "cette", "sont", "été", "und", "das", "dem", "sich", "nicht",
    "ist", "ein", "eine", "einen", "zu", "auf", "mit", "wird", "sind", "werden", "wurde",
    "nach", "bei", "oder", "auch", "het", "een", "zijn", "voor", "niet", "ook", "wordt",
    "naar", "bij", "aan", "deze", "dat", "los", "las", "y", "que", "por", "del", "una",
    "para", "es", "se", "lo", "su", "como", "más", "il", "che", "per", "della", "delle",
    "dei", "gli", "nel", "alla", "sono", "è", "os", "em", "não", "ao", "dos", "das", "uma",
    "pela", "pelo", "och", "att", "är", "som", "för", "med", "på", "av", "ett", "till",
    "og", "ikke", "til", "af", "yang", "dan", "untuk", "dengan", "ini", "itu", "pada",
    "dari", "dalam", "akan", "tidak", "ut", "cum", "sunt", "quod", "ang", "ng", "sa", "mga",
    "ay", "na", "kwa", "za", "katika", "ni", "yn", "ar", "ac", "mae", "gan", "fod", "wedi",
    "nie", "vir", "je", "od", "ali", "pa", "te", "zullen", "heeft", "hebben", "werd",
    "worden", "maar", "nog", "geen", "om",
))
# Function words of other languages that English text writes in names ("al-Assad",
# "von der Leyen", "de Mistura", "Van Hollen"), or "un-" and "con-" before a hyphen:
# once in a sample is no evidence, twice is.
_NAME_PARTICLES = frozenset(word.encode() for word in (
    "al", "de", "der", "el", "da", "di", "la", "un", "con", "wa", "van",
))
# fmt: on
_MIN_WORDS = 30
_ASCII = bytes(range(128))
# Every byte but ASCII letters and bytes beyond ASCII made a space.
_ASCII_LETTERS_AND_BEYOND = bytes(
    byte if byte >= 128 or chr(byte).isalpha() else 32 for byte in range(256)
)
_MIN_DISTINCT_ENGLISH = 5
_MIN_THE = 2


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


def _plainly_english(sample: str) -> bool:
    """Whether `sample` is English beyond doubt (False says only that it may not be)."""
    data = sample.encode("utf-8", "surrogatepass")
    # Words as runs of ASCII letters and of bytes beyond ASCII: a byte table cuts them
    # out five times faster than `_LETTERS`, and a word with a curly quote or a letter
    # beyond ASCII glued to it is simply no function word.
    words = data.translate(_ASCII_LETTERS_AND_BEYOND).split()
    if len(words) < _MIN_WORDS:
        return False
    english = [word for word in words if word in _ENGLISH_WORDS]
    if 5 * len(english) < len(words) or len(set(english)) < _MIN_DISTINCT_ENGLISH:
        return False
    if english.count(b"the") + english.count(b"The") < _MIN_THE:
        return False
    if not _OTHER_LANGUAGES_WORDS.isdisjoint(words):
        return False
    if sum(word in _NAME_PARTICLES for word in words) > 1:
        return False
    beyond = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    letters_beyond = sum(map(str.isalpha, beyond))
    return 200 * letters_beyond <= len(sample)


@cache
def _identifier() -> LanguageIdentifier:
    return _WindowedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_model() -> None:
    """Load the identifier's model now (0.6 CPU-seconds) rather than for the first text
    that is not plainly English: processes forked afterwards share it."""
    _identifier()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when the text is too short or unclear."""
    sample = text[:_SAMPLE_CHARS]
    if not _has_letters(sample, _MIN_LETTERS):
        return None
    if _plainly_english(sample):
        return "en"
    language, probability = _identifier().classify(sample)
    return language if probability >= _MIN_PROBABILITY else None
