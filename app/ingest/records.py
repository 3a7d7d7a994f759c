"""Exports from other tools: JSON, JSON Lines and CSV records, one article per record.

Field names are matched case-insensitively against the aliases below; the first alias
present wins. A record without text, or with a date that cannot exist, becomes an
error item naming the record, so the editor can correct the export.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from app.ingest.article import ParsedArticle
from app.ingest.dates import parse_publication_date
from app.ingest.decode import decode_text
from app.ingest.errors import IngestError
from app.ingest.finish import check_article_size
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.outlets import outlet_for_editor
from app.ingest.plaintext import parse_plain_text

TEXT_FIELDS = ("text", "content", "body", "content_original", "article", "full_text")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "pubdate", "datetime")
OUTLET_FIELDS = ("outlet", "source", "site", "site_name", "publisher", "outlet_name")
# Keys under which exports commonly wrap their list of records.
_WRAPPERS = ("articles", "items", "records", "data", "results", "entries", "documents")


def _field(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    folded = {str(key).casefold(): value for key, value in record.items()}
    for name in names:
        value = folded.get(name)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return "\n\n".join(str(part).strip() for part in value if str(part).strip())
    if isinstance(value, dict):
        return ""
    return str(value)


def _as_line(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return " ".join(str(value).split()) or None


def record_article(
    record: Mapping[str, Any], *, label: str, source: str, raw: bytes, limits: IngestLimits
) -> ParsedArticle:
    """One record as an article; `label` ("record 12") names it in messages."""
    text = _field(record, TEXT_FIELDS)
    body = _as_text(text) if text is not None else ""
    if not body.strip():
        raise IngestError(
            f"{_capital(label)} has no text field (expected one of: {', '.join(TEXT_FIELDS)})."
        )
    published = None
    if (date_value := _as_line(_field(record, DATE_FIELDS))) is not None:
        published = parse_publication_date(date_value, source=f"The date of {label}")
        if published is None:
            raise IngestError(
                f"The date of {label}, '{date_value}', is not a date Démarche can read; "
                "write it as YYYY-MM-DD."
            )
    outlet_name = _as_line(_field(record, OUTLET_FIELDS))
    url = _as_line(_field(record, URL_FIELDS))
    article = parse_plain_text(
        body.replace("\r\n", "\n"),
        raw=raw,
        source_name=source,
        title=_as_line(_field(record, TITLE_FIELDS)),
        published=published.value if published else None,
        published_precision=published.precision if published else None,
        url=url if url and url.startswith(("http://", "https://")) else None,
        outlet=outlet_for_editor(outlet_name) if outlet_name else None,
    )
    check_article_size(article, max_bytes=limits.max_article_bytes, source=label)
    return article


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _item(record: Any, *, label: str, source: str, raw: bytes, limits: IngestLimits) -> InputItem:
    if not isinstance(record, dict):
        return InputItem.failed(source, f"{_capital(label)} is not an object with named fields.")
    try:
        return InputItem.ok(
            source, record_article(record, label=label, source=source, raw=raw, limits=limits)
        )
    except IngestError as error:
        return InputItem.failed(source, str(error))


def read_json(name: str, data: bytes, *, limits: IngestLimits) -> Iterator[InputItem]:
    """A JSON array of records, an object wrapping one, or a single record."""
    try:
        document = json.loads(decode_text(data, source=name))
    except IngestError as error:
        yield InputItem.failed(name, str(error))
        return
    except json.JSONDecodeError as error:
        if _looks_like_json_lines(data):
            yield from read_json_lines(name, data, limits=limits)
            return
        yield InputItem.failed(
            name, f"{name} is not valid JSON (line {error.lineno}, column {error.colno})."
        )
        return
    if isinstance(document, dict):
        wrapped = next(
            (document[key] for key in document if str(key).casefold() in _WRAPPERS), None
        )
        records = wrapped if isinstance(wrapped, list) else [document]
    elif isinstance(document, list):
        records = document
    else:
        yield InputItem.failed(name, f"{name} holds a single value, not article records.")
        return
    if not records:
        yield InputItem.failed(name, f"{name} holds no records.")
    for number, record in enumerate(records, start=1):
        raw = json.dumps(record, ensure_ascii=False).encode("utf-8")
        yield _item(
            record, label=f"record {number}", source=f"{name}#{number}", raw=raw, limits=limits
        )


def _looks_like_json_lines(data: bytes) -> bool:
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    try:
        json.loads(lines[0])
    except ValueError:
        return False
    return True


def read_json_lines(name: str, data: bytes, *, limits: IngestLimits) -> Iterator[InputItem]:
    """One JSON record per line; sources are `name:line`."""
    try:
        text = decode_text(data, source=name)
    except IngestError as error:
        yield InputItem.failed(name, str(error))
        return
    found = False
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found = True
        source = f"{name}:{line_number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            yield InputItem.failed(source, f"line {line_number} of {name} is not valid JSON.")
            continue
        yield _item(
            record,
            label=f"the record on line {line_number}",
            source=source,
            raw=line.encode("utf-8"),
            limits=limits,
        )
    if not found:
        yield InputItem.failed(name, f"{name} is empty.")


def read_csv(name: str, data: bytes, *, limits: IngestLimits) -> Iterator[InputItem]:
    """A CSV (or semicolon/tab separated) file with a header row; sources are `name:line`."""
    try:
        text = decode_text(data, source=name)
    except IngestError as error:
        yield InputItem.failed(name, str(error))
        return
    # The header line decides the delimiter: csv.Sniffer is misled by quotes in prose.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    csv.field_size_limit(max(limits.max_article_bytes * 2, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [column.strip() for column in (reader.fieldnames or []) if column]
    except csv.Error as error:
        yield InputItem.failed(name, f"{name} is not a readable CSV file ({error}).")
        return
    if not {column.casefold() for column in columns} & set(TEXT_FIELDS):
        yield InputItem.failed(
            name,
            f"{name} has no text column (expected one of: {', '.join(TEXT_FIELDS)}); "
            f"its columns are: {', '.join(columns) or 'none'}.",
        )
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield InputItem.failed(
                f"{name}:{reader.line_num}", f"line {reader.line_num} of {name}: {error}."
            )
            break
        record = {key: value for key, value in row.items() if key is not None}
        raw = json.dumps(record, ensure_ascii=False).encode("utf-8")
        yield _item(
            record,
            label=f"the record on line {reader.line_num}",
            source=f"{name}:{reader.line_num}",
            raw=raw,
            limits=limits,
        )
