"""``exposure evidence export|verify``: the evidence locker as a verifiable zip.

``export --profile P --output FILE.zip`` writes every capture with a manifest
(JSON and CSV) and an index page, 0600; a folder that does not exist exits 2.
``verify FILE.zip`` recomputes every SHA-256 in memory (nothing is extracted)
and exits 1 naming each file that does not match or is missing; a file that is
not a pack (not a zip, no manifest) exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evidence", help="export or verify the evidence locker (zip)")
    p.set_defaults(run=lambda args: (p.print_help(), 0)[1])
    actions = p.add_subparsers(dest="evidence_action", metavar="ACTION")
    ex = actions.add_parser("export", help="write every capture and a manifest to a zip")
    ex.add_argument("--profile", metavar="NAME", required=True)
    ex.add_argument("--output", metavar="FILE.zip", type=Path, required=True)
    ex.set_defaults(run=run_export)
    ve = actions.add_parser("verify", help="check every file of a pack against its SHA-256")
    ve.add_argument("pack", metavar="FILE.zip", type=Path)
    ve.set_defaults(run=run_verify)


def run_export(args: argparse.Namespace) -> int:
    from exposure import paths
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore
    from exposure.reports.evidence_pack import export_pack

    where = paths.current()
    profile = ProfileStore(where).get(args.profile)
    with Store(where.database, where.evidence_dir) as store:
        result = export_pack(store, profile.id, args.output)
    for problem in result.problems:
        print(f"exposure: warning: {problem}", file=sys.stderr)
    print(f"wrote {result.path}: {result.captures} capture(s) in {result.files} file(s)")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from exposure.reports.evidence_pack import describe, verify_pack

    result = verify_pack(args.pack)
    print(describe(result))
    return 0 if result.ok else 1
