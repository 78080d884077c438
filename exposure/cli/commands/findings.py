"""``exposure findings``: what earlier scans found, from the store (no network)."""

from __future__ import annotations

import argparse
import sys

from exposure.cli.commands._options import add_format
from exposure.errors import ExitStatus, UsageError
from exposure.textsafe import json_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("findings", help="list what earlier scans found")
    p.add_argument("--profile", metavar="NAME", help="one profile (default: every profile)")
    add_format(p, "text", "json", "csv")
    p.add_argument(
        "--min-confidence",
        type=float,
        metavar="X",
        help="show findings at or above X (default: the configured threshold)",
    )
    p.add_argument(
        "--include-gone",
        action="store_true",
        help="also list findings that later scans no longer saw",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.cli.render import findings_csv, findings_table
    from exposure.engine.locking import reap_stale_scans
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore
    from exposure.textsafe import clean

    where = paths.current()
    config = config_mod.load(where.config_file)  # ConfigError: exit 2
    profiles = ProfileStore(where)
    ids = [profiles.get(args.profile).id] if args.profile else profiles.ids()
    if not ids:
        print("no profiles yet; add one with `exposure profile add`", file=sys.stderr)
        return ExitStatus.OK
    threshold = config.confidence_threshold if args.min_confidence is None else args.min_confidence
    if not 0.0 <= threshold <= 1.0:
        raise UsageError(f"--min-confidence must be between 0 and 1, not {threshold}")
    with Store(where.database, where.evidence_dir) as store:
        reap_stale_scans(store, where.locks_dir)
        for n, pid in enumerate(ids):
            found = store.findings(pid, min_confidence=threshold, include_gone=args.include_gone)
            if args.format == "json":
                doc = {"profile": pid, "findings": [f.to_dict() for f in found]}
                print(json_text(doc, ensure_ascii=False, indent=None if len(ids) > 1 else 2))
            elif args.format == "csv":
                sys.stdout.write(findings_csv(pid, found, header=n == 0))
            else:
                print(f"{clean(pid)}: {len(found)} finding(s)")
                if found:
                    print(findings_table(found))
    return ExitStatus.OK
