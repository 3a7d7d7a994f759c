"""Zip archives, read in memory and never extracted to disk.

Every entry is checked before it is read: its name (no absolute paths, drive letters
or `..`), the archive's entry count, the declared and the actual uncompressed sizes
(read with a cap, since headers can lie) and its compression ratio (a zip bomb packs
gigabytes of zeros into kilobytes). Nested archives are not opened. Directories,
macOS `__MACOSX/` folders and dotfiles are skipped without a word.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Small entries may compress very well (a file of blank lines) without being a threat;
# the ratio is only judged above this size.
_RATIO_FLOOR_BYTES = 1_000_000
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_OFFICE_MARKERS = ("[Content_Types].xml", "mimetype")

ReadEntry = Callable[[str, bytes], list[InputItem]]


class _EntryTooLargeError(Exception):
    pass


def unsafe_name_reason(name: str) -> str | None:
    """Why an entry name could escape the archive, or None when it is a plain relative path."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or _DRIVE.match(normalised):
        return "is an absolute path"
    if ".." in normalised.split("/"):
        return "points outside the archive (it contains '..')"
    if "\x00" in normalised:
        return "contains a NUL character"
    return None


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return not parts or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


@dataclass(frozen=True, slots=True)
class EntryMark:
    """Where an archive's entry starts in a whole read: its position among the entries,
    the items read before it, and the unzipped bytes the archive's budget had spent.

    A read resumed at a mark gives the items of the whole read from `item` on without
    unzipping the entries before it: a part of a large zip import reads only its own
    entries and those after them up to its end."""

    entry: int = 0
    item: int = 0
    spent: int = 0


START = EntryMark()
"""The mark of a whole read."""


def read_zip(
    name: str,
    data: bytes,
    *,
    limits: IngestLimits,
    read_entry: ReadEntry,
    resume: EntryMark = START,
    marks: list[EntryMark] | None = None,
) -> Iterator[InputItem]:
    """Items of every entry, each read by `read_entry(source, bytes)`; sources are `name/entry`.

    Reading starts at `resume` (a mark a whole read of the same bytes appended to
    `marks`, one per entry)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        yield InputItem.failed(name, f"{name} is not a readable zip archive ({error}).")
        return
    with archive:
        if len(infos) > limits.max_archive_entries:
            yield InputItem.failed(
                name,
                f"{name} has {len(infos):,} entries; the limit is "
                f"{limits.max_archive_entries:,}. Split it into smaller archives.",
            )
            return
        names = {info.filename for info in infos}
        if any(marker in names for marker in _OFFICE_MARKERS):
            yield InputItem.failed(
                name,
                f"{name} is an office document (Word, OpenDocument…), not an archive of "
                "articles; save it as .txt or .html first.",
            )
            return
        spent, count = resume.spent, resume.item
        for position in range(resume.entry, len(infos)):
            if marks is not None:
                marks.append(EntryMark(position, count, spent))
            items, used, last = _entry_items(
                archive, infos[position], name, limits=limits, spent=spent, read_entry=read_entry
            )
            spent += used
            count += len(items)
            yield from items
            if last:
                return


def _entry_items(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    *,
    limits: IngestLimits,
    spent: int,
    read_entry: ReadEntry,
) -> tuple[list[InputItem], int, bool]:
    """One entry's items, the unzipped bytes it spent of the archive's budget, and whether
    the archive is read no further (its budget is spent, or it looks like a zip bomb)."""
    if info.is_dir():
        return [], 0, False
    source = f"{name}/{info.filename}"
    if reason := unsafe_name_reason(info.filename):
        return (
            [InputItem.failed(source, f"The entry '{info.filename}' {reason}; skipped.")],
            0,
            False,
        )
    if _skipped(info.filename):
        return [], 0, False
    budget = limits.max_archive_total_bytes - spent
    if info.file_size > budget:
        return [InputItem.failed(source, _total_message(info.filename, limits=limits))], 0, True
    if error := _entry_refusal(info, limits=limits):
        return [InputItem.failed(source, error)], 0, False
    try:
        content = _read_capped(archive, info, cap=min(budget, limits.max_upload_bytes))
    except _EntryTooLargeError:
        message = (
            f"The entry '{info.filename}' unzips to more than its header says or the "
            "limits allow; the archive looks like a zip bomb and was not read further."
        )
        return [InputItem.failed(source, message)], 0, True
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        message = f"The entry '{info.filename}' is damaged and cannot be read ({error})."
        return [InputItem.failed(source, message)], 0, False
    if _ratio(len(content), info.compress_size) > limits.max_compression_ratio and (
        len(content) > _RATIO_FLOOR_BYTES
    ):
        return [InputItem.failed(source, _bomb_message(info.filename))], len(content), False
    if content.startswith(ZIP_MAGIC) or info.filename.lower().endswith(".zip"):
        message = (
            f"Nested archives are not opened: unzip '{info.filename}' first and upload its files."
        )
        return [InputItem.failed(source, message)], len(content), False
    return read_entry(source, content), len(content), False


def _ratio(size: int, compressed: int) -> float:
    return size / max(compressed, 1)


def _bomb_message(entry: str) -> str:
    return (
        f"The entry '{entry}' expands far more than text does when unzipped; it looks like "
        "a zip bomb and was skipped."
    )


def _total_message(entry: str, *, limits: IngestLimits) -> str:
    return (
        f"The archive unzips to more than {limits.max_archive_total_bytes:,} bytes; "
        f"'{entry}' and the entries after it were not read."
    )


def _entry_refusal(info: zipfile.ZipInfo, *, limits: IngestLimits) -> str | None:
    if info.flag_bits & 0x1:
        return f"The entry '{info.filename}' is password-protected and cannot be read."
    if info.file_size > limits.max_upload_bytes:
        return (
            f"The entry '{info.filename}' is {info.file_size:,} bytes unzipped; the limit for "
            f"one file is {limits.max_upload_bytes:,} bytes."
        )
    if (
        info.file_size > _RATIO_FLOOR_BYTES
        and _ratio(info.file_size, info.compress_size) > limits.max_compression_ratio
    ):
        return _bomb_message(info.filename)
    return None


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, cap: int) -> bytes:
    """The entry's bytes, refusing to read past `cap` whatever its header declares."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > cap:
                raise _EntryTooLargeError
            chunks.append(chunk)
    return b"".join(chunks)
