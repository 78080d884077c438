"""Reading a page as a whole: decoding, parsing, page furniture, "no results".

The tree is walked iteratively, never recursively, and no more than
``MAX_NODES`` elements are looked at: pages are hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from typing import Any

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_NODES = 60_000  # a real result page has a few thousand elements
MAX_RECORDS = 500
MAX_TEXT = 2000
MAX_BLOCK_TEXT = 6000  # a "record" longer than this is a container, not one person

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


# Utility classes that hide an element on every screen ("d-none" alone is a
# hidden duplicate; "d-none d-lg-block" is the desktop copy, shown).
_HIDDEN_CLASSES = frozenset({"d-none", "hidden", "hide", "is-hidden", "invisible", "display-none"})
_SHOWN_AT_SOME_SIZE = re.compile(
    r"^(?:d-(?:sm|md|lg|xl|xxl)-(?!none)\w+|(?:sm|md|lg|xl):(?!hidden)\w+|visible-\w+)$"
)


def _is_hidden_class(classes: str) -> bool:
    names = classes.split()
    if not any(c in _HIDDEN_CLASSES for c in names):
        return False
    return not any(_SHOWN_AT_SOME_SIZE.match(c) for c in names)


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
    classes = attrib.get("class")
    if classes and _is_hidden_class(classes):
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
    # The column labels of a grid of div rows ("Name | Age | Relatives"): a
    # relatives label there would make the cards below read as relatives.
    doomed = [el for el in islice(doc.iter("div", "ul", "ol"), MAX_NODES) if _column_labels(el)]
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


_COLUMN_LABEL = re.compile(
    r"(?:names?|ages?|phones?|phone\s+numbers?|emails?|address(?:es)?|(?:full\s+)?reports?|"
    r"details|locations?|cities|has\s+lived\s+in|lived\s+in|lives\s+in|relatives?|"
    r"associates?|related\s+to|aka|also\s+known\s+as)",
    re.I,
)
_COLUMN_JOIN = re.compile(r"\s*[/&]\s*|\s+and\s+")


def _column_labels(el: Any) -> bool:
    """A row of three or more short cells that are all field labels (a table
    header drawn with divs: "Name | Age | Has Lived In | Relatives / Associates").
    A table's own header row (``th``) is not one of these: it labels the cells
    of the rows below it."""
    if not 3 <= len(el) <= 12:
        return False
    cells = [c for c in el if isinstance(c.tag, str)]
    if len(cells) < 3:
        return False
    for cell in cells:
        if len(cell) > 3:
            return False  # a label cell holds its text, an icon at most
        text = " ".join(cell.text_content().split()).rstrip(": ")
        if not text or len(text) > 40:
            return False
        if not all(_COLUMN_LABEL.fullmatch(part) for part in _COLUMN_JOIN.split(text)):
            return False
    return True


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


_APP_ROOT = re.compile(
    r"<(?:div|main|section)[^>]+id=[\"']?(?:root|app|__next|__nuxt|___gatsby|svelte|main-app)[\"'\s>]",
    re.I,
)
_NOSCRIPT_JS = re.compile(
    r"<noscript[^>]*>[^<]{0,300}(?:enable|requires?|turn on)\s+javascript", re.I
)


def page_looks_js_built(html: str | bytes) -> bool:
    """Whether the page is an empty shell that JavaScript fills in: little visible
    text, with scripts, an app mount point or a "please enable JavaScript" note.
    Such a page cannot be read without a browser (the browser fetcher can)."""
    text = decode_html(html)
    root = _parse(text)
    if root is None:
        return False
    scripts = root.xpath("count(//script)")
    for el in list(root.iter("script", "style", "noscript", "template", "head")):
        _drop(el)
    visible = " ".join(" ".join(root.itertext()).split())
    if len(visible) > 1500:
        return False
    head = text[:200_000]
    return bool(scripts) and (
        len(visible) < 200 or bool(_APP_ROOT.search(head)) or bool(_NOSCRIPT_JS.search(head))
    )
