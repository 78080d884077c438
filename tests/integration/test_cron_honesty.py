"""Scheduled scans, shaped like cron runs them: `env -i`, `--new-only --quiet`.

Cron has no API keys in its environment, no terminal and no one watching; a
mostly-failed scan, a checker that silently stopped running, or a child's
findings must still reach the person (one stderr line, exit 1).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

EXPOSURE = Path(sys.executable).with_name("exposure")
DEAD = "http://127.0.0.1:9"  # nothing listens on the discard port: every check there fails


def site(name: str, base: str) -> dict[str, object]:
    return {
        "name": name,
        "uri_check": f"{base}/{name.lower()}/{{account}}",
        "e_code": 200,
        "e_string": "profile of",
        "m_code": 404,
        "m_string": "no such user",
        "known": ["someone"],
        "cat": "social",
    }


def cron(home: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run exposure as cron would: an empty environment but for what the entry sets."""
    extra = [f"{k}={v}" for k, v in (env or {}).items()]
    return subprocess.run(
        ["env", "-i", f"EXPOSURE_HOME={home}", *extra, str(EXPOSURE), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def web(httpserver: HTTPServer) -> str:
    def answer(request: Request) -> Response:
        if request.path.startswith("/found/"):
            return Response(f"<h1>profile of {request.path.rsplit('/', 1)[-1]}</h1>")
        if request.path.startswith("/api/v3/breachedaccount/"):
            return Response("", status=404)  # HIBP: not in any breach
        return Response("<p>no such user</p>", status=404)

    httpserver.expect_request("").respond_with_handler(answer)
    return httpserver.url_for("").rstrip("/")


def add(home: Path, *argv: str) -> None:
    done = cron(home, "profile", "add", *argv)
    assert done.returncode == 0, done.stderr


def write_sites(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"sites": entries}))
    return path


def test_a_mostly_failed_scan_is_not_silent(exposure_home: Path, web: str, tmp_path: Path) -> None:
    add(exposure_home, "jane", "--name", "Jane Doe", "--username", "janedoe")
    sites = write_sites(
        tmp_path / "sites.json",
        [site("Missing", web), site("Gone", web)] + [site(f"Dead{i}", DEAD) for i in range(6)],
    )
    done = cron(
        exposure_home, "scan", "--profile", "jane", "--only", "sites", "--sites", str(sites),
        "--new-only", "--quiet",
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "not an all-clear" in line and "2 of 8 checks" in line and "25%" in line

    # Above min_coverage the same quiet scan is silent and exits 0.
    (exposure_home / "config.toml").write_text("min_coverage = 0.2\n")
    again = cron(
        exposure_home, "scan", "--profile", "jane", "--only", "sites", "--sites", str(sites),
        "--new-only", "--quiet",
    )  # fmt: skip
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_something_new_outranks_low_coverage_but_is_still_said(
    exposure_home: Path, web: str, tmp_path: Path
) -> None:
    add(exposure_home, "jane", "--name", "Jane Doe", "--username", "janedoe")
    sites = write_sites(
        tmp_path / "sites.json", [site("Found", web)] + [site(f"Dead{i}", DEAD) for i in range(3)]
    )
    done = cron(
        exposure_home, "scan", "--profile", "jane", "--only", "sites", "--sites", str(sites),
        "--new-only", "--quiet",
    )  # fmt: skip
    assert done.returncode == 3
    assert f"{web}/found/janedoe" in done.stdout
    assert "not an all-clear" in done.stderr


def test_a_checker_whose_key_is_missing_under_cron_is_named(
    exposure_home: Path, web: str, tmp_path: Path
) -> None:
    add(exposure_home, "jane", "--name", "Jane Doe", "--email", "jane@example.com")
    (exposure_home / "config.toml").write_text(
        f'[checkers.hibp]\nbase_url = "{web}/api/v3"\nmin_interval = 0\n'
    )
    no_keyring = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    argv = ("scan", "--profile", "jane", "--only", "hibp", "--new-only", "--quiet")
    by_hand = cron(exposure_home, *argv, env={"EXPOSURE_HIBP_API_KEY": "k" * 32, **no_keyring})
    assert (by_hand.returncode, by_hand.stdout, by_hand.stderr) == (0, "", "")

    scheduled = cron(exposure_home, *argv, env=no_keyring)  # cron: no key in the environment
    assert scheduled.returncode == 1
    assert scheduled.stdout == ""
    lines = scheduled.stderr.splitlines()
    assert any(
        "hibp ran in the previous scan of jane but was skipped now" in line
        and "EXPOSURE_HIBP_API_KEY" in line
        for line in lines
    ), lines


def test_a_guardian_scan_names_the_child_and_speaks_to_the_parent(
    exposure_home: Path, web: str, tmp_path: Path
) -> None:
    add(exposure_home, "robin", "--name", "Robin Example")
    add(
        exposure_home, "sam", "--name", "Sam Example", "--username", "samx",
        "--birth-date", "2015-03-10", "--guardian", "robin",
    )  # fmt: skip
    add(
        exposure_home, "alex", "--name", "Alex Example", "--username", "alexx",
        "--birth-date", "2013-05-01", "--guardian", "robin",
    )  # fmt: skip
    sites = write_sites(tmp_path / "sites.json", [site("Found", web), site("Missing", web)])
    done = cron(
        exposure_home, "scan", "--guardian", "robin", "--only", "sites", "--sites", str(sites),
        "--new-only", "--quiet",
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    out = done.stdout
    assert "New for Sam Example (sam), in your care" in out
    assert "New for Alex Example (alex), in your care" in out
    assert "an account under Sam's username" in out
    assert "an account under Alex's username" in out
    assert "your username" not in out
    # Each child's findings sit under that child's heading.
    blocks = {block.split("(", 1)[1].split(")", 1)[0]: block for block in out.split("New for ")[1:]}
    assert "found/samx" in blocks["sam"] and "found/alexx" not in blocks["sam"]
    assert "found/alexx" in blocks["alex"] and "found/samx" not in blocks["alex"]


def test_output_to_a_file_carries_whole_urls(exposure_home: Path, web: str, tmp_path: Path) -> None:
    add(exposure_home, "jane", "--name", "Jane Doe", "--username", "janedoe")
    long_site = site("Found", web)
    long_site["uri_check"] = f"{web}/found/{'deep-' * 60}/{{account}}"
    sites = write_sites(tmp_path / "sites.json", [long_site])
    url = f"{web}/found/{'deep-' * 60}/janedoe"
    scan = cron(
        exposure_home, "scan", "--profile", "jane", "--only", "sites", "--sites", str(sites)
    )
    assert scan.returncode == 3, scan.stderr
    assert url in scan.stdout
    out = tmp_path / "f.txt"
    with out.open("w") as handle:  # `exposure findings > f.txt`
        subprocess.run(
            [
                "env",
                "-i",
                f"EXPOSURE_HOME={exposure_home}",
                "COLUMNS=40",
                str(EXPOSURE),
                "findings",
            ],
            stdout=handle,
            check=True,
            timeout=60,
        )
    text = out.read_text()
    assert url in text and "…" not in text
