"""Is this profile URL one of the person's own accounts? (read by the sites and GitHub checkers)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit


def normalise_url(url: str) -> str:
    """A URL reduced for "is this the same profile?": no scheme, ``www.``, case or end slash."""
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = unquote(parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}".lower()


def is_own_account(profile_url: str, accounts: Iterable[str]) -> bool:
    target = normalise_url(profile_url)
    return any(normalise_url(a) == target for a in accounts if a and a.strip())
