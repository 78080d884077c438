"""The guardian report: for a parent, per child, what is exposed and what to do.

Per child: what is exposed (high severity first), which accounts are known
to be theirs and which are not (possible impostors), what the last scan could
not check, what to talk about, and the checklist for parents from
``data/guardian_advice.toml``. :func:`guardian_data` is the JSON-ready
document; reports/guardian.py renders it as Markdown or HTML.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure import config, paths
from exposure.engine.children import UNREADABLE_NOTE, age, coming_of_age_note, unreadable, wards
from exposure.errors import UsageError
from exposure.model import (
    AccountAction,
    ChangePassword,
    ChildNotes,
    Finding,
    FindingKind,
    Profile,
    Severity,
    Whose,
    iso,
    utcnow,
)
from exposure.reports.guardian import render_html, render_markdown
from exposure.textsafe import clean, json_text

if TYPE_CHECKING:
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore

HELP_NOTE = (
    "Guardian mode is for minors in your care: audit a child's exposure to protect them, "
    "never to watch anyone else."
)


@dataclass(frozen=True)
class Advice:
    id: str
    title: str
    text: str
    steps: tuple[str, ...] = ()


def load_advice(path: Path | None = None) -> list[Advice]:
    """The checklist for parents (``data/guardian_advice.toml``)."""
    where = path or paths.bundled_data() / "guardian_advice.toml"
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{where}: {exc}") from None
    items = data.get("advice")
    if not isinstance(items, list):
        raise UsageError(f"{where}: expected [[advice]] tables")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item[k].strip() for k in ("id", "title", "text")
        ):
            raise UsageError(f"{where}: advice #{i + 1} needs id, title and text")
        steps = item.get("steps", [])
        if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
            raise UsageError(f"{where}: advice {item['id']!r}: steps must be a list of strings")
        out.append(Advice(item["id"], item["title"], " ".join(item["text"].split()), tuple(steps)))
    return out


# --------------------------------------------------------------------------- the report


def _threshold() -> float:
    try:
        return config.load(paths.current().config_file).confidence_threshold
    except config.ConfigError:
        return config.Config().confidence_threshold


def _who(profile: Profile) -> str:
    return clean(profile.primary_name or profile.id, limit=80)


def _finding_row(f: Finding) -> dict[str, Any]:
    return f.to_dict()


def _talk_points(
    child: Profile,
    exposed: list[Finding],
    known: list[Finding],
    unknown: list[Finding],
    note: str | None,
    scanned: bool,
) -> list[str]:
    who = _who(child)
    points: list[str] = []
    if note:
        points.append(f"{who} is an adult now: talk about handing the profile over to them.")
    if not scanned:
        points.append(f"Nothing is scanned for {who} yet: run the guardian scan first.")
    for f in exposed:
        notes = f.child or ChildNotes()
        school, town = notes.school, notes.town
        if school or town:
            what = " and ".join(
                x
                for x in (
                    f"a school ({school})" if school else "",
                    f"their town ({town})" if town else "",
                )
                if x
            )
            points.append(
                f"{clean(f.source, limit=60)} shows {who}'s name next to {what}. Ask for it to "
                "be removed, and talk about why where they live and go to school stays private."
            )
    for f in unknown:
        account = f.remedy if isinstance(f.remedy, AccountAction) else AccountAction(f.source)
        site = clean(account.site, limit=60)
        user = clean(account.username, limit=60)
        extra = " (a platform children use)" if f.child and f.child.child_platform else ""
        points.append(
            f"Ask {who} whether the {site} account '{user}'{extra} is theirs. If it is, look "
            "at its privacy settings together; if it is not, it may be an impostor: report it "
            "to the site."
        )
    for f in exposed:
        if f.kind is FindingKind.BREACH:
            name = f.remedy.breach if isinstance(f.remedy, ChangePassword) else ""
            breach = clean(name or f.title, limit=80)
            points.append(
                f"{who}'s email is in the {breach} breach: change that password together and "
                "never reuse it."
            )
    if known:
        points.append(
            f"{who} has {len(known)} known account(s): go through who can see what on each."
        )
    return points


def _child_section(
    store: Store, child: Profile, threshold: float, today: date
) -> tuple[dict[str, Any], list[Finding], list[Finding], list[Finding]]:
    verdicts = store.verdicts(child.id)
    findings = store.findings(child.id, min_confidence=threshold, include_gone=False)
    accounts = [f for f in findings if f.kind is FindingKind.ACCOUNT]
    known = [f for f in accounts if f.whose is Whose.OWN or verdicts.get(f.id) == "me"]
    known_ids = {f.id for f in known}
    unknown = [f for f in accounts if f.id not in known_ids]
    exposed = sorted(
        (f for f in findings if f.kind is not FindingKind.ACCOUNT),
        key=lambda f: (f.severity is not Severity.HIGH, -f.confidence, f.source),
    )
    scans = [s for s in store.scans(child.id) if s.state in ("finished", "interrupted")]
    last = scans[-1] if scans else None
    unchecked = []
    if last is not None:
        unchecked = [
            {
                "source": c.source,
                "checker": c.checker,
                "status": c.status.value,
                "detail": c.detail,
                "url": c.url,
            }
            for c in store.checks(last.scan_id)
            if c.status.value in ("blocked", "error")
        ]
    note = coming_of_age_note(child, today)
    section = {
        "profile": child.id,
        "name": child.primary_name,
        "age": age(child, today),
        "adult": note is not None,
        "note": note,
        "last_scan": None
        if last is None
        else {
            "scan_id": last.scan_id,
            "state": last.state,
            "started_at": iso(last.started_at),
            "finished_at": iso(last.finished_at),
        },
        "exposed": [_finding_row(f) for f in exposed],
        "accounts": {
            "known": [_finding_row(f) for f in known],
            "unknown": [_finding_row(f) for f in unknown],
        },
        "check_by_hand": unchecked,
        "talk_about": _talk_points(child, exposed, known, unknown, note, last is not None),
    }
    return section, exposed, known, unknown


def guardian_data(
    store: Store,
    guardian_id: str,
    *,
    profiles: ProfileStore | None = None,
    today: date | None = None,
    threshold: float | None = None,
    advice: list[Advice] | None = None,
) -> dict[str, Any]:
    """The guardian report as a JSON-ready dict (the ``json`` format)."""
    if profiles is None:
        from exposure.people.profile import ProfileStore

        profiles = ProfileStore(paths.current())
    today = today or date.today()
    children = wards(profiles, guardian_id)
    guardian = profiles.get(guardian_id)
    limit = _threshold() if threshold is None else threshold
    sections = [_child_section(store, c, limit, today)[0] for c in children]
    broken = [clean(str(exc), limit=500) for exc in unreadable(profiles)]
    return {
        "guardian": guardian.id,
        "guardian_name": guardian.primary_name,
        "generated_at": iso(utcnow()),
        "confidence_threshold": limit,
        "note": HELP_NOTE,
        "children": sections,
        # Profile files that could not be read: any may be a child left out of the report.
        "unreadable_profiles": broken,
        "unreadable_note": UNREADABLE_NOTE.format(count=len(broken)) if broken else "",
        "advice": [
            {"id": a.id, "title": a.title, "text": a.text, "steps": list(a.steps)}
            for a in (load_advice() if advice is None else advice)
        ],
    }


@dataclass(frozen=True)
class GuardianReport:
    text: str
    # Profile files that could not be read (cleaned lines): any may be a child the
    # report leaves out, so the command names them too and exits 2.
    unreadable: list[str]


def render_guardian_report(
    store: Store, guardian_id: str, fmt: str = "md", **kwargs: Any
) -> GuardianReport:
    """The report for a parent in ``fmt`` (md | html | json), and the profile files it
    could not read. Keyword args: see guardian_data."""
    if fmt not in ("md", "html", "json"):
        raise UsageError(f"unknown report format {fmt!r} (use md, html or json)")
    data = guardian_data(store, guardian_id, **kwargs)
    if fmt == "json":
        text = json_text(data, indent=2) + "\n"
    else:
        text = render_html(data) if fmt == "html" else render_markdown(data)
    return GuardianReport(text, list(data["unreadable_profiles"]))


def guardian_report(store: Store, guardian_id: str, fmt: str = "md", **kwargs: Any) -> str:
    """The report's text (see :func:`render_guardian_report`)."""
    return render_guardian_report(store, guardian_id, fmt, **kwargs).text
