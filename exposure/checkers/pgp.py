"""The ``pgp`` checker: is a public OpenPGP key published for the person's email?

A key on a keyserver is public for good: its user IDs ("Name (comment)
<email>") tie the searched email to names and, often, to other emails — a
work address, an old university one. Those other emails are the interesting
part: they link identities the person may keep apart.

``GET {base}/vks/v1/by-email/{email}`` (keys.openpgp.org's VKS API) answers
with an ASCII-armoured key, or 404. We read user IDs without a crypto
library: de-armour (base64, CRC24 checked when present), then walk the
OpenPGP packets (RFC 4880 / RFC 9580: old and new packet formats, all length
encodings) and decode the User ID packets (tag 13). The primary key's
fingerprint (v4: SHA-1, v6: SHA-256 over the key packet) identifies the key.
Nothing is verified: we report what the keyserver publishes, not who signed it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from exposure.checkers import api
from exposure.checkers.base import ScanContext, TaskResult
from exposure.model import AskToRemove, Exposes, Finding, FindingKind, Outcome
from exposure.textsafe import clean

CHECKER_ID = "pgp"
SOURCE = "keys.openpgp.org"
DEFAULT_BASE = "https://keys.openpgp.org"

TAG_PUBLIC_KEY = 6
TAG_USER_ID = 13
TAG_USER_ATTRIBUTE = 17  # photo IDs
MAX_USER_ID = 2048

CRC24_INIT = 0xB704CE
CRC24_POLY = 0x1864CFB


class KeyFormatError(ValueError):
    """The key could not be read: the message says where it went wrong."""


# --------------------------------------------------------------------------- armour


def crc24(data: bytes) -> int:
    """The OpenPGP armour checksum (RFC 4880 section 6.1)."""
    crc = CRC24_INIT
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= CRC24_POLY
    return crc & 0xFFFFFF


def dearmor(text: str) -> bytes:
    """The binary packets inside an ASCII-armoured block.

    Armour headers ("Comment: ...") end at the first blank line; a line
    starting with ``=`` is the CRC24 checksum, checked when present (RFC 9580
    makes it optional). Raises :class:`KeyFormatError`.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("-----BEGIN PGP"))
    except StopIteration:
        raise KeyFormatError("no armour header") from None
    i = start + 1
    while i < len(lines) and ":" in lines[i] and lines[i].strip():  # armour headers
        i += 1
    body: list[str] = []
    checksum: str | None = None
    ended = False
    for line in lines[i:]:
        s = line.strip()
        if s.startswith("-----END PGP"):
            ended = True
            break
        if not s:
            continue
        if s.startswith("=") and len(s) == 5:
            checksum = s[1:]
            continue
        body.append(s)
    if not ended:
        raise KeyFormatError("no armour footer")
    try:
        data = base64.b64decode("".join(body), validate=True)
    except (binascii.Error, ValueError):
        raise KeyFormatError("bad base64 in the armour") from None
    if not data:
        raise KeyFormatError("empty armour")
    if checksum is not None:
        try:
            expected = int.from_bytes(base64.b64decode(checksum, validate=True), "big")
        except (binascii.Error, ValueError):
            raise KeyFormatError("bad armour checksum line") from None
        if crc24(data) != expected:
            raise KeyFormatError("armour checksum mismatch")
    return data


# --------------------------------------------------------------------------- packets


@dataclass(frozen=True)
class Packet:
    tag: int
    body: bytes


def _new_length(data: bytes, pos: int) -> tuple[int, int, bool]:
    """(length, new position, partial?) of a new-format length at ``pos``."""
    if pos >= len(data):
        raise KeyFormatError("truncated packet length")
    first = data[pos]
    if first < 192:
        return first, pos + 1, False
    if first < 224:
        if pos + 1 >= len(data):
            raise KeyFormatError("truncated packet length")
        return ((first - 192) << 8) + data[pos + 1] + 192, pos + 2, False
    if first == 255:
        if pos + 5 > len(data):
            raise KeyFormatError("truncated packet length")
        return int.from_bytes(data[pos + 1 : pos + 5], "big"), pos + 5, False
    return 1 << (first & 0x1F), pos + 1, True


def _take(data: bytes, pos: int, length: int) -> bytes:
    if pos + length > len(data):
        raise KeyFormatError("packet runs past the end of the key")
    return data[pos : pos + length]


def packets(data: bytes) -> Iterator[Packet]:
    """Walk OpenPGP packets in both formats (RFC 4880 section 4.2, RFC 9580 section 4.2)."""
    pos = 0
    while pos < len(data):
        header = data[pos]
        if not header & 0x80:
            raise KeyFormatError(f"not an OpenPGP packet at byte {pos}")
        pos += 1
        if header & 0x40:  # new format
            tag = header & 0x3F
            length, pos, partial_body = _new_length(data, pos)
            chunks = [_take(data, pos, length)]
            pos += length
            while partial_body:
                length, pos, partial_body = _new_length(data, pos)
                chunks.append(_take(data, pos, length))
                pos += length
            yield Packet(tag, b"".join(chunks))
            continue
        tag = (header >> 2) & 0x0F  # old format
        kind = header & 0x03
        if kind == 3:  # indeterminate: to the end of the data
            yield Packet(tag, data[pos:])
            return
        size = (1, 2, 4)[kind]
        length = int.from_bytes(_take(data, pos, size), "big")
        pos += size
        yield Packet(tag, _take(data, pos, length))
        pos += length


def fingerprint(key_packet: bytes) -> str:
    """The fingerprint of a public key packet body (v4: SHA-1; v6: SHA-256), or ""."""
    if not key_packet:
        return ""
    version = key_packet[0]
    if version == 4 and len(key_packet) <= 0xFFFF:
        material = b"\x99" + len(key_packet).to_bytes(2, "big") + key_packet
        return hashlib.sha1(material, usedforsecurity=False).hexdigest().upper()
    if version in (5, 6):
        prefix = b"\x9a" if version == 5 else b"\x9b"
        material = prefix + len(key_packet).to_bytes(4, "big") + key_packet
        return hashlib.sha256(material).hexdigest().upper()
    return ""


# --------------------------------------------------------------------------- user IDs

_USER_ID = re.compile(
    r"^\s*(?P<name>[^(<]*?)\s*(?:\((?P<comment>[^)]*)\)\s*)?(?:<(?P<email>[^>]*)>)?\s*$"
)
_BARE_EMAIL = re.compile(r"^[^@\s<>()]+@[^@\s<>()]+$")


@dataclass(frozen=True)
class UserId:
    raw: str
    name: str = ""
    comment: str = ""
    email: str = ""


def parse_user_id(raw: str) -> UserId:
    """Split "Name (comment) <email>" (any part may be missing) after cleaning it."""
    text = clean(raw, limit=MAX_USER_ID).strip()
    if _BARE_EMAIL.match(text):
        return UserId(text, email=text)
    m = _USER_ID.match(text)
    if not m:
        return UserId(text, name=text)
    return UserId(
        text,
        name=(m.group("name") or "").strip(),
        comment=(m.group("comment") or "").strip(),
        email=(m.group("email") or "").strip(),
    )


@dataclass
class KeyInfo:
    fingerprint: str = ""
    user_ids: list[UserId] = field(default_factory=list)
    photos: int = 0


def read_key(blob: bytes) -> KeyInfo:
    """User IDs, photo count and fingerprint of an armoured or binary key.

    Raises :class:`KeyFormatError` for anything that is not a readable key.
    """
    stripped = blob.lstrip()
    if stripped.startswith(b"-----BEGIN PGP"):
        data = dearmor(stripped.decode("utf-8", errors="replace"))
    elif stripped[:1] and stripped[0] & 0x80:
        data = blob
    else:
        raise KeyFormatError("not an OpenPGP key")
    info = KeyInfo()
    seen_key = False
    for packet in packets(data):
        if packet.tag == TAG_PUBLIC_KEY and not seen_key:
            seen_key = True
            info.fingerprint = fingerprint(packet.body)
        elif packet.tag == TAG_USER_ID:
            info.user_ids.append(parse_user_id(packet.body.decode("utf-8", errors="replace")))
        elif packet.tag == TAG_USER_ATTRIBUTE:
            info.photos += 1
    if not seen_key:
        raise KeyFormatError("no public key packet")
    return info


# --------------------------------------------------------------------------- the checker


class PgpChecker(api.EmailApiChecker):
    id = CHECKER_ID
    default_base = DEFAULT_BASE
    title = "OpenPGP keys"
    description = (
        "Looks for a public OpenPGP key published for your email on keys.openpgp.org, "
        "and the names and other emails that key ties to it."
    )
    lookup = (
        "Asks keys.openpgp.org's public lookup for a key under your email; looking up sends no "
        "verification mail (only uploading a key does)."
    )

    def lookups(self) -> list[tuple[str, api.Lookup]]:
        return [(SOURCE, check_email)]


def check_email(ctx: ScanContext, email: str) -> TaskResult:
    """Ask the keyserver for keys of ``email`` and list what their user IDs expose."""
    base = api.base_url(ctx, CHECKER_ID, DEFAULT_BASE)
    url = f"{base}/vks/v1/by-email/{quote(email, safe='')}"
    answer = api.call(ctx, CHECKER_ID, SOURCE, url, parse_json=False)
    if answer.check.status is Outcome.ABSENT:
        return TaskResult([api.with_status(answer, Outcome.ABSENT, "no key published")])
    if not answer.usable or answer.response is None:
        return TaskResult([answer.check])
    try:
        info = read_key(answer.response.body)
    except KeyFormatError as exc:
        return TaskResult(
            [api.with_status(answer, Outcome.ERROR, f"could not read the key ({exc})")]
        )

    names = list(dict.fromkeys(u.name for u in info.user_ids if u.name))
    emails = list(dict.fromkeys(u.email.lower() for u in info.user_ids if u.email))
    others = [e for e in emails if e != email]
    comments = list(dict.fromkeys(u.comment for u in info.user_ids if u.comment))
    reasons = [f"a public key is published for {email}"]
    if names:
        reasons.append(f"names on the key: {', '.join(names)}")
    if others:
        reasons.append(f"other emails on the key: {', '.join(others)}")
    if comments:
        reasons.append(f"comments: {', '.join(comments)}")
    if info.photos:
        reasons.append(f"{info.photos} photo ID(s)")
    finding = Finding(
        checker=CHECKER_ID,
        source=SOURCE,
        kind=FindingKind.PUBLIC_KEY,
        key=f"{email}:{info.fingerprint}" if info.fingerprint else email,
        url=f"{base}/search?q={quote(email, safe='@')}",
        confidence=1.0,
        reasons=reasons,
        matched={
            "email": email,
            "fingerprint": info.fingerprint,
            "names": names,
            "emails": emails,
            "other_emails": others,
            "comments": comments,
            "user_ids": [u.raw for u in info.user_ids],
            "photos": info.photos,
        },
        title=f"Public OpenPGP key for {email}",
        exposes=frozenset({Exposes.EMAIL}),
        remedy=AskToRemove(where=SOURCE, advice="public_key"),
        capture=answer.response.capture(),
    )
    detail = f"a key with {len(info.user_ids)} user ID(s)"
    return TaskResult([api.with_status(answer, Outcome.FOUND, detail)], [finding])
