"""One article submitted by a person or a program: validate its fields, then parse it.

The upload form and the JSON API both come through here, so a date, a URL or an
outlet name is judged the same way wherever it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from app.extract import ExtractedStatement, extract_statements
from app.ingest import IngestError, ParsedArticle, parse_plain_text
from app.ingest.decode import decode_text, normalise_text
from app.ingest.finish import finish_article
from app.ingest.noise import noise_lines
from app.ingest.outlets import outlet_for_editor
from app.ingest.plaintext import parse_date_text
from app.models import Article
from app.services.articles import (
    DuplicateArticleError,
    add_article,
    find_duplicate,
    statements_found,
)
from app.services.registry import current_registry

MAX_TITLE = 1000
MAX_OUTLET = 200
MAX_URL = 2000


class SubmissionError(IngestError):
    """Every problem found in a submission, each a sentence for the person who sent it."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class Submission:
    text: str = ""
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    file_name: str | None = None
    file_data: bytes | None = field(default=None, repr=False)


def parse_submission(submission: Submission, *, max_bytes: int) -> ParsedArticle:
    """Validate every field, collecting all problems before refusing with SubmissionError."""
    errors: list[str] = []
    published: date | None = None
    if submission.published:
        try:
            published = parse_date_text(submission.published)
        except IngestError as error:
            errors.append(str(error))
    url = submission.url.strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname or len(url) > MAX_URL:
            errors.append("The URL must be a web address starting with http:// or https://.")
    if len(submission.title) > MAX_TITLE:
        errors.append(f"The title is too long: at most {MAX_TITLE} characters.")
    if len(submission.outlet) > MAX_OUTLET:
        errors.append(f"The outlet name is too long: at most {MAX_OUTLET} characters.")

    text: str | None = None
    raw: bytes | None = None
    try:
        if submission.file_data:
            if len(submission.file_data) > max_bytes:
                raise IngestError(
                    f"{submission.file_name or 'The file'} is larger than the limit of "
                    f"{max_bytes:,} bytes for one article."
                )
            raw = submission.file_data
            text = decode_text(raw, source=submission.file_name or "The file")
        elif submission.text.strip():
            if len(submission.text.encode("utf-8")) > max_bytes:
                raise IngestError(
                    f"The text is larger than the limit of {max_bytes:,} bytes for one article."
                )
            text = normalise_text(submission.text, source="The text")
            raw = text.encode("utf-8")
        else:
            errors.append("Paste the article's text or choose a .txt file.")
    except IngestError as error:
        errors.append(str(error))
    if errors or text is None:
        raise SubmissionError(errors)
    return parse_plain_text(
        text,
        raw=raw,
        source_name=submission.file_name,
        title=submission.title.strip() or None,
        published=published,
        url=url or None,
        outlet=outlet_for_editor(submission.outlet) if submission.outlet.strip() else None,
    )


@dataclass(frozen=True, slots=True)
class SubmissionOutcome:
    status: Literal["stored", "duplicate", "rejected"]
    message: str
    article_id: int | None = None
    statements: int = 0


def submit(session: Session, submission: Submission, *, max_bytes: int) -> SubmissionOutcome:
    """Parse, extract and store one submission; duplicates answer with the stored copy.

    Idempotent by content: sending the same article twice stores it once.
    """
    try:
        article = add_article(session, parse_submission(submission, max_bytes=max_bytes))
    except SubmissionError as error:
        session.rollback()
        return SubmissionOutcome("rejected", " ".join(error.messages))
    except DuplicateArticleError as duplicate:
        session.rollback()
        return SubmissionOutcome("duplicate", str(duplicate), duplicate.article_id)
    return SubmissionOutcome(
        "stored", statements_found(len(article.statements)), article.id, len(article.statements)
    )


@dataclass(frozen=True, slots=True)
class Preview:
    """What saving a submission would store: inferred metadata, statements, skipped noise."""

    article: ParsedArticle
    statements: list[ExtractedStatement]
    noise: list[tuple[int, int, str]]
    duplicate_of: Article | None


def preview_submission(session: Session, submission: Submission, *, max_bytes: int) -> Preview:
    """Parse and extract without storing anything (raises SubmissionError like saving)."""
    article = finish_article(parse_submission(submission, max_bytes=max_bytes))
    return Preview(
        article=article,
        statements=extract_statements(
            article.body, published=article.published, registry=current_registry(session)
        ),
        noise=noise_lines(article.body),
        duplicate_of=find_duplicate(session, article.body),
    )
