"""Reading one candidate record (a card, a row, a list item) into lines,
links, name hints and address hints, iteratively.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from exposure.extract.labels import _RELATIVE_LABEL
from exposure.extract.names import looks_like_name
from exposure.extract.page import _HEADING_TAGS

# --------------------------------------------------------------------------- text of a block

_INLINE = frozenset(
    {"a", "b", "strong", "em", "i", "u", "small", "abbr", "mark", "font", "sup", "sub", "q",
     "cite", "bdi", "bdo", "s", "ins", "del", "wbr", "tt", "big", "nobr"}
)  # fmt: skip
_LABEL_DT = re.compile(r"^[\w .'/()-]{1,30}:?$")
_SPACE_COMMA = re.compile(r"\s+,")


@dataclass
class _Block:
    """What one candidate record holds: its text lines, links and name hints."""

    lines: list[str]
    # (text, href or attribute value, inside another person's part: relatives, AKA)
    links: list[tuple[str, str, bool]]
    hints: list[str]  # texts of elements likely to hold the name, best first
    addresses: list[str]  # texts of <address> elements and address-classed nodes
    roots: Sequence[Any] = ()  # the elements the block was read from (for microdata)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_NAME_CLASS = re.compile(r"(?:^|[\s_-])(?:full-?name|name|person-?name|fn|title)(?:$|[\s_-])", re.I)
_ADDR_CLASS = re.compile(r"(?:^|[\s_-])(?:address|street|adr)(?:$|[\s_-])", re.I)


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
    links: list[tuple[str, str, bool]] = []
    hints: list[tuple[int, str]] = []
    addresses: list[str] = []
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
                links.append((text, el.get("href", ""), other))
            for attr in _LINK_ATTRS:
                value = el.get(attr)
                if value:
                    links.append(("", value, False) if attr != "onclick" else ("", value, True))
            if after_relatives or _starts_with_relatives_label("".join(current)):
                after_relatives = True
            elif tag in _HEADING_TAGS or tag in ("strong", "b", "dt", "a"):
                rank = 0 if tag in _HEADING_TAGS else (1 if tag != "a" else 2)
                hints.append((rank, el.text_content()))
            elif el.get("itemprop") in ("name", "fullName") or _NAME_CLASS.search(
                el.get("class", "")
            ):
                hints.append((0, el.text_content()))
            if (
                tag == "address"
                or el.get("itemprop") in ("address", "streetAddress")
                or (_ADDR_CLASS.search(el.get("class", "")))
            ):
                addresses.append(" ".join(el.text_content().split()))
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
    )


def _starts_with_relatives_label(text: str) -> bool:
    text = text.lstrip()
    if not text:
        return False
    match = _RELATIVE_LABEL.search(text[:60])
    return match is not None and match.start() <= 3
