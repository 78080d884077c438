"""`exposure forget`: after it, no file under the home holds the person, plain or locked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from lockkit import ROBIN, demo_home, files_holding, run

from exposure.engine import forget, vault

PASS = "correct horse battery"
SAM = (b"Sam Example",)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.Scrypt(n=2**10))


def _plain_view(home: Path) -> dict[str, bytes]:
    """Every file's bytes as the tool would read them: sealed files opened, the database dumped."""
    from exposure.engine import database

    out: dict[str, bytes] = {}
    for path in sorted(p for p in home.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = str(path.relative_to(home))
        if path.name == "exposure.db":
            db = database.connect(path, timeout=5)
            try:
                tables = [
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                ]
                rows = [repr(tuple(r)) for t in tables for r in db.execute(f'SELECT * FROM "{t}"')]
                out[rel + " (rows)"] = "\n".join(rows).encode("utf-8")
            finally:
                db.close()
        raw = path.read_bytes()
        out[rel] = vault.read_blob(path, home=home) if vault.is_sealed(raw[:16]) else raw
    return out


def _holding(view: dict[str, bytes], needles: tuple[bytes, ...]) -> list[str]:
    return sorted(name for name, body in view.items() if forget.mentions(body, needles))


@pytest.mark.parametrize("locked", [False, True], ids=["plain", "locked"])
def test_forget_leaves_nothing_about_the_person(
    exposure_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locked: bool
) -> None:
    tab = tmp_path / "crontab"
    tab.write_text("MAILTO=me@example.org\n5 4 * * * /usr/bin/backup # not ours\n")
    with demo_home(exposure_home):
        for target in (["--profile", "robin"], ["--guardian", "robin"], ["--profile", "sam"]):
            code, _, err = run(
                "schedule", "install", *target, "--every", "weekly", "--tabfile", str(tab)
            )
            assert code == 0, err
        what = "Robin Example saw the car again"
        code, _, err = run(
            "incident", "add", "--profile", "robin", "--what", what, "--when", "2026-01-02 10:00"
        )
        assert code == 0, err
        if locked:
            assert run("lock", "init", stdin=PASS + "\n")[0] == 0
            monkeypatch.setenv("EXPOSURE_PASSPHRASE", PASS)
        assert _holding(_plain_view(exposure_home), ROBIN), "the demo should leave Robin's data"

        code, out, err = run("forget", "robin", "--tabfile", str(tab))
        assert code == 0, err
        assert "forgot profile 'robin'" in out
        assert "report-robin.html" in out
        assert "exposure:robin" not in tab.read_text()
        assert "exposure:guardian:robin" not in tab.read_text()
        assert "exposure:sam" in tab.read_text() and "not ours" in tab.read_text()
        # Sam is still there, with his findings (some name Robin as a relative: they are his).
        code, out, err = run("findings", "--profile", "sam", "--format", "json")
        assert code == 0 and '"sam"' in out, err
        code, _, err = run("findings", "--profile", "robin")
        assert code == 2 and err.count("\n") == 1

        code, out, err = run("profile", "remove", "sam", "--purge", "--tabfile", str(tab))
        assert code == 0, err
        assert "forgot profile 'sam'" in out
        assert "exposure:" not in tab.read_text() and "not ours" in tab.read_text()
        people = ROBIN + SAM
        assert files_holding(exposure_home, people) == {}
        assert _holding(_plain_view(exposure_home), people) == []
        assert not [p for p in exposure_home.glob("locks/*") if p.stem in ("robin", "sam")]


def test_forget_unknown_profile_is_one_line_and_creates_nothing(exposure_home: Path) -> None:
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    before = sorted(p for p in exposure_home.rglob("*"))
    code, out, err = run("forget", "bob")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "unknown profile 'bob'" in err
    assert sorted(p for p in exposure_home.rglob("*")) == before
    code, _, err = run("forget")
    assert code == 2 and err.count("\n") == 1


def test_interrupted_forget_finishes_when_run_again(
    exposure_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_home(exposure_home):

        def killed(store: object) -> None:
            raise KeyboardInterrupt

        with monkeypatch.context() as m:
            m.setattr(forget, "compact", killed)
            code, _, _ = run("forget", "robin")
        assert code == 130
        assert (exposure_home / "profiles" / "robin.json").exists()  # still there to finish
        code, out, err = run("forget", "robin")
        assert code == 0, err
        code, out, err = run("forget", "sam")
        assert code == 0, err
        assert files_holding(exposure_home, ROBIN + SAM) == {}


def test_forget_after_profile_remove_still_clears_the_database(exposure_home: Path) -> None:
    with demo_home(exposure_home):
        assert run("profile", "remove", "sam")[0] == 0
        code, out, err = run("forget", "sam")
        assert code == 0, err
        assert "could not be recognised" in err
        db = sqlite3.connect(exposure_home / "exposure.db")
        assert db.execute("SELECT count(*) FROM scans WHERE profile = 'sam'").fetchone()[0] == 0
        db.close()
        code, _, err = run("forget", "sam")
        assert code == 2 and "unknown profile" in err


def test_forget_during_a_scan_is_one_line(exposure_home: Path) -> None:
    from exposure import paths
    from exposure.engine.locking import scan_lock

    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    with scan_lock(paths.current().locks_dir, "alice"):
        code, _, err = run("forget", "alice")
    assert code == 2 and err.count("\n") == 1 and "being scanned" in err
    assert (exposure_home / "profiles" / "alice.json").exists()


def test_forget_all_needs_the_typed_confirmation(exposure_home: Path, tmp_path: Path) -> None:
    tab = tmp_path / "crontab"
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    assert (
        run("schedule", "install", "--profile", "alice", "--every", "daily", "--tabfile", str(tab))[
            0
        ]
        == 0
    )
    for answer in ("", "yes\n", "forget\n"):
        code, _, err = run("forget", "--all", "--tabfile", str(tab), stdin=answer)
        assert code == 2 and err.count("\n") == 1 and "nothing removed" in err
        assert (exposure_home / "profiles" / "alice.json").exists()
    code, out, err = run("forget", "--all", "--tabfile", str(tab), stdin="forget everything\n")
    assert code == 0, err
    assert not exposure_home.exists()
    assert "exposure:" not in tab.read_text()
    code, out, _ = run("forget", "--all", "--yes")
    assert code == 0 and "nothing to forget" in out


def test_forget_all_with_yes_and_a_folder_that_is_not_a_home(
    exposure_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    (exposure_home / "report.html").write_text("Alice Zwiebel")
    code, _, err = run("forget", "--all", "--yes")
    assert code == 0, err
    assert not exposure_home.exists()

    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"meow")
    monkeypatch.setenv("EXPOSURE_HOME", str(other))
    code, _, err = run("forget", "--all", "--yes")
    assert code == 2 and "does not look like an exposure home" in err
    assert (other / "cat.jpg").exists()


def test_compact_clears_freed_pages_and_the_write_ahead_log(tmp_path: Path) -> None:
    class Held:
        def __init__(self, path: Path) -> None:
            self.db = sqlite3.connect(path, isolation_level=None)

    path = tmp_path / "exposure.db"
    held = Held(path)
    held.db.execute("PRAGMA journal_mode=WAL")
    held.db.execute("PRAGMA secure_delete = OFF")  # as SQLite builds without it do
    held.db.execute("CREATE TABLE t (v TEXT)")
    held.db.execute("CREATE TABLE keep (v TEXT)")
    held.db.execute("INSERT INTO keep VALUES ('other person')")
    for i in range(200):
        held.db.execute("INSERT INTO t VALUES (?)", (f"Alice Zwiebel {i} " + "x" * 200,))
    held.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    held.db.execute("DELETE FROM t")

    def raw() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.glob("exposure.db*"))

    assert b"Alice Zwiebel" in raw()  # freed pages and the log still hold her
    forget.compact(held)
    assert b"Alice Zwiebel" not in raw()
    assert held.db.execute("SELECT v FROM keep").fetchone() == ("other person",)
    held.db.close()
