"""The size and count limits every reader and the fetcher obey.

One frozen value passed down explicitly, so a test can shrink a limit to a few bytes
and the web, queue and CLI layers choose their own without touching a global.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IngestLimits:
    max_article_bytes: int = 2_000_000
    """One article's text, encoded as UTF-8."""
    max_upload_bytes: int = 50_000_000
    """One uploaded file or archive, as received."""
    max_archive_entries: int = 5_000
    max_archive_total_bytes: int = 200_000_000
    """Sum of the uncompressed sizes of an archive's entries."""
    max_compression_ratio: float = 100.0
    """Per archive entry; a higher ratio is treated as a zip bomb."""
    max_items: int = 10_000
    """Articles (and error items) from one upload."""
    fetch_timeout_seconds: float = 10.0
    max_fetch_bytes: int = 5_000_000
    allow_private_fetch: bool = False
    """Allow fetching from private, loopback, link-local and reserved addresses (tests)."""
