"""Near-duplicate detection: a syndicated copy matches, a different story on the topic does not."""

from __future__ import annotations

import hashlib
import itertools
import re
import sys

import pytest

from app.ingest import read_text_file
from app.ingest.similarity import (
    _FOLDS_TO_A_WORD,
    BANDS,
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    _encoded_words,
    _folded_words,
    band_keys,
    is_near_duplicate,
    minhash_signature,
    similarities,
    similarity,
)
from tests.shared_corpus import shared_path

WIRE = """The foreign ministers of Norland and Estavia agreed on Tuesday to reopen the shared border crossing at Kelmar for freight traffic from next month, ending a closure that has lasted almost two years.

Speaking after four hours of talks in the lakeside town of Varnes, Norland's foreign minister Anja Halvik said the deal was "a first step, not a final destination" and that passenger traffic would follow once customs systems were aligned.

Her Estavian counterpart, Dario Menk, told reporters the two governments had also set up a joint commission on fishing rights, which will meet for the first time in the spring. "We have spent too long talking past each other," he said.

The crossing was shut after a dispute over inspections of agricultural goods. Trade between the two countries fell by almost a third in the following year, according to figures from Estavia's statistics office.

Business groups on both sides welcomed the announcement but warned that the backlog of lorries waiting for clearance could take weeks to clear."""

SYNDICATED = """Border Watch — Regional news, every morning

KELMAR, March 4 (Northern Wire) - The foreign ministers of Norland and Estavia agreed on Tuesday to reopen the shared border crossing at Kelmar for freight traffic from next month, ending a closure that has lasted almost two years.

Speaking after four hours of talks in the lakeside town of Varnes, Norland's foreign minister Anja Halvik said the deal was "a first step, not a final destination" and that passenger traffic would follow once customs systems were aligned.

Her Estavian counterpart, Dario Menk, told reporters the two governments had also set up a joint commission on fishing rights, which will meet for the first time in the spring. "We have spent too long talking past each other," he said.

The crossing was shut after a dispute over inspections of agricultural goods. Trade between the two countries fell by almost a third in the following year, according to figures from Estavia's statistics office.

Read also: Fishing fleets prepare for a lean season

Share this article on social media. Subscribe to our newsletter for daily updates.

© 2023 Border Watch. All rights reserved."""

SAME_TOPIC = """Lorry drivers at the Kelmar crossing between Norland and Estavia said on Wednesday they were sceptical that freight traffic would really resume next month, a day after the two foreign ministers announced a deal in Varnes.

"We have heard promises before," said one driver who has waited at the border for three days. Customs officers on the Norland side said they had received no new instructions.

Estavia's trade ministry said the reopening depended on a new inspection regime for agricultural goods that had not yet been agreed. Anja Halvik, Norland's foreign minister, is due to visit the crossing on Friday.

Business groups on both sides called for extra customs staff to clear the backlog of lorries before the reopening."""


def test_signature_is_compact_bytes_with_one_key_per_band():
    signature = minhash_signature(WIRE)
    assert isinstance(signature, bytes) and len(signature) == NUM_PERM * 4
    keys = band_keys(signature)
    assert len(keys) == BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)


def test_signature_is_stable_across_calls_and_ignores_case_and_punctuation():
    assert minhash_signature(WIRE) == minhash_signature(WIRE)
    assert minhash_signature(WIRE) == minhash_signature(WIRE.upper().replace(",", ""))


def test_signature_bytes_are_those_already_stored():
    """Stored articles keep their signatures: the in-place mixing computes the same bytes
    as the splitmix64 finaliser applied step by step (digest taken before the change)."""
    digest = hashlib.sha256(minhash_signature(WIRE)).hexdigest()
    assert digest == "fb3b57a616ee3a7474eb4042469b5a88f445118c93748d9c3a13e4f1cb459c7e"


def test_syndicated_copy_with_other_intro_outro_and_furniture_is_a_near_duplicate():
    score = similarity(minhash_signature(WIRE), minhash_signature(SYNDICATED))
    assert score >= NEAR_DUPLICATE_THRESHOLD + 0.1
    assert is_near_duplicate(minhash_signature(WIRE), minhash_signature(SYNDICATED))


def test_syndicated_copy_shares_at_least_one_band_key():
    assert set(band_keys(minhash_signature(WIRE))) & set(band_keys(minhash_signature(SYNDICATED)))


def test_different_story_on_the_same_topic_is_not_a_near_duplicate():
    score = similarity(minhash_signature(WIRE), minhash_signature(SAME_TOPIC))
    assert score < NEAR_DUPLICATE_THRESHOLD - 0.3
    assert not set(band_keys(minhash_signature(WIRE))) & set(
        band_keys(minhash_signature(SAME_TOPIC))
    )


@pytest.mark.parametrize("body", ["", "Short.", "Two words"])
def test_very_short_bodies_still_get_a_signature(body):
    assert len(minhash_signature(body)) == NUM_PERM * 4


def test_no_character_but_those_skipped_folds_to_a_word_character_or_ascii():
    """What lets `_folded_words` fold only the ASCII letters of a body whose characters
    beyond ASCII all fail `_FOLDS_TO_A_WORD`: those fold to no word character, no ASCII."""
    word = re.compile(r"\w")
    for code in range(128, sys.maxunicode + 1):
        folded = chr(code).casefold()
        if not _FOLDS_TO_A_WORD.match(chr(code)):
            assert not word.search(folded) and not any(c.isascii() for c in folded), code


@pytest.mark.parametrize(
    "body",
    [
        "“Quoted” — WORDS in CAPS, don’t split; «guillemets» … end.",
        "The Élysée and STRAẞE and ﬁnal words",
        "Kelvin \u212a and long \u017f and ypogegrammeni \u0345 here",
        "lone \ud800 surrogate and ΣΊΣΥΦΟΣ",
    ],
)
def test_folded_words_are_the_words_of_the_case_folded_body(body):
    assert _folded_words(body) == _encoded_words(body.casefold())


def test_similarities_of_many_candidates_at_once_equal_each_pair_alone():
    signature = minhash_signature(WIRE)
    others = [minhash_signature(text) for text in (WIRE, SYNDICATED, SAME_TOPIC)]
    assert similarities(signature, others) == [similarity(signature, o) for o in others]
    assert similarities(signature, []) == []
    with pytest.raises(ValueError, match="signature"):
        similarities(signature, [b"\x00" * 10])


def test_malformed_signature_is_refused():
    with pytest.raises(ValueError, match="signature"):
        similarity(b"\x00" * 10, minhash_signature(WIRE))


def test_no_two_real_articles_on_the_same_topics_are_near_duplicates():
    signatures = [
        read_text_file(path, max_bytes=2_000_000).minhash
        for path in sorted(shared_path("corpora").rglob("*.txt"))
    ]
    highest = max(similarity(a, b) for a, b in itertools.combinations(signatures, 2))
    assert highest < NEAR_DUPLICATE_THRESHOLD / 2
