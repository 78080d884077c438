"""Quick exit: one key, on every screen, that clears the terminal and ends the app at once.

For someone who must hide what they are doing *now*. The key is Ctrl+\\
(Ctrl+Q is the ordinary quit): a chord nobody types by accident, and one
Textual receives on every screen because the binding has priority.

What it does, in order: tells any running scan to stop (its worker sees the
cancel event; what finished is already committed), leaves the app's screen
and restores the terminal, clears the screen *and the scrollback* (CSI 2 J,
CSI 3 J: xterm, VTE terminals, tmux, iTerm2, Windows Terminal honour it; a
terminal that does not keeps its scrollback), then ends the process with
``os._exit`` — without waiting for threads, so a scan in the middle of a
request cannot hold it up. The database needs no goodbye: every commit is
already durable, and the next start marks the abandoned scan interrupted.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

KEY = "ctrl+backslash"
KEY_DISPLAY = "Ctrl+\\"
# Reset colours, turn the mouse reports off, cursor home, clear screen, clear scrollback.
CLEAR = "\x1b[0m\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[H\x1b[2J\x1b[3J"

# How the process ends (tests replace it; it must not return in real use).
end_process: Callable[[int], Any] = os._exit


def cancel_scans(app: Any) -> int:
    """Set the cancel event of every screen that has one; how many were running."""
    count = 0
    for screen in list(app.screen_stack):
        event = getattr(screen, "cancel_event", None)
        if isinstance(event, threading.Event) and not event.is_set():
            event.set()
            count += 1
    return count


def _restore_terminal(app: Any) -> Any:
    """Leave application mode; the stream the app wrote to (None when headless)."""
    driver = getattr(app, "_driver", None)
    stream = getattr(driver, "_file", None)
    if driver is None or getattr(driver, "is_headless", False):
        return None
    try:
        driver.stop_application_mode()
        driver.close()
    except Exception:  # whatever state the driver is in, clearing still matters more
        pass
    return stream


def quick_exit(app: Any) -> None:
    """Cancel scans, clear the terminal with its scrollback, end the process now."""
    cancel_scans(app)
    stream = _restore_terminal(app)
    for out in (stream, sys.__stdout__):
        if out is None:
            continue
        try:
            out.write(CLEAR)
            out.flush()
        except (OSError, ValueError):
            continue
    end_process(0)
