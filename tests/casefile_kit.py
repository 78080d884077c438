"""Helpers for the case-file tests: a stored finding with a capture, and the browser mark."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from exposure.engine.store import Store
from exposure.model import Capture, Finding, FindingKind
from exposure.net.chromium import BrowserNotFound, find_browser


def _have_browser() -> bool:
    try:
        find_browser()
    except BrowserNotFound:
        return False
    return True


# .ci/run installs Chromium with apt-get; only a machine where it cannot be installed skips.
needs_chromium = pytest.mark.skipif(
    not _have_browser(), reason="no system Chromium/Chrome (apt-get install chromium)"
)


def record(
    store: Store,
    profile: str,
    body: bytes,
    *,
    url: str = "https://broker.example/jane-doe",
    key: str = "jane",
    title: str = "Jane Doe, 1 High St",
    when: datetime | None = None,
    content_type: str = "text/html; charset=utf-8",
    kind: FindingKind = FindingKind.PERSON_RECORD,
) -> Finding:
    scan = store.begin_scan(profile, ["brokers"])
    capture = Capture(
        body=body,
        url=url,
        final_url=url,
        captured_at=when or datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        content_type=content_type,
    )
    finding = Finding(
        checker="brokers",
        source=url.split("/")[2],
        kind=kind,
        key=key,
        url=url,
        confidence=0.9,
        reasons=["name and town match"],
        title=title,
        capture=capture,
    )
    stored = store.record_finding(scan.scan_id, profile, finding)
    store.finish_scan(scan)
    return stored


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"x")

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def watching_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that counts every request it sees: (base URL, hits)."""
    hits: list[str] = []
    handler = type("Counter", (_Counter,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()


def hostile_page(base: str) -> bytes:
    """A capture that tries every way we know to run a script or make a request."""
    return f"""<!DOCTYPE html><html><head>
<meta http-equiv="refresh" content="0;url={base}/refresh">
<base href="{base}/base/">
<link rel="stylesheet" href="{base}/style.css"><link rel="preconnect" href="{base}">
<link rel="prefetch" href="{base}/prefetch"><link rel="dns-prefetch" href="{base}">
<link rel="icon" href="{base}/favicon.ico">
<style>@font-face{{font-family:evil;src:url({base}/font.woff)}}
body{{font-family:evil;background:#22aa77 url({base}/bg.png)}}</style>
<script src="{base}/script.js"></script>
</head><body onload="fetch('{base}/onload')">
<h1>Jane Doe lives at 1 High St</h1>
<img src="{base}/img.png"><img src="relative.png" srcset="{base}/srcset.png 2x">
<iframe src="{base}/frame"></iframe><object data="{base}/object"></object>
<embed src="{base}/embed"><video src="{base}/video.mp4" autoplay></video>
<audio src="{base}/audio.mp3" autoplay></audio>
<svg><image href="{base}/svg-image.png" width="10" height="10"/></svg>
<form action="{base}/form" method="post"><input autofocus></form>
<a href="{base}/link" ping="{base}/ping">link</a>
<script>document.body.style.background='red';new Image().src='{base}/js-image';
fetch('{base}/js-fetch');navigator.sendBeacon('{base}/beacon');location='{base}/js-nav'</script>
</body></html>""".encode()


SVG_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="400" height="200"><text x="10" y="20">&g;</text>
<image xlink:href="BASE/bomb.png" width="10" height="10"/></svg>"""
