"""The demo web: ``data/demo/web`` served on 127.0.0.1 at a free port.

A small threaded ``http.server`` of ours, so the demo needs nothing but the
standard library and never touches the network. A request path maps to a
file under ``web/`` (``/hibp/breaches`` -> ``web/hibp/breaches.json``; the
extensions .html, .json, .asc and .txt are tried); ``routes.toml`` adds the
few answers that are not plain files (a page chosen by a query parameter, a
rate-limited site, a captcha wall). Anything else is a 404 page that says
"No such user", which is what the demo's username sites use for "absent".

Served text has ``{{BASE}}`` replaced by the server's own address and
``{{AGE:YYYY-MM-DD}}`` by today's age for that birth date, so the fictional
people do not grow older than their pages say.
"""

from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass, field
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from exposure.errors import ExposureError

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".asc": "application/pgp-keys",
    ".txt": "text/plain; charset=utf-8",
}
_AGE = re.compile(r"\{\{AGE:(\d{4}-\d{2}-\d{2})\}\}")


def demo_root() -> Path:
    from exposure.paths import bundled_data

    return bundled_data() / "demo"


def render(text: str, base: str, today: date | None = None) -> str:
    """``text`` with ``{{BASE}}`` and ``{{AGE:...}}`` filled in."""
    from exposure.people.profile import age_on

    day = today or date.today()
    text = _AGE.sub(lambda m: str(age_on(date.fromisoformat(m.group(1)), day)), text)
    return text.replace("{{BASE}}", base)


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


@dataclass(frozen=True)
class Route:
    path: str
    status: int = 200
    file: str = ""
    by_query: str = ""
    dir: str = ""
    default: str = ""
    headers: dict[str, str] = field(default_factory=dict, hash=False)

    def matches(self, path: str) -> bool:
        return path.startswith(self.path) if self.path.endswith("/") else path == self.path


def load_routes(root: Path) -> list[Route]:
    where = root / "routes.toml"
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
        return [Route(**entry) for entry in data.get("route", [])]
    except (OSError, tomllib.TOMLDecodeError, TypeError) as exc:
        raise ExposureError(f"the demo web is broken ({where}: {exc})") from None


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


class DemoWeb:
    """The demo web server; use as a context manager. ``base`` is its address."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or demo_root()
        self.web = (self.root / "web").resolve()
        if not self.web.is_dir():
            raise ExposureError(f"the demo web is missing ({self.web})")
        self.routes = load_routes(self.root)
        self.base = ""
        self.requests: list[str] = []  # paths asked for, in order (tests read it)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- answers (pure enough to test without sockets)

    def _file(self, rel: str) -> Path | None:
        rel = rel.strip("/")
        if not rel or any(part in ("", ".", "..") for part in rel.split("/")):
            return None
        for candidate in (rel, *(rel + ext for ext in TYPES)):
            path = (self.web / candidate).resolve()
            if path.is_file() and path.is_relative_to(self.web):
                return path
        return None

    def _from_file(
        self,
        path: Path,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        ctype = TYPES.get(path.suffix, "application/octet-stream")
        body = render(path.read_text(encoding="utf-8"), self.base).encode("utf-8")
        return Answer(status, body, ctype, dict(headers or {}))

    def answer(self, target: str) -> Answer:
        """What the demo web says to ``GET target`` (a path with an optional query)."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        for route in self.routes:
            if not route.matches(path):
                continue
            if route.by_query:
                values = parse_qs(parts.query).get(route.by_query) or [""]
                found = self._file(f"{route.dir}/{slug(values[0])}") if values[0] else None
                chosen = found or self._file(route.default)
                if chosen is not None:
                    return self._from_file(chosen, route.status, route.headers)
            elif route.file:
                chosen = self._file(route.file)
                if chosen is not None:
                    return self._from_file(chosen, route.status, route.headers)
        found = self._file(path)
        if found is not None:
            return self._from_file(found)
        missing = self._file("404.html")
        if missing is not None:
            return self._from_file(missing, 404)
        return Answer(404, b"No such user", TYPES[".txt"])

    # -- serving

    def start(self) -> str:
        web = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "exposure-demo-web"
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._reply(send_body=True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._reply(send_body=False)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(min(length, 1 << 20))
                self._reply(send_body=True)

            def _reply(self, send_body: bool) -> None:
                with web._lock:
                    web.requests.append(self.path)
                try:
                    ans = web.answer(self.path)
                except Exception:  # a broken demo file must not hang the client
                    ans = Answer(500, b"demo web error", TYPES[".txt"])
                self.send_response(ans.status, HTTPStatus(ans.status).phrase)
                self.send_header("Content-Type", ans.content_type)
                self.send_header("Content-Length", str(len(ans.body)))
                for key, value in ans.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if send_body:
                    self.wfile.write(ans.body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, name="exposure-demo-web", daemon=True
        )
        self._thread.start()
        return self.base

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> DemoWeb:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
