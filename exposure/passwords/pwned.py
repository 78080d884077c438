"""Pwned Passwords range look-ups (k-anonymity): how often was a password seen in breaches?

Only the first 5 hex characters of the password's SHA-1 (upper case) ever
leave the machine: ``GET {base}/range/{prefix}`` with ``Add-Padding: true``
answers every suffix sharing that prefix (``SUFFIX:COUNT`` lines, padded with
fake rows of count 0 so the answer's size says nothing), and the match is made
here. Offline, the same look-up reads ``{dir}/{PREFIX}.txt`` from a local copy
written by the official downloader.

This is NOT a scan checker (it has no entry point): a scan never has a
password. ``exposure password check`` uses it. Nothing here logs, stores or
returns the password, its hash or its suffix.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.config import HttpUrl
from exposure.errors import ExposureError, UsageError

if TYPE_CHECKING:
    from exposure.net.http import HttpClient

CHECKER_ID = "pwned_passwords"
SOURCE = "Pwned Passwords"
DEFAULT_BASE = "https://api.pwnedpasswords.com"
PREFIX_LEN = 5
SUFFIX_LEN = 35
_LINE = re.compile(r"([0-9A-Fa-f]{35}):(\d+)")
_PREFIX = re.compile(r"[0-9A-F]{5}")


class RangeError(Exception):
    """The range answer could not be read (the API's fault, not the person's): exit 1."""


@dataclass
class Options:
    """``[checkers.pwned_passwords]`` (``exposure password check``)."""

    base_url: HttpUrl = ""


class LookupFailed(ExposureError):
    """The online look-up got no usable answer; the message is one short line."""


class OfflineError(UsageError):
    """The offline copy is missing or lacks the prefix file: bad input, exit 2."""


def sha1_hex(password: str) -> str:
    """Upper-case hex SHA-1 of the password's UTF-8 bytes (as Pwned Passwords hashes it)."""
    return hashlib.sha1(password.encode("utf-8")).hexdigest().upper()


def split_hash(digest: str) -> tuple[str, str]:
    """``(prefix, suffix)``: the 5 characters that are sent, the 35 that never are."""
    digest = digest.upper()
    if not re.fullmatch(r"[0-9A-F]{40}", digest):
        raise ValueError("not a SHA-1 hex digest")
    return digest[:PREFIX_LEN], digest[PREFIX_LEN:]


def parse_range(text: str) -> dict[str, int]:
    """``{SUFFIX: count}`` from a range answer; padding rows (count 0) are dropped.

    Accepts CRLF or LF line ends, blank lines and a byte-order mark; any other
    line that is not ``<35 hex>:<count>`` makes the whole answer unreadable,
    because a half-read answer could wrongly say "not seen".
    """
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if not match:
            raise RangeError(f"line {number} of the range answer is not SUFFIX:COUNT")
        count = int(match.group(2))
        if count > 0:
            suffix = match.group(1).upper()
            counts[suffix] = counts.get(suffix, 0) + count
    return counts


def count_in(text: str, suffix: str) -> int:
    """How many times ``suffix`` appears in a range answer (0: not seen)."""
    return parse_range(text).get(suffix.upper(), 0)


def range_url(base: str, prefix: str) -> str:
    if not _PREFIX.fullmatch(prefix):
        raise ValueError("a range prefix is 5 upper-case hex characters")
    return f"{base.rstrip('/')}/range/{prefix}"


def lookup_online(http: HttpClient, base: str, digest: str) -> int:
    """Times the password with SHA-1 ``digest`` was seen, asking the range API.

    Raises :class:`LookupFailed` with a one-line reason when no usable answer
    came (network failure, refusal, rate limit, server error, unreadable body).
    """
    from exposure.net.http import FetchError, RobotsDisallowed

    prefix, suffix = split_hash(digest)
    url = range_url(base, prefix)
    try:
        response = http.request("GET", url, headers={"Add-Padding": "true"}, respect_robots=False)
    except (FetchError, RobotsDisallowed) as exc:
        raise LookupFailed(f"Pwned Passwords unreachable: {exc}") from None
    if response.block_reason:
        raise LookupFailed(f"Pwned Passwords blocked us: {response.block_reason}")
    if response.status != 200:
        tries = f" after {response.tries} tries" if response.tries > 1 else ""
        raise LookupFailed(f"Pwned Passwords answered HTTP {response.status}{tries}")
    if response.truncated:
        raise LookupFailed("the Pwned Passwords answer was too large")
    try:
        return count_in(response.body.decode("ascii"), suffix)
    except UnicodeDecodeError:
        raise LookupFailed("the Pwned Passwords answer is not a range list") from None
    except RangeError as exc:
        raise LookupFailed(f"the Pwned Passwords answer is unreadable: {exc}") from None


def prefix_file(directory: Path, prefix: str) -> Path:
    """Where the official downloader keeps ``prefix``'s range: ``{dir}/{PREFIX}.txt``."""
    for name in (f"{prefix}.txt", f"{prefix.lower()}.txt"):
        candidate = directory / name
        if candidate.is_file():
            return candidate
    raise OfflineError(f"{directory}: no range file {prefix}.txt in the offline copy")


def lookup_offline(directory: Path, digest: str) -> int:
    """Times seen, from a local copy of the range files; no network at all."""
    if not directory.is_dir():
        raise OfflineError(f"{directory}: no such folder")
    prefix, suffix = split_hash(digest)
    path = prefix_file(directory, prefix)
    try:
        text = path.read_bytes().decode("ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise OfflineError(f"{path}: cannot be read ({type(exc).__name__})") from None
    try:
        return count_in(text, suffix)
    except RangeError as exc:
        raise OfflineError(f"{path}: {exc}") from None
