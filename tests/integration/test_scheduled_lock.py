"""Scheduled scans of a locked home: the keyring only when opted in, else one stderr line."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lockkit import run
from pytest_httpserver import HTTPServer
from werkzeug import Response

from exposure.engine import vault

EXPOSURE = Path(sys.executable).with_name("exposure")
PASS = "correct horse battery"

# A keyring backend kept in a file, so a process started with `env -i` can use it.
BACKEND = textwrap.dedent(
    """
    import json, os
    from keyring.backend import KeyringBackend

    class FileKeyring(KeyringBackend):
        priority = 1

        def _load(self):
            try:
                with open(os.environ["TEST_KEYRING_FILE"]) as fh:
                    return json.load(fh)
            except FileNotFoundError:
                return {}

        def _save(self, data):
            with open(os.environ["TEST_KEYRING_FILE"], "w") as fh:
                json.dump(data, fh)

        def get_password(self, service, username):
            return self._load().get(service + "/" + username)

        def set_password(self, service, username, password):
            data = self._load()
            data[service + "/" + username] = password
            self._save(data)

        def delete_password(self, service, username):
            data = self._load()
            data.pop(service + "/" + username, None)
            self._save(data)
    """
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.Scrypt(n=2**10))


def cron(home: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    extra = [f"{k}={v}" for k, v in (env or {}).items()]
    return subprocess.run(
        ["env", "-i", f"EXPOSURE_HOME={home}", *extra, str(EXPOSURE), *argv],
        capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _snapshot(home: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}


def test_scheduled_scan_of_a_locked_home_skips_in_one_line_unless_opted_in(
    exposure_home: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("").respond_with_handler(
        lambda request: Response("<p>no such user</p>", status=404)
    )
    base = httpserver.url_for("").rstrip("/")
    rule = {"e_code": 200, "e_string": "profile of", "m_code": 404, "m_string": "no such user"}
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps({"sites": [dict(rule, name="One", uri_check=base + "/{account}")]}))
    assert run("profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe")[0] == 0
    assert run("lock", "init", stdin=PASS + "\n")[0] == 0
    vault.forget_keys()
    (tmp_path / "filekeyring.py").write_text(BACKEND)
    keyring_env = {
        "PYTHONPATH": str(tmp_path),
        "PYTHON_KEYRING_BACKEND": "filekeyring.FileKeyring",
        "TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
    }
    scan = ["scan", "--profile", "jane", "--only", "sites", "--sites", str(sites)]
    scheduled = [*scan, "--new-only", "--quiet", "--scheduled"]

    before = _snapshot(exposure_home)
    done = cron(exposure_home, *scheduled, env=keyring_env)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "scheduled scan skipped" in done.stderr and "lock keyring on" in done.stderr
    assert _snapshot(exposure_home) == before  # nothing touched

    # An entry written before --scheduled existed: still one line, never a traceback.
    done = cron(exposure_home, *scan, "--new-only", "--quiet")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr

    # Opting in: the key goes into the keyring, and the scheduled scan runs.
    done = cron(
        exposure_home, "lock", "keyring", "on", env={**keyring_env, "EXPOSURE_PASSPHRASE": PASS}
    )
    assert done.returncode == 0, done.stderr
    done = cron(exposure_home, *scheduled, env=keyring_env)
    assert done.returncode == 0, done.stderr
    assert "skipped" not in done.stderr
    vault.unlock(PASS, exposure_home)
    from exposure.engine.store import Store

    with Store.open_current() as store:
        assert [s.state for s in store.scans("jane")] == ["finished"]
