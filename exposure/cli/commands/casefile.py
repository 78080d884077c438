"""``exposure casefile export|list|check``: the printable case file and its record.

``export --profile P --output case.pdf|case.zip [--redact home_address,phone]``
prints the timeline (incidents and findings in date order, screenshots,
hashes, a cover page) to PDF with the system Chromium; a ``.zip`` also holds
the captures, screenshots, attachments and a manifest that ``exposure
evidence verify`` checks. Each export's SHA-256 and date are recorded:
``list`` shows them, ``check FILE`` says whether a copy is one of them. A
child's case file names the guardian who keeps it on the cover.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exposure.cli.commands._options import add_actions, add_format, add_profile
from exposure.textsafe import json_text


def register(sub: argparse._SubParsersAction) -> None:
    actions = add_actions(
        sub, "casefile", help="a printable case file (PDF or ZIP) for advocates, police"
    )
    ex = actions.add_parser("export", help="write the case file as .pdf or .zip")
    add_profile(ex, required=True)
    ex.add_argument("--output", metavar="case.pdf|case.zip", type=Path, required=True)
    ex.add_argument(
        "--redact",
        metavar="FIELD[,FIELD]",
        help="black out your own details in this copy: home_address, phone, email, name, "
        "username, birth_date",
    )
    ex.set_defaults(run=run_export)
    ls = actions.add_parser("list", help="every case file exported, with its SHA-256 and date")
    add_profile(ls)
    add_format(ls, "text", "json")
    ls.set_defaults(run=run_list)
    ck = actions.add_parser("check", help="is this file a case file exported here, unchanged?")
    ck.add_argument("file", type=Path, metavar="FILE")
    ck.set_defaults(run=run_check)


def run_export(args: argparse.Namespace) -> int:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.casefile.export import export_casefile, output_format
    from exposure.casefile.redact import parse_fields
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore
    from exposure.reports import check_output

    where = paths.current()
    config = config_mod.load(where.config_file)
    fields = parse_fields(args.redact)
    output_format(args.output)
    check_output(args.output)
    profiles = ProfileStore(where)
    profile = profiles.get(args.profile)
    guardian = None
    if profile.guardian and profiles.exists(profile.guardian):
        guardian = profiles.get(profile.guardian)
    with Store(where.database, where.evidence_dir) as store:
        result = export_casefile(
            store,
            profile,
            args.output,
            threshold=config.confidence_threshold,
            redact=fields,
            guardian=guardian,
            browser=config.browser.path or None,
            deadline=config.browser.deadline,
        )
    for problem in result.problems:
        print(f"exposure: warning: {problem}", file=sys.stderr)
    if result.screenshots_failed:
        print(
            f"exposure: warning: {result.screenshots_failed} screenshot(s) failed; "
            "the case file says so for each",
            file=sys.stderr,
        )
    r = result.record
    print(
        f"wrote {r.path}: {result.incidents} incident(s), {result.findings} finding(s)"
        + (f", redacted: {', '.join(r.redacted)}" if r.redacted else "")
    )
    print(f"SHA-256 {r.sha256}  (recorded; `exposure casefile list` shows it)")
    return 0


def run_list(args: argparse.Namespace) -> int:

    from exposure.casefile.export import exports
    from exposure.cli.render import table
    from exposure.engine.store import Store
    from exposure.model import iso

    if args.profile:
        from exposure.people.profile import validate_id

        validate_id(args.profile)
    with Store.open_current() as store:
        found = exports(store, args.profile)
    if args.format == "json":
        doc = [
            {
                "id": r.id,
                "profile": r.profile,
                "path": r.path,
                "format": r.format,
                "sha256": r.sha256,
                "size": r.size,
                "redacted": list(r.redacted),
                "exported_at": iso(r.exported_at),
            }
            for r in found
        ]
        print(json_text(doc, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("No case files exported yet.")
        return 0
    rows = [
        (
            iso(r.exported_at) or "",
            r.profile,
            r.format,
            ",".join(r.redacted) or "-",
            r.sha256,
            r.path,
        )
        for r in found
    ]
    print(table(rows, ("EXPORTED (UTC)", "PROFILE", "FORMAT", "REDACTED", "SHA-256", "FILE")))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from exposure.casefile.export import match
    from exposure.engine.store import Store
    from exposure.model import iso

    with Store.open_current() as store:
        found = match(store, args.file)
    if not found:
        print(f"{args.file}: does not match any case file exported here (changed, or not ours)")
        return 1
    r = found[0]
    print(
        f"{args.file}: matches the {r.format} case file of {r.profile} exported "
        f"{iso(r.exported_at)} (SHA-256 {r.sha256})"
    )
    return 0
