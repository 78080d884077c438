"""``scan --browser`` and ``render = "browser"``: pages plain HTTP cannot read, end to end.

Loopback pages from tests/browserweb.py; the system Chromium renders them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserweb import BrowserWeb

from exposure.cli import main
from exposure.net.browser import browser_missing

MISSING = browser_missing()
needs_browser = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture
def web() -> Iterator[BrowserWeb]:
    server = BrowserWeb()
    yield server
    server.close()


def brokers_file(tmp_path: Path, base: str, path: str, **extra: str) -> Path:
    lines = [
        "[[broker]]",
        'id = "peoplefinderz"',
        'name = "PeopleFinderz"',
        'country = "US"',
        f'search_url = "{base}{path}"',
        f'opt_out_url = "{base}/optout"',
    ]
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    file = tmp_path / "brokers.toml"
    file.write_text("\n".join(lines) + "\n")
    return file


def add_jane() -> None:
    assert (
        main(
            [
                "profile",
                "add",
                "jane",
                "--name",
                "Jane Q Doe",
                "--location",
                "Austin, TX",
                "--phone",
                "+15125550100",
            ]
        )
        == 0
    )


def scan(capsys: pytest.CaptureFixture[str], brokers: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    argv = ["scan", "--profile", "jane", "--only", "brokers", "--brokers", str(brokers)]
    main([*argv, "--format", "json", "--quiet", *extra])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


@needs_browser
def test_records_built_by_javascript_need_the_browser(
    web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/js/search?q={full_name}")
    plain = scan(capsys, brokers)
    [check] = plain["checks"]
    assert check["status"] == "error"
    assert "page needs JavaScript" in check["detail"]
    assert plain["findings"] == []

    rendered = scan(capsys, brokers, "--browser")
    [check] = rendered["checks"]
    assert check["status"] == "found", check
    assert check["detail"].startswith("rendered by browser: ")
    [finding] = [f for f in rendered["findings"] if "jane-q-doe" in f["url"]]
    assert finding["url"] == f"{web.base}/record/jane-q-doe-austin-tx"
    assert finding["confidence"] >= 0.6
    assert finding["evidence"]["method"] == "rendered by browser"
    assert len(finding["evidence"]["sha256"]) == 64


@needs_browser
def test_a_js_challenge_passes_with_the_browser_and_stays_blocked_without(
    web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/challenge/search?q={full_name}")
    [check] = scan(capsys, brokers)["checks"]
    assert check["status"] == "blocked"
    result = scan(capsys, brokers, "--browser")
    [check] = result["checks"]
    assert check["status"] == "found", check
    assert any(f["evidence"]["method"] == "rendered by browser" for f in result["findings"])


@needs_browser
def test_a_challenge_nobody_solves_stays_blocked_in_the_browser(
    web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/assisted/search?q={full_name}")
    [check] = scan(capsys, brokers, "--browser")["checks"]
    assert check["status"] == "blocked"
    assert check["detail"].startswith("rendered by browser: ")


@needs_browser
def test_render_browser_in_the_catalogue_uses_it_without_the_flag(
    web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/js/search?q={full_name}", render="browser")
    [check] = scan(capsys, brokers)["checks"]
    assert check["status"] == "found"


@needs_browser
def test_a_page_navigating_to_another_host_is_refused(
    web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/away/search?q={full_name}", render="browser")
    [check] = scan(capsys, brokers)["checks"]
    assert check["status"] == "error"
    assert "navigation off the source's host refused" in check["detail"]
    assert web.hits["/elsewhere"] == 0


def test_without_the_browser_the_options_say_what_to_install(
    web: BrowserWeb,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("exposure.net.browser.browser_missing", lambda *_: "install it (test)")
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/js/search?q={full_name}", render="browser")
    capsys.readouterr()
    argv = ["scan", "--profile", "jane", "--only", "brokers", "--brokers", str(brokers)]
    assert main([*argv, "--browser"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "exposure: error: --browser: install it (test)"
    # A render = "browser" entry without a browser is an honest error, with the line.
    [check] = scan(capsys, brokers)["checks"]
    assert check["status"] == "error"
    assert "this site needs a browser: install it (test)" in check["detail"]


@needs_browser
def test_a_page_that_never_settles_is_an_error_at_the_deadline(
    web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str], exposure_home: Path
) -> None:
    exposure_home.mkdir(parents=True, exist_ok=True)
    (exposure_home / "config.toml").write_text("[http]\ndeadline = 3\n")
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/forever/search?q={full_name}", render="browser")
    result = scan(capsys, brokers)
    [check] = result["checks"]
    assert check["status"] == "error"
    assert "the page never settled" in check["detail"]
    assert result["findings"] == []


@needs_browser
def test_popups_and_downloads_are_confined_in_a_scan(
    web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str], exposure_home: Path
) -> None:
    add_jane()
    brokers = brokers_file(tmp_path, web.base, "/popup/search?q={full_name}", render="browser")
    result = scan(capsys, brokers)
    [check] = result["checks"]
    assert check["status"] == "found", check
    saved = [p for p in (tmp_path, exposure_home, Path.home() / "Downloads") if p.is_dir()]
    assert not any(any(folder.rglob("x.bin")) for folder in saved)
