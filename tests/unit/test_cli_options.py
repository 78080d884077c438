"""The option helpers the commands share (exposure/cli/commands/_options.py)."""

from __future__ import annotations

import argparse

import pytest

from exposure.cli.commands._options import add_actions, add_format, add_profile


def test_format_defaults_to_the_first_choice() -> None:
    p = argparse.ArgumentParser()
    add_format(p, "md", "html", "json")
    assert p.parse_args([]).format == "md"
    assert p.parse_args(["--format", "json"]).format == "json"
    with pytest.raises(SystemExit):
        p.parse_args(["--format", "csv"])


def test_profile_is_optional_unless_required() -> None:
    p = argparse.ArgumentParser()
    add_profile(p)
    assert p.parse_args([]).profile is None
    strict = argparse.ArgumentParser()
    add_profile(strict, required=True)
    assert strict.parse_args(["--profile", "jane"]).profile == "jane"
    with pytest.raises(SystemExit):
        strict.parse_args([])


def test_a_command_of_actions_alone_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    top = argparse.ArgumentParser(prog="exposure")
    sub = top.add_subparsers()
    actions = add_actions(sub, "thing", help="do things")
    actions.add_parser("go").set_defaults(run=lambda args: 7)
    bare = top.parse_args(["thing"])
    assert bare.thing_action is None
    assert bare.run(bare) == 0
    assert "ACTION" in capsys.readouterr().out
    chosen = top.parse_args(["thing", "go"])
    assert chosen.thing_action == "go" and chosen.run(chosen) == 7
