"""The lock: everything sensitive under the home, encrypted with a key from a passphrase.

A home is *locked* when ``lock.json`` sits in its data folder (``exposure
lock init`` writes it). Then:

* a random 256-bit data key encrypts the files (AES-256-GCM, ``cryptography``)
  and, through a sub-key, the database (SQLCipher);
* the data key is stored only *wrapped*: encrypted with a key derived from the
  passphrase by scrypt (memory-hard: 64 MiB per guess). ``lock change`` re-wraps
  it, so changing the passphrase rewrites one small file and nothing else;
* a process gets the data key once, from the first of: a key already opened in
  this process (:func:`unlock`), ``EXPOSURE_PASSPHRASE``, the session file that
  ``exposure unlock`` leaves in the runtime folder (RAM-backed, removed by
  ``exposure lock``), the system keyring (only for scheduled scans, and only if
  the person opted in), and the prompt the front end registered
  (:func:`set_prompt`: the CLI asks without echo, or reads standard input).

Everyone who writes personal data under the home goes through
:func:`write_blob` and reads it back with :func:`read_blob`: sealed when the
home is locked, a plain 0600 file when it is not. A sealed file is
``MAGIC || nonce || ciphertext+tag``; a plain file never starts with ``MAGIC``
(JSON, HTML and captured pages don't), so a half-converted home still reads.

Errors are types with one-line messages: :class:`Locked` (no key available),
:class:`WrongPassphrase`, :class:`SealedFileDamaged` (truncated or altered),
:class:`LockUnavailable` (the optional ``lock`` extra is not installed).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exposure import paths as paths_mod
from exposure.errors import ExitStatus, ExposureError, UsageError

LOCK_FILE = "lock.json"
MAGIC = b"\x00EXPOSURE-SEALED-1\n"
NONCE_BYTES = 12
KEY_BYTES = 32
KEYRING_USER_PREFIX = "vault:"
SESSION_MINUTES = 30
EXTRA_HINT = "install the lock extra: pip install 'exposure[lock]'"


class VaultError(ExposureError):
    """The lock cannot do what was asked; one line, exit 1."""


class Locked(VaultError):
    """The home is locked and no key is available to this process."""


class WrongPassphrase(VaultError):
    """The passphrase does not open the lock; nothing was touched."""

    status = ExitStatus.USAGE


class SealedFileDamaged(VaultError):
    """An encrypted file is truncated or was altered (or belongs to another home)."""


class LockUnavailable(UsageError):
    """The optional packages the lock needs are not installed."""


class LockFileDamaged(VaultError):
    """``lock.json`` cannot be read."""


@dataclass(frozen=True)
class Scrypt:
    """scrypt's cost: n * r * 128 bytes of memory per guess (64 MiB by default)."""

    n: int = 2**16
    r: int = 8
    p: int = 1

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        return hashlib.scrypt(
            passphrase.encode("utf-8"),
            salt=salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=256 * self.n * self.r + 2**20,
            dklen=KEY_BYTES,
        )


DEFAULT_KDF = Scrypt()


def _aesgcm(key: bytes) -> Any:
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        raise LockUnavailable(f"the lock needs the 'cryptography' package; {EXTRA_HINT}") from None
    return AESGCM(key)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


# --------------------------------------------------------------------------- keys


@dataclass(frozen=True)
class Key:
    """The home's data key, with the sub-keys for files and for the database."""

    data_key: bytes

    @property
    def file_key(self) -> bytes:
        return hmac.new(self.data_key, b"exposure files", hashlib.sha256).digest()

    @property
    def database_key(self) -> bytes:
        return hmac.new(self.data_key, b"exposure database", hashlib.sha256).digest()

    def sqlcipher_pragma(self) -> str:
        """``PRAGMA key`` with a raw key: SQLCipher skips its own (slow) PBKDF2."""
        return f"PRAGMA key = \"x'{self.database_key.hex()}'\""

    def seal(self, data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return MAGIC + nonce + _aesgcm(self.file_key).encrypt(nonce, data, MAGIC)

    def unseal(self, blob: bytes, what: str = "a file") -> bytes:
        body = blob[len(MAGIC) :]
        if not blob.startswith(MAGIC) or len(body) < NONCE_BYTES + 16:
            raise SealedFileDamaged(f"{what} is truncated or damaged; it was left as it is")
        from cryptography.exceptions import InvalidTag

        try:
            return bytes(
                _aesgcm(self.file_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], MAGIC)
            )
        except InvalidTag:
            raise SealedFileDamaged(
                f"{what} is damaged or was not sealed with this home's key; it was left as it is"
            ) from None


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


# --------------------------------------------------------------------------- the lock file


@dataclass(frozen=True)
class LockFile:
    """What ``lock.json`` holds: the KDF's salt and cost, and the wrapped data key."""

    kdf: Scrypt
    salt: bytes
    wrapped: bytes  # nonce || AES-GCM(passphrase key, data key)

    @staticmethod
    def create(passphrase: str, data_key: bytes, kdf: Scrypt | None = None) -> LockFile:
        kdf = kdf or DEFAULT_KDF
        salt = os.urandom(16)
        nonce = os.urandom(NONCE_BYTES)
        wrapping = _aesgcm(kdf.derive(passphrase, salt))
        return LockFile(kdf, salt, nonce + wrapping.encrypt(nonce, data_key, b"exposure data key"))

    def open(self, passphrase: str) -> Key:
        from cryptography.exceptions import InvalidTag

        wrapping = _aesgcm(self.kdf.derive(passphrase, self.salt))
        try:
            data_key = wrapping.decrypt(
                self.wrapped[:NONCE_BYTES], self.wrapped[NONCE_BYTES:], b"exposure data key"
            )
        except InvalidTag:
            raise WrongPassphrase("wrong passphrase; nothing was changed") from None
        return Key(bytes(data_key))

    def to_json(self) -> str:
        doc = {
            "format": 1,
            "kdf": "scrypt",
            "n": self.kdf.n,
            "r": self.kdf.r,
            "p": self.kdf.p,
            "salt": _b64(self.salt),
            "wrapped_key": _b64(self.wrapped),
        }
        return json.dumps(doc, indent=2) + "\n"

    @staticmethod
    def load(path: Path) -> LockFile:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") != 1 or doc.get("kdf") != "scrypt":
                raise ValueError("unknown format")
            kdf = Scrypt(int(doc["n"]), int(doc["r"]), int(doc["p"]))
            lock = LockFile(kdf, _unb64(doc["salt"]), _unb64(doc["wrapped_key"]))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise LockFileDamaged(
                f"the lock file {path} is damaged; without it the home cannot be opened"
            ) from None
        if len(lock.wrapped) != NONCE_BYTES + KEY_BYTES + 16:
            raise LockFileDamaged(f"the lock file {path} is damaged (bad key length)")
        return lock


def _home(home: Path | None) -> Path:
    """The data folder a lock belongs to (the current home's by default)."""
    return home if home is not None else paths_mod.current().data_dir


def lock_path(home: Path | None = None) -> Path:
    return _home(home) / LOCK_FILE


def is_locked(home: Path | None = None) -> bool:
    """Whether the home has a lock (whatever this process knows of its key)."""
    return lock_path(home).is_file()


def home_tag(home: Path | None = None) -> str:
    """A short, stable name for this home (session file, keyring entry) that reveals nothing."""
    data_dir = str(_home(home))
    return hashlib.sha256(data_dir.encode("utf-8")).hexdigest()[:20]


# --------------------------------------------------------------------------- where keys come from

Prompt = Callable[[str], str]

_lock = threading.Lock()
_opened: dict[str, Key] = {}  # data_dir -> key opened in this process
_prompt: Prompt | None = None
_allow_keyring = False


def set_prompt(prompt: Prompt | None) -> None:
    """How this process asks for the passphrase when it needs one (None: it never asks)."""
    global _prompt
    _prompt = prompt


def allow_keyring(allowed: bool) -> None:
    """Let this process take the key from the keyring (scheduled scans that opted in)."""
    global _allow_keyring
    _allow_keyring = allowed


def forget_keys() -> None:
    """Drop every key this process opened (tests; the TUI when it locks)."""
    with _lock:
        _opened.clear()


def unlock(passphrase: str, home: Path | None = None) -> Key:
    """Open the home's lock with ``passphrase`` and keep the key for this process."""
    home = _home(home)
    key = LockFile.load(lock_path(home)).open(passphrase)
    with _lock:
        _opened[str(home)] = key
    return key


def remember(key: Key, home: Path | None = None) -> None:
    home = _home(home)
    with _lock:
        _opened[str(home)] = key


def opened(home: Path | None = None) -> Key | None:
    """The key this process already holds for the home, if any (never asks)."""
    home = _home(home)
    return _opened.get(str(home))


def needs_passphrase(home: Path | None = None) -> bool:
    """Locked, and no key without asking (the TUI shows its passphrase screen then)."""
    home = _home(home)
    if not is_locked(home):
        return False
    try:
        return _quiet_key(home) is None
    except VaultError:
        return True


def _quiet_key(home: Path) -> Key | None:
    """The key from this process, the environment, a session or the keyring — no prompt."""
    key = opened(home)
    if key is not None:
        return key
    passphrase = os.environ.get("EXPOSURE_PASSPHRASE")
    if passphrase:
        return unlock(passphrase, home)
    key = read_session(home)
    if key is None and _allow_keyring:
        key = keyring_key(home)
    if key is not None:
        remember(key, home)
    return key


def key_for(home: Path | None = None) -> Key | None:
    """The home's key; None when the home is not locked. Raises :class:`Locked` if unavailable."""
    home = _home(home)
    if not is_locked(home):
        return None
    key = _quiet_key(home)
    if key is not None:
        return key
    if _prompt is not None:
        return unlock(_prompt("Passphrase for the locked exposure home: "), home)
    raise Locked("the exposure home is locked: run `exposure unlock`, or set EXPOSURE_PASSPHRASE")


# --------------------------------------------------------------------------- sessions


def session_dir() -> Path | None:
    """A RAM-backed folder only this user can read, or None when there is none."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    candidates = [Path(runtime)] if runtime else []
    candidates.append(Path("/dev/shm"))
    for base in candidates:
        if base.is_dir() and os.access(base, os.W_OK):
            return base / f"exposure-{os.getuid()}"
    return None


def session_file(home: Path | None = None) -> Path | None:
    folder = session_dir()
    return None if folder is None else folder / f"{home_tag(home)}.key"


def start_session(key: Key, minutes: float, home: Path | None = None) -> Path:
    """Keep the key in the runtime folder until ``exposure lock`` or ``minutes`` pass."""
    target = session_file(home)
    if target is None:
        raise VaultError("no private runtime folder (XDG_RUNTIME_DIR or /dev/shm) for a session")
    expires = time.time() + minutes * 60
    body = json.dumps({"key": _b64(key.data_key), "expires": expires})
    paths_mod.write_private(target, body, durable=False)
    return target


def read_session(home: Path | None = None) -> Key | None:
    target = session_file(home)
    if target is None:
        return None
    try:
        doc = json.loads(target.read_text(encoding="utf-8"))
        expires = float(doc["expires"])
        data_key = _unb64(doc["key"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        end_session(home)
        return None
    if expires < time.time() or len(data_key) != KEY_BYTES:
        end_session(home)
        return None
    return Key(data_key)


def end_session(home: Path | None = None) -> bool:
    """Remove the session file; True if there was one."""
    target = session_file(home)
    if target is None or not target.exists():
        return False
    target.unlink(missing_ok=True)
    return True


# --------------------------------------------------------------------------- keyring (opt-in)


def keyring_user(home: Path | None = None) -> str:
    return KEYRING_USER_PREFIX + home_tag(home)


def keyring_key(home: Path | None = None) -> Key | None:
    """The key the person chose to keep in the system keyring; None on any failure."""
    from exposure.secrets import KEYRING_SERVICE

    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, keyring_user(home))
        data_key = _unb64(value) if value else b""
    except Exception:  # no keyring, no backend, locked wallet, bad value
        return None
    return Key(data_key) if len(data_key) == KEY_BYTES else None


def store_in_keyring(key: Key, home: Path | None = None) -> None:
    from exposure.secrets import KEYRING_SERVICE

    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_user(home), _b64(key.data_key))
    except ImportError:
        raise UsageError(
            "the keyring needs the optional extra: pip install 'exposure[keyring]'"
        ) from None
    except Exception as exc:
        raise VaultError(f"the system keyring refused the key ({type(exc).__name__})") from None


def remove_from_keyring(home: Path | None = None) -> bool:
    from exposure.secrets import KEYRING_SERVICE

    try:
        import keyring

        if keyring.get_password(KEYRING_SERVICE, keyring_user(home)) is None:
            return False
        keyring.delete_password(KEYRING_SERVICE, keyring_user(home))
    except Exception:
        return False
    return True


# --------------------------------------------------------------------------- sealed files


def seal_for(home: Path | None, data: bytes) -> bytes:
    key = key_for(home)
    return data if key is None else key.seal(data)


def write_blob(
    path: Path, data: bytes | str, *, durable: bool = True, home: Path | None = None
) -> None:
    """Write personal data under the home: sealed when it is locked, plain 0600 otherwise.

    ``path`` may be anywhere under the home (its folder is created 0700);
    ``home`` is the home's data folder (default: the current one). Raises
    :class:`Locked` when the home is locked and no key can be had.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    paths_mod.write_private(path, seal_for(home, raw), durable=durable)


def read_blob(path: Path, *, home: Path | None = None) -> bytes:
    """Read a file written by :func:`write_blob` (sealed or plain). OSError if missing.

    A sealed file that is truncated, altered or from another home raises
    :class:`SealedFileDamaged`; the file is never touched.
    """
    blob = path.read_bytes()
    if not is_sealed(blob):
        return blob
    key = key_for(home)
    if key is None:  # sealed, but the home has no lock: its lock file is gone
        raise SealedFileDamaged(f"{path} is encrypted but this home has no lock file")
    return key.unseal(blob, str(path))


def read_text(path: Path, *, home: Path | None = None) -> str:
    return read_blob(path, home=home).decode("utf-8")


def new_data_key() -> Key:
    return Key(secrets.token_bytes(KEY_BYTES))
