"""``exposure profile add|list|show|edit|remove``: who the audit is about.

Only the standard library is imported at module level (see exposure/cli.py);
validation lives in :mod:`exposure.people.profile`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure.cli.commands._options import add_format
from exposure.errors import ExitStatus, ExposureError, UsageError
from exposure.textsafe import ANY_CONTROL, json_text

if TYPE_CHECKING:
    from exposure.model import Profile
    from exposure.people.profile import ProfileStore


# (flag, Profile attribute, label) for the repeatable value flags.
_FIELDS = (
    ("name", "names", "name"),
    ("email", "emails", "email"),
    ("phone", "phones", "phone"),
    ("username", "usernames", "username"),
    ("location", "locations", "location"),
    ("address", "addresses", "address"),
    ("account", "accounts", "account"),
    ("relative", "relatives", "relative"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "profile",
        help="add, list, show, edit or remove profiles",
        description="Profiles describe the person being audited: you, or a child in your care.",
    )
    actions = p.add_subparsers(dest="profile_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="create a profile")
    add.add_argument("id", metavar="NAME", help="profile id, e.g. jane (lower-case)")
    _value_flags(add)
    add_format(add, "text", "json")
    add.set_defaults(run=run_add)

    lst = actions.add_parser("list", help="list profiles")
    add_format(lst, "text", "json")
    lst.set_defaults(run=run_list)

    show = actions.add_parser("show", help="print every field of a profile")
    show.add_argument("id", metavar="NAME")
    add_format(show, "text", "json")
    show.set_defaults(run=run_show)

    edit = actions.add_parser(
        "edit",
        help="add or remove values",
        description="Values are appended and de-duplicated; --birth-date and --guardian replace.",
    )
    edit.add_argument("id", metavar="NAME")
    _value_flags(edit)
    for flag, _attr, label in _FIELDS:
        edit.add_argument(
            f"--remove-{flag}",
            action="append",
            default=[],
            metavar="VALUE",
            help=f"remove this {label} (repeatable)",
        )
    edit.add_argument("--clear-birth-date", action="store_true", help="forget the birth date")
    edit.add_argument("--clear-guardian", action="store_true", help="this is not a child profile")
    edit.add_argument(
        "--clear-address-program",
        action="store_true",
        help="no longer enrolled in an address-confidentiality program",
    )
    add_format(edit, "text", "json")
    edit.set_defaults(run=run_edit)

    remove = actions.add_parser(
        "remove",
        help="delete a profile file (with --purge: everything about it, as `exposure forget`)",
    )
    remove.add_argument("id", metavar="NAME")
    remove.add_argument(
        "--purge",
        action="store_true",
        help="also delete its scans, findings, evidence, incidents, requests, reports under "
        "the home and cron entries (the same as `exposure forget NAME`)",
    )
    remove.add_argument(
        "--tabfile", type=Path, metavar="FILE", help="with --purge: the crontab file to clean"
    )
    add_format(remove, "text", "json")
    remove.set_defaults(run=run_remove)


def _value_flags(p: argparse.ArgumentParser) -> None:
    def many(flag: str, metavar: str, text: str) -> None:
        p.add_argument(f"--{flag}", action="append", default=[], metavar=metavar, help=text)

    many("name", '"Full Name"', "a name; the first is the primary name, others aliases")
    many("email", "E", "an email address")
    many("phone", "P", "a phone number (stored in E.164)")
    many("username", "U", "a username (a leading @ is dropped)")
    many("location", '"City, Region[ Postcode][, Country]"', "a place you live or lived")
    many("address", '"street, city, region postcode"', "a postal address")
    many("account", "URL", "an account known to be your own")
    many(
        "relative",
        '"Full Name"',
        "a relative's name: people-search pages list relatives, so a record naming one is yours",
    )
    p.add_argument("--birth-date", metavar="YYYY-MM-DD", help="date of birth")
    p.add_argument(
        "--guardian",
        metavar="NAME",
        help="this is a child audited by profile NAME (guardian mode is for minors in your care)",
    )
    p.add_argument(
        "--address-program",
        metavar="ID",
        help="enrolled in an address-confidentiality program (e.g. ca-safe-at-home): "
        "removal requests become that program's demand",
    )


# --------------------------------------------------------------------------- helpers


def _store() -> ProfileStore:
    from exposure import paths
    from exposure.people.profile import ProfileStore

    return ProfileStore(paths.current())


def _default_region() -> str:
    from exposure import config

    return config.load_current().default_region  # ConfigError: exit 2


def _clean(value: Any) -> str:
    """Profile files can be hand-edited: never echo control characters to a terminal."""
    return ANY_CONTROL.sub("?", str(value))


def _values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {attr: getattr(args, flag) for flag, attr, _ in _FIELDS}
    values["birth_date"] = args.birth_date
    values["guardian"] = args.guardian
    values["address_program"] = _address_program(args.address_program)
    return values


def _address_program(value: str | None) -> str | None:
    """The program id, checked against data/requests.toml (one line when unknown)."""
    if value is None:
        return None
    from exposure.engine.request_rules import load_rules
    from exposure.errors import UsageError

    known = [p.id for p in load_rules().programs]
    if value not in known:
        raise UsageError(
            f"unknown address-confidentiality program {_clean(value)!r} (known: {', '.join(known)})"
        )
    return value


def _print_profile(profile: Profile, fmt: str) -> None:
    if fmt == "json":
        print(json_text(profile.to_dict(), indent=2, ensure_ascii=False))
        return
    print(f"profile   {_clean(profile.id)}")
    for _flag, attr, label in _FIELDS:
        values = getattr(profile, attr)
        heading = label + "s" if label != "address" else "addresses"
        if not values:
            print(f"{heading:<10}-")
            continue
        for i, value in enumerate(values):
            mark = "  (primary)" if attr == "names" and i == 0 and len(values) > 1 else ""
            print(f"{heading if i == 0 else '':<10}{_clean(value)}{mark}")
    born = profile.birth_date.isoformat() if profile.birth_date else "-"
    print(f"{'born':<10}{born}")
    print(f"{'guardian':<10}{_clean(profile.guardian) if profile.guardian else '-'}")
    if profile.address_program:
        print(f"{'program':<10}{_clean(profile.address_program)}")


# --------------------------------------------------------------------------- actions


def run_add(args: argparse.Namespace) -> int:
    from exposure.people.profile import build_profile, validate_id

    store = _store()
    profile_id = validate_id(args.id)
    if store.exists(profile_id):
        raise UsageError(f"profile {profile_id!r} exists; use `exposure profile edit {profile_id}`")
    profile = build_profile(profile_id, default_region=_default_region(), **_values(args))
    store.check_guardian(profile)
    path = store.save(profile)
    if args.format == "json":
        _print_profile(profile, "json")
    else:
        print(f"added profile {profile.id!r} ({path})")
        if not profile.names:
            print("note: no --name given; name-based checks will be skipped")
    return 0


def run_list(args: argparse.Namespace) -> int:
    # Children are listed under their guardian, with ages (issue 7: exposure/guardian.py).
    from exposure.engine.guardian import age, coming_of_age_note, grouped

    good, broken = _store().readable()
    ordered = grouped(good)
    rows: list[dict[str, Any]] = [
        {
            "id": p.id,
            "name": p.primary_name,
            "counts": {attr: len(getattr(p, attr)) for _f, attr, _l in _FIELDS},
            "guardian": p.guardian,
            "age": age(p),
        }
        for p, _depth in ordered
    ]
    if args.format == "json":
        print(json_text(rows, indent=2, ensure_ascii=False))
        return report_broken(broken)
    if not rows and not broken:
        print("no profiles yet; add one with `exposure profile add NAME --name ...`")
        return 0
    table = [
        (
            "ID",
            "NAME",
            "AGE",
            "NAMES",
            "EMAILS",
            "PHONES",
            "USERS",
            "PLACES",
            "ACCOUNTS",
            "GUARDIAN",
        )
    ]
    for row in rows:  # a guardian's children follow it directly
        c = row["counts"]
        table.append(
            (
                _clean(row["id"]),
                _clean(row["name"]) or "-",
                "-" if row["age"] is None else str(row["age"]),
                str(c["names"]),
                str(c["emails"]),
                str(c["phones"]),
                str(c["usernames"]),
                str(c["locations"] + c["addresses"]),
                str(c["accounts"]),
                _clean(row["guardian"]) if row["guardian"] else "-",
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    for p, _depth in ordered:
        note = coming_of_age_note(p)
        if note:
            print(f"note: {_clean(note)}")
    return report_broken(broken)


def report_broken(broken: Sequence[ExposureError | str]) -> int:
    """One stderr line per broken profile file; exit 2 (input error) if there was any."""
    import sys

    from exposure.textsafe import clean

    for exc in broken:
        print(f"exposure: error: {clean(str(exc), limit=500)}", file=sys.stderr)
    return ExitStatus.USAGE if broken else ExitStatus.OK


def run_show(args: argparse.Namespace) -> int:
    _print_profile(_store().get(args.id), args.format)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from exposure.people.profile import edit_profile

    store = _store()
    profile = store.get(args.id)
    removals = {f"remove_{attr}": getattr(args, f"remove_{flag}") for flag, attr, _ in _FIELDS}
    edited = edit_profile(
        profile,
        default_region=_default_region(),
        clear_birth_date=args.clear_birth_date,
        clear_guardian=args.clear_guardian,
        clear_address_program=args.clear_address_program,
        **_values(args),
        **removals,
    )
    store.check_guardian(edited)
    if edited == profile:
        if args.format == "json":
            _print_profile(edited, "json")
        else:
            print(f"profile {edited.id!r} unchanged")
        return 0
    path = store.save(edited)
    if args.format == "json":
        _print_profile(edited, "json")
    else:
        print(f"saved profile {edited.id!r} ({path})")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from exposure import paths

    if args.purge:
        from exposure.cli.commands.forget import forget_one

        return forget_one(args.id, args.format, args.tabfile)

    store = _store()
    path = store.remove(args.id)
    wards = store.wards(args.id)
    from exposure.engine.children import unreadable
    from exposure.textsafe import clean

    # A profile file that can't be read may name it as guardian too: say which.
    unknown = [clean(str(exc), limit=300) for exc in unreadable(store)]
    database = paths.current().database
    note = (
        f"its scan history and evidence stay in {database}; "
        f"`exposure forget {args.id}` removes them"
    )
    if args.format == "json":
        print(
            json_text(
                {
                    "removed": args.id,
                    "path": str(path),
                    "note": note,
                    "wards": wards,
                    "unreadable_profiles": unknown,
                }
            )
        )
        return 0
    print(f"removed profile {args.id!r} ({path})")
    print(f"note: {note}")
    for ward in wards:
        print(f"note: profile {ward!r} still names {args.id!r} as its guardian")
    for line in unknown:
        print(f"note: a profile file could not be read (it may name {args.id!r} too): {line}")
    return 0
