"""``exposure scan``: look for a profile in every configured source.

Exit status (the contract, printed by ``scan --help``): 0 finished with
nothing new, 3 finished with at least one new (or returned) finding, 1 failed
(also a scan that cannot be read as an all-clear: see
exposure/engine/coverage.py), 2 usage or input error, 130 interrupted (what
finished is kept).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure.cli.commands._options import add_format
from exposure.errors import ExitStatus, ExposureError, UsageError
from exposure.textsafe import json_text

if TYPE_CHECKING:
    from exposure.checkers.base import Checker
    from exposure.config import Config
    from exposure.engine.store import Store
    from exposure.model import Finding, Profile, ScanSummary
    from exposure.reports.screenshot import BackgroundShooter


EXIT_STATUSES = """\
exit status:
  0    finished, nothing new, and enough was checked (coverage at least
       min_coverage in config, default 0.5)
  1    failed; or nothing new but the scan cannot be read as an all-clear:
       coverage below min_coverage, a checker that ran in the previous scan
       was skipped, or every check of one checker was blocked or failed.
       One line on stderr says which, even with --quiet or --new-only.
       Also: another scan of the profile is running, so this one did not start.
  2    usage or input error (one line naming the problem)
  3    finished and at least one new (or returned) finding
  130  interrupted by Ctrl-C or SIGTERM (what finished is kept)
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scan",
        help="scan public sources for a profile",
        description="Look for a profile in every configured public source.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--profile", metavar="NAME", help="the profile to scan")
    who.add_argument("--all", action="store_true", help="scan every profile (JSON Lines)")
    # -- guardian mode and --notify-command (issue 7) ------------------------------------
    who.add_argument(
        "--guardian",
        metavar="NAME",
        help="scan every child profile in guardian NAME's care (JSON Lines); "
        "guardian mode is for minors in your care",
    )
    p.add_argument(
        "--only", metavar="CHECKER[,CHECKER]", action="append", help="run only these checkers"
    )
    p.add_argument(
        "--sites",
        type=Path,
        metavar="FILE",
        help="username-site catalogue for this run (WhatsMyName, Sherlock or Maigret format)",
    )
    p.add_argument(
        "--variants",
        action="store_true",
        help="also ask username sites about usernames made from your names and birth year "
        "(janedoe, jane.doe, jdoe83...); accounts under them are marked as possible impostors",
    )
    p.add_argument(
        "--brokers",
        type=Path,
        metavar="FILE",
        help="people-search catalogue for this run (TOML or JSON)",
    )
    p.add_argument(
        "--browser",
        action="store_true",
        dest="use_browser",
        help="try pages that came back blocked or built by JavaScript again in your own "
        "Chromium/Chrome (needs pip install 'exposure[browser]')",
    )
    add_format(p, "text", "json")
    p.add_argument(
        "--scheduled",
        action="store_true",
        help="run as a scheduled scan (the cron entry says it): never asks for a passphrase; "
        "a locked home's key comes from the keyring only if `exposure lock keyring on` put it "
        "there, else the scan is skipped with one line on stderr (exit 1)",
    )
    p.add_argument(
        "--new-only",
        action="store_true",
        help="print only what is new since the last scan (nothing if nothing is)",
    )
    p.add_argument(
        "--concurrency",
        type=_positive_int,
        metavar="N",
        help="requests in flight at once (default from config)",
    )
    p.add_argument(
        "--timeout", type=_positive_float, metavar="SECONDS", help="read timeout per request"
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="list which profile fields would be sent to which host; send nothing",
    )
    p.add_argument("--quiet", action="store_true", help="no progress and no summary")
    p.add_argument(
        "--screenshots",
        action="store_true",
        help="render each new capture to a PNG offline as findings land (system Chromium)",
    )
    p.add_argument(
        "--notify-command",
        metavar="CMD",
        help="when there are new findings, run CMD (split like a shell would, run "
        "without one) with the scan's JSON on stdin; its failure is reported but "
        "does not change the exit status",
    )
    p.set_defaults(run=run)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 512:
        raise argparse.ArgumentTypeError(f"must be between 1 and 512: {text}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 600 seconds: {text}")
    return value


class ScheduledScanSkipped(ExposureError):
    """A scheduled scan of a locked home whose key is not in the keyring: exit 1, one line."""


def _scheduled_key(where: Any) -> None:
    """No prompt; the keyring is allowed (the person opted in by putting the key there)."""
    from exposure.engine import vault

    vault.set_prompt(None)
    vault.allow_keyring(True)
    if vault.needs_passphrase(where.data_dir):
        raise ScheduledScanSkipped(
            f"scheduled scan skipped: the home {where.data_dir} is locked and its key is not in "
            "the system keyring (`exposure lock keyring on` lets scheduled scans run)"
        )


def run(args: argparse.Namespace) -> int:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.checkers.base import checker_names, load_registry
    from exposure.cli.commands.profiles import report_broken
    from exposure.people.profile import ProfileStore

    where = paths.current()
    if args.scheduled:
        _scheduled_key(where)
    config = config_mod.load(where.config_file)  # ConfigError: exit 2
    for file in (args.sites, args.brokers):
        if file is not None and not file.is_file():
            raise UsageError(f"{file}: no such file")

    store_of_profiles = ProfileStore(where)
    broken: list[ExposureError] = []
    if args.notify_command:
        from exposure.engine.notify import parse_command

        args.notify_argv = parse_command(args.notify_command)
    if args.guardian:
        from exposure.engine.guardian import unreadable, wards

        profiles = wards(store_of_profiles, args.guardian)
        broken = unreadable(store_of_profiles)  # any may be a child: named, never skipped
        report_broken(broken)
    elif args.all:
        profiles, broken = store_of_profiles.readable()
        if not profiles and not broken:
            raise UsageError("there are no profiles yet; add one with `exposure profile add`")
        report_broken(broken)  # each named in one line; the good ones are still scanned
        if not profiles:
            return ExitStatus.USAGE
    else:
        profiles = [store_of_profiles.get(args.profile)]

    only = [n.strip() for chunk in args.only or () for n in chunk.split(",") if n.strip()]
    registry = load_registry(only or None)
    for name in only:
        if name in registry.broken:
            raise UsageError(f"checker {name} cannot load: {registry.broken[name]}")
    try:
        checkers = registry.select(only or None, config.disabled)
    except KeyError as exc:
        known = ", ".join(checker_names()) or "none"
        raise UsageError(f"unknown checker {exc.args[0]} (known: {known})") from None
    if not only and not args.quiet:
        for name, reason in registry.broken.items():
            print(f"exposure: warning: checker {name} is skipped: {reason}", file=sys.stderr)

    if args.dry_run:
        return _unless_broken(_dry_run(profiles, checkers, config, args), broken)
    if args.use_browser:
        from exposure.net.browser import browser_missing

        missing = browser_missing(config.browser.path or None)
        if missing:
            raise UsageError(f"--browser: {missing}")
    args.browser = None
    if args.screenshots:
        from exposure.net.chromium import find_browser

        args.browser = find_browser(config.browser.path or None)  # none: one line, exit 1

    from exposure.engine.guardian import coming_of_age_note
    from exposure.engine.store import Store

    for profile in profiles:
        note = coming_of_age_note(profile)
        if note:
            print(f"exposure: note: {note}", file=sys.stderr)

    status: int = ExitStatus.OK
    with Store(where.database, where.evidence_dir) as store:
        for profile in profiles:
            result = _scan_one(profile, checkers, config, store, args, where.locks_dir)
            if result == ExitStatus.INTERRUPTED:
                return result
            # A failed profile outranks new findings elsewhere: both were printed.
            if result == ExitStatus.FAILED or status == ExitStatus.OK:
                status = result
    return _unless_broken(status, broken)


def _unless_broken(status: int, broken: list[ExposureError]) -> int:
    """A broken profile file makes an otherwise clean ``scan --all`` exit 2, not 0."""
    return ExitStatus.USAGE if broken and status == ExitStatus.OK else status


def _dry_run(
    profiles: list[Profile], checkers: list[Checker], config: Config, args: argparse.Namespace
) -> int:
    """Per profile: which fields each checker would send to which host; nothing is sent."""
    from exposure.engine.scan import ScanOptions
    from exposure.engine.send_plan import plan_sends

    options = ScanOptions(sites_file=args.sites, brokers_file=args.brokers, variants=args.variants)
    plans = [plan_sends(profile, checkers, config, options) for profile in profiles]
    for plan in plans:
        if args.format == "json":
            print(json_text(plan.to_dict(), ensure_ascii=False))
        else:
            print("\n".join(plan.lines()))
    return ExitStatus.OK


def _scan_one(
    profile: Profile,
    checkers: list[Checker],
    config: Config,
    store: Store,
    args: argparse.Namespace,
    locks_dir: Path,
) -> int:
    from exposure.cli.render import Progress
    from exposure.engine.locking import AlreadyScanning, scan_lock
    from exposure.engine.profile_scan import scan_profile
    from exposure.engine.scan import ScanFinished, ScanOptions, ScanStarted, TaskFinished

    options = ScanOptions(
        concurrency=args.concurrency,
        timeout=args.timeout,
        sites_file=args.sites,
        brokers_file=args.brokers,
        variants=args.variants,
        browser=args.use_browser,
    )
    progress = Progress(profile.id, enabled=None if not args.quiet else False)
    summary: ScanSummary | None = None
    shooter = _shooter(profile, config, store, args)
    try:
        with scan_lock(locks_dir, profile.id):
            events = scan_profile(profile, checkers, store=store, config=config, options=options)
            for event in events:
                if isinstance(event, ScanStarted):
                    for checker_id, why in event.left_out.items():
                        if not args.quiet:
                            print(
                                f"exposure: note: {checker_id} does not run: {why}", file=sys.stderr
                            )
                    progress.start(event.total)
                elif isinstance(event, TaskFinished):
                    progress.update(event.done, event.counts, event.source)
                    if shooter is not None:
                        shooter.submit(f.id for f in event.findings if f.evidence)
                elif isinstance(event, ScanFinished):
                    summary = event.summary
    except AlreadyScanning:
        # Not "finished, nothing new" (0): cron must not read a refused scan as all clear.
        print(
            f"exposure: profile {profile.id} is already being scanned; not starting another",
            file=sys.stderr,
        )
        return ExitStatus.FAILED
    except KeyboardInterrupt:
        progress.close()
        if shooter is not None:
            shooter.close(cancel=True)  # the rest can be made with `evidence screenshot`
            shooter = None
        print(
            f"exposure: scan of {profile.id} interrupted; what finished is saved", file=sys.stderr
        )
        return ExitStatus.INTERRUPTED
    finally:
        progress.close()
        if shooter is not None:
            _screenshots_done(shooter, args)
    if store.disk_full:
        kept = len(summary.checks) if summary is not None else 0
        print(
            f"exposure: disk full: {kept} checks kept, captures missing for "
            f"{store.captures_missing}",
            file=sys.stderr,
        )
    assert summary is not None
    return _report(summary, store, config, args, child=profile if args.guardian else None)


def _shooter(
    profile: Profile, config: Config, store: Store, args: argparse.Namespace
) -> BackgroundShooter | None:
    """With --screenshots, the thread that renders captures as findings land."""
    if not getattr(args, "browser", None):
        return None
    from exposure.reports.screenshot import BackgroundShooter

    return BackgroundShooter(
        store.path,
        store.evidence_dir,
        profile.id,
        deadline=config.browser.deadline,
        browser=args.browser,
    )


def _screenshots_done(shooter: BackgroundShooter, args: argparse.Namespace) -> None:
    from exposure.reports.screenshot import ScreenshotStatus

    shots = shooter.close()
    failed = [s for s in shots if s.status is not ScreenshotStatus.OK]
    if not args.quiet or failed:
        print(
            f"exposure: {len(shots) - len(failed)} screenshot(s) made, {len(failed)} failed"
            + (" (screenshot failed; the captures are kept)" if failed else ""),
            file=sys.stderr,
        )


def _report(
    summary: ScanSummary,
    store: Store,
    config: Config,
    args: argparse.Namespace,
    *,
    child: Profile | None = None,
) -> int:
    """Print the scan's result; ``child`` (guardian mode) makes the words speak to the parent."""
    from exposure.cli.render import scan_text
    from exposure.engine import seen
    from exposure.engine.coverage import previous_coverage, problems

    shown: list[Finding] = store.findings(
        summary.profile, scan_id=summary.scan_id, min_confidence=config.confidence_threshold
    )
    fresh = [f for f in shown if seen.new_or_back(f)]
    if args.new_only:
        shown = fresh
    summary.findings = shown
    many = args.all or args.guardian
    coverage = summary.coverage or store.coverage(summary.scan_id)
    issues = []
    if coverage is not None and summary.state == "finished":
        issues = problems(coverage, previous_coverage(store, summary.profile, summary.scan_id))
    if args.format == "json":
        if not args.new_only or fresh or issues:
            print(json_text(summary.to_dict(), ensure_ascii=False, indent=None if many else 2))
    elif args.new_only or args.quiet:
        if shown:
            from exposure.cli.render import findings_table

            if child is not None:
                from exposure.engine.parent_words import describer, heading

                print(heading(child, len(shown)))
                print(findings_table(shown, why=describer(child)))
            else:
                print(findings_table(shown))
    else:
        print(scan_text(summary, shown, on_terminal=sys.stdout.isatty()))
    if fresh and getattr(args, "notify_argv", None):  # set by run() from --notify-command
        from exposure.engine.notify import notify

        outcome = notify(args.notify_argv, summary.to_dict())
        if not outcome.ok:
            print(f"exposure: warning: {outcome.problem}", file=sys.stderr)
    # Said even with --quiet/--new-only: silence here would read as "all clear".
    who = summary.profile if child is None else f"{child.primary_name or child.id} ({child.id})"
    for issue in issues:
        print(f"exposure: warning: {issue.message(who)}", file=sys.stderr)
    if summary.state != "finished":
        return ExitStatus.INTERRUPTED
    if issues and not fresh:
        return ExitStatus.FAILED
    return ExitStatus.NEW_FINDINGS if fresh else ExitStatus.OK
