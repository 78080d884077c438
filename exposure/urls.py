"""The one rule for "is this a web URL": an http(s) URL with a host."""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def has_web_scheme(url: str) -> bool:
    """``url``'s scheme is http or https (any case); says nothing of its host."""
    return urlsplit(url).scheme.lower() in WEB_SCHEMES


def is_web_url(url: str) -> bool:
    """``url`` is http or https (any case) and names a host; unparseable text is not."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and other unparseable hosts
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
