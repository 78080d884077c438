"""A scan context for checker tests: fast, loopback-only HTTP settings."""

from __future__ import annotations

from typing import Any

from exposure.checkers.base import ScanContext
from exposure.config import Config, HttpConfig
from exposure.model import Profile
from exposure.net.http import HttpClient, settings_from

# No retries, short timeouts, no politeness waits: tests talk to our own servers.
FAST_HTTP: dict[str, Any] = {
    "retries": 0,
    "backoff": 0.01,
    "retry_after_cap": 0.1,
    "min_interval": 0.0,
    "timeout": 0.5,
    "deadline": 2.0,
    "connect_timeout": 0.5,
}


def scan_context(
    profile: Profile,
    *,
    checkers: dict[str, dict[str, Any]] | None = None,
    private: tuple[str, ...] = (),
    options: dict[str, Any] | None = None,
    **http: Any,
) -> ScanContext:
    """A ScanContext for ``profile`` with ``[checkers.<id>]`` settings and HTTP overrides."""
    config = Config(http=HttpConfig(**{**FAST_HTTP, **http}), private_fields=list(private))
    config.checkers.update(checkers or {})
    return ScanContext(
        profile=profile,
        config=config,
        http=HttpClient(settings_from(config.http)),
        options=dict(options or {}),
    )
