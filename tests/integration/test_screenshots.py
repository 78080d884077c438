"""Offline screenshots of captures: a real PNG with its banner, and not one request out."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from casefile_kit import SVG_BOMB, hostile_page, needs_chromium, record, watching_server
from PIL import Image
from pypdf import PdfReader

from exposure import paths
from exposure.cli import main
from exposure.engine.store import Store
from exposure.reports import headless
from exposure.reports.screenshot import (
    BANNER_HEIGHT,
    HEIGHT,
    PAGE_URL,
    WIDTH,
    ScreenshotStatus,
    capture_refs,
    resources,
    screenshots,
    shoot_profile,
)


@pytest.fixture
def store() -> Store:
    where = paths.current()
    with Store(where.database, where.evidence_dir) as s:
        yield s


def _png(store: Store, sha: str) -> Image.Image:
    path = store.evidence_dir / sha[:2] / sha
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return Image.open(io.BytesIO(path.read_bytes())).convert("RGB")


@needs_chromium
def test_screenshot_is_a_png_of_the_page_under_its_banner(store):
    page = b"<html><body style='margin:0;background:#22aa77'><h1>Jane Doe</h1></body></html>"
    finding = record(store, "jane", page)
    [shot] = shoot_profile(store, "jane", deadline=60)
    assert shot.status is ScreenshotStatus.OK, shot.detail
    image = _png(store, shot.sha256)
    assert image.size == (WIDTH, HEIGHT)
    # the banner: dark, with light text pixels in it
    banner = image.crop((0, 0, WIDTH, BANNER_HEIGHT - 6))
    colours = banner.getcolors(maxcolors=1 << 16)
    dark = sum(n for n, (r, g, b) in colours if r + g + b < 120)
    light = sum(n for n, (r, g, b) in colours if r + g + b > 600)
    assert dark > banner.width * banner.height * 0.6
    assert light > 500  # the text
    # the page itself, green as the capture says (the frame is not blank)
    assert image.getpixel((WIDTH // 2, HEIGHT - 50)) == (0x22, 0xAA, 0x77)
    assert screenshots(store, "jane")[shot.capture_id].status is ScreenshotStatus.OK
    # the banner's text, as the same renderer lays it out (a PDF has extractable text)
    [ref] = capture_refs(store, "jane")
    pdf = headless.render(resources(ref, page), PAGE_URL, kind="pdf", deadline=60).data
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert finding.url in flat
    assert "2026-11-02T09:30:00Z" in flat
    assert finding.evidence.sha256 in flat


@needs_chromium
def test_hostile_pages_render_without_a_script_or_a_request(store):
    with watching_server() as (base, hits):
        record(store, "jane", hostile_page(base), key="a")
        record(
            store,
            "jane",
            SVG_BOMB.replace(b"BASE", base.encode()),
            key="b",
            url="https://broker.example/bomb.svg",
            content_type="image/svg+xml",
        )
        huge = b"<html><body style='background:#22aa77'>" + b"<p>Jane Doe</p>" * 100_000
        record(
            store,
            "jane",
            huge + f"<img src='{base}/late.png'>".encode(),
            key="c",
            url="https://broker.example/huge",
        )
        shots = shoot_profile(store, "jane", deadline=60)
        assert hits == []
    assert len(shots) == 3
    ok = [s for s in shots if s.status is ScreenshotStatus.OK]
    assert ok, [s.detail for s in shots]
    # a page that could not be drawn is recorded as failed, never dropped
    assert set(screenshots(store, "jane")) == {s.capture_id for s in shots}
    first = _png(store, shots[0].sha256)
    # scripts were off: the page kept its own green, not the script's red
    assert first.getpixel((WIDTH - 20, HEIGHT - 20)) == (0x22, 0xAA, 0x77)


@needs_chromium
def test_network_layer_blocks_requests_even_without_the_page_policy():
    """The Fetch interception alone stops a page with no CSP at all."""
    with watching_server() as (base, hits):
        page = f"<img src='{base}/a.png'><link rel=stylesheet href='{base}/b.css'>".encode()
        done = headless.render(
            {"https://capture.exposure.invalid/": headless.Resource(page)},
            "https://capture.exposure.invalid/",
            kind="png",
            width=400,
            height=300,
            deadline=60,
        )
        assert hits == []
    assert f"{base}/a.png" in done.blocked and f"{base}/b.css" in done.blocked
    assert done.data.startswith(b"\x89PNG")


@needs_chromium
def test_a_killed_browser_leaves_nothing_in_the_temporary_folder(tmp_path, monkeypatch):
    """Chromium keeps a singleton socket folder in $TMPDIR and removes it only on a
    clean exit; we kill it at the end of a batch. Its $TMPDIR is inside the
    throwaway profile, so nothing is left in the person's temporary folder."""
    # A short folder of its own (a socket path must stay under 108 bytes).
    system_tmp = Path(tempfile.mkdtemp(prefix="t", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    monkeypatch.setattr("tempfile.tempdir", None)  # re-read TMPDIR
    done = headless.render(
        {"https://capture.exposure.invalid/": headless.Resource(b"<p>hello</p>")},
        "https://capture.exposure.invalid/",
        kind="png",
        width=200,
        height=100,
        deadline=60,
    )
    left = sorted(p.name for p in system_tmp.iterdir())
    shutil.rmtree(system_tmp)
    assert done.data.startswith(b"\x89PNG")
    assert left == []


def _hanging_browser(tmp_path: Path) -> Path:
    script = tmp_path / "hanging-browser"
    script.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'pid'}\nexec sleep 600\n")
    script.chmod(0o755)
    return script


def test_hanging_renderer_is_killed_and_the_capture_marked(store, tmp_path):
    finding = record(store, "jane", b"<p>Jane</p>")
    [shot] = shoot_profile(store, "jane", deadline=1.5, browser=_hanging_browser(tmp_path))
    assert shot.status is ScreenshotStatus.FAILED
    assert shot.label == "screenshot failed"
    assert "did not finish within 1.5 s" in shot.detail and "killed" in shot.detail
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    # the capture is still there, and a later run tries again
    assert store.finding("jane", finding.id).evidence is not None
    assert screenshots(store, "jane")[shot.capture_id].status is ScreenshotStatus.FAILED
    again = shoot_profile(store, "jane", deadline=1.5, browser=_hanging_browser(tmp_path))
    assert len(again) == 1


def test_altered_capture_file_is_a_failed_screenshot(store):
    finding = record(store, "jane", b"<p>Jane</p>")
    (store.evidence_dir / finding.evidence.path).write_bytes(b"tampered")
    [shot] = shoot_profile(store, "jane", browser=sys.executable)
    assert shot.status is ScreenshotStatus.FAILED and "missing or altered" in shot.detail


def _profile(capsys) -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    capsys.readouterr()


def test_cli_without_a_browser_says_so_in_one_line(capsys, exposure_home):
    _profile(capsys)
    (exposure_home / "config.toml").write_text('[browser]\npath = "/no/such/chromium"\n')
    status = main(["evidence", "screenshot", "--profile", "jane"])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1 and "/no/such/chromium" in err


@needs_chromium
def test_cli_renders_the_profiles_captures(capsys, store):
    _profile(capsys)
    record(store, "jane", b"<p style='color:red'>Jane</p>")
    status = main(["evidence", "screenshot", "--profile", "jane"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.startswith("ok ") and "1 screenshot(s) made, 0 failed" in out
    status = main(["evidence", "screenshot", "--profile", "jane"])  # nothing left to do
    assert "0 screenshot(s) made" in capsys.readouterr().out


@needs_chromium
def test_scan_with_screenshots_renders_as_findings_land(capsys, tmp_path, store):
    with watching_server() as (base, hits):
        tracker = f"{base}/tracker.png"

        class Page(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                found = self.path.startswith("/found/")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                body = f"<h1>profile of janedoe</h1><img src='{tracker}'>" if found else ""
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        site = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{site.server_port}"
        sites = tmp_path / "sites.json"
        sites.write_text(
            json.dumps(
                {
                    "sites": [
                        {
                            "name": "Found",
                            "uri_check": f"{url}/found/{{account}}",
                            "e_code": 200,
                            "e_string": "profile of",
                            "m_code": 404,
                            "m_string": "no such user",
                            "known": ["someone"],
                            "cat": "social",
                        }
                    ]
                }
            )
        )
        (paths.current().config_file).write_text("[checkers.sites]\nrespect_robots = false\n")
        assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe"]) == 0
        status = main(
            [
                "scan",
                "--profile",
                "jane",
                "--only",
                "sites",
                "--sites",
                str(sites),
                "--screenshots",
                "--format",
                "json",
            ]
        )
        err = capsys.readouterr().err
        site.shutdown()
        site.server_close()
        assert hits == []  # the capture's tracker image was never fetched
    assert status == 3, err
    assert "1 screenshot(s) made, 0 failed" in err
    shots = screenshots(store, "jane")
    assert [s.status for s in shots.values()] == [ScreenshotStatus.OK]


def test_background_shooter_cancel_stops_after_the_rendering_under_way(store, tmp_path):
    from exposure.reports.screenshot import BackgroundShooter

    ids = [record(store, "jane", f"<p>{i}</p>".encode(), key=str(i)).id for i in range(4)]
    shooter = BackgroundShooter(
        store.path, store.evidence_dir, "jane", deadline=1.0, browser=_hanging_browser(tmp_path)
    )
    shooter.submit(ids)
    time.sleep(0.3)  # let the first rendering start
    started = time.monotonic()
    shots = shooter.close(cancel=True)
    assert time.monotonic() - started < 3.9  # not four deadlines of 1 s
    assert len(shots) <= 1
    assert all(s.status is ScreenshotStatus.FAILED for s in shots)
