"""``exposure assist --profile P --source ID``: get past a source's check yourself, in a window.

Opens the source's page (the broker's search for the profile, the account
page of a username site, or ``--url``) in a visible window of your own
Chromium (exposure/engine/assist.py), on a temporary browser profile that is
wiped afterwards unless ``--keep-session``. You solve the challenge there;
exposure reads the page once the records appear, or when you press Enter,
or after ``--wait`` seconds, and keeps what it shows like ``exposure
import`` does (exposure/cli/commands/_hand.py), marked "read in a browser
window with you".

Exit status: 0 recorded; 1 the page was still a challenge or not
understood (nothing recorded), or the browser failed; 2 usage: no display,
the browser extra or Chromium missing, an unknown profile or source.
"""

from __future__ import annotations

import argparse
import sys
import threading


def register(sub: argparse._SubParsersAction) -> None:
    from exposure.cli.commands._hand import add_source_arguments

    p = sub.add_parser(
        "assist",
        help="open a blocked source in a browser window; you solve its check, exposure reads it",
        description="Open a source exposure could not read in a visible browser window "
        "(your own Chromium, a temporary profile). Solve the site's check yourself; exposure "
        "reads the page once the records appear or when you press Enter.",
    )
    add_source_arguments(p)
    p.add_argument("--url", metavar="URL", help="the page to open (default: the source's search)")
    p.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long to wait for you (default 600)",
    )
    p.add_argument(
        "--keep-session",
        action="store_true",
        help="keep the window's browser profile (cookies) instead of wiping it",
    )
    # Tests only: no window; a script stands in for the person (engine/assist.py).
    p.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(run=run)


def _enter_pressed() -> threading.Event | None:
    """Set when the person presses Enter (on a terminal only: a pipe is nobody's key)."""
    if not sys.stdin.isatty():
        return None
    pressed = threading.Event()

    def wait() -> None:
        try:
            line = sys.stdin.readline()
        except (OSError, ValueError):
            return
        if line:  # "" is the end of input, not a key
            pressed.set()

    threading.Thread(target=wait, name="exposure-assist-key", daemon=True).start()
    return pressed


def run(args: argparse.Namespace) -> int:
    from exposure.checkers.saved import page_url
    from exposure.cli.commands._hand import setup, show
    from exposure.engine.assist import require_display
    from exposure.engine.by_hand import assist
    from exposure.engine.store import Store
    from exposure.errors import ExitStatus, UsageError
    from exposure.net.browser import browser_missing
    from exposure.net.http import FetchError, RobotsDisallowed
    from exposure.textsafe import clean

    if not 1 <= args.wait <= 3600:
        raise UsageError("--wait: between 1 and 3600 seconds")
    where, ctx, source = setup(args)
    missing = browser_missing(ctx.config.browser.path or None)
    if missing:
        raise UsageError(f"assist: {missing}")
    url = args.url or page_url(ctx, source, args.username)
    if not url:
        raise UsageError(f"{source.id}: no page known to open; give it with --url")
    if not args.headless:
        require_display()
        print(
            f"Opening {clean(url)} in a browser window. Solve the site's check there; "
            "exposure reads the page when the results show, or press Enter when they do.",
            file=sys.stderr,
        )
    try:
        with Store(where.database, where.evidence_dir) as store:
            got = assist(
                store,
                where.locks_dir,
                ctx,
                source,
                url=url,
                wait=args.wait,
                proceed=_enter_pressed(),
                headless=args.headless,
                keep_session=args.keep_session,
                username=args.username,
            )
    except RobotsDisallowed:
        print(
            "exposure: robots.txt disallows automated reading there; save the page from your "
            "browser and use `exposure import`",
            file=sys.stderr,
        )
        return ExitStatus.FAILED
    except FetchError as exc:
        print(f"exposure: assist: {clean(str(exc))}; nothing recorded", file=sys.stderr)
        return ExitStatus.FAILED
    finally:
        ctx.http.close()
    if got.session is not None:
        print(f"exposure: the window's browser profile is kept in {got.session}", file=sys.stderr)
    return show(args, ctx, source, got, "the page in the window")
