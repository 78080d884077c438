"""One key, one meaning: no key does one thing on one screen and another elsewhere."""

from __future__ import annotations

from collections import defaultdict

from textual.binding import Binding
from tui_screens import SCREENS


def meanings() -> dict[str, set[str]]:
    """key -> the descriptions it has across the app's screens ("Back (...)" is "Back")."""
    out: dict[str, set[str]] = defaultdict(set)
    for cls in SCREENS:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                out[key.strip()].add(binding.description.split(" (")[0])
    return out


def test_every_key_means_one_thing_everywhere() -> None:
    clashes = {key: sorted(d) for key, d in meanings().items() if len(d) > 1}
    assert clashes == {}


def test_the_keys_the_issue_named_are_no_longer_ambiguous() -> None:
    keys = meanings()
    assert keys["x"] == {"Not me"}
    assert keys["s"] == {"Scan"}
    assert keys["escape"] == {"Back"}
