"""``exposure locate``: where exposure keeps its files; ``--footprint``: everything it wrote."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.cli.commands._options import add_format
from exposure.textsafe import ANY_CONTROL, json_text

if TYPE_CHECKING:
    from exposure.paths import Paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "locate",
        help="print where config, profiles, database and evidence live (--footprint: all it wrote)",
        description="Without options: the folders. With --footprint: every file the tool has "
        "written under its home with its size, the database and its journals, caches, lock "
        "files, an unlocked session key, the lock's keyring entry, case files exported "
        "elsewhere and its cron entries: what someone else with this computer could find.",
    )
    p.add_argument("--footprint", action="store_true", help="list everything it has written")
    p.add_argument(
        "--tabfile", type=Path, metavar="FILE", help="with --footprint: read this crontab file"
    )
    add_format(p, "text", "json")
    p.set_defaults(run=run)


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    value = float(n)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024 or unit == "MiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(n)  # pragma: no cover


def run(args: argparse.Namespace) -> int:
    from exposure import paths

    where = paths.current()
    if args.footprint:
        return _footprint(where, args)
    found = where.as_dict()
    if args.format == "json":
        print(json_text(found, indent=2))
    else:
        width = max(map(len, found))
        for key, value in found.items():
            print(f"{key:<{width}}  {value}")
    return 0


def _footprint(where: Paths, args: argparse.Namespace) -> int:
    from exposure.engine.footprint import footprint

    items = footprint(where, tabfile=args.tabfile)
    if args.format == "json":
        total = sum(i.size or 0 for i in items)
        print(json_text({"items": [i.to_dict() for i in items], "total_bytes": total}, indent=2))
        return 0
    if not items:
        print("nothing: exposure has written no files here, no cron entry and no keyring entry")
        return 0
    for item in items:
        count = f" ({item.files} files)" if item.files else ""
        where_ = ANY_CONTROL.sub("?", item.where)
        print(f"{_size(item.size):>10}  {item.kind}{count}")
        print(f"{'':>10}  {where_}")
    total = sum(i.size or 0 for i in items)
    print(f"{_size(total):>10}  in all")
    return 0
