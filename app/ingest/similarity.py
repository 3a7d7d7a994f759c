"""Near-duplicates: the same story syndicated by several outlets, found by MinHash.

A body becomes the set of its word 3-shingles (lower-cased words, punctuation dropped)
and a 64-permutation MinHash of that set (`datasketch`), stored as 256 bytes. The
signature is cut into 16 bands of 4 rows; two articles sharing any band key are
candidates, which an indexed `(band key)` table finds without comparing every pair.
With b=16 and r=4 the banding's S-curve turns at (1/16)^(1/4) = 0.5, the same as
`NEAR_DUPLICATE_THRESHOLD`: a candidate is confirmed when the estimated Jaccard
similarity of the two signatures reaches it.

0.5 was chosen on test pairs (tests/unit/test_ingest_similarity.py): a wire story
re-published with its own intro, outro and outlet furniture scores about 0.6–0.8,
while a different story on the same topic, with the same names and phrases, scores
below 0.1.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.5
_SEED = 1
_WORD = re.compile(r"\w+")


def shingles(body: str) -> set[bytes]:
    """Word 3-grams of `body`, case and punctuation ignored (the whole text if shorter)."""
    words = _WORD.findall(body.casefold())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {
        " ".join(words[index : index + SHINGLE_WORDS]).encode("utf-8")
        for index in range(len(words) - SHINGLE_WORDS + 1)
    }


def minhash_signature(body: str) -> bytes:
    """The body's MinHash as NUM_PERM little-endian uint32 values."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED)
    minhash.update_batch(list(shingles(body)))
    # datasketch hashes into 32 bits, so nothing is lost by narrowing from uint64.
    return minhash.hashvalues.astype("<u4").tobytes()


def _values(signature: bytes) -> np.ndarray:
    if len(signature) != NUM_PERM * 4:
        raise ValueError(f"a signature has {NUM_PERM * 4} bytes, this one {len(signature)}")
    return np.frombuffer(signature, dtype="<u4")


def band_keys(signature: bytes) -> list[int]:
    """One signed 64-bit key per band (band number included), for an indexed lookup."""
    _values(signature)
    width = ROWS * 4
    keys = []
    for band in range(BANDS):
        chunk = signature[band * width : (band + 1) * width]
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.count_nonzero(_values(a) == _values(b))) / NUM_PERM


def is_near_duplicate(a: bytes, b: bytes) -> bool:
    return similarity(a, b) >= NEAR_DUPLICATE_THRESHOLD
