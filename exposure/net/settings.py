"""The client's settings, resolved from ``[http]`` config and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exposure.config import HttpConfig


@dataclass(frozen=True)
class HttpSettings:
    """Everything the client needs, resolved from config and command line."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # seconds between bytes
    # the whole request: robots.txt, every hop, retry and wait (queueing at our gate excluded)
    deadline: float = 30.0
    max_bytes: int = 5 * 1024 * 1024  # decoded body cap; longer bodies are truncated
    retries: int = 2  # extra tries after the first
    backoff: float = 0.5  # first wait between tries; doubles each time
    retry_after_cap: float = 30.0  # longest Retry-After we wait for
    per_host_concurrency: int = 2
    min_interval: float = 0.1  # seconds between request starts to one host
    user_agent: str = "exposure (personal privacy self-audit)"
    proxy: str = ""  # overrides HTTPS_PROXY and friends when set
    respect_robots: bool = True
    allow_private_redirects: bool = False  # follow public -> private-address redirects too
    # robots.txt answers kept between scans (24 h, RFC 9309); empty: only for this client
    robots_cache: str = ""
    loopback_only: bool = False  # refuse every host that is not 127.0.0.0/8, ::1 or localhost
    # TEST-ONLY: networks treated as public although they are in PRIVATE_NETWORKS, so a
    # loopback test server (127.0.0.2) can stand in for a public site. Not in config.toml.
    public_test_networks: tuple[str, ...] = ()


def settings_from(config: HttpConfig, timeout: float | None = None) -> HttpSettings:
    """Build settings from ``[http]`` config; ``timeout`` is the ``--timeout`` value.

    ``--timeout`` sets the read timeout and scales the deadline by the same
    factor, so ``--timeout 60`` on a slow link gives slow servers room overall
    too; the connect timeout never exceeds it.
    """
    read = config.timeout
    deadline = config.deadline
    connect = config.connect_timeout
    if timeout is not None:
        if timeout <= 0:
            raise ValueError("timeout must be a positive number of seconds")
        scale = timeout / config.timeout if config.timeout > 0 else 1.0
        read = timeout
        deadline = max(config.deadline * scale, timeout)
        connect = min(connect, timeout)
    return HttpSettings(
        connect_timeout=connect,
        read_timeout=read,
        deadline=deadline,
        max_bytes=config.max_bytes,
        retries=max(0, config.retries),
        backoff=max(0.0, config.backoff),
        retry_after_cap=max(0.0, config.retry_after_cap),
        per_host_concurrency=max(1, config.per_host_concurrency),
        min_interval=max(0.0, config.min_interval),
        user_agent=config.user_agent,
        proxy=config.proxy,
        respect_robots=config.respect_robots,
        allow_private_redirects=config.allow_private_redirects,
        loopback_only=config.loopback_only,
    )
