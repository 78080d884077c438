"""Segmenting a page into records: repeated blocks found without per-site selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from exposure.extract.blocks import _block
from exposure.extract.fields import _EMAIL
from exposure.extract.labels import _PLACE_LABEL, _RELATIVE_LABEL
from exposure.extract.names import _find_name
from exposure.extract.page import _TOKEN_SPLIT, MAX_BLOCK_TEXT, MAX_NODES, MAX_RECORDS
from exposure.extract.places import _PLACE_US, _STREET

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_QUICK_NAME = re.compile(
    rf"(?:[{_UPPER}][^\W\d_'’\-]+|[{_UPPER}]\.?)\s+(?:[{_UPPER}]\.?\s+)?[{_UPPER}][^\W\d_'’\-]+"
    rf"|[{_UPPER}][^\W\d_a-z'’\-]+,\s*[{_UPPER}]",
)
_QUICK_AGE = re.compile(
    r"\bage[ds]?\b|\byears?\s+old\b|\bborn\b|\bb\.\s*\d|\(\d{2}\)|\bin\s+(?:their|his|her)\s", re.I
)
_QUICK_PHONE = re.compile(r"\d{3}\)?[\s.\-]\d{3}[\s.\-]?\d{3,4}|\+\d[\d\s\-]{7,}")
_QUICK_PLACE = re.compile(r",\s*[A-Z]{2}\b|,\s*[A-Z][a-z]+|\blives?\s+in\b|\blocation", re.I)
_QUICK_MAIL = re.compile(r"@[\w-]+\.")


# Classes that alternate or mark state between otherwise identical rows: zebra
# striping ("even"/"odd", "row-alt", "stripe-a"), first/last, hover/selected.
_ZEBRA_WORDS = frozenset(
    """even odd alt alternate alternating striped stripe stripes zebra first last
    active selected highlight highlighted hover a b""".split()  # noqa: SIM905
)


def _is_zebra_class(cls: str) -> bool:
    low = cls.casefold()
    if low in _ZEBRA_WORDS:
        return True
    parts = [p for p in _TOKEN_SPLIT.split(low) if p]
    if len(parts) < 2:
        return False
    # "row-even", "tr_odd", "stripe-a", "bg-light": one zebra word marks the whole class.
    return (
        parts[-1] in _ZEBRA_WORDS
        and parts[-1] not in ("a", "b")
        or (parts[0] in ("stripe", "striped", "zebra", "alt") and len(parts) == 2)
    )


def _signature(el: Any) -> tuple[str, ...]:
    sig: list[str] = []
    node = el
    for _ in range(3):
        if node is None or not isinstance(node.tag, str):
            break
        classes = " ".join(
            sorted(
                c
                for c in node.get("class", "").split()
                if not any(ch.isdigit() for ch in c) and not _is_zebra_class(c)
            )
        )
        sig.append(f"{node.tag}.{classes}")
        node = node.getparent()
    return tuple(sig)


@dataclass
class _Candidate:
    blocks: list[list[Any]]
    score: float
    avg_len: float


def _quick_score(text: str) -> tuple[bool, int]:
    if not _QUICK_NAME.search(text):
        return False, 0
    facts = sum(bool(p.search(text)) for p in (_QUICK_AGE, _QUICK_PHONE, _QUICK_PLACE, _QUICK_MAIL))
    return True, facts


def _score_blocks(blocks: list[list[Any]]) -> _Candidate | None:
    total = 0.0
    with_facts = 0
    named = 0
    length = 0
    for members in blocks[:MAX_RECORDS]:  # a sample is enough to judge a huge group
        text = " ".join(m.text_content() for m in members)
        length += len(text)
        if len(text) > MAX_BLOCK_TEXT:
            continue
        has_name, facts = _quick_score(text)
        if has_name:
            named += 1
            total += 1 + facts
            with_facts += facts > 0
    if named < 2 or with_facts * 2 < named:
        return None
    return _Candidate(blocks=blocks, score=total, avg_len=length / max(len(blocks), 1))


def _under_relatives_label(el: Any) -> bool:
    """Is this group a list of relatives inside one profile (label just before it)?"""
    for node in (el, *list(el.iterancestors())[:3]):
        prev = node.getprevious()
        hops = 0
        while prev is not None and hops < 2:
            if isinstance(prev.tag, str):
                text = prev.text_content().strip()
                if text and len(text) < 60:
                    return bool(_RELATIVE_LABEL.search(text))
            prev = prev.getprevious()
            hops += 1
    return False


def _candidates(root: Any) -> list[_Candidate]:
    groups: dict[tuple[str, ...], list[Any]] = {}
    segments: list[list[list[Any]]] = []
    for count, el in enumerate(root.iter()):
        if count > MAX_NODES:
            break
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        groups.setdefault(_signature(el), []).append(el)
        children = [c for c in el if isinstance(c.tag, str)]
        if len(children) >= 4:
            segments.extend(_segment_groups(children))
    out: list[_Candidate] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        member_set = set(members)
        # Keep the outermost members (same signature nested inside another member).
        top = [m for m in members if not any(a in member_set for a in m.iterancestors())]
        if len(top) < 2 or _under_relatives_label(top[0]):
            continue
        cand = _score_blocks(_join_split_records(top))
        if cand:
            out.append(cand)
    for blocks in segments:
        if _under_relatives_label(blocks[0][0]):
            continue
        cand = _score_blocks(blocks)
        if cand:
            cand.score *= 1.05  # a heading with its details beats the bare headings
            out.append(cand)
    out.sort(key=lambda c: (-c.score, c.avg_len))
    return out


_DETAIL_PATTERNS = (_QUICK_PHONE, _EMAIL, _STREET, _PLACE_US, _RELATIVE_LABEL)


def _has_details(text: str) -> bool:
    """Person details beyond a name and an age: phone, email, street, place, relatives."""
    return any(p.search(text) for p in _DETAIL_PATTERNS) or any(
        _PLACE_LABEL.match(line.strip()) and len(line.strip()) > 8 for line in text.splitlines()
    )


def _next_element(el: Any) -> Any:
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    return nxt


def _name_only(el: Any) -> bool:
    text = el.text_content()
    return len(text) < 400 and bool(_QUICK_NAME.search(text)) and not _has_details(text)


def _details_only(el: Any) -> bool:
    text = el.text_content()
    if len(text) > MAX_BLOCK_TEXT or not _has_details(text):
        return False
    return not _find_name(_block([el]))


def _join_split_records(members: list[Any]) -> list[list[Any]]:
    """One block per member, except that a member holding a name but no details
    whose next sibling (same tag) holds details but no name of its own is joined
    with it: tables print a person as a name row plus a details row."""
    probe = members[:6]
    if not any(
        (nxt := _next_element(m)) is not None and nxt.tag == m.tag and _name_only(m) for m in probe
    ):
        return [[m] for m in members]
    blocks: list[list[Any]] = []
    taken: set[Any] = set()
    for member in members:
        if member in taken:
            continue
        nxt = _next_element(member)
        if nxt is not None and nxt.tag == member.tag and _name_only(member) and _details_only(nxt):
            blocks.append([member, nxt])
            taken.add(nxt)
        else:
            blocks.append([member])
    return blocks


def _segment_groups(children: list[Any]) -> list[list[list[Any]]]:
    """Split a run of siblings into records at each repeated "head" element
    (``<dt>`` in a dictionary list, a heading followed by paragraphs)."""
    out: list[list[list[Any]]] = []
    tags = [c.tag for c in children]
    for head in ("dt", "h2", "h3", "h4", "h5", "strong", "b", "p"):
        if tags.count(head) < 2 or tags.count(head) == len(tags):
            continue
        blocks: list[list[Any]] = []
        for child in children:
            if child.tag == head:
                blocks.append([child])
            elif blocks:
                blocks[-1].append(child)
        if len(blocks) >= 2 and any(len(b) > 1 for b in blocks):
            out.append(blocks)
    return out


def _main_block(root: Any) -> Any:
    for xpath in (
        "//main",
        "//*[@role='main']",
        "//article",
        "//*[@id='content' or @id='main' or @id='profile']",
    ):
        found = root.xpath(xpath)
        if found:
            return found[0]
    body = root.find("body")
    return body if body is not None else root
