"""Timeouts that hold: a watchdog thread that breaks the sockets of an overrun try.

requests' connect/read timeouts do not bound a server that drips one byte a
second. Every try therefore has a *deadline*, enforced by a watchdog thread
that shuts down the sockets of a try that overran it (or whose cancel event
was set), which breaks any blocking read, headers included.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

WATCH_TICK = 0.05  # seconds between watchdog checks

_local = threading.local()


class Watch:
    """One try's deadline and the connections it uses.

    ``pins`` maps a host name to the address the private-address guard checked
    for it: connections to that host go there, not to a second look-up.
    """

    def __init__(
        self, deadline: float, cancel: threading.Event, pins: Mapping[str, str] | None = None
    ) -> None:
        self.deadline = deadline
        self.cancel = cancel
        self.pins: Mapping[str, str] = pins if pins is not None else {}
        self.fired: str | None = None  # "deadline" | "cancel"
        self._conns: list[Any] = []
        self._armed = True
        self._lock = threading.Lock()

    def add(self, conn: Any) -> None:
        """Watch ``conn``: a urllib3 connection, or a bare socket (None is ignored)."""
        if conn is None:
            return
        with self._lock:
            self._conns.append(conn)
            if self.fired:
                _shutdown(conn)

    def check(self, now: float) -> None:
        if self.fired or not self._armed:
            return
        reason = "cancel" if self.cancel.is_set() else "deadline" if now >= self.deadline else None
        if reason is None:
            return
        with self._lock:
            if not self._armed or self.fired:
                return
            self.fired = reason
            for conn in self._conns:
                _shutdown(conn)

    def disarm(self) -> None:
        """Stop watching before the connection goes back to the pool for another try."""
        with self._lock:
            self._armed = False
            self._conns.clear()


def response_socket(response: Any) -> socket.socket | None:
    """The socket a urllib3 response reads its body from (http.client's file's raw IO)."""
    fp = getattr(getattr(response, "_fp", None), "fp", None)
    sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _shutdown(conn: Any) -> None:
    """Break any blocking read on ``conn`` (a connection or a socket, plain or TLS)."""
    sock = conn if isinstance(conn, socket.socket) else getattr(conn, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError, ValueError):
        # The base-class method: SSLSocket.shutdown would unwrap TLS under the reader.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Watchdog:
    """One background thread per client that fires overrun or cancelled watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watches: set[Watch] = set()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def watching(
        self, deadline: float, cancel: threading.Event, pins: Mapping[str, str] | None = None
    ) -> Iterator[Watch]:
        watch = Watch(deadline, cancel, pins)
        previous = getattr(_local, "watch", None)
        with self._lock:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="exposure-http-watchdog", daemon=True
                )
                self._thread.start()
        _local.watch = watch
        try:
            yield watch
        finally:
            _local.watch = previous
            with self._lock:
                self._watches.discard(watch)

    def _run(self) -> None:
        while True:
            time.sleep(WATCH_TICK)
            with self._lock:
                if not self._watches:
                    self._thread = None
                    return
                watches = list(self._watches)
            now = time.monotonic()
            for watch in watches:
                watch.check(now)


def current_watch() -> Watch | None:
    """The watch of the try running on this thread, if any."""
    return getattr(_local, "watch", None)


class Budget:
    """The deadline of one request: robots.txt, every hop, every retry and every wait.

    Only the time spent queued at our own per-host gate is given back
    (``extend``): that is politeness towards the site, not the site's slowness.
    """

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        return self.ends - time.monotonic()

    def extend(self, seconds: float) -> None:
        self.ends += max(0.0, seconds)
