"""``exposure checklist``: what to do about the findings, and what is already done.

``exposure checklist [--profile P] [--format text|md|json]`` shows the plan in
groups (home address and phone, breaches, accounts...);
``exposure checklist done|undo ID --profile P`` records the person's progress;
``exposure checklist mine|not-mine ID --profile P`` gives every account of an
account item (many under one username are folded into one) the same verdict.
Statuses move on by themselves across rescans (verified, relisted): see
exposure/checklist.py. An unknown item id exits 2 with a one-line message.
"""

from __future__ import annotations

import argparse
from typing import Any

from exposure.cli.commands._options import add_format
from exposure.textsafe import json_text

STATUS_MARK = {"open": "[ ]", "done": "[x]", "verified": "[v]", "relisted": "[!]"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checklist", help="what to remove, delete or change, and what is done")
    p.add_argument("--profile", metavar="NAME", help="one profile (default: every profile)")
    add_format(p, "text", "md", "json")
    p.set_defaults(run=run)
    actions = p.add_subparsers(dest="checklist_action", metavar="ACTION")
    for name, text in (("done", "mark an item done"), ("undo", "mark an item open again")):
        a = actions.add_parser(name, help=text)
        a.add_argument("item_id", metavar="ID", help="the item's id, as the checklist shows it")
        a.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS)
        a.set_defaults(run=run_mark, mark_done=name == "done")
    for name, text in (
        ("mine", "every account of an account item is yours"),
        ("not-mine", "no account of an account item is yours"),
    ):
        a = actions.add_parser(name, help=text)
        a.add_argument("item_id", metavar="ID", help="an account item's id (accounts:USERNAME)")
        a.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS)
        a.set_defaults(run=run_decide, mine=name == "mine")


def _setup() -> tuple[Any, Any, Any]:
    from exposure import config as config_mod
    from exposure import paths
    from exposure.people.profile import ProfileStore

    where = paths.current()
    config = config_mod.load(where.config_file)  # ConfigError: exit 2
    return where, config, ProfileStore(where)


def run(args: argparse.Namespace) -> int:
    from exposure.engine.checklist import checklist
    from exposure.engine.checklist_groups import group_summary
    from exposure.engine.store import Store
    from exposure.reports.markdown import checklist_markdown

    where, config, profiles = _setup()
    chosen = (
        [profiles.get(args.profile)]
        if args.profile
        else [profiles.get(pid) for pid in profiles.ids()]
    )
    if not chosen and args.format == "text":
        print("No profiles yet: add one with `exposure profile add NAME --name ...`.")
    with Store(where.database, where.evidence_dir) as store:
        for profile in chosen:
            items = checklist(store, profile, threshold=config.confidence_threshold)
            if args.format == "json":
                doc = {
                    "profile": profile.id,
                    "items": [i.to_dict() for i in items],
                    "groups": group_summary(items),
                }
                print(json_text(doc, ensure_ascii=False, indent=None if len(chosen) > 1 else 2))
            elif args.format == "md":
                print(checklist_markdown(profile.id, items))
            else:
                print(_text(profile.id, items, store.scores(profile.id)))
    return 0


def _text(profile_id: str, items: list[Any], scores: list[Any]) -> str:
    from exposure.engine.checklist_groups import by_group
    from exposure.textsafe import clean

    todo = [i for i in items if i.status in ("open", "relisted")]
    urgent = sum(1 for i in todo if i.priority == 1)
    head = f"{clean(profile_id)}: {len(items)} item(s), {len(todo)} to do ({urgent} urgent)"
    if scores:
        trend = " → ".join(f"{s[2]:.0f}" for s in scores[-6:])
        head += f"; exposure score {scores[-1][2]:.1f}/100 (last scans: {trend})"
    lines = [head]
    for group, members in by_group(items):
        left = sum(i.status in ("open", "relisted") for i in members)
        lines.append(f"{group.heading} ({len(members)} item(s), {left} to do)")
        for item in members:
            lines.extend(_item_lines(item))
    lines.append(f"Mark progress with `exposure checklist done ID --profile {clean(profile_id)}`.")
    return "\n".join(lines)


def _item_lines(item: Any) -> list[str]:
    from exposure.engine.removal_order import grouped_under
    from exposure.engine.request_log import describe
    from exposure.model import RequestState, iso
    from exposure.textsafe import clean

    when = f" ({iso(item.changed_at)})" if item.changed_at and item.status != "open" else ""
    pad = "    " if grouped_under(item) else ""  # a network member, under its parent
    lines = [
        f"  {pad}{STATUS_MARK.get(item.status, '[ ]')} P{item.priority}  {clean(item.title)}"
        f"  [{clean(item.id)}] {item.status}{when}"
    ]
    if item.url:
        lines.append(f"        {pad}{clean(item.url, limit=300)}")
    if item.request is not None and item.request.state is not RequestState.NONE:
        lines.append(f"        {pad}request: {describe(item.request)}")
    lines.extend(f"        {pad}- {clean(step, limit=400)}" for step in item.steps)
    return lines


def run_mark(args: argparse.Namespace) -> int:
    from exposure.engine.checklist import mark
    from exposure.engine.store import Store
    from exposure.errors import UsageError
    from exposure.textsafe import clean

    profile_id = getattr(args, "profile", None)
    if not profile_id:
        raise UsageError(f"checklist {'done' if args.mark_done else 'undo'} needs --profile NAME")
    where, config, profiles = _setup()
    profile = profiles.get(profile_id)
    with Store(where.database, where.evidence_dir) as store:
        item = mark(
            store, profile, args.item_id, done=args.mark_done, threshold=config.confidence_threshold
        )
    print(f"{clean(item.id)}: {item.status} — {clean(item.title)}")
    return 0


def run_decide(args: argparse.Namespace) -> int:
    from exposure.engine.checklist import AccountVerdict, decide
    from exposure.engine.store import Store
    from exposure.errors import UsageError
    from exposure.textsafe import clean

    action = "mine" if args.mine else "not-mine"
    profile_id = getattr(args, "profile", None)
    if not profile_id:
        raise UsageError(f"checklist {action} needs --profile NAME")
    where, config, profiles = _setup()
    profile = profiles.get(profile_id)
    verdict = AccountVerdict.MINE if args.mine else AccountVerdict.NOT_MINE
    with Store(where.database, where.evidence_dir) as store:
        count = decide(store, profile, args.item_id, verdict, threshold=config.confidence_threshold)
    what = "yours" if args.mine else "not yours"
    print(f"{clean(args.item_id)}: {count} account(s) marked {what}")
    return 0
