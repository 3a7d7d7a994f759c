"""Ingest: turn what an editor gives us (bytes, a paste, a file) into a `ParsedArticle`.

Pure Python with no database or web import: decoding, one reader per format
(`readers.read_upload` dispatches: text, HTML, JSON/JSONL/CSV records, RSS/Atom, zip),
safe URL fetching (`fetch`), metadata inference, language, fingerprints and MinHash
near-duplicate signatures (`similarity`), and the noise lines extraction skips
(`noise`). What the store keeps is decided here, so extraction offsets always refer to
`ParsedArticle.body`. Bad input never raises out of a reader: it becomes an
`InputItem` carrying a sentence for the editor.
"""

from app.ingest.article import OutletRef, ParsedArticle
from app.ingest.errors import IngestError
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.plaintext import parse_plain_text, read_text_file

__all__ = [
    "IngestError",
    "IngestLimits",
    "InputItem",
    "OutletRef",
    "ParsedArticle",
    "parse_plain_text",
    "read_text_file",
]
