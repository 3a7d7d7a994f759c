"""One entry point for everything an editor uploads: a file's bytes to input items.

`read_upload` dispatches on the file's extension and sniffs the content when the
extension is missing or contradicted by the bytes (a zip named `.txt`, a page saved as
`.txt`). Every reader turns bad content into error items, so one broken record or
archive entry never hides the others, and nothing raises for bad input.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath

from app.ingest.archive import START, ZIP_MAGIC, EntryMark, read_zip
from app.ingest.article import ParsedArticle
from app.ingest.decode import decode_text
from app.ingest.errors import IngestError
from app.ingest.feeds import looks_like_feed, read_feed
from app.ingest.finish import check_article_size
from app.ingest.htmltext import read_html_page
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.plaintext import parse_plain_text
from app.ingest.records import read_csv, read_json, read_json_lines

SUPPORTED_EXTENSIONS = (
    ".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".xml", ".rss", ".atom", ".zip",
)  # fmt: skip

Reader = Callable[..., Iterator[InputItem]]

# Formats Démarche cannot read, recognised by their first bytes so the editor is told
# what the file is instead of "binary".
_FOREIGN_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)


def read_upload(
    filename: str,
    data: bytes,
    *,
    limits: IngestLimits,
    defer: bool = False,
    stop: int | None = None,
    resume: EntryMark = START,
    marks: list[EntryMark] | None = None,
) -> list[InputItem]:
    """Items read from one uploaded file. Never raises for bad content: errors become items.

    At most `limits.max_items` items are returned, plus one error item saying the rest
    was not read. With `defer`, articles that are files of their own (a text or HTML
    file, or such an archive entry) come as deferred items that parse when `read()`.
    With `stop`, reading ends after the first `stop` items, the same ones a whole read
    starts with: an import part of a large zip unzips no entry past its own. A zip's
    whole read appends a mark per entry to `marks`; read again from one (`resume`), the
    items are those of the whole read from the mark's `item` on, and the entries before
    it are not unzipped.
    """
    return read_named(
        filename.strip() or "upload",
        data,
        limits=limits,
        defer=defer,
        stop=stop,
        resume=resume,
        marks=marks,
    )


def read_named(
    name: str,
    data: bytes,
    *,
    limits: IngestLimits,
    kind: str | None = None,
    url: str | None = None,
    encoding_hint: str | None = None,
    defer: bool = False,
    stop: int | None = None,
    resume: EntryMark = START,
    marks: list[EntryMark] | None = None,
) -> list[InputItem]:
    """`read_upload` for callers that know more: the format as an extension without its
    dot (`kind`, from a Content-Type), the page's URL and its declared charset."""
    if len(data) > limits.max_upload_bytes:
        return [
            InputItem.failed(
                name,
                f"{name} is {len(data):,} bytes; the limit for one upload is "
                f"{limits.max_upload_bytes:,} bytes.",
            )
        ]
    read = _guarded(
        name,
        _dispatch(
            name,
            data,
            limits=limits,
            kind=kind,
            url=url,
            encoding_hint=encoding_hint,
            defer=defer,
            resume=resume,
            marks=marks,
        ),
    )
    wanted = limits.max_items + 1 if stop is None else min(stop, limits.max_items + 1)
    items = list(itertools.islice(read, max(wanted - resume.item, 0)))
    if resume.item + len(items) > limits.max_items:
        items = items[: limits.max_items - resume.item]
        items.append(
            InputItem.failed(
                name,
                f"{name} holds more than {limits.max_items:,} articles; only the first "
                f"{limits.max_items:,} were read. Split it into smaller files.",
            )
        )
    return items


def read_paths(
    paths: list[Path], *, limits: IngestLimits, defer: bool = False
) -> Iterator[InputItem]:
    """Items from files and folders (recursive, every supported extension), for the CLI;
    `defer` as for `read_upload`."""
    for path in paths:
        if path.is_dir():
            files = sorted(
                found
                for found in path.rglob("*")
                if found.is_file()
                and found.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in found.relative_to(path).parts)
            )
            for file in files:
                yield from _read_path(file, limits=limits, defer=defer)
        else:
            yield from _read_path(path, limits=limits, defer=defer)


def _read_path(path: Path, *, limits: IngestLimits, defer: bool) -> Iterator[InputItem]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_upload_bytes:
            yield InputItem.failed(
                name,
                f"{name} is {size:,} bytes; the limit for one file is "
                f"{limits.max_upload_bytes:,} bytes.",
            )
            return
        data = path.read_bytes()
    except FileNotFoundError:
        yield InputItem.failed(name, f"{name} does not exist.")
        return
    except OSError as error:
        yield InputItem.failed(name, f"{name} cannot be read ({error.strerror or error}).")
        return
    yield from read_upload(name, data, limits=limits, defer=defer)


def _guarded(name: str, items: Iterator[InputItem]) -> Iterator[InputItem]:
    """`items`, ending with a failed item if reading them raises: the promise is that
    bad content never escapes as an exception."""
    try:
        yield from items
    except Exception as error:
        yield InputItem.failed(name, f"{name} could not be read ({type(error).__name__}).")


def _dispatch(
    name: str,
    data: bytes,
    *,
    limits: IngestLimits,
    kind: str | None = None,
    url: str | None = None,
    encoding_hint: str | None = None,
    defer: bool = False,
    resume: EntryMark = START,
    marks: list[EntryMark] | None = None,
) -> Iterator[InputItem]:
    if not data.strip():
        yield InputItem.failed(name, f"{name} is empty.")
        return
    kind = detect_format(name, data, hint=kind)
    if kind.startswith("foreign:"):
        yield InputItem.failed(
            name,
            f"{name} is {kind.removeprefix('foreign:')}, which Démarche cannot read; "
            "upload text, HTML, JSON, CSV, RSS/Atom or a zip of these.",
        )
        return
    if kind == "zip":

        def read_entry(source: str, content: bytes) -> list[InputItem]:
            # Entries are dispatched directly: the archive's own limits already apply.
            return list(_dispatch(source, content, limits=limits, defer=defer))

        yield from read_zip(
            name, data, limits=limits, read_entry=read_entry, resume=resume, marks=marks
        )
    elif kind == "json":
        yield from read_json(name, data, limits=limits)
    elif kind == "jsonl":
        yield from read_json_lines(name, data, limits=limits)
    elif kind == "csv":
        yield from read_csv(name, data, limits=limits)
    elif kind == "feed":
        yield from read_feed(name, data, limits=limits)
    else:
        read = (
            partial(read_html_page, data, source=name, url=url, encoding_hint=encoding_hint)
            if kind == "html"
            else partial(_plain_text, name, data, encoding_hint)
        )
        single = partial(_single, name, read, max_bytes=limits.max_article_bytes)
        yield InputItem.later(name, single) if defer else single()


def _plain_text(name: str, data: bytes, encoding_hint: str | None) -> ParsedArticle:
    text = decode_text(data, source=name, encoding_hint=encoding_hint)
    return parse_plain_text(text, raw=data, source_name=name)


def _single(name: str, read: Callable[[], ParsedArticle], *, max_bytes: int) -> InputItem:
    try:
        article = read()
        check_article_size(article, max_bytes=max_bytes, source=name)
    except IngestError as error:
        return InputItem.failed(name, str(error))
    except Exception as error:  # deferred, this runs outside `_guarded`: same promise
        return InputItem.failed(name, f"{name} could not be read ({type(error).__name__}).")
    return InputItem.ok(name, article)


def detect_format(name: str, data: bytes, *, hint: str | None = None) -> str:
    """ "zip", "json", "jsonl", "csv", "feed", "html", "text" or "foreign:<what it is>".

    Strong content signatures (archive magic, markup) win over the extension; the
    extension (or `hint`, a format from a Content-Type) decides between formats the
    content cannot tell apart (CSV and text).
    """
    if data.startswith(ZIP_MAGIC):
        return "zip"
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            return f"foreign:{what}"
    extension = f".{hint}" if hint else PurePosixPath(name.lower()).suffix
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = head.lower()
    if looks_like_feed(data):
        return "feed"
    if lowered.startswith((b"<!doctype html", b"<html")) or (
        lowered.startswith(b"<") and b"<body" in data[:65536].lower()
    ):
        return "html"
    if extension in (".html", ".htm"):
        return "html"
    if extension in (".xml", ".rss", ".atom"):
        return "feed"
    if extension == ".zip":
        return "zip"
    if extension in (".jsonl", ".ndjson"):
        return "jsonl"
    if extension == ".json":
        return "json"
    if extension == ".csv":
        return "csv"
    if head.startswith((b"{", b"[")):
        return _json_kind(data)
    return "text"


def _json_kind(data: bytes) -> str:
    first_line = data.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    try:
        json.loads(first_line)
    except ValueError:
        return "json"
    rest = data.lstrip().split(b"\n", 1)
    return "jsonl" if len(rest) > 1 and rest[1].strip() else "json"
