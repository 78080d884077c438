"""Shared fixtures: every test gets its own EXPOSURE_HOME and no proxy settings."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def exposure_home(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path / "exposure-home"
    monkeypatch.setenv("EXPOSURE_HOME", str(home))
    for var in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "EXPOSURE_PROXY",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    # The lock (exposure.engine.vault): no passphrase from the caller's environment, session
    # files in the test's own runtime folder, and no key or prompt left over from a test.
    monkeypatch.delenv("EXPOSURE_PASSPHRASE", raising=False)
    monkeypatch.delenv("EXPOSURE_NEW_PASSPHRASE", raising=False)
    runtime = tmp_path_factory.mktemp("runtime")
    runtime.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    from exposure.engine import vault

    vault.forget_keys()
    vault.set_prompt(None)
    vault.allow_keyring(False)
    return home


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not there (../shared must sit beside the repo)")
    return SHARED_DATA


_real_getaddrinfo = socket.getaddrinfo


def _loopback_only(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Tests never reach a real site: any name or address off this machine fails to resolve."""
    name = host.decode() if isinstance(host, bytes) else str(host or "")
    try:
        allowed = ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        allowed = name == "localhost"
    if not allowed:
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not resolve {name!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only)
