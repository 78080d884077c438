"""Reading and writing the evidence locker for the case file, through the vault.

The locker (``evidence/ab/abcd…``) is content-addressed: a file's name is its
SHA-256. Files go through :mod:`exposure.engine.vault` like every capture
(sealed when the home is locked, plain 0600 otherwise). A file is read back
only when it is a regular file inside the locker and its contents still
match its name's hash; anything else reads as missing (None), so a planted
symlink or an altered file never reaches a screenshot or an export.
"""

from __future__ import annotations

import hashlib
import stat
from typing import TYPE_CHECKING

from exposure.engine import vault

if TYPE_CHECKING:
    from exposure.engine.store import Store


def relative_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


def read_evidence(store: Store, relative: str, sha256: str) -> bytes | None:
    """The file's plain bytes, or None when missing, outside the locker, or altered."""
    root = store.evidence_dir
    path = root / relative
    try:
        if path.is_symlink() or not stat.S_ISREG(path.stat().st_mode):
            return None
        if not path.resolve(strict=True).is_relative_to(root.resolve(strict=True)):
            return None
        body = vault.read_blob(path, home=store.path.parent)
    except (OSError, RuntimeError, vault.SealedFileDamaged):
        return None
    return body if hashlib.sha256(body).hexdigest() == sha256 else None


def write_evidence(store: Store, body: bytes) -> str:
    """Write ``body`` into the locker once (atomic, 0600, sealed when locked); its path."""
    sha = hashlib.sha256(body).hexdigest()
    rel = relative_path(sha)
    if read_evidence(store, rel, sha) is None:
        vault.write_blob(store.evidence_dir / rel, body, home=store.path.parent)
    return rel
