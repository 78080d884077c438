"""Every config mistake is exit 2 with one line naming the file, the key and the closest name."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import paths
from exposure.cli import main


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'private_fields = ["phnoe"]',
            "private_fields: unknown field 'phnoe' (did you mean 'phone'?)",
        ),
        ("privte_fields = []", "unknown key 'privte_fields' (did you mean 'private_fields'?)"),
        ('disabled = ["sitse"]', "disabled: unknown checker 'sitse' (did you mean 'sites'?)"),
        (
            "[checkers.gravatr]\nbase_url = ''",
            "checkers: unknown checker 'gravatr' (did you mean 'gravatar'?)",
        ),
        (
            "[checkers.sites]\nrespect_robot = false",
            "unknown key 'respect_robot' (did you mean 'respect_robots'?)",
        ),
        ("[http]\ntimeot = 3", "unknown key 'http.timeot' (did you mean 'http.timeout'?)"),
        ("[http]\ntimeout = -1", "http.timeout: expected `float` > 0.0"),
        ("[http]\nper_host_concurrency = 0", "http.per_host_concurrency: expected `int` >= 1"),
        ('[http]\nproxy = "ftp://x"', "http.proxy: expected a proxy URL"),
        ("confidence_threshold = 2", "confidence_threshold: must be between 0 and 1"),
        (
            "concurrency = true",
            "concurrency: 'concurrency' has the wrong type (expected `int`, got `bool`)",
        ),
        ('default_region = "Britain"', "default_region: expected a two-letter country code"),
        (
            '[checkers.hibp]\nbase_url = "file:///etc/passwd"',
            "[checkers.hibp]: base_url: expected an http(s) URL",
        ),
        (
            "[checkers.search]\nmax_queries = 0",
            "[checkers.search]: max_queries: expected `int` >= 1",
        ),
        ("a = " + "[" * 2000 + "]" * 2000, "not valid TOML"),
    ],
)
def test_each_mistake_exits_2_naming_the_file_and_key(
    exposure_home: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    config = paths.current().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text + "\n", encoding="utf-8")
    assert main(["findings", "--format", "json"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(config) in err and expected in err


def test_a_valid_config_with_checker_options_loads(exposure_home: Path) -> None:
    from exposure.config import load

    config_file = paths.current().config_file
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(
        'private_fields = ["phone", "address"]\ndisabled = ["search"]\n'
        "[http]\ntimeout = 3\n"
        "[checkers.sites]\nrespect_robots = false\nvariants_cap = 3\n"
        '[checkers.pwned_passwords]\nbase_url = "http://127.0.0.1:9/range"\n',
        encoding="utf-8",
    )
    config = load(config_file)
    assert config.http.timeout == 3.0 and config.private_fields == ["phone", "address"]
    assert config.checker("sites") == {"respect_robots": False, "variants_cap": 3}
