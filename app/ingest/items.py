"""One outcome per input item: an article, or a sentence saying why there is none."""

from __future__ import annotations

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

    def __post_init__(self) -> None:
        if (self.article is None) == (self.error is None):
            raise ValueError("an InputItem has either an article or an error")

    @classmethod
    def ok(cls, source: str, article: ParsedArticle) -> InputItem:
        return cls(source=source, article=article, error=None)

    @classmethod
    def failed(cls, source: str, error: str) -> InputItem:
        return cls(source=source, article=None, error=error)
