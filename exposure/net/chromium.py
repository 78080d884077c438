"""Find the person's own Chromium or Chrome; exposure never downloads a browser.

Both the screenshot renderer (case file) and the browser fetcher use this. The
search order is a path from config (``[browser] path``), then the usual names
on ``PATH``. Without one, :class:`BrowserNotFound` says in one line what to
install.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from exposure.errors import ExposureError

CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
)

# Flags every headless start uses: no first-run, no background or update
# traffic, so a start makes no request of its own.
QUIET_FLAGS = (
    "--headless=new",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",
    "--metrics-recording-only",
)


class BrowserNotFound(ExposureError):
    """No system Chromium or Chrome was found."""


def find_browser(configured: str | Path | None = None) -> Path:
    """The browser executable to run, or :class:`BrowserNotFound`."""
    if configured:
        path = Path(configured).expanduser()
        if path.is_file():
            return path
        raise BrowserNotFound(f"the browser set in config ({path}) is not there")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise BrowserNotFound(
        "no Chromium or Chrome found: install your distribution's 'chromium' package "
        "(or set [browser] path in config.toml)"
    )
