"""`exposure locate --footprint`: every file the tool wrote, its cron entries and caches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lockkit import run

from exposure.engine import vault


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.Scrypt(n=2**10))


def _footprint(*extra: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run("locate", "--footprint", "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_footprint_lists_every_file_cron_entry_and_cache(
    exposure_home: Path, tmp_path: Path
) -> None:
    tab = tmp_path / "crontab"
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    code, _, err = run("schedule", "install", "--profile", "alice", "--every", "weekly",
                       "--tabfile", str(tab))  # fmt: skip
    assert code == 0, err
    (exposure_home / "cache").mkdir(exist_ok=True)
    (exposure_home / "cache" / "robots.json").write_text("{}")
    (exposure_home / "report-alice.html").write_text("<p>report</p>")
    code, _, err = run("findings", "--profile", "alice")  # creates the database
    assert code == 0, err

    doc = _footprint("--tabfile", str(tab))
    items = doc["items"]
    listed = {Path(i["where"]) for i in items if i["where"].startswith("/")}
    for path in exposure_home.rglob("*"):
        if path.is_file():
            assert path in listed or any(path.is_relative_to(p) for p in listed), path
    by_path = {i["where"]: i for i in items}
    report = exposure_home / "report-alice.html"
    assert by_path[str(report)]["size"] == report.stat().st_size
    assert by_path[str(exposure_home / "cache" / "robots.json")]["kind"] == "cache"
    assert by_path[str(exposure_home / "exposure.db")]["kind"] == "database"
    assert by_path[str(exposure_home / "profiles")]["files"] == 1
    cron = [i for i in items if i["kind"] == "cron entry"]
    assert len(cron) == 1 and "exposure:alice" in cron[0]["where"]
    assert doc["total_bytes"] == sum(i["size"] or 0 for i in items)

    code, out, err = run("locate", "--footprint", "--tabfile", str(tab))
    assert code == 0, err
    assert "report-alice.html" in out and "cron entry" in out and "in all" in out


def test_footprint_of_a_locked_home_with_a_session(
    exposure_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert run("profile", "add", "alice", "--name", "Alice Zwiebel")[0] == 0
    assert run("findings", "--profile", "alice")[0] == 0  # the database
    assert run("lock", "init", stdin="pass phrase one\n")[0] == 0
    vault.forget_keys()
    items = _footprint()["items"]
    kinds = {i["kind"] for i in items}
    assert any(k.startswith("lock") for k in kinds)
    assert "case-file exports" in kinds  # locked, no key: said, not asked
    assert not any("session" in k for k in kinds)
    assert run("unlock", stdin="pass phrase one\n")[0] == 0
    vault.forget_keys()
    kinds = {i["kind"] for i in _footprint()["items"]}
    assert "unlocked session key (RAM)" in kinds


def test_footprint_of_an_empty_home_says_nothing_was_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EXPOSURE_HOME", str(tmp_path / "none"))
    code, out, _ = run("locate", "--footprint")
    assert code == 0 and out.startswith("nothing")
    assert not (tmp_path / "none").exists()
