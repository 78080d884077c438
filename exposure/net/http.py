"""One polite HTTP client for every checker.

Public API (other modules code against exactly this):

    settings_from(config: HttpConfig, timeout: float | None = None) -> HttpSettings
    HttpClient(settings: HttpSettings, cancel: threading.Event | None = None)
        .request(method, url, *, headers=None, data=None, allow_redirects=True,
                 respect_robots=None) -> Response
            # an HTTP answer of any status -> Response (retries on 429/5xx done inside;
            # the last answer is returned when retries run out)
            # no answer at all -> raises FetchError(reason)  (timeout, DNS, refused, ...)
            # robots.txt forbids it -> raises RobotsDisallowed(reason)
            # cancel event set -> raises Cancelled
        .get(url, **kw) -> Response
        .pace(url, interval)   # an API's own rate limit: slow that host's gate down
        .close()
    Response: status, headers (case-insensitive), body: bytes (decoded, capped),
              url (requested), final_url, elapsed_ms, tries, truncated, .text (str),
              .block_reason (str|None), .capture() -> exposure.model.Capture
    detect_block(status: int, headers: Mapping[str, str], body: bytes) -> str | None
    host_key(url: str) -> str   # registered domain, or the IP address for IP/loopback hosts
    private_address(host: str, *, resolve=True, public=()) -> bool   # loopback/private/...?
    make_session(settings) -> requests.Session   # the one session factory

Design (why it looks like this):

* **One shared client, many threads.** A scan runs a few hundred worker threads
  against one :class:`HttpClient`. It holds one ``requests.Session`` for its
  configuration (proxies, TLS, default headers) but sends through the session
  adapter's urllib3 managers directly: requests' per-request work (cookie jars,
  hooks, settings merges) was a third of a scan's CPU, and a scan wants no
  cookies carried from one site's answer to the next request anyway. urllib3's
  pools are thread-safe and sized so threads never see "connection pool is
  full". Per-host *gates*: a semaphore (``per_host_concurrency``)
  plus a reserved start time (``min_interval`` between request starts). A host
  is its registered domain (``host_key``), so ``a.example.co.uk`` and
  ``b.example.co.uk`` share one gate; an IP literal is its own host.
* **Timeouts that hold.** requests' connect/read timeouts do not bound a
  server that drips one byte a second. Every try therefore has a *deadline*,
  enforced by a watchdog thread that shuts down the sockets of a try that
  overran it (or whose cancel event was set), which breaks any blocking read,
  headers included. The body loop also checks the clock. Queue time at a
  host gate and robots.txt look-ups do not count against the deadline.
* **Bodies are capped after decoding.** The body is streamed in small
  decoded chunks and cut at ``max_bytes``; a gzip bomb costs at most the cap.
  A body over the cap is *truncated*, not refused (``Response.truncated``):
  the first 5 MiB of a huge results page are still evidence. The connection
  is dropped rather than drained.
* **Redirects are followed here, not by requests**, so each hop goes through
  its own host's gate, robots.txt is checked for the new host, and caller
  headers (API keys) are dropped when a redirect leaves the host. A redirect
  from a public host to a loopback, private, link-local, unique-local or
  unspecified address is refused (``allow_private_redirects`` turns that off):
  a scraped page must not steer us at the person's router, a local admin
  panel or a cloud metadata endpoint. The check sees the address the name
  resolves to here; through a proxy nothing is resolved locally (that would
  leak the look-up around the proxy), so only literal addresses and
  ``localhost`` are recognised then.
* **Retries** (bounded, exponential backoff) on connection failures, 429 and
  5xx. ``Retry-After`` is honoured up to ``retry_after_cap``; above it we do
  not wait and the 429 answer is returned as it is. Every wait wakes on the
  cancel event.
* **robots.txt** (RFC 9309) is fetched once per scheme+host+port, even under
  concurrency: 2xx is parsed with ``urllib.robotparser`` against our
  User-Agent, 4xx means allow all, 5xx or unreachable means disallow all.
* **Block detection** (``detect_block``) recognises WAF/challenge/captcha
  pages so checkers report ``blocked``, never ``absent``. Strong markers count
  at any status; weak ones (a captcha widget, a vendor script that is also
  injected into ordinary pages) only with 403/429/503.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import html
import ipaddress
import logging
import os
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from exposure.model import Capture

if TYPE_CHECKING:
    from exposure.config import HttpConfig

log = logging.getLogger(__name__)

# Connections kept alive per host: the per-host gate bounds concurrent use, plus
# one for a robots.txt fetch.
POOL_SPARE = 2
# urllib3 pools (scheme+host+port) kept alive at once. A scan asks ~500 hosts
# (robots.txt, then the check): evicting a host's pool between the two costs a
# reconnect. The scan command raises the open-file limit to match.
POOL_COUNT = 1024
CHUNK = 16 * 1024  # decoded bytes per body read
MAX_REDIRECTS = 10
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
BLOCK_SCAN_BYTES = 64 * 1024  # detect_block looks at the start of the body only
_WATCH_TICK = 0.05  # seconds between watchdog checks


# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """No usable answer: the message is a short human reason ("connection refused")."""

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.tries = 1


class RobotsDisallowed(Exception):
    """The site's robots.txt forbids this URL for our User-Agent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Cancelled(Exception):
    """The cancel event was set: the request was not (completely) made."""


# ------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class HttpSettings:
    """Everything the client needs, resolved from config and command line."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # seconds between bytes
    deadline: float = 30.0  # whole try, redirects included, retries and queueing excluded
    max_bytes: int = 5 * 1024 * 1024  # decoded body cap; longer bodies are truncated
    retries: int = 2  # extra tries after the first
    backoff: float = 0.5  # first wait between tries; doubles each time
    retry_after_cap: float = 30.0  # longest Retry-After we wait for
    per_host_concurrency: int = 2
    min_interval: float = 0.1  # seconds between request starts to one host
    user_agent: str = "exposure (personal privacy self-audit)"
    proxy: str = ""  # overrides HTTPS_PROXY and friends when set
    respect_robots: bool = True
    allow_private_redirects: bool = False  # follow public -> private-address redirects too
    # TEST-ONLY: networks treated as public although they are in PRIVATE_NETWORKS, so a
    # loopback test server (127.0.0.2) can stand in for a public site. Not in config.toml.
    public_test_networks: tuple[str, ...] = ()


def settings_from(config: HttpConfig, timeout: float | None = None) -> HttpSettings:
    """Build settings from ``[http]`` config; ``timeout`` is the ``--timeout`` value.

    ``--timeout`` sets the read timeout and scales the deadline by the same
    factor, so ``--timeout 60`` on a slow link gives slow servers room overall
    too; the connect timeout never exceeds it.
    """
    read = config.timeout
    deadline = config.deadline
    connect = config.connect_timeout
    if timeout is not None:
        if timeout <= 0:
            raise ValueError("timeout must be a positive number of seconds")
        scale = timeout / config.timeout if config.timeout > 0 else 1.0
        read = timeout
        deadline = max(config.deadline * scale, timeout)
        connect = min(connect, timeout)
    return HttpSettings(
        connect_timeout=connect,
        read_timeout=read,
        deadline=deadline,
        max_bytes=config.max_bytes,
        retries=max(0, config.retries),
        backoff=max(0.0, config.backoff),
        retry_after_cap=max(0.0, config.retry_after_cap),
        per_host_concurrency=max(1, config.per_host_concurrency),
        min_interval=max(0.0, config.min_interval),
        user_agent=config.user_agent,
        proxy=config.proxy,
        respect_robots=config.respect_robots,
        allow_private_redirects=config.allow_private_redirects,
    )


# ------------------------------------------------------------------------- host key

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


# ------------------------------------------------------------------ private addresses

# Where a public page must not send us: loopback, RFC 1918, link-local (169.254/16,
# fe80::/10), unique-local (fc00::/7), "this network"/unspecified (0.0.0.0/8, ::).
PRIVATE_NETWORKS: tuple[str, ...] = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
)
_PRIVATE = tuple(ipaddress.ip_network(n) for n in PRIVATE_NETWORKS)


def _private_ip(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, public: tuple[Any, ...]
) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address.version == net.version and address in net for net in public):
        return False
    return any(address.version == net.version and address in net for net in _PRIVATE)


def private_address(host: str, *, resolve: bool = True, public: tuple[str, ...] = ()) -> bool:
    """True when ``host`` is (or, with ``resolve``, resolves to) a non-public address.

    ``host`` is an IP literal (IPv6 with or without brackets, with or without a
    zone) or a name. ``localhost`` and ``*.localhost`` are private without a
    look-up. A name that does not resolve is not private (the request itself
    will fail). A name with any private address is private. ``public`` lists
    networks to treat as public anyway (tests only: ``public_test_networks``).
    """
    nets = tuple(ipaddress.ip_network(n, strict=False) for n in public)
    name = (host or "").strip().strip("[]").rstrip(".").lower()
    if not name:
        return False
    try:
        return _private_ip(ipaddress.ip_address(name.split("%", 1)[0]), nets)
    except ValueError:
        pass
    if name == "localhost" or name.endswith(".localhost"):
        return True
    if not resolve:
        return False
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        except ValueError:
            continue
        if _private_ip(address, nets):
            return True
    return False


# -------------------------------------------------------------------------- session


class _WatchedAdapter(HTTPAdapter):
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
        watch = getattr(_local, "watch", None)
        if watch is not None:
            watch.add(conn)
        response = cls._make_request(self, conn, *args, **kwargs)
        if watch is not None:
            # An answer that ends with the connection ("Connection: close", HTTP/1.0)
            # leaves conn.sock None: http.client hands the socket to the response.
            # The body is then read from that socket, so the watch needs it too.
            watch.add(_response_socket(response))
        return response

    return type(f"Watched{cls.__name__}", (cls,), {"_make_request": _make_request})


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
    adapter = _WatchedAdapter(
        pool_connections=POOL_COUNT,
        pool_maxsize=settings.per_host_concurrency + POOL_SPARE,
        max_retries=0,
        ca_certs=ca_bundle or "",
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = MAX_REDIRECTS
    if settings.proxy:
        session.proxies = {"http": settings.proxy, "https": settings.proxy}
    return session


# ------------------------------------------------------------------------- watchdog

_local = threading.local()


class _Watch:
    """One try's deadline and the connections it uses."""

    def __init__(self, deadline: float, cancel: threading.Event) -> None:
        self.deadline = deadline
        self.cancel = cancel
        self.fired: str | None = None  # "deadline" | "cancel"
        self._conns: list[Any] = []
        self._armed = True
        self._lock = threading.Lock()

    def add(self, conn: Any) -> None:
        """Watch ``conn``: a urllib3 connection, or a bare socket (None is ignored)."""
        if conn is None:
            return
        with self._lock:
            self._conns.append(conn)
            if self.fired:
                _shutdown(conn)

    def check(self, now: float) -> None:
        if self.fired or not self._armed:
            return
        reason = "cancel" if self.cancel.is_set() else "deadline" if now >= self.deadline else None
        if reason is None:
            return
        with self._lock:
            if not self._armed or self.fired:
                return
            self.fired = reason
            for conn in self._conns:
                _shutdown(conn)

    def disarm(self) -> None:
        """Stop watching before the connection goes back to the pool for another try."""
        with self._lock:
            self._armed = False
            self._conns.clear()


def _response_socket(response: Any) -> socket.socket | None:
    """The socket a urllib3 response reads its body from (http.client's file's raw IO)."""
    fp = getattr(getattr(response, "_fp", None), "fp", None)
    sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _shutdown(conn: Any) -> None:
    """Break any blocking read on ``conn`` (a connection or a socket, plain or TLS)."""
    sock = conn if isinstance(conn, socket.socket) else getattr(conn, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError, ValueError):
        # The base-class method: SSLSocket.shutdown would unwrap TLS under the reader.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One background thread per client that fires overrun or cancelled watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watches: set[_Watch] = set()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def watching(self, deadline: float, cancel: threading.Event) -> Iterator[_Watch]:
        watch = _Watch(deadline, cancel)
        previous = getattr(_local, "watch", None)
        with self._lock:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="exposure-http-watchdog", daemon=True
                )
                self._thread.start()
        _local.watch = watch
        try:
            yield watch
        finally:
            _local.watch = previous
            with self._lock:
                self._watches.discard(watch)

    def _run(self) -> None:
        while True:
            time.sleep(_WATCH_TICK)
            with self._lock:
                if not self._watches:
                    self._thread = None
                    return
                watches = list(self._watches)
            now = time.monotonic()
            for watch in watches:
                watch.check(now)


# -------------------------------------------------------------------------- response


@dataclass
class Response:
    """An HTTP answer, body already decoded and capped."""

    status: int
    headers: CaseInsensitiveDict[str]
    body: bytes
    url: str  # as requested
    final_url: str  # after redirects
    elapsed_ms: int = 0  # the whole request: every try, wait and redirect
    tries: int = 1
    truncated: bool = False  # the body was longer than max_bytes and was cut there
    _block: Any = field(default=False, init=False, repr=False, compare=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8 (bad bytes replaced)."""
        charset = requests.utils.get_encoding_from_headers(self.headers) or "utf-8"
        if charset.lower() == "iso-8859-1" and "charset" not in self.content_type.lower():
            charset = "utf-8"  # requests' RFC 2616 default for text/*; the web is UTF-8
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    @property
    def block_reason(self) -> str | None:
        """Why this answer looks like a WAF/captcha/rate-limit page, or None."""
        if self._block is False:
            self._block = detect_block(self.status, self.headers, self.body)
        return self._block

    def capture(self) -> Capture:
        return Capture(
            body=self.body, url=self.url, final_url=self.final_url, content_type=self.content_type
        )


# ---------------------------------------------------------------------------- client


class _HostGate:
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
        while not self._slots.acquire(timeout=_WATCH_TICK):
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


@dataclass
class _RobotsEntry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    parser: RobotFileParser | None = None
    verdict: str | None = None  # "allow" | "unreachable" when not parsed
    reason: str = ""
    loaded: bool = False


def _raise_open_file_limit(wanted: int = 4096) -> None:
    """Lift the soft open-file limit towards ``wanted`` (kept-alive pools hold sockets)."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ImportError, ValueError, OSError):  # not POSIX, or not allowed: live with it
        pass


class HttpClient:
    """The polite, thread-safe HTTP client shared by every checker of a scan."""

    def __init__(self, settings: HttpSettings, cancel: threading.Event | None = None) -> None:
        _raise_open_file_limit()
        self.settings = settings
        self.cancel = cancel if cancel is not None else threading.Event()
        self._session = make_session(settings)
        adapter = self._session.get_adapter("https://")
        assert isinstance(adapter, _WatchedAdapter)
        self._adapter = adapter
        # requests' default headers (Accept, Accept-Encoding...) with our User-Agent
        self._headers = {k: str(v) for k, v in self._session.headers.items()}
        self._proxies = (
            {"http": settings.proxy, "https": settings.proxy} if settings.proxy else None
        )
        self._env_proxies = (
            {}
            if settings.proxy
            else {
                k: v
                for k, v in urllib.request.getproxies().items()
                if k in ("http", "https", "all")
            }
        )
        self._lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, _RobotsEntry] = {}
        self._private_hosts: dict[tuple[str, bool], bool] = {}
        self._watchdog = _Watchdog()

    def _proxies_for(self, url: str) -> dict[str, str] | None:
        """The configured proxy, else the environment's (read once), honouring NO_PROXY."""
        if self._proxies:
            return self._proxies
        if not self._env_proxies or requests.utils.should_bypass_proxies(url, no_proxy=None):
            return None
        proxies = dict(self._env_proxies)
        if "all" in proxies:
            proxies.setdefault("http", proxies["all"])
            proxies.setdefault("https", proxies["all"])
        return proxies

    # -- public

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        data: Any = None,
        allow_redirects: bool = True,
        respect_robots: bool | None = None,
    ) -> Response:
        robots = self.settings.respect_robots if respect_robots is None else respect_robots
        return self._request(
            method.upper(),
            url,
            headers=dict(headers or {}),
            data=data,
            allow_redirects=allow_redirects,
            robots=robots,
            max_bytes=self.settings.max_bytes,
        )

    def pace(self, url: str, interval: float) -> None:
        """Space request starts to ``url``'s host at least ``interval`` seconds apart.

        For an API with a published rate limit (HIBP: one request every few
        seconds per key); the host's gate then holds every request to it.
        """
        self._gate(host_key(url)).slow_to(interval)

    def get(self, url: str, **kw: Any) -> Response:
        return self.request("GET", url, **kw)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- retries

    def _request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        data: Any,
        allow_redirects: bool,
        robots: bool,
        max_bytes: int,
    ) -> Response:
        started = time.monotonic()
        self._check_cancel()
        _validate_url(url)
        tries = 0
        while True:
            tries += 1
            try:
                answer = self._try(method, url, headers, data, allow_redirects, robots, max_bytes)
            except FetchError as exc:
                exc.tries = tries
                if not exc.retryable or tries > self.settings.retries:
                    raise
                log.debug("%s %s: %s, retrying", method, url, exc.reason)
                self._sleep(self.settings.backoff * 2 ** (tries - 1))
                continue
            if _retry_status(answer.status) and tries <= self.settings.retries:
                wait = _retry_after(answer.headers)
                if wait is None:
                    wait = self.settings.backoff * 2 ** (tries - 1)
                if wait <= self.settings.retry_after_cap:
                    log.debug("%s %s: HTTP %s, retrying in %.2fs", method, url, answer.status, wait)
                    self._sleep(wait)
                    continue
            answer.tries = tries
            answer.elapsed_ms = int((time.monotonic() - started) * 1000)
            return answer

    def _sleep(self, seconds: float) -> None:
        if self.cancel.wait(max(0.0, seconds)):
            raise Cancelled

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled

    # -- one try: a chain of hops

    def _try(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        data: Any,
        allow_redirects: bool,
        robots: bool,
        max_bytes: int,
    ) -> Response:
        current = url
        spent = 0.0  # network time of earlier hops, against the deadline
        for _hop in range(MAX_REDIRECTS + 1):
            if robots:
                self._check_robots(current)
            gate = self._gate(host_key(current))
            with gate.hold(self.cancel):
                hop_start = time.monotonic()
                deadline = hop_start + self.settings.deadline - spent
                with self._watchdog.watching(deadline, self.cancel) as watch:
                    answer, target = self._hop(
                        method, current, headers, data, allow_redirects, max_bytes, watch
                    )
                spent += time.monotonic() - hop_start
            if target is None:
                answer.url = url
                return answer
            next_url, status = target
            if urlsplit(next_url).scheme.lower() not in ("http", "https"):
                raise FetchError("redirect to an unsupported URL scheme")
            if self._private_redirect(url, next_url):
                raise FetchError("redirect to a private address refused")
            if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
                method, data = "GET", None
            if urlsplit(next_url).hostname != urlsplit(current).hostname:
                headers = {}  # caller headers (API keys) never follow to another host
            current = next_url
        raise FetchError("too many redirects")

    def _private_redirect(self, origin: str, target: str) -> bool:
        """A redirect from a public ``origin`` to a private ``target`` (when not allowed)."""
        settings = self.settings
        if settings.allow_private_redirects:
            return False
        try:
            target_host = urlsplit(target).hostname or ""
        except ValueError:
            return False  # the next hop rejects the URL itself
        # Through a proxy, names are the proxy's to resolve: looking them up here would
        # leak them around it (Tor). Literal addresses and localhost are still caught.
        resolve = self._proxies_for(target) is None
        if not self._is_private(target_host, resolve):
            return False
        return not self._is_private(urlsplit(origin).hostname or "", resolve)

    def _is_private(self, host: str, resolve: bool) -> bool:
        """:func:`private_address`, remembered per host for this client (one look-up each)."""
        key = (host, resolve)
        with self._lock:
            known = self._private_hosts.get(key)
        if known is None:
            public = self.settings.public_test_networks
            known = private_address(host, resolve=resolve, public=public)
            with self._lock:
                self._private_hosts[key] = known
        return known

    def _hop(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        data: Any,
        allow_redirects: bool,
        max_bytes: int,
        watch: _Watch,
    ) -> tuple[Response, tuple[str, int] | None]:
        settings = self.settings
        remaining = max(0.001, watch.deadline - time.monotonic())
        try:
            sent: CaseInsensitiveDict[str] = CaseInsensitiveDict(self._headers)
            sent.update(headers)  # the caller's win, whatever their case
            resp = self._manager_for(url).urlopen(
                method,
                url,
                body=_encode_body(data, sent),
                headers=dict(sent),
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=True,
                timeout=urllib3.Timeout(
                    connect=min(settings.connect_timeout, remaining),
                    read=min(settings.read_timeout, remaining),
                ),
            )
            consumed = False
            try:
                location = resp.headers.get("Location") if resp.status in _REDIRECTS else None
                if allow_redirects and location:
                    next_url = requests.utils.requote_uri(urljoin(url, _header_text(location)))
                    watch.disarm()
                    return _stub(resp, url), (next_url, resp.status)
                body, truncated = _read_body(resp, watch, max_bytes)
                consumed = not truncated and not watch.fired
                watch.disarm()
                answer = Response(
                    status=resp.status,
                    headers=CaseInsensitiveDict(resp.headers),
                    body=body,
                    url=url,
                    final_url=url,
                    truncated=truncated,
                )
            finally:
                watch.disarm()
                if not consumed:  # a cut or abandoned body: drop the connection
                    resp.close()
                resp.release_conn()
        except (Cancelled, FetchError):
            raise
        except Exception as exc:
            log.debug("%s %s failed", method, url, exc_info=True)
            if watch.fired == "cancel":
                raise Cancelled from None
            if watch.fired == "deadline":
                raise FetchError(f"timed out after {settings.deadline:g}s") from None
            raise _fetch_error(exc, settings) from None
        if watch.fired == "cancel":
            raise Cancelled
        if watch.fired == "deadline":
            raise FetchError(f"timed out after {settings.deadline:g}s")
        return answer, None

    def _manager_for(self, url: str) -> Any:
        """The urllib3 manager for ``url``: direct, or through its proxy."""
        proxies = self._proxies_for(url)
        proxy = requests.utils.select_proxy(url, proxies) if proxies else None
        if proxy:
            return self._adapter.proxy_manager_for(proxy)
        return self._adapter.poolmanager

    def _gate(self, key: str) -> _HostGate:
        with self._lock:
            gate = self._gates.get(key)
            if gate is None:
                gate = _HostGate(self.settings.per_host_concurrency, self.settings.min_interval)
                self._gates[key] = gate
            return gate

    # -- robots.txt

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        shown = f"[{host}]" if ":" in host else host
        origin = f"{scheme}://{shown}:{port}"
        with self._lock:
            entry = self._robots.setdefault(origin, _RobotsEntry())
        while not entry.lock.acquire(timeout=_WATCH_TICK):
            self._check_cancel()
        try:
            if not entry.loaded:
                self._load_robots(entry, f"{origin}/robots.txt")
                entry.loaded = True
        finally:
            entry.lock.release()
        if entry.verdict == "allow":
            return
        if entry.verdict == "unreachable":
            # RFC 9309 says: crawl nothing. But the site itself is down or failing,
            # which is unknown, not a choice the site made: an error, never "skipped".
            raise FetchError(entry.reason)
        assert entry.parser is not None
        if not entry.parser.can_fetch(self.settings.user_agent, url):
            raise RobotsDisallowed(f"robots.txt of {shown} disallows {parts.path or '/'}")

    def _load_robots(self, entry: _RobotsEntry, robots_url: str) -> None:
        try:
            answer = self._request(
                "GET",
                robots_url,
                headers={},
                data=None,
                allow_redirects=True,
                robots=False,
                max_bytes=ROBOTS_MAX_BYTES,
            )
        except FetchError as exc:
            if exc.reason == "too many redirects":  # RFC 9309 2.3.1.2: unavailable
                entry.verdict = "allow"
            else:  # RFC 9309 2.3.1.4: unreachable means complete disallow
                entry.verdict = "unreachable"
                entry.reason = f"{exc.reason} (fetching robots.txt)"
            return
        if 200 <= answer.status < 300:
            parser = RobotFileParser(robots_url)
            parser.parse(answer.text.splitlines())
            entry.parser = parser
        elif answer.status >= 500:
            entry.verdict = "unreachable"
            entry.reason = f"HTTP {answer.status} for robots.txt: the site is failing, not checked"
        else:  # 4xx (and anything odd): RFC 9309 2.3.1.3, allow all
            entry.verdict = "allow"


# --------------------------------------------------------------------------- helpers


def _validate_url(url: str) -> None:
    if not isinstance(url, str) or not url.strip():
        raise FetchError("invalid URL")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url.strip()):
        raise FetchError("invalid URL")
    try:
        parts = urlsplit(url.strip())
        _ = parts.port
    except ValueError:
        raise FetchError("invalid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("unsupported URL scheme")
    if not parts.hostname:
        raise FetchError("invalid URL")


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _header_text(value: str) -> str:
    """A header as sent: servers put UTF-8 in headers that http.client reads as Latin-1."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _encode_body(data: Any, headers: CaseInsensitiveDict[str]) -> bytes | None:
    """The request body as bytes; a mapping is form-encoded (and says so in ``headers``)."""
    if data is None or isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, Mapping):
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return urlencode(data, doseq=True).encode("ascii")
    raise TypeError(f"request body must be bytes, str or a mapping, not {type(data).__name__}")


def _stub(resp: Any, url: str) -> Response:
    return Response(
        status=resp.status,
        headers=CaseInsensitiveDict(resp.headers),
        body=b"",
        url=url,
        final_url=url,
    )


def _read_body(resp: Any, watch: _Watch, max_bytes: int) -> tuple[bytes, bool]:
    """Read the decoded body in small chunks up to ``max_bytes``; True when cut."""
    chunks: list[bytes] = []
    total = 0
    for chunk in resp.stream(CHUNK, decode_content=True):
        if watch.fired or time.monotonic() >= watch.deadline:
            watch.check(time.monotonic())
            break
        room = max_bytes - total
        if len(chunk) > room:
            chunks.append(chunk[:room])
            return b"".join(chunks), True
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks), False


def _retry_status(status: int) -> bool:
    return status == 429 or (500 <= status < 600 and status not in (501, 505))


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds asked for by ``Retry-After`` (delta-seconds or HTTP-date), or None."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


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


def _fetch_error(exc: Exception, settings: HttpSettings) -> FetchError:
    """A short human reason for a requests/urllib3/socket failure."""
    import urllib3.exceptions as u3

    causes = list(_causes(exc))

    def has(*types: type) -> bool:
        return any(isinstance(c, types) for c in causes)

    if has(u3.NameResolutionError, socket.gaierror):
        return FetchError("DNS lookup failed")
    if has(ConnectionRefusedError):
        return FetchError("connection refused", retryable=True)
    if isinstance(exc, requests.exceptions.ConnectTimeout) or has(u3.ConnectTimeoutError):
        return FetchError(f"connect timed out after {settings.connect_timeout:g}s")
    if has(requests.exceptions.ReadTimeout, u3.ReadTimeoutError, TimeoutError):
        return FetchError(f"timed out after {settings.read_timeout:g}s")
    if has(requests.exceptions.SSLError, u3.SSLError):
        return FetchError("TLS error")
    if has(requests.exceptions.ProxyError, u3.ProxyError):
        return FetchError("proxy error", retryable=True)
    if isinstance(exc, requests.exceptions.InvalidSchema) and "SOCKS" in str(exc):
        return FetchError("SOCKS proxy support is not installed (requests[socks])")
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return FetchError("unsupported URL scheme")
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema) or has(
        u3.LocationParseError, u3.LocationValueError
    ):
        return FetchError("invalid URL")
    if has(u3.LocationParseError, u3.LocationValueError):
        return FetchError("invalid URL")
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return FetchError("too many redirects")
    if isinstance(exc, requests.exceptions.ContentDecodingError) or has(u3.DecodeError):
        return FetchError("could not decode the response body")
    if has(ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        return FetchError("connection reset", retryable=True)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or has(u3.ProtocolError):
        return FetchError("connection broken", retryable=True)
    if isinstance(exc, requests.exceptions.ConnectionError | OSError):
        return FetchError("connection failed", retryable=True)
    return FetchError(f"request failed ({type(exc).__name__})")


# -------------------------------------------------------------------- block detection

# (vendor, kind, pattern): a pattern is a lower-case substring of the body's start.
# STRONG markers only appear on challenge/block pages, so they count at any status.
_STRONG: tuple[tuple[str, str, str], ...] = (
    ("Cloudflare", "challenge", "<title>just a moment...</title>"),
    ("Cloudflare", "challenge", "attention required! | cloudflare"),
    ("Cloudflare", "challenge", "please wait... | cloudflare"),
    ("Cloudflare", "challenge", "cf_chl_opt"),
    ("Cloudflare", "challenge", "cf-browser-verification"),
    ("Cloudflare", "challenge", "cf_chl_jschl_tk__"),
    ("Cloudflare", "challenge", "cf_chl_captcha_tk__"),
    ("Cloudflare", "challenge", "cf_chl_managed_tk__"),
    ("Cloudflare", "challenge", "cf-chl-widget"),
    ("Cloudflare", "block", "sorry, you have been blocked"),
    ("Akamai", "challenge", "sec-cpt-if"),
    ("Akamai", "challenge", "/_sec/cp_challenge/"),
    ("DataDome", "captcha", "captcha-delivery.com"),
    ("PerimeterX/HUMAN", "captcha", "px-captcha"),
    ("PerimeterX/HUMAN", "captcha", "press & hold"),
    ("Imperva/Incapsula", "block", "incapsula incident id"),
    ("Imperva/Incapsula", "challenge", "content.incapsula.com/jstest.html"),
    ("Imperva/Incapsula", "challenge", '"___utmvc"'),
)
# WEAK markers also turn up on ordinary pages (a login form's reCAPTCHA, a vendor's
# sensor script), so they count only on a refusal: 403, 429 or 503.
_WEAK: tuple[tuple[str, str, str], ...] = (
    ("Cloudflare", "challenge", "/cdn-cgi/challenge-platform/"),
    ("Cloudflare", "challenge", "/cdn-cgi/bm/cv/"),
    ("Cloudflare", "challenge", "__cf$cv$params"),
    ("Cloudflare", "block", "cloudflare ray id"),
    ("DataDome", "captcha", "datadome"),
    ("PerimeterX/HUMAN", "captcha", "_pxappid"),
    ("PerimeterX/HUMAN", "captcha", "please verify you are a human"),
    ("Imperva/Incapsula", "block", "_incapsula_resource"),
    ("Imperva/Incapsula", "block", "incapsula"),
    ("Akamai", "block", "errors.edgesuite.net"),
    ("", "captcha (Turnstile)", "challenges.cloudflare.com/turnstile"),
    ("", "captcha (hCaptcha)", "hcaptcha.com"),
    ("", "captcha (reCAPTCHA)", "g-recaptcha"),
    ("", "captcha (reCAPTCHA)", "recaptcha/api.js"),
)
_REFUSALS = frozenset({403, 429, 503})
_CAPTCHA_WIDGET = ("hcaptcha.com", "g-recaptcha", "recaptcha/api.js", "turnstile")
_CHALLENGE_WORDS = (
    "additional security check is required",
    "verify you are a human",
    "verify you are human",
    "are you a robot",
    "unusual traffic from your",
    "complete the security check",
)
_TAGS = re.compile(rb"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def _label(vendor: str, kind: str, status: int) -> str:
    name = f"{vendor} {kind}" if vendor else kind
    return f"{name} (HTTP {status})"


def _visible_text(head: bytes) -> bytes:
    return b"".join(_TAGS.sub(b" ", head).split())


def detect_block(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """Why this answer is a WAF/challenge/captcha/rate-limit page, or None.

    Looks at the status, a few headers and the first 64 KiB of the body.
    Strong markers (a Cloudflare "Just a moment..." title, DataDome's
    captcha-delivery.com, PerimeterX's px-captcha, an Incapsula incident ID,
    ...) count at any status; weak ones (a bare reCAPTCHA widget, a vendor
    sensor script) only on a 403/429/503, so a 200 login page with a captcha
    widget is not "blocked". A plain 429 is always "rate limited".
    """
    hdrs = CaseInsensitiveDict(headers or {})
    refusal = status in _REFUSALS
    if (hdrs.get("cf-mitigated") or "").strip().lower() == "challenge":
        return _label("Cloudflare", "challenge", status)
    head = (body or b"")[:BLOCK_SCAN_BYTES]
    text = html.unescape(head.decode("latin-1")).lower()  # Akamai writes "Reference&#32;&#35;"
    for vendor, kind, marker in _STRONG:
        if marker in text:
            return _label(vendor, kind, status)
    if "access denied" in text and "reference #" in text and "edgesuite" in text:
        return _label("Akamai", "block", status)
    if "request unsuccessful" in text and "incapsula" in text:
        return _label("Imperva/Incapsula", "block", status)
    if any(w in text for w in _CAPTCHA_WIDGET) and any(w in text for w in _CHALLENGE_WORDS):
        vendor = "Imperva/Incapsula" if "incapsula" in text else ""
        return _label(vendor, "captcha", status)
    weak = next(((v, k) for v, k, m in _WEAK if m in text), None)
    if weak and not refusal and weak[0] == "Cloudflare" and len(_visible_text(head)) < 64:
        # A page that is nothing but Cloudflare's bot-management script (Bot Fight Mode).
        return _label(*weak, status)
    if refusal:
        if weak:
            return _label(*weak, status)
        if hdrs.get("x-datadome") or "datadome=" in (hdrs.get("set-cookie") or "").lower():
            return _label("DataDome", "block", status)
    if status == 429:
        return "rate limited (HTTP 429)"
    return None
