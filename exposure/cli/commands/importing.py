"""``exposure import --profile P --source ID FILE``: a page the person saved, checked as fetched.

For sources exposure cannot read itself (a bot challenge, a login the person
has): they open the page in their own browser, save it (``.html``, ``.htm``
or ``.mhtml``) and import it. The page is read by the same code as a
fetched one (exposure/checkers/saved.py), and its findings, checklist and
coverage are kept as a check by hand (engine/hand_check.py) with the file
itself as evidence, marked "saved by you", with its own hash and the import
time.

Exit status: 0 recorded; 1 the page was read but says nothing we can keep
(a challenge page, a layout not understood: nothing recorded), or the
profile is being scanned; 2 bad input (a file over the body cap, not HTML,
an MHTML file with hostile parts, an unknown profile), in one line, and
nothing recorded.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    from exposure.cli.commands._hand import add_source_arguments

    p = sub.add_parser(
        "import",
        help="check a page you saved from your browser (.html, .mhtml) as if fetched",
        description="Read a page you saved from your own browser (File > Save page as: "
        ".html, .htm or .mhtml) for a source exposure could not read, and record what it "
        "shows: findings, evidence marked 'saved by you', the checklist.",
    )
    add_source_arguments(p)
    p.add_argument("file", type=Path, metavar="FILE", help="the saved page")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exposure.cli.commands._hand import setup, show
    from exposure.engine.by_hand import import_saved
    from exposure.engine.store import Store

    where, ctx, source = setup(args)
    with Store(where.database, where.evidence_dir) as store:
        # SavedPageError (exit 2), NotUnderstood / Busy (exit 1): one line, nothing recorded
        got = import_saved(store, where.locks_dir, ctx, source, args.file, args.username)
    return show(args, ctx, source, got, f"saved page {args.file.name}")
