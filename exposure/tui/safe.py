"""Scraped text shown literally, and links opened only when they are web links.

Anything that came from the web may hold Rich markup ("[bold red]…[/]",
"[link=javascript:…]") or terminal control characters. Rich ``Text`` objects
are never parsed as markup, and :func:`exposure.textsafe.clean` strips control
characters, so every scraped value reaches a widget through :func:`literal`.
"""

from __future__ import annotations

import webbrowser
from datetime import UTC, datetime

from rich.text import Text

from exposure.textsafe import clean
from exposure.urls import is_web_url


def literal(value: object, *, limit: int | None = None, style: str = "") -> Text:
    """``value`` as inert text: no markup, no control characters."""
    return Text(clean("" if value is None else value, limit=limit), style=style)


def is_web_link(url: str) -> bool:
    """Only http(s) links with a host may be handed to the browser."""
    return is_web_url(url.strip())


def open_link(url: str) -> bool:
    """Open ``url`` in the browser if it is a web link; False when refused or failed."""
    if not is_web_link(url):
        return False
    try:
        return bool(webbrowser.open(url.strip()))
    except webbrowser.Error:
        return False


def when(moment: datetime | None) -> str:
    """A UTC time for people: ``2026-11-22 10:00 UTC`` (the same on every machine)."""
    if moment is None:
        return "never"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
