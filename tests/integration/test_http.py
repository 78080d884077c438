"""Functional tests of exposure.net.http against real local servers (127.0.0.x only).

pytest-httpserver covers the ordinary answers; a small threaded ``http.server``
of ours covers what it cannot: dripping bodies and headers, gzip bombs,
concurrency counting, a second loopback address, and acting as a proxy.
"""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request
from werkzeug import Response as WResponse

from exposure.config import HttpConfig
from exposure.net import gates as xgates
from exposure.net.http import (
    Cancelled,
    FetchError,
    HttpClient,
    HttpSettings,
    RobotsDisallowed,
    host_key,
    make_session,
    settings_from,
)
from exposure.net.response import retry_after

FAST = HttpSettings(
    connect_timeout=2.0,
    read_timeout=2.0,
    deadline=5.0,
    retries=2,
    backoff=0.01,
    retry_after_cap=1.0,
    per_host_concurrency=4,
    min_interval=0.0,
    user_agent="exposure/test (+tests)",
    respect_robots=False,
)
MIB = 1024 * 1024


@pytest.fixture
def client_factory() -> Iterator[Callable[..., HttpClient]]:
    clients: list[HttpClient] = []

    def make(cancel: threading.Event | None = None, **changes: object) -> HttpClient:
        client = HttpClient(replace(FAST, **changes), cancel=cancel)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# ------------------------------------------------------------------ our own server


@dataclass
class ServerState:
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    active: int = 0
    max_active: int = 0
    starts: list[float] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)


_BOMB: dict[str, bytes] = {}


def _bomb(kind: str) -> bytes:
    """50 MB of zeros, gzip- or deflate-compressed (tens of KB), built once."""
    if kind not in _BOMB:
        zeros = bytes(50_000_000)
        _BOMB[kind] = gzip.compress(zeros, 9) if kind == "gzip" else zlib.compress(zeros, 9)
    return _BOMB[kind]


def _make_handler(state: ServerState) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drip(self, data: bytes, every: float) -> None:
            for byte in data:
                if state.stop.wait(every):
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return

        def do_GET(self) -> None:  # noqa: C901 - a router
            path = self.path
            with state.lock:
                state.hits[path] = state.hits.get(path, 0) + 1
                state.paths.append(path)
            if path.startswith("http://"):  # we are being used as a proxy
                self._send(200, f"proxied {path}".encode())
            elif path == "/count":
                with state.lock:
                    state.active += 1
                    state.max_active = max(state.max_active, state.active)
                    state.starts.append(time.monotonic())
                state.stop.wait(0.15)
                with state.lock:
                    state.active -= 1
                self._send(200, b"counted")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.flush()
                self._drip(b"x" * 100, 0.2)
            elif path == "/drip-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                self.wfile.flush()
                self._drip(b"X-Slow: " + b"a" * 100, 0.2)
            elif path == "/silent":
                state.stop.wait(5)
            elif path in ("/gzip-bomb", "/deflate-bomb"):
                kind = "gzip" if path == "/gzip-bomb" else "deflate"
                headers = {"Content-Encoding": kind, "Content-Type": "text/html"}
                self._send(200, _bomb(kind), headers)
            elif path == "/big":
                self._send(200, b"a" * (3 * MIB), {"Content-Type": "text/plain"})
            elif path == "/exact":
                self._send(200, b"e" * MIB)
            elif path == "/headers":
                echoed = "\n".join(f"{k}: {v}" for k, v in self.headers.items())
                self._send(200, echoed.encode())
            elif path.startswith("/to/"):
                self._send(302, b"", {"Location": path[len("/to/") - 1 :]})
            elif path.startswith("/abs-to-port/"):
                port, rest = path[len("/abs-to-port/") :].split("/", 1)
                self._send(302, b"", {"Location": f"http://localhost:{port}/{rest}"})
            else:
                self._send(404, b"not here")

    return Handler


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (caps, deadlines) are the point of these tests


class OurServer:
    def __init__(self, host: str, state: ServerState) -> None:
        self.server = _QuietServer((host, 0), _make_handler(state))
        self.state = state
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def close(self) -> None:
        self.state.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ours() -> Iterator[OurServer]:
    server = OurServer("127.0.0.1", ServerState())
    yield server
    server.close()


# ---------------------------------------------------------------------- basics


def test_found_page_and_capture(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/user/jane").respond_with_data(
        "<h1>Jane</h1> café", content_type="text/html; charset=utf-8"
    )
    url = httpserver.url_for("/user/jane")
    response = client_factory().get(url)
    assert response.status == 200
    assert response.text == "<h1>Jane</h1> café"
    assert response.headers["content-type"].startswith("text/html")  # case-insensitive
    assert response.tries == 1 and response.truncated is False
    assert response.block_reason is None
    capture = response.capture()
    assert capture.body == "<h1>Jane</h1> café".encode()
    assert capture.url == url and capture.final_url == url
    assert capture.content_type == "text/html; charset=utf-8"
    assert len(capture.sha256) == 64


def test_text_decoding_and_head(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/latin").respond_with_data(
        "café".encode("latin-1"), content_type="text/html; charset=iso-8859-1"
    )
    httpserver.expect_request("/bare").respond_with_data(
        "café".encode(), headers={"Content-Type": "text/plain"}
    )
    httpserver.expect_request("/bad").respond_with_data(b"caf\xe9", content_type="text/plain")
    httpserver.expect_request("/h", method="HEAD").respond_with_data("", headers={"X-A": "1"})
    client = client_factory()
    assert client.get(httpserver.url_for("/latin")).text == "café"
    assert client.get(httpserver.url_for("/bare")).text == "café"  # UTF-8, not RFC 2616 latin-1
    assert client.get(httpserver.url_for("/bad")).text == "caf\ufffd"
    head = client.request("head", httpserver.url_for("/h"))
    assert (head.status, head.body, head.headers["x-a"]) == (200, b"", "1")


def test_user_agent_names_the_tool(ours: OurServer) -> None:
    settings = settings_from(HttpConfig(min_interval=0.0, respect_robots=False))
    assert settings.user_agent.startswith("exposure/")
    with HttpClient(settings) as client:
        echoed = client.get(ours.url("/headers")).text
    assert f"User-Agent: {settings.user_agent}" in echoed


def test_settings_from_timeout_scales_deadline() -> None:
    config = HttpConfig(timeout=10.0, deadline=30.0, connect_timeout=5.0)
    plain = settings_from(config)
    assert (plain.read_timeout, plain.deadline, plain.connect_timeout) == (10.0, 30.0, 5.0)
    slow = settings_from(config, timeout=20)
    assert (slow.read_timeout, slow.deadline, slow.connect_timeout) == (20.0, 60.0, 5.0)
    quick = settings_from(config, timeout=2)
    assert (quick.read_timeout, quick.deadline, quick.connect_timeout) == (2.0, 6.0, 2.0)
    assert plain.max_bytes == 5 * MIB and plain.respect_robots is True
    with pytest.raises(ValueError):
        settings_from(config, timeout=0)


def test_404_is_an_answer_not_an_error(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/nobody").respond_with_data("no such user", status=404)
    response = client_factory().get(httpserver.url_for("/nobody"))
    assert (response.status, response.tries, response.body) == (404, 1, b"no such user")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://127.0.0.1/file", "unsupported URL scheme"),
        ("file:///etc/passwd", "unsupported URL scheme"),
        ("javascript:alert(1)", "unsupported URL scheme"),
        ("http://", "invalid URL"),
        ("http://127.0.0.1:99999/", "invalid URL"),
        ("http://exa mple.test/", "invalid URL"),
        ("", "invalid URL"),
    ],
)
def test_bad_urls(url: str, reason: str, client_factory) -> None:
    with pytest.raises(FetchError) as info:
        client_factory().get(url)
    assert info.value.reason == reason == str(info.value)


def test_connection_refused_is_retried_then_fails(client_factory) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        client_factory(retries=1).get(f"http://127.0.0.1:{port}/")
    assert info.value.reason == "connection refused"
    assert info.value.tries == 2


def test_dns_failure_has_a_short_reason(client_factory, monkeypatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchError) as info:
        client_factory().get("http://no-such-host.invalid/")
    assert info.value.reason == "DNS lookup failed"
    assert info.value.tries == 1  # not worth retrying


# -------------------------------------------------------------------- redirects


def test_redirect_followed_and_not_followed(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/middle"}
    )
    httpserver.expect_request("/middle").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/new")}
    )
    httpserver.expect_request("/new").respond_with_data("the new page")
    client = client_factory()
    followed = client.get(httpserver.url_for("/old"))
    assert followed.status == 200 and followed.body == b"the new page"
    assert followed.url == httpserver.url_for("/old")
    assert followed.final_url == httpserver.url_for("/new")

    kept = client.get(httpserver.url_for("/old"), allow_redirects=False)
    assert kept.status == 301
    assert kept.headers["Location"] == "/middle"
    assert kept.final_url == httpserver.url_for("/old")


def test_redirect_loop_is_too_many_redirects(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"}
    )
    with pytest.raises(FetchError, match="^too many redirects$"):
        client_factory().get(httpserver.url_for("/loop"))


def test_redirect_to_other_scheme_is_refused(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/f").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(FetchError, match="unsupported URL scheme"):
        client_factory().get(httpserver.url_for("/f"))


def test_post_303_becomes_get(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/form", method="POST").respond_with_data(
        "", status=303, headers={"Location": "/done"}
    )
    httpserver.expect_request("/done", method="GET").respond_with_data("done")
    response = client_factory().request("POST", httpserver.url_for("/form"), data={"q": "x"})
    assert response.body == b"done"


def test_caller_headers_do_not_follow_to_another_host(ours: OurServer, client_factory) -> None:
    client = client_factory()
    secret = {"X-Api-Key": "s3cret"}
    same = client.get(ours.url("/to/headers"), headers=secret)
    assert "X-Api-Key: s3cret" in same.text
    other = client.get(ours.url(f"/abs-to-port/{ours.port}/headers"), headers=secret)
    assert other.final_url == f"http://localhost:{ours.port}/headers"
    assert "s3cret" not in other.text
    assert "User-Agent: exposure/test" in other.text


# ---------------------------------------------------------------------- retries


def _sequence(answers: list[tuple[int, dict[str, str]]]) -> Callable[[Request], WResponse]:
    calls = iter(answers)

    def handler(request: Request) -> WResponse:
        status, headers = next(calls, answers[-1])
        return WResponse(f"status {status}", status=status, headers=headers)

    return handler


def test_5xx_then_success(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/flaky").respond_with_handler(
        _sequence([(503, {}), (502, {}), (200, {})])
    )
    response = client_factory(retries=2).get(httpserver.url_for("/flaky"))
    assert (response.status, response.tries) == (200, 3)


def test_retries_exhausted_returns_last_answer(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/down").respond_with_handler(_sequence([(500, {}), (503, {})]))
    response = client_factory(retries=2).get(httpserver.url_for("/down"))
    assert (response.status, response.tries) == (503, 3)
    assert len(httpserver.log) == 3


def test_retry_after_is_honoured(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/limited").respond_with_handler(
        _sequence([(429, {"Retry-After": "0.4"}), (200, {})])
    )
    started = time.monotonic()
    response = client_factory(retry_after_cap=1.0).get(httpserver.url_for("/limited"))
    elapsed = time.monotonic() - started
    assert (response.status, response.tries) == (200, 2)
    assert 0.4 <= elapsed < 2.0
    assert response.elapsed_ms >= 400


def test_retry_after_above_cap_returns_the_429_at_once(
    httpserver: HTTPServer, client_factory
) -> None:
    httpserver.expect_request("/limited").respond_with_handler(
        _sequence([(429, {"Retry-After": "120"}), (200, {})])
    )
    started = time.monotonic()
    response = client_factory(retry_after_cap=0.5).get(httpserver.url_for("/limited"))
    assert time.monotonic() - started < 1.0
    assert (response.status, response.tries) == (429, 1)
    assert response.block_reason == "rate limited (HTTP 429); retry after 120s"


def test_retry_after_http_date(httpserver: HTTPServer, client_factory) -> None:
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=1), usegmt=True)
    future = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    httpserver.expect_request("/dated").respond_with_handler(
        _sequence([(503, {"Retry-After": past}), (503, {"Retry-After": future}), (200, {})])
    )
    response = client_factory().get(httpserver.url_for("/dated"))
    # the past date means "now"; the date an hour away is above the cap: no wait, stop.
    assert (response.status, response.tries) == (503, 2)
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after({"Retry-After": "7"}) == 7.0
    assert 3590 < (retry_after({"Retry-After": future}) or 0) <= 3600


# ------------------------------------------------------------------------- caps


def test_plain_body_cap(ours: OurServer, client_factory) -> None:
    client = client_factory(max_bytes=MIB)
    big = client.get(ours.url("/big"))
    assert len(big.body) == MIB and big.truncated is True
    exact = client.get(ours.url("/exact"))
    assert len(exact.body) == MIB and exact.truncated is False


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
def test_compression_bomb_is_capped_after_decoding(
    ours: OurServer, client_factory, path: str
) -> None:
    client = client_factory(max_bytes=MIB)
    _bomb("gzip" if "gzip" in path else "deflate")  # build it before measuring
    tracemalloc.start()
    try:
        response = client.get(ours.url(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status == 200
    assert len(response.body) == MIB and response.truncated is True
    assert set(response.body[:1000]) == {0}
    assert peak < 16 * MIB  # the 50 MB it expands to was never held


# -------------------------------------------------------------------- deadlines


def test_dripping_body_hits_the_deadline(ours: OurServer, client_factory) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        client_factory(deadline=1.0, read_timeout=5.0, retries=2).get(ours.url("/drip"))
    assert time.monotonic() - started < 3.0
    assert info.value.reason == "timed out after 1s"


def test_dripping_headers_hit_the_deadline(ours: OurServer, client_factory) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="^timed out after 1s$"):
        client_factory(deadline=1.0, read_timeout=5.0).get(ours.url("/drip-headers"))
    assert time.monotonic() - started < 3.0


def test_silent_server_hits_the_read_timeout(ours: OurServer, client_factory) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="^timed out after 0.5s$"):
        client_factory(read_timeout=0.5, retries=0).get(ours.url("/silent"))
    assert time.monotonic() - started < 2.0


# ------------------------------------------------------------------- politeness


def test_per_host_concurrency_limit(ours: OurServer, client_factory) -> None:
    client = client_factory(per_host_concurrency=2)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: client.get(ours.url("/count")).status, range(8)))
    assert statuses == [200] * 8
    assert ours.state.max_active == 2


def test_two_loopback_addresses_are_two_hosts(client_factory) -> None:
    state = ServerState()  # shared: max_active counts across both servers
    one, two = OurServer("127.0.0.1", state), OurServer("127.0.0.2", state)
    try:
        assert host_key(one.url("/")) != host_key(two.url("/"))
        client = client_factory(per_host_concurrency=1)
        urls = [one.url("/count"), two.url("/count")] * 3
        with ThreadPoolExecutor(6) as pool:
            assert [r.status for r in pool.map(client.get, urls)] == [200] * 6
        assert state.max_active == 2  # one at a time per address, both at once
    finally:
        one.close()
        two.close()


def test_min_interval_between_starts(ours: OurServer, client_factory) -> None:
    client = client_factory(per_host_concurrency=4, min_interval=0.25)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: client.get(ours.url("/count")), range(4)))
    starts = sorted(ours.state.starts)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.22


def test_no_pool_full_warnings_under_many_threads(ours: OurServer, client_factory, caplog):
    client = client_factory(per_host_concurrency=48)
    with caplog.at_level("WARNING"), ThreadPoolExecutor(48) as pool:
        results = list(pool.map(lambda _: client.get(ours.url("/count")).status, range(96)))
    assert results == [200] * 96
    assert ours.state.max_active > 8  # really concurrent
    assert not [r for r in caplog.records if "pool is full" in r.getMessage()]


# ------------------------------------------------------------------------ robots

ROBOTS = "User-agent: exposure\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"


def test_robots_disallow_and_allow_fetched_once(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS)
    httpserver.expect_request("/public").respond_with_data("ok")
    client = client_factory(respect_robots=True)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.get(httpserver.url_for("/public")), range(8)))
    assert all(a.body == b"ok" for a in answers)
    with pytest.raises(RobotsDisallowed, match="disallows /private"):
        client.get(httpserver.url_for("/private/page"))
    robots_hits = [entry for entry, _ in httpserver.log if entry.path == "/robots.txt"]
    assert len(robots_hits) == 1
    assert not [e for e, _ in httpserver.log if e.path.startswith("/private")]


def test_robots_per_call_override(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
    httpserver.expect_request("/api").respond_with_data("{}")
    client = client_factory(respect_robots=True)
    with pytest.raises(RobotsDisallowed):
        client.get(httpserver.url_for("/api"))
    assert client.get(httpserver.url_for("/api"), respect_robots=False).body == b"{}"
    off = client_factory(respect_robots=False)
    assert off.get(httpserver.url_for("/api")).status == 200
    with pytest.raises(RobotsDisallowed):
        off.get(httpserver.url_for("/api"), respect_robots=True)


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (401, True), (403, True)])
def test_robots_4xx_means_allow_all(
    httpserver: HTTPServer, client_factory, status: int, allowed: bool
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("nope", status=status)
    httpserver.expect_request("/page").respond_with_data("page")
    assert client_factory(respect_robots=True).get(httpserver.url_for("/page")).body == b"page"


def test_robots_5xx_means_nothing_is_fetched(httpserver: HTTPServer, client_factory) -> None:
    # RFC 9309: crawl nothing. The site is failing, so it is an error, not a disallow.
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    httpserver.expect_request("/page").respond_with_data("page")
    client = client_factory(respect_robots=True, retries=1)
    with pytest.raises(FetchError, match="HTTP 503 for robots.txt"):
        client.get(httpserver.url_for("/page"))
    with pytest.raises(FetchError):
        client.get(httpserver.url_for("/page"))
    assert [e.path for e, _ in httpserver.log] == ["/robots.txt", "/robots.txt"]  # 1 + 1 retry


# ----------------------------------------------------------------------- cancel


def test_cancel_before_start(ours: OurServer, client_factory) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        client_factory(cancel=cancel).get(ours.url("/headers"))
    assert ours.state.paths == []


def test_cancel_during_retry_wait(httpserver: HTTPServer, client_factory) -> None:
    httpserver.expect_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "20"}
    )
    cancel = threading.Event()
    client = client_factory(cancel=cancel, retry_after_cap=60.0, deadline=60.0)
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        client.get(httpserver.url_for("/limited"))
    assert time.monotonic() - started < 2.0
    assert len(httpserver.log) == 1


def test_cancel_interrupts_a_request_in_flight(ours: OurServer, client_factory) -> None:
    cancel = threading.Event()
    client = client_factory(cancel=cancel, deadline=10.0, read_timeout=5.0)
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        client.get(ours.url("/drip"))
    assert time.monotonic() - started < 2.0


# ----------------------------------------------------------------------- proxies


def test_explicit_proxy_overrides_environment(ours: OurServer, monkeypatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{dead}")
    settings = replace(FAST, proxy=f"http://127.0.0.1:{ours.port}", retries=0)
    with HttpClient(settings) as client:
        response = client.get("http://site.example.test/u/jane")
    assert response.body == b"proxied http://site.example.test/u/jane"
    assert make_session(settings).proxies["https"] == settings.proxy


def test_environment_proxy_is_used(ours: OurServer, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{ours.port}")
    with HttpClient(FAST) as client:
        response = client.get("http://site.example.test/u/jane")
    assert response.body == b"proxied http://site.example.test/u/jane"


# ---------------------------------------------------------------------- host_key


def test_host_key_never_touches_the_network(monkeypatch) -> None:
    attempts: list[object] = []

    def record(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", record)
    monkeypatch.setattr(socket, "create_connection", record)
    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(requests.Session, "send", record)
    monkeypatch.setattr(xgates, "_extractor", None)  # force a fresh TLDExtract
    assert host_key("https://www.example.co.uk/path") == "example.co.uk"
    assert host_key("https://a.b.shop.example.com.au/") == "example.com.au"
    assert host_key("http://User.Example.ORG./x") == "example.org"
    assert attempts == []


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://127.0.0.1:8080/a", "127.0.0.1"),
        ("http://127.0.0.1:9090/b", "127.0.0.1"),
        ("http://127.0.0.2/", "127.0.0.2"),
        ("http://[::1]:8000/", "::1"),
        ("http://[2001:db8:0:0::1]/", "2001:db8::1"),
        ("http://localhost:5000/", "localhost"),
        ("https://api.people.example.com/users", "example.com"),
        ("http://intranet/", "intranet"),
        ("not a url", ""),
    ],
)
def test_host_key(url: str, key: str) -> None:
    assert host_key(url) == key


def test_tls_is_verified_on_every_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go through urllib3 directly: verification must be set there, as requests would."""
    client = HttpClient(HttpSettings(proxy="http://127.0.0.1:3128"))
    direct = client._adapter.poolmanager.connection_pool_kw
    assert direct["cert_reqs"] == "CERT_REQUIRED" and direct["ca_certs"]
    proxied = client._manager_for("https://example.test/").connection_pool_kw
    assert proxied["cert_reqs"] == "CERT_REQUIRED" and proxied["ca_certs"] == direct["ca_certs"]
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/our-bundle.pem")
    bundled = HttpClient(HttpSettings())._adapter.poolmanager.connection_pool_kw
    assert bundled["ca_certs"] == "/etc/ssl/our-bundle.pem"


def test_no_cookies_are_carried_between_requests(httpserver: HTTPServer, client_factory) -> None:
    """One site's cookie never rides along on the next request (no tracking across checks)."""
    httpserver.expect_request("/set").respond_with_data("ok", headers={"Set-Cookie": "t=1"})
    httpserver.expect_request("/next").respond_with_data("ok")
    client = client_factory()
    client.get(httpserver.url_for("/set"))
    client.get(httpserver.url_for("/next"))
    sent = {req.path: req.headers.get("Cookie") for req, _ in httpserver.log}
    assert sent == {"/set": None, "/next": None}


def test_pace_spaces_one_host_and_wakes_on_cancel(httpserver: HTTPServer, client_factory) -> None:
    """An API's own rate limit (HIBP) is kept by the host's gate, and Escape still works."""
    httpserver.expect_request("/api").respond_with_data("ok")
    cancel = threading.Event()
    client = client_factory(cancel=cancel, min_interval=0.0)
    client.pace(httpserver.url_for("/"), 30.0)
    client.pace(httpserver.url_for("/"), 0.1)  # never lowers it
    client.get(httpserver.url_for("/api"))  # the first request starts at once
    threading.Timer(0.2, cancel.set).start()
    began = time.monotonic()
    with pytest.raises(Cancelled):
        client.get(httpserver.url_for("/api"))
    assert 0.15 < time.monotonic() - began < 5
    assert len(httpserver.log) == 1


def test_loopback_only_refuses_other_hosts_before_sending(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept demo folder's client: every host off loopback is refused before any look-up."""

    from exposure.net.errors import Failure, FetchError
    from exposure.net.http import HttpClient
    from exposure.net.settings import HttpSettings

    looked_up: list[object] = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: looked_up.append(host))
    client = HttpClient(HttpSettings(loopback_only=True, retries=0, proxy="http://127.0.0.1:9"))
    for url in (
        "https://example.org/x",
        "http://10.0.0.1/",
        "http://[fe80::1]/",
        "http://127.0.0.1.nip.io/",
    ):
        with pytest.raises(FetchError) as caught:
            client.get(url)
        assert caught.value.failure is Failure.OFF_LOOPBACK
    assert looked_up == []
    assert client._proxies_for("http://127.0.0.1:1/") is None  # no proxy carries it away
