"""The offline demo: the demo web server, and `exposure demo` with the network cut off."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.demo.server import DemoWeb, render

# Cuts a Python process off from everything but loopback, and logs every attempt.
GUARD = """
import os, socket
_log = os.environ["EXPOSURE_TEST_NET_LOG"]
def _local(host):
    return isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost"))
def _note(what):
    with open(_log, "a") as fh:
        fh.write(what + "\\n")
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
def connect(self, addr):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(addr[0]):
        _note("connect " + repr(addr))
        raise OSError(101, "network is unreachable (test guard)")
    return _connect(self, addr)
def connect_ex(self, addr):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(addr[0]):
        _note("connect_ex " + repr(addr))
        return 101
    return _connect_ex(self, addr)
_gai = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if host is not None and not _local(host if isinstance(host, str) else host.decode()):
        _note("dns " + repr(host))
        raise socket.gaierror(-3, "no network (test guard)")
    return _gai(host, *args, **kwargs)
socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
socket.getaddrinfo = getaddrinfo
"""


@pytest.mark.slow
def test_demo_runs_with_the_network_cut_off(tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "net.log"
    home = tmp_path / "demo-home"
    env = {k: v for k, v in os.environ.items() if k != "EXPOSURE_HOME"}
    env.update(
        PYTHONPATH=str(guard),
        EXPOSURE_TEST_NET_LOG=str(log),
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        HTTPS_PROXY="http://192.0.2.1:3128",
        EXPOSURE_HIBP_API_KEY="a-real-key-must-not-leave",
    )
    # The guard works: a connection to anywhere else fails and is logged.
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), 1)"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and "test guard" in probe.stderr
    log.unlink()

    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "exposure.cli", "demo", "--home", str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    assert not log.exists(), log.read_text()  # nothing tried to leave the machine
    assert elapsed < 60
    out = run.stdout
    for expected in (
        "Have I Been Pwned",
        "ExampleSho",
        "findpeople-example",
        "lookup-example",
        "CodeShelf",
        "Chirper",
        "Gravatar",
        "keys.openpgp.org",
        "PixelPlay",
        "TubeClips",
    ):
        assert expected in out, expected
    assert re.search(r"Shutterbook\s+blocked", out)  # unknown is not absent
    assert re.search(r"nameindex-example\s+blocked", out)
    assert "Guardian report:" in out

    # The findings are really in the demo folder's database, as the engine stored them.
    env_home = dict(env, EXPOSURE_HOME=str(home))
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "exposure.cli",
            "findings",
            "--profile",
            "robin",
            "--format",
            "json",
        ],
        env=env_home,
        capture_output=True,
        text=True,
        check=True,
    )
    sources = {f["source"] for f in json.loads(found.stdout)["findings"]}
    assert {"CodeShelf", "Chirper", "findpeople-example", "Gravatar"} <= sources

    # A rescan in the kept demo folder, with the real catalogues: refused, nothing sent.
    for argv in (["scan", "--profile", "robin"], ["scan", "--all", "--only", "sites,brokers"]):
        rescan = subprocess.run(
            [sys.executable, "-m", "exposure.cli", *argv],
            env=env_home,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert rescan.returncode == 2, rescan.stderr
        assert "loopback-only (a demo folder" in rescan.stderr
        assert "nothing was sent" in rescan.stderr
        assert not log.exists(), log.read_text()
    assert "a-real-key-must-not-leave" not in (home / "config.toml").read_text()
    report = (home / "guardian-robin.html").read_text()
    assert "Sam Example" in report and "Exampleville Elementary School" in report

    again = subprocess.run(
        [sys.executable, "-m", "exposure.cli", "demo", "--home", str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr  # a demo folder can be used again


def test_demo_is_throwaway_by_default_and_restores_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real_gai = socket.getaddrinfo

    def local_only(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"the demo tried to resolve {host!r}")
        return real_gai(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setenv("EXPOSURE_GITHUB_TOKEN", "secret-token")
    before = dict(os.environ)
    assert main(["demo"]) == 0
    assert dict(os.environ) == before
    out = capsys.readouterr().out
    assert "The demo folder was removed" in out
    homes = [
        p
        for p in tmp_path.iterdir()
        if p.name.startswith("exposure-demo-") and not p.name.startswith("exposure-demo-report-")
    ]
    assert homes == []
    [reports] = [p for p in tmp_path.iterdir() if p.name.startswith("exposure-demo-report-")]
    assert (reports / "guardian-robin.html").is_file()


def test_demo_refuses_a_folder_that_is_not_a_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "config.toml").write_text("# my real config\n")
    assert main(["demo", "--home", str(precious)]) == 2
    assert "not an exposure demo folder" in capsys.readouterr().err
    assert (precious / "config.toml").read_text() == "# my real config\n"


# --------------------------------------------------------------------------- the demo web


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - loopback only
            return resp.status, resp.read().decode(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def test_demo_web_serves_files_routes_and_404s() -> None:
    with DemoWeb() as web:
        assert web.base.startswith("http://127.0.0.1:")
        status, body, _ = fetch(f"{web.base}/robots.txt")
        assert status == 200 and "Allow: /" in body
        status, body, headers = fetch(
            f"{web.base}/hibp/breachedaccount/robin.example%40example.com"
        )
        assert status == 200 and headers["Content-Type"] == "application/json"
        assert {b["Name"] for b in json.loads(body)} == {"ExampleShop", "DemoForum"}
        status, body, _ = fetch(f"{web.base}/sites/chirper/robin_example")
        assert status == 200 and "profile of" in body
        status, body, _ = fetch(f"{web.base}/sites/chirper/nobody")
        assert status == 404 and "No such user" in body
        status, body, _ = fetch(f"{web.base}/people/findpeople/search?name=Robin+Example")
        assert status == 200 and f"{web.base}/people/findpeople/record/" in body
        assert "{{" not in body  # every placeholder is filled
        status, body, _ = fetch(f"{web.base}/people/findpeople/search?name=Nobody+Else")
        assert status == 200 and "No records found" in body
        status, _, headers = fetch(f"{web.base}/sites/shutterbook/robin_example")
        assert status == 429 and headers["Retry-After"] == "3600"
        for sneaky in ("/../flow.py", "/%2e%2e/routes.toml", "/sites/../../README.md"):
            assert fetch(web.base + sneaky)[0] == 404
        assert any(p.startswith("/hibp/") for p in web.requests)


def test_render_fills_base_and_ages() -> None:
    text = render("{{BASE}}/x age {{AGE:2015-03-10}}", "http://h:1", today=date(2026, 3, 9))
    assert text == "http://h:1/x age 10"


def test_demo_data_is_fictional() -> None:
    """Reserved example domains and 555-01xx numbers only (RFC 2606, NANP fiction range)."""
    from exposure.demo.server import demo_root

    root = demo_root()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for host in re.findall(r"https?://([a-z0-9.-]+)", text):
            assert host.endswith((".example", "example.com", "example.org")) or host in (
                "127.0.0.1",
            ), (path, host)
        for email in re.findall(r"[\w.+-]+@([\w.-]+\.[a-z]+)", text):
            assert email.endswith((".example", "example.com", "example.org")), (path, email)
        for number in re.findall(r"\b555[-. ]?(\d{4})\b", text):
            assert number.startswith("01"), (path, number)
