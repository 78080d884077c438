"""Generic person-record extraction from people-search result pages.

A broker's result page is a list of people: cards, table rows, list items,
definition lists. We find those repeated blocks *without per-site selectors*
(a catalogue entry may still give ``record_selector``), and pull out of each
block what identifies a person: name, age or birth year, places, street
addresses, phones (E.164), emails, relatives and the record's own link.

How the blocks are found (see :func:`extract_records`):

1. Decode bytes with charset sniffing (``bs4.UnicodeDammit``), cap the input
   (5 MiB) and parse with lxml (fast, C, tolerant of broken HTML; its depth
   limit flattens pathological nesting). We walk the tree iteratively, never
   recursively, and look at no more than ``MAX_NODES`` elements.
2. Drop page furniture: scripts, styles, nav, header, footer, forms, asides,
   iframes, hidden elements, JSON blobs, and elements whose class / id /
   aria-label says ad, sponsor, promo, nav, footer, breadcrumb, related... plus
   "People also searched"-style sections found by their heading. A JSON-LD
   ``Person`` inside a record is parked on its parent element first.
3. Group elements by a *signature* — tag and classes of the element, its
   parent and grandparent, with zebra/state classes ("even", "odd",
   "row-alt") left out — so cards split over grid rows and striped table rows
   still form one group. A member holding a name but no details whose next
   sibling holds details but no name (a table's name row + details row) is
   joined with it. Dictionary-style lists (``<dt>name</dt><dd>…</dd>``,
   heading + paragraphs) form "segment" groups. Each group is scored by how
   many members hold a plausible person name together with person facts (age,
   phone, place, address, email); the best group whose members really yield
   records wins. A page holding a single profile falls back to its main
   content block.
4. Per record: schema.org microdata (``itemprop`` name, nested PostalAddress,
   telephone, relatedTo/knows) or a JSON-LD Person gives fields outright; the
   text scan fills in the rest. "Name, Town" headings are split into the name
   and a place; age bands ("Age guide 35-39", "in their 40s") become
   ``age_range``, never an exact age.

Scraped text is hostile: every string is passed through
:func:`exposure.textsafe.clean` and stays plain data. Nothing in here raises on
bad input — a page we cannot read yields no records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from exposure.textsafe import clean

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_NODES",
    "Record",
    "decode_html",
    "extract_records",
    "fields_from_text",
    "looks_like_name",
    "page_says_no_results",
]

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_NODES = 60_000  # a real result page has a few thousand elements
MAX_RECORDS = 500
MAX_TEXT = 2000
MAX_BLOCK_TEXT = 6000  # a "record" longer than this is a container, not one person


@dataclass
class Record:
    """One person as a page shows them. Every string is cleaned, plain data."""

    name: str
    age: int | None = None
    birth_year: int | None = None
    places: list[str] = field(default_factory=list)  # current first: "Austin, TX"
    addresses: list[str] = field(default_factory=list)  # street addresses
    phones: list[str] = field(default_factory=list)  # E.164
    emails: list[str] = field(default_factory=list)
    relatives: list[str] = field(default_factory=list)
    url: str | None = None  # the record's own absolute http(s) link
    text: str = ""  # the record's visible text, capped
    # An age the page gives only as a band ("Age guide 35-39", "in their 40s"),
    # inclusive; ``age`` stays None then, so a band is never mistaken for an age.
    age_range: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "age": self.age,
            "birth_year": self.birth_year,
            "places": list(self.places),
            "addresses": list(self.addresses),
            "phones": list(self.phones),
            "emails": list(self.emails),
            "relatives": list(self.relatives),
            "url": self.url,
            "text": self.text,
            "age_range": list(self.age_range) if self.age_range else None,
        }


# --------------------------------------------------------------------------- decoding


def decode_html(html: str | bytes) -> str:
    """Text of a page: bytes decoded by sniffing (meta charset, BOM, chardet-free
    heuristics) with invalid sequences replaced; capped at ``MAX_INPUT_BYTES``."""
    if isinstance(html, str):
        return html[:MAX_INPUT_BYTES]
    data = bytes(html[:MAX_INPUT_BYTES])
    try:
        from bs4 import UnicodeDammit

        dammit = UnicodeDammit(data, is_html=True)
        if dammit.unicode_markup is not None:
            return dammit.unicode_markup
    except Exception:  # noqa: BLE001 - decoding must never raise
        pass
    return data.decode("utf-8", errors="replace")


def _parse(text: str) -> Any | None:
    """An lxml document for ``text``, or None when there is nothing to parse."""
    import lxml.html

    text = text.replace("\x00", "")
    # lxml refuses str input carrying an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    if not text.strip():
        return None
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
        return lxml.html.document_fromstring(text, parser=parser)
    except Exception:  # noqa: BLE001 - lxml raises ParserError on empty/odd input
        return None


# --------------------------------------------------------------------------- furniture

_DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "form",
        "aside",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "button",
        "select",
        "input",
        "textarea",
        "head",
        "title",
        "meta",
        "link",
        "dialog",
    }
)
_FURNITURE_TOKENS = frozenset(
    {
        "ad",
        "ads",
        "adv",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "adsbygoogle",
        "sponsor",
        "sponsored",
        "sponsors",
        "promo",
        "promoted",
        "promotion",
        "nav",
        "navbar",
        "navigation",
        "menu",
        "footer",
        "breadcrumb",
        "breadcrumbs",
        "related",
        "cookie",
        "cookies",
        "banner",
        "sidebar",
        "newsletter",
        "modal",
        "popup",
        "share",
        "social",
        "pagination",
        "pager",
        "masthead",
        "toolbar",
        "upsell",
        "similar",
        "suggestions",
        "suggested",
        "trending",
        "popular",
    }
)
_FURNITURE_PHRASE = re.compile(
    r"people\s+also|also\s+search|related\s+search|related\s+people|similar\s+(?:people|names|"
    r"profiles|searches)|other\s+people\s+named|popular\s+(?:names|searches)|trending|"
    r"you\s+may\s+also|sponsored|advertisement",
    re.I,
)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _tokens(value: str) -> set[str]:
    return {t for t in _TOKEN_SPLIT.split(value.casefold()) if t}


def _is_furniture(el: Any) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return True  # comments, processing instructions, entities
    tag = tag.lower()
    if tag in ("header", "footer"):
        # A page's header/footer is furniture; an <article>'s header holds its title.
        return next(el.iterancestors("article", "li", "td", "dd"), None) is None
    if tag in _DROP_TAGS:
        return True
    attrib = el.attrib
    if "hidden" in attrib or attrib.get("aria-hidden") == "true":
        return True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    role = attrib.get("role", "").casefold()
    if role in ("navigation", "banner", "contentinfo", "search", "complementary", "dialog"):
        return True
    marks = " ".join(attrib.get(k, "") for k in ("class", "id", "aria-label", "data-testid"))
    if marks.strip():
        if _tokens(marks) & _FURNITURE_TOKENS:
            return True
        label = attrib.get("aria-label", "")
        if label and _FURNITURE_PHRASE.search(label):
            return True
    return False


def _strip_furniture(doc: Any) -> None:
    """Remove page furniture in place (iteratively; the tree may be deep)."""
    doomed = []
    for count, el in enumerate(doc.iter()):
        if count > MAX_NODES:
            break
        if el is doc:
            continue
        if _is_furniture(el):
            doomed.append(el)
    for el in doomed:
        _drop(el)
    # "People also searched" sections announced by their heading.
    doomed = []
    tags = (*_HEADING_TAGS, "strong", "b", "p", "div", "span", "dt", "legend")
    for el in islice(doc.iter(*tags), MAX_NODES):
        own = (el.text or "").strip()
        if not own or len(own) > 80 or len(el) > 1:
            continue
        if not _FURNITURE_PHRASE.search(el.text_content()[:120]):
            continue
        doomed.extend(_furniture_section(el))
    for el in doomed:
        _drop(el)
    # JSON blobs left in visible elements.
    doomed = []
    for el in islice(doc.iter("div", "pre", "code", "p", "span", "section"), MAX_NODES):
        text = (el.text or "").strip()
        if len(el) == 0 and len(text) > 20 and text[0] in "{[" and text[-1] in "}]":
            doomed.append(el)
    for el in doomed:
        _drop(el)


def _furniture_section(heading: Any) -> list[Any]:
    """The heading and what it introduces: its parent when the parent holds
    nothing else of substance, else the heading and siblings up to the next heading."""
    parent = heading.getparent()
    if parent is None:
        return [heading]
    ptag = parent.tag if isinstance(parent.tag, str) else ""
    others = [
        h
        for h in parent.iter(*_HEADING_TAGS)
        if h is not heading and h not in heading.iterancestors()
    ]
    if ptag not in ("body", "html", "main") and not others:
        return [parent]
    out = [heading]
    sib = heading.getnext()
    while sib is not None and (not isinstance(sib.tag, str) or sib.tag not in _HEADING_TAGS):
        out.append(sib)
        sib = sib.getnext()
    return out


def _drop(el: Any) -> None:
    try:
        if el.getparent() is not None:
            el.drop_tree()
    except Exception:  # noqa: BLE001 - already detached
        pass


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
    links: list[tuple[str, str, bool]]  # (text, href, is_name_hint)
    hints: list[str]  # texts of elements likely to hold the name, best first
    addresses: list[str]  # texts of <address> elements and address-classed nodes
    roots: Sequence[Any] = ()  # the elements the block was read from (for microdata)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_NAME_CLASS = re.compile(r"(?:^|[\s_-])(?:full-?name|name|person-?name|fn|title)(?:$|[\s_-])", re.I)
_ADDR_CLASS = re.compile(r"(?:^|[\s_-])(?:address|street|adr)(?:$|[\s_-])", re.I)
_RELATIVE_LABEL = re.compile(
    r"\b(?:relatives?|related\s+to|associated\s+(?:persons?|people|with)|associates?|"
    r"known\s+associates|possible\s+relatives|family(?:\s+members)?|may\s+be\s+related|"
    r"related(?=\s*:)|"
    r"(?:other\s+)?occupants|household(?:\s+members)?|co-?residents|lives\s+with)\b",
    re.I,
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
                links.append((text, el.get("href", ""), False))
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


# --------------------------------------------------------------------------- names

_NAME_WORD = re.compile(r"^(?:[^\W\d_]\.?|[^\W\d_][^\W\d_'’.\-]*(?:['’\-][^\W\d_]+)*\.?)$")
_NOT_NAME_WORDS = frozenset(
    """
    age aged years old born phone phones number numbers address addresses email emails mail
    relatives relative associates associated related location locations city state zip country
    view details detail profile profiles report reports search searches result results people person
    name names current currently previous previously past lived lives living live home more see full
    background check contact info information records record public free privacy policy terms about
    sign login log opt out remove removal us our the of and for with by at in on to from your my
    premium unlock get new find street st avenue ave road rd drive dr lane ln boulevard blvd court
    ct way suite apt apartment unit cell mobile landline wireless also possible known family
    member members data date birth dob match matches page next prev back home menu help faq
    sponsored advertisement ad ads click here today now call text send message share filter sort
    show hide all none north south east west county united kingdom states america street road
    login signup account subscription trial only just best top verified updated update people's
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_PARTICLES = frozenset(
    "van von der den de del della di da du la le dos das st bin ibn al el ter ten".split()  # noqa: SIM905
)
_SUFFIXES = frozenset("jr sr ii iii iv v phd md esq".split())  # noqa: SIM905


def looks_like_name(text: str) -> bool:
    """Whether ``text`` could be a person's name as a page prints it.

    Two to five words of letters (initials, hyphens, apostrophes and name
    particles allowed), optionally "SURNAME, Given", no digits, no words that
    label page elements ("Phone Number", "View Details").
    """
    text = " ".join(text.split())
    if not (3 <= len(text) <= 70) or any(ch.isdigit() for ch in text):
        return False
    if text.count(",") > 1:
        return False
    words = text.replace(",", " ").split()
    if not (2 <= len(words) <= 5):
        return False
    real = 0
    for word in words:
        low = word.casefold().strip(".")
        if low in _NOT_NAME_WORDS:
            return False
        if not _NAME_WORD.match(word):
            return False
        if low in _PARTICLES or low in _SUFFIXES:
            continue
        if not word[0].isupper():
            return False
        if len(low) >= 2:
            real += 1
    if real < 2 and not (real == 1 and len(words) >= 2 and "," in text):
        return real >= 2
    if "," in text:
        head, _, tail = text.partition(",")
        tail = tail.strip()
        if not head.strip() or not tail:
            return False
        # "Austin, TX" / "Leeds, UK" are places, not "SURNAME, GIVEN".
        if tail.isupper() and len(tail) <= 3 and not head.isupper():
            return False
        if _is_region(tail):
            return False
    return True


def _is_region(text: str) -> bool:
    from exposure.people.names import fold
    from exposure.people.profile import CA_PROVINCES, US_STATES

    if text in US_STATES or text in CA_PROVINCES:
        return True
    return fold(text) in _REGION_NAMES()


_REGION_CACHE: set[str] = set()


def _REGION_NAMES() -> set[str]:  # noqa: N802 - a lazily built constant
    if not _REGION_CACHE:
        from exposure.people import profile

        _REGION_CACHE.update(profile._US_STATE_NAMES, profile._CA_PROVINCE_NAMES)
        _REGION_CACHE.update(profile._COUNTRIES)
    return _REGION_CACHE


_NAME_TAIL = re.compile(
    r"(?:\s*[,(\-–—|·•:]\s*|\s+)(?:age[ds]?\b|\d|born\b|b\.\s*\d|in\s|from\s|lives\b|of\s).*$",
    re.I,
)
_NAME_LABEL = re.compile(r"^\s*(?:full\s+)?name\s*:\s*", re.I)
_SPLITTERS = re.compile(r"\s*(?:[|•·;]|\s[-–—]\s)\s*")


def _name_candidates(text: str) -> Iterator[str]:
    text = " ".join(clean(text).split())
    text = _NAME_LABEL.sub("", text)
    if not text:
        return
    yield text
    cut = _NAME_TAIL.sub("", text).strip(" ,")
    if cut != text:
        yield cut
    for part in _SPLITTERS.split(text):
        part = part.strip(" ,")
        if part and part != text:
            yield part
            cut = _NAME_TAIL.sub("", part).strip(" ,")
            if cut != part:
                yield cut
    # "DOE, JANE Q, 43, Austin TX": first two comma parts.
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) >= 2:
        yield f"{pieces[0]}, {pieces[1]}"
        yield pieces[0]


def _find_name(block: _Block) -> str:
    return _find_name_place(block)[0]


def _find_name_place(block: _Block) -> tuple[str, list[str]]:
    """The record's own name and the places printed right after it
    ("Siobhan O'Neill, Leeds, LS1" → the name and ["Leeds, LS1"])."""
    for hint in block.hints:
        for cand in _name_candidates(hint):
            if looks_like_name(cand):
                return _split_place_tail(cand, hint, block)
    for line in block.lines:
        if _RELATIVE_LABEL.search(line) and not _NAME_LABEL.match(line):
            break  # names after a relatives label are not the record's own
        for cand in _name_candidates(line):
            if looks_like_name(cand):
                return _split_place_tail(cand, line, block)
    return "", []


_UK_POSTCODE = re.compile(
    r"^[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?$"  # "LS1", "SW1A 1AA"
)
_PLACE_TAIL_CUT = re.compile(
    r"\s*(?:[—–|•·;:(]|\s-\s|,\s*(?:age[ds]?\b|\d|born\b|b\.\s*\d)|\s+(?:age[ds]?|born)\b).*$",
    re.I | re.S,
)


def _split_place_tail(name: str, source: str, block: _Block) -> tuple[str, list[str]]:
    """Split "Given Family, Town" into the name and the town.

    "DOE, Jane" is a surname first and stays a name; "Jane Doe, Leeds" is a name
    followed by where the person lives. The tail counts as a place when it is a
    region or postcode, when the page marked the name apart from it (a link or
    heading holding just the name), or when the head is a full "Given Family"
    name and the tail is a capitalised word that is not a given name.
    """
    head, comma, tail = name.partition(",")
    head, tail = head.strip(), tail.strip()
    if not comma or not head or not tail or not looks_like_name(head):
        return name, []
    if not _place_like_tail(head, tail, block):
        return name, []
    # The place as printed: the tail plus what follows it up to the next
    # separator or age ("Leeds, LS1 — Age guide 35-39" → "Leeds, LS1").
    text = " ".join(clean(source).split())
    at = text.find(tail, text.find(head) + len(head)) if head in text else -1
    place = tail
    if at >= 0:
        rest = _PLACE_TAIL_CUT.sub("", text[at:]).strip(" ,.")
        if rest.startswith(tail) and len(rest) <= 60:
            place = rest
    us = _PLACE_US.fullmatch(place)
    return head, [_us_place(us) if us else place]


def _place_like_tail(head: str, tail: str, block: _Block) -> bool:
    from exposure.people.names import fold, given_variants

    words = tail.split()
    if not (1 <= len(words) <= 3) or any(ch.isdigit() for ch in tail):
        return False
    if _is_region(tail) or _PLACE_US.fullmatch(tail) or _UK_POSTCODE.match(tail):
        return True
    if len(head.split()) < 2 or head.isupper():
        return False  # "DOE, JANE" / "GARCIA LOPEZ, MARIA": surname first
    key = fold(head)
    if any(fold(h) == key for h in block.hints if h.strip() != f"{head}, {tail}"):
        return True  # the page marked the name on its own (a link, a heading)
    if not all(w[:1].isupper() for w in words):
        return False
    # A known given name after the comma reads as "SURNAME, Given".
    return not any(len(given_variants(w)) > 1 for w in words)


# --------------------------------------------------------------------------- fields

_AGE_PATTERNS = (
    re.compile(r"\bage[ds]?\s*[:\-]?\s*(\d{1,3})\b", re.I),
    re.compile(r"\b(\d{1,3})\s*(?:years?|yrs?)(?:\s*old|\s+of\s+age)?\b", re.I),
    re.compile(r"\b(\d{1,3})\s*y/?o\b", re.I),
    re.compile(r"\((\d{2,3})\)(?!\s*\d)"),
)
_BIRTH_PATTERN = re.compile(
    r"\b(?:born(?:\s+in)?|b\.|birth\s*year|year\s+of\s+birth|dob|date\s+of\s+birth|birth\s*date)"
    r"\s*[:\-]?\s*(?:[A-Za-z]{3,9}\.?\s+(?:\d{1,2},?\s+)?|\d{1,2}[/.\-]\d{1,2}[/.\-]|"
    r"\d{1,2}\s+[A-Za-z]{3,9}\s+)?((?:18|19|20)\d{2})\b",
    re.I,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_STREET_WORDS = (
    r"street|st|avenue|ave|av|road|rd|drive|dr|lane|ln|boulevard|blvd|court|ct|place|pl|way|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|close|crescent|cres|gardens|gdns|square|sq|"
    r"row|mews|grove|trail|trl|walk|hill|loop|path|pike|alley|crossing|xing|strasse|straße|str"
)
_STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
    r"(?:[^\W\d_][\w'’.\-]*\s+){0,4}(?:" + _STREET_WORDS + r")\b\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*#?\s*[\w\-]+)?",
    re.I,
)
_STREET_TAIL = re.compile(
    r"^,?\s*([^\W\d_][^,\n]{1,40}?),\s*([A-Za-z][A-Za-z .]{1,30}?)(?:\s+(\d{5}(?:-\d{4})?|"
    r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d))?(?=$|[\n,;|)])",
)
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Alberta|British Columbia|Manitoba|New Brunswick|Nova Scotia|"
    "Ontario|Quebec|Saskatchewan"
)
_PLACE_US = re.compile(
    r"(?<![\w])((?:[^\W\d_][\w'’.\-]*)(?:\s+[^\W\d_][\w'’.\-]*){0,3}),?\s+"
    r"(A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|PR|RI|"
    r"S[CD]|T[NX]|UT|V[TA]|W[AVIY]|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|"
    r"(?<=,\s)(?:" + _STATE_NAMES + r")|(?<=,)(?:" + _STATE_NAMES + r"))\b(?:\s+\d{5})?"
)
_PLACE_LABEL = re.compile(
    r"\b(?:lives?\s+in|living\s+in|resides\s+in|current(?:ly)?(?:\s+(?:city|location|address))?|"
    r"locations?|city|town|previous(?:ly)?(?:\s+(?:lived\s+in|in|at|locations?|cities|towns))?|"
    r"formerly(?:\s+(?:of|in|at))?|past\s+(?:locations?|"
    r"cities|places)|(?:used\s+to\s+live|also\s+lived|has\s+lived|lived)\s+in|places?|"
    r"address(?:es)?\s+history|locations?)\s*[:\-]?\s*",
    re.I,
)
_PAST_LABEL = re.compile(
    r"previous|past|formerly|used\s+to|also\s+lived|has\s+lived|lived\s+in|history", re.I
)
_CAPS_WORD = re.compile(r"^[A-Z]")
_SEGMENT = re.compile(r"\s+[—–|•·]\s+|\s+-\s+")


_NOT_PLACE_WORDS = frozenset(
    """age aged phone phones email emails relatives relative view details detail born years old
    report reports unlock save more profile open full see click here contact results search
    associated related premium yrs""".split()  # noqa: SIM905
)


def _plausible_place(text: str) -> bool:
    text = text.strip(" ,.;:")
    if not (2 <= len(text) <= 60) or "@" in text:
        return False
    if sum(ch.isdigit() for ch in text) > 8:
        return False
    words = text.replace(",", " ").split()
    if not words or len(words) > 8:
        return False
    lowered = {w.casefold().strip(".:") for w in words}
    if lowered & _NOT_PLACE_WORDS:
        return False
    return bool(_CAPS_WORD.match(text))


def _unique(items: Iterable[str]) -> list[str]:
    from exposure.people.names import fold

    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = fold(item)
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _find_age(text: str) -> int | None:
    """The first age the text states (a relative's age further on is not the record's)."""
    best: tuple[int, int] | None = None
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            value = int(match.group(1))
            if 1 <= value <= 120:
                if best is None or match.start() < best[0]:
                    best = (match.start(), value)
                break
    return best[1] if best else None


_RANGE_SEP = r"\s*(?:-|–|—|to)\s*"
_AGE_RANGES = (
    # "Age guide 35-39", "Age 40-44", "Aged 35 to 39", "Age range: 30–34"
    re.compile(
        r"\bage[ds]?(?:\s+(?:guide|range|band|bracket|group|est(?:imate)?\.?))?\s*[:\-]?\s*"
        r"(\d{1,3})" + _RANGE_SEP + r"(\d{1,3})\b(?!\s*[/.]\d)",
        re.I,
    ),
    # "35-39 years old", "35 to 39 yrs"
    re.compile(r"\b(\d{1,3})" + _RANGE_SEP + r"(\d{1,3})\s*(?:years?|yrs?)\b", re.I),
)
# "in their 40s", "in her late 30s", "Age: 40s", "aged 40's"
_AGE_DECADE = re.compile(
    r"\b(?:in\s+(?:their|his|her)|age[ds]?(?:\s+(?:guide|range|band))?\s*[:\-]?)\s*"
    r"(?:(early|mid|late)[\s\-]+)?(\d)0['’]?s\b",
    re.I,
)


def _find_age_range(text: str) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """An age band the text states, and the spans it covers (so that "Age 40-44"
    is not also read as the age 40). Bands wider than 10 years say little and
    are ignored; year ranges ("Electoral roll 2011–2012") are not ages."""
    best: tuple[int, tuple[int, int]] | None = None
    spans: list[tuple[int, int]] = []
    for pattern in _AGE_RANGES:
        for match in pattern.finditer(text):
            low, high = int(match.group(1)), int(match.group(2))
            if not (1 <= low <= 120 and 1 <= high <= 120):
                continue
            spans.append(match.span())  # a band, even a useless one, is not an age
            if low < high and high - low <= 10 and (best is None or match.start() < best[0]):
                best = (match.start(), (low, high))
    for match in _AGE_DECADE.finditer(text):
        decade = int(match.group(2)) * 10
        if decade < 10:
            continue
        part = (match.group(1) or "").casefold()
        low, high = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(part, (0, 9))
        spans.append(match.span())
        if best is None or match.start() < best[0]:
            best = (match.start(), (decade + low, decade + high))
    return (best[1] if best else None), spans


def _find_birth_year(text: str) -> int | None:
    match = _BIRTH_PATTERN.search(text)
    return int(match.group(1)) if match else None


def _find_phones(text: str, regions: Sequence[str]) -> list[str]:
    import phonenumbers

    out: list[str] = []
    for region in dict.fromkeys(regions):
        try:
            for m in phonenumbers.PhoneNumberMatcher(text[:20000], region, max_tries=200):
                e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                if e164 not in out:
                    out.append(e164)
        except Exception:  # noqa: BLE001 - phonenumbers on hostile text
            continue
    return out


def _find_streets(text: str) -> list[str]:
    out: list[str] = []
    for match in _STREET.finditer(text):
        street = " ".join(match.group(0).split()).rstrip(",")
        tail = _STREET_TAIL.match(text[match.end() : match.end() + 90])
        if tail:
            street = f"{street}, {' '.join(tail.group(0).strip(' ,').split())}"
        out.append(street)
    return out


_LEADING_LOWER = re.compile(r"^(?:[a-z]\S*\s+)+")


def _us_place(match: re.Match[str]) -> str:
    """ "City, ST" from a place match, without leading lower-case words ("and", "in")."""
    city = _LEADING_LOWER.sub("", " ".join(match.group(1).split()))
    return f"{city}, {match.group(2)}"


def _places_from_line(line: str) -> list[str]:
    """Places on a labelled line ("Lives in Austin, TX", "Previous: Leeds; York")."""
    out: list[str] = []
    rest = line
    for chunk in re.split(r"\s*[;|•·]\s*|\s+/\s+|\s+and\s+", rest):
        chunk = chunk.strip(" ,.")
        if chunk and _plausible_place(chunk):
            us = list(_PLACE_US.finditer(chunk))
            if len(us) > 1:
                out.extend(_us_place(m) for m in us)
            else:
                out.append(chunk)
    return out


def fields_from_text(
    text: str,
    *,
    default_region: str = "US",
    address_hints: Sequence[str] = (),
    place_hints: Sequence[str] = (),
) -> dict[str, Any]:
    """Age (or age band), birth year, places, addresses, phones, emails and
    relatives found in a record's text (one line per visual line). Used for
    result blocks and for search-engine snippets alike. ``place_hints`` are
    places already known to be the record's (printed after its name); they
    come first and also decide how phone numbers are read."""
    from exposure.people.profile import region_of_location

    age_range, range_spans = _find_age_range(text)
    age_text = text
    for start, end in range_spans:
        age_text = age_text[:start] + " " * (end - start) + age_text[end:]
    age = _find_age(age_text)
    if age is not None:
        age_range = None  # an exact age beats a band
    birth_year = _find_birth_year(text)
    lines = [seg for line in text.split("\n") for seg in _SEGMENT.split(line) if seg.strip()]
    current: list[str] = []
    past: list[str] = []
    relatives: list[str] = []
    in_relatives = False
    in_places: list[str] | None = None
    for line in lines:
        rel = _RELATIVE_LABEL.search(line)
        if rel and rel.start() <= 3:
            in_relatives, in_places = True, None
            tail = line[rel.end() :].lstrip(" :-—")
            relatives.extend(_names_in(tail))
            continue
        label = _PLACE_LABEL.match(line.strip())
        if label and label.end() > 0:
            in_relatives = False
            target = past if _PAST_LABEL.search(label.group(0)) else current
            tail = line.strip()[label.end() :]
            target.extend(_places_from_line(tail))
            in_places = target
            continue
        if in_relatives:
            names = _names_in(line)
            if names:
                relatives.extend(names)
                continue
            in_relatives = False
        if in_places is not None:
            found = _places_from_line(line) if ":" not in line else []
            if found:
                in_places.extend(found)
                continue
            in_places = None
        for m in _PLACE_US.finditer(line):
            current.append(_us_place(m))
    streets = _find_streets(text)
    for hint in address_hints:
        hint = " ".join(hint.split())
        known = any(hint.startswith(s.split(",")[0]) for s in streets)
        if hint and any(ch.isdigit() for ch in hint[:12]) and hint not in streets and not known:
            streets.append(hint)
    for street in streets:
        parts = [p.strip() for p in street.split(",")[1:] if p.strip()]
        if parts:
            current.append(", ".join(parts))
    places = [_tidy_place(p) for p in _unique([*current, *past])]
    places = [p for p in _unique(places) if p and not _is_street(p)]
    places = _unique([*(_tidy_place(p) for p in place_hints), *places])
    regions = [default_region or "US"]
    for place in places[:5]:
        code = region_of_location(place) or (
            "GB" if _UK_POSTCODE.match(place.rsplit(",", 1)[-1].strip()) else None
        )
        if code:
            regions.append(code)
    emails = _unique(m.group(0).rstrip(".") for m in _EMAIL.finditer(text))
    return {
        "age": age,
        "age_range": age_range,
        "birth_year": birth_year,
        "places": places[:20],
        "addresses": _unique(streets)[:20],
        "phones": _find_phones(text, regions)[:20],
        "emails": emails[:20],
        "relatives": _unique(relatives)[:40],
    }


_ZIP_TAIL = re.compile(r"\s+\d{5}(?:-\d{4})?$")


def _tidy_place(place: str) -> str:
    place = " ".join(place.split()).strip(" ,.;:")
    return _ZIP_TAIL.sub("", place)


def _is_street(place: str) -> bool:
    return bool(_STREET.match(place))


def _names_in(text: str) -> list[str]:
    out = []
    for piece in re.split(r"\s*(?:[,;|•·]|\band\b|&)\s*", text):
        piece = piece.strip(" .:")
        cut = _NAME_TAIL.sub("", piece).strip(" ,")
        if looks_like_name(piece):
            out.append(piece)
        elif cut and looks_like_name(cut):
            out.append(cut)
    return out


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


# --------------------------------------------------------------------------- records


def _to_record(block: _Block, base_url: str, default_region: str) -> Record | None:
    data = _structured(block.roots)
    name, tail_places = _find_name_place(block)
    own = _structured_name(data) if data else ""
    if own:
        name, tail_places = own, []
    if not name:
        return None
    text = block.text
    facts = fields_from_text(
        text, default_region=default_region, address_hints=block.addresses, place_hints=tail_places
    )
    if data:
        _merge_structured(facts, data, default_region)
    places = facts["places"]
    relatives = [r for r in facts["relatives"] if r != name]
    return Record(
        name=clean(name, limit=200),
        age=facts["age"],
        age_range=facts["age_range"],
        birth_year=facts["birth_year"],
        places=[clean(p, limit=200) for p in places[:20]],
        addresses=[clean(a, limit=300) for a in facts["addresses"]],
        phones=facts["phones"],
        emails=[clean(e, limit=200) for e in facts["emails"]],
        relatives=[clean(r, limit=200) for r in relatives],
        url=_record_url(block, name, base_url),
        text=clean(" ".join(text.split()), limit=MAX_TEXT),
    )


# --------------------------------------------------------------------------- structured data
#
# schema.org microdata (itemscope / itemprop) and JSON-LD Person objects are a
# page telling us its fields outright; when a record carries them they come
# first, and the text scan fills in what they leave out.

_PERSON_TYPE = re.compile(r"(?:^|[/#\s])Person(?:$|\s)")
_RELATION_PROPS = (
    "relatedTo",
    "knows",
    "spouse",
    "parent",
    "parents",
    "children",
    "sibling",
    "siblings",
    "colleague",
    "colleagues",
)
_LD_ATTR = "data-exposure-ld-person"  # where a record's JSON-LD Person is parked
MAX_PROPS = 200


def _is_person_scope(el: Any) -> bool:
    if el.get("itemscope") is None:
        return False
    return bool(_PERSON_TYPE.search(el.get("itemtype", "")))


def _structured(roots: Sequence[Any]) -> dict[str, list[Any]] | None:
    """The record's own Person properties from microdata, else from a JSON-LD
    Person parked on one of its elements, as {property: [values]} (a nested item
    is a dict of the same shape). None when the block carries neither, or
    several unrelated Persons (a list, not one record)."""
    people: list[Any] = []
    ld: list[str] = []
    for root in roots:
        for el in islice(root.iter(), MAX_NODES):
            if not isinstance(el.tag, str):
                continue
            if _is_person_scope(el) and not _inside_person(el, roots):
                people.append(el)
            value = el.get(_LD_ATTR)
            if value:
                ld.append(value)
    if len(people) == 1:
        return _item_props(people[0], depth=0)
    if not people and len(ld) == 1:
        import json

        try:
            obj = json.loads(ld[0])
        except ValueError:
            return None
        return _ld_props(obj, depth=0) if isinstance(obj, dict) else None
    return None


def _inside_person(el: Any, roots: Sequence[Any]) -> bool:
    """Is this Person item nested in another Person (a relative) within the block?"""
    for anc in el.iterancestors():
        if _is_person_scope(anc):
            return True
        if any(anc is r for r in roots):
            return False
    return False


def _owner(el: Any, scope: Any) -> Any:
    for anc in el.iterancestors():
        if anc.get("itemscope") is not None:
            return anc
        if anc is scope:
            return None
    return None


def _item_props(scope: Any, depth: int) -> dict[str, list[Any]]:
    props: dict[str, list[Any]] = {}
    count = 0
    for el in islice(scope.iterdescendants(), MAX_NODES):
        if not isinstance(el.tag, str) or not el.get("itemprop"):
            continue
        if _owner(el, scope) is not scope:
            continue
        count += 1
        if count > MAX_PROPS:
            break
        if el.get("itemscope") is not None:
            value: Any = _item_props(el, depth + 1) if depth < 3 else {}
        else:
            value = _item_value(el)
        for prop in el.get("itemprop", "").split()[:4]:
            props.setdefault(prop, []).append(value)
    return props


def _item_value(el: Any) -> str:
    tag = el.tag
    if el.get("content") is not None:
        raw = el.get("content", "")
    elif tag in ("a", "link", "area") and el.get("href"):
        raw = el.get("href", "")
    elif tag == "time" and el.get("datetime"):
        raw = el.get("datetime", "")
    elif tag == "meta":
        raw = el.get("content", "")
    else:
        raw = el.text_content()
    return clean(" ".join(str(raw).split()), limit=300)


def _ld_props(obj: dict[str, Any], depth: int) -> dict[str, list[Any]]:
    """A JSON-LD object in the microdata shape: {property: [str | dict]}."""
    props: dict[str, list[Any]] = {}
    for key, raw in list(obj.items())[:MAX_PROPS]:
        if not isinstance(key, str) or key.startswith("@"):
            continue
        values = raw if isinstance(raw, list) else [raw]
        for value in values[:40]:
            if isinstance(value, dict):
                if depth < 3:
                    props.setdefault(key, []).append(_ld_props(value, depth + 1))
            elif isinstance(value, str | int | float) and not isinstance(value, bool):
                props.setdefault(key, []).append(clean(" ".join(str(value).split()), limit=300))
    return props


def _park_json_ld(doc: Any) -> None:
    """Before scripts are stripped: a JSON-LD Person inside the body is parked on
    its script's parent element, so the record block holding it can read it."""
    import json

    for el in list(islice(doc.iter("script"), 2000)):
        if "ld+json" not in el.get("type", "").casefold():
            continue
        parent = el.getparent()
        if parent is None or parent.tag in ("head", "html", "body"):
            continue
        raw = (el.text or "").strip()
        if not raw or len(raw) > 100_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        people = [
            item
            for item in items[:50]
            if isinstance(item, dict) and "Person" in _ld_types(item.get("@type"))
        ]
        if len(people) == 1:
            parent.set(_LD_ATTR, json.dumps(people[0], ensure_ascii=False)[:20_000])


def _ld_types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.rsplit("/", 1)[-1]]
    if isinstance(value, list):
        return [v.rsplit("/", 1)[-1] for v in value if isinstance(v, str)]
    return []


def _texts(values: Sequence[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str) and v]


def _structured_name(data: dict[str, list[Any]]) -> str:
    for value in _texts(data.get("name", [])):
        for cand in _name_candidates(value):
            if looks_like_name(cand):
                return cand
    given = _texts(data.get("givenName", []))
    family = _texts(data.get("familyName", []))
    if given and family:
        full = f"{given[0]} {family[0]}"
        if looks_like_name(full):
            return full
    return ""


def _postal(value: Any) -> tuple[str | None, str | None]:
    """(place, street address) of a PostalAddress item or a plain address text."""
    if isinstance(value, str):
        if _STREET.search(value):
            return None, value
        return (value if _plausible_place(value) else None), None
    if not isinstance(value, dict):
        return None, None

    def first(key: str) -> str:
        found = _texts(value.get(key, []))
        return found[0].strip(" ,") if found else ""

    street = first("streetAddress")
    city = first("addressLocality")
    region = first("addressRegion")
    postcode = first("postalCode")
    place = ", ".join(p for p in (city, region) if p)
    if city and not region and postcode:
        place = f"{city}, {postcode}"
    where = " ".join(p for p in (place, postcode if region else "") if p)
    address = f"{street}, {where}" if street and where else street
    return (place or None), (address or None)


def _merge_structured(facts: dict[str, Any], data: dict[str, list[Any]], region: str) -> None:
    """Put the structured fields first in ``facts`` (the text scan's findings)."""
    places: list[str] = []
    streets: list[str] = []
    for key in ("address", "homeLocation", "location"):
        for value in data.get(key, [])[:10]:
            if isinstance(value, dict) and "address" in value:  # a Place holding an address
                value = value["address"][0] if value["address"] else None
            place, street = _postal(value)
            if place:
                places.append(place)
            if street:
                streets.append(street)
    facts["places"] = _unique([*places, *facts["places"]])[:20]
    text_streets = [s for s in facts["addresses"] if not any(_fold_prefix(t, s) for t in streets)]
    facts["addresses"] = _unique([*streets, *text_streets])[:20]
    phones = " ; ".join(_texts(data.get("telephone", []))[:10])
    if phones:
        from exposure.people.profile import region_of_location

        regions = [region, *(r for r in map(region_of_location, places[:3]) if r)]
        facts["phones"] = list(dict.fromkeys([*_find_phones(phones, regions), *facts["phones"]]))
    emails = [
        e.removeprefix("mailto:")
        for e in _texts(data.get("email", []))
        if _EMAIL.fullmatch(e.removeprefix("mailto:"))
    ]
    facts["emails"] = _unique([*emails, *facts["emails"]])[:20]
    relatives: list[str] = []
    for key in _RELATION_PROPS:
        for value in data.get(key, [])[:40]:
            if isinstance(value, dict):
                name = _structured_name(value)
                if name:
                    relatives.append(name)
            elif isinstance(value, str):
                relatives.extend(_names_in(value))
    facts["relatives"] = _unique([*relatives, *facts["relatives"]])[:40]
    if facts["birth_year"] is None:
        for value in _texts(data.get("birthDate", [])):
            match = re.search(r"\b(?:18|19|20)\d{2}\b", value)
            if match:
                facts["birth_year"] = int(match.group(0))
                break
    if facts["age"] is None:
        for value in _texts(data.get("age", [])):
            if value.isdigit() and 1 <= int(value) <= 120:
                facts["age"], facts["age_range"] = int(value), None
                break


def _fold_prefix(full: str, part: str) -> bool:
    """Does ``full`` start with ``part`` (folded)? "18 Elm Court, Seattle" ⊇ "18 Elm Court"."""
    from exposure.people.names import fold

    a, b = fold(full), fold(part)
    return bool(b) and a.startswith(b)


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


def _single_record(root: Any, base_url: str, default_region: str) -> list[Record]:
    main = _main_block(root)
    block = _block([main])
    if len(block.text) > 50_000:
        return []
    record = _to_record(block, base_url, default_region)
    if record is None:
        return []
    if (
        record.age is None
        and record.birth_year is None
        and record.age_range is None
        and not record.places
        and not (record.phones)
    ):
        return []
    return [record]


def _records_from(blocks: Iterable[list[Any]], base_url: str, region: str) -> list[Record]:
    out: list[Record] = []
    for members in blocks:
        if len(out) >= MAX_RECORDS:
            break
        record = _to_record(_block(members), base_url, region)
        if record is not None:
            out.append(record)
    return out


def _facts(record: Record) -> int:
    return sum(
        bool(x)
        for x in (
            record.age is not None or record.birth_year is not None or record.age_range,
            record.places,
            record.phones,
            record.addresses,
            record.emails,
        )
    )


def _records_score(records: list[Record]) -> float:
    """How much a candidate group looks like a result list: records that carry
    person facts count; a group where most "records" are bare names (a list of
    relatives, a menu of names) does not qualify."""
    if len(records) < 2:
        return 0.0
    with_facts = [_facts(r) for r in records]
    if sum(1 for f in with_facts if f) * 2 < len(records):
        return 0.0
    return float(sum(1 + f for f in with_facts))


def _by_selector(text: str, selector: str, base_url: str, region: str) -> list[Record]:
    import lxml.html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    for junk in soup(["script", "style", "template", "noscript"]):
        junk.decompose()
    out: list[Record] = []
    for tag in soup.select(selector, limit=MAX_RECORDS):
        try:
            el = lxml.html.fragment_fromstring(str(tag), create_parent="div")
        except Exception:  # noqa: BLE001
            continue
        out.extend(_records_from([[el]], base_url, region))
    return out


def extract_records(
    html: str | bytes,
    base_url: str,
    *,
    record_selector: str | None = None,
    default_region: str = "US",
) -> list[Record]:
    """The person records on a result page, in page order. Never raises.

    ``record_selector`` (CSS) overrides block detection for a site whose
    layout defeats it. ``default_region`` (ISO code) is used to read phone
    numbers written without a country code; regions implied by a record's
    places are tried as well.
    """
    try:
        text = decode_html(html)
        if record_selector:
            return _by_selector(text, record_selector, base_url, default_region)
        root = _parse(text)
        if root is None:
            return []
        _park_json_ld(root)
        _strip_furniture(root)
        best: list[Record] = []
        best_score = 0.0
        for cand in _candidates(root)[:8]:
            records = _records_from(cand.blocks, base_url, default_region)
            score = _records_score(records)
            if score > best_score:
                best, best_score = records, score
        return best or _single_record(root, base_url, default_region)
    except Exception:  # noqa: BLE001 - extraction must never raise on a hostile page
        return []


# --------------------------------------------------------------------------- no results

_NO_RESULTS = re.compile(
    r"\bno\s+(?:results?|records?|matches|matching\s+(?:records?|results?|people)|people|persons?|"
    r"one)\s+(?:were\s+|was\s+)?(?:found|matched|available)\b|"
    r"\bno\s+(?:search\s+)?results?\b(?!\s+(?:for\s+)?(?:you\s+)?(?:wanted|were\s+hidden))|"
    r"\b0\s+(?:results?|records?|matches|people)\b|"
    r"\bwe\s+(?:could\s*n[o']t|couldn[’']t|did\s*n[o']t|didn[’']t|were\s+unable\s+to|"
    r"cannot|can[’']t)\s+find\b|"
    r"\b(?:did|does)\s+not\s+match\s+any\b|\bnothing\s+(?:was\s+)?found\b|"
    r"\breturned\s+no\s+(?:results?|records?|matches)\b|\bno\s+matches\b|"
    r"\bno\s+one\s+(?:by|with)\s+(?:that|this)\s+name\b",
    re.I,
)


def page_says_no_results(html: str | bytes, extra_phrases: Sequence[str] = ()) -> bool:
    """Whether the page's visible text says the search found nobody.

    A "no results" page is an honest ``absent``; a page we cannot read is not
    (the caller decides ``error``). ``extra_phrases`` come from the broker
    catalogue (matched case-insensitively, whitespace-insensitively).
    """
    try:
        text = decode_html(html)
        root = _parse(text)
        if root is None:
            return False
        for el in list(root.iter("script", "style", "noscript", "template", "head")):
            _drop(el)
        # itertext, not text_content: minified pages put blocks edge to edge
        # ("<h1>Results</h1><p>We could not find") and words must not run together.
        visible = " ".join(" ".join(root.itertext()).split())[:200_000]
    except Exception:  # noqa: BLE001
        return False
    folded = visible.casefold()
    for phrase in extra_phrases:
        want = " ".join(str(phrase).split()).casefold()
        if want and want in folded:
            return True
    return bool(_NO_RESULTS.search(visible))
