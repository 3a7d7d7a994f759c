"""Language detection: the array-based feature count gives py3langid's own answers."""

from __future__ import annotations

import random

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from app.ingest.language import _identifier, detect_language
from tests.shared_corpus import shared_path

ENGLISH = (
    "The foreign ministers of Norland and Estavia agreed on Tuesday to reopen the shared "
    "border crossing for freight traffic from next month, ending a two-year closure."
)
RUSSIAN = (
    "Министры иностранных дел двух стран договорились во вторник открыть пограничный "
    "переход для грузового транспорта со следующего месяца."
)
GERMAN = (
    "Die Außenminister beider Länder einigten sich am Dienstag darauf, den gemeinsamen "
    "Grenzübergang ab dem kommenden Monat wieder für den Güterverkehr zu öffnen."
)
WRITTEN = [
    ENGLISH,
    RUSSIAN,
    GERMAN,
    ENGLISH.upper(),
    ENGLISH + " " + RUSSIAN,
    "",
    "a",
    "Talks",
    "😀 " * 40,
    "1234 5678, 90.",
    "“Quoted,” he said — «et puis» ça.",
]


@pytest.fixture(scope="module")
def library() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.mark.parametrize("text", WRITTEN)
def test_windowed_count_gives_the_librarys_language_and_probability(library, text):
    assert _identifier().classify(text) == library.classify(text)


def test_windowed_count_matches_the_library_on_random_mixed_script_text(library):
    rng = random.Random(5)
    alphabet = (
        "abcdefghijklmnopqrstuvwxyzéüßçñ абвгдежзийклмн 中文日本語한국어 αβγ \u0627\u0644 1.,!?\n"
    )
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        assert _identifier().classify(text) == library.classify(text), text


def test_windowed_count_matches_the_library_on_the_real_articles(library):
    for path in sorted(shared_path("corpora").rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for sample in (text[:1000], text[:150]):
            assert _identifier().classify(sample) == library.classify(sample), path


def test_english_and_russian_are_told_apart():
    assert detect_language(ENGLISH) == "en"
    assert detect_language(RUSSIAN) == "ru"


@pytest.mark.parametrize("text", ["Talks resume", "12 345 678 " * 20, ""])
def test_text_with_too_few_letters_has_no_language(text):
    assert detect_language(text) is None


def test_letters_beyond_the_opening_lines_still_count():
    assert detect_language("1 2 3 4 5 6 7 8 9 " * 12 + ENGLISH) == "en"
