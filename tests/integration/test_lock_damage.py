"""A locked home with a wrong key, a truncated sealed file or a damaged database:
one line, never a traceback, and nothing is overwritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lockkit import demo_home, run

from exposure.engine import vault

PASS = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.Scrypt(n=2**10))


def _bytes(home: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}


def _one_line(code: int, err: str) -> None:
    assert code in (1, 2), err
    assert err.count("\n") == 1 and "Traceback" not in err, err


def test_wrong_key_damaged_files_one_line_nothing_overwritten(
    exposure_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with demo_home(exposure_home):
        assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    # Another home locked with the same passphrase: its lock file opens, its key is wrong here.
    other = tmp_path / "other"
    monkeypatch.setenv("EXPOSURE_HOME", str(other))
    assert run("profile", "add", "zed", "--name", "Zed Other")[0] == 0
    assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    monkeypatch.setenv("EXPOSURE_HOME", str(exposure_home))
    monkeypatch.setenv("EXPOSURE_PASSPHRASE", PASS)
    vault.forget_keys()
    own_lock = (exposure_home / vault.LOCK_FILE).read_bytes()
    shutil.copy(other / vault.LOCK_FILE, exposure_home / vault.LOCK_FILE)
    before = _bytes(exposure_home)
    for argv in (
        ["findings"],
        ["findings", "--profile", "robin"],
        ["profile", "show", "robin"],
        ["checklist", "--profile", "robin"],
        ["report", "--profile", "robin", "--format", "md"],
        ["scan", "--profile", "robin", "--dry-run"],
        ["incident", "list", "--profile", "robin"],
        ["forget", "robin"],
        ["tui"],
    ):
        vault.forget_keys()
        code, _, err = run(*argv)
        _one_line(code, err)
    vault.forget_keys()
    code, _, err = run("findings")
    assert "cannot be read with this home's key" in err
    assert _bytes(exposure_home) == before  # nothing overwritten, nothing added

    # The right lock file back; then a truncated profile and a truncated capture.
    (exposure_home / vault.LOCK_FILE).write_bytes(own_lock)
    vault.forget_keys()
    assert run("findings", "--profile", "robin")[0] == 0
    sam = exposure_home / "profiles" / "sam.json"
    sam.write_bytes(sam.read_bytes()[:30])
    capture = next(p for p in (exposure_home / "evidence").rglob("*") if p.is_file())
    capture.write_bytes(capture.read_bytes()[:20])
    before = _bytes(exposure_home)
    code, _, err = run("profile", "show", "sam")
    _one_line(code, err)
    assert "truncated or damaged" in err
    code, out, err = run("profile", "list")
    _one_line(code, err)
    pack = tmp_path / "pack.zip"
    code, out, err = run("evidence", "export", "--profile", "robin", "--output", str(pack))
    assert "Traceback" not in err
    from exposure.tui.app import ExposureApp

    app = ExposureApp()
    good, broken = app.load_profiles()  # the TUI lists it as unreadable instead of crashing
    assert [p.id for p in good] == ["robin"] and "truncated or damaged" in broken["sam"]
    app.store.close()
    assert _bytes(exposure_home) == before
