"""``exposure guardian report NAME``: what is exposed about the children in NAME's care.

The report itself is built in :func:`exposure.engine.guardian.guardian_report`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from exposure.cli.commands._options import add_format

_ABOUT = (
    "Guardian mode is for minors in your care: a parent or guardian audits what is public "
    "about a child (add one with `exposure profile add kid --guardian you ...`, scan with "
    "`exposure scan --guardian you`). Never use it to watch anyone else."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "guardian",
        help="reports for a parent about the children in their care",
        description=_ABOUT,
    )
    actions = p.add_subparsers(dest="guardian_command", metavar="ACTION", required=True)
    rep = actions.add_parser(
        "report",
        help="what is exposed, which accounts exist, what to talk about",
        description=_ABOUT,
    )
    rep.add_argument("guardian", metavar="NAME", help="the guardian's profile")
    add_format(rep, "md", "html", "json")
    rep.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report here (0600) instead of printing it",
    )
    rep.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    from exposure.cli.commands.profiles import report_broken
    from exposure.engine.guardian_report import render_guardian_report
    from exposure.engine.store import Store
    from exposure.people.profile import validate_id

    validate_id(args.guardian)
    with Store.open_current() as store:
        report = render_guardian_report(store, args.guardian, args.format)
    if args.output is None:
        print(report.text, end="")
    else:
        from exposure.reports import write_report

        write_report(args.output, report.text)
        print(f"wrote the guardian report to {args.output}")
    # A profile file that can't be read may be a child the report leaves out: the
    # report says so, and so do stderr and the exit status.
    return report_broken(report.unreadable)
