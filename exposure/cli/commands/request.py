"""``exposure request``: legal removal requests, drafted for the person and tracked to the end.

``exposure request draft ITEM --profile P [--kind K] [--format text|eml|json] [--output FILE]``
writes the request that fits the person's jurisdiction (see data/requests.toml)
for a checklist item, keeps the draft, and prints it with what to know before
sending (the broker's extra demands) and a ``mailto:`` link when the
catalogue has a privacy address. Without ``--kind`` it writes the next step:
the request, then a reminder, then a complaint to the regulator.

``exposure request sent ITEM --profile P --via email|form|post|phone [--on DATE]``
records when it was sent (today by default; a future date, or one before the
listing was first seen, is refused). ``exposure request list --profile P``
shows every request with its state, days left and next step.

An unknown item id exits 2 with one line (UsageError).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from exposure.cli.commands._options import add_format, add_profile
from exposure.textsafe import json_text

KINDS = ("request", "address-demand", "reminder", "complaint")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("request", help="draft legal removal requests and track their deadlines")
    actions = p.add_subparsers(dest="request_action", metavar="ACTION", required=True)

    d = actions.add_parser("draft", help="write the request (or reminder, complaint) for an item")
    d.add_argument("item_id", metavar="ITEM", help="the checklist item's id")
    add_profile(d, required=True)
    d.add_argument("--kind", choices=KINDS, help="what to write (default: the next step)")
    add_format(d, "text", "eml", "json")
    d.add_argument("--output", metavar="FILE", help="write the draft to FILE (0600)")
    d.add_argument("--from", dest="sender", metavar="EMAIL", help="From address for --format eml")
    d.set_defaults(run=run_draft)

    s = actions.add_parser("sent", help="record that a request was sent")
    s.add_argument("item_id", metavar="ITEM")
    add_profile(s, required=True)
    s.add_argument("--via", choices=("email", "form", "post", "phone"), required=True)
    s.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was sent (default: today)")
    s.add_argument("--kind", choices=KINDS, help="which draft was sent (default: the latest)")
    s.set_defaults(run=run_sent)

    ls = actions.add_parser("list", help="every request with its state and deadline")
    add_profile(ls, required=True)
    add_format(ls, "text", "json")
    ls.set_defaults(run=run_list)


def _setup(profile_id: str) -> tuple[Any, Any, Any]:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.people.profile import ProfileStore

    where = paths.current()
    config = config_mod.load(where.config_file)
    return where, config, ProfileStore(where).get(profile_id)


def _kind(value: str | None) -> Any:
    from exposure.model import RequestKind

    return RequestKind(value) if value else None


def run_draft(args: argparse.Namespace) -> int:
    from exposure.engine.removal import prepare
    from exposure.engine.store import Store
    from exposure.paths import write_private
    from exposure.textsafe import clean

    where, config, profile = _setup(args.profile)
    with Store(where.database, where.evidence_dir) as store:
        prepared = prepare(
            store,
            profile,
            args.item_id,
            kind=_kind(args.kind),
            threshold=config.confidence_threshold,
        )
    d = prepared.draft
    if args.format == "eml":
        payload: bytes | str = d.eml(sender=args.sender or "")
    elif args.format == "json":
        payload = json_text(
            {
                "item_id": d.item_id,
                "kind": d.kind.value,
                "jurisdiction": d.jurisdiction,
                "to": {"name": d.to_name, "email": d.to_email},
                "subject": d.subject,
                "body": d.body,
                "mailto": d.mailto or None,
                "warnings": list(d.warnings),
                "notes": list(d.notes),
                "fields": list(d.fields),
            },
            indent=2,
        )
    else:
        payload = d.text()
    if args.output:
        write_private(Path(args.output), payload)
        print(f"wrote the {d.kind.value} for {clean(d.item_id)} to {clean(args.output)}")
    elif isinstance(payload, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        return 0
    if args.format == "text":
        _print_text(d, None if args.output else d.text(), profile.id)
    elif not args.output:
        print(payload)
    return 0


def _print_text(d: Any, letter: str | None, profile_id: str) -> None:
    from exposure.textsafe import clean

    if d.warnings:
        print("Before you send it:")
        for w in d.warnings:
            print(f"  ! {clean(w, limit=600)}")
        print()
    if letter is not None:
        print(clean(letter, keep_newlines=True))
        print()
    print(f"It carries only: {', '.join(d.fields)}.")
    for note in d.notes:
        print(f"  - {clean(note, limit=600)}")
    if d.mailto:
        print(f"mailto: {d.mailto}")
    print(
        f"When it is sent: exposure request sent {clean(d.item_id)} --via email "
        f"--profile {clean(profile_id)}"
    )


def run_sent(args: argparse.Namespace) -> int:
    from exposure.engine.removal import record_sent
    from exposure.engine.request_log import parse_day, sent_summary
    from exposure.engine.requests import Via
    from exposure.engine.store import Store
    from exposure.model import utcnow
    from exposure.textsafe import clean

    where, config, profile = _setup(args.profile)
    today = utcnow().date()
    on = parse_day(args.on, today)
    with Store(where.database, where.evidence_dir) as store:
        item, record = record_sent(
            store,
            profile,
            args.item_id,
            via=Via(args.via),
            on=on,
            today=today,
            kind=_kind(args.kind),
            threshold=config.confidence_threshold,
        )
    print(clean(sent_summary(item, record)))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from exposure.engine.checklist import checklist
    from exposure.engine.request_log import RequestLog, describe
    from exposure.engine.store import Store
    from exposure.textsafe import clean

    where, config, profile = _setup(args.profile)
    with Store(where.database, where.evidence_dir) as store:
        items = checklist(store, profile, threshold=config.confidence_threshold)
        records = RequestLog(store).by_item(profile.id)
    tracked = [i for i in items if i.request is not None]
    if args.format == "json":
        doc = {
            "profile": profile.id,
            "requests": [
                {
                    "item_id": i.id,
                    "title": i.title,
                    **(i.request.to_dict() if i.request else {}),
                    "records": [r.to_dict() for r in records.get(i.id, [])],
                }
                for i in tracked
            ],
        }
        print(json_text(doc, ensure_ascii=False, indent=2))
        return 0
    if not tracked:
        print(f"{clean(profile.id)}: no removal items yet (scan first).")
        return 0
    for item in tracked:
        assert item.request is not None
        print(f"{clean(item.id)}  {describe(item.request)}  — {clean(item.title, limit=120)}")
    return 0
