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

import difflib
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import Meta

from exposure.errors import UsageError

DEMO_MARKER = ".exposure-demo"  # the file `exposure demo` leaves in its folder

# The profile fields a checker may send, as private_fields names them.
PROFILE_FIELDS = ("name", "email", "phone", "username", "location", "address", "birth_date")
# Config sections for option sets that are not checkers in the registry.
EXTRA_SECTIONS = {"pwned_passwords": "exposure.passwords.pwned:Options"}

Share = Annotated[float, Meta(ge=0.0, le=1.0)]
Seconds = Annotated[float, Meta(gt=0.0)]
Wait = Annotated[float, Meta(ge=0.0)]
AtLeastOne = Annotated[int, Meta(ge=1)]
_REGION = r"^[A-Za-z]{2}$"
_PROXY_URL = r"^$|^(https?|socks4a?|socks5h?)://[^\s]+$"
_HTTP_URL = r"^$|^https?://[^\s]+$"
Region = Annotated[str, Meta(pattern=_REGION)]
ProxyUrl = Annotated[str, Meta(pattern=_PROXY_URL)]
HttpUrl = Annotated[str, Meta(pattern=_HTTP_URL)]  # empty: the default


T = TypeVar("T")


class ConfigError(UsageError):
    """The config file is unusable; the message names the file and key (exit 2)."""


def _version() -> str:
    try:
        from importlib.metadata import version  # lazy: reads package metadata, slow at start-up

        return version("exposure")
    except Exception:
        return "0"


@dataclass
class HttpConfig:
    user_agent: str = ""
    connect_timeout: Seconds = 5.0
    timeout: Seconds = 10.0  # read timeout, seconds between bytes
    deadline: Seconds = 30.0  # whole request: robots.txt, every hop, retry and wait
    max_bytes: AtLeastOne = 5 * 1024 * 1024
    retries: Annotated[int, Meta(ge=0, le=10)] = 2
    backoff: Wait = 0.5
    retry_after_cap: Wait = 30.0
    per_host_concurrency: AtLeastOne = 2
    min_interval: Wait = 0.1  # seconds between request starts to one host
    proxy: ProxyUrl = ""
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
    deadline: Seconds = 30.0  # seconds one rendering may take before the browser is killed


@dataclass
class Config:
    default_region: Region = "US"
    confidence_threshold: Share = 0.6
    # Below this share of checks with a definite answer, a scan's score and any
    # all-clear are unknown, and a scheduled scan says so and exits 1.
    min_coverage: Share = 0.5
    # Checks in flight at once. Per-host gates keep each site polite; this bounds the
    # whole scan. 256 came from bench/run_bench.py (481 hosts at 100-400 ms each).
    concurrency: AtLeastOne = 256
    # The pool grows past ``concurrency`` with the number of distinct hosts (each
    # host still gets at most ``http.per_host_concurrency``), up to this ceiling:
    # a thread costs ~60 KB here, so 1024 stay inside a ~120 MB scan.
    max_concurrency: AtLeastOne = 1024
    disabled: list[str] = field(default_factory=list)
    private_fields: list[str] = field(default_factory=list)
    http: HttpConfig = field(default_factory=HttpConfig)
    browser: BrowserConfig = field(default_factory=BrowserConfig)
    checkers: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    def checker(self, checker_id: str) -> dict[str, Any]:
        return dict(self.checkers.get(checker_id, {}))


# --------------------------------------------------------------------------- checking


def closest(name: str, valid: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the nearest valid name, or nothing."""
    match = difflib.get_close_matches(name, sorted(valid), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _unknown(where: str, key: str, what: str, name: object, valid: Iterable[str]) -> ConfigError:
    shown = str(name)[:60]
    hint = closest(shown, valid)
    return ConfigError(f"{where}: {key}: unknown {what} {shown!r}{hint}", field=key)


def _keys(table: Mapping[str, Any], cls: type, where: str, prefix: str = "") -> None:
    """Every key of ``table`` is a field of the dataclass ``cls``."""
    valid = [prefix + f.name for f in fields(cls) if f.name != "source"]
    for key in table:
        if prefix + key not in valid:
            shown = (prefix + str(key))[:60]
            hint = closest(shown, valid)
            raise ConfigError(f"{where}: unknown key {shown!r}{hint}", field=prefix + str(key))


_SHARES = ("confidence_threshold", "min_coverage")  # the Share fields, said as a range
# What a pattern-checked value should look like, for the error message.
_PATTERNS = {
    _REGION: "a two-letter country code such as 'GB'",
    _PROXY_URL: "a proxy URL (http://, https://, socks4://, socks5h://...)",
    _HTTP_URL: "an http(s) URL",
}


def typed(data: Mapping[str, Any], cls: type[T], where: str) -> T:
    """``data`` as ``cls`` (a dataclass), every value checked by msgspec; one-line errors."""
    _keys(data, cls, where)
    try:
        return msgspec.convert(data, type=cls, strict=True)
    except msgspec.ValidationError as exc:
        message, _, at = str(exc).partition(" - at `$")
        key = at.rstrip("`").lstrip(".") or "value"
        message = message[0].lower() + message[1:]
        leaf = key.rsplit(".", 1)[-1]
        for pattern, wanted in _PATTERNS.items():
            if message.endswith(f"matching regex {pattern!r}"):
                message = f"expected {wanted}"
        if ", got `" in message:
            message = f"{leaf!r} has the wrong type ({message})"
        elif leaf in _SHARES:
            message = f"must be between 0 and 1 ({message})"
        raise ConfigError(f"{where}: {key}: {message}", field=key) from None


def _checker_sections() -> dict[str, str]:
    """Section name -> where its option set is declared (``module:attribute``)."""
    from importlib.metadata import entry_points  # lazy: scans installed packages' metadata

    found = {ep.name: f"{ep.value}.options" for ep in entry_points(group="exposure.checkers")}
    return {**found, **EXTRA_SECTIONS}


def _options_type(target: str) -> type | None:
    """The option set a checker declares (``Checker.options``), or None when it declares none.

    Imported only for the sections the file has, so ``exposure --help`` stays fast.
    """
    from importlib import import_module

    module, _, attrs = target.partition(":")
    try:
        value: Any = import_module(module)
        for attr in attrs.split("."):
            value = getattr(value, attr)
    except (ImportError, AttributeError):
        return None  # a plug-in that cannot load is reported by the registry, not here
    return value if isinstance(value, type) else None


def _check_checkers(config: Config, where: str) -> None:
    sections = _checker_sections()
    checker_ids = [k for k in sections if k not in EXTRA_SECTIONS]
    for name in config.disabled:
        if name not in checker_ids:
            raise _unknown(where, "disabled", "checker", name, checker_ids)
    for name in config.private_fields:
        if name not in PROFILE_FIELDS:
            raise _unknown(where, "private_fields", "field", name, PROFILE_FIELDS)
    for name, options in config.checkers.items():
        if name not in sections:
            raise _unknown(where, "checkers", "checker", name, sections)
        declared = _options_type(sections[name])
        if declared is not None:
            typed(options, declared, f"{where} [checkers.{name}]")


def load(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults."""
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        except RecursionError:
            raise ConfigError(f"{path}: not valid TOML (nested too deeply)") from None
    for table in ("http", "browser"):
        if not isinstance(data.get(table, {}), dict):
            raise ConfigError(f"{path}: [{table}] must be a table", field=table)
        _keys(
            data.get(table, {}),
            {"http": HttpConfig, "browser": BrowserConfig}[table],
            str(path),
            f"{table}.",
        )
    config = typed(data, Config, str(path))
    config.source = path
    _check_checkers(config, str(path))
    proxy = os.environ.get("EXPOSURE_PROXY")
    if proxy:
        config.http.proxy = proxy
    if (path.parent / DEMO_MARKER).exists():
        config.http.loopback_only = True  # whatever the file says: a demo folder stays on loopback
    return config


def load_current() -> Config:
    """The config of the current ``$EXPOSURE_HOME`` (or platformdirs) installation."""
    from exposure import paths

    return load(paths.current().config_file)
