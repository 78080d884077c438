"""Screenshots of evidence captures, rendered offline from the stored bytes only.

Each capture (the page exactly as fetched) is shown in a sandboxed frame
under a banner with its URL, UTC capture time and SHA-256, and rendered to a
PNG by the system Chromium through :mod:`exposure.reports.headless`:
JavaScript off, every request the page makes blocked (none leaves the
machine, so the site never learns the person looked again). The PNG goes
into the evidence store like any capture, and a ``screenshots`` row records
it — or records "screenshot failed" with the reason (a renderer that hung
past the deadline and was killed, a crash, a capture file gone missing), so
the capture is never lost for want of a picture.
"""

from __future__ import annotations

import hashlib
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.engine import rows as col
from exposure.engine.store_errors import reading
from exposure.model import iso, utcnow
from exposure.reports.headless import DEFAULT_DEADLINE, ORIGIN, Browser, RenderFailed, Resource
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.engine.store import Store

WIDTH = 1280
HEIGHT = 1000
BANNER_HEIGHT = 132  # five lines of 22 px, padding and a rule
PAGE_URL = f"{ORIGIN}/"
FRAME_URL = f"{ORIGIN}/capture"
# The captured page may load nothing, run nothing, and is sandboxed (opaque origin).
FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox"
PAGE_CSP = f"default-src 'none'; style-src 'unsafe-inline'; frame-src {ORIGIN}"
SHOWN_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/json",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
)


class ScreenshotStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"  # shown as "screenshot failed"; the capture itself is kept


@dataclass(frozen=True)
class CaptureRef:
    """What the banner says about one capture, and where its bytes are."""

    capture_id: int
    url: str
    final_url: str
    captured_at: str  # ISO UTC, as stored
    sha256: str
    path: str  # relative to the evidence folder
    content_type: str = ""
    finding_id: str = ""


@dataclass(frozen=True)
class Screenshot:
    capture_id: int
    status: ScreenshotStatus
    sha256: str | None  # of the PNG, when there is one
    detail: str
    blocked: int  # requests the page made that were blocked
    rendered_at: datetime

    @property
    def label(self) -> str:
        return "screenshot" if self.status is ScreenshotStatus.OK else "screenshot failed"


def _frame_type(content_type: str) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    if not base:
        return "text/html"
    if base not in SHOWN_TYPES:
        return "text/plain"  # shown as text, never handed to a plug-in
    return clean(content_type, limit=200)


def banner_lines(ref: CaptureRef) -> list[str]:
    lines = [
        "Stored capture, rendered offline by exposure — scripts off, network blocked",
        f"URL: {clean(ref.url, limit=400)}",
    ]
    if ref.final_url and ref.final_url != ref.url:
        lines.append(f"Final URL: {clean(ref.final_url, limit=400)}")
    lines.append(f"Captured: {ref.captured_at} (UTC)")
    lines.append(f"SHA-256: {ref.sha256}")
    return lines


def wrapper_html(ref: CaptureRef) -> str:
    """The page we render: the banner, then the capture in a sandboxed frame."""
    rows = "".join(f"<div>{escape(line, quote=True)}</div>" for line in banner_lines(ref))
    frame_height = HEIGHT - BANNER_HEIGHT
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        "html,body{margin:0;padding:0;background:#fff;overflow:hidden}"
        f"#banner{{box-sizing:border-box;height:{BANNER_HEIGHT}px;padding:8px 12px;"
        "background:#111;color:#fff;font:14px/22px 'DejaVu Sans Mono',monospace;"
        "border-bottom:4px solid #d33}"
        "#banner div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
        f"iframe{{display:block;border:0;width:{WIDTH}px;height:{frame_height}px}}"
        "</style></head><body>"
        f'<div id="banner">{rows}</div>'
        f'<iframe src="{FRAME_URL}" sandbox="" referrerpolicy="no-referrer"></iframe>'
        "</body></html>"
    )


def resources(ref: CaptureRef, body: bytes) -> dict[str, Resource]:
    return {
        PAGE_URL: Resource(wrapper_html(ref).encode("utf-8"), csp=PAGE_CSP),
        FRAME_URL: Resource(body, content_type=_frame_type(ref.content_type), csp=FRAME_CSP),
    }


def render_png(
    ref: CaptureRef, body: bytes, renderer: Browser, *, deadline: float = DEFAULT_DEADLINE
) -> tuple[bytes, int]:
    """The PNG of one capture and how many requests it tried; RenderFailed on a hang/crash."""
    done = renderer.render(
        resources(ref, body), PAGE_URL, kind="png", width=WIDTH, height=HEIGHT, deadline=deadline
    )
    return done.data, len(done.blocked)


# --------------------------------------------------------------------------- the store


def capture_refs(store: Store, profile: str) -> list[CaptureRef]:
    rows = store.query(
        "SELECT c.id, c.url, c.final_url, c.captured_at, c.sha256, c.finding_id, e.path,"
        " e.content_type FROM captures c JOIN evidence e ON e.sha256 = c.sha256"
        " WHERE c.profile = ? ORDER BY c.captured_at, c.id",
        (profile,),
    )
    return [_capture_ref(store.path, r) for r in rows]


def _capture_ref(database: Path, r: sqlite3.Row) -> CaptureRef:
    with reading(database, "evidence", f"sha256 {r['sha256']}"):
        path = col.required(r, "path")
        content_type = col.text(r, "content_type")
    with reading(database, "captures", f"id {r['id']}"):
        return CaptureRef(
            capture_id=col.integer(r, "id") or 0,
            url=col.text(r, "url"),
            final_url=col.text(r, "final_url"),
            captured_at=col.text(r, "captured_at"),
            sha256=col.required(r, "sha256"),
            path=path,
            content_type=content_type,
            finding_id=col.text(r, "finding_id"),
        )


def screenshots(store: Store, profile: str) -> dict[int, Screenshot]:
    """capture id -> its screenshot (or failure) for the profile's captures."""
    rows = store.query(
        "SELECT s.* FROM screenshots s JOIN captures c ON c.id = s.capture_id WHERE c.profile = ?",
        (profile,),
    )
    shots = (_screenshot(store.path, r) for r in rows)
    return {shot.capture_id: shot for shot in shots}


def _screenshot(database: Path, r: sqlite3.Row) -> Screenshot:
    with reading(database, "screenshots", f"of capture {r['capture_id']}"):
        return Screenshot(
            capture_id=col.integer(r, "capture_id") or 0,
            status=col.member(r, "status", ScreenshotStatus),
            sha256=col.text(r, "sha256") or None,
            detail=col.text(r, "detail"),
            blocked=col.integer(r, "blocked", optional=True) or 0,
            rendered_at=col.time(r, "rendered_at") or utcnow(),
        )


def _capture_body(store: Store, ref: CaptureRef) -> bytes | None:
    """The capture's bytes when its file is there, inside the locker, and matches its hash."""
    from exposure.casefile.locker import read_evidence

    return read_evidence(store, ref.path, ref.sha256)


def _record(store: Store, shot: Screenshot, png: bytes | None) -> None:
    from exposure.casefile.locker import write_evidence

    with store.batch():
        if png is not None and shot.sha256:
            rel = write_evidence(store, png)
            store.db.execute(
                "INSERT OR IGNORE INTO evidence (sha256, path, size, content_type)"
                " VALUES (?,?,?,?)",
                (shot.sha256, rel, len(png), "image/png"),
            )
        store.db.execute(
            "INSERT INTO screenshots (capture_id, status, sha256, detail, blocked, rendered_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT (capture_id) DO UPDATE SET status=excluded.status,"
            " sha256=excluded.sha256, detail=excluded.detail, blocked=excluded.blocked,"
            " rendered_at=excluded.rendered_at",
            (
                shot.capture_id,
                shot.status.value,
                shot.sha256,
                shot.detail,
                shot.blocked,
                iso(shot.rendered_at),
            ),
        )


def shoot(
    store: Store, ref: CaptureRef, renderer: Browser, *, deadline: float = DEFAULT_DEADLINE
) -> Screenshot:
    """Render one capture and record the result, success or failure ("screenshot failed")."""
    body = _capture_body(store, ref)
    png: bytes | None = None
    blocked = 0
    if body is None:
        status, detail = ScreenshotStatus.FAILED, "the capture file is missing or altered"
    else:
        try:
            png, blocked = render_png(ref, body, renderer, deadline=deadline)
            status, detail = ScreenshotStatus.OK, "rendered offline"
        except RenderFailed as exc:
            status, detail = ScreenshotStatus.FAILED, str(exc)
    shot = Screenshot(
        capture_id=ref.capture_id,
        status=status,
        sha256=hashlib.sha256(png).hexdigest() if png is not None else None,
        detail=detail,
        blocked=blocked,
        rendered_at=utcnow(),
    )
    _record(store, shot, png)
    return shot


def shoot_profile(
    store: Store,
    profile: str,
    *,
    again: bool = False,
    deadline: float = DEFAULT_DEADLINE,
    browser: str | Path | None = None,
    on_each: Callable[[CaptureRef, Screenshot], None] | None = None,
    only: Iterable[int] | None = None,
    renderer: Browser | None = None,
    stop: Callable[[], bool] | None = None,
) -> list[Screenshot]:
    """Render the profile's captures that have no screenshot yet (all with ``again``).

    A capture whose earlier attempt failed is tried again; one with a good
    screenshot is left alone unless ``again``. One browser renders them all
    (``renderer``, or one started here: BrowserNotFound when there is none);
    ``stop()`` turning true ends the batch before the next capture.
    """
    done = screenshots(store, profile)
    wanted = set(only) if only is not None else None
    todo = []
    for ref in capture_refs(store, profile):
        if wanted is not None and ref.capture_id not in wanted:
            continue
        previous = done.get(ref.capture_id)
        if previous is not None and previous.status is ScreenshotStatus.OK and not again:
            continue
        todo.append(ref)
    if not todo:
        return []
    own = renderer is None
    active = renderer if renderer is not None else Browser(browser)
    out = []
    try:
        for ref in todo:
            if stop is not None and stop():
                break
            shot = shoot(store, ref, active, deadline=deadline)
            if on_each is not None:
                on_each(ref, shot)
            out.append(shot)
    finally:
        if own:
            active.close()
    return out


class BackgroundShooter:
    """Screenshots of findings' captures as a scan stores them, in a thread of its own.

    The thread has its own Store connection (WAL lets it share the file with
    the scan's); :meth:`close` waits for what was queued and returns it.
    """

    def __init__(
        self,
        database: Path,
        evidence_dir: Path,
        profile: str,
        *,
        deadline: float = DEFAULT_DEADLINE,
        browser: str | Path | None = None,
    ) -> None:
        self.database = database
        self.evidence_dir = evidence_dir
        self.profile = profile
        self.deadline = deadline
        self.browser = browser
        self.done: list[Screenshot] = []
        self.error: BaseException | None = None
        self._queue: queue.Queue[tuple[str, ...] | None] = queue.Queue()
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="screenshots", daemon=True)
        self._thread.start()

    def submit(self, finding_ids: Iterable[str]) -> None:
        ids = tuple(finding_ids)
        if ids:
            self._queue.put(ids)

    def _run(self) -> None:
        from exposure.engine.store import Store

        try:
            with Store(self.database, self.evidence_dir) as store, Browser(self.browser) as b:
                while (ids := self._queue.get()) is not None:
                    if self._cancelled.is_set():
                        continue  # interrupted: drain the queue, render nothing more
                    wanted = set(ids)
                    captures = [
                        r.capture_id
                        for r in capture_refs(store, self.profile)
                        if r.finding_id in wanted
                    ]
                    self.done += shoot_profile(
                        store,
                        self.profile,
                        deadline=self.deadline,
                        only=captures,
                        renderer=b,
                        stop=self._cancelled.is_set,
                    )
        except BaseException as exc:  # reported by close(), in the caller's thread
            self.error = exc
            while self._queue.get() is not None:
                pass

    def close(self, *, cancel: bool = False) -> list[Screenshot]:
        """Wait for the queued renderings (only the one under way with ``cancel``)."""
        if cancel:
            self._cancelled.set()
        self._queue.put(None)
        self._thread.join()
        if self.error is not None and not cancel:
            raise self.error
        return self.done
