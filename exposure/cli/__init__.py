"""The ``exposure`` command line.

Each sub-command lives in ``exposure/commands/<name>.py`` with two functions:
``register(subparsers)`` adds its arguments and ``run(args) -> int`` does the
work. Command modules import only the standard library at module level, so
``exposure --help`` stays fast and never loads Textual, bs4 or the checkers.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence

from exposure.cli.commands import COMMANDS
from exposure.errors import ExitStatus, ExposureError

ETHICS = "Audit yourself, or a child in your care. Nobody else."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exposure",
        description="Find what public sources expose about you, keep dated evidence, "
        "and get it removed. " + ETHICS,
    )
    parser.add_argument("-V", "--version", action="store_true", help="print the version and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log warnings and details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _terminate_like_ctrl_c() -> None:
    """SIGTERM (kill, systemd, cron's timeout) stops a command as Ctrl-C does.

    A scan then ends ``interrupted`` with what finished kept, instead of
    staying ``running`` in the database.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupt)


def _complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's tab key (``exposure completion``); exits when it is asking."""
    import argcomplete

    from exposure.cli.commands.completion import profile_names

    for action in _actions(parser):
        if any(opt in ("--profile", "--guardian") for opt in action.option_strings):
            action.completer = profile_names  # type: ignore[attr-defined]
    argcomplete.autocomplete(parser)


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    out = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                out.extend(_actions(child))
    return out


def _unknown_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """``unknown command 'scna'; did you mean 'scan'?`` for a mistyped sub-command."""
    import difflib  # lazy: only a mistyped command needs it; `exposure --help` stays fast

    words = [a for a in argv if not a.startswith("-")]
    if not words or (argv and argv[0].startswith("-")):
        return None  # options first: argparse says what is wrong
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    word = words[0]
    if word in subs.choices:
        return None
    close = difflib.get_close_matches(word, list(subs.choices), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else " (see `exposure --help`)"
    return f"unknown command '{word}'{hint}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:
        _complete(parser)
    problem = _unknown_command(parser, sys.argv[1:] if argv is None else argv)
    if problem:
        from exposure.textsafe import clean

        print(f"exposure: error: {clean(problem, limit=200)}", file=sys.stderr)
        return ExitStatus.USAGE
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR,
        format="exposure: %(levelname)s: %(message)s",
    )
    if args.version:
        from importlib.metadata import version  # lazy: reads package metadata, slow at start-up

        print(f"exposure {version('exposure')}")
        return ExitStatus.OK
    if not args.command:
        if sys.stdin.isatty() and sys.stdout.isatty() and argv is None:
            from exposure.cli.commands import tui

            return tui.open_app(profile=None)
        parser.print_help()
        return ExitStatus.OK
    _terminate_like_ctrl_c()
    from exposure.cli import passphrase

    passphrase.install()
    try:
        return int(args.run(args))
    except ExposureError as exc:
        from exposure.textsafe import clean

        print(f"exposure: error: {clean(str(exc), limit=500)}", file=sys.stderr)
        return int(exc.status)
    except KeyboardInterrupt:
        print("exposure: interrupted", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        return ExitStatus.OK
