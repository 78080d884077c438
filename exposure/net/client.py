"""The polite, thread-safe HTTP client shared by every checker of a scan.

* **One shared client, many threads.** A scan runs a few hundred worker threads
  against one :class:`HttpClient`. It holds one ``requests.Session`` for its
  configuration (proxies, TLS, default headers) but sends through the session
  adapter's urllib3 managers directly: requests' per-request work (cookie jars,
  hooks, settings merges) was a third of a scan's CPU, and a scan wants no
  cookies carried from one site's answer to the next request anyway. Every
  request passes its host's gate (:mod:`exposure.net.gates`).
* **Redirects are followed here, not by urllib3**, so each hop goes through
  its own host's gate, robots.txt is checked for the new host, and caller
  headers (API keys) are dropped when a redirect changes scheme, host or
  port. A key is never sent over plain http to another machine. A redirect
  from a public host to a private address is refused
  (:mod:`exposure.net.private`; ``allow_private_redirects`` turns that off),
  and the address the guard checked is the one connected to.
* **One deadline per request** (:class:`~exposure.net.watchdog.Budget`):
  robots.txt, every hop, every retry and every wait count against it; only
  queueing at our own per-host gate does not.
* **Retries** (bounded, exponential backoff) on connection failures, 429 and
  5xx. ``Retry-After`` is honoured up to ``retry_after_cap`` and what is left
  of the deadline; above either we do not wait, and the 429 answer comes
  back at once with ``Response.retry_after`` set (``blocked``: "rate limited;
  retry after N s"). Every wait wakes on the cancel event.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from exposure.net.errors import Cancelled, Failure, FetchError, classify
from exposure.net.gates import HostGate, host_key
from exposure.net.private import check_address, literal_address, loopback_host
from exposure.net.response import (
    Response,
    header_text,
    read_body,
    retry_after,
    retry_status,
    stub,
)
from exposure.net.robots import ROBOTS_MAX_BYTES, RobotsCache
from exposure.net.robots_disk import RobotsDisk
from exposure.net.session import WatchedAdapter, make_session, raise_open_file_limit
from exposure.net.settings import HttpSettings
from exposure.net.watchdog import Budget, Watch, Watchdog
from exposure.urls import WEB_SCHEMES, has_web_scheme

log = logging.getLogger(__name__)

MAX_REDIRECTS = 10
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_TIMEOUTS = (Failure.TIMEOUT, Failure.CONNECT_TIMEOUT)


@dataclass(frozen=True)
class _Ask:
    """One request as it travels through retries and redirect hops."""

    method: str
    url: str
    headers: dict[str, str]
    data: Any
    allow_redirects: bool
    robots: bool
    max_bytes: int


class HttpClient:
    """The polite, thread-safe HTTP client shared by every checker of a scan."""

    def __init__(self, settings: HttpSettings, cancel: threading.Event | None = None) -> None:
        raise_open_file_limit()
        self.settings = settings
        self.cancel = cancel if cancel is not None else threading.Event()
        self._session = make_session(settings)
        adapter = self._session.get_adapter("https://")
        assert isinstance(adapter, WatchedAdapter)
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
        self._gates: dict[str, HostGate] = {}
        disk = RobotsDisk(Path(settings.robots_cache)) if settings.robots_cache else None
        self._robots = RobotsCache(settings.user_agent, self._check_cancel, disk)
        self._private_hosts: dict[tuple[str, bool], bool] = {}
        self._pins: dict[str, str] = {}  # host -> the address the guard checked
        self._watchdog = Watchdog()

    def _proxies_for(self, url: str) -> dict[str, str] | None:
        """The configured proxy, else the environment's (read once), honouring NO_PROXY.

        None with ``loopback_only``: a proxy would carry the request off the machine.
        """
        if self.settings.loopback_only:
            return None
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
        ask = _Ask(
            method=method.upper(),
            url=url,
            headers=dict(headers or {}),
            data=data,
            allow_redirects=allow_redirects,
            robots=robots,
            max_bytes=self.settings.max_bytes,
        )
        return self._request(ask)

    def pace(self, url: str, interval: float) -> None:
        """Space request starts to ``url``'s host at least ``interval`` seconds apart.

        For an API with a published rate limit (HIBP: one request every few
        seconds per key); the host's gate then holds every request to it.
        """
        self._gate(host_key(url)).slow_to(interval)

    def get(self, url: str, **kw: Any) -> Response:
        return self.request("GET", url, **kw)

    def close(self) -> None:
        self._robots.save()
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- retries

    def _request(self, ask: _Ask, budget: Budget | None = None) -> Response:
        started = time.monotonic()
        self._check_cancel()
        _validate_url(ask.url)
        method, url = ask.method, ask.url
        if budget is None:
            budget = Budget(self.settings.deadline)
        settings = self.settings
        tries = 0
        while True:
            tries += 1
            try:
                answer = self._try(ask, budget)
            except FetchError as exc:
                exc.tries = tries
                if not exc.retryable or tries > settings.retries:
                    raise
                wait = settings.backoff * 2 ** (tries - 1)
                if wait >= budget.left():
                    raise  # no time left for another try
                log.debug("%s %s: %s, retrying", method, url, exc.reason)
                self._sleep(wait)
                continue
            if retry_status(answer.status) and tries <= settings.retries:
                asked = retry_after(answer.headers)
                wait = asked if asked is not None else settings.backoff * 2 ** (tries - 1)
                if wait <= settings.retry_after_cap and wait < budget.left():
                    log.debug("%s %s: HTTP %s, retrying in %.2fs", method, url, answer.status, wait)
                    self._sleep(wait)
                    continue
                answer.retry_after = asked  # longer than we may wait: say so, at once
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

    def _try(self, ask: _Ask, budget: Budget) -> Response:
        url = ask.url
        hop = ask  # what the next hop sends: its URL, and after a redirect its method
        _refuse_plain_credentials(url, ask.headers)
        for _ in range(MAX_REDIRECTS + 1):
            current = hop.url
            if self.settings.loopback_only and not loopback_host(urlsplit(current).hostname or ""):
                raise FetchError(Failure.OFF_LOOPBACK)  # before robots.txt: nothing is sent
            if ask.robots:
                self._robots.check(
                    current, lambda robots_url: self._fetch_robots(robots_url, budget)
                )
            if budget.left() <= 0:
                raise self._deadline_error()
            gate = self._gate(host_key(current))
            queued = time.monotonic()
            with gate.hold(self.cancel):
                budget.extend(time.monotonic() - queued)  # our own politeness is not the site's
                with self._watchdog.watching(budget.ends, self.cancel, self._pins) as watch:
                    answer, target = self._hop(hop, watch)
            if target is None:
                answer.url = url
                return answer
            next_url, status = target
            if not has_web_scheme(next_url):
                raise FetchError(Failure.REDIRECT_SCHEME)
            if self._private_redirect(url, next_url):
                raise FetchError(Failure.PRIVATE_REDIRECT)
            method = hop.method
            if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
                hop = replace(hop, method="GET", data=None)
            if not same_origin(next_url, current):
                # caller headers (API keys) never follow to another origin
                hop = replace(hop, headers={})
            hop = replace(hop, url=next_url)
        raise FetchError(Failure.TOO_MANY_REDIRECTS)

    def _deadline_error(self) -> FetchError:
        return FetchError(Failure.DEADLINE, f"timed out after {self.settings.deadline:g}s")

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
        # leak them around it (Tor). Literal addresses (IPv4 shorthand included) and
        # localhost are still caught.
        resolve = self._proxies_for(target) is None
        if not self._is_private(target_host, resolve):
            return False
        return not self._is_private(urlsplit(origin).hostname or "", resolve)

    def _is_private(self, host: str, resolve: bool) -> bool:
        """:func:`check_address`, remembered per host for this client (one look-up each).

        The address a name resolved to is pinned: every later connection to
        that name from this client goes there (no second look-up to rebind).
        """
        key = (host, resolve)
        with self._lock:
            known = self._private_hosts.get(key)
        if known is None:
            public = self.settings.public_test_networks
            checked = check_address(host, resolve=resolve, public=public)
            known = checked.private
            with self._lock:
                self._private_hosts[key] = known
                if checked.address and not checked.private:
                    self._pins.setdefault(host.lower(), checked.address)
        return known

    def _hop(self, ask: _Ask, watch: Watch) -> tuple[Response, tuple[str, int] | None]:
        settings = self.settings
        method, url = ask.method, ask.url
        remaining = max(0.001, watch.deadline - time.monotonic())
        try:
            sent: CaseInsensitiveDict[str] = CaseInsensitiveDict(self._headers)
            sent.update(ask.headers)  # the caller's win, whatever their case
            resp = self._manager_for(url).urlopen(
                method,
                url,
                body=_encode_body(ask.data, sent),
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
                location = (
                    resp.headers.get("Location") if resp.status in REDIRECT_STATUSES else None
                )
                if ask.allow_redirects and location:
                    next_url = requests.utils.requote_uri(urljoin(url, header_text(location)))
                    watch.disarm()
                    return stub(resp, url), (next_url, resp.status)
                body, truncated = read_body(resp, watch, ask.max_bytes)
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
                raise self._deadline_error() from None
            failure = classify(
                exc,
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
            )
            if failure.failure in _TIMEOUTS and time.monotonic() >= watch.deadline - 0.1:
                # The socket timeout was cut to what the deadline had left.
                raise self._deadline_error() from None
            raise failure from None
        if watch.fired == "cancel":
            raise Cancelled
        if watch.fired == "deadline":
            raise self._deadline_error()
        return answer, None

    def _manager_for(self, url: str) -> Any:
        """The urllib3 manager for ``url``: direct, or through its proxy."""
        proxies = self._proxies_for(url)
        proxy = requests.utils.select_proxy(url, proxies) if proxies else None
        if proxy:
            return self._adapter.proxy_manager_for(proxy)
        return self._adapter.poolmanager

    def _gate(self, key: str) -> HostGate:
        with self._lock:
            gate = self._gates.get(key)
            if gate is None:
                gate = HostGate(self.settings.per_host_concurrency, self.settings.min_interval)
                self._gates[key] = gate
            return gate

    def _fetch_robots(self, robots_url: str, budget: Budget) -> Response:
        """robots.txt, on the clock of the check that needs it."""
        ask = _Ask(
            method="GET",
            url=robots_url,
            headers={},
            data=None,
            allow_redirects=True,
            robots=False,
            max_bytes=ROBOTS_MAX_BYTES,
        )
        return self._request(ask, budget)


def _validate_url(url: str) -> None:
    if not isinstance(url, str) or not url.strip():
        raise FetchError(Failure.INVALID_URL)
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url.strip()):
        raise FetchError(Failure.INVALID_URL)
    try:
        parts = urlsplit(url.strip())
        _ = parts.port
    except ValueError:
        raise FetchError(Failure.INVALID_URL) from None
    if parts.scheme.lower() not in WEB_SCHEMES:
        raise FetchError(Failure.UNSUPPORTED_SCHEME)
    if not parts.hostname:
        raise FetchError(Failure.INVALID_URL)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def same_origin(a: str, b: str) -> bool:
    """Same scheme, host and port: a redirect that changes any of them drops caller headers."""
    return _origin(a) == _origin(b)


_DEFAULT_PORTS = {"http": 80, "https": 443}
# Caller headers that carry a credential (API keys, tokens, cookies).
_CREDENTIAL_WORDS = ("auth", "key", "token", "secret", "cookie", "session", "password")


def credential_headers(headers: Mapping[str, str]) -> list[str]:
    """The names of ``headers`` that look like credentials."""
    return [name for name in headers if any(w in name.lower() for w in _CREDENTIAL_WORDS)]


def plain_http_to_network(url: str) -> bool:
    """True for an ``http://`` URL whose host is not this machine's loopback.

    Decided offline: a name other than ``localhost`` counts as the network.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        return False
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    address = literal_address(host)
    return address is None or not address.is_loopback


def _refuse_plain_credentials(url: str, headers: Mapping[str, str]) -> None:
    """A key or token is never sent over plain http to another machine."""
    if plain_http_to_network(url) and credential_headers(headers):
        raise FetchError(Failure.PLAIN_HTTP_CREDENTIALS)


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
