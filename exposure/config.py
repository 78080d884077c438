"""One TOML config file with a typed model; unknown keys are rejected.

``$EXPOSURE_HOME/config.toml`` (or the platformdirs config folder)::

    default_region = "GB"          # for phone numbers without a country code
    confidence_threshold = 0.6     # findings below are kept but not reported
    min_coverage = 0.5             # below this share checked, the score is unknown
    disabled = ["search"]          # checkers that never run
    private_fields = ["phone"]     # fields no checker may send anywhere

    [http]
    timeout = 10                   # connect/read seconds
    deadline = 30                  # whole request: robots.txt, hops, retries, waits
    proxy = "socks5h://127.0.0.1:9050"

    [browser]
    path = "/usr/bin/chromium"     # screenshots and the case-file PDF (default: found on PATH)
    deadline = 30                  # seconds per rendering before the browser is killed

    [checkers.sites]
    respect_robots = false
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from exposure.errors import UsageError

DEMO_MARKER = ".exposure-demo"  # the file `exposure demo` leaves in its folder


class ConfigError(UsageError):
    """The config file is unusable; the message names the file and key (exit 2)."""


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("exposure")
    except Exception:
        return "0"


@dataclass
class HttpConfig:
    user_agent: str = ""
    connect_timeout: float = 5.0
    timeout: float = 10.0  # read timeout, seconds between bytes
    deadline: float = 30.0  # whole request: robots.txt, every hop, retry and wait
    max_bytes: int = 5 * 1024 * 1024
    retries: int = 2
    backoff: float = 0.5
    retry_after_cap: float = 30.0
    per_host_concurrency: int = 2
    min_interval: float = 0.1  # seconds between request starts to one host
    proxy: str = ""
    respect_robots: bool = True
    # A public site redirecting us to a loopback/private/link-local address is refused
    # (exposure.net.http.private_address); true follows such redirects too.
    allow_private_redirects: bool = False
    # Every request must go to 127.0.0.1/::1/localhost; anything else is refused before
    # it is sent. Always on in a demo folder (exposure.demo: fictional people only).
    loopback_only: bool = False

    def __post_init__(self) -> None:
        if not self.user_agent:
            self.user_agent = (
                f"exposure/{_version()} (personal privacy self-audit; "
                "+https://pypi.org/project/exposure/)"
            )


@dataclass
class BrowserConfig:
    """The system Chromium/Chrome used to render screenshots and the case-file PDF,
    and by the browser fetcher (``scan --browser``, ``render = "browser"``)."""

    path: str = ""  # empty: look for chromium, chromium-browser, google-chrome on PATH
    deadline: float = 30.0  # seconds one rendering may take before the browser is killed


@dataclass
class Config:
    default_region: str = "US"
    confidence_threshold: float = 0.6
    # Below this share of checks with a definite answer, a scan's score and any
    # all-clear are unknown, and a scheduled scan says so and exits 1.
    min_coverage: float = 0.5
    # Checks in flight at once. Per-host gates keep each site polite; this bounds the
    # whole scan. 256 came from bench/run_bench.py (481 hosts at 100-400 ms each).
    concurrency: int = 256
    # The pool grows past ``concurrency`` with the number of distinct hosts (each
    # host still gets at most ``http.per_host_concurrency``), up to this ceiling:
    # a thread costs ~60 KB here, so 1024 stay inside a ~120 MB scan.
    max_concurrency: int = 1024
    disabled: list[str] = field(default_factory=list)
    private_fields: list[str] = field(default_factory=list)
    http: HttpConfig = field(default_factory=HttpConfig)
    browser: BrowserConfig = field(default_factory=BrowserConfig)
    checkers: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    def checker(self, checker_id: str) -> dict[str, Any]:
        return dict(self.checkers.get(checker_id, {}))


def _typed(cls: type, data: dict[str, Any], where: str) -> dict[str, Any]:
    known = {f.name: f for f in fields(cls) if f.name != "source"}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r}")
        default = getattr(cls(), key)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif isinstance(default, str):
            ok = isinstance(value, str)
        elif isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif isinstance(default, dict):
            ok = isinstance(value, dict) and all(isinstance(v, dict) for v in value.values())
        else:
            ok = True
        if not ok:
            raise ConfigError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
        out[key] = value
    return out


def load(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults."""
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
    http_data = data.pop("http", {})
    if not isinstance(http_data, dict):
        raise ConfigError(f"{path}: [http] must be a table")
    browser_data = data.pop("browser", {})
    if not isinstance(browser_data, dict):
        raise ConfigError(f"{path}: [browser] must be a table")
    top = _typed(Config, data, str(path))
    http = HttpConfig(**_typed(HttpConfig, http_data, f"{path} [http]"))
    browser = BrowserConfig(**_typed(BrowserConfig, browser_data, f"{path} [browser]"))
    if browser.deadline <= 0:
        raise ConfigError(f"{path} [browser]: deadline must be more than 0 seconds")
    proxy = os.environ.get("EXPOSURE_PROXY")
    if proxy:
        http.proxy = proxy
    if (path.parent / DEMO_MARKER).exists():
        http.loopback_only = True  # whatever the file says: a demo folder stays on loopback
    config = Config(**top, http=http, browser=browser, source=path)
    if not 0.0 <= config.confidence_threshold <= 1.0:
        raise ConfigError(f"{path}: confidence_threshold must be between 0 and 1")
    if not 0.0 <= config.min_coverage <= 1.0:
        raise ConfigError(f"{path}: min_coverage must be between 0 and 1")
    return config


def load_current() -> Config:
    """The config of the current ``$EXPOSURE_HOME`` (or platformdirs) installation."""
    from exposure import paths

    return load(paths.current().config_file)
