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
   "People also searched"-style sections found by their heading.
3. Group elements by a *signature* — tag and classes of the element, its
   parent and grandparent — so cards split over grid rows still form one
   group. Dictionary-style lists (``<dt>name</dt><dd>…</dd>``, heading +
   paragraphs) form "segment" groups. Each group is scored by how many members
   hold a plausible person name together with person facts (age, phone,
   place, address, email); the best group whose members really yield records
   wins. A page holding a single profile falls back to its main content block.

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


@dataclass
class _Block:
    """What one candidate record holds: its text lines, links and name hints."""

    lines: list[str]
    links: list[tuple[str, str, bool]]  # (text, href, is_name_hint)
    hints: list[str]  # texts of elements likely to hold the name, best first
    addresses: list[str]  # texts of <address> elements and address-classed nodes

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_NAME_CLASS = re.compile(r"(?:^|[\s_-])(?:full-?name|name|person-?name|fn|title)(?:$|[\s_-])", re.I)
_ADDR_CLASS = re.compile(r"(?:^|[\s_-])(?:address|street|adr)(?:$|[\s_-])", re.I)
_RELATIVE_LABEL = re.compile(
    r"\b(?:relatives?|related\s+to|associated\s+(?:persons?|people|with)|associates?|"
    r"known\s+associates|possible\s+relatives|family(?:\s+members)?|may\s+be\s+related)\b",
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

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    for root in elements:
        headers = _header_labels(root) if root.tag == "tr" else []
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
            if tag in _HEADING_TAGS or tag in ("strong", "b", "dt", "a"):
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
    return _Block(lines=lines, links=links, hints=[h for _, h in hints], addresses=addresses)


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
    from exposure.names import fold
    from exposure.profile import CA_PROVINCES, US_STATES

    if text in US_STATES or text in CA_PROVINCES:
        return True
    return fold(text) in _REGION_NAMES()


_REGION_CACHE: set[str] = set()


def _REGION_NAMES() -> set[str]:  # noqa: N802 - a lazily built constant
    if not _REGION_CACHE:
        from exposure import profile

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
    for hint in block.hints:
        for cand in _name_candidates(hint):
            if looks_like_name(cand):
                return cand
    for line in block.lines:
        if _RELATIVE_LABEL.search(line) and not _NAME_LABEL.match(line):
            break  # names after a relatives label are not the record's own
        for cand in _name_candidates(line):
            if looks_like_name(cand):
                return cand
    return ""


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
    r"locations?|city|previous(?:ly)?(?:\s+(?:lived\s+in|locations?|cities))?|past\s+(?:locations?|"
    r"cities|places)|(?:used\s+to\s+live|also\s+lived|has\s+lived|lived)\s+in|places?|"
    r"address(?:es)?\s+history|locations?)\s*[:\-]?\s*",
    re.I,
)
_PAST_LABEL = re.compile(
    r"previous|past|used\s+to|also\s+lived|has\s+lived|lived\s+in|history", re.I
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
    from exposure.names import fold

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
    text: str, *, default_region: str = "US", address_hints: Sequence[str] = ()
) -> dict[str, Any]:
    """Age, birth year, places, addresses, phones, emails and relatives found in
    a record's text (one line per visual line). Used for result blocks and for
    search-engine snippets alike."""
    from exposure.profile import region_of_location

    age = _find_age(text)
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
    regions = [default_region or "US"]
    for place in places[:5]:
        code = region_of_location(place)
        if code:
            regions.append(code)
    emails = _unique(m.group(0).rstrip(".") for m in _EMAIL.finditer(text))
    return {
        "age": age,
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
    from exposure.names import fold

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
    name = _find_name(block)
    if not name:
        return None
    text = block.text
    facts = fields_from_text(text, default_region=default_region, address_hints=block.addresses)
    relatives = [r for r in facts["relatives"] if r != name]
    return Record(
        name=clean(name, limit=200),
        age=facts["age"],
        birth_year=facts["birth_year"],
        places=[clean(p, limit=200) for p in facts["places"]],
        addresses=[clean(a, limit=300) for a in facts["addresses"]],
        phones=facts["phones"],
        emails=[clean(e, limit=200) for e in facts["emails"]],
        relatives=[clean(r, limit=200) for r in relatives],
        url=_record_url(block, name, base_url),
        text=clean(" ".join(text.split()), limit=MAX_TEXT),
    )


_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_QUICK_NAME = re.compile(
    rf"(?:[{_UPPER}][^\W\d_'’\-]+|[{_UPPER}]\.?)\s+(?:[{_UPPER}]\.?\s+)?[{_UPPER}][^\W\d_'’\-]+"
    rf"|[{_UPPER}][^\W\d_a-z'’\-]+,\s*[{_UPPER}]",
)
_QUICK_AGE = re.compile(r"\bage[ds]?\b|\byears?\s+old\b|\bborn\b|\bb\.\s*\d|\(\d{2}\)", re.I)
_QUICK_PHONE = re.compile(r"\d{3}\)?[\s.\-]\d{3}[\s.\-]?\d{3,4}|\+\d[\d\s\-]{7,}")
_QUICK_PLACE = re.compile(r",\s*[A-Z]{2}\b|,\s*[A-Z][a-z]+|\blives?\s+in\b|\blocation", re.I)
_QUICK_MAIL = re.compile(r"@[\w-]+\.")


def _signature(el: Any) -> tuple[str, ...]:
    sig: list[str] = []
    node = el
    for _ in range(3):
        if node is None or not isinstance(node.tag, str):
            break
        classes = " ".join(
            sorted(c for c in node.get("class", "").split() if not any(ch.isdigit() for ch in c))
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
        cand = _score_blocks([[m] for m in top])
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
            record.age is not None or record.birth_year is not None,
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
