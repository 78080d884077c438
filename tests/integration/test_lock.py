"""`exposure lock`: a locked home holds nothing readable, and everything still works."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lockkit import ROBIN, demo_home, files_holding, run

from exposure.engine import vault

PASS = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.Scrypt(n=2**10))


def test_locked_home_has_no_plain_personal_data_and_still_works(
    exposure_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with demo_home(exposure_home) as demo:
        assert files_holding(exposure_home, ROBIN), "the demo scan should leave Robin's data"
        code, out, err = run("lock", "init", stdin=PASS + "\n")
        assert code == 0, err
        assert "locked" in out
        assert files_holding(exposure_home, ROBIN) == {}
        assert not list(exposure_home.glob("exposure.db-*"))  # no plain WAL left behind

        # A new process with no key and nothing on stdin: one line, nothing changed.
        vault.forget_keys()
        before = {p: p.read_bytes() for p in exposure_home.rglob("*") if p.is_file()}
        code, out, err = run("findings", "--profile", "robin", stdin="")
        assert code == 2
        assert err.count("\n") == 1 and "EXPOSURE_PASSPHRASE" in err
        after = {p: p.read_bytes() for p in exposure_home.rglob("*") if p.is_file()}
        assert before == after

        # With the passphrase: rescan, findings, report, evidence export and verify.
        monkeypatch.setenv("EXPOSURE_PASSPHRASE", PASS)
        code, _, err = run("scan", "--profile", "robin", "--quiet", *demo.scan_args)
        assert code in (0, 3), err
        code, out, err = run("findings", "--profile", "robin", "--format", "json")
        assert code == 0, err
        assert "robin" in out
        report = tmp_path / "report.md"
        code, _, err = run(
            "report", "--profile", "robin", "--format", "md", "--output", str(report)
        )
        assert code == 0, err
        assert "Robin" in report.read_text()
        pack = tmp_path / "pack.zip"
        code, _, err = run("evidence", "export", "--profile", "robin", "--output", str(pack))
        assert code == 0, err
        with zipfile.ZipFile(pack) as z:
            assert len(z.namelist()) > 2
        code, out, err = run("evidence", "verify", str(pack))
        assert code == 0, out + err
        code, out, err = run("checklist", "--profile", "robin")
        assert code == 0, err
        # What the rescan wrote is sealed too.
        assert files_holding(exposure_home, ROBIN) == {}


def test_wrong_passphrase_is_one_line_and_touches_nothing(
    exposure_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    vault.forget_keys()
    before = {p: p.read_bytes() for p in exposure_home.rglob("*") if p.is_file()}
    for argv, stdin in (
        (("profile", "show", "alice"), "nope\n"),
        (("lock", "change"), "nope\nnew one\n"),
        (("unlock",), "nope\n"),
    ):
        code, out, err = run(*argv, stdin=stdin)
        assert code == 2, (argv, err)
        assert err.strip() == "exposure: error: wrong passphrase; nothing was changed"
    after = {p: p.read_bytes() for p in exposure_home.rglob("*") if p.is_file()}
    assert before == after


def test_lock_change_then_only_the_new_passphrase_opens(exposure_home: Path) -> None:
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    vault.forget_keys()
    code, out, err = run("lock", "change", stdin=f"{PASS}\nsecond passphrase\n")
    assert code == 0, err
    vault.forget_keys()
    assert run("profile", "show", "alice", stdin=PASS + "\n")[0] == 2
    vault.forget_keys()
    code, out, _ = run("profile", "show", "alice", stdin="second passphrase\n")
    assert code == 0 and "Alice Zwiebel" in out


def test_unlock_session_then_lock(exposure_home: Path) -> None:
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    vault.forget_keys()
    code, out, err = run("unlock", "--minutes", "5", stdin=PASS + "\n")
    assert code == 0, err
    vault.forget_keys()
    assert run("profile", "show", "alice")[0] == 0  # the session opens it, no prompt
    code, out, _ = run("lock")
    assert code == 0 and "session key is gone" in out
    vault.forget_keys()
    code, _, err = run("profile", "show", "alice", stdin="")
    assert code == 2 and "standard input" in err


def test_lock_init_twice_and_lock_on_an_unlocked_home(exposure_home: Path) -> None:
    code, _, err = run("lock")
    assert code == 2 and "not locked" in err
    assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    code, _, err = run("lock", "init", stdin=PASS + "\n")
    assert code == 2 and "already locked" in err


def test_interrupted_lock_init_is_finished_by_running_it_again(exposure_home: Path) -> None:
    with demo_home(exposure_home):
        from exposure import paths
        from exposure.engine import lockdown

        where = paths.current()
        # As if `lock init` died right after writing the lock file.
        key = vault.new_data_key()
        lock = vault.LockFile.create(PASS, key.data_key)
        (exposure_home / vault.LOCK_FILE).write_text(lock.to_json())
        assert lockdown.plain_leftovers(where)
        vault.forget_keys()
        code, out, err = run("lock", "init", stdin=PASS + "\n")
        assert code == 0, err
        assert "finished locking" in out
        assert files_holding(exposure_home, ROBIN) == {}
        assert run("findings", "--profile", "robin")[0] == 0


def test_damaged_locked_files_give_one_line(exposure_home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with demo_home(exposure_home):
        assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    monkeypatch.setenv("EXPOSURE_PASSPHRASE", PASS)
    profile = exposure_home / "profiles" / "robin.json"
    profile.write_bytes(profile.read_bytes()[:40])  # truncated
    code, _, err = run("profile", "show", "robin")
    assert code == 1 and err.count("\n") == 1 and "truncated or damaged" in err
    db = exposure_home / "exposure.db"
    body = bytearray(db.read_bytes())
    body[100:200] = bytes(100)  # inside page 1, which every open reads
    db.write_bytes(bytes(body))
    code, _, err = run("findings", "--profile", "sam")
    assert code == 1 and err.count("\n") == 1 and "database" in err
    assert db.read_bytes() == bytes(body)  # left as it was


def test_passphrase_from_a_pipe_in_a_real_process(exposure_home: Path) -> None:
    env = dict(os.environ)
    run("profile", "add", "alice", "--name", "Alice Zwiebel")
    proc = subprocess.run(
        [sys.executable, "-m", "exposure.cli", "lock", "init"],
        input=PASS + "\n", capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert b"Zwiebel" not in (exposure_home / "profiles" / "alice.json").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "exposure.cli", "profile", "show", "alice"],
        input=PASS + "\n", capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0 and "Alice Zwiebel" in proc.stdout
