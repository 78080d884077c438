"""``exposure forget PROFILE`` and ``forget --all``: remove what the tool holds about a person.

The work is :mod:`exposure.engine.forget`; this module reads the arguments,
asks for the typed confirmation ``--all`` needs, and prints what went.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from exposure.cli.commands._options import add_format
from exposure.errors import UsageError
from exposure.textsafe import ANY_CONTROL, json_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "forget",
        help="remove everything about a person (or, with --all, the whole home)",
        description="Removes the profile, its scans, checks, findings, evidence captures, "
        "incidents and attachments, removal requests, reports and case files written under "
        "the home that name the person, its cron entries; then compacts the database so "
        "freed pages do not keep the old text. --all removes the whole home after you type "
        "the confirmation. Deleting has limits (SSDs, backups): see the README.",
    )
    p.add_argument("profile", metavar="PROFILE", nargs="?", help="the profile to forget")
    p.add_argument("--all", action="store_true", help="remove the whole exposure home")
    p.add_argument(
        "--yes",
        action="store_true",
        help=f"with --all: do not ask for the confirmation (type {_confirm()!r} otherwise)",
    )
    p.add_argument(
        "--tabfile", type=Path, metavar="FILE", help="look for cron entries in this crontab file"
    )
    add_format(p, "text", "json")
    p.set_defaults(run=run)


def _confirm() -> str:
    from exposure.engine.forget import CONFIRM_ALL

    return CONFIRM_ALL


def _clean(value: Any) -> str:
    return ANY_CONTROL.sub("?", str(value))


def run(args: argparse.Namespace) -> int:
    if args.all == (args.profile is not None):
        raise UsageError("name one PROFILE to forget, or --all for the whole home")
    if args.all:
        return _run_all(args)
    return forget_one(args.profile, args.format, args.tabfile)


def forget_one(profile: str, fmt: str, tabfile: Path | None) -> int:
    from exposure import paths
    from exposure.engine.forget import forget_profile

    report = forget_profile(paths.current(), profile, tabfile=tabfile)
    if fmt == "json":
        print(json_text(report.to_dict(), indent=2))
        return 0
    print(f"forgot profile {_clean(report.profile)!r}")
    print(f"  database rows removed  {report.rows} (database compacted)")
    print(f"  evidence files removed {report.evidence_files}")
    for path in report.other_files:
        print(f"  removed                {_clean(path)}")
    if report.cron_entries:
        print(f"  cron entries removed   {report.cron_entries}")
    for note in report.notes:
        print(f"note: {_clean(note)}", file=sys.stderr)
    return 0


def _run_all(args: argparse.Namespace) -> int:
    from exposure import paths
    from exposure.engine.forget import CONFIRM_ALL, forget_home, home_folders

    where = paths.current()
    folders = [f for f in home_folders(where) if f.exists()]
    if not folders:
        print("nothing to forget: the exposure home does not exist")
        return 0
    if not args.yes:
        shown = ", ".join(_clean(f) for f in folders)
        prompt = f"This removes {shown} for good. Type '{CONFIRM_ALL}' to go on: "
        if sys.stdin is not None and sys.stdin.isatty():
            try:
                answer = input(prompt)
            except EOFError:
                answer = ""
        else:
            answer = sys.stdin.readline() if sys.stdin is not None else ""
        if answer.strip().lower() != CONFIRM_ALL:
            raise UsageError(
                f"not confirmed (type {CONFIRM_ALL!r}, or pass --yes); nothing removed"
            )
    report = forget_home(where, tabfile=args.tabfile)
    if args.format == "json":
        print(json_text(report.to_dict(), indent=2))
        return 0
    for folder in report.removed:
        print(f"removed {_clean(folder)}")
    if report.cron_entries:
        print(f"removed {report.cron_entries} cron entries")
    if report.keyring:
        print("removed the key kept in the system keyring")
    for note in report.notes:
        print(f"note: {_clean(note)}", file=sys.stderr)
    return 0
