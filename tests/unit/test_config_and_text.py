from __future__ import annotations

from pathlib import Path

import pytest

from exposure import config, paths
from exposure.cli.render import findings_csv, findings_table
from exposure.model import Finding, FindingKind
from exposure.textsafe import clean


def test_defaults_without_a_file(tmp_path: Path) -> None:
    cfg = config.load(tmp_path / "missing.toml")
    assert cfg.default_region == "US"
    assert cfg.http.max_bytes == 5 * 1024 * 1024
    assert cfg.http.user_agent.startswith("exposure/")


def test_values_are_read_and_typed(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text(
        'default_region = "GB"\nconfidence_threshold = 0.8\n'
        '[http]\ntimeout = 3\nproxy = "socks5h://127.0.0.1:9050"\n'
        "[checkers.sites]\nrespect_robots = false\n"
    )
    cfg = config.load(file)
    assert cfg.default_region == "GB" and cfg.confidence_threshold == 0.8
    assert cfg.http.timeout == 3.0 and isinstance(cfg.http.timeout, float)
    assert cfg.checker("sites") == {"respect_robots": False}
    assert cfg.checker("other") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'red'\n", "unknown key 'colour'"),
        ("[http]\ntimeout = 'fast'\n", "'timeout' has the wrong type"),
        ("[http]\nretries = true\n", "'retries' has the wrong type"),
        ("disabled = 'sites'\n", "'disabled' has the wrong type"),
        ("confidence_threshold = 3\n", "between 0 and 1"),
        ("this is = = not toml", "config.toml"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "config.toml"
    file.write_text(text)
    with pytest.raises(config.ConfigError, match=message.replace("(", r"\(")) as info:
        config.load(file)
    assert str(file) in str(info.value) and "\n" not in str(info.value)


def test_env_proxy_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPOSURE_PROXY", "http://127.0.0.1:3128")
    assert config.load(tmp_path / "none.toml").http.proxy == "http://127.0.0.1:3128"


def test_paths_follow_exposure_home(exposure_home: Path) -> None:
    where = paths.current()
    assert where.database == exposure_home.resolve() / "exposure.db"
    assert where.config_file.parent == exposure_home.resolve()


def test_write_private_is_atomic_and_0600(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.json"
    paths.write_private(target, "{}")
    assert target.read_text() == "{}"
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("title\x1b]0;pwned\x07", "title"),
        ("bell\x07 and null\x00", "bell and null"),
        ("line\nbreak\r", "line break"),
        ("rtl\u202eevil", "rtlevil"),
        ("c1\x9bcontrol", "c1control"),
    ],
)
def test_clean_removes_terminal_controls(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_clean_limits_length() -> None:
    assert clean("x" * 50, limit=10) == "x" * 9 + "…"


def hostile_finding() -> Finding:
    return Finding(
        checker="sites",
        source="Evil\x1b[2J",
        kind=FindingKind.ACCOUNT,
        key="k",
        url='=HYPERLINK("http://bad")',
        confidence=0.7,
        reasons=["\x1b]52;c;Zm9v\x07why"],
        id="abc",
    )


def test_tables_and_csv_escape_scraped_text() -> None:
    shown = findings_table([hostile_finding()])
    assert "\x1b" not in shown and "Evil" in shown
    csv_text = findings_csv("jane", [hostile_finding()])
    assert "\x1b" not in csv_text
    assert "'=HYPERLINK" in csv_text  # a formula is neutralised for spreadsheets


def test_private_dir_makes_missing_parents_private_too(tmp_path: Path) -> None:
    deep = tmp_path / "one" / "two" / "three"
    paths.private_dir(deep)
    for folder in (tmp_path / "one", tmp_path / "one" / "two", deep):
        assert folder.stat().st_mode & 0o777 == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    paths.private_dir(loose)
    assert loose.stat().st_mode & 0o777 == 0o700
