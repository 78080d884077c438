"""A record's own link: the one that leads to this person's page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.extract.blocks import _Block

# --------------------------------------------------------------------------- links


_LINK_WORDS = re.compile(r"view|detail|profile|report|record|more|open|see|result|person", re.I)


def _safe_url(href: str, base_url: str) -> str | None:
    href = clean(href).strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = urljoin(base_url, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url[:2000]


def _record_url(block: _Block, name: str, base_url: str) -> str | None:
    from exposure.people.names import fold

    key = fold(name)
    scored: list[tuple[int, int, str]] = []
    for index, (text, href, _) in enumerate(block.links):
        url = _safe_url(href, base_url)
        if url is None:
            continue
        folded = fold(text)
        if key and folded and (folded == key or key in folded):
            rank = 0
        elif _LINK_WORDS.search(text) or _LINK_WORDS.search(href):
            rank = 1
        else:
            rank = 2
        scored.append((rank, index, url))
    if not scored:
        return None
    return min(scored)[2]
