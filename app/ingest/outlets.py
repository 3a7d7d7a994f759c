"""Which outlet published an article: from its URL's domain, a masthead line or a name."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from app.ingest.article import OutletRef
from app.knowledge import OutletEntry, outlets

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(value: str) -> str:
    return _SLUG_JUNK.sub("-", value.casefold()).strip("-")[:120] or "unknown"


@cache
def _by_domain() -> dict[str, OutletEntry]:
    return {domain: entry for entry in outlets() for domain in entry.domains}


@cache
def _by_name() -> dict[str, OutletEntry]:
    index: dict[str, OutletEntry] = {}
    for entry in outlets():
        for label in (entry.name, *entry.aliases):
            index.setdefault(label.casefold(), entry)
    return index


def _ref(entry: OutletEntry) -> OutletRef:
    return OutletRef(
        slug=entry.slug,
        name=entry.name,
        domain=entry.domains[0] if entry.domains else None,
        known=True,
    )


def domain_of(url: str) -> str | None:
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def outlet_from_url(url: str) -> OutletRef | None:
    """The known outlet whose domain (or a parent domain) serves `url`."""
    host = domain_of(url)
    if host is None:
        return None
    parts = host.split(".")
    for index in range(len(parts) - 1):
        entry = _by_domain().get(".".join(parts[index:]))
        if entry:
            return _ref(entry)
    return None


def outlet_from_name(name: str) -> OutletRef | None:
    """A known outlet named exactly (any case) by `name`, else None."""
    entry = _by_name().get(name.strip().casefold())
    return _ref(entry) if entry else None


def outlet_for_editor(name: str) -> OutletRef:
    """The outlet an editor typed: a known one when it matches, else a new one."""
    cleaned = " ".join(name.split())
    return outlet_from_name(cleaned) or OutletRef(
        slug=slugify(cleaned), name=cleaned, domain=None, known=False
    )


def match_outlet(
    entries: tuple[OutletEntry, ...], *, url: str | None, name: str | None
) -> OutletRef | None:
    """The outlet of `entries` serving `url` (or a parent domain), else the one `name`
    names (any case); for outlets outside the shipped list, such as those admins edit."""
    host = domain_of(url) if url else None
    if host is not None:
        parts = host.split(".")
        suffixes = {".".join(parts[index:]) for index in range(len(parts) - 1)}
        for entry in entries:
            if suffixes.intersection(entry.domains):
                return _ref(entry)
    if name:
        wanted = name.strip().casefold()
        for entry in entries:
            if wanted in {label.casefold() for label in (entry.name, *entry.aliases)}:
                return _ref(entry)
    return None
