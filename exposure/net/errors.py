"""What can go wrong with a request, as types: :class:`FetchError` carries a
:class:`Failure` (what kind of failure) and a short human reason for display.

Code decides on ``exc.failure``, never on the wording of ``exc.reason``.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from enum import Enum

import requests


class Failure(Enum):
    """Why a request gave no usable answer."""

    INVALID_URL = "invalid URL"
    UNSUPPORTED_SCHEME = "unsupported URL scheme"
    DNS = "DNS lookup failed"
    REFUSED = "connection refused"
    CONNECT_TIMEOUT = "connect timed out"
    TIMEOUT = "timed out"  # the read timeout: no byte for too long
    DEADLINE = "deadline reached"  # the whole check's deadline
    TLS = "TLS error"
    PROXY = "proxy error"
    SOCKS_MISSING = "SOCKS proxy support is not installed (requests[socks])"
    TOO_MANY_REDIRECTS = "too many redirects"
    REDIRECT_SCHEME = "redirect to an unsupported URL scheme"
    PRIVATE_REDIRECT = "redirect to a private address refused"
    PLAIN_HTTP_CREDENTIALS = "refused to send a key or token over plain http"
    OFF_HOST = "navigation off the source's host refused"  # the browser fetcher's confinement
    BROWSER = "the browser failed"
    OFF_LOOPBACK = "refused: this folder talks only to 127.0.0.1 (loopback_only)"
    DECODE = "could not decode the response body"
    RESET = "connection reset"
    BROKEN = "connection broken"
    CONNECTION = "connection failed"
    ROBOTS_UNREACHABLE = "robots.txt unreachable"
    OTHER = "request failed"


class FetchError(Exception):
    """No usable answer. ``failure`` says what kind; ``reason`` is a short human text."""

    def __init__(
        self, failure: Failure, reason: str | None = None, *, retryable: bool = False
    ) -> None:
        text = reason if reason is not None else failure.value
        super().__init__(text)
        self.failure = failure
        self.reason = text
        self.retryable = retryable
        self.tries = 1


class RobotsDisallowed(Exception):
    """The site's robots.txt forbids this URL for our User-Agent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Cancelled(Exception):
    """The cancel event was set: the request was not (completely) made."""


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it wraps (requests -> urllib3 -> socket errors)."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        nested = [a for a in getattr(item, "args", ()) if isinstance(a, BaseException)]
        for extra in (getattr(item, "reason", None), item.__cause__, item.__context__):
            if isinstance(extra, BaseException):
                nested.append(extra)
        stack.extend(nested)


def classify(exc: Exception, *, connect_timeout: float, read_timeout: float) -> FetchError:
    """The :class:`FetchError` for a requests/urllib3/socket failure."""
    import urllib3.exceptions as u3

    causes = list(_causes(exc))

    def has(*types: type) -> bool:
        return any(isinstance(c, types) for c in causes)

    if has(u3.NameResolutionError, socket.gaierror):
        return FetchError(Failure.DNS)
    if has(ConnectionRefusedError):
        return FetchError(Failure.REFUSED, retryable=True)
    if isinstance(exc, requests.exceptions.ConnectTimeout) or has(u3.ConnectTimeoutError):
        return FetchError(Failure.CONNECT_TIMEOUT, f"connect timed out after {connect_timeout:g}s")
    if has(requests.exceptions.ReadTimeout, u3.ReadTimeoutError, TimeoutError):
        return FetchError(Failure.TIMEOUT, f"timed out after {read_timeout:g}s")
    if has(requests.exceptions.SSLError, u3.SSLError):
        return FetchError(Failure.TLS)
    if has(requests.exceptions.ProxyError, u3.ProxyError):
        return FetchError(Failure.PROXY, retryable=True)
    if isinstance(exc, requests.exceptions.InvalidSchema) and "SOCKS" in str(exc):
        return FetchError(Failure.SOCKS_MISSING)
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return FetchError(Failure.UNSUPPORTED_SCHEME)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema) or has(
        u3.LocationParseError, u3.LocationValueError
    ):
        return FetchError(Failure.INVALID_URL)
    if isinstance(exc, requests.exceptions.ContentDecodingError) or has(u3.DecodeError):
        return FetchError(Failure.DECODE)
    if has(ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        return FetchError(Failure.RESET, retryable=True)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or has(u3.ProtocolError):
        return FetchError(Failure.BROKEN, retryable=True)
    if isinstance(exc, requests.exceptions.ConnectionError | OSError):
        return FetchError(Failure.CONNECTION, retryable=True)
    return FetchError(Failure.OTHER, f"request failed ({type(exc).__name__})")
