"""Reading the lock's passphrase: EXPOSURE_PASSPHRASE, a no-echo prompt, or standard input.

On a terminal the passphrase is asked without echo (``getpass``). When
standard input is not a terminal, it is read one line at a time from it (as
``password check`` does), so scripts and tests can drive the lock:
``lock change`` reads the old passphrase, then the new one.
"""

from __future__ import annotations

import getpass
import os
import sys

from exposure.errors import UsageError

ENV = "EXPOSURE_PASSPHRASE"
NEW_ENV = "EXPOSURE_NEW_PASSPHRASE"

_lines: list[str] | None = None


def _stdin_line(what: str) -> str:
    global _lines
    if _lines is None:
        data = sys.stdin.read() if sys.stdin is not None else ""
        _lines = data.splitlines()
    if not _lines:
        raise UsageError(f"no {what}: standard input is not a terminal and is empty (or set {ENV})")
    return _lines.pop(0)


def ask(prompt: str, *, what: str = "passphrase", confirm: bool = False) -> str:
    """One passphrase from the terminal (twice with ``confirm``) or a line of stdin."""
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            first = getpass.getpass(prompt)
            if confirm and getpass.getpass("Again, to be sure: ") != first:
                raise UsageError("the two passphrases differ; nothing was changed")
        except EOFError:
            first = ""
    else:
        first = _stdin_line(what)
    if not first:
        raise UsageError(f"empty {what}; nothing was changed")
    return first


def current(prompt: str = "Passphrase (not shown): ") -> str:
    """The passphrase of a locked home: the environment first, then ask."""
    return os.environ.get(ENV) or ask(prompt)


def new(prompt: str = "New passphrase (not shown): ", env: str = NEW_ENV) -> str:
    """A passphrase being chosen: from ``env`` when set, else asked (twice on a terminal)."""
    return os.environ.get(env) or ask(prompt, what="new passphrase", confirm=True)


def install() -> None:
    """Let any command open a locked home by asking when it first needs the key."""
    from exposure.engine import vault

    global _lines
    _lines = None  # a new command reads its own standard input
    vault.set_prompt(lambda _prompt: ask("Passphrase for the locked exposure home (not shown): "))
