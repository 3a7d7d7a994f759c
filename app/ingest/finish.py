"""The last step for every reader: language, MinHash and content hash, computed from the
final body."""

from __future__ import annotations

from dataclasses import replace

from app.ingest.article import ParsedArticle
from app.ingest.errors import IngestError
from app.ingest.fingerprint import content_hash
from app.ingest.language import detect_language
from app.ingest.similarity import minhash_signature


def finish_article(article: ParsedArticle) -> ParsedArticle:
    """`article` with its language, MinHash signature and content hash filled in from
    its body."""
    return replace(
        article,
        language=article.language or detect_language(article.body),
        minhash=article.minhash or minhash_signature(article.body),
        content_hash=article.content_hash or content_hash(article.body),
    )


def check_article_size(article: ParsedArticle, *, max_bytes: int, source: str) -> None:
    size = len(article.body.encode("utf-8"))
    if size > max_bytes:
        raise IngestError(
            f"{source} has {size:,} bytes of text; the limit for one article is {max_bytes:,} bytes."
        )
