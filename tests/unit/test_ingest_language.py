"""Language detection: the array-based feature count gives py3langid's own answers, and
the fast path for plainly English text gives the answer py3langid would."""

from __future__ import annotations

import random

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from app.ingest import language
from app.ingest.language import _SAMPLE_CHARS, _identifier, _plainly_english, detect_language
from bench.corpus import generate
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
# Longer than `_plainly_english`'s minimum of words: the fast path must turn them away.
ARTICLE_ENGLISH = (
    "The foreign ministers of the two countries agreed on Tuesday to reopen the shared "
    "border crossing for freight traffic from next month, ending a two-year closure. The "
    "president said the decision had been taken after long talks with the European "
    "partners. According to a government spokesman, the first lorries will cross the "
    "border on Monday, and the customs posts that were closed in the spring will reopen."
)
OTHER_ARTICLES = {
    "fr": (
        "Les ministres des affaires étrangères des deux pays se sont mis d'accord mardi pour "
        "rouvrir le poste frontière commun au trafic de marchandises à partir du mois "
        "prochain, mettant fin à une fermeture de deux ans. Le président a déclaré que la "
        "décision avait été prise après de longues négociations avec les partenaires "
        "européens. Selon le porte-parole du gouvernement, les premiers camions passeront "
        "la frontière dès lundi."
    ),
    "ru": (
        "Министры иностранных дел двух стран договорились во вторник открыть пограничный "
        "переход для грузового транспорта со следующего месяца, положив конец двухлетнему "
        "закрытию. Президент заявил, что решение было принято после долгих переговоров с "
        "европейскими партнерами. По словам представителя правительства, первые грузовики "
        "пересекут границу уже в понедельник."
    ),
    "de": (
        "Die Außenminister beider Länder einigten sich am Dienstag darauf, den gemeinsamen "
        "Grenzübergang ab dem kommenden Monat wieder für den Güterverkehr zu öffnen. Der "
        "Präsident sagte, die Entscheidung sei nach langen Verhandlungen mit den "
        "europäischen Partnern getroffen worden. Nach Angaben des Regierungssprechers "
        "werden die ersten Lastwagen bereits am Montag die Grenze passieren."
    ),
    "nl": (
        "De ministers van buitenlandse zaken van beide landen zijn dinsdag overeengekomen "
        "om de gemeenschappelijke grensovergang vanaf volgende maand weer open te stellen "
        "voor het vrachtverkeer, na een sluiting van twee jaar. De president zei dat het "
        "besluit was genomen na lange onderhandelingen met de Europese partners. Volgens "
        "de woordvoerder van de regering zullen de eerste vrachtwagens maandag de grens "
        "over gaan."
    ),
    "id": (
        "Para menteri luar negeri kedua negara sepakat pada hari Selasa untuk membuka "
        "kembali perlintasan perbatasan bersama bagi lalu lintas barang mulai bulan depan, "
        "mengakhiri penutupan selama dua tahun. Presiden mengatakan keputusan itu diambil "
        "setelah negosiasi panjang dengan mitra Eropa. Menurut juru bicara pemerintah, truk "
        "pertama akan melintasi perbatasan pada hari Senin."
    ),
}
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


def test_plain_english_is_told_without_the_identifier(monkeypatch):
    def no_identifier() -> LanguageIdentifier:
        raise AssertionError("plainly English text reached the identifier")

    monkeypatch.setattr(language, "_identifier", no_identifier)
    assert detect_language(ARTICLE_ENGLISH) == "en"


@pytest.mark.parametrize("expected", sorted(OTHER_ARTICLES))
def test_other_languages_go_to_the_identifier_and_are_told(expected):
    text = OTHER_ARTICLES[expected]
    assert not _plainly_english(text[:_SAMPLE_CHARS])
    assert detect_language(text) == expected


@pytest.mark.parametrize("other", sorted(OTHER_ARTICLES))
def test_english_with_a_sentence_of_another_language_goes_to_the_identifier(other):
    text = ARTICLE_ENGLISH.split(". ", 1)[0] + ". " + OTHER_ARTICLES[other]
    assert not _plainly_english(text[:_SAMPLE_CHARS])


def _vouched_for(library: LanguageIdentifier, sample: str) -> None:
    """A sample the fast path calls English is English with the identifier's confidence."""
    if _plainly_english(sample):
        found, probability = library.classify(sample)
        assert found == "en" and probability >= language._MIN_PROBABILITY, sample


def test_the_fast_path_agrees_with_the_identifier_on_real_and_generated_articles(library):
    texts = [p.read_text(encoding="utf-8") for p in sorted(shared_path().rglob("*.txt"))]
    texts += [data.decode("utf-8") for _, data in generate(300, seed=11)]
    for text in texts:
        _vouched_for(library, text[:_SAMPLE_CHARS])


def test_the_fast_path_agrees_with_the_identifier_on_mixed_languages(library):
    """English sentences mixed with other languages' sentences, in any proportion."""
    rng = random.Random(3)
    english = [data.decode("utf-8") for _, data in generate(40, seed=5)]
    english_sentences = [s for text in english for s in text.split(". ")]
    other_sentences = [s for text in OTHER_ARTICLES.values() for s in text.split(". ")]
    for _ in range(1500):
        share = rng.random()
        sentences = [
            rng.choice(english_sentences if rng.random() < share else other_sentences)
            for _ in range(10)
        ]
        _vouched_for(library, ". ".join(sentences)[:_SAMPLE_CHARS])
