"""A fault-injection web server for tests: one path per way a site can misbehave.

pytest-httpserver answers politely; real sites do not. This server, on
127.0.0.x only, speaks HTTP/1.1 by hand over raw sockets so it can do what a
framework will not: accept and never answer, reset the connection, stream a
body with no length, drip it a byte at a time, or send a gzip bomb.

The first path segment picks the behaviour; the rest of the path (a username,
an API's own path) is ignored, so a catalogue entry or an API ``base_url`` can
point at ``http://127.0.0.1:PORT/<fault>`` and append whatever it likes.

===================  ==========================================================
``found``            200, a healthy profile page ("Profile of <last segment>"), for
                     any name: a site that says "found" for anyone
``claims-<user>``    a site that tells names apart: ``found``'s page for <user>,
                     ``absent``'s for every other name
``absent``           404, a healthy "No such user" page
``hang``             reads the request, never answers (until the server stops)
``reset``            reads the request, closes with SO_LINGER 0 (a TCP RST)
``ratelimit``        odd requests to a path: 429 + ``Retry-After: 1``; even: found
``unavailable``      503, every time
``waf-<vendor>``     403 with the REAL challenge page of cloudflare, akamai,
                     datadome or perimeterx, read from ../shared/data/block-pages
``captcha``          200 with a generic "unusual traffic" reCAPTCHA page
``loop``/``loop2``   302 to each other, for ever
``to-file``          302 to ``file:///etc/passwd``
``to-javascript``    302 to ``javascript:alert(document.cookie)``
``redirect``         302 to the ``?to=`` query value (private-redirect tests)
``huge``             200, 100 MB streamed lazily, no Content-Length
``drip``             200, then one body byte every half second
``gzip-bomb``        200, ``Content-Encoding: gzip``, ~4.5 MB inflating to 1 GiB
``bad-utf8``         200, ``charset=utf-8`` but invalid UTF-8 bytes
``bad-json``         200, ``application/json`` that does not parse
``nested``           200, a megabyte of nested ``<div>``
``robots.txt``       404 (allow all)
===================  ==========================================================

``FaultWeb.delay`` (seconds) slows the ``found``/``absent`` answers down, for
tests that need a scan still running when they kill it.
"""

from __future__ import annotations

import contextlib
import http
import os
import socket
import socketserver
import struct
import tempfile
import threading
import zlib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BLOCK_PAGES = SHARED_DATA / "block-pages"
# One real challenge page per vendor, read at test time (never copied into the repo).
WAF_PAGES = {
    "cloudflare": "flaresolverr_cloudflare_init_v1.html",
    "akamai": "akamai_sec_cpt_challenge_fragment_hypersdk.html",
    "datadome": "datadome_interstitial_liverpoolfc_hypersdk.html",
    "perimeterx": "perimeterx_vendor_block_template_nodecore.mustache.html",
}
WAF_VENDOR_NAMES = {
    "cloudflare": "Cloudflare",
    "akamai": "Akamai",
    "datadome": "DataDome",
    "perimeterx": "PerimeterX",
}

FOUND_TEXT = "Profile of"
ABSENT_TEXT = "No such user"
HUGE_BYTES = 100 * 1000 * 1000
BOMB_INFLATED = 1 << 30  # 1 GiB of zeros
DRIP_EVERY = 0.5
DRIP_BYTES = 240  # two minutes of dripping: longer than any deadline under test
NESTED_BYTES = 1 << 20
HANG_MAX = 120.0  # a hung connection is let go after this, or when the server stops
CHUNK = 64 * 1024

CAPTCHA_PAGE = (
    "<!DOCTYPE html><html><head><title>Sorry...</title>"
    '<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>'
    "<body><h1>Our systems have detected unusual traffic from your computer network.</h1>"
    "<p>Please verify you are a human to continue.</p>"
    '<form method="post"><div class="g-recaptcha" data-sitekey="6Lc_test"></div>'
    "<button>Continue</button></form></body></html>"
)
# Lone continuation bytes, an overlong encoding, a truncated sequence, a surrogate, 0xFF.
BAD_UTF8 = (
    b"<html><head><title>caf\xe9 \xc3\x28</title></head><body><p>\x80\x81 \xc0\xaf "
    b"\xed\xa0\x80 \xf4\x90\x80\x80 \xff\xfe text\x1b[31m</p></body></html>"
)
BAD_JSON = b'{"hash": "abc", "display_name": "Jane", "links": [{"url": "https://x.example/'


def waf_page(vendor: str) -> bytes:
    """The real challenge page of ``vendor``, read now from the shared data folder."""
    return (BLOCK_PAGES / WAF_PAGES[vendor]).read_bytes()


def nested_page(size: int = NESTED_BYTES) -> bytes:
    """``size`` bytes (about) of ``<div>`` nested inside each other."""
    depth = size // len(b"<div></div>")
    return b"<html><body>" + b"<div>" * depth + b"x" + b"</div>" * depth + b"</body></html>"


# --------------------------------------------------------------------------- gzip bomb


def gzip_bomb(cache_dir: Path | None = None) -> Path:
    """A gzip file of ~4.5 MB that inflates to 1 GiB of zeros; built once, cached in tmp.

    Level 1 builds in under two seconds and still compresses ~230:1. The file
    is written under a temporary name and renamed, so concurrent test runs
    never see half of it.
    """
    folder = cache_dir or Path(tempfile.gettempdir()) / "exposure-faultweb"
    target = folder / "gzip-bomb-1GiB.gz"
    if target.is_file() and gzip_inflated_size(target) == BOMB_INFLATED % (1 << 32):
        return target
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".gzip-bomb-{os.getpid()}-{threading.get_ident()}.tmp"
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    zeros = bytes(4 << 20)
    with partial.open("wb") as out:
        for _ in range(BOMB_INFLATED // len(zeros)):
            out.write(compressor.compress(zeros))
        out.write(compressor.flush())
    os.replace(partial, target)
    return target


def gzip_inflated_size(path: Path) -> int:
    """The gzip trailer's ISIZE: the inflated length modulo 2**32."""
    with path.open("rb") as f:
        f.seek(-4, os.SEEK_END)
        return int(struct.unpack("<I", f.read(4))[0])


# ------------------------------------------------------------------------------ server


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], web: FaultWeb) -> None:
        self.web = web
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up early (caps, deadlines) is what these tests are about


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(30)
        web = self.server.web
        try:
            target = _read_request(sock)
        except (OSError, ValueError):
            return
        if target is None:
            return
        path = urlsplit(target).path
        first = unquote(path.lstrip("/").split("/", 1)[0])
        web._hit(first, path)
        with contextlib.suppress(OSError):  # the client went away: that is its right
            web._answer(sock, first, target)


def _read_request(sock: socket.socket) -> str | None:
    """Read one request's head (and any Content-Length body); return its target."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(CHUNK)
        if not chunk:
            return None
        data += chunk
        if len(data) > 256 * 1024:
            raise ValueError("request head too long")
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise ValueError("bad request line")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip() or 0)
    while len(rest) < length:
        chunk = sock.recv(CHUNK)
        if not chunk:
            break
        rest += chunk
    return parts[1]


def _head(status: int, headers: dict[str, str]) -> bytes:
    phrase = http.HTTPStatus(status).phrase
    lines = [f"HTTP/1.1 {status} {phrase}", *(f"{k}: {v}" for k, v in headers.items())]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send(
    sock: socket.socket,
    status: int,
    body: bytes,
    headers: dict[str, str] | None = None,
) -> None:
    all_headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    all_headers["Content-Length"] = str(len(body))
    sock.sendall(_head(status, all_headers) + body)


class FaultWeb:
    """The fault-injection server: ``with FaultWeb() as web: web.url("/hang/jane")``."""

    def __init__(self, host: str = "127.0.0.1", delay: float = 0.0) -> None:
        self.host = host
        self.delay = delay  # seconds before a found/absent answer
        self.stop = threading.Event()
        self.hits: dict[str, int] = {}
        self._path_hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._nested: bytes | None = None
        self._server = _Server((host, 0), self)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="faultweb", daemon=True
        )
        self._thread.start()

    # -- public

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def close(self) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FaultWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals

    def _hit(self, first: str, path: str) -> int:
        with self._lock:
            self.hits[first] = self.hits.get(first, 0) + 1
            self._path_hits[path] = self._path_hits.get(path, 0) + 1
            return self._path_hits[path]

    def _answer(self, sock: socket.socket, first: str, target: str) -> None:  # noqa: C901
        path = urlsplit(target).path
        name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
        if first.startswith("claims-"):
            first = "found" if name == first.removeprefix("claims-") else "absent"
        if first in ("found", "absent"):
            if self.delay and self.stop.wait(self.delay):
                return
            if first == "found":
                _send(sock, 200, _found_page(name))
            else:
                _send(sock, 404, f"<html><p>{ABSENT_TEXT}</p></html>".encode())
        elif first == "robots.txt":
            _send(sock, 404, b"no robots here", {"Content-Type": "text/plain"})
        elif first == "hang":
            self.stop.wait(HANG_MAX)
        elif first == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        elif first == "ratelimit":
            with self._lock:
                odd = self._path_hits[path] % 2 == 1
            if odd:
                _send(sock, 429, b"<p>Too Many Requests</p>", {"Retry-After": "1"})
            else:
                _send(sock, 200, _found_page(name))
        elif first == "unavailable":
            _send(sock, 503, b"<html><h1>Service Unavailable</h1></html>")
        elif first.startswith("waf-") and first[4:] in WAF_PAGES:
            _send(sock, 403, waf_page(first[4:]))
        elif first == "captcha":
            _send(sock, 200, CAPTCHA_PAGE.encode())
        elif first in ("loop", "loop2"):
            rest = path.split("/", 2)[2] if path.count("/") >= 2 else ""
            other = "loop2" if first == "loop" else "loop"
            _send(sock, 302, b"", {"Location": f"/{other}/{rest}"})
        elif first == "to-file":
            _send(sock, 302, b"", {"Location": "file:///etc/passwd"})
        elif first == "to-javascript":
            _send(sock, 302, b"", {"Location": "javascript:alert(document.cookie)"})
        elif first == "redirect":
            to = parse_qs(urlsplit(target).query).get("to", ["/"])[0]
            _send(sock, 302, b"", {"Location": to})
        elif first == "huge":
            self._stream_huge(sock)
        elif first == "drip":
            self._drip(sock)
        elif first == "gzip-bomb":
            self._send_file(sock, gzip_bomb())
        elif first == "bad-utf8":
            _send(sock, 200, BAD_UTF8)
        elif first == "bad-json":
            _send(sock, 200, BAD_JSON, {"Content-Type": "application/json"})
        elif first == "nested":
            if self._nested is None:
                self._nested = nested_page()
            _send(sock, 200, self._nested)
        else:
            _send(sock, 404, b"<p>not here</p>")

    def _stream_huge(self, sock: socket.socket) -> None:
        """100 MB with no Content-Length (the end is the close), made as it is sent."""
        sock.sendall(_head(200, {"Content-Type": "text/html; charset=utf-8"}))
        block = b"a" * CHUNK
        sent = 0
        while sent < HUGE_BYTES and not self.stop.is_set():
            sock.sendall(block)
            sent += len(block)

    def _drip(self, sock: socket.socket) -> None:
        sock.sendall(_head(200, {"Content-Type": "text/html", "Content-Length": str(DRIP_BYTES)}))
        for _ in range(DRIP_BYTES):
            if self.stop.wait(DRIP_EVERY):
                return
            sock.sendall(b"x")

    def _send_file(self, sock: socket.socket, path: Path) -> None:
        headers = {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Encoding": "gzip",
            "Content-Length": str(path.stat().st_size),
        }
        sock.sendall(_head(200, headers))
        with path.open("rb") as f:
            while block := f.read(CHUNK):
                if self.stop.is_set():
                    return
                sock.sendall(block)


def _found_page(name: str) -> bytes:
    shown = name.replace("<", "").replace(">", "").replace("&", "")
    return (
        f"<html><head><title>{FOUND_TEXT} {shown}</title></head>"
        f"<body><h1>{FOUND_TEXT} {shown}</h1><p>Joined 2019.</p></body></html>"
    ).encode()
