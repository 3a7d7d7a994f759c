"""Bytes to text, refusing what is not text rather than storing garbage.

UTF-8 (with or without BOM) first, then an encoding the file declares (an HTML meta
tag, an HTTP header), then Windows-1252 when the text reads like a Western language,
and finally charset-normalizer's best guess. A file none of these can read is refused
with a sentence, never stored as mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from app.ingest.errors import IngestError

# Unicode category Cc is exactly U+0000–U+001F and U+007F–U+009F; of those, line and
# page breaks and tabs are ordinary in text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
# Above this share of non-ASCII letters, Windows-1252 is more likely a misreading of a
# Cyrillic, Greek or Central European code page than French or German text.
_WESTERN_MAX_NON_ASCII_LETTERS = 0.3
# charset-normalizer's "chaos" (0..1): above it the guess is noise, not a language.
_MAX_CHAOS = 0.2


def decode_text(raw: bytes, *, source: str = "the input", encoding_hint: str | None = None) -> str:
    """Decode `raw` as text; binary data and undecodable bytes raise `IngestError`."""
    if not raw.strip():
        raise IngestError(f"{source} is empty.")
    for bom, encoding in _UTF16_BOMS.items():
        if raw.startswith(bom):
            try:
                return normalise_text(raw[len(bom) :].decode(encoding), source=source)
            except UnicodeDecodeError as error:
                raise IngestError(f"{source} starts like UTF-16 text but is damaged.") from error
    if b"\x00" in raw[:8192]:
        raise IngestError(f"{source} looks like a binary file, not text.")
    return normalise_text(_decode(raw, source=source, encoding_hint=encoding_hint), source=source)


def _decode(raw: bytes, *, source: str, encoding_hint: str | None) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if encoding_hint and (text := _try_decode(raw, encoding_hint)) is not None:
        return text
    western = _try_decode(raw, "cp1252")
    if western is not None and _reads_as_western(western):
        return western
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None and best.chaos <= _MAX_CHAOS:
        return str(best)
    raise IngestError(
        f"{source} is not UTF-8 and its character encoding could not be recognised; "
        "save it as UTF-8 and try again."
    )


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _reads_as_western(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return False
    non_ascii = sum(1 for char in letters if not char.isascii())
    return non_ascii / len(letters) <= _WESTERN_MAX_NON_ASCII_LETTERS


def normalise_text(text: str, *, source: str = "the input") -> str:
    """Unify line endings and Unicode form; refuse text that is mostly control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.removeprefix("\ufeff")
    sample = text[:4096]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.05:
        raise IngestError(f"{source} looks like a binary file, not text.")
    if not text.strip():
        raise IngestError(f"{source} is empty.")
    return text
