"""One outcome per input item: an article, or a sentence saying why there is none.

An item may also be read later: bulk imports ask readers for deferred items, whose
parsing (the costly part of reading: metadata inference, language, MinHash) runs where
the item is extracted, in a worker process, and only for the items an import part
takes, not for every item of the file each part slices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.ingest.article import ParsedArticle


@dataclass(frozen=True, slots=True)
class InputItem:
    """Where an item came from and what became of it; exactly one of article/error is set.

    `source` names the item for the editor: "bundle.zip/dir/a.html", "feed.xml#3",
    "export.jsonl:12".
    """

    source: str
    article: ParsedArticle | None
    error: str | None
    deferred: Callable[[], InputItem] | None = None
    """Reads the item when called (picklable, so it can travel to a worker process)."""

    def __post_init__(self) -> None:
        if sum(part is not None for part in (self.article, self.error, self.deferred)) != 1:
            raise ValueError("an InputItem has exactly one of an article, an error or a reader")

    def read(self) -> InputItem:
        """This item, read if it was deferred."""
        return self.deferred() if self.deferred is not None else self

    @classmethod
    def ok(cls, source: str, article: ParsedArticle) -> InputItem:
        return cls(source=source, article=article, error=None)

    @classmethod
    def failed(cls, source: str, error: str) -> InputItem:
        return cls(source=source, article=None, error=error)

    @classmethod
    def later(cls, source: str, deferred: Callable[[], InputItem]) -> InputItem:
        return cls(source=source, article=None, error=None, deferred=deferred)
