"""In the TUI a checklist step's command becomes the key that does it; others stay."""

from __future__ import annotations

from exposure.engine.shown_commands import item_commands, profile_commands
from exposure.tui.step_keys import as_keys


def test_commands_with_a_key_become_the_key_and_others_stay() -> None:
    done = item_commands("jane", "broker:spokeo")["done"]
    schedule = profile_commands("jane")["schedule"]
    step = f"Mark it done here (`{done}`), then rescan (`{schedule}`)."
    assert as_keys(step) == f"Mark it done here (press space (done)), then rescan (`{schedule}`)."


def test_an_unbalanced_quote_in_a_span_is_left_as_written() -> None:
    step = "odd `exposure checklist done 'broken` text"
    assert as_keys(step) == step
