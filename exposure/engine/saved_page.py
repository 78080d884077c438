"""A page the person saved from their own browser, read for ``exposure import``.

Two kinds of file are taken:

* ``.html`` / ``.htm`` — the page as the browser wrote it ("Webpage, HTML
  only" or "complete": only the HTML file is read). Chrome and Edge put a
  ``<!-- saved from url=(0042)https://... -->`` comment at the top: it is the
  page's address, used to resolve the records' links as if it had been fetched.
* ``.mhtml`` / ``.mht`` — "Webpage, single file": a MIME ``multipart/related``
  message (RFC 2557) read with the standard library's :mod:`email` package. The
  page is its ``text/html`` part (the one at ``Snapshot-Content-Location``,
  else the first), decoded from quoted-printable or base64 with its charset.

The file is hostile (it holds a web page, and anybody could have handed it to
the person), so it is refused in one line (:class:`SavedPageError`, exit 2)
when it is over the body cap, is not HTML, or is an MHTML file with parts we
will not read: too many parts or nested too deep, an unknown transfer
encoding or charset, an HTML part that does not decode, or no HTML part at
all. Nothing in it is executed; the evidence kept is the file itself, so its
hash is the file's own.

Public API:

    read_saved(path, max_bytes) -> SavedPage
    SavedPage(raw, html, url, kind): raw = the file's bytes, html = the page's text
"""

from __future__ import annotations

import binascii
import email
import email.policy
import hashlib
import quopri
import re
from dataclasses import dataclass
from email.message import Message
from enum import StrEnum
from pathlib import Path

from exposure.errors import UsageError
from exposure.urls import is_web_url

MAX_PARTS = 2000  # a saved page has its HTML, styles and images; more is not a page
MAX_DEPTH = 4  # multipart inside multipart, at most this deep
_ENCODINGS = frozenset({"", "7bit", "8bit", "binary", "quoted-printable", "base64"})
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d{1,5}\)\s*(\S+?)\s*-->", re.IGNORECASE)
_HTML_SIGN = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|div|table|ul|ol|p|h[1-6]|section|main|article)\b",
    re.IGNORECASE,
)
_SNIFF = 64 * 1024  # where the HTML signs must show up


class SavedPageError(UsageError):
    """The saved file cannot be imported (one line, exit 2); nothing was recorded."""


class SavedKind(StrEnum):
    HTML = "html"
    MHTML = "mhtml"


SUFFIXES = {".html": SavedKind.HTML, ".htm": SavedKind.HTML, ".mhtml": SavedKind.MHTML}
SUFFIXES[".mht"] = SavedKind.MHTML


@dataclass(frozen=True)
class SavedPage:
    """A saved page: the file as it is, and the HTML in it."""

    raw: bytes  # the file's bytes: the evidence, so its hash is the file's own
    html: str
    url: str  # the address it was saved from ("" when the file does not say)
    kind: SavedKind

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def content_type(self) -> str:
        return "multipart/related" if self.kind is SavedKind.MHTML else "text/html; charset=utf-8"


def read_saved(path: Path, max_bytes: int) -> SavedPage:
    """Read ``path`` (html/htm/mhtml/mht) or raise :class:`SavedPageError` in one line."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SavedPageError(
            f"{path}: not a saved page (expected .html, .htm or .mhtml, got "
            f"{path.suffix or 'no extension'!r})"
        )
    try:
        if not path.is_file():
            raise SavedPageError(f"{path}: no such file")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SavedPageError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise SavedPageError(
            f"{path}: over the body cap ({max_bytes} bytes, [http] max_bytes); not imported"
        )
    if kind is SavedKind.MHTML:
        html, url = _mhtml(path, raw)
    else:
        html, url = _html(path, raw), _saved_from(raw)
    return SavedPage(raw=raw, html=html, url=url, kind=kind)


def _looks_html(data: bytes) -> bool:
    head = data[:_SNIFF]
    return b"\x00" not in head and _HTML_SIGN.search(head) is not None


def _html(path: Path, raw: bytes) -> str:
    if not _looks_html(raw):
        raise SavedPageError(f"{path}: not HTML (no HTML tags near the start); not imported")
    charset = _meta_charset(raw) or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def _meta_charset(raw: bytes) -> str | None:
    found = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]{1,40})", raw[:_SNIFF], re.I)
    return found.group(1).decode("ascii") if found else None


def _saved_from(raw: bytes) -> str:
    found = _SAVED_FROM.search(raw[:4096])
    return _web_url(found.group(1).decode("ascii", errors="replace")) if found else ""


def _web_url(text: str) -> str:
    """``text`` when it is an http(s) URL, else "" (a file: or data: address is no page's)."""
    text = text.strip()
    ok = is_web_url(text) and text.isprintable()
    return text if ok and " " not in text else ""


def _mhtml(path: Path, raw: bytes) -> tuple[str, str]:
    def hostile(why: str) -> SavedPageError:
        return SavedPageError(f"{path}: not a readable MHTML file ({why}); not imported")

    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - the email package's parse errors vary
        raise hostile(f"cannot parse it: {type(exc).__name__}") from None
    if message.get_content_type() != "multipart/related" or not message.is_multipart():
        raise hostile(f"its type is {message.get_content_type()}, not multipart/related")
    parts = _leaves(message, path)
    wanted = _web_url(str(message.get("Snapshot-Content-Location", "")))
    pages = [p for p in parts if p.get_content_type() == "text/html"]
    if not pages:
        raise hostile("it has no text/html part")
    by_place = [p for p in pages if wanted and str(p.get("Content-Location", "")) == wanted]
    page = (by_place or pages)[0]
    encoding = str(page.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding not in _ENCODINGS:
        raise hostile(f"unknown transfer encoding {encoding[:30]!r}")
    try:
        body = page.get_payload(decode=False)
        if not isinstance(body, str):
            raise hostile("its HTML part is not text")
        data = _decode(body, encoding)
    except (ValueError, binascii.Error):
        raise hostile("its HTML part does not decode") from None
    charset = page.get_content_charset() or "utf-8"
    try:
        html = data.decode(charset, errors="replace")
    except LookupError:
        raise hostile(f"unknown charset {charset[:30]!r}") from None
    if not _looks_html(html.encode("utf-8")):
        raise hostile("its HTML part is not HTML")
    url = wanted or _web_url(str(page.get("Content-Location", "")))
    return html, url


def _decode(body: str, encoding: str) -> bytes:
    data = body.encode("ascii", errors="surrogateescape")
    if encoding == "base64":
        return binascii.a2b_base64(re.sub(rb"\s+", b"", data), strict_mode=False)
    if encoding == "quoted-printable":
        return quopri.decodestring(data)
    return data


def _leaves(message: Message, path: Path) -> list[Message]:
    """Every non-multipart part, refusing too many or too deep (a hostile file)."""
    out: list[Message] = []
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if part.is_multipart():
            if depth >= MAX_DEPTH:
                raise SavedPageError(
                    f"{path}: not a readable MHTML file (parts nested over {MAX_DEPTH} deep); "
                    "not imported"
                )
            children = part.get_payload()
            assert isinstance(children, list)
            stack.extend(
                (child, depth + 1) for child in reversed(children) if isinstance(child, Message)
            )
        else:
            out.append(part)
        if len(out) + len(stack) > MAX_PARTS:
            raise SavedPageError(
                f"{path}: not a readable MHTML file (over {MAX_PARTS} parts); not imported"
            )
    return out
