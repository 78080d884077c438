"""``exposure report``: one file with the score and its trend, findings and checklist.

``--format html`` is a single self-contained page (no scripts, no external
assets); ``md``, ``json`` and ``csv`` are the same data in other shapes.
Files are written 0600; without ``--output`` (or with ``-``) the report goes
to standard output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.cli.commands._options import add_format, add_profile

if TYPE_CHECKING:
    from exposure.engine.guardian_report import GuardianReport


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write a report: HTML, Markdown, JSON or CSV")
    who = p.add_mutually_exclusive_group(required=True)
    add_profile(who)
    who.add_argument(
        "--guardian",
        metavar="NAME",
        help="a report for a parent about the children in their care (md, html, json)",
    )
    add_format(p, "html", "md", "json", "csv")
    p.add_argument("--output", metavar="FILE", help="where to write it (default: stdout)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.engine.locking import reap_stale_scans
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore
    from exposure.reports import check_output, gather, render, write_report

    where = paths.current()
    config = config_mod.load(where.config_file)  # ConfigError: exit 2
    output = Path(args.output) if args.output and args.output != "-" else None
    if output is not None:
        check_output(output)  # fail before the work
    unreadable: list[str] = []  # profile files the guardian report could not read
    if args.guardian:
        report = _guardian_report(args.guardian, args.format)
        text, unreadable = report.text, report.unreadable
    else:
        profile = ProfileStore(where).get(args.profile)
        with Store(where.database, where.evidence_dir) as store:
            reap_stale_scans(store, where.locks_dir)
            data = gather(store, profile, threshold=config.confidence_threshold)
        text = render(data, args.format)
    if output is None:
        sys.stdout.write(text)
    else:
        write_report(output, text)
        print(f"wrote {output}", file=sys.stderr)
    if unreadable:
        from exposure.cli.commands.profiles import report_broken

        # A broken profile file may be a child the report leaves out (it says so too).
        return report_broken(unreadable)
    return 0


def _guardian_report(guardian: str, fmt: str) -> GuardianReport:
    """The parent's report (exposure/guardian.py), the same as `exposure guardian report`."""
    from exposure.engine.guardian_report import render_guardian_report
    from exposure.engine.store import Store
    from exposure.errors import UsageError
    from exposure.people.profile import validate_id

    if fmt == "csv":
        raise UsageError("the guardian report comes as html, md or json, not csv")
    validate_id(guardian)
    with Store.open_current() as store:
        return render_guardian_report(store, guardian, fmt)
