"""paths.data_files: the one walk of the data folder that forget and lock share."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from exposure.paths import Paths, data_files


def home(tmp_path: Path) -> Paths:
    where = Paths(tmp_path / "config", tmp_path / "data", tmp_path / "data" / "deep" / "cache")
    files = [
        "exposure.db",
        "exposure.db-wal",
        "config.toml",
        "report.html",
        "profiles/jane.toml",
        "deep/notes.txt",
        "deep/cache/sites.json",
        "deep/config.toml",
        "deep/profiles/kept.txt",
    ]
    for name in files:
        path = where.data_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    return where


def names(where: Paths, **skip: Any) -> set[str]:
    return {p.relative_to(where.data_dir).as_posix() for p in data_files(where, **skip)}


def test_every_regular_file_without_skips(tmp_path: Path) -> None:
    where = home(tmp_path)
    assert len(names(where)) == 9


def test_skips_apply_at_the_top_and_the_tree_anywhere(tmp_path: Path) -> None:
    where = home(tmp_path)
    database = {p.name for p in where.database_files}
    got = names(
        where,
        skip_dirs={"profiles"},
        skip_files={"config.toml", *database},
        skip_tree=where.cache_dir,
    )
    # "profiles" and "config.toml" are skipped at the top only; the cache wherever it is
    assert got == {"report.html", "deep/notes.txt", "deep/config.toml", "deep/profiles/kept.txt"}


def test_symbolic_links_are_not_listed_or_followed(tmp_path: Path) -> None:
    where = home(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    try:
        os.symlink(outside, where.data_dir / "linked")
        os.symlink(outside / "secret.txt", where.data_dir / "link.txt")
    except OSError:
        pytest.skip("no symbolic links here")
    assert not any("secret" in n or n.startswith("link") for n in names(where))


def test_no_data_folder_no_files(tmp_path: Path) -> None:
    where = Paths(tmp_path / "c", tmp_path / "missing", tmp_path / "cache")
    assert list(data_files(where)) == []


def test_database_files_are_the_database_and_its_sqlite_side_files(tmp_path: Path) -> None:
    where = Paths(tmp_path, tmp_path / "data", tmp_path / "cache")
    assert [p.name for p in where.database_files] == [
        "exposure.db",
        "exposure.db-wal",
        "exposure.db-shm",
        "exposure.db-journal",
    ]
