"""Near-duplicates: the same story syndicated by several outlets, found by MinHash.

A body becomes the set of its word 3-shingles (lower-cased words, punctuation dropped)
and a 64-permutation MinHash of that set, stored as 256 bytes. Each shingle is hashed to
64 bits by mixing the CRC-32 of its three words, and each "permutation" is that hash
XORed with a fixed per-permutation key and mixed again (the splitmix64 finaliser), all
as numpy array operations over every shingle at once; the top 32 bits of the minimum
per permutation make the signature. The signature is cut into 16 bands of 4 rows; two
articles sharing any band key are candidates, which a GIN index over the articles' band
keys finds without comparing every pair.
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
import zlib
from collections.abc import Sequence

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.5
_WORD = re.compile(r"\w+")
_ASCII = bytes(range(128))
# Every byte but ASCII letters, digits and "_" made a space (for `bytes.translate`):
# bytes with no word character beyond ASCII then split into the words of `\w+`, several
# times faster than the regular expression finds them.
SPACE_BUT_WORDS = bytes(
    byte if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) == "_") else 32
    for byte in range(256)
)
# Fixed keys, one per permutation: changing them changes every stored signature.
_KEYS = np.frombuffer(hashlib.shake_128(b"demarche minhash v2").digest(8 * NUM_PERM), "<u8")
_MULTIPLIERS = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
"""splitmix64's finaliser's, as `_mix` uses them."""
_FIRST_STEP_KEYS = _KEYS ^ (_KEYS >> np.uint64(30))
# `SPACE_BUT_WORDS` keeping every byte beyond ASCII as it is.
_SPACE_BUT_WORDS_AND_BEYOND = SPACE_BUT_WORDS[:128] + bytes(range(128, 256))
_BEYOND_ASCII = re.compile(rb"[\x80-\xff]+")
# `SPACE_BUT_WORDS` with capitals made small letters, as case folding makes them.
_LOWERED_SPACE_BUT_WORDS = bytes(
    byte + 32 if 65 <= byte <= 90 else SPACE_BUT_WORDS[byte] for byte in range(256)
)
# The characters whose case folding holds a word character: word characters, and the
# combining ypogegrammeni (U+0345, not one itself), which folds to a Greek iota.
_FOLDS_TO_A_WORD = re.compile(r"[\w\u0345]")
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype="<u4").tobytes()


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on a uint64 array (multiplication wraps, as intended)."""
    values = (values ^ (values >> np.uint64(30))) * _MULTIPLIERS[0]
    values = (values ^ (values >> np.uint64(27))) * _MULTIPLIERS[1]
    return values ^ (values >> np.uint64(31))


def shingle_hashes(body: str) -> np.ndarray:
    """64-bit hashes of the body's word 3-grams, case and punctuation ignored (the whole
    text as one shingle if shorter); repeats are kept, they do not change a minimum."""
    words = _folded_words(body)
    if len(words) < SHINGLE_WORDS:
        if not words:
            return np.empty(0, dtype=np.uint64)
        return _mix(np.array([zlib.crc32(b" ".join(words))], dtype=np.uint64))
    word_hashes = _mix(np.fromiter(map(zlib.crc32, words), np.uint64, len(words)))
    first, second, third = word_hashes[:-2], word_hashes[1:-1], word_hashes[2:]
    return _mix(_mix(_mix(first) ^ second) ^ third)


def _folded_words(body: str) -> list[bytes]:
    """`_encoded_words(body.casefold())`. Most bodies hold no word character beyond ASCII
    (their curly quotes and dashes are not), and then only ASCII letters need folding,
    which the byte table does as it cuts the words: folding the whole body first cost
    about a tenth of the MinHash. No character but a word character or U+0345 folds to
    one, or to ASCII (a test checks every code point)."""
    data = body.encode("utf-8", "surrogatepass")
    beyond = data.translate(None, _ASCII)
    if not beyond or not _FOLDS_TO_A_WORD.search(beyond.decode("utf-8", "surrogatepass")):
        return data.translate(_LOWERED_SPACE_BUT_WORDS).split()
    return _encoded_words(body.casefold())


def _encoded_words(text: str) -> list[bytes]:
    """`_WORD.findall(text)`, each word UTF-8 encoded. Bodies mostly write their words in
    ASCII, with only punctuation (curly quotes, dashes) beyond it; then the bytes' ASCII
    words are the same words, cut out by a byte table instead of Unicode's class lookups
    character by character. A body with a word beyond ASCII ("Élysée") keeps its
    non-ASCII bytes in place; only the few runs of bytes holding one go through `_WORD`."""
    data = text.encode("utf-8", "surrogatepass")
    beyond = data.translate(None, _ASCII)  # every character outside ASCII, still encoded
    if not beyond or not _WORD.search(beyond.decode("utf-8", "surrogatepass")):
        return data.translate(SPACE_BUT_WORDS).split()
    data = data.translate(_SPACE_BUT_WORDS_AND_BEYOND)
    words: list[bytes] = []
    done = 0
    for run in _BEYOND_ASCII.finditer(data):
        if run.start() < done:
            continue  # a second run in a token already read
        # UTF-8 encodes no character beyond ASCII with an ASCII byte: the token holding
        # the run lies between spaces, and `_WORD` cuts it as it would the text.
        lo = max(done, data.rfind(b" ", done, run.start()) + 1)
        hi = data.find(b" ", run.end())
        hi = len(data) if hi < 0 else hi
        words += data[done:lo].split()
        token = data[lo:hi].decode("utf-8", "surrogatepass")
        words += [word.encode("utf-8", "surrogatepass") for word in _WORD.findall(token)]
        done = hi
    words += data[done:].split()
    return words


def minhash_signature(body: str) -> bytes:
    """The body's MinHash as NUM_PERM little-endian uint32 values."""
    hashes = shingle_hashes(body)
    if not hashes.size:
        return _EMPTY
    # `_mix(hashes[:, None] ^ _KEYS)` over the (shingles x permutations) matrix, with
    # two of its steps taken off the matrix: shifts distribute over XOR, so the first
    # `v ^ (v >> 30)` is that of the shingle's hash XOR that of the key; and the last
    # `v ^ (v >> 31)` leaves the top 32 bits, the signature's, alone when the top bit is
    # 0, which every permutation's minimum has unless all its values set it (then the
    # whole matrix is mixed as written). The matrix is laid out one permutation a row,
    # so that each minimum is taken along contiguous memory, and mixed in place: a
    # fifth faster than one shingle a row.
    values = np.bitwise_xor.outer(_FIRST_STEP_KEYS, hashes ^ (hashes >> np.uint64(30)))
    np.multiply(values, _MULTIPLIERS[0], out=values)
    np.bitwise_xor(values, values >> np.uint64(27), out=values)
    np.multiply(values, _MULTIPLIERS[1], out=values)
    minimum = values.min(axis=1)
    if np.any(minimum >> np.uint64(63)):
        minimum = _mix(hashes[:, None] ^ _KEYS[None, :]).min(axis=0)
    return (minimum >> np.uint64(32)).astype("<u4").tobytes()


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


def similarities(signature: bytes, others: Sequence[bytes]) -> list[float]:
    """`similarity(signature, other)` for each of `others`, in one array operation: a
    batch's candidates number tens of thousands once the corpus is large, and one call
    per pair cost more than the rest of storing the batch."""
    if not others:
        return []
    if any(len(other) != NUM_PERM * 4 for other in others):
        raise ValueError(f"a signature has {NUM_PERM * 4} bytes, one of these not")
    rows = np.frombuffer(b"".join(others), dtype="<u4").reshape(-1, NUM_PERM)
    equal = np.count_nonzero(rows == _values(signature), axis=1)
    return (equal / NUM_PERM).tolist()


def is_near_duplicate(a: bytes, b: bytes) -> bool:
    return similarity(a, b) >= NEAR_DUPLICATE_THRESHOLD
