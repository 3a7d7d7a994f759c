"""Who said what, when, on which theme: statements extracted from one article body.

Pure Python (no database, no web): a body string goes in, `ExtractedStatement`s come out,
with character offsets into exactly the string given. The stages live in one module each:
`paragraphs` (boilerplate and repeated paragraphs), `quotes` (quotation spans),
`sentences` (segmentation), `cues` (reporting verbs), `speakers` (resolution against the
registry in `app.knowledge`), `attribution` (turning cues into statements), `dates`,
`themes`, and `pipeline`, which runs them in order.
"""

from app.extract.model import (
    DatePrecision,
    ExtractedStatement,
    Kind,
    SpeakerRef,
    ThemeScore,
)
from app.extract.pipeline import extract_statements, to_contract

__all__ = [
    "DatePrecision",
    "ExtractedStatement",
    "Kind",
    "SpeakerRef",
    "ThemeScore",
    "extract_statements",
    "to_contract",
]
