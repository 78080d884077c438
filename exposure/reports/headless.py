"""Render HTML we hold in memory with the system Chromium, offline: PNG or PDF.

One renderer for the screenshots of captures and for the case-file PDF. The
browser is the person's own (:func:`exposure.net.chromium.find_browser`),
never a downloaded one, driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no port is opened). What keeps a hostile page
from running or reaching anything, in layers:

* JavaScript is off (``--blink-settings=scriptEnabled=false`` and
  ``Emulation.setScriptExecutionDisabled``);
* every request the page makes is paused by the ``Fetch`` domain before it
  reaches the network: the few URLs we serve from memory are fulfilled, all
  others are failed (``BlockedByClient``) and counted;
* were something to slip past that, the host resolver maps every name to
  nothing and the proxy (loopback included, ``<-loopback>``) points nowhere;
* the pages we serve carry a Content-Security-Policy header (the caller's).

A renderer that does not finish by the deadline is killed with its whole
process group, and :class:`RenderFailed` says so; so does a crash.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from exposure.errors import ExposureError
from exposure.net.chromium import QUIET_FLAGS, find_browser

ORIGIN = "https://capture.exposure.invalid"
DEFAULT_DEADLINE = 30.0
# Belt and braces under the Fetch interception: no name resolves, and anything
# that still tried to connect would go to a proxy on the discard port.
OFFLINE_FLAGS = (
    "--blink-settings=scriptEnabled=false",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--dns-prefetch-disable",
    "--no-pings",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--hide-scrollbars",
    "--mute-audio",
)


class RenderFailed(ExposureError):
    """The browser could not render the page (hung past the deadline, crashed, refused)."""


@dataclass(frozen=True)
class Resource:
    """A response served from memory: the bytes and their headers."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    csp: str = ""


@dataclass
class Rendered:
    data: bytes  # PNG or PDF bytes
    blocked: list[str] = field(default_factory=list)  # URLs the page asked for and did not get


def browser_command(browser: Path, user_data: Path) -> list[str]:
    args = [
        str(browser),
        *QUIET_FLAGS,
        *OFFLINE_FLAGS,
        "--remote-debugging-pipe",
        f"--user-data-dir={user_data}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start as root with its sandbox (CI containers run as
        # root); scripts are off and the network is cut either way.
        args.append("--no-sandbox")
    return [*args, "about:blank"]


class _Session:
    """The DevTools protocol over the pipe: NUL-separated JSON both ways.

    One browser, many pages in turn: :meth:`begin` resets what belongs to one
    rendering (its deadline, what it may load, its page's session id).
    """

    def __init__(self, to_browser: int, from_browser: int) -> None:
        self.to_browser = to_browser
        self.from_browser = from_browser
        self.buffer = b""
        self.next_id = 0
        self.begin(time.monotonic() + DEFAULT_DEADLINE, {})

    def begin(self, deadline: float, resources: dict[str, Resource]) -> None:
        self.deadline = deadline
        self.resources = resources
        self.session_id: str | None = None
        self.loaded = False
        self.blocked: list[str] = []

    def send(self, method: str, params: dict[str, Any] | None = None, *, page: bool = True) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if page and self.session_id is not None:
            message["sessionId"] = self.session_id
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            self._wait(select_write=True)
            try:
                written = os.write(self.to_browser, data)
            except BrokenPipeError:
                raise RenderFailed(
                    "the browser closed its pipe (it crashed or refused the page)"
                ) from None
            data = data[written:]
        return self.next_id

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, page: bool = True
    ) -> dict[str, Any]:
        wanted = self.send(method, params, page=page)
        while True:
            message = self._read()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RenderFailed(f"the browser refused {method}: {message['error']}")
                result = message.get("result")
                return result if isinstance(result, dict) else {}
            self._event(message)

    def wait_loaded(self) -> None:
        while not self.loaded:
            self._event(self._read())

    def _event(self, message: dict[str, Any]) -> None:
        if message.get("sessionId") != self.session_id:
            return  # a page from an earlier rendering, being closed
        method = message.get("method")
        params = message.get("params") or {}
        if method == "Fetch.requestPaused":
            url = str(params.get("request", {}).get("url", ""))
            served = self.resources.get(url.split("#", 1)[0])
            if served is None:
                self.blocked.append(url)
                self.send(
                    "Fetch.failRequest",
                    {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                )
                return
            headers = [{"name": "Content-Type", "value": served.content_type}]
            if served.csp:
                headers.append({"name": "Content-Security-Policy", "value": served.csp})
            headers.append({"name": "X-Content-Type-Options", "value": "nosniff"})
            self.send(
                "Fetch.fulfillRequest",
                {
                    "requestId": params["requestId"],
                    "responseCode": 200,
                    "responseHeaders": headers,
                    "body": base64.b64encode(served.body).decode("ascii"),
                },
            )
        elif method == "Page.loadEventFired":
            self.loaded = True
        elif method == "Inspector.targetCrashed":
            raise RenderFailed("the page's renderer crashed")
        elif method == "Inspector.detached":
            raise RenderFailed("the browser closed the page")

    def _wait(self, *, select_write: bool = False) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        fd = self.to_browser if select_write else self.from_browser
        ready = (
            select.select([], [fd], [], left) if select_write else select.select([fd], [], [], left)
        )
        if not ready[0] and not ready[1]:
            raise TimeoutError

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            self._wait()
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RenderFailed("the browser exited before it finished (it crashed or refused)")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        try:
            message = json.loads(raw)
        except ValueError:
            raise RenderFailed("the browser sent something that is not DevTools JSON") from None
        return message if isinstance(message, dict) else {}


def browser_env(scratch: Path) -> dict[str, str]:
    """The browser's environment: ours, with its temporary files in ``scratch``.

    Chromium keeps a singleton socket folder in ``$TMPDIR``
    (``org.chromium.Chromium.*``) and removes it only on a clean exit; a browser
    we kill (a hung rendering, the end of a batch) would leave one in /tmp each
    time. In ``scratch``, a folder of ours removed with the profile, it goes
    too. ``scratch`` sits directly in the temporary folder: a socket's path
    must stay short (108 bytes on Linux).
    """
    return {**os.environ, "TMPDIR": str(scratch)}


def _start(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int, int]:
    """Start the browser with our pipe ends on its fds 3 (commands) and 4 (answers)."""
    cmd_read, cmd_write = os.pipe()
    ans_read, ans_write = os.pipe()

    def child_fds() -> None:  # runs in the child between fork and exec
        high_cmd = os.dup(cmd_read)
        high_ans = os.dup(ans_write)
        os.dup2(high_cmd, 3)
        os.dup2(high_ans, 4)

    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Our pipes are close-on-exec; only the dup2'd 3 and 4 reach the browser.
            close_fds=False,
            preexec_fn=child_fds,
            start_new_session=True,
            env=env,
        )
    except OSError as exc:
        for fd in (cmd_read, cmd_write, ans_read, ans_write):
            os.close(fd)
        raise RenderFailed(
            f"cannot start the browser {command[0]}: {exc.strerror or exc}"
        ) from None
    os.close(cmd_read)
    os.close(ans_write)
    return proc, cmd_write, ans_read


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill the browser and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class Browser:
    """One headless browser for a batch of renderings (start-up costs about a second).

    A rendering that hangs past its deadline or crashes kills the browser and
    its process group; the next rendering starts a fresh one.
    """

    def __init__(self, browser: str | Path | None = None) -> None:
        self.executable = find_browser(browser)  # BrowserNotFound: one line
        self._proc: subprocess.Popen[bytes] | None = None
        self._session: _Session | None = None
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None  # its $TMPDIR
        self._fds: tuple[int, int] | None = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure(self) -> _Session:
        if self._session is None:
            self._profile = tempfile.TemporaryDirectory(prefix="exposure-render-")
            self._scratch = tempfile.TemporaryDirectory(prefix="exposure-tmp-")
            command = browser_command(self.executable, Path(self._profile.name))
            env = browser_env(Path(self._scratch.name))
            self._proc, to_browser, from_browser = _start(command, env)
            self._fds = (to_browser, from_browser)
            self._session = _Session(to_browser, from_browser)
        return self._session

    def close(self) -> None:
        """Kill the browser (if running) and remove its throwaway profile folder."""
        if self._proc is not None:
            _stop(self._proc)
        if self._fds is not None:
            for fd in self._fds:
                os.close(fd)
        for folder in (self._profile, self._scratch):
            if folder is not None:
                folder.cleanup()
        self._proc = self._session = self._profile = self._scratch = self._fds = None

    def render(
        self,
        resources: dict[str, Resource],
        entry: str,
        *,
        kind: str,
        width: int = 1280,
        height: int = 1000,
        deadline: float = DEFAULT_DEADLINE,
        pdf_footer: str = "",
    ) -> Rendered:
        """Load ``entry`` (a key of ``resources``) and return a PNG (``kind="png"``) or PDF.

        Only ``resources`` are served; every other request is blocked and
        listed in the result. :class:`RenderFailed` on a hang past ``deadline``
        seconds (the browser is killed) or a crash.
        """
        if kind not in ("png", "pdf"):
            raise ValueError(f"kind must be png or pdf, not {kind!r}")
        try:
            session = self._ensure()
            session.begin(time.monotonic() + deadline, resources)
            data = self._one(session, entry, kind, width, height, pdf_footer)
        except TimeoutError:
            self.close()
            raise RenderFailed(
                f"the browser did not finish within {deadline:g} s and was killed"
            ) from None
        except RenderFailed:
            self.close()
            raise
        except (KeyError, TypeError, ValueError) as exc:
            self.close()
            raise RenderFailed(f"the browser answered oddly ({type(exc).__name__})") from None
        return Rendered(data, session.blocked)

    @staticmethod
    def _one(
        session: _Session, entry: str, kind: str, width: int, height: int, pdf_footer: str
    ) -> bytes:
        target = session.call("Target.createTarget", {"url": "about:blank"}, page=False)
        attached = session.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, page=False
        )
        session.session_id = str(attached["sessionId"])
        session.call("Emulation.setScriptExecutionDisabled", {"value": True})
        session.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
        session.call("Page.enable")
        session.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        session.call("Page.navigate", {"url": entry})
        session.wait_loaded()
        if kind == "png":
            data = session.call("Page.captureScreenshot", {"format": "png"})["data"]
        else:
            data = session.call(
                "Page.printToPDF",
                {
                    "printBackground": True,
                    "preferCSSPageSize": True,
                    "displayHeaderFooter": bool(pdf_footer),
                    "headerTemplate": "<span></span>",
                    "footerTemplate": pdf_footer or "<span></span>",
                },
            )["data"]
        session.call("Target.closeTarget", {"targetId": target["targetId"]}, page=False)
        return base64.b64decode(data)


class RenderOptions(TypedDict, total=False):
    """The keyword arguments of :meth:`Browser.render`, which :func:`render` passes on."""

    kind: Required[str]
    width: int
    height: int
    deadline: float
    pdf_footer: str


def render(
    resources: dict[str, Resource],
    entry: str,
    *,
    browser: str | Path | None = None,
    **options: Unpack[RenderOptions],
) -> Rendered:
    """One rendering in a browser of its own (see :meth:`Browser.render`, same options)."""
    with Browser(browser) as b:
        return b.render(resources, entry, **options)
