"""Checklist steps in the TUI: a command the screen has a key for becomes that key.

The checklist's steps show commands to type (``exposure checklist done ID
--profile jane``), right for the command line. On the checklist screen the
same action is one key away, so the step says "press space" instead of asking
a frightened person to open a shell. Commands with no key here stay as they are.
"""

from __future__ import annotations

import re
import shlex

_COMMAND = re.compile(r"`(exposure [^`]+)`")

# (first words of the command) -> what to press on the checklist screen
_KEYS: dict[tuple[str, ...], str] = {
    ("checklist", "done"): "press space (done)",
    ("checklist", "mine"): "press m (all mine)",
    ("checklist", "not-mine"): "press x (none mine)",
    ("profile", "edit"): "press m (add this account to my profile)",
    ("request", "draft"): "press d (draft the request)",
    ("request", "sent"): "press d (mark it sent)",
    ("assist",): "press b (check by hand)",
    ("import",): "press b (check by hand)",
    ("tui",): "the findings screen (f on the dashboard)",
}


def key_for(command: str) -> str | None:
    """What to press for ``command`` (``exposure ...``), or None when no key does it."""
    try:
        words = shlex.split(command)[1:]
    except ValueError:
        return None
    for length in (2, 1):
        found = _KEYS.get(tuple(words[:length]))
        if found is not None:
            return found
    return None


def as_keys(step: str) -> str:
    """``step`` with each command that has a key replaced by the key to press."""

    def swap(match: re.Match[str]) -> str:
        return key_for(match.group(1)) or match.group(0)

    return _COMMAND.sub(swap, step)
