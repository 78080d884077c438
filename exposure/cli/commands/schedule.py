"""``exposure schedule install|show|remove``: rescans from cron that report only what is new.

The logic (tags, absolute paths, crontab I/O) is in :mod:`exposure.engine.schedule`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.cli.commands._options import add_format
from exposure.errors import ExitStatus
from exposure.textsafe import json_text

if TYPE_CHECKING:
    from exposure.engine.schedule import Target

_EPILOG = (
    "Each scheduled scan is one crontab line tagged '# exposure:<profile>' (or exposure:all, "
    "exposure:guardian:<name>); installing again replaces it and leaves other lines alone. "
    "It runs `exposure scan ... --new-only --quiet`, so cron mails you only when something "
    "is new."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schedule",
        help="install, show or remove scheduled rescans (cron)",
        description="Scheduled rescans from cron that report only what is new.",
        epilog=_EPILOG,
    )
    actions = p.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)

    inst = actions.add_parser("install", help="add or replace a scheduled scan", epilog=_EPILOG)
    _target(inst)
    inst.add_argument(
        "--every",
        choices=("daily", "weekly", "monthly"),
        required=True,
        help="how often (weekly: Mondays; monthly: the 1st)",
    )
    inst.add_argument(
        "--at", metavar="HH:MM", default="09:00", help="local time of day, 24-hour (default 09:00)"
    )
    inst.add_argument(
        "--notify-command",
        metavar="CMD",
        help="passed to the scan: run CMD with the JSON of new findings "
        "(cron's PATH is short: give an absolute path)",
    )
    _tabfile(inst)
    add_format(inst, "text", "json")
    inst.set_defaults(run=run_install)

    show = actions.add_parser("show", help="list exposure's scheduled scans")
    _tabfile(show)
    add_format(show, "text", "json")
    show.set_defaults(run=run_show)

    rem = actions.add_parser("remove", help="remove a scheduled scan")
    _target(rem)
    _tabfile(rem)
    add_format(rem, "text", "json")
    rem.set_defaults(run=run_remove)


def _target(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--profile", metavar="NAME", help="scan this profile")
    who.add_argument("--all", action="store_true", help="scan every profile")
    who.add_argument(
        "--guardian",
        metavar="NAME",
        help="scan every child in guardian NAME's care (minors in your care)",
    )


def _tabfile(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tabfile",
        type=Path,
        metavar="FILE",
        help="edit this crontab file instead of your crontab",
    )


def _resolve_target(args: argparse.Namespace, *, must_exist: bool) -> Target:
    from exposure import paths
    from exposure.engine.schedule import Target
    from exposure.people.profile import ProfileStore, validate_id

    if args.all:
        return Target("all")
    profiles = ProfileStore(paths.current())
    if args.guardian:
        validate_id(args.guardian)
        if must_exist:
            from exposure.engine.guardian import wards

            wards(profiles, args.guardian)
        return Target("guardian", args.guardian)
    validate_id(args.profile)
    if must_exist:
        profiles.get(args.profile)  # unknown profile: UsageError, exit 2
    return Target("profile", args.profile)


def run_install(args: argparse.Namespace) -> int:
    from exposure.engine.schedule import install

    target = _resolve_target(args, must_exist=True)
    entry = install(target, args.every, args.at, tabfile=args.tabfile, notify=args.notify_command)
    if args.format == "json":
        print(json_text(entry.to_dict(), ensure_ascii=False))
        return ExitStatus.OK
    where = str(args.tabfile) if args.tabfile else "your crontab"
    print(f"scheduled {entry.tag.removeprefix('exposure:')} {entry.when} in {where}")
    print(f"  {entry.slices} {entry.command}")
    return ExitStatus.OK


def run_show(args: argparse.Namespace) -> int:
    from exposure.engine.schedule import entries
    from exposure.textsafe import clean

    found = entries(args.tabfile)
    if args.format == "json":
        print(json_text([e.to_dict() for e in found], ensure_ascii=False, indent=2))
        return ExitStatus.OK
    if not found:
        print(
            "no scheduled scans; add one with `exposure schedule install --profile NAME "
            "--every weekly`"
        )
        return ExitStatus.OK
    for e in found:
        off = "" if e.enabled else "  (disabled)"
        print(f"{clean(e.tag.removeprefix('exposure:'))}: {clean(e.when)}{off}")
        print(f"  {clean(e.command)}")
    return ExitStatus.OK


def run_remove(args: argparse.Namespace) -> int:
    from exposure.engine.schedule import remove

    target = _resolve_target(args, must_exist=False)  # removing needs no profile any more
    count = remove(target, tabfile=args.tabfile)
    if args.format == "json":
        print(json_text({"tag": target.tag, "removed": count}))
        return ExitStatus.OK
    name = target.tag.removeprefix("exposure:")
    print(
        f"removed the scheduled scan of {name}"
        if count
        else f"no scheduled scan of {name} to remove"
    )
    return ExitStatus.OK
