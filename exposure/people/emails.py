"""An email as its provider delivers it, for comparing a page's email with hers."""

from __future__ import annotations

__all__ = ["normalize_email_for_match"]


_DOT_INSENSITIVE = frozenset({"gmail.com", "googlemail.com"})
_PLUS_TAGS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "fastmail.com",
        "fastmail.fm",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "icloud.com",
        "me.com",
        "mac.com",
        "yandex.com",
        "yandex.ru",
    }
)


def normalize_email_for_match(email: str) -> str:
    """An email reduced to what its provider delivers on: case folded; for Gmail
    dots ignored and ``googlemail.com`` = ``gmail.com``; ``+tags`` dropped for
    providers known to ignore them. Other providers keep dots and tags."""
    email = email.strip().strip("<>").casefold()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    domain = domain.rstrip(".")
    if domain in _PLUS_TAGS:
        local = local.split("+", 1)[0]
    if domain in _DOT_INSENSITIVE:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"
