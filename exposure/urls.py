"""The one rule for "is this a web URL": an http(s) URL with a host."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_web_url(url: str) -> bool:
    """``url`` is http or https (any case) and names a host; unparseable text is not."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and other unparseable hosts
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
