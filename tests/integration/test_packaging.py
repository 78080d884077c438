"""The package ships its data and registers its built-in checkers through entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import exposure
from exposure import paths


def test_bundled_catalogue_is_reachable() -> None:
    sites = paths.bundled_data() / "sites.json"
    assert sites.is_file()
    assert len(json.loads(sites.read_text())["sites"]) >= 150
    package = Path(exposure.__file__).resolve().parent
    if "site-packages" in str(package):  # a real (non-editable) install: data is inside
        assert paths.bundled_data() == package / "data"


def test_builtin_checkers_use_the_entry_point_group() -> None:
    names = {ep.name for ep in entry_points(group="exposure.checkers")}
    assert "sites" in names


def test_help_is_plain_text_without_a_terminal() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "exposure.cli"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=True,
    ).stdout
    assert out.startswith("usage: exposure")
