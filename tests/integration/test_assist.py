"""Assisted mode (``exposure assist``), driven by a script standing in for the person.

There is no display in tests: ``--headless`` (hidden, tests only) runs the
same session without a window, and the "person" is a thread that solves the
loopback challenge (tests/browserweb.py ``assisted``) once the page is open,
or presses the key (the ``proceed`` event).
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserweb import BrowserWeb

from exposure.cli import main
from exposure.engine.assist import assisted_read
from exposure.net.browser import browser_missing
from exposure.net.http import HttpClient, HttpSettings

MISSING = browser_missing()
needs_browser = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture
def web() -> Iterator[BrowserWeb]:
    server = BrowserWeb()
    yield server
    server.close()


@pytest.fixture
def brokers(web: BrowserWeb, tmp_path: Path, exposure_home: Path) -> Path:
    # The challenge polls every 150 ms through the HTTP client: no politeness wait on
    # loopback, or its polls queue up in front of the reload under load.
    exposure_home.mkdir(parents=True, exist_ok=True)
    fast = "[http]\nmin_interval = 0\nper_host_concurrency = 8\n"
    (exposure_home / "config.toml").write_text(fast)
    file = tmp_path / "brokers.toml"
    file.write_text(
        '[[broker]]\nid = "peoplefinderz"\nname = "PeopleFinderz"\ncountry = "US"\n'
        f'search_url = "{web.base}/assisted/search?q={{full_name}}"\n'
        f'opt_out_url = "{web.base}/optout"\n'
    )
    argv = ["profile", "add", "jane", "--name", "Jane Q Doe", "--location", "Austin, TX"]
    assert main([*argv, "--phone", "+15125550100"]) == 0
    main(["scan", "--profile", "jane", "--only", "brokers", "--brokers", str(file), "--quiet"])
    return file


def person_solves(web: BrowserWeb) -> threading.Thread:
    """The person: waits for the challenge to be on screen, then solves it."""

    def act() -> None:
        for _ in range(300):
            if web.hits["/solved"]:  # the challenge page is running in the window
                web.solve()
                return
            time.sleep(0.05)

    thread = threading.Thread(target=act, daemon=True)
    thread.start()
    return thread


def checklist_ids(capsys: pytest.CaptureFixture[str]) -> set[str]:
    capsys.readouterr()
    assert main(["checklist", "--profile", "jane", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    items = doc if isinstance(doc, list) else doc.get("items") or doc.get("checklist") or []
    return {i["id"] for i in items}


def assist(brokers: Path, *extra: str) -> list[str]:
    argv = ["assist", "--profile", "jane", "--source", "peoplefinderz", "--brokers", str(brokers)]
    return [*argv, "--headless", *extra]


@needs_browser
def test_the_person_solves_the_challenge_and_the_records_are_kept(
    web: BrowserWeb, brokers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "check:broker:peoplefinderz" in checklist_ids(capsys)
    person_solves(web)
    capsys.readouterr()
    assert main([*assist(brokers, "--wait", "60"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [check] = doc["checks"]
    assert check["status"] == "found", check
    assert check["detail"].startswith("read in a browser window with you: ")
    assert doc["state"] == "by hand"
    mine = [f for f in doc["findings"] if f["confidence"] >= 0.6]
    assert mine and all(
        f["evidence"]["method"] == "read in a browser window with you" for f in mine
    )
    assert "check:broker:peoplefinderz" not in checklist_ids(capsys)


@needs_browser
def test_a_challenge_nobody_solves_is_not_recorded(
    web: BrowserWeb, brokers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(assist(brokers, "--wait", "2")) == 1
    err = capsys.readouterr().err
    assert "blocked" in err and "nothing recorded" in err
    assert "check:broker:peoplefinderz" in checklist_ids(capsys)


@needs_browser
def test_pressing_the_key_reads_the_page_as_it_stands(web: BrowserWeb) -> None:
    http = HttpClient(HttpSettings(retries=0, backoff=0.0, min_interval=0.0, deadline=10.0))
    pressed = threading.Event()
    got: list[str] = []

    def read() -> None:
        result = assisted_read(
            http, f"{web.base}/forever", wait=120, proceed=pressed, headless=True
        )
        got.append(result.page.text)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for _ in range(200):  # the page is open and counting
        if web.hits["/forever"]:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    pressed.set()
    reader.join(timeout=60)  # far less than the 120 s it would wait without the key
    http.close()
    assert not reader.is_alive()
    assert got and '<p id="t">' in got[0]


@needs_browser
def test_a_kept_session_is_said_and_stays(
    web: BrowserWeb, brokers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    person_solves(web)
    capsys.readouterr()
    assert main(assist(brokers, "--wait", "60", "--keep-session")) == 0
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if "browser profile is kept in" in line]
    kept = Path(line.rsplit(" in ", 1)[1])
    assert kept.is_dir() and any(kept.iterdir())
    shutil.rmtree(kept)


def test_without_a_display_it_says_so_and_points_to_import(
    brokers: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("exposure.net.browser.browser_missing", lambda *_: None)
    capsys.readouterr()
    argv = ["assist", "--profile", "jane", "--source", "peoplefinderz", "--brokers", str(brokers)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "no display" in err and "exposure import" in err
