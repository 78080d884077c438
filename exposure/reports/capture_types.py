"""What type a capture is, for the extension of its file in an evidence pack.

From the Content-Type it came with (anything after the media type, a header
injection included, is ignored), else from its first bytes; ``bin`` when
nothing says. The evidence index links ``captures/<sha256>.<ext>``, so a
reader's viewer opens each capture as what it is.
"""

from __future__ import annotations

import json
import re

_TYPE_EXTENSIONS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "text/json": "json",
    "text/plain": "txt",
    "text/csv": "csv",
    "text/xml": "xml",
    "application/xml": "xml",
    "application/pdf": "pdf",
    "application/pgp-keys": "asc",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
_MEDIA_TYPE = re.compile(r"\s*([a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+)")
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
    (b"-----BEGIN PGP", "asc"),
)


def capture_extension(content_type: str, body: bytes) -> str:
    """``html``, ``json``, ``png``, ``txt``... for a capture; ``bin`` when nothing says."""
    typed = _MEDIA_TYPE.match(content_type.lower())
    media = typed.group(1) if typed else ""
    if media in _TYPE_EXTENSIONS:
        return _TYPE_EXTENSIONS[media]
    if media.endswith("+json"):
        return "json"
    if media.endswith("+xml"):
        return "xml"
    for magic, ext in _MAGIC:
        if body.startswith(magic):
            return ext
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head[:1] in (b"{", b"["):
        try:
            json.loads(body)
            return "json"
        except ValueError:
            pass
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "bin"
    return "bin" if "\x00" in text else "txt"
