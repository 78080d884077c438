"""``exposure evidence export|screenshot|verify``: the evidence locker as a verifiable zip.

``export --profile P --output FILE.zip`` writes every capture with a manifest
(JSON and CSV) and an index page, 0600; a folder that does not exist exits 2.
A capture whose file is gone from the locker (or altered) is named, one line
each, and nothing is written (exit 1) unless ``--allow-missing``: then the
pack is written without them and its manifest lists them.
``verify FILE.zip`` recomputes every SHA-256 in memory (nothing is extracted)
and exits 1 naming each file that does not match or is missing, and each
capture the manifest says was missing at export; a file that is not a pack
(not a zip, no manifest, an index too large to be one) exits 2. ``screenshot --profile P`` renders
each capture without a screenshot to a PNG with the system Chromium, offline
(exposure/reports/screenshot.py); it exits 1 when one failed ("screenshot
failed", the capture kept) or no browser is installed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exposure.cli.commands._options import add_actions, add_profile


def register(sub: argparse._SubParsersAction) -> None:
    actions = add_actions(sub, "evidence", help="export, screenshot or verify the evidence locker")
    ex = actions.add_parser("export", help="write every capture and a manifest to a zip")
    add_profile(ex, required=True)
    ex.add_argument("--output", metavar="FILE.zip", type=Path, required=True)
    ex.add_argument(
        "--allow-missing",
        action="store_true",
        help="write the pack even when captures are missing from the locker "
        "(its manifest lists them)",
    )
    ex.set_defaults(run=run_export)
    sh = actions.add_parser(
        "screenshot",
        help="render each capture to a PNG offline (system Chromium, scripts off, no network)",
    )
    add_profile(sh, required=True)
    sh.add_argument("--again", action="store_true", help="render captures that have one too")
    sh.set_defaults(run=run_screenshot)
    ve = actions.add_parser("verify", help="check every file of a pack against its SHA-256")
    ve.add_argument("pack", metavar="FILE.zip", type=Path)
    ve.set_defaults(run=run_verify)


def run_export(args: argparse.Namespace) -> int:
    from exposure import paths
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore
    from exposure.reports.evidence_pack import MissingCaptures, export_pack

    where = paths.current()
    profile = ProfileStore(where).get(args.profile)
    try:
        with Store(where.database, where.evidence_dir) as store:
            result = export_pack(store, profile.id, args.output, allow_missing=args.allow_missing)
    except MissingCaptures as exc:
        for gap in exc.missing:
            print(f"exposure: {gap.line()}", file=sys.stderr)
        raise
    for gap in result.missing:
        print(f"exposure: warning: {gap.line()}, left out", file=sys.stderr)
    gaps = f"; {len(result.missing)} capture(s) missing (listed in its manifest)"
    print(
        f"wrote {result.path}: {result.captures} capture(s) in {result.files} file(s)"
        + (gaps if result.missing else "")
    )
    return 0


def run_screenshot(args: argparse.Namespace) -> int:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.engine.store import Store
    from exposure.net.chromium import find_browser
    from exposure.people.profile import ProfileStore
    from exposure.reports.screenshot import CaptureRef, Screenshot, ScreenshotStatus, shoot_profile
    from exposure.textsafe import clean

    where = paths.current()
    config = config_mod.load(where.config_file)
    profile = ProfileStore(where).get(args.profile)
    browser = find_browser(config.browser.path or None)  # none: one line, exit 1

    def say(ref: CaptureRef, shot: Screenshot) -> None:
        if shot.status is ScreenshotStatus.OK:
            print(f"ok      {ref.sha256[:16]}  {clean(ref.url, limit=100)}")
        else:
            print(
                f"FAILED  {ref.sha256[:16]}  {clean(ref.url, limit=100)}: screenshot failed: "
                f"{clean(shot.detail, limit=200)}"
            )

    with Store(where.database, where.evidence_dir) as store:
        shots = shoot_profile(
            store,
            profile.id,
            again=args.again,
            deadline=config.browser.deadline,
            browser=browser,
            on_each=say,
        )
    failed = sum(1 for s in shots if s.status is not ScreenshotStatus.OK)
    print(
        f"{len(shots) - failed} screenshot(s) made, {failed} failed"
        + (" (the captures are kept)" if failed else "")
    )
    return 1 if failed else 0


def run_verify(args: argparse.Namespace) -> int:
    from exposure.reports.evidence_pack import describe, verify_pack

    result = verify_pack(args.pack)
    print(describe(result))
    return 0 if result.ok else 1
