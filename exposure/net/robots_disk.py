"""robots.txt answers kept between scans, for as long as RFC 9309 allows (24 hours).

RFC 9309 section 2.4: a crawler may cache robots.txt and SHOULD NOT use the
cached copy for more than 24 hours. A rescan within a day then asks each site
only its real question, not robots.txt first. Only definite answers are kept:
a file that parsed (its text) or a 4xx "allow all". An unreachable robots.txt
is never kept, so a failing site is asked again next time.

The file holds site origins and their public robots.txt, nothing about the
person; it lives in the cache folder (``exposure locate`` shows it) and is
written atomically with mode 0600. A file that can't be read is ignored.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600
MAX_TEXT = 64 * 1024  # a longer robots.txt is simply fetched again next time
MAX_FILE = 32 * 1024 * 1024
ALLOW = "allow"
PARSED = "parsed"


@dataclass(frozen=True)
class Remembered:
    verdict: str  # ALLOW or PARSED
    text: str  # the file, for PARSED


class RobotsDisk:
    """A JSON file of ``origin -> {at, verdict, text}``, loaded once, saved on close."""

    def __init__(self, path: Path, ttl: float = TTL_SECONDS) -> None:
        self.path = path
        self.ttl = ttl
        self._lock = threading.Lock()
        self._fresh: dict[str, dict[str, object]] = {}
        self._dirty = False
        self._read()

    def _read(self) -> None:
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_FILE + 1)
            data = json.loads(raw) if len(raw) <= MAX_FILE else None
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError) as exc:
            log.info("%s: robots.txt cache ignored (%s)", self.path, exc)
            return
        if not isinstance(data, dict):
            return
        now = time.time()
        for origin, item in data.items():
            if (
                isinstance(item, dict)
                and isinstance(item.get("at"), int | float)
                and 0 <= now - float(item["at"]) < self.ttl
                and item.get("verdict") in (ALLOW, PARSED)
                and isinstance(item.get("text", ""), str)
            ):
                self._fresh[str(origin)] = item

    def get(self, origin: str) -> Remembered | None:
        with self._lock:
            item = self._fresh.get(origin)
        if item is None:
            return None
        return Remembered(str(item["verdict"]), str(item.get("text", "")))

    def put(self, origin: str, verdict: str, text: str = "") -> None:
        if verdict not in (ALLOW, PARSED) or len(text) > MAX_TEXT:
            return
        with self._lock:
            self._fresh[origin] = {"at": time.time(), "verdict": verdict, "text": text}
            self._dirty = True

    def save(self) -> None:
        """Write what is fresh (atomically, 0600); a full or read-only disk only logs."""
        with self._lock:
            if not self._dirty:
                return
            doc = dict(self._fresh)
            self._dirty = False
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".robots-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(doc, out, ensure_ascii=True)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.info("%s: robots.txt cache not written (%s)", self.path, exc.strerror or exc)
