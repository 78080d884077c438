"""Reading one candidate record (a card, a row, a list item) into lines,
links, name hints and address hints, iteratively.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from exposure.extract.labels import _RELATIVE_LABEL
from exposure.extract.names import looks_like_name
from exposure.extract.page import _HEADING_TAGS
from exposure.extract.places import _STREET, _is_region, _plausible_place

# --------------------------------------------------------------------------- text of a block

_INLINE = frozenset(
    {"a", "b", "strong", "em", "i", "u", "small", "abbr", "mark", "font", "sup", "sub", "q",
     "cite", "bdi", "bdo", "s", "ins", "del", "wbr", "tt", "big", "nobr"}
)  # fmt: skip
# Within one visual line a <span> is inline too (the walker above splits at
# spans, because cards print each field in its own span).
_LINE_INLINE = _INLINE | {"span"}
_LABEL_DT = re.compile(r"^[\w .'/()-]{1,30}:?$")
_SPACE_COMMA = re.compile(r"\s+,")


class LinkKind(Enum):
    """Where a candidate record link was found."""

    ANCHOR = "anchor"  # an <a href>; its text is the anchor's text
    ATTRIBUTE = "attribute"  # data-href, data-detail-link, itemid... on the card
    ONCLICK = "onclick"  # a URL inside an onclick handler


@dataclass(frozen=True)
class Link:
    text: str
    value: str  # the href, the attribute's value, or the onclick source
    kind: LinkKind
    # Inside another person's part of the card (relatives, AKA names).
    other: bool = False


@dataclass
class _Block:
    """What one candidate record holds: its text lines, links and name hints."""

    lines: list[str]
    links: list[Link]
    hints: list[str]  # texts of elements likely to hold the name, best first
    addresses: list[str]  # texts of <address> elements and address-classed nodes
    roots: Sequence[Any] = ()  # the elements the block was read from (for microdata)
    # Short texts the markup marks as the chosen one of a row ("active",
    # "selected", aria-current): the age band a page highlights among all bands.
    marked: Sequence[str] = ()
    # Short texts of elements whose class says city or location ("Dallas" in a
    # span.person-card__city): the record's place even without a region.
    places: Sequence[str] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_MARKED_CLASS = re.compile(
    r"(?:^|\s)(?:active|is-active|selected|current|highlighted?)(?:$|\s)", re.I
)
_NAME_CLASS = re.compile(r"(?:^|[\s_-])(?:full-?name|name|person-?name|fn|title)(?:$|[\s_-])", re.I)
_ADDR_CLASS = re.compile(r"(?:^|[\s_-])(?:address|street|adr)(?:$|[\s_-])", re.I)
_PLACE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:city|town|locality|location|hometown|residence)(?:$|[\s_-])", re.I
)


# Attributes that hold a record's link instead of (or besides) an <a href>.
_LINK_ATTRS = (
    "data-detail-link",
    "data-href",
    "data-link",
    "data-details",
    "data-url",
    "data-detail-url",
    "itemid",
    "onclick",
)


def _header_labels(row: Any) -> list[str]:
    """Column headers of the table a row belongs to (for "Header: cell" lines)."""
    table = next((a for a in row.iterancestors("table")), None)
    if table is None:
        return []
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if cells and all(c.tag == "th" for c in cells):
            return [" ".join(c.text_content().split()) for c in cells]
        if cells:
            return []
    return []


def _block(elements: Sequence[Any]) -> _Block:
    """Walk the elements iteratively and collect lines, links and name hints."""
    lines: list[str] = []
    links: list[Link] = []
    hints: list[tuple[int, str]] = []
    addresses: list[str] = []
    marked: list[str] = []
    places: list[str] = []
    current: list[str] = []
    # Names after a "Relatives:" label are the relatives', never the record's own.
    after_relatives = False

    def flush() -> None:
        nonlocal after_relatives
        # Inline spans separated by markup whitespace give "Seattle , WA": close the gap.
        line = _SPACE_COMMA.sub(",", " ".join("".join(current).split()))
        if line and line[0] == "," and lines and len(lines[-1]) < 200:
            # "<span>Seattle</span>, <span>WA</span>": the comma continues the line.
            lines[-1] = f"{lines[-1]}{line}"
            line = ""
        elif line and lines and lines[-1].endswith(",") and _region_tail(line):
            # "<span>Chicago</span>,</span> <span>IL</span>": the same, comma first.
            lines[-1] = f"{lines[-1]} {line}"
            line = ""
        if line:
            lines.append(line)
            if not after_relatives and _starts_with_relatives_label(line):
                after_relatives = True
        current.clear()

    for root in elements:
        headers = _header_labels(root) if root.tag == "tr" else []
        if headers:
            cells = [c for c in root if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if len(cells) != len(headers):
                headers = []  # a spanning details row: the column labels do not apply
        cell_index = 0
        # Iterative walk: ("open", el) / ("close", el) events.
        stack: list[tuple[bool, Any]] = [(False, root)]
        while stack:
            closing, el = stack.pop()
            tag = el.tag if isinstance(el.tag, str) else ""
            if closing:
                if tag == "dt":
                    text = "".join(current).strip()
                    if text and _LABEL_DT.match(text) and not looks_like_name(text.rstrip(":")):
                        current.append("" if text.endswith(":") else ": ")
                        if el.tail:
                            current.append(el.tail)
                        continue
                if tag not in _INLINE:
                    flush()
                if el.tail and el is not root:
                    current.append(el.tail)
                continue
            if tag not in _INLINE:
                flush()
            if tag in ("td", "th") and headers:
                if cell_index < len(headers) and headers[cell_index]:
                    current.append(f"{headers[cell_index].rstrip(':')}: ")
                cell_index += 1
            if tag == "br":
                flush()
            elif el.text:
                current.append(el.text)
            if tag == "a" and el.get("href"):
                text = " ".join(el.text_content().split())
                other = after_relatives or _starts_with_relatives_label("".join(current))
                links.append(Link(text, el.get("href", ""), LinkKind.ANCHOR, other))
            for attr in _LINK_ATTRS:
                value = el.get(attr)
                if value:
                    kind = LinkKind.ONCLICK if attr == "onclick" else LinkKind.ATTRIBUTE
                    links.append(Link("", value, kind))
            if after_relatives or _starts_with_relatives_label("".join(current)):
                after_relatives = True
                if tag in _HEADING_TAGS:
                    # A heading after a relatives label (a column header row
                    # "Name | Age | Relatives" above the card): the record's own
                    # name only when nothing before the label named anyone.
                    hints.append((3, _leading_text(el)))
            elif tag in _HEADING_TAGS or tag in ("strong", "b", "dt", "a"):
                rank = 0 if tag in _HEADING_TAGS else (1 if tag != "a" else 2)
                hints.append((rank, _leading_text(el)))
            elif el.get("itemprop") in ("name", "fullName") or _NAME_CLASS.search(
                el.get("class", "")
            ):
                hints.append((0, _leading_text(el)))
            if _MARKED_CLASS.search(el.get("class", "")) or "true" in (
                el.get("aria-current", ""),
                el.get("aria-selected", ""),
            ):
                text = " ".join(el.text_content().split())
                if 0 < len(text) <= 12:
                    marked.append(text)
            if (
                tag == "address"
                or el.get("itemprop") in ("address", "streetAddress")
                or (_ADDR_CLASS.search(el.get("class", "")))
            ):
                addresses.append(" ".join(el.text_content().split()))
            elif not after_relatives:
                addresses.extend(_titled_streets(el))
                classes = el.get("class")
                if classes and _PLACE_CLASS.search(classes):
                    text = " ".join(el.text_content().split())
                    if text and _plausible_place(text) and not any(c.isdigit() for c in text):
                        places.append(text)
            stack.append((True, el))
            children = [c for c in el if c is not None]
            for child in reversed(children):
                stack.append((False, child))
        flush()
    hints.sort(key=lambda h: h[0])  # stable: document order within a rank
    return _Block(
        lines=lines,
        links=links,
        hints=[h for _, h in hints],
        addresses=addresses,
        roots=list(elements),
        marked=marked,
        places=places,
    )


# A tooltip's address ends at the end of the attribute or at a separator phrase.
_TOOLTIP_END = re.compile(r"\s[-–—|•·]\s|[|;]")
_TOOLTIP_ATTRS = ("title", "aria-label")


_POSTCODE_TAIL = re.compile(r"\s+(?:\d{4,5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$")


def _region_tail(line: str) -> bool:
    """A line that finishes a place cut after its comma: "IL", "Queensland", "NSW 2000"."""
    return len(line) <= 30 and _is_region(_POSTCODE_TAIL.sub("", line))


def _titled_streets(el: Any) -> list[str]:
    """Street addresses a page spells only in a tooltip: ``<a title="Property
    details for the address 12 Oak St, Springfield IL 62701">Springfield, IL</a>``
    shows the town and keeps the street in the ``title``."""
    out: list[str] = []
    for attr in _TOOLTIP_ATTRS:
        value = el.get(attr)
        if not value or len(value) > 400:
            continue
        text = " ".join(value.split())
        for match in _STREET.finditer(text):
            rest = text[match.start() : match.start() + 120]
            end = _TOOLTIP_END.search(rest, match.end() - match.start())
            out.append((rest[: end.start()] if end else rest).strip(" ,."))
    return out


def _leading_text(el: Any) -> str:
    """The element's first visual line: its text up to the first block-level
    child or ``<br>``, through inline children.

    ``<div class="name">Jane Doe <div class="location">Austin, TX</div></div>``
    and ``<h2><a><span>Jane Doe</span><br><span>Austin, TX</span></a></h2>``
    name Jane Doe, not "Jane Doe Austin, TX". An element whose text is all in
    block children (``<div class="name"><h2>Jane Doe</h2></div>``) gives its
    whole text.
    """
    parts: list[str] = []
    # Iterative walk over inline descendants: (element, tail-only).
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack and len(parts) < 200:
        node, tail_only = stack.pop()
        if tail_only:
            parts.append(node.tail or "")
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        if node is not el and (tag == "br" or (tag and tag not in _LINE_INLINE)):
            break
        if tag:
            parts.append(node.text or "")
        if node is not el:
            stack.append((node, True))
        for child in reversed(list(node)):
            stack.append((child, False))
    text = "".join(parts)
    return text if text.strip() else str(el.text_content())


def _starts_with_relatives_label(text: str) -> bool:
    text = text.lstrip()
    if not text:
        return False
    match = _RELATIVE_LABEL.search(text[:60])
    return match is not None and match.start() <= 3
