"""Per-host politeness: which host a URL belongs to, and that host's gate.

A host is its registered domain (``host_key``), so ``a.example.co.uk`` and
``b.example.co.uk`` share one gate; an IP literal is its own host. A gate is
a semaphore (``per_host_concurrency``) plus a reserved start time
(``min_interval`` between request starts).
"""

from __future__ import annotations

import contextlib
import ipaddress
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from exposure.net.errors import Cancelled

_TICK = 0.05  # seconds between cancel checks while queued at a gate

_extractor_lock = threading.Lock()
_extractor: Any = None


def _tld_extract() -> Any:
    """The one TLDExtract, built lazily, on the bundled suffix list only (never downloads)."""
    global _extractor
    with _extractor_lock:
        if _extractor is None:
            import tldextract

            _extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        return _extractor


def host_key(url: str) -> str:
    """The politeness key of ``url``: its registered domain, or its IP address.

    ``https://a.example.co.uk/x`` -> ``example.co.uk``; ``http://127.0.0.2:8080/``
    -> ``127.0.0.2`` (the port is ignored: one address is one host);
    ``localhost`` -> ``localhost``. A URL without a host gives ``""``.
    """
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    if not host:
        return ""
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        pass
    if host == "localhost" or host.endswith(".localhost"):
        return "localhost"
    ext = _tld_extract()(host)
    domain = getattr(ext, "top_domain_under_public_suffix", None)
    if domain is None:  # tldextract < 5.3
        domain = ext.registered_domain
    return domain or host


class HostGate:
    """Per-host politeness: a concurrency limit and a minimum interval between starts."""

    def __init__(self, limit: int, interval: float) -> None:
        self._slots = threading.BoundedSemaphore(max(1, limit))
        self._interval = interval
        self._lock = threading.Lock()
        self._next_start = 0.0

    def slow_to(self, interval: float) -> None:
        """Never start requests faster than ``interval`` seconds apart (an API's own limit)."""
        with self._lock:
            self._interval = max(self._interval, interval)

    @contextlib.contextmanager
    def hold(self, cancel: threading.Event) -> Iterator[None]:
        while not self._slots.acquire(timeout=_TICK):
            if cancel.is_set():
                raise Cancelled
        try:
            if cancel.is_set():
                raise Cancelled
            if self._interval > 0:
                with self._lock:
                    now = time.monotonic()
                    start = max(now, self._next_start)
                    self._next_start = start + self._interval
                if start > now and cancel.wait(start - now):
                    raise Cancelled
            yield
        finally:
            self._slots.release()
