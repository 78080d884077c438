"""The HTTP client's guards (issue 14 items 2, 6, 7), against servers on 127.0.0.x only.

Addresses off this machine are never contacted: where a guard is about one,
the decision is asserted offline (the connection attempt is recorded and
must not happen).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from exposure.net.client import plain_http_to_network, same_origin
from exposure.net.http import (
    Cancelled,
    Failure,
    FetchError,
    HttpClient,
    HttpSettings,
    check_address,
)

# handler(path, headers) -> (status, headers, body); may sleep first.
Handler = Callable[[str, dict[str, str]], tuple[int, dict[str, str], bytes]]


class Site:
    """A tiny threaded HTTP server on one loopback address, recording what it was sent."""

    def __init__(self, host: str, handler: Handler, port: int = 0) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                headers = {k.lower(): v for k, v in self.headers.items()}
                site.requests.append((self.path, headers))
                status, extra, body = handler(self.path, headers)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def site(host: str, handler: Handler, port: int = 0) -> Iterator[Site]:
    server = Site(host, handler, port)
    try:
        yield server
    finally:
        server.close()


BASE = HttpSettings(
    connect_timeout=2.0,
    read_timeout=2.0,
    deadline=5.0,
    retries=0,
    backoff=0.01,
    min_interval=0.0,
    per_host_concurrency=4,
    respect_robots=False,
    user_agent="exposure/test",
)


def client(**changes: object) -> HttpClient:
    return HttpClient(replace(BASE, **changes))  # type: ignore[arg-type]


def _ok(body: bytes = b"ok") -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/plain"}, body


# ------------------------------------------------------------------ item 2: deadlines


def test_deadline_covers_robots_txt_and_every_hop() -> None:
    """robots.txt of each hop and each hop share one deadline: 3 x 1 s do not fit in 1.5 s."""

    def slow(target: Callable[[str], str | None]) -> Handler:
        def handle(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
            time.sleep(1.0)
            if path == "/robots.txt":
                return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
            location = target(path)
            if location:
                return 302, {"Location": location}, b""
            return _ok()

        return handle

    with (
        site("127.0.0.3", slow(lambda _p: None)) as second,
        site("127.0.0.2", slow(lambda _p: second.url("/page"))) as first,
        client(deadline=1.5, respect_robots=True) as http,
    ):
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            http.get(first.url("/start"))
        elapsed = time.monotonic() - started
    assert caught.value.failure is Failure.DEADLINE
    assert "timed out after 1.5s" in caught.value.reason
    assert elapsed < 2.4, elapsed


def test_deadline_covers_retries_and_backoff() -> None:
    """Five retries of a slow 503 with doubling backoff stop when the deadline is spent."""

    def failing(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        time.sleep(0.3)
        return 503, {}, b"down"

    with site("127.0.0.2", failing) as server, client(deadline=1.2, retries=5, backoff=0.4) as http:
        started = time.monotonic()
        answer = http.get(server.url("/x"))
        elapsed = time.monotonic() - started
    assert answer.status == 503
    assert elapsed < 1.8, elapsed
    assert len(server.requests) <= 3


def test_retry_after_longer_than_the_deadline_is_blocked_at_once() -> None:
    def limited(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        return 429, {"Retry-After": "30"}, b"slow down"

    cancel = threading.Event()
    timer = threading.Timer(3.0, cancel.set)  # today's client would wait 30 s: fail fast
    timer.start()
    try:
        with (
            site("127.0.0.2", limited) as server,
            HttpClient(replace(BASE, retries=2, retry_after_cap=60.0), cancel) as http,
        ):
            started = time.monotonic()
            answer = http.get(server.url("/x"))
            elapsed = time.monotonic() - started
    finally:
        timer.cancel()
    assert elapsed < 1.0
    assert answer.status == 429 and answer.tries == 1
    assert answer.block_reason is not None
    assert answer.block_reason.startswith("rate limited")
    assert "retry after 30s" in answer.block_reason


def test_queueing_at_our_own_gate_is_not_the_sites_time() -> None:
    """A request that waited at its host's gate still gets its whole deadline on the wire."""

    def slowish(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        time.sleep(0.6)
        return _ok()

    with site("127.0.0.2", slowish) as server, client(deadline=1.0, per_host_concurrency=1) as http:
        results: list[object] = []

        def fetch() -> None:
            try:
                results.append(http.get(server.url("/x")).status)
            except (FetchError, Cancelled) as exc:
                results.append(exc)

        threads = [threading.Thread(target=fetch) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert results == [200, 200, 200]


# ------------------------------------------------------------- item 6: private addresses


@pytest.mark.parametrize(
    "host", ["100.64.0.1", "100.100.100.100", "127.1", "2130706433", "0x7f000001", "0177.0.0.1"]
)
def test_non_global_and_shorthand_hosts_are_private_without_a_look_up(host: str) -> None:
    assert check_address(host, resolve=False).private is True


def test_through_a_proxy_ipv4_shorthand_redirects_are_refused() -> None:
    """Behind a proxy nothing is resolved locally, yet 127.1 and friends are still caught."""
    proxied: list[str] = []

    def proxy(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        # A forward proxy is sent absolute URLs; this one answers them itself.
        proxied.append(path)
        if path.endswith("/start"):
            return 302, {"Location": headers["x-target"]}, b""
        return _ok(b"reached through the proxy")

    with site("127.0.0.1", proxy) as server:
        settings = replace(BASE, proxy=server.url(""), public_test_networks=("127.0.0.2/32",))
        with HttpClient(settings) as http:
            for target in (
                "http://127.1:9/secret",
                "http://2130706433:9/secret",
                "http://0x7f000001:9/secret",
                "http://100.64.0.1/secret",
            ):
                with pytest.raises(FetchError) as caught:
                    http.get("http://127.0.0.2:8/start", headers={"X-Target": target})
                assert caught.value.failure is Failure.PRIVATE_REDIRECT, target
    assert proxied and all(path.endswith("/start") for path in proxied), proxied


def test_the_checked_address_is_the_one_connected_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the guard's look-up says 'public', a second one would say 'loopback'."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: object, *args: object, **kwargs: object) -> object:
        if host == "rebind.test":
            lookups.append(str(host))
            address = "127.0.0.2" if len(lookups) == 1 else "127.0.0.1"
            return real(address, *args, **kwargs)  # type: ignore[arg-type]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    with site("127.0.0.2", lambda p, h: _ok(b"the checked public site")) as good:
        try:
            evil_site = Site("127.0.0.1", lambda p, h: _ok(b"the private one"), good.port)
        except OSError:
            pytest.skip("the same port is taken on 127.0.0.1")
        try:
            with site("127.0.0.3", lambda p, h: (302, {"Location": target}, b"")) as origin:
                target = f"http://rebind.test:{good.port}/x"
                monkeypatch.setattr(socket, "getaddrinfo", rebinding)
                settings = replace(BASE, public_test_networks=("127.0.0.2/32", "127.0.0.3/32"))
                with HttpClient(settings) as http:
                    answer = http.get(origin.url("/start"))
        finally:
            evil_site.close()
    assert answer.body == b"the checked public site"
    assert evil_site.requests == []
    assert good.requests[0][1]["host"] == f"rebind.test:{good.port}"


# ------------------------------------------------------------------ item 7: credentials

KEY = "sk-test-0123456789"


def test_keys_do_not_follow_a_redirect_to_another_port() -> None:
    with (
        site("127.0.0.1", lambda p, h: _ok()) as other,
        site("127.0.0.1", lambda p, h: (302, {"Location": other.url("/land")}, b"")) as api,
        client() as http,
    ):
        answer = http.get(
            api.url("/start"), headers={"Authorization": f"Bearer {KEY}", "hibp-api-key": KEY}
        )
    assert answer.status == 200
    assert api.requests[0][1]["hibp-api-key"] == KEY
    [(_path, landed)] = other.requests
    assert "authorization" not in landed and "hibp-api-key" not in landed


def test_keys_follow_a_redirect_on_the_same_origin() -> None:
    def handle(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        return (302, {"Location": "/land"}, b"") if path == "/start" else _ok()

    with site("127.0.0.1", handle) as api, client() as http:
        http.get(api.url("/start"), headers={"hibp-api-key": KEY})
    assert [h.get("hibp-api-key") for _p, h in api.requests] == [KEY, KEY]


def test_origin_includes_scheme_host_and_port() -> None:
    assert same_origin("https://api.example/a", "https://API.example:443/b")
    assert not same_origin("https://api.example/a", "http://api.example/a")
    assert not same_origin("https://api.example/a", "https://api.example:8443/a")
    assert not same_origin("https://api.example/a", "https://evil.example/a")


def test_a_key_is_never_sent_over_plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused before any look-up or connection; loopback http (tests, local mirrors) is fine."""
    attempts: list[object] = []

    def record(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", record)
    monkeypatch.setattr(socket, "create_connection", record)
    with client() as http:
        for url in (
            "http://api.example.test/v1",
            "http://93.184.215.14/v1",
            "http://127.1.example/",
        ):
            with pytest.raises(FetchError) as caught:
                http.get(url, headers={"Authorization": f"Bearer {KEY}"})
            assert caught.value.failure is Failure.PLAIN_HTTP_CREDENTIALS
    assert attempts == []
    assert plain_http_to_network("http://api.example.test/")
    assert not plain_http_to_network("https://api.example.test/")
    assert not plain_http_to_network("http://127.0.0.1:8080/")
    assert not plain_http_to_network("http://localhost:8080/")
    assert not plain_http_to_network("http://[::1]:8080/")
