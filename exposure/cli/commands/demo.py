"""``exposure demo``: the whole flow, offline, against a bundled demo web on loopback."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="try exposure offline on fictional people (start here)",
        description=(
            "Runs the real engine end to end — profile, scan, guardian scan, checklist, "
            "reports — against a demo web of fictional people served on 127.0.0.1. Needs no "
            "network and sends nothing anywhere. The demo folder is temporary unless --keep "
            "or --home is given."
        ),
    )
    p.add_argument(
        "--home",
        type=Path,
        metavar="DIR",
        help="keep the demo in DIR (new, empty, or an earlier demo folder)",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary demo folder")
    p.add_argument("--tui", action="store_true", help="open the terminal UI on the demo")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exposure.demo.flow import DemoOptions, run_demo

    return run_demo(DemoOptions(home=args.home, keep=args.keep, tui=args.tui))
