"""robots.txt (RFC 9309), fetched once per scheme+host+port, even under concurrency.

2xx is parsed with ``urllib.robotparser`` against our User-Agent; 4xx (and a
redirect loop) means allow all; 5xx or unreachable means disallow all, which
is reported as an error (the site is down or failing, not a choice it made),
never as "skipped".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from exposure.net.errors import Failure, FetchError, RobotsDisallowed
from exposure.net.response import Response
from exposure.net.robots_disk import ALLOW, PARSED, RobotsDisk

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
_TICK = 0.05  # seconds between cancel checks while another thread loads the file


class Verdict(Enum):
    PARSED = "parsed"  # rules apply per path
    ALLOW = "allow"  # 4xx, redirect loop: crawl anything
    UNREACHABLE = "unreachable"  # 5xx, no answer: crawl nothing (an error)


@dataclass
class _Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    parser: RobotFileParser | None = None
    verdict: Verdict | None = None
    reason: str = ""
    loaded: bool = False
    text: str = ""  # the parsed file, kept for the disk cache


def origin_of(url: str) -> tuple[str, str]:
    """``(origin, shown host)`` of ``url``: ``https://host:443`` and ``host``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}", shown


class RobotsCache:
    """The robots.txt verdicts of one client.

    ``check_cancel()`` raises :class:`Cancelled` while waiting for another
    thread's fetch of the same file.
    """

    def __init__(
        self,
        user_agent: str,
        check_cancel: Callable[[], None],
        disk: RobotsDisk | None = None,
    ) -> None:
        self._user_agent = user_agent
        self._check_cancel = check_cancel
        self._disk = disk
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def check(self, url: str, fetch: Callable[[str], Response]) -> None:
        """Return when robots.txt allows ``url``; raise RobotsDisallowed or FetchError.

        ``fetch(robots_url)`` gets the file on the calling check's clock,
        raising :class:`FetchError` when no answer came.
        """
        origin, shown = origin_of(url)
        with self._lock:
            entry = self._entries.setdefault(origin, _Entry())
        while not entry.lock.acquire(timeout=_TICK):
            self._check_cancel()
        try:
            if not entry.loaded:
                if not self._remembered(entry, origin):
                    self._load(entry, f"{origin}/robots.txt", fetch)
                    self._remember(entry, origin)
                entry.loaded = True
        finally:
            entry.lock.release()
        if entry.verdict is Verdict.ALLOW:
            return
        if entry.verdict is Verdict.UNREACHABLE:
            # RFC 9309 says: crawl nothing. But the site itself is down or failing,
            # which is unknown, not a choice the site made: an error, never "skipped".
            raise FetchError(Failure.ROBOTS_UNREACHABLE, entry.reason)
        assert entry.parser is not None
        if not entry.parser.can_fetch(self._user_agent, url):
            path = urlsplit(url).path or "/"
            raise RobotsDisallowed(f"robots.txt of {shown} disallows {path}")

    def _remembered(self, entry: _Entry, origin: str) -> bool:
        """Fill ``entry`` from the disk cache (a fresh definite answer), if there is one."""
        got = self._disk.get(origin) if self._disk else None
        if got is None:
            return False
        if got.verdict == PARSED:
            entry.parser = RobotFileParser(f"{origin}/robots.txt")
            entry.parser.parse(got.text.splitlines())
            entry.verdict = Verdict.PARSED
        else:
            entry.verdict = Verdict.ALLOW
        return True

    def _remember(self, entry: _Entry, origin: str) -> None:
        if self._disk is None:
            return
        if entry.verdict is Verdict.ALLOW:
            self._disk.put(origin, ALLOW)
        elif entry.verdict is Verdict.PARSED:
            self._disk.put(origin, PARSED, entry.text)

    def save(self) -> None:
        if self._disk is not None:
            self._disk.save()

    def _load(self, entry: _Entry, robots_url: str, fetch: Callable[[str], Response]) -> None:
        try:
            answer = fetch(robots_url)
        except FetchError as exc:
            if exc.failure is Failure.DEADLINE:
                # The calling check ran out of time: that says nothing about the site,
                # so nothing is remembered and the next check asks again.
                raise FetchError(Failure.DEADLINE, f"{exc.reason} (fetching robots.txt)") from None
            if exc.failure is Failure.TOO_MANY_REDIRECTS:  # RFC 9309 2.3.1.2: unavailable
                entry.verdict = Verdict.ALLOW
            else:  # RFC 9309 2.3.1.4: unreachable means complete disallow
                entry.verdict = Verdict.UNREACHABLE
                entry.reason = f"{exc.reason} (fetching robots.txt)"
            return
        if 200 <= answer.status < 300:
            parser = RobotFileParser(robots_url)
            parser.parse(answer.text.splitlines())
            entry.parser = parser
            entry.text = answer.text
            entry.verdict = Verdict.PARSED
        elif answer.status >= 500:
            entry.verdict = Verdict.UNREACHABLE
            entry.reason = f"HTTP {answer.status} for robots.txt: the site is failing, not checked"
        else:  # 4xx (and anything odd): RFC 9309 2.3.1.3, allow all
            entry.verdict = Verdict.ALLOW
