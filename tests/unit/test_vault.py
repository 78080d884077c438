"""The lock's building blocks: sealed files, the lock file, where keys come from."""

from __future__ import annotations

import json
import time
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from exposure.engine import vault

FAST = vault.Scrypt(n=2**10)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict (keyring lets tests set a backend)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def make_lock(home: Path, passphrase: str = "correct horse") -> vault.Key:
    key = vault.new_data_key()
    home.mkdir(parents=True, exist_ok=True)
    (home / vault.LOCK_FILE).write_text(
        vault.LockFile.create(passphrase, key.data_key, FAST).to_json()
    )
    return key


def test_seal_round_trip_and_nothing_plain_inside() -> None:
    key = vault.new_data_key()
    blob = key.seal(b"Alice Zwiebelmeyer, +44 20 7946 0991")
    assert vault.is_sealed(blob)
    assert b"Zwiebel" not in blob and b"7946" not in blob
    assert key.unseal(blob) == b"Alice Zwiebelmeyer, +44 20 7946 0991"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(vault.MAGIC) + 5],  # truncated inside the nonce
        lambda b: b[:-1],  # truncated tag
        lambda b: b[:-3] + bytes([b[-3] ^ 1]) + b[-2:],  # one bit flipped
    ],
)
def test_damaged_sealed_data_is_a_clear_error(damage) -> None:  # type: ignore[no-untyped-def]
    key = vault.new_data_key()
    with pytest.raises(vault.SealedFileDamaged, match="left as it is"):
        key.unseal(damage(key.seal(b"secret")), "evidence/ab/abc")


def test_another_key_cannot_open_a_sealed_file() -> None:
    blob = vault.new_data_key().seal(b"secret")
    with pytest.raises(vault.SealedFileDamaged, match="not sealed with this home's key"):
        vault.new_data_key().unseal(blob)


def test_lock_file_opens_only_with_its_passphrase(tmp_path: Path) -> None:
    key = make_lock(tmp_path)
    lock = vault.LockFile.load(tmp_path / vault.LOCK_FILE)
    assert lock.open("correct horse") == key
    with pytest.raises(vault.WrongPassphrase, match="nothing was changed"):
        lock.open("correct hose")
    text = (tmp_path / vault.LOCK_FILE).read_text()
    assert key.data_key.hex() not in text


@pytest.mark.parametrize(
    "content", ["", "{", '{"format": 1}', '{"format": 1, "kdf": "scrypt", "n": 1024, "r": 8}']
)
def test_damaged_lock_file_is_one_line(tmp_path: Path, content: str) -> None:
    (tmp_path / vault.LOCK_FILE).write_text(content)
    with pytest.raises(vault.LockFileDamaged, match="lock file"):
        vault.LockFile.load(tmp_path / vault.LOCK_FILE)


def test_blobs_are_plain_in_an_unlocked_home(exposure_home: Path) -> None:
    target = exposure_home / "attachments" / "note.txt"
    vault.write_blob(target, "Alice's note")
    assert target.read_bytes() == b"Alice's note"
    assert target.stat().st_mode & 0o777 == 0o600
    assert vault.read_blob(target) == b"Alice's note"


def test_blobs_are_sealed_in_a_locked_home(exposure_home: Path) -> None:
    key = make_lock(exposure_home)
    vault.remember(key)
    target = exposure_home / "attachments" / "note.txt"
    vault.write_blob(target, "Alice's note")
    assert b"Alice" not in target.read_bytes()
    assert vault.read_text(target) == "Alice's note"
    vault.forget_keys()
    with pytest.raises(vault.Locked, match="exposure unlock"):
        vault.read_blob(target)
    with pytest.raises(vault.Locked):
        vault.write_blob(exposure_home / "other.txt", "x")
    assert not (exposure_home / "other.txt").exists()


def test_a_plain_file_in_a_locked_home_still_reads(exposure_home: Path) -> None:
    make_lock(exposure_home)
    (exposure_home / "old.json").write_text("{}")
    assert vault.read_blob(exposure_home / "old.json") == b"{}"  # no key needed


def test_key_from_the_environment(exposure_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = make_lock(exposure_home)
    monkeypatch.setenv("EXPOSURE_PASSPHRASE", "correct horse")
    assert vault.key_for() == key
    vault.forget_keys()
    monkeypatch.setenv("EXPOSURE_PASSPHRASE", "wrong")
    with pytest.raises(vault.WrongPassphrase):
        vault.key_for()


def test_key_from_the_prompt(exposure_home: Path) -> None:
    key = make_lock(exposure_home)
    asked: list[str] = []
    vault.set_prompt(lambda text: asked.append(text) or "correct horse")
    assert vault.key_for() == key
    assert vault.key_for() == key
    assert len(asked) == 1  # asked once per process


def test_session_lasts_until_locked_or_expired(exposure_home: Path) -> None:
    key = make_lock(exposure_home)
    where = vault.start_session(key, minutes=5)
    assert where.stat().st_mode & 0o777 == 0o600
    assert vault.read_session() == key
    assert not vault.needs_passphrase()
    assert vault.end_session()
    assert vault.read_session() is None
    vault.forget_keys()  # a running process keeps what it opened; a new one must ask
    assert vault.needs_passphrase()
    vault.start_session(key, minutes=5)
    doc = json.loads(where.read_text())
    doc["expires"] = time.time() - 1
    where.write_text(json.dumps(doc))
    assert vault.read_session() is None
    assert not where.exists()  # an expired session is removed


def test_keyring_only_when_allowed(exposure_home: Path, memory_keyring: MemoryKeyring) -> None:
    key = make_lock(exposure_home)
    vault.store_in_keyring(key)
    assert vault.keyring_key() == key
    assert vault.needs_passphrase()  # an ordinary command does not take it from the keyring
    vault.allow_keyring(True)
    assert vault.key_for() == key
    vault.forget_keys()
    assert vault.remove_from_keyring()
    with pytest.raises(vault.Locked):
        vault.key_for()
