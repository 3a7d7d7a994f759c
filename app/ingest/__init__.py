"""Ingest: turn what an editor gives us (bytes, a paste, a file) into a `ParsedArticle`.

Pure Python with no database or web import: decoding, the layout of plain-text
articles (header line, title, body), metadata inference and fingerprints. What the
store keeps is decided here, so extraction offsets always refer to `ParsedArticle.body`.
"""

from app.ingest.article import OutletRef, ParsedArticle
from app.ingest.errors import IngestError
from app.ingest.plaintext import parse_plain_text, read_text_file

__all__ = ["IngestError", "OutletRef", "ParsedArticle", "parse_plain_text", "read_text_file"]
