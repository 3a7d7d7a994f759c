"""Exports of any statements view: CSV and JSON, streamed as the rows come from Postgres.

`/statements.csv` and `/statements.json` take the timeline's query string. The page
number is ignored: an export holds the whole view, in the view's order. Rows are read
through a server-side cursor and written out batch by batch, so a large view never sits
in memory whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from app.queries.exports import EXPORT_COLUMNS, ExportRow, export_rows
from app.queries.filters import StatementFilter
from app.queries.statements import filter_names
from app.web.deps import Filters, ReadSessionDep
from app.web.schemas import filter_out

router = APIRouter(tags=["exports"])

ROWS_PER_CHUNK = 200
# Spreadsheets run cells starting with these as formulas; article text is untrusted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_filename(description: str, extension: str) -> str:
    """A file name from the view's description: ASCII, lowercase, dashes, bounded."""
    ascii_words = unicodedata.normalize("NFKD", description).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")[:100].rstrip("-")
    return f"{stem or 'statements'}.{extension}"


def _description(session: Session, filters: StatementFilter) -> str:
    names = filter_names(session, filters=filters)
    return names.describe(filters)


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_chunks(rows: Iterator[ExportRow]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_cell(getattr(row, column)) for column in EXPORT_COLUMNS])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(head: dict, rows: Iterator[ExportRow]) -> Iterator[str]:
    """`{"filter": ..., "columns": [...], "statements": [...]}` written piece by piece,
    `ROWS_PER_CHUNK` rows at a time (each chunk is one hop to the event loop)."""
    opening = json.dumps(head, ensure_ascii=False, default=str)[:-1]
    pieces = [opening + ', "statements": [']
    for count, row in enumerate(rows):
        pieces.append(
            ("\n" if count == 0 else ",\n")
            + json.dumps(asdict(row), ensure_ascii=False, default=str)
        )
        if len(pieces) >= ROWS_PER_CHUNK:
            yield "".join(pieces)
            pieces = []
    pieces.append("\n]}\n")
    yield "".join(pieces)


@router.get(
    "/statements.csv",
    summary="Export a view's statements as CSV",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per statement"}},
)
def export_csv(session: ReadSessionDep, filters: Filters) -> StreamingResponse:
    """Columns as listed in the README (`EXPORT_COLUMNS`); the whole view, any page."""
    whole = filters.first_page()
    filename = export_filename(_description(session, whole), "csv")
    return StreamingResponse(
        _csv_chunks(export_rows(session, filters=whole)),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(filename),
    )


@router.get(
    "/statements.json",
    summary="Export a view's statements as JSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}, "description": "The filter and rows"}},
)
def export_json(session: ReadSessionDep, filters: Filters) -> StreamingResponse:
    """`filter` (as in the API), `columns`, then `statements`: one object per row with
    the CSV's columns, values unquoted."""
    whole = filters.first_page()
    description = _description(session, whole)
    head = {
        "filter": filter_out(whole, description).model_dump(mode="json", by_alias=True),
        "columns": list(EXPORT_COLUMNS),
    }
    return StreamingResponse(
        _json_chunks(head, export_rows(session, filters=whole)),
        media_type="application/json",
        headers=_attachment(export_filename(description, "json")),
    )
