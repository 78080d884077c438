"""``exposure sources check``: ask every site about its known account and a made-up name.

Prints the sites whose rule failed (known account absent, or "found" for any
name) and, with ``--write-disabled [FILE]``, writes them to a list that scans
skip (by default the data folder's ``sites-disabled.json``, which scans read
unless ``[checkers.sites] disabled_file`` names another). The catalogue is
never edited. Sites that blocked us or gave no definite answer are listed as
not checked, and are never written off.

Exit status: 0 when every checked site passed, 1 when one failed or nothing
could be checked, 2 for a bad catalogue or an unwritable list.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from exposure.cli.commands._options import add_format
from exposure.errors import ExitStatus, UsageError
from exposure.textsafe import json_text


def register(actions: argparse._SubParsersAction) -> None:
    chk = actions.add_parser(
        "check",
        help="ask each site for its known account and a made-up name; report broken rules",
    )
    chk.add_argument("--sites", type=Path, metavar="FILE", help="check this catalogue instead")
    chk.add_argument(
        "--write-disabled",
        nargs="?",
        const="",
        metavar="FILE",
        help="write the failed sites to a list that scans skip "
        "(default: sites-disabled.json in the data folder)",
    )
    chk.add_argument("--only", metavar="NAME", action="append", help="check only these sites")
    add_format(chk, "text", "json")
    chk.add_argument("--concurrency", type=int, metavar="N", help="requests in flight at once")
    chk.set_defaults(run=run_check)


def _target(value: str | None) -> Path | None:
    from exposure.catalogues.disabled import default_path

    if value is None:
        return None
    path = Path(value).expanduser() if value else default_path()
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"--write-disabled {path}: its folder does not exist")
    if path.is_dir():
        raise UsageError(f"--write-disabled {path}: is a folder")
    return path


def run_check(args: argparse.Namespace) -> int:
    from exposure.catalogues.disabled import write_disabled
    from exposure.catalogues.sites import load_catalogue
    from exposure.checkers.base import CheckerInputError
    from exposure.cli.render import Progress
    from exposure.config import load_current
    from exposure.engine.selfcheck import Health, self_check
    from exposure.model import Outcome
    from exposure.textsafe import clean

    config = load_current()
    target = _target(args.write_disabled)  # before any request: fail fast
    try:
        catalogue = load_catalogue(args.sites)
    except CheckerInputError as exc:
        raise UsageError(clean(exc, limit=300)) from None
    sites = catalogue.sites
    if args.only:
        wanted = {n.lower() for arg in args.only for n in arg.split(",")}
        sites = [s for s in sites if s.name.lower() in wanted]
        if not sites:
            raise UsageError("--only: no site of the catalogue has that name")
    progress = Progress("self-check", enabled=None if args.format == "text" else False)
    progress.start(len(sites))
    counts: Counter[Outcome] = Counter()
    results = []
    outcome_of = {Health.OK: Outcome.FOUND, Health.FAILED: Outcome.ABSENT}
    try:
        for item in self_check(sites, config, workers=args.concurrency):
            results.append(item)
            counts[outcome_of.get(item.health, Outcome.ERROR)] += 1
            progress.update(len(results), counts, item.site)
    except KeyboardInterrupt:
        progress.close()
        print("exposure: self-check interrupted; nothing written", file=sys.stderr)
        return int(ExitStatus.INTERRUPTED)
    progress.close()
    results.sort(key=lambda r: (r.health.value, r.site.lower()))
    failed = [r for r in results if r.health is Health.FAILED]
    unchecked = [r for r in results if r.health is Health.UNCHECKED]
    if target is not None:
        try:
            write_disabled(target, str(catalogue.path), [(r.site, r.reason) for r in failed])
        except OSError as exc:
            raise UsageError(
                f"--write-disabled {target}: cannot write it ({exc.strerror or exc})"
            ) from None
    if args.format == "json":
        doc = {
            "catalogue": str(catalogue.path),
            "checked": len(results) - len(unchecked),
            "failed": [{"site": r.site, "reason": r.reason} for r in failed],
            "unchecked": [{"site": r.site, "reason": r.reason} for r in unchecked],
            "passed": len(results) - len(failed) - len(unchecked),
            "disabled_file": str(target) if target else None,
        }
        print(json_text(doc, indent=2, ensure_ascii=True))
    else:
        ok = len(results) - len(failed) - len(unchecked)
        print(
            f"{len(results)} sites: {ok} passed, {len(failed)} failed, {len(unchecked)} not checked"
        )
        for r in failed:
            print(f"  failed       {clean(r.site, limit=60)}: {clean(r.reason, limit=200)}")
        for r in unchecked:
            print(f"  not checked  {clean(r.site, limit=60)}: {clean(r.reason, limit=200)}")
        if target is not None:
            print(f"wrote {len(failed)} failed sites to {target}; scans skip them")
    if failed or len(unchecked) == len(results):
        return int(ExitStatus.FAILED)
    return int(ExitStatus.OK)
