"""``exposure locate``: print where exposure keeps its files."""

from __future__ import annotations

import argparse

from exposure.textsafe import json_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("locate", help="print where config, profiles, database and evidence live")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exposure import paths

    where = paths.current().as_dict()
    if args.format == "json":
        print(json_text(where, indent=2))
    else:
        width = max(map(len, where))
        for key, value in where.items():
            print(f"{key:<{width}}  {value}")
    return 0
