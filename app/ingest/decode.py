"""Bytes to text, refusing what is not text rather than storing garbage."""

from __future__ import annotations

import unicodedata

from app.ingest.errors import IngestError

_CONTROL_OK = {"\n", "\t", "\r", "\f"}


def decode_text(raw: bytes, *, source: str = "the input") -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252 for old files.

    Binary data (NUL bytes, mostly control characters) is refused with a message.
    """
    if not raw.strip():
        raise IngestError(f"{source} is empty.")
    if b"\x00" in raw[:8192]:
        raise IngestError(f"{source} looks like a binary file, not text.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise IngestError(f"{source} is neither UTF-8 nor Windows-1252 text.") from error
    return normalise_text(text, source=source)


def normalise_text(text: str, *, source: str = "the input") -> str:
    """Unify line endings and Unicode form; refuse text that is mostly control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    sample = text[:4096]
    controls = sum(
        1 for char in sample if unicodedata.category(char) == "Cc" and char not in _CONTROL_OK
    )
    if sample and controls / len(sample) > 0.05:
        raise IngestError(f"{source} looks like a binary file, not text.")
    if not text.strip():
        raise IngestError(f"{source} is empty.")
    return text
