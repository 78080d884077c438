"""Attachments of an incident: files copied into the evidence store, content-addressed.

A screenshot, a saved email (``.eml``), an exported chat or a PDF is read
whole, hashed (SHA-256) and written once to ``evidence/ab/abcd…`` (0600,
sealed when the home is locked: :mod:`exposure.casefile.locker`), the same
locker the captures live in. Before anything is written, every file of an
incident is checked and read; one that is too big, a symbolic link, a
device or pipe, a folder, or unreadable is refused with one line naming it,
and then nothing of that incident is copied or recorded.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from exposure.errors import UsageError
from exposure.textsafe import clean

MAX_ATTACHMENT = 50 * 1024 * 1024


class AttachmentRefused(UsageError):
    """One attachment cannot be taken (too big, a link, a device, unreadable): exit 2."""


@dataclass(frozen=True)
class Staged:
    """An attachment read into memory and hashed, not yet written."""

    name: str  # the file's own name, as the person had it
    body: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def size(self) -> int:
        return len(self.body)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def stage(path: Path, limit: int = MAX_ATTACHMENT) -> Staged:
    """Read one attachment, or :class:`AttachmentRefused` saying why in one line."""
    shown = clean(path, limit=200)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise AttachmentRefused(f"attachment {shown}: no such file") from None
    except OSError as exc:
        raise AttachmentRefused(f"attachment {shown}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise AttachmentRefused(
            f"attachment {shown} is a symbolic link; attach the file it points to"
        )
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        raise AttachmentRefused(f"attachment {shown} is {what}, not a regular file")
    if info.st_size > limit:
        raise AttachmentRefused(
            f"attachment {shown} is {_mib(info.st_size)}, over the {_mib(limit)} limit"
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except PermissionError:
        raise AttachmentRefused(f"attachment {shown} cannot be read (permission denied)") from None
    except OSError as exc:
        raise AttachmentRefused(f"attachment {shown}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since lstat
            raise AttachmentRefused(f"attachment {shown} is not a regular file")
        try:
            body = fh.read(limit + 1)
        except OSError as exc:
            raise AttachmentRefused(f"attachment {shown} cannot be read: {exc.strerror}") from None
    if len(body) > limit:
        raise AttachmentRefused(f"attachment {shown} grew past the {_mib(limit)} limit")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Staged(name=clean(path.name, limit=255), body=body, content_type=kind)


def stage_all(paths: list[Path], limit: int = MAX_ATTACHMENT) -> list[Staged]:
    """Every attachment read and checked; the first refusal stops all of them."""
    staged = [stage(p, limit) for p in paths]
    seen: set[str] = set()
    unique = []
    for s in staged:
        if s.sha256 not in seen:
            seen.add(s.sha256)
            unique.append(s)
    return unique
