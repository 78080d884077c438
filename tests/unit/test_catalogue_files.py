"""One loader for catalogue files (catalogues/files.py): the same file, the same one line."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from exposure.catalogues import accounts, brokers, disabled, files, sites
from exposure.catalogues.accounts import AccountsDataError, parse_accounts
from exposure.errors import CheckerInputError

DEEP = "[" * 100_000


def test_deep_nesting_is_one_line_for_every_catalogue(tmp_path: Path) -> None:
    with pytest.raises(CheckerInputError, match="x: not valid JSON \\(nested too deeply\\)"):
        sites.parse_catalogue(DEEP, "x")
    # JustDeleteMe data went to json.loads on its own and let the RecursionError out
    with pytest.raises(AccountsDataError, match="x: not valid JSON \\(nested too deeply\\)"):
        parse_accounts(DEEP, "x")
    with pytest.raises(CheckerInputError, match="x: not valid JSON \\(nested too deeply\\)"):
        brokers.parse_brokers(DEEP, "x", fmt="json")


def test_a_damaged_cache_or_list_is_logged_and_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP)
    with caplog.at_level(logging.WARNING):
        assert accounts.load_accounts(deep) is None
        assert disabled.load_disabled(deep) == set()
    assert sum("nested too deeply" in r.getMessage() for r in caplog.records) == 2
    assert accounts.load_accounts(tmp_path / "absent.json") is None  # no cache yet: quiet
    assert disabled.load_disabled(tmp_path / "absent.json") == set()


def test_every_catalogue_is_size_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(files, "MAX_CATALOGUE_BYTES", 10)
    big = tmp_path / "big.json"
    big.write_text('{"sites": []}' + " " * 100)
    with pytest.raises(CheckerInputError, match="big.json: too big for a site catalogue"):
        sites.load_catalogue(big)
    with pytest.raises(CheckerInputError, match="big.json: too big for a brokers catalogue"):
        brokers.load_brokers(big)
    with caplog.at_level(logging.WARNING):
        assert accounts.load_accounts(big) is None
    assert any("too big for JustDeleteMe data" in r.getMessage() for r in caplog.records)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(files.CatalogueMissing, match="nope.json: no such file"):
        sites.load_catalogue(tmp_path / "nope.json")
    with pytest.raises(CheckerInputError, match="cannot read it"):
        sites.load_catalogue(tmp_path)  # a folder
