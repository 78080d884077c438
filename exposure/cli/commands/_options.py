"""Command-line options several commands share, each written once.

Not a command itself (its name starts with ``_``, so discovery passes it over).
"""

from __future__ import annotations

import argparse


def add_format(p: argparse._ActionsContainer, *choices: str) -> None:
    """``--format``, one of ``choices``; the first is the default."""
    p.add_argument("--format", choices=choices, default=choices[0])


def add_profile(
    p: argparse._ActionsContainer, *, required: bool = False, help: str | None = None
) -> None:
    """``--profile NAME``: the profile a command works on."""
    p.add_argument("--profile", metavar="NAME", required=required, help=help)


def add_actions(
    sub: argparse._SubParsersAction, name: str, help: str
) -> argparse._SubParsersAction:
    """A command made of actions (``exposure NAME ACTION ...``); alone, it prints its help.

    The action chosen is ``args.<name>_action``.
    """
    p = sub.add_parser(name, help=help)
    p.set_defaults(run=lambda args: (p.print_help(), 0)[1])
    return p.add_subparsers(dest=f"{name}_action", metavar="ACTION")
