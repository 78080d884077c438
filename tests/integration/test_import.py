"""``exposure import``: a page the person saved gives the findings the fetched page gives.

The page is a real-layouts results page (../shared/data/brokers/real-layouts,
built into the test's tmp folder by its realpages.py): served on loopback and
scanned, then saved as .html (with Chrome's "saved from url" comment) and as
.mhtml (quoted-printable, like Chrome's "single file"), and imported.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import quopri
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exposure.cli import main

SITE = "truepeoplesearch"


class Pages:
    """One page per path on 127.0.0.1."""

    def __init__(self, pages: dict[str, str]) -> None:
        web = self
        self.pages = pages

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?", 1)[0]
                if path == "/robots.txt":
                    body, status = "User-agent: *\nAllow: /\n", 200
                else:
                    body = web.pages.get(path, "<html><body>No results found.</body></html>")
                    status = 200
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def realpage(shared_data: Path, tmp_path: Path) -> dict[str, Any]:
    """A real-layouts page for one synthetic person whose own record is on it."""
    out = tmp_path / "realpages"
    tool = shared_data / "brokers" / "real-layouts" / "realpages.py"
    subprocess.run(
        [sys.executable, str(tool), "build", str(out), "6", SITE, "--seed", "3"],
        check=True,
        capture_output=True,
    )
    profiles = json.loads((out / "profiles.json").read_text())
    pages = json.loads((out / "pages.json").read_text())
    truth = json.loads((out / "truth.json").read_text())
    for person in profiles:
        if truth.get(f"{person['id']}-self", {}).get("user"):
            return {"person": person, "html": pages[f"{SITE}/{person['id']}"]}
    pytest.fail("no person with their own record in the built set")


@pytest.fixture
def web(realpage: dict[str, Any]) -> Iterator[Pages]:
    server = Pages({f"/{SITE}/search": realpage["html"]})
    yield server
    server.close()


def add(name: str, person: dict[str, Any]) -> None:
    argv = ["profile", "add", name, "--name", person["name"], "--location", person["location"]]
    argv += ["--address", person["address"], "--birth-date", person["birth_date"]]
    assert main(argv) == 0


def brokers_file(tmp_path: Path, base: str) -> Path:
    file = tmp_path / "brokers.toml"
    file.write_text(
        "[[broker]]\n"
        f'id = "{SITE}"\nname = "TruePeopleSearch"\ncountry = "AU"\n'
        f'search_url = "{base}/{SITE}/search?q={{full_name}}"\n'
    )
    return file


def mhtml(html: str, url: str, *, encoding: str = "quoted-printable") -> bytes:
    if encoding == "base64":
        body = base64.encodebytes(html.encode("utf-8")).decode("ascii")
    else:
        body = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {url}\r\n"
        "Subject: results\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----MultipartBoundary--x"\r\n'
        "\r\n"
        "------MultipartBoundary--x\r\n"
        "Content-Type: text/html\r\n"
        "Content-ID: <frame-1@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n"
        f"Content-Location: {url}\r\n"
        "\r\n"
        f"{body}\r\n"
        "------MultipartBoundary--x\r\n"
        "Content-Type: text/css\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: {url}/style.css\r\n"
        "\r\n"
        "body { color: black; }\r\n"
        "------MultipartBoundary--x--\r\n"
    ).encode("ascii")


def findings(capsys: pytest.CaptureFixture[str], profile: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert (
        main(["findings", "--profile", profile, "--min-confidence", "0", "--format", "json"]) == 0
    )
    out = capsys.readouterr().out
    doc = json.loads(out)
    return doc["findings"] if isinstance(doc, dict) else doc  # type: ignore[no-any-return]


def shape(items: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {
        (f["kind"], f["source"], f["url"], round(f["confidence"], 3), f["title"]) for f in items
    }


def test_a_saved_html_and_mhtml_give_the_findings_of_the_fetched_page(
    web: Pages,
    realpage: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    person = realpage["person"]
    brokers = brokers_file(tmp_path, web.base)
    for name in ("fetched", "html", "mhtml"):
        add(name, person)
    argv = ["scan", "--profile", "fetched", "--only", "brokers", "--brokers", str(brokers)]
    main([*argv, "--quiet"])
    fetched = findings(capsys, "fetched")
    own = [f for f in fetched if f"{person['id']}-self" in f["url"]]
    assert own and own[0]["confidence"] >= 0.6, fetched  # the page is one we read

    url = f"{web.base}/{SITE}/search?q={person['name'].replace(' ', '+')}"
    saved = tmp_path / "Results.html"
    comment = f"<!-- saved from url=({len(url):04d}){url} -->\n"
    saved.write_text(comment + realpage["html"], encoding="utf-8")
    single = tmp_path / "Results.mhtml"
    single.write_bytes(mhtml(realpage["html"], url))

    for name, file in (("html", saved), ("mhtml", single)):
        capsys.readouterr()
        imp = ["import", "--profile", name, "--source", SITE, "--brokers", str(brokers)]
        assert main([*imp, str(file), "--format", "json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["state"] == "by hand"
        assert doc["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()
        got = findings(capsys, name)
        assert shape(got) == shape(fetched)
        for f in got:
            assert f["evidence"]["method"] == "saved by you"
            assert f["evidence"]["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()
