"""A record's own link: the one that leads to this person's page.

Real result cards keep it in many places: an ``<a href>`` on the name or on a
"View Details" button, the whole card being one ``<a>``, an attribute on the
card (``data-detail-link``, ``data-href``, ``data-link``, ``itemid``...), an
``onclick`` handler, or a query parameter of a link. Links inside the card
that lead to *other* people (relatives, associates, AKA names) are not it,
and neither is a link every record on the page shares (a name search, an
upsell): :func:`choose_record_urls` picks, per record, the best candidate no
other record has.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from exposure.extract.blocks import LinkKind
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.extract.blocks import _Block

_LINK_WORDS = re.compile(r"view|detail|profile|report|record|more|open|see|result|person", re.I)
_ONCLICK_URL = re.compile(
    r"""(?:location(?:\.href)?\s*=|open\(|assign\(|navigate\()\s*['"]([^'"]{1,500})['"]"""
)
_NOT_RECORD = re.compile(
    r"/(?:search|results?|login|signin|signup|register|premium|checkout|optout|opt-out|"
    r"removal|privacy|terms|about|help|faq)(?:[/?#.]|$)|[?&](?:utm_|aff)",
    re.I,
)


def _safe_url(href: str, base_url: str) -> str | None:
    href = clean(href).strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    try:
        url = urljoin(base_url, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url[:2000]


def url_candidates(block: _Block, name: str, base_url: str) -> list[str]:
    """The block's links that could be its own, best first."""
    from exposure.extract.names import looks_like_name
    from exposure.people.names import fold

    key = fold(name)
    scored: list[tuple[int, int, str]] = []
    for index, link in enumerate(block.links):
        text, value = link.text, link.value
        if link.kind is LinkKind.ONCLICK:  # an onclick handler: the URL inside it
            match = _ONCLICK_URL.search(value)
            if not match:
                continue
            value = match.group(1)
        elif link.other:
            continue
        url = _safe_url(value, base_url)
        if url is None:
            continue
        folded = fold(text)
        if link.kind is not LinkKind.ANCHOR:
            rank = 0  # the card's own attribute or handler
        elif not folded:
            # An anchor with no text (an icon, an empty city link): a record link
            # only if its URL says so.
            rank = 2 if _LINK_WORDS.search(value) else 3
        elif key and folded and (folded == key or key in folded):
            rank = 1
        elif looks_like_name(text):
            continue  # a link to another person (a relative, an associate)
        elif _LINK_WORDS.search(text) or _LINK_WORDS.search(value):
            rank = 2
        else:
            rank = 3
        if _NOT_RECORD.search(urlsplit(url).path + "?" + urlsplit(url).query):
            rank += 4
        scored.append((rank, index, url))
    return [url for _, _, url in sorted(scored)]


def _record_url(block: _Block, name: str, base_url: str) -> str | None:
    found = url_candidates(block, name, base_url)
    return found[0] if found else None


def choose_record_urls(candidates: Sequence[Sequence[str]]) -> list[str | None]:
    """Per record, its best candidate that no other record on the page has
    (a link all records share is the page's, not a record's)."""
    owners: Counter[str] = Counter()
    for urls in candidates:
        owners.update(set(urls))
    out: list[str | None] = []
    for urls in candidates:
        own = [u for u in urls if owners[u] == 1]
        out.append(own[0] if own else (urls[0] if urls and len(candidates) == 1 else None))
    return out
