"""Fetching an article from a URL, safely: the server must not be made to reach inside.

Only http(s). Every hop (the first request and each redirect) has its host resolved
and every address checked: private, loopback, link-local, reserved, multicast and
other non-global addresses are refused unless `IngestLimits.allow_private_fetch` is
set. The connection then goes to the address that was checked (the Host header and
TLS server name keep the original host), so a DNS answer that changes between the
check and the connection cannot redirect the request. Bodies are streamed with a byte
cap and an overall deadline, and proxies from the environment are ignored.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, replace
from email.message import Message

import httpx

from app.ingest.errors import IngestError
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.outlets import outlet_from_url
from app.ingest.readers import read_named

MAX_REDIRECTS = 5
_USER_AGENT = "Demarche/0.1 (news monitoring; fetches one page on an editor's request)"
_KIND_BY_TYPE = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "text/csv": "csv",
    "application/rss+xml": "xml",
    "application/atom+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/zip": "zip",
    "text/plain": "txt",
}
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    """The final URL, after redirects."""
    content_type: str | None
    data: bytes


class FetchError(IngestError):
    """A URL that could not be fetched; the message is a sentence for the editor."""


def address_refusal(address: str) -> str | None:
    """Why `address` may not be fetched from, or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return "a reserved address"
    if ip.is_private:
        return "a private network address"
    if not ip.is_global:
        return "a reserved address"
    return None


def _resolve(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{host} could not be found (its name does not resolve).") from error
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


def _checked_address(url: httpx.URL, *, limits: IngestLimits) -> str:
    if url.scheme not in ("http", "https"):
        raise FetchError(f"Only http and https addresses can be fetched, not '{url.scheme}:'.")
    if not url.host:
        raise FetchError(f"'{url}' has no host name.")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = _resolve(url.host, port)
    if not limits.allow_private_fetch:
        for address in addresses:
            if reason := address_refusal(address):
                raise FetchError(
                    f"{url.host} points to {reason} ({address}); Démarche only fetches "
                    "pages from the public internet."
                )
    return addresses[0]


def fetch_url(url: str, *, limits: IngestLimits) -> Fetched:
    """The body of `url` after checked redirects; raises `FetchError` with a sentence."""
    try:
        current = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as error:
        raise FetchError(f"'{url}' is not a valid web address.") from error
    deadline = time.monotonic() + limits.fetch_timeout_seconds
    timeout = httpx.Timeout(limits.fetch_timeout_seconds)
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            address = _checked_address(current, limits=limits)
            request = client.build_request(
                "GET",
                current.copy_with(host=address),
                headers={"Host": current.netloc.decode("ascii"), "User-Agent": _USER_AGENT},
                extensions={"sni_hostname": current.host},
            )
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as error:
                raise FetchError(f"{current.host} did not answer in time.") from error
            except httpx.HTTPError as error:
                raise FetchError(f"{current.host} could not be reached ({error}).") from error
            try:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    current = current.join(response.headers["location"])
                    continue
                if response.status_code >= 400:
                    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                    raise FetchError(f"{current} answered {response.status_code}{reason}.")
                data = _read_capped(response, limits=limits, deadline=deadline, url=current)
                return Fetched(
                    url=str(current),
                    content_type=response.headers.get("content-type"),
                    data=data,
                )
            finally:
                response.close()
    raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times.")


def _read_capped(
    response: httpx.Response, *, limits: IngestLimits, deadline: float, url: httpx.URL
) -> bytes:
    too_big = FetchError(
        f"{url} is larger than {limits.max_fetch_bytes:,} bytes, the limit for a fetched page."
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_fetch_bytes:
        raise too_big
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limits.max_fetch_bytes:
                raise too_big
            if time.monotonic() > deadline:
                raise FetchError(f"{url.host} took too long to send the page.")
            chunks.append(chunk)
    except httpx.TimeoutException as error:
        raise FetchError(f"{url.host} took too long to send the page.") from error
    except httpx.HTTPError as error:
        raise FetchError(f"{url.host} broke off while sending the page ({error}).") from error
    return b"".join(chunks)


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    message = Message()
    message["content-type"] = value
    return message.get_content_type(), message.get_param("charset")  # type: ignore[return-value]


def read_url(url: str, *, limits: IngestLimits) -> list[InputItem]:
    """Fetch `url` and read it like an upload; an unreachable URL is one error item.

    The fetched URL becomes the article's URL (and outlet) when a single page was read
    and it names none; articles from a fetched feed or archive keep their own.
    """
    try:
        fetched = fetch_url(url, limits=limits)
    except FetchError as error:
        return [InputItem.failed(url, str(error))]
    media_type, charset = _content_type(fetched.content_type)
    items = read_named(
        fetched.url,
        fetched.data,
        limits=limits,
        kind=_KIND_BY_TYPE.get(media_type or ""),
        url=fetched.url,
        encoding_hint=charset,
    )
    return [_with_url(items[0], fetched.url)] if len(items) == 1 else items


def _with_url(item: InputItem, url: str) -> InputItem:
    article = item.article
    if article is None or article.url is not None:
        return item
    return replace(
        item, article=replace(article, url=url, outlet=article.outlet or outlet_from_url(url))
    )
