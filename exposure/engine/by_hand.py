"""The two ways to check a source by hand, for every front end (CLI and TUI).

* :func:`import_saved`: a page the person saved from their own browser
  (exposure/engine/saved_page.py reads the file);
* :func:`assist`: a browser window where the person solves the check
  (exposure/engine/assist.py).

Both read the page with its checker's own code (exposure/checkers/saved.py)
and keep it as a hand check (exposure/engine/hand_check.py), all or nothing,
under the profile's scan lock. A page that was read but shows nothing we can
keep (still a challenge, a layout not understood) raises
:class:`NotUnderstood` and records nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.errors import ExposureError
from exposure.model import CaptureMethod, Outcome

if TYPE_CHECKING:
    from exposure.checkers.base import ScanContext
    from exposure.checkers.saved import PageAnswer, Source
    from exposure.config import Config
    from exposure.engine.hand_check import HandCheck
    from exposure.engine.store import Store
    from exposure.model import Profile


class NotUnderstood(ExposureError):
    """The page was read but says nothing we can keep; nothing was recorded (exit 1)."""


class Busy(ExposureError):
    """The profile is being scanned; a hand check waits for it to end (exit 1)."""


@dataclass(frozen=True)
class HandRun:
    kept: HandCheck
    answer: PageAnswer
    session: Path | None = None  # assisted mode's kept browser profile


def context(
    profile: Profile,
    config: Config,
    *,
    brokers_file: Path | None = None,
    sites_file: Path | None = None,
) -> ScanContext:
    """A scan context for one hand check (its HTTP client is used by assisted mode only)."""
    from exposure.checkers.base import ScanContext
    from exposure.net.http import HttpClient, settings_from

    options = {"sites_file": sites_file, "brokers_file": brokers_file}
    http = HttpClient(settings_from(config.http))
    return ScanContext(profile=profile, config=config, http=http, options=options)


def keep_answer(
    store: Store,
    locks_dir: Path,
    ctx: ScanContext,
    source: Source,
    answer: PageAnswer,
    username: str | None = None,
) -> HandCheck:
    """Read ``answer`` for ``source`` and keep it, or raise NotUnderstood / Busy."""
    from exposure.checkers.saved import check_page
    from exposure.engine.hand_check import record_hand_check
    from exposure.engine.locking import AlreadyScanning, scan_lock

    result = check_page(ctx, source, answer, username)
    check = result.checks[0]
    if check.status not in (Outcome.FOUND, Outcome.ABSENT):
        raise NotUnderstood(
            f"not understood for {source.id}: {check.status.value} — {check.detail}; "
            "nothing recorded"
        )
    try:
        with scan_lock(locks_dir, ctx.profile.id):
            return record_hand_check(store, ctx.profile.id, source.checker, result, ctx.config)
    except AlreadyScanning:
        raise Busy(f"profile {ctx.profile.id} is being scanned; try again when it ends") from None


def import_saved(
    store: Store,
    locks_dir: Path,
    ctx: ScanContext,
    source: Source,
    file: Path,
    username: str | None = None,
) -> HandRun:
    """Import the saved page ``file`` for ``source`` (SavedPageError: one line, exit 2)."""
    from exposure.checkers.saved import PageAnswer
    from exposure.engine.saved_page import read_saved

    page = read_saved(file, ctx.config.http.max_bytes)
    answer = PageAnswer.of(
        page.html,
        page.url or source.url,
        raw=page.raw,
        raw_type=page.content_type,
        method=CaptureMethod.SAVED,
    )
    return HandRun(keep_answer(store, locks_dir, ctx, source, answer, username), answer)


def assist(
    store: Store,
    locks_dir: Path,
    ctx: ScanContext,
    source: Source,
    *,
    url: str,
    wait: float,
    proceed: threading.Event | None = None,
    headless: bool = False,
    keep_session: bool = False,
    username: str | None = None,
) -> HandRun:
    """Open ``url`` for the person, read it when they are through, and keep what it shows.

    Raises NoDisplay / BrowserUnavailable (usage), FetchError or RobotsDisallowed
    (the window could not read the page), NotUnderstood, Busy.
    """
    from exposure.checkers.saved import PageAnswer
    from exposure.engine.assist import assisted_read

    no_results = tuple(source.broker.no_results) if source.broker is not None else ()
    got = assisted_read(
        ctx.http,
        url,
        no_results=no_results,
        wait=wait,
        proceed=proceed,
        headless=headless,
        keep_session=keep_session,
        executable=ctx.config.browser.path or None,
    )
    page = got.page
    answer = PageAnswer.of(
        page.text,
        page.final_url or url,
        raw=page.body,
        status=page.status,
        method=CaptureMethod.ASSISTED,
    )
    kept = keep_answer(store, locks_dir, ctx, source, answer, username)
    return HandRun(kept, answer, got.session)
