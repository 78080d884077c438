"""CLI conventions: --version/-V, exit statuses in scan --help, did-you-mean, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.demo.flow import own_command

EXPOSURE = Path(sys.executable).with_name("exposure")


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith("exposure ") and out.strip() != "exposure"


def test_scan_help_lists_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["scan", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for status in ("0 ", "1 ", "2 ", "3 ", "130"):
        assert f"\n  {status}" in out, status
    assert "min_coverage" in out and "even with --quiet or --new-only" in out


@pytest.mark.parametrize(
    ("typed", "meant"), [("scna", "scan"), ("finding", "findings"), ("chcklist", "checklist")]
)
def test_a_mistyped_command_gets_a_suggestion(
    typed: str, meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([typed, "--profile", "jane"]) == 2
    err = capsys.readouterr().err
    assert err == f"exposure: error: unknown command '{typed}'; did you mean '{meant}'?\n"


def test_a_command_like_nothing_points_to_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["\x1b[31mzzzzzz"]) == 2
    err = capsys.readouterr().err
    assert "unknown command" in err and "exposure --help" in err and "\x1b" not in err


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "exposure" in script and "_ARGCOMPLETE" in script


def test_completion_completes_commands_and_profile_names(
    exposure_home: Path, tmp_path: Path
) -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    assert main(["profile", "add", "jim", "--name", "Jim Doe"]) == 0

    def complete(line: str) -> list[str]:
        answer = tmp_path / "completions"
        env = dict(
            os.environ,
            _ARGCOMPLETE="1",
            _ARGCOMPLETE_IFS="\n",
            _ARGCOMPLETE_STDOUT_FILENAME=str(answer),  # what the shell would read
            COMP_LINE=line,
            COMP_POINT=str(len(line)),
        )
        subprocess.run([str(EXPOSURE)], env=env, capture_output=True, timeout=60, check=True)
        return [w.strip() for w in answer.read_text().split("\n") if w.strip()]

    assert "scan" in complete("exposure sc")
    assert set(complete("exposure scan --profile j")) == {"jane", "jim"}


def test_the_demo_hint_names_a_command_that_works_after_the_readme_install() -> None:
    # The README installs into .venv without putting it on PATH.
    assert own_command(".venv/bin/exposure") == ".venv/bin/exposure"
    assert own_command("/usr/lib/python3/site-packages/exposure/cli/__init__.py").endswith(
        " -m exposure.cli"
    )
