"""The browser fetcher: render a page in the person's own Chromium or Chrome.

For pages that plain HTTP cannot read: results built by JavaScript (an app
shell that fetches its records from a JSON endpoint) and JavaScript
challenges that set a cookie and reload. It is an optional extra
(``pip install 'exposure[browser]'``: Playwright's Python package, which
drives the browser found by :func:`exposure.net.chromium.find_browser`; no
browser is ever downloaded).

Public API:

    browser_missing(configured=None) -> str | None   # one line: what to install, or None
    BrowserFetcher(http: HttpClient, *, executable=None, headless=True, profile_dir=None)
        .render(url, *, respect_robots=None, ready=None, proceed=None,
                wait_for_person=0.0) -> RenderedResponse
            # FetchError / RobotsDisallowed / Cancelled exactly like HttpClient.get
        .close()
    RenderedResponse(Response): the rendered DOM as ``body`` (capped), the
        document's status and headers, ``refused`` (what was stopped), and a
        ``capture()`` marked "rendered by browser".

How the HTTP client's rules are kept — by the HTTP client itself. The
browser never touches the network: every request the page makes is
intercepted, sent through the scan's :class:`~exposure.net.http.HttpClient`
(so its per-host gates, deadline, body cap, retries, robots.txt, proxy,
User-Agent and refusal of public→private redirects all apply, one copy of
each rule) and the answer is handed back to the page. Chromium is started
with a proxy that goes nowhere, so anything that slipped past interception
would fail rather than leak. On top of that, for the page as a whole:

* **navigation off the source's host is refused**: a main-frame navigation
  (a JavaScript ``location = ...``, a redirect chain) that would leave the
  source's registered domain is aborted and the render fails with
  ``FetchError``; frames navigating elsewhere are simply not loaded (in a
  visible window they are, through the HTTP client: a challenge's widget
  comes from its vendor's host, and the person is there to solve it);
* a request from a public page to a private address (the person's router, a
  metadata endpoint) is refused, as redirects are;
* **popups are closed, downloads are cancelled** and never saved, service
  workers are blocked;
* **the deadline**: a page that never settles (the DOM still changing, the
  network never idle) is cut at ``deadline`` seconds: ``FetchError``;
* **the body cap** applies to the rendered DOM: a longer DOM is truncated;
* images, fonts and media are not fetched in headless renders (nobody looks).

Assisted mode (``headless=False``): a visible window on a profile folder of
its own, wiped afterwards unless the caller keeps it. The person solves the
challenge; :meth:`render` returns once ``ready(html)`` says the records are
there, or when the ``proceed`` event is set (the person pressed a key).

Threads: Playwright's objects belong to one event loop. The fetcher runs that
loop on a thread of its own; :meth:`render` may be called from any thread
(the scan's workers) and waits for its page there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from requests.structures import CaseInsensitiveDict

from exposure.errors import ExposureError
from exposure.model import Capture, CaptureMethod
from exposure.net.chromium import QUIET_FLAGS, BrowserNotFound, find_browser
from exposure.net.http import (
    Cancelled,
    Failure,
    FetchError,
    HttpClient,
    Response,
    RobotsDisallowed,
    host_key,
    private_address,
)
from exposure.urls import has_web_scheme

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'exposure[browser]'"
PAGES_AT_ONCE = 2  # pages rendered at once per fetcher: a browser is heavy
SETTLE_QUIET = 0.5  # seconds the DOM must stay unchanged to count as settled
_POLL = 0.1
# Request headers the browser sets that the HTTP client owns (or that describe
# the browser's own connection): ours are sent instead.
_DROP_HEADERS = frozenset(
    {
        "user-agent",
        "host",
        "content-length",
        "connection",
        "accept-encoding",
        "upgrade-insecure-requests",
    }
)
# Answer headers not handed back to the page: the body is already decoded and capped.
_DROP_ANSWER = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection"})
_SKIPPED_HEADLESS = frozenset({"image", "media", "font"})
_ROBOTS_TYPES = frozenset({"document", "fetch", "xhr"})
# Where nothing is listening: Chromium's own traffic (anything not intercepted) fails.
_NOWHERE_PROXY = "http://127.0.0.1:9"


class BrowserUnavailable(ExposureError):
    """No browser fetcher here: the extra or the browser is missing (one line)."""


def browser_missing(configured: str | Path | None = None) -> str | None:
    """None when a render can run; else one line saying what to install."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return f"the browser fetcher is not installed: {INSTALL_HINT} (and a system Chromium)"
    try:
        find_browser(configured)
    except BrowserNotFound as exc:
        return str(exc)
    return None


@dataclass
class RenderedResponse(Response):
    """A page as the browser rendered it: ``body`` is the DOM, serialised, capped."""

    refused: tuple[str, ...] = ()  # requests the fetcher stopped, in one line each
    method: CaptureMethod = CaptureMethod.RENDERED

    def capture(self) -> Capture:
        return replace(
            super().capture(), content_type="text/html; charset=utf-8", method=self.method
        )


@dataclass
class _Visit:
    """What happened while one page rendered."""

    source_key: str
    source_private: bool
    status: int = 0
    headers: CaseInsensitiveDict[str] = field(default_factory=CaseInsensitiveDict)
    final_url: str = ""
    refused: list[str] = field(default_factory=list)
    navigated_off: str = ""  # the off-host URL the page tried to load, if any
    document_error: BaseException | None = None
    navigations: int = 0


class BrowserFetcher:
    """Renders pages in a system Chromium, every request through one :class:`HttpClient`."""

    def __init__(
        self,
        http: HttpClient,
        *,
        executable: str | Path | None = None,
        headless: bool = True,
        profile_dir: Path | None = None,
        keep_profile: bool = False,
    ) -> None:
        missing = browser_missing(executable)
        if missing:
            raise BrowserUnavailable(missing)
        self.http = http
        self.executable = find_browser(executable)
        self.headless = headless
        self._own_profile = profile_dir is None
        self.profile_dir = profile_dir or Path(tempfile.mkdtemp(prefix="exposure-browser-"))
        # Chromium's own temporary files ($TMPDIR), made at launch: gone at close,
        # even when the browser could not clean up after itself (a singleton
        # socket folder in /tmp otherwise; see reports.headless.browser_env).
        self._scratch: Path | None = None
        self.keep_profile = keep_profile
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started: Future[Any] | None = None
        self._context: Any = None
        self._playwright: Any = None
        self._pages: asyncio.Semaphore | None = None
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="exposure-browser-net")
        self._closed = False
        self._blank_used = False

    # -- public

    def render(
        self,
        url: str,
        *,
        respect_robots: bool | None = None,
        ready: Callable[[str], bool] | None = None,
        proceed: threading.Event | None = None,
        wait_for_person: float = 0.0,
    ) -> RenderedResponse:
        """Open ``url``, let it run, and return the rendered page.

        Headless: returns once the page has settled, within the HTTP
        deadline. With ``wait_for_person`` seconds (assisted mode) it waits
        that long instead for ``ready(html)`` to be true or ``proceed`` to
        be set, then reads the page as it stands.
        """
        if self.http.cancel.is_set():
            raise Cancelled
        if not has_web_scheme(url):
            raise FetchError(Failure.UNSUPPORTED_SCHEME)
        loop = self._ensure_started()
        robots = self.http.settings.respect_robots if respect_robots is None else respect_robots
        budget = max(wait_for_person, self.http.settings.deadline)
        coro = self._render(url, robots, ready, proceed, wait_for_person)
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        started = time.monotonic()
        while True:
            try:
                return future.result(timeout=_POLL)
            except FutureTimeout:
                pass
            if self.http.cancel.is_set():
                future.cancel()
                raise Cancelled
            if time.monotonic() - started > budget + 30:  # the loop itself is stuck
                future.cancel()
                raise FetchError(
                    Failure.BROWSER, f"timed out after {budget:g}s: the browser did not answer"
                )

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loop = self._loop
        if loop is not None and self._thread is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=15)
            loop.call_soon_threadsafe(loop.stop)
            self._thread.join(timeout=15)
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._own_profile and not self.keep_profile:
            shutil.rmtree(self.profile_dir, ignore_errors=True)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> BrowserFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the loop thread

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._closed:
                raise FetchError(Failure.BROWSER, "the browser was closed")
            if self._loop is None:
                loop = asyncio.new_event_loop()
                self._loop = loop
                self._thread = threading.Thread(
                    target=loop.run_forever, name="exposure-browser", daemon=True
                )
                self._thread.start()
                self._started = asyncio.run_coroutine_threadsafe(self._launch(), loop)
            started, loop = self._started, self._loop
        assert started is not None
        try:
            started.result(timeout=60)
        except FutureTimeout:
            raise FetchError(Failure.BROWSER, "the browser did not start within 60s") from None
        except Exception as exc:
            raise FetchError(
                Failure.BROWSER, f"the browser did not start: {_first_line(exc)}"
            ) from None
        return loop

    async def _launch(self) -> None:
        from playwright.async_api import async_playwright

        self._pages = asyncio.Semaphore(PAGES_AT_ONCE)
        self._playwright = await async_playwright().start()
        args = [f for f in QUIET_FLAGS if self.headless or not f.startswith("--headless")]
        args += [
            "--proxy-bypass-list=<-loopback>",  # loopback through the dead proxy too
            "--disable-features=DnsPrefetching,NetworkPrediction",
            "--dns-prefetch-disable",
        ]
        self._scratch = Path(tempfile.mkdtemp(prefix="exposure-browser-tmp-"))
        self._context = await self._playwright.chromium.launch_persistent_context(
            str(self.profile_dir),
            executable_path=str(self.executable),
            headless=self.headless,
            args=args,
            proxy={"server": _NOWHERE_PROXY},
            user_agent=self.http.settings.user_agent,
            accept_downloads=False,
            env={**os.environ, "TMPDIR": str(self._scratch)},  # not the person's /tmp
            service_workers="block",
            java_script_enabled=True,
        )

    async def _shutdown(self) -> None:
        with contextlib.suppress(Exception):
            if self._context is not None:
                await self._context.close()
        with contextlib.suppress(Exception):
            if self._playwright is not None:
                await self._playwright.stop()

    # -- one page

    async def _render(
        self,
        url: str,
        robots: bool,
        ready: Callable[[str], bool] | None,
        proceed: threading.Event | None,
        wait_for_person: float,
    ) -> RenderedResponse:
        assert self._pages is not None and self._context is not None
        async with self._pages:
            started = time.monotonic()
            host = urlsplit(url).hostname or ""
            visit = _Visit(source_key=host_key(url), source_private=self._private(host))
            page = await self._open_page()
            try:
                await page.route("**/*", lambda route: self._route(route, page, visit, robots))
                page.on("download", lambda d: asyncio.ensure_future(_cancel_download(d)))
                page.on("popup", lambda p: _close_popup(p, visit))
                page.on("framenavigated", lambda f: _count_navigation(f, page, visit))
                budget = wait_for_person or self.http.settings.deadline
                try:
                    html = await asyncio.wait_for(
                        self._settle(page, url, visit, ready, proceed, wait_for_person), budget
                    )
                except TimeoutError:
                    if visit.document_error is not None:
                        raise visit.document_error from None
                    if wait_for_person:  # the person ran out of time: read what is there
                        html = await _content(page)
                    else:
                        raise FetchError(
                            Failure.DEADLINE, f"timed out after {budget:g}s: the page never settled"
                        ) from None
            finally:
                with contextlib.suppress(Exception):
                    await page.close()
            return self._answer(url, html, visit, started)

    async def _open_page(self) -> Any:
        # A persistent context opens with one blank tab: the first render uses it.
        if not self._blank_used:
            self._blank_used = True
            blank = [p for p in self._context.pages if p.url == "about:blank"]
            if blank:
                return blank[0]
        return await self._context.new_page()

    async def _settle(
        self,
        page: Any,
        url: str,
        visit: _Visit,
        ready: Callable[[str], bool] | None,
        proceed: threading.Event | None,
        wait_for_person: float,
    ) -> str:
        with contextlib.suppress(Exception):  # an interrupted first load is not an error
            await page.goto(url, wait_until="commit")
        self._raise_if_refused(visit)
        previous = ""
        quiet_since = time.monotonic()
        navigations = -1
        while True:
            await asyncio.sleep(_POLL)
            self._raise_if_refused(visit)
            if self.http.cancel.is_set():
                raise Cancelled
            html = await _content(page)
            if wait_for_person:
                if proceed is not None and proceed.is_set():
                    return html
                if ready is not None and html and ready(html):
                    return html
                continue
            if html != previous or visit.navigations != navigations:
                previous, navigations = html, visit.navigations
                quiet_since = time.monotonic()
                continue
            settled = html and time.monotonic() - quiet_since >= SETTLE_QUIET
            if settled and (ready is None or ready(html)):
                return html

    def _raise_if_refused(self, visit: _Visit) -> None:
        if visit.navigated_off:
            where = host_key(visit.navigated_off)
            raise FetchError(Failure.OFF_HOST, f"{Failure.OFF_HOST.value} ({where})")
        if visit.document_error is not None:
            raise visit.document_error

    def _answer(self, url: str, html: str, visit: _Visit, started: float) -> RenderedResponse:
        body = html.encode("utf-8")
        cap = self.http.settings.max_bytes
        truncated = len(body) > cap
        headers = CaseInsensitiveDict(visit.headers)
        headers["Content-Type"] = "text/html; charset=utf-8"
        return RenderedResponse(
            status=visit.status or 200,
            headers=headers,
            body=body[:cap],
            url=url,
            final_url=visit.final_url or url,
            elapsed_ms=int((time.monotonic() - started) * 1000),
            truncated=truncated,
            refused=tuple(dict.fromkeys(visit.refused)),
        )

    # -- every request of the page

    async def _route(self, route: Any, page: Any, visit: _Visit, robots: bool) -> None:
        request = route.request
        target = request.url
        kind = request.resource_type
        main = request.is_navigation_request() and request.frame == page.main_frame
        parts = urlsplit(target)
        if not has_web_scheme(target):
            await _abort(route)
            return
        off_host = request.is_navigation_request() and host_key(target) != visit.source_key
        # In a visible window a frame may come from elsewhere (a challenge's own widget
        # is served by its vendor): the person is solving it. The page itself never leaves.
        if off_host and (main or self.headless):
            if main:
                visit.navigated_off = target
            visit.refused.append(f"navigation to {host_key(target)} refused")
            await _abort(route)
            return
        if not visit.source_private and self._private(parts.hostname or ""):
            visit.refused.append(f"request to a private address refused ({parts.hostname})")
            await _abort(route)
            return
        if self.headless and kind in _SKIPPED_HEADLESS:
            await _abort(route)
            return
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROP_HEADERS}
        body = request.post_data_buffer
        loop = asyncio.get_running_loop()
        call = (request.method, target, headers, body, robots and kind in _ROBOTS_TYPES)
        try:
            answer = await loop.run_in_executor(self._pool, self._fetch, *call)
        except (FetchError, RobotsDisallowed) as exc:
            reason = getattr(exc, "reason", str(exc))
            if main:
                visit.document_error = exc
            else:
                visit.refused.append(f"{kind} {urlsplit(target).path or '/'}: {reason}")
            await _abort(route)
            return
        except Exception as exc:  # Cancelled, or the pool shut down under us
            if main:
                visit.document_error = (
                    exc if isinstance(exc, Cancelled) else FetchError(Failure.BROWSER, str(exc))
                )
            await _abort(route)
            return
        if main:
            if host_key(answer.final_url) != visit.source_key:
                visit.navigated_off = answer.final_url
                await _abort(route)
                return
            visit.status = answer.status
            visit.headers = CaseInsensitiveDict(answer.headers)
            visit.final_url = answer.final_url
        sent = {k: v for k, v in answer.headers.items() if k.lower() not in _DROP_ANSWER}
        with contextlib.suppress(Exception):  # the page may be gone already
            await route.fulfill(status=answer.status, headers=sent, body=answer.body)

    def _fetch(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None, robots: bool
    ) -> Response:
        return self.http.request(method, url, headers=headers, data=body, respect_robots=robots)

    def _private(self, host: str) -> bool:
        """:func:`private_address` as the HTTP client decides it (no look-up via a proxy)."""
        resolve = not self.http.settings.proxy
        public = self.http.settings.public_test_networks
        return private_address(host, resolve=resolve, public=public)


def _close_popup(popup: Any, visit: _Visit) -> None:
    """A page renders in its own tab only: popups and new windows are closed at once."""
    visit.refused.append("popup closed")
    asyncio.ensure_future(popup.close())


def _count_navigation(frame: Any, page: Any, visit: _Visit) -> None:
    if frame == page.main_frame:
        visit.navigations += 1


async def _content(page: Any) -> str:
    """The DOM as HTML now; "" while a navigation has the document torn down."""
    try:
        return str(await page.content())
    except Exception:
        return ""


async def _abort(route: Any) -> None:
    with contextlib.suppress(Exception):
        await route.abort("blockedbyclient")


async def _cancel_download(download: Any) -> None:
    with contextlib.suppress(Exception):
        await download.cancel()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class SharedBrowser:
    """One :class:`BrowserFetcher` for a whole scan, started only if a page needs it.

    ``enabled`` is ``scan --browser``: sources that came back blocked or built
    by JavaScript are tried again in the browser. A catalogue entry with
    ``render = "browser"`` uses it whatever ``enabled`` says.
    """

    def __init__(
        self, http: HttpClient, *, enabled: bool = False, executable: str | Path | None = None
    ) -> None:
        self.http = http
        self.enabled = enabled
        self._executable = executable
        self._lock = threading.Lock()
        self._fetcher: BrowserFetcher | None = None
        self._missing: str | None | bool = False  # False: not looked yet

    @property
    def missing(self) -> str | None:
        """None when renders can run; else the one line saying what to install."""
        with self._lock:
            if self._missing is False:
                self._missing = browser_missing(self._executable)
            return self._missing if isinstance(self._missing, str) else None

    def render(self, url: str, **kw: Any) -> RenderedResponse:
        missing = self.missing
        if missing:
            raise BrowserUnavailable(missing)
        with self._lock:
            if self._fetcher is None:
                self._fetcher = BrowserFetcher(self.http, executable=self._executable)
            fetcher = self._fetcher
        return fetcher.render(url, **kw)

    def close(self) -> None:
        with self._lock:
            fetcher, self._fetcher = self._fetcher, None
        if fetcher is not None:
            fetcher.close()
