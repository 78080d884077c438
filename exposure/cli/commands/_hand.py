"""What ``exposure import`` and ``exposure assist`` share: arguments, the source, the output.

The work itself is exposure/engine/by_hand.py (the TUI uses it too).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure.cli.commands._options import add_format
from exposure.errors import ExitStatus, UsageError
from exposure.textsafe import clean, json_text

if TYPE_CHECKING:
    from exposure.checkers.base import ScanContext
    from exposure.checkers.saved import Source
    from exposure.engine.by_hand import HandRun


def add_source_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", metavar="NAME", required=True, help="whose page it is")
    p.add_argument(
        "--source",
        metavar="ID",
        required=True,
        help="a catalogued broker id or site name, or any name for a source of your own",
    )
    p.add_argument("--username", metavar="U", help="for a username site: whose account page")
    p.add_argument("--brokers", type=Path, metavar="FILE", help="broker catalogue (as scan)")
    p.add_argument("--sites", type=Path, metavar="FILE", help="site catalogue (as scan)")
    add_format(p, "text", "json")


def setup(args: argparse.Namespace) -> tuple[Any, ScanContext, Source]:
    """``(paths, context, source)``; a bad profile, file or source is exit 2."""
    from exposure import config as config_mod
    from exposure import paths
    from exposure.checkers.saved import resolve_source
    from exposure.engine.by_hand import context
    from exposure.people.profile import ProfileStore

    where = paths.current()
    config = config_mod.load(where.config_file)
    for file in (args.sites, args.brokers):
        if file is not None and not file.is_file():
            raise UsageError(f"{file}: no such file")
    profile = ProfileStore(where).get(args.profile)
    ctx = context(profile, config, brokers_file=args.brokers, sites_file=args.sites)
    return where, ctx, resolve_source(ctx, args.source)


def show(
    args: argparse.Namespace, ctx: ScanContext, source: Source, run: HandRun, what: str
) -> int:
    """Print what the hand check kept (``what`` names the page); exit 0."""
    kept, answer = run.kept, run.answer
    sha = answer.capture().sha256
    if args.format == "json":
        doc = kept.summary.to_dict()
        doc["sha256"] = sha
        print(json_text(doc, ensure_ascii=False))
        return ExitStatus.OK
    check = kept.checks[0]
    print(
        f"{clean(what)} for {clean(source.id)} ({answer.method.value}, sha256 {sha[:16]}…): "
        f"{check.status.value} — " + clean(check.detail.removeprefix(f"{answer.method.value}: "))
    )
    threshold = ctx.config.confidence_threshold
    for f in (f for f in kept.findings if f.confidence >= threshold):
        print(f"  {f.confidence:.2f}  {clean(f.title)}  {clean(f.url)}")
    print(f"Recorded as check {kept.summary.scan_id} (by hand) for profile {ctx.profile.id}.")
    return ExitStatus.OK
