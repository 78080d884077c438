"""The one ``requests.Session`` factory, with urllib3 pools that report to the watchdog."""

from __future__ import annotations

import functools
import os
import socket
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.connection import create_connection

from exposure.net.settings import HttpSettings
from exposure.net.watchdog import current_watch, response_socket

# Connections kept alive per host: the per-host gate bounds concurrent use, plus
# one for a robots.txt fetch.
POOL_SPARE = 2
# urllib3 pools (scheme+host+port) kept alive at once. A scan asks ~500 hosts
# (robots.txt, then the check): evicting a host's pool between the two costs a
# reconnect. The scan command raises the open-file limit to match.
POOL_COUNT = 1024


class WatchedAdapter(HTTPAdapter):
    """An HTTPAdapter whose urllib3 pools report each connection to the current watch.

    Every request, on a new or a reused connection, passes through
    ``HTTPConnectionPool._make_request(conn, ...)``; registering ``conn`` there
    lets the watchdog shut its socket down when the try overruns its deadline.

    HttpClient sends through the adapter's urllib3 managers directly (requests'
    per-request machinery — cookies, hooks, settings merges — cost about a third
    of a scan's CPU), so TLS verification is set on the managers here, as
    requests would: certifi's bundle, or ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``.
    """

    def __init__(self, *args: Any, ca_certs: str = "", **kwargs: Any) -> None:
        self._tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": ca_certs or _ca_bundle()}
        super().__init__(*args, **kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **{**self._tls, **kwargs})
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **{**self._tls, **kwargs})
        _watch_pools(manager)
        return manager


def _ca_bundle() -> str:
    from requests.utils import DEFAULT_CA_BUNDLE_PATH

    return str(DEFAULT_CA_BUNDLE_PATH)


def _watch_pools(manager: Any) -> None:
    if getattr(manager, "_exposure_watched", False):
        return
    manager.pool_classes_by_scheme = {
        scheme: _watched_pool(cls) for scheme, cls in manager.pool_classes_by_scheme.items()
    }
    manager._exposure_watched = True


@functools.cache
def _watched_pool(cls: Any) -> type:
    def _make_request(self: Any, conn: Any, *args: Any, **kwargs: Any) -> Any:
        watch = current_watch()
        if watch is not None:
            pinned = watch.pins.get(str(self.host).lower())
            if pinned and getattr(conn, "_exposure_pin", None) != pinned:
                _pin(conn, pinned)
            watch.add(conn)
        response = cls._make_request(self, conn, *args, **kwargs)
        if watch is not None:
            # An answer that ends with the connection ("Connection: close", HTTP/1.0)
            # leaves conn.sock None: http.client hands the socket to the response.
            # The body is then read from that socket, so the watch needs it too.
            watch.add(response_socket(response))
        return response

    return type(f"Watched{cls.__name__}", (cls,), {"_make_request": _make_request})


def _pin(conn: Any, address: str) -> None:
    """Make ``conn`` connect to ``address``, the one the private-address guard checked.

    A second look-up of the name (urllib3's own) could answer differently (DNS
    rebinding); the Host header and TLS name stay the name's.
    """
    conn.close()  # a kept-alive socket may lead elsewhere

    def connect_pinned() -> socket.socket:
        return create_connection(
            (address, conn.port),
            conn.timeout,
            source_address=conn.source_address,
            socket_options=conn.socket_options,
        )

    conn._new_conn = connect_pinned
    conn._exposure_pin = address


def make_session(settings: HttpSettings) -> requests.Session:
    """The one ``requests.Session`` factory.

    ``trust_env`` is off: with it on, requests re-reads the environment and
    ~/.netrc on every request (measurable CPU in a 1,000-request scan).
    HttpClient reads the proxy variables once instead (``HTTPS_PROXY``,
    ``NO_PROXY``...), and the CA bundle variables are read here. An explicit
    ``settings.proxy`` wins. Retries and redirects are ours, not urllib3's.
    """
    session = requests.Session()
    session.trust_env = False
    ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if ca_bundle:
        session.verify = ca_bundle
    session.headers["User-Agent"] = settings.user_agent
    adapter = WatchedAdapter(
        pool_connections=POOL_COUNT,
        pool_maxsize=settings.per_host_concurrency + POOL_SPARE,
        max_retries=0,
        ca_certs=ca_bundle or "",
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    if settings.proxy:
        session.proxies = {"http": settings.proxy, "https": settings.proxy}
    return session


def raise_open_file_limit(wanted: int = 4096) -> None:
    """Lift the soft open-file limit towards ``wanted`` (kept-alive pools hold sockets)."""
    try:
        import resource  # lazy: Unix only; elsewhere the ImportError below skips this

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ImportError, ValueError, OSError):  # not POSIX, or not allowed: live with it
        pass
