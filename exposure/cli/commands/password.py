"""``exposure password check``: was a password seen in breaches, and is it strong enough?

The password is read from a no-echo prompt, or from stdin when stdin is not a
terminal (one line). Only the first 5 hex characters of its SHA-1 are sent
(k-anonymity) — or nothing at all with ``--offline DIR``. It is never stored,
logged or echoed; with ``--profile`` the result (not the password, not its
hash) is recorded as a finding in a scan of its own.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.errors import ExitStatus, UsageError

if TYPE_CHECKING:
    from exposure.config import Config
    from exposure.model import Profile
    from exposure.passwords.strength import Strength, Verdict
    from exposure.paths import Paths

EPILOG = """\
exit status:
  0  not seen in breaches and strong enough
  3  seen in breaches, easy to guess or too short: change it
  2  bad input (empty password, unknown profile, missing offline folder or range file)
  1  the Pwned Passwords look-up failed

Only the first 5 characters of the password's SHA-1 leave this machine
(none with --offline). NIST SP 800-63B rev 4: at least 15 characters for a
password used alone, at least 8 with a second factor; no composition rules.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("password", help="check a password against breaches and for strength")
    psub = p.add_subparsers(dest="password_command", metavar="ACTION", required=True)
    c = psub.add_parser(
        "check",
        help="check one password (read without echo, or from stdin)",
        description="Check one password: how often it was seen in breaches (Pwned Passwords, "
        "k-anonymity) and how guessable it is (zxcvbn), with a verdict after NIST SP 800-63B.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument(
        "--profile",
        metavar="NAME",
        help="rate against this person's names, emails, usernames and birth year, "
        "and record the result (never the password) as a finding",
    )
    c.add_argument(
        "--offline",
        type=Path,
        metavar="DIR",
        help="look up in a local copy of the Pwned Passwords range files "
        "(DIR/ABCDE.txt); nothing is sent",
    )
    c.add_argument(
        "--mfa",
        action="store_true",
        help="the account also has a second factor (8 characters are then enough)",
    )
    c.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.passwords import pwned as pp
    from exposure.passwords.strength import strength, user_inputs, verdict

    where = paths.current()
    config = config_mod.load(where.config_file)  # ConfigError: exit 2
    profile = None
    if args.profile:
        from exposure.people.profile import ProfileStore

        profile = ProfileStore(where).get(args.profile)
    if args.offline is not None and not args.offline.is_dir():
        raise UsageError(f"{args.offline}: no such folder (--offline wants the range files)")

    password = read_password()
    length = len(password)
    digest = pp.sha1_hex(password)
    rated = strength(password, user_inputs(profile))
    del password

    try:
        if args.offline is not None:
            seen = pp.lookup_offline(args.offline, digest)
        else:
            seen = _online(config, digest)
    finally:
        del digest

    result = verdict(length, seen, rated.score, mfa=args.mfa)
    print(render(seen, rated, result, offline=args.offline is not None))
    if profile is not None:
        _record(where, profile, seen, rated, result, mfa=args.mfa, offline=args.offline is not None)
    return ExitStatus.NEW_FINDINGS if result.change else ExitStatus.OK


def read_password() -> str:
    """One password: a no-echo prompt on a terminal, else the first line of stdin."""
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            password = getpass.getpass("Password to check (not shown): ")
        except EOFError:
            password = ""
    else:
        data = sys.stdin.read() if sys.stdin is not None else ""
        lines = data.splitlines()
        if any(line for line in lines[1:]):
            raise UsageError("one password at a time: stdin held more than one line")
        password = lines[0] if lines else ""
    if not password:
        raise UsageError("empty password: nothing to check")
    return password


def _online(config: Config, digest: str) -> int:
    from exposure.net.http import HttpClient, settings_from
    from exposure.passwords import pwned as pp

    configured = config.checker(pp.CHECKER_ID).get("base_url")
    base = str(configured or pp.DEFAULT_BASE).rstrip("/")
    with HttpClient(settings_from(config.http)) as http:
        return pp.lookup_online(http, base, digest)


def render(seen: int, rated: Strength, result: Verdict, *, offline: bool) -> str:
    """The plain-words report (never the password)."""
    from exposure.textsafe import clean

    where = "your offline copy of Pwned Passwords" if offline else "Pwned Passwords"
    if seen:
        lines = [f"Seen in breaches: {seen:,} time{'s' if seen != 1 else ''} ({where})"]
    else:
        lines = [f"Seen in breaches: not seen ({where})"]
    lines.append(f"Strength: {rated.score}/4 ({rated.words}, zxcvbn)")
    if rated.warning:
        lines.append(f"  Warning: {clean(rated.warning)}")
    for tip in rated.suggestions:
        lines.append(f"  Suggestion: {clean(tip)}")
    lines.append(f"Verdict: {result.summary}")
    if result.breached:
        lines.extend(f"  - {reason}" for reason in result.reasons)
    if result.change:
        lines.append(
            "  Use a long passphrase (15+ characters) from a password manager, a different "
            "one for every account, and turn on a second factor where you can."
        )
    return "\n".join(lines)


def finding_text(day: str, seen: int, result: Verdict) -> str:
    """What is stored: the date and what was wrong, with a coarse count (see coarse_count)."""
    from exposure.passwords.strength import coarse_count

    parts = []
    if result.breached:
        parts.append(f"was seen {coarse_count(seen)} time{'s' if seen != 1 else ''} in breaches")
    if result.weak:
        parts.append("was weak (easy to guess)")
    if result.too_short:
        parts.append("was too short")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"a password you checked on {day} {joined}"


def _record(
    where: Paths,
    profile: Profile,
    seen: int,
    rated: Strength,
    result: Verdict,
    *,
    mfa: bool,
    offline: bool,
) -> None:
    """A scan of its own holding one PASSWORD finding when the password must change.

    No check row is written: a check of "Pwned Passwords" would make the
    store mark earlier password findings (other passwords) gone.
    """

    from exposure.engine.locking import AlreadyScanning, scan_lock
    from exposure.engine.store import Store
    from exposure.model import Finding, FindingKind, ReplacePassword, utcnow
    from exposure.passwords import pwned as pp

    day = utcnow().date().isoformat()
    finding = None
    if result.change:
        text = finding_text(day, seen, result)
        finding = Finding(
            checker=pp.CHECKER_ID,
            source=pp.SOURCE,
            kind=FindingKind.PASSWORD,
            key=uuid.uuid4().hex,  # random: nothing derived from the password
            url="https://haveibeenpwned.com/Passwords",
            confidence=1.0,
            reasons=[text],
            matched={
                "checked_on": day,
                "breached": result.breached,
                "seen": coarse_count_or_zero(seen),
                "weak": result.weak,
                "too_short": result.too_short,
                "strength_score": rated.score,
                "mfa": mfa,
                "offline": offline,
            },
            title=text[0].upper() + text[1:],
            remedy=ReplacePassword(result.breached, coarse_count_or_zero(seen)),
        )
    try:
        with (
            scan_lock(where.locks_dir, profile.id),
            Store(where.database, where.evidence_dir) as st,
        ):
            summary = st.begin_scan(profile.id, [pp.CHECKER_ID])
            try:
                if finding is not None:
                    st.record_finding(summary.scan_id, profile.id, finding)
            except BaseException:
                st.finish_scan(summary, "failed")
                raise
            st.finish_scan(summary)
    except AlreadyScanning:
        print(
            f"exposure: note: profile {profile.id} is being scanned; the result was not recorded",
            file=sys.stderr,
        )
        return
    if finding is not None:
        print(f"Recorded for {profile.id}: {finding.reasons[0]}.")


def coarse_count_or_zero(seen: int) -> str:
    from exposure.passwords.strength import coarse_count

    return coarse_count(seen) if seen else "0"
