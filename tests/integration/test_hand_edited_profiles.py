"""Issue 14 item 13: profile files edited by hand (nesting, broken files, bad values)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.people import profile as profile_mod


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXPOSURE_HOME", str(tmp_path))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def add(capsys: pytest.CaptureFixture[str], pid: str, name: str) -> None:
    status, _, err = run(capsys, "profile", "add", pid, "--name", name)
    assert status == 0, err


def edit_file(home: Path, pid: str, **values: object) -> Path:
    path = home / "profiles" / f"{pid}.json"
    data = json.loads(path.read_text())
    data.update(values)
    path.write_text(json.dumps(data))
    return path


def test_a_deeply_nested_profile_file_is_one_line(capsys, home):
    add(capsys, "jane", "Jane Doe")
    path = home / "profiles" / "jane.json"
    path.write_text('{"id": "jane", "names": ' + "[" * 100_000 + "]" * 100_000 + "}")
    status, out, err = run(capsys, "profile", "show", "jane")
    assert status == 2
    assert err.count("\n") == 1 and str(path) in err and "nested too deeply" in err
    assert "Traceback" not in err + out


def test_a_deeply_nested_config_is_one_line(capsys, home):
    (home / "config.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    status, out, err = run(capsys, "scan", "--all", "--dry-run")
    assert status == 2
    assert err.count("\n") == 1 and "config.toml" in err and "nested too deeply" in err


def test_profile_list_lists_the_others_and_names_the_broken_one(capsys, home):
    add(capsys, "alice", "Alice Smith")
    add(capsys, "bob", "Bob Jones")
    add(capsys, "carol", "Carol King")
    broken = home / "profiles" / "bob.json"
    broken.write_text('{"id": "bob", "names": ')
    status, out, err = run(capsys, "profile", "list")
    assert status == 2  # an input error, named; the good profiles are still listed
    assert "alice" in out and "carol" in out and "bob" not in out
    assert err.count("\n") == 1 and str(broken) in err
    status, out, err = run(capsys, "profile", "list", "--format", "json")
    assert status == 2
    assert [row["id"] for row in json.loads(out)] == ["alice", "carol"]
    assert err.count("\n") == 1 and str(broken) in err


def test_scan_all_scans_every_good_profile_and_names_each_broken_one(capsys, home):
    for pid, name in (("alice", "Alice Smith"), ("bob", "Bob Jones"), ("carol", "Carol King")):
        add(capsys, pid, name)
    (home / "profiles" / "alice.json").write_text("[]")
    edit_file(home, "bob", emails=["not-an-email"])
    status, out, err = run(capsys, "scan", "--all", "--dry-run", "--format", "json")
    assert status == 2  # carol alone was scanned cleanly, but two files are broken
    assert [json.loads(line)["profile"] for line in out.splitlines()] == ["carol"]
    lines = err.strip().splitlines()
    assert len([line for line in lines if "profile file" in line]) == 2
    assert any("alice.json" in line for line in lines)
    assert any("bob.json" in line and "emails" in line for line in lines)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("emails", ["jane@@example.com"], "emails"),
        ("phones", ["call me maybe"], "phones"),
        ("usernames", ["has space"], "usernames"),
        ("locations", ["x" * 5000], "locations"),
        ("addresses", ["Leeds\x1b[31m"], "addresses"),
        ("names", ["Jane\x1b]0;owned\x07 Doe"], "names"),
        ("birth_date", "2999-01-01", "birth_date"),
        ("accounts", ["javascript:alert(1)"], "accounts"),
        ("relatives", ["\u202eevil"], "relatives"),
        ("guardian", "Not An Id!", "guardian"),
        ("guardian", "jane", "guardian"),
        ("address_program", "../../etc", "address_program"),
    ],
)
def test_hand_edited_values_are_checked_by_the_cli_rules(capsys, home, field, value, named):
    add(capsys, "jane", "Jane Doe")
    path = edit_file(home, "jane", **{field: value})
    for argv in (("profile", "show", "jane"), ("scan", "--profile", "jane", "--dry-run")):
        status, out, err = run(capsys, *argv)
        assert status == 2, (argv, out)
        assert err.count("\n") == 1 and str(path) in err and f": {named}:" in err
        assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err
        assert "\x1b" not in out and "Traceback" not in err


def test_good_hand_edited_values_are_normalised_as_on_the_command_line(capsys, home):
    add(capsys, "jane", "Jane Doe")
    edit_file(home, "jane", emails=["Jane@Example.COM"], usernames=["@janed"])
    status, out, err = run(capsys, "profile", "show", "jane", "--format", "json")
    assert status == 0, err
    shown = json.loads(out)
    assert shown["emails"] == ["Jane@example.com"] and shown["usernames"] == ["janed"]


def test_the_loader_uses_the_cli_validation(monkeypatch, capsys, home):
    """One copy of each rule: the loader goes through build_profile, as `profile add` does."""
    add(capsys, "jane", "Jane Doe")
    seen: list[str] = []
    real = profile_mod.build_profile

    def spy(profile_id: str, **fields: object):
        seen.append(profile_id)
        return real(profile_id, **fields)

    monkeypatch.setattr(profile_mod, "build_profile", spy)
    assert run(capsys, "profile", "show", "jane")[0] == 0
    assert seen == ["jane"]


def test_scan_guardian_names_a_broken_profile_file_instead_of_skipping_it(capsys, home):
    """A broken file may be one of the children: the parent is told, and the exit is 2."""
    add(capsys, "robin", "Robin Example")
    for pid, name in (("sam", "Sam Example"), ("alex", "Alex Example")):
        status, _, err = run(capsys, "profile", "add", pid, "--name", name, "--guardian", "robin")
        assert status == 0, err
    broken = home / "profiles" / "alex.json"
    broken.write_text('{"id": "alex", "guardian": "robin", "names": ')
    status, out, err = run(capsys, "scan", "--guardian", "robin", "--dry-run", "--format", "json")
    assert status == 2  # sam was planned cleanly, but a file that may be a child is broken
    assert [json.loads(line)["profile"] for line in out.splitlines()] == ["sam"]
    assert [line for line in err.splitlines() if "alex.json" in line]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize(
    "command", [["guardian", "report", "robin"], ["report", "--guardian", "robin"]]
)
def test_the_guardian_report_says_a_broken_profile_file_may_be_a_left_out_child(
    capsys, home, fmt, command
):
    add(capsys, "robin", "Robin Example")
    for pid, name in (("sam", "Sam Example"), ("alex", "Alex Example")):
        status, _, err = run(capsys, "profile", "add", pid, "--name", name, "--guardian", "robin")
        assert status == 0, err
    (home / "profiles" / "alex.json").write_text('{"id": "alex", "guardian": "robin", "names": ')
    status, out, err = run(capsys, *command, "--format", fmt)
    assert status == 2  # the report is written, but it may leave a child out
    assert "Sam Example" in out
    assert "may be a child in your care" in out and "alex.json" in out
    assert [line for line in err.splitlines() if "alex.json" in line]


def test_profile_remove_says_an_unreadable_file_may_name_it_as_guardian(capsys, home):
    add(capsys, "robin", "Robin Example")
    status, _, err = run(capsys, "profile", "add", "sam", "--name", "Sam Ex", "--guardian", "robin")
    assert status == 0, err
    (home / "profiles" / "alex.json").write_text('{"id": "alex", "guardian": "robin", "names": ')
    status, out, _ = run(capsys, "profile", "remove", "robin")
    assert status == 0
    assert "'sam' still names 'robin'" in out
    assert [
        line for line in out.splitlines() if "could not be read" in line and "alex.json" in line
    ]
