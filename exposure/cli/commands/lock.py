"""``exposure lock``: lock the home at rest, change the passphrase, end a session.

``lock init`` encrypts everything personal under the home with a key derived
from a passphrase (``exposure.engine.vault``). ``unlock`` (its own command)
keeps the key for a while in a RAM-backed runtime folder so that a session of
commands asks once; bare ``lock`` ends that session at once.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from exposure.cli.commands._options import add_format
from exposure.errors import ExitStatus

if TYPE_CHECKING:
    from exposure.paths import Paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lock",
        help="lock the home (init), change the passphrase, or end an unlocked session",
        description="Without an action: forget the unlocked session now. "
        "`lock init` encrypts profiles, the database, evidence and attachments "
        "under the home. The passphrase is read without echo, from standard input "
        "when it is not a terminal, or from EXPOSURE_PASSPHRASE "
        "(the new one for `change`: EXPOSURE_NEW_PASSPHRASE).",
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=("init", "change", "status", "keyring"),
        help="init: lock this home; change: a new passphrase; status: say what is locked; "
        "keyring: keep the key in the system keyring for scheduled scans (on/off)",
    )
    p.add_argument("switch", nargs="?", choices=("on", "off"), help="for `keyring`: on or off")
    add_format(p, "text", "json")
    p.set_defaults(run=run)

    u = sub.add_parser(
        "unlock",
        help="open a locked home for a while, so commands stop asking",
        description="Keeps the key in a RAM-backed runtime folder (XDG_RUNTIME_DIR or "
        "/dev/shm) readable only by you, until `exposure lock`, the time runs out, "
        "or the machine restarts.",
    )
    u.add_argument(
        "--minutes", type=float, default=30.0, help="how long the session lasts (default 30)"
    )
    u.set_defaults(run=run_unlock)


def run(args: argparse.Namespace) -> int:
    from exposure import paths
    from exposure.engine import vault
    from exposure.errors import UsageError

    where = paths.current()
    if args.switch and args.action != "keyring":
        raise UsageError("`on`/`off` goes only with `exposure lock keyring`")
    if args.action == "init":
        return _init(where)
    if args.action == "change":
        return _change(where)
    if args.action == "status":
        return _status(where, args.format)
    if args.action == "keyring":
        return _keyring(where, args.switch)
    if not vault.is_locked(where.data_dir):
        raise UsageError("this home is not locked; `exposure lock init` locks it")
    ended = vault.end_session(where.data_dir)
    print("locked: the session key is gone" if ended else "locked (there was no open session)")
    return ExitStatus.OK


def _init(where: Paths) -> int:
    from exposure.cli import passphrase
    from exposure.engine import lockdown, vault

    if vault.is_locked(where.data_dir):
        secret = passphrase.current()
    else:
        secret = passphrase.new("Choose a passphrase (not shown): ", env=passphrase.ENV)
    report = lockdown.lock_init(where, secret)
    if report.finished_earlier_run:
        print(f"finished locking the home: {report.sealed_files} more files encrypted")
    else:
        db = "; the database is encrypted" if report.database_converted else ""
        print(f"locked: {report.sealed_files} files encrypted{db}")
    print(
        "without the passphrase nothing here can be read, by anyone — keep it somewhere safe; "
        "`exposure unlock` opens a session, `exposure lock` ends it"
    )
    return ExitStatus.OK


def _change(where: Paths) -> int:
    from exposure.cli import passphrase
    from exposure.engine import lockdown

    old = passphrase.current("Current passphrase (not shown): ")
    new = passphrase.new()
    lockdown.lock_change(where, old, new)
    print("the passphrase is changed")
    return ExitStatus.OK


def _status(where: Paths, fmt: str) -> int:
    from exposure.engine import lockdown, vault

    locked = vault.is_locked(where.data_dir)
    session = vault.read_session(where.data_dir) is not None if locked else False
    keyring = vault.keyring_key(where.data_dir) is not None if locked else False
    plain = [str(p) for p in lockdown.plain_leftovers(where)] if locked else []
    if fmt == "json":
        doc = {"locked": locked, "session": session, "keyring": keyring, "plain": plain}
        print(json.dumps(doc, indent=2))
        return ExitStatus.OK
    if not locked:
        print("not locked: profiles, the database and evidence are plain files (0600)")
        return ExitStatus.OK
    print("locked" + (" (a session is open: `exposure lock` ends it)" if session else ""))
    print(
        "the key is in the system keyring for scheduled scans"
        if keyring
        else "scheduled scans skip (the key is not in the keyring)"
    )
    if plain:
        print(f"{len(plain)} files are still plain: run `exposure lock init` again to finish")
    return ExitStatus.OK


def _keyring(where: Paths, switch: str | None) -> int:
    from exposure.cli import passphrase
    from exposure.engine import vault
    from exposure.errors import UsageError

    if switch is None:
        raise UsageError("say `exposure lock keyring on` or `exposure lock keyring off`")
    if not vault.is_locked(where.data_dir):
        raise UsageError("this home is not locked; `exposure lock init` locks it")
    if switch == "off":
        gone = vault.remove_from_keyring(where.data_dir)
        print("the key is no longer in the keyring" if gone else "the key was not in the keyring")
        return ExitStatus.OK
    key = vault.unlock(passphrase.current(), where.data_dir)
    vault.store_in_keyring(key, where.data_dir)
    print(
        "the key is in the system keyring: scheduled scans of this home can run; anyone who "
        "can open your keyring can now read the home (`exposure lock keyring off` undoes it)"
    )
    return ExitStatus.OK


def run_unlock(args: argparse.Namespace) -> int:
    from exposure import paths
    from exposure.cli import passphrase
    from exposure.engine import vault
    from exposure.errors import UsageError

    where = paths.current()
    if not vault.is_locked(where.data_dir):
        raise UsageError("this home is not locked; `exposure lock init` locks it")
    if not 0 < args.minutes <= 24 * 60:
        raise UsageError("--minutes must be between 0 and 1440")
    key = vault.unlock(passphrase.current(), where.data_dir)
    vault.start_session(key, args.minutes, where.data_dir)
    print(f"unlocked for {args.minutes:g} minutes; `exposure lock` locks again now")
    return ExitStatus.OK
