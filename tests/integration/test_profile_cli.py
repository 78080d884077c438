"""CLI tests for ``exposure profile ...`` through exposure.cli.main."""

from __future__ import annotations

import json
import stat

import pytest

from exposure.cli import main


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPOSURE_HOME", str(tmp_path))
    return tmp_path


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def add_jane(capsys, *extra):
    status, out, err = run(
        capsys,
        "profile",
        "add",
        "jane",
        "--name",
        "Jane Q Doe",
        "--name",
        "Jane Smith",
        "--email",
        "Jane@Example.COM",
        "--phone",
        "0113 496 0000",
        "--username",
        "@janed",
        "--location",
        "Leeds, West Yorkshire LS1 4AP, UK",
        "--address",
        "1 High St, Leeds LS1 4AP, UK",
        "--birth-date",
        "1983-04-05",
        "--account",
        "https://github.com/janed",
        *extra,
    )
    assert status == 0, err
    return out


def test_add_writes_private_file(capsys, home):
    out = add_jane(capsys)
    path = home / "profiles" / "jane.json"
    assert str(path) in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "profiles").stat().st_mode) == 0o700
    data = json.loads(path.read_text())
    assert data["names"] == ["Jane Q Doe", "Jane Smith"]
    assert data["emails"] == ["Jane@example.com"]
    assert data["phones"] == ["+441134960000"]
    assert data["usernames"] == ["janed"]
    assert data["birth_date"] == "1983-04-05"


def test_default_region_comes_from_config(capsys, home):
    (home / "config.toml").write_text('default_region = "GB"\n')
    status, _, err = run(capsys, "profile", "add", "bob", "--phone", "020 7946 0018")
    assert status == 0, err
    status, out, _ = run(capsys, "profile", "show", "bob", "--format", "json")
    assert json.loads(out)["phones"] == ["+442079460018"]


def test_show_json_and_text(capsys):
    add_jane(capsys)
    status, out, _ = run(capsys, "profile", "show", "jane", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {
        "id",
        "names",
        "emails",
        "phones",
        "usernames",
        "locations",
        "addresses",
        "birth_date",
        "accounts",
        "relatives",
        "guardian",
        "address_program",
    }
    assert data["id"] == "jane" and data["guardian"] is None and data["address_program"] is None
    status, out, _ = run(capsys, "profile", "show", "jane")
    assert status == 0
    for text in ("Jane Q Doe", "(primary)", "+441134960000", "1983-04-05", "github.com/janed"):
        assert text in out


def test_list_text_and_json(capsys):
    status, out, _ = run(capsys, "profile", "list")
    assert status == 0 and "no profiles yet" in out
    status, out, _ = run(capsys, "profile", "list", "--format", "json")
    assert json.loads(out) == []
    add_jane(capsys)
    assert run(capsys, "profile", "add", "kid", "--name", "Tim Doe", "--guardian", "jane")[0] == 0
    status, out, _ = run(capsys, "profile", "list", "--format", "json")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["jane", "kid"]
    assert rows[0]["name"] == "Jane Q Doe"
    assert rows[0]["counts"]["names"] == 2 and rows[0]["counts"]["phones"] == 1
    assert rows[1]["guardian"] == "jane"
    status, out, _ = run(capsys, "profile", "list")
    lines = out.splitlines()
    assert lines[0].startswith("ID") and "GUARDIAN" in lines[0]
    assert lines[2].startswith("kid") and lines[2].rstrip().endswith("jane")


def test_add_existing_profile(capsys):
    add_jane(capsys)
    status, _, err = run(capsys, "profile", "add", "jane", "--name", "Other")
    assert status == 2
    assert "profile 'jane' exists; use `exposure profile edit jane`" in err


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--email", "jane@"),
        ("--email", "@x.com"),
        ("--email", "a b@x.com"),
        ("--email", "jane@localhost"),
        ("--phone", "12345"),
        ("--birth-date", "1983-13-01"),
        ("--birth-date", "2999-01-01"),
        ("--birth-date", "1850-01-01"),
        ("--account", "github.com/jane"),
        ("--username", "jane doe"),
        ("--name", "   "),
        ("--location", "Leeds\x1b[2J"),
    ],
)
def test_add_bad_value(capsys, home, flag, value):
    status, out, err = run(capsys, "profile", "add", "jane", flag, value)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("exposure: error: ")
    shown = value.replace("\x1b", "?")
    assert repr(shown)[1:-1][:20] in lines[0]
    assert not (home / "profiles" / "jane.json").exists()


def test_add_bad_id(capsys):
    status, _, err = run(capsys, "profile", "add", "Jane")
    assert status == 2 and "did you mean 'jane'" in err


def test_guardian_must_exist(capsys, home):
    status, _, err = run(capsys, "profile", "add", "kid", "--guardian", "mum")
    assert status == 2 and "'mum'" in err
    assert not (home / "profiles" / "kid.json").exists()
    add_jane(capsys)
    assert run(capsys, "profile", "add", "kid", "--guardian", "jane")[0] == 0
    status, _, err = run(capsys, "profile", "edit", "kid", "--guardian", "ghost")
    assert status == 2 and "'ghost'" in err


def test_edit_add_and_remove(capsys):
    add_jane(capsys)
    status, out, err = run(
        capsys,
        "profile",
        "edit",
        "jane",
        "--name",
        "Jane Smith",  # already there: de-duplicated
        "--name",
        "J. Doe",
        "--email",
        "new@example.org",
        "--remove-email",
        "jane@example.com",
        "--remove-phone",
        "+44 113 496 0000",
        "--remove-username",
        "@janed",
        "--birth-date",
        "1984-02-03",
        "--format",
        "json",
    )
    assert status == 0, err
    data = json.loads(out)
    assert data["names"] == ["Jane Q Doe", "Jane Smith", "J. Doe"]
    assert data["emails"] == ["new@example.org"]
    assert data["phones"] == [] and data["usernames"] == []
    assert data["birth_date"] == "1984-02-03"
    # saved, not just printed
    status, out, _ = run(capsys, "profile", "show", "jane", "--format", "json")
    assert json.loads(out) == data


def test_edit_clear_fields(capsys):
    add_jane(capsys)
    assert run(capsys, "profile", "add", "kid", "--guardian", "jane")[0] == 0
    status, out, _ = run(capsys, "profile", "edit", "kid", "--clear-guardian", "--format", "json")
    assert status == 0 and json.loads(out)["guardian"] is None
    status, out, _ = run(
        capsys, "profile", "edit", "jane", "--clear-birth-date", "--format", "json"
    )
    assert status == 0 and json.loads(out)["birth_date"] is None


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--remove-name", "Nobody"),
        ("--remove-email", "other@example.com"),
        ("--remove-phone", "+15125550100"),
        ("--remove-username", "ghost"),
        ("--remove-location", "Paris, France"),
        ("--remove-address", "2 Low St"),
        ("--remove-account", "https://example.org/x"),
    ],
)
def test_edit_remove_missing_value(capsys, home, flag, value):
    add_jane(capsys)
    before = (home / "profiles" / "jane.json").read_text()
    status, _, err = run(capsys, "profile", "edit", "jane", flag, value)
    assert status == 2
    assert value in err and len(err.strip().splitlines()) == 1
    assert (home / "profiles" / "jane.json").read_text() == before


def test_remove(capsys, home):
    add_jane(capsys)
    assert run(capsys, "profile", "add", "kid", "--guardian", "jane")[0] == 0
    status, out, _ = run(capsys, "profile", "remove", "jane")
    assert status == 0
    assert not (home / "profiles" / "jane.json").exists()
    assert "scan history" in out and "stay" in out
    assert "'kid' still names 'jane'" in out
    status, out, _ = run(capsys, "profile", "remove", "kid", "--format", "json")
    assert status == 0 and json.loads(out)["removed"] == "kid"


@pytest.mark.parametrize(
    "argv",
    [
        ("profile", "show", "nobody"),
        ("profile", "edit", "nobody", "--name", "X"),
        ("profile", "remove", "nobody"),
    ],
)
def test_unknown_profile(capsys, argv):
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert "unknown profile 'nobody'" in err


def test_corrupted_profile(capsys, home):
    add_jane(capsys)
    broken = home / "profiles" / "jane.json"
    broken.write_text('{"id": "jane", "names": ')
    for argv in (("profile", "show", "jane"), ("profile", "list"), ("profile", "edit", "jane")):
        status, _, err = run(capsys, *argv)
        assert status == 2
        assert str(broken) in err and "Traceback" not in err
    # A broken file can still be removed.
    assert run(capsys, "profile", "remove", "jane")[0] == 0
    assert not broken.exists()


def test_show_refuses_control_characters_in_hand_edited_file(capsys, home):
    # Re-validated on load (issue 14 item 13): one line naming the file and field,
    # and the control characters never reach the terminal.
    add_jane(capsys)
    path = home / "profiles" / "jane.json"
    data = json.loads(path.read_text())
    data["names"] = ["Jane\x1b]0;owned\x07 Doe"]
    path.write_text(json.dumps(data))
    status, out, err = run(capsys, "profile", "show", "jane")
    assert status == 2 and str(path) in err and ": names:" in err
    assert "\x1b" not in out + err and "\x07" not in out + err


def test_relatives_are_added_shown_and_removed(capsys, home):
    add_jane(capsys, "--relative", "Mark  Roe", "--relative", "Ann Doe")
    status, out, _ = run(capsys, "profile", "show", "jane", "--format", "json")
    assert status == 0 and json.loads(out)["relatives"] == ["Mark Roe", "Ann Doe"]
    status, out, _ = run(capsys, "profile", "show", "jane")
    assert "relatives" in out and "Mark Roe" in out
    status, _, err = run(capsys, "profile", "edit", "jane", "--remove-relative", "Ann Doe")
    assert status == 0, err
    status, out, _ = run(capsys, "profile", "show", "jane", "--format", "json")
    assert json.loads(out)["relatives"] == ["Mark Roe"]
    status, _, err = run(capsys, "profile", "edit", "jane", "--remove-relative", "Nobody Else")
    assert status == 2 and "relative" in err and len(err.strip().splitlines()) == 1


def test_a_bad_relative_is_one_line_and_nothing_saved(capsys, home):
    add_jane(capsys)
    before = (home / "profiles" / "jane.json").read_bytes()
    status, _, err = run(capsys, "profile", "edit", "jane", "--relative", "\x1b[31m")
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert (home / "profiles" / "jane.json").read_bytes() == before
