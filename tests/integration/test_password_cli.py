"""`exposure password check` end to end against a local Pwned Passwords look-alike."""

from __future__ import annotations

import getpass
import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.cli import main
from exposure.engine.store import Store
from exposure.passwords import pwned as pp

BREACHED = "Summer2019!"  # the fake corpus has it 123,456 times
BREACHED_COUNT = 123_456
PASSPHRASE = "mauve tractor lullaby quinoa"  # long, unguessable, padded with count 0
SHORT_STRONG = "kT9#vq2!Lm4Z"  # 12 random characters
PERSONAL = "janedoe83Jane"  # guessable for someone who knows Jane

CORPUS = {pp.sha1_hex(BREACHED): BREACHED_COUNT}
PADDED = {pp.sha1_hex(PASSPHRASE)}  # answered as a count-0 padding row


@pytest.fixture
def range_api(httpserver: HTTPServer, exposure_home: Path) -> list[Request]:
    """A range API that refuses anything but a 5-character prefix with Add-Padding."""
    received: list[Request] = []

    def answer(request: Request) -> Response:
        received.append(request)
        match = re.fullmatch(r"/range/([0-9A-F]{5})", request.path)
        if not match or request.headers.get("Add-Padding") != "true" or request.query_string:
            return Response("bad request", 400)
        prefix = match.group(1)
        rows = [f"{'0' * 35}:4", f"{'9' * 35}:0"]
        rows += [f"{h[5:]}:{n}" for h, n in CORPUS.items() if h.startswith(prefix)]
        rows += [f"{h[5:]}:0" for h in PADDED if h.startswith(prefix)]
        return Response("\r\n".join(rows), 200, content_type="text/plain")

    httpserver.expect_request("").respond_with_handler(answer)
    write_config(exposure_home, httpserver.url_for("").rstrip("/"))
    return received


def write_config(home: Path, base: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        "[http]\nretries = 0\nmin_interval = 0.0\n\n"
        f'[checkers.pwned_passwords]\nbase_url = "{base}"\n'
    )


def check(monkeypatch: pytest.MonkeyPatch, password: str, *args: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return main(["password", "check", *args])


def add_jane() -> None:
    assert (
        main(
            [
                "profile",
                "add",
                "jane",
                "--name",
                "Jane Doe",
                "--email",
                "jane.doe@example.com",
                "--username",
                "janedoe83",
                "--birth-date",
                "1983-04-05",
            ]
        )
        == 0
    )


def secrets_of(password: str) -> list[bytes]:
    digest = pp.sha1_hex(password)
    suffix = digest[5:]
    return [s.encode() for s in (password, digest, digest.lower(), suffix, suffix.lower())]


# --------------------------------------------------------------------------- verdicts


def test_breached_password_must_change(
    range_api: list[Request], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(monkeypatch, BREACHED) == 3
    out = capsys.readouterr().out
    assert "Seen in breaches: 123,456 times" in out
    assert "Strength:" in out and "Change this password now" in out
    assert BREACHED not in out
    [request] = range_api
    assert request.path == f"/range/{pp.sha1_hex(BREACHED)[:5]}"


def test_padding_rows_are_not_sightings_and_a_long_passphrase_passes(
    range_api: list[Request], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(monkeypatch, PASSPHRASE) == 0
    out = capsys.readouterr().out
    assert "Seen in breaches: not seen" in out and "This password is fine" in out
    assert len(range_api) == 1 and range_api[0].headers["Add-Padding"] == "true"


def test_short_strong_looking_password_is_flagged_for_length_unless_mfa(
    range_api: list[Request], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(monkeypatch, SHORT_STRONG) == 3
    out = capsys.readouterr().out
    assert "Strength: 4/4" in out and "shorter than 15 characters" in out
    assert check(monkeypatch, SHORT_STRONG, "--mfa") == 0


def test_profile_words_make_a_password_weak(
    range_api: list[Request], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    assert check(monkeypatch, PERSONAL, "--mfa") == 0  # a stranger would not guess it
    capsys.readouterr()
    assert check(monkeypatch, PERSONAL, "--mfa", "--profile", "jane") == 3
    out = capsys.readouterr().out
    assert "easy to guess" in out
    assert "Recorded for jane: a password you checked on" in out and "was weak" in out


# --------------------------------------------------------------------------- input


def test_prompt_without_echo_on_a_terminal(
    range_api: list[Request], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return BREACHED

    monkeypatch.setattr(sys, "stdin", Terminal("not read\n"))
    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    assert main(["password", "check"]) == 3
    assert prompts and "not shown" in prompts[0]
    assert BREACHED not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("stdin", "words"),
    [("", "empty password"), ("\n", "empty password"), ("one\ntwo\n", "one password at a time")],
)
def test_bad_input_exits_2(
    range_api: list[Request],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stdin: str,
    words: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(["password", "check"]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert range_api == []


def test_crlf_line_end_on_stdin_is_not_part_of_the_password(
    range_api: list[Request], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(BREACHED + "\r\n"))
    assert main(["password", "check"]) == 3
    assert "123,456" in capsys.readouterr().out


def test_unknown_profile_exits_2(range_api: list[Request], monkeypatch: pytest.MonkeyPatch) -> None:
    assert check(monkeypatch, BREACHED, "--profile", "nobody") == 2
    assert range_api == []


def test_api_failure_exits_1_with_one_line(
    httpserver: HTTPServer,
    exposure_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    httpserver.expect_request(re.compile("/range/.*")).respond_with_data("down", status=503)
    write_config(exposure_home, httpserver.url_for("").rstrip("/"))
    assert check(monkeypatch, BREACHED) == 1
    out, err = capsys.readouterr()
    assert err.startswith("exposure: error:") and "HTTP 503" in err
    assert len(err.strip().splitlines()) == 1 and "Seen in breaches" not in out


# --------------------------------------------------------------------------- offline


def offline_copy(folder: Path) -> Path:
    folder.mkdir()
    digest = pp.sha1_hex(BREACHED)
    (folder / f"{digest[:5]}.txt").write_bytes(
        f"{'0' * 35}:1\r\n{digest[5:]}:{BREACHED_COUNT}\r\n".encode()
    )
    return folder


def test_offline_mode_needs_no_network(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exposure_home: Path,
) -> None:
    write_config(exposure_home, "http://127.0.0.1:1")  # nothing listens: any request fails
    folder = offline_copy(tmp_path / "pwned")
    assert check(monkeypatch, BREACHED, "--offline", str(folder)) == 3
    assert "123,456 times (your offline copy" in capsys.readouterr().out
    assert check(monkeypatch, PASSPHRASE, "--offline", str(folder)) == 2  # no such prefix file
    assert "no range file" in capsys.readouterr().err
    assert check(monkeypatch, BREACHED, "--offline", str(tmp_path / "nope")) == 2
    assert "no such folder" in capsys.readouterr().err


def test_subprocess_reads_stdin_and_documents_exit_statuses(tmp_path: Path) -> None:
    folder = offline_copy(tmp_path / "pwned")
    env = {**os.environ, "EXPOSURE_HOME": str(tmp_path / "home")}
    cmd = [sys.executable, "-m", "exposure.cli", "password", "check", "--offline", str(folder)]
    done = subprocess.run(
        cmd, input=BREACHED + "\n", capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 3, done.stderr
    assert "Seen in breaches: 123,456 times" in done.stdout
    assert BREACHED not in done.stdout + done.stderr
    helped = subprocess.run(
        [*cmd[:5], "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert "3  seen in breaches" in helped.stdout and "2  bad input" in helped.stdout


# --------------------------------------------------------------------------- recording


def test_profile_check_records_a_finding_and_nothing_secret_on_disk(
    range_api: list[Request],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    exposure_home: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    add_jane()
    assert check(monkeypatch, BREACHED, "--profile", "jane") == 3
    assert check(monkeypatch, BREACHED, "--profile", "jane") == 3  # same password again
    printed = capsys.readouterr()

    assert main(["findings", "--profile", "jane", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = doc["findings"]
    assert len(found) == 2 and found[0]["id"] != found[1]["id"]  # keys are random
    for f in found:
        assert (f["kind"], f["checker"], f["source"]) == (
            "password",
            "pwned_passwords",
            "Pwned Passwords",
        )
        assert re.fullmatch(
            r"a password you checked on \d{4}-\d\d-\d\d was seen at least 100,000 times "
            r"in breaches, was weak \(easy to guess\) and was too short",
            f["reasons"][0],
        )
        assert f["evidence"] is None
    with Store.open_current() as store:
        scans = store.scans("jane")
    assert [s.state for s in scans] == ["finished", "finished"]

    assert len(range_api) == 2
    assert all(re.fullmatch(r"/range/[0-9A-F]{5}", r.path) for r in range_api)
    secrets = [*secrets_of(BREACHED), b"123456", b"123,456"]
    logged = (printed.out + printed.err + caplog.text).encode()
    for secret in secrets_of(BREACHED):
        assert secret not in logged
    files = [p for p in exposure_home.rglob("*") if p.is_file()]
    assert any(p.name == "exposure.db" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, (path, secret)


def test_a_good_password_leaves_a_scan_but_no_finding(
    range_api: list[Request],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_jane()
    assert check(monkeypatch, PASSPHRASE, "--profile", "jane") == 0
    with Store.open_current() as store:
        [scan] = store.scans("jane")
        assert scan.state == "finished"
        assert store.findings("jane") == []
