"""Assisted mode: a browser window where the person gets past a source's check themselves.

For a source that stays ``blocked`` (a bot challenge exposure does not solve),
:func:`assisted_read` opens the source's page in a **visible** Chromium
window (the person's own browser, driven by the browser fetcher,
exposure/net/browser.py, so every request still goes through the HTTP
client and its rules). The person solves the challenge in that window;
exposure reads the page once the records appear (the page is no longer a
challenge and has records or says there are none) or when the person
presses Enter, and within ``wait`` seconds at most.

The window runs on a profile folder of its own, a new temporary folder,
never the person's everyday browser profile; it is wiped afterwards unless
they ask to keep it (``keep_session``: then the next assisted read may not
meet the challenge again, and the folder's path is returned).

Where it is not headful: tests (and only tests) pass ``headless=True``, and a
script stands in for the person. With no display (``DISPLAY`` and
``WAYLAND_DISPLAY`` unset) a visible window cannot open: :class:`NoDisplay`
says so in one line, and points to ``exposure import``.

Public API:

    records_ready(html, no_results=()) -> bool
    assisted_read(http, url, *, no_results=(), wait, proceed=None, headless=False,
                  keep_session=False, executable=None) -> Assisted
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.errors import UsageError

if TYPE_CHECKING:
    from exposure.net.browser import RenderedResponse
    from exposure.net.http import HttpClient


class NoDisplay(UsageError):
    """A visible browser window cannot open here (no display)."""


@dataclass(frozen=True)
class Assisted:
    page: RenderedResponse
    session: Path | None  # the kept profile folder, or None when it was wiped


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def require_display() -> None:
    """:class:`NoDisplay` (one line) where a visible window cannot open."""
    if not has_display():
        raise NoDisplay(
            "assisted mode opens a browser window, and there is no display here (DISPLAY "
            "is unset); save the page from your own browser and use `exposure import`"
        )


def records_ready(html: str, no_results: tuple[str, ...] = ()) -> bool:
    """The person is through: not a challenge page, and records (or "no results") are shown."""
    from exposure.extract import extract_records, page_says_no_results
    from exposure.net.blocks import detect_block

    if detect_block(200, {"Content-Type": "text/html"}, html.encode("utf-8")) is not None:
        return False
    if page_says_no_results(html, no_results):
        return True
    try:
        return bool(extract_records(html, "http://127.0.0.1/"))
    except Exception:  # noqa: BLE001 - a page the extractor cannot read is not ready yet
        return False


def _changed_only(test: Callable[[str], bool]) -> Callable[[str], bool]:
    """``test`` run only when the page changed (the window is polled ten times a second)."""
    last: list[str] = [""]
    answer: list[bool] = [False]

    def ready(html: str) -> bool:
        if html != last[0]:
            last[0], answer[0] = html, test(html)
        return answer[0]

    return ready


def assisted_read(
    http: HttpClient,
    url: str,
    *,
    no_results: tuple[str, ...] = (),
    wait: float,
    proceed: threading.Event | None = None,
    headless: bool = False,
    keep_session: bool = False,
    executable: str | Path | None = None,
) -> Assisted:
    """Open ``url`` for the person and read it when they are through (or ``wait`` ends)."""
    from exposure.net.browser import BrowserFetcher

    if not headless:
        require_display()
    fetcher = BrowserFetcher(http, executable=executable, headless=headless)
    fetcher.keep_profile = keep_session
    ready = _changed_only(lambda html: records_ready(html, no_results))
    try:
        page = fetcher.render(url, ready=ready, proceed=proceed, wait_for_person=wait)
    finally:
        fetcher.close()
    session = fetcher.profile_dir if keep_session else None
    return Assisted(page=page, session=session)
