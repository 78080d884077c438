"""Checkers come from the entry-point group; a broken one is reported and skipped."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from exposure.checkers import base
from exposure.checkers.sites import SitesChecker
from exposure.cli import main

BUILT_IN = {"sites", "brokers", "hibp", "gravatar", "pgp", "github", "search", "rdap"}


def fake_entry_points(*extra: EntryPoint):  # type: ignore[no-untyped-def]
    real = list(base.entry_points(group=base.ENTRY_POINT_GROUP))

    def entry_points(group: str):  # type: ignore[no-untyped-def]
        assert group == base.ENTRY_POINT_GROUP
        return [*real, *extra]

    return entry_points


def test_every_built_in_checker_loads() -> None:
    registry = base.load_registry()
    assert set(registry.checkers) >= BUILT_IN
    assert registry.broken == {}
    for cls in registry.checkers.values():
        assert cls.id and cls.title and cls.description


def test_a_broken_plugin_is_skipped_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = EntryPoint("ghost", "exposure_no_such_module:Ghost", base.ENTRY_POINT_GROUP)
    wrong = EntryPoint("notachecker", "pathlib:Path", base.ENTRY_POINT_GROUP)
    monkeypatch.setattr(base, "entry_points", fake_entry_points(missing, wrong))
    registry = base.load_registry()
    assert "ModuleNotFoundError" in registry.broken["ghost"]
    assert "not a Checker" in registry.broken["notachecker"]
    assert "sites" in registry.checkers  # the others still load


def test_select_honours_only_and_disabled() -> None:
    registry = base.load_registry()
    assert [c.id for c in registry.select(["sites"])] == ["sites"]
    assert "sites" not in [c.id for c in registry.select(None, disabled=["sites"])]
    with pytest.raises(KeyError):
        registry.select(["nosuch"])
    assert isinstance(registry.select(["sites"])[0], SitesChecker)


def test_scan_names_a_broken_checker_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], exposure_home: Path
) -> None:
    missing = EntryPoint("ghost", "exposure_no_such_module:Ghost", base.ENTRY_POINT_GROUP)
    monkeypatch.setattr(base, "entry_points", fake_entry_points(missing))
    assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "jd"]) == 0
    capsys.readouterr()
    assert main(["scan", "--profile", "jane", "--only", "ghost"]) == 2
    assert "ghost cannot load" in capsys.readouterr().err


def test_only_the_chosen_checkers_are_imported() -> None:
    code = (
        "import sys\n"
        "from exposure.checkers.base import load_registry\n"
        "r = load_registry(['sites'])\n"
        "print(sorted(r.checkers), 'exposure.checkers.brokers' in sys.modules,"
        " 'exposure.people.matching' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['sites'] False False"


def test_a_noisy_checker_never_runs_unless_named() -> None:
    class Quiet(SitesChecker):
        id = "quiet"

    class Noisy(SitesChecker):
        id = "resetprobe"
        noisy = True

    registry = base.Registry(checkers={"quiet": Quiet, "resetprobe": Noisy}, broken={})
    assert [c.id for c in registry.select(None)] == ["quiet"]
    assert [c.id for c in registry.select(None, disabled=["quiet"])] == []
    assert [c.id for c in registry.select(["resetprobe"])] == ["resetprobe"]
    assert [c.id for c in registry.select(["quiet", "resetprobe"])] == ["quiet", "resetprobe"]


def test_every_built_in_checker_is_passive() -> None:
    registry = base.load_registry()
    assert not [cid for cid, cls in registry.checkers.items() if cls.noisy]
