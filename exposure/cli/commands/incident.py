"""``exposure incident add|list|show|edit``: the incident log of a profile.

``add --profile P --when "YYYY-MM-DD HH:MM[+HH:MM]" --what TEXT [--where URL]...
[--who TEXT] [--witness TEXT]... [--attach FILE]...`` records an incident;
attachments are copied into the evidence store with their SHA-256.
``edit`` appends a new version (the old text is kept and shown as edited);
``--where`` and ``--witness`` given to ``edit`` replace the earlier lists.
A parent keeps a child's log with ``--profile CHILD``. Bad input (a time that
is not one, an attachment that is a link, a device, unreadable or over the
limit) exits 2 with one line, and nothing is recorded.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure.cli.commands._options import add_actions, add_format, add_profile
from exposure.textsafe import json_text

if TYPE_CHECKING:
    from exposure.casefile.incidents import Incident
    from exposure.engine.store import Store
    from exposure.model import Profile


def _incident_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an incident number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an incident number")
    return value


def _fields(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument(
        "--when",
        required=required,
        metavar='"YYYY-MM-DD HH:MM"',
        help="when it happened (local time, or add an offset such as +01:00)",
    )
    p.add_argument("--what", required=required, metavar="TEXT", help="what happened")
    p.add_argument(
        "--where", action="append", metavar="URL", help="where: a URL or a place (repeat for more)"
    )
    p.add_argument("--who", metavar="TEXT", help="who did it, if known")
    p.add_argument("--witness", action="append", metavar="TEXT", help="who saw it (repeat)")
    p.add_argument(
        "--attach",
        action="append",
        type=Path,
        metavar="FILE",
        help="a screenshot, saved email, chat export or PDF (repeat)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    actions = add_actions(sub, "incident", help="keep a dated incident log with attachments")
    add = actions.add_parser("add", help="record an incident")
    add_profile(add, required=True)
    _fields(add, required=True)
    add.set_defaults(run=run_add)
    ls = actions.add_parser("list", help="the profile's incidents in the order they happened")
    add_profile(ls, required=True)
    add_format(ls, "text", "json")
    ls.set_defaults(run=run_list)
    show = actions.add_parser("show", help="one incident with every version and attachment")
    add_profile(show, required=True)
    show.add_argument("id", type=_incident_id, metavar="ID")
    add_format(show, "text", "json")
    show.set_defaults(run=run_show)
    ed = actions.add_parser("edit", help="append a new version (the old one is kept)")
    add_profile(ed, required=True)
    ed.add_argument("id", type=_incident_id, metavar="ID")
    _fields(ed, required=False)
    ed.set_defaults(run=run_edit)


def _open(profile_id: str) -> tuple[Profile, Store]:
    from exposure import paths
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore

    where = paths.current()
    profile = ProfileStore(where).get(profile_id)  # unknown profile: exit 2
    return profile, Store(where.database, where.evidence_dir)


def run_add(args: argparse.Namespace) -> int:
    from exposure.casefile import incidents
    from exposure.casefile.incidents import Version

    when = incidents.parse_when(args.when)
    profile, store = _open(args.profile)
    with store:
        version = Version(
            number=1,
            happened_at=when,
            what=args.what,
            places=tuple(args.where or ()),
            who=args.who or "",
            witnesses=tuple(args.witness or ()),
        )
        incident = incidents.add(store, profile.id, version, args.attach or [])
    print(
        f"recorded incident {incident.id} for {profile.id}"
        f" with {len(incident.attachments)} attachment(s)"
    )
    for a in incident.attachments:
        print(f"  {a.sha256}  {_t(a.name)}")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from exposure.casefile import incidents

    when = incidents.parse_when(args.when) if args.when else None
    profile, store = _open(args.profile)
    with store:
        incident = incidents.edit(
            store,
            profile.id,
            args.id,
            when=when,
            what=args.what,
            places=args.where,
            who=args.who,
            witnesses=args.witness,
            attach=args.attach or [],
        )
    print(
        f"incident {incident.id} is now at version {incident.current.number};"
        " earlier versions are kept"
    )
    return 0


def _t(value: object, limit: int | None = None, *, lines: bool = False) -> str:
    from exposure.textsafe import clean

    return clean(value, limit=limit, keep_newlines=lines)


def to_dict(incident: Incident) -> dict[str, Any]:
    from exposure.model import iso

    return {
        "id": incident.id,
        "profile": incident.profile,
        "created_at": iso(incident.created_at),
        "edited": incident.edited,
        "versions": [
            {
                "version": v.number,
                "happened_at": v.happened_at.isoformat(),
                "happened_utc": iso(v.happened_at),
                "what": v.what,
                "where": list(v.places),
                "who": v.who,
                "witnesses": list(v.witnesses),
                "recorded_at": iso(v.recorded_at),
            }
            for v in incident.versions
        ],
        "attachments": [
            {
                "name": a.name,
                "sha256": a.sha256,
                "size": a.size,
                "added_at": iso(a.added_at),
                "version": a.version,
            }
            for a in incident.attachments
        ],
    }


def run_list(args: argparse.Namespace) -> int:
    from exposure.casefile import incidents
    from exposure.casefile.incidents import format_when
    from exposure.cli.render import table

    profile, store = _open(args.profile)
    with store:
        found = incidents.incidents(store, profile.id)
    if args.format == "json":
        print(json_text([to_dict(i) for i in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(f"No incidents recorded for {profile.id}.")
        return 0
    rows = [
        (
            str(i.id),
            format_when(i.current.happened_at),
            f"edited (v{i.current.number})" if i.edited else "",
            str(len(i.attachments)),
            i.current.what,
        )
        for i in found
    ]
    print(table(rows, ("ID", "WHEN", "EDITED", "FILES", "WHAT")))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from exposure.casefile import incidents
    from exposure.casefile.incidents import format_when
    from exposure.model import iso

    profile, store = _open(args.profile)
    with store:
        incident = incidents.get(store, profile.id, args.id)
    if args.format == "json":
        print(json_text(to_dict(incident), ensure_ascii=False, indent=2))
        return 0
    out = [f"Incident {incident.id} of {_t(profile.id)}"]
    for v in reversed(incident.versions):
        label = "current" if v is incident.current else "EDITED: replaced by a later version"
        out.append("")
        out.append(f"Version {v.number} ({label}), recorded {iso(v.recorded_at)}")
        out.append(f"  When:      {format_when(v.happened_at)}")
        for line in _t(v.what, lines=True).splitlines() or [""]:
            out.append(f"  What:      {line}")
        for place in v.places:
            out.append(f"  Where:     {_t(place)}")
        if v.who:
            out.append(f"  Who:       {_t(v.who)}")
        for w in v.witnesses:
            out.append(f"  Witness:   {_t(w)}")
    if incident.attachments:
        out.append("")
        out.append("Attachments (in the evidence store, by SHA-256):")
        for a in incident.attachments:
            out.append(f"  {a.sha256}  {a.size} bytes  added {iso(a.added_at)}  {_t(a.name)}")
    print("\n".join(out))
    return 0
