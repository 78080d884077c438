"""The incident log: what happened, when, where, who did it and who saw it.

An audit trail, not a notepad: an edit appends a new version, and every
earlier version is kept and shown as edited (the store refuses an UPDATE or
DELETE of a version outright). Times keep the UTC offset they were entered
with ("2026-11-20 14:30" is read in the local time zone of this machine, or
give one: "2026-11-20 14:30+01:00"); ordering uses the same moment in UTC.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.casefile.attachments import Staged, stage_all
from exposure.casefile.locker import write_evidence
from exposure.engine import rows as col
from exposure.engine.store_errors import reading
from exposure.errors import UsageError
from exposure.model import iso, utcnow
from exposure.textsafe import ANY_CONTROL

if TYPE_CHECKING:
    from exposure.engine.store import Store

MAX_TEXT = 20_000
MAX_SHORT = 2_000
_WHEN = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)
_TEXT_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


class IncidentError(UsageError):
    """Bad incident input (a malformed time, empty text, an unknown incident): exit 2."""


@dataclass(frozen=True)
class Attachment:
    sha256: str
    name: str
    size: int
    added_at: datetime
    version: int  # the version it was added with
    path: str  # relative to the evidence folder


@dataclass(frozen=True)
class Version:
    """One version of an incident's text, as recorded at ``recorded_at``."""

    number: int
    happened_at: datetime  # aware, with the offset it was entered with
    what: str
    places: tuple[str, ...] = ()
    who: str = ""
    witnesses: tuple[str, ...] = ()
    recorded_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Incident:
    id: int
    profile: str
    created_at: datetime
    versions: tuple[Version, ...]  # oldest first; the last is current
    attachments: tuple[Attachment, ...] = ()

    @property
    def current(self) -> Version:
        return self.versions[-1]

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1

    @property
    def happened_utc(self) -> datetime:
        return self.current.happened_at.astimezone(UTC)


def parse_when(text: str, *, now: datetime | None = None) -> datetime:
    """``YYYY-MM-DD HH:MM[:SS][±HH:MM|Z]`` as an aware datetime (local zone when none given)."""
    m = _WHEN.match(text or "")
    if not m:
        raise IncidentError(
            f"--when {text!r} is not a time like '2026-11-20 14:30' (optionally '+01:00')"
        )
    day, clock, zone = m.groups()
    try:
        moment = datetime.fromisoformat(f"{day}T{clock}")
    except ValueError:
        raise IncidentError(f"--when {text!r} is not a real date and time") from None
    if zone is None:
        moment = moment.astimezone()  # the machine's local zone, with its offset on that day
    else:
        z = "+00:00" if zone.upper() == "Z" else zone
        if ":" not in z:
            z = f"{z[:3]}:{z[3:]}"
        try:
            moment = datetime.fromisoformat(f"{day}T{clock}{z}")
        except ValueError:
            raise IncidentError(f"--when {text!r} has an impossible UTC offset") from None
    if moment > (now or utcnow()) + timedelta(days=1):
        raise IncidentError(f"--when {text!r} is in the future")
    return moment.replace(microsecond=0)


def format_when(moment: datetime, *, utc: bool = True) -> str:
    """``2026-11-20 14:30 +01:00 (2026-11-20 13:30 UTC)``: as entered, and in UTC."""
    local = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else "+00:00"
    if not utc:
        return f"{local} {offset}"
    return f"{local} {offset} ({moment.astimezone(UTC).strftime('%Y-%m-%d %H:%M')} UTC)"


def _text(value: str, what: str, *, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise IncidentError(f"{what} must not be empty")
    if len(value) > limit:
        raise IncidentError(f"{what} is {len(value)} characters; at most {limit}")
    if _TEXT_CONTROL.search(value):
        raise IncidentError(f"{what} has control or direction-changing characters; remove them")
    return value


def _short(values: list[str] | tuple[str, ...], what: str) -> tuple[str, ...]:
    out = []
    for v in values:
        v = _text(v, what, limit=MAX_SHORT)
        if ANY_CONTROL.search(v):
            raise IncidentError(f"{what} must be one line")
        if v:
            out.append(v)
    return tuple(out)


def checked(version: Version) -> Version:
    """``version`` with its text validated (one-line errors for anything unusable)."""
    return replace(
        version,
        what=_text(version.what, "--what", limit=MAX_TEXT, required=True),
        places=_short(version.places, "--where"),
        who=_short((version.who,), "--who")[0] if version.who.strip() else "",
        witnesses=_short(version.witnesses, "--witness"),
    )


# --------------------------------------------------------------------------- storage


def _version_row(incident_id: int, v: Version) -> tuple[object, ...]:
    return (
        incident_id,
        v.number,
        v.happened_at.isoformat(),
        iso(v.happened_at),
        v.what,
        json.dumps(list(v.places)),
        v.who,
        json.dumps(list(v.witnesses)),
        iso(v.recorded_at),
    )


def _insert(store: Store, incident_id: int, version: Version, staged: list[Staged]) -> None:
    now = version.recorded_at
    rels = {s.sha256: write_evidence(store, s.body) for s in staged}
    with store.batch():
        store.db.execute(
            "INSERT INTO incident_versions (incident_id, version, happened_at, happened_utc,"
            " what, places, who, witnesses, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
            _version_row(incident_id, version),
        )
        for s in staged:
            store.db.execute(
                "INSERT OR IGNORE INTO evidence (sha256, path, size, content_type)"
                " VALUES (?,?,?,?)",
                (s.sha256, rels[s.sha256], s.size, s.content_type),
            )
            store.db.execute(
                "INSERT OR IGNORE INTO incident_attachments (incident_id, sha256, name, size,"
                " added_at, version) VALUES (?,?,?,?,?,?)",
                (incident_id, s.sha256, s.name, s.size, iso(now), version.number),
            )


def add(store: Store, profile: str, version: Version, attach: Sequence[Path] = ()) -> Incident:
    """Record a new incident (version 1); every attachment is checked before anything is."""
    version = checked(replace(version, number=1, recorded_at=utcnow()))
    staged = stage_all(list(attach))
    with store.batch():
        cur = store.db.execute(
            "INSERT INTO incidents (profile, created_at) VALUES (?, ?)",
            (profile, iso(version.recorded_at)),
        )
        assert cur.lastrowid is not None
        incident_id = cur.lastrowid
        _insert(store, incident_id, version, staged)
    return get(store, profile, incident_id)


def edit(
    store: Store,
    profile: str,
    incident_id: int,
    *,
    when: datetime | None = None,
    what: str | None = None,
    places: list[str] | None = None,
    who: str | None = None,
    witnesses: list[str] | None = None,
    attach: Sequence[Path] = (),
) -> Incident:
    """Append a version with the given changes; the earlier ones stay as they were."""
    old = get(store, profile, incident_id)
    last = old.current
    new = checked(
        Version(
            number=last.number + 1,
            happened_at=when if when is not None else last.happened_at,
            what=what if what is not None else last.what,
            places=tuple(places) if places is not None else last.places,
            who=who if who is not None else last.who,
            witnesses=tuple(witnesses) if witnesses is not None else last.witnesses,
            recorded_at=utcnow(),
        )
    )
    staged = stage_all(list(attach))
    unchanged = replace(new, number=last.number, recorded_at=last.recorded_at) == last
    known = {a.sha256 for a in old.attachments}
    if unchanged and all(s.sha256 in known for s in staged):
        raise IncidentError(f"incident {incident_id}: nothing to change")
    _insert(store, incident_id, new, staged)
    return get(store, profile, incident_id)


def _strings(row: sqlite3.Row, column: str) -> tuple[str, ...]:
    """A stored JSON list of strings (NULL: none); a damaged one is shown as such, not a crash."""
    try:
        return tuple(col.strings(row, column))
    except col.Odd:
        return ("(unreadable in the database)",)


def _version(path: Path, v: sqlite3.Row) -> Version:
    with reading(path, "incident_versions", f"incident {v['incident_id']} version {v['version']}"):
        return Version(
            number=col.integer(v, "version") or 0,
            happened_at=col.time(v, "happened_at", as_entered=True) or utcnow(),
            what=col.text(v, "what"),
            places=_strings(v, "places"),
            who=col.text(v, "who"),
            witnesses=_strings(v, "witnesses"),
            recorded_at=col.time(v, "recorded_at") or utcnow(),
        )


def _attachment(path: Path, a: sqlite3.Row) -> Attachment:
    with reading(path, "incident_attachments", f"incident {a['incident_id']} {a['sha256']}"):
        return Attachment(
            sha256=col.required(a, "sha256"),
            name=col.text(a, "name"),
            size=col.integer(a, "size", optional=True) or 0,
            added_at=col.time(a, "added_at") or utcnow(),
            version=col.integer(a, "version") or 0,
            path=col.required(a, "path"),
        )


def _from_rows(
    path: Path,
    profile: str,
    row: sqlite3.Row,
    versions: list[sqlite3.Row],
    attachments: list[sqlite3.Row],
) -> Incident:
    with reading(path, "incidents", f"id {row['id']}"):
        incident_id = col.integer(row, "id") or 0
        created_at = col.time(row, "created_at") or utcnow()
    return Incident(
        id=incident_id,
        profile=profile,
        created_at=created_at,
        versions=tuple(_version(path, v) for v in versions),
        attachments=tuple(_attachment(path, a) for a in attachments),
    )


def incidents(store: Store, profile: str) -> list[Incident]:
    """The profile's incidents, in the order they happened (UTC), then as recorded."""
    heads = store.query("SELECT * FROM incidents WHERE profile = ? ORDER BY id", (profile,))
    ids = [r["id"] for r in heads]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    versions = store.query(
        f"SELECT * FROM incident_versions WHERE incident_id IN ({marks})"
        " ORDER BY incident_id, version",
        tuple(ids),
    )
    attachments = store.query(
        "SELECT a.*, e.path FROM incident_attachments a JOIN evidence e ON e.sha256 = a.sha256"
        f" WHERE a.incident_id IN ({marks}) ORDER BY a.incident_id, a.added_at, a.name",
        tuple(ids),
    )
    out = [
        _from_rows(
            store.path,
            profile,
            head,
            [v for v in versions if v["incident_id"] == head["id"]],
            [a for a in attachments if a["incident_id"] == head["id"]],
        )
        for head in heads
    ]
    out = [i for i in out if i.versions]
    out.sort(key=lambda i: (i.happened_utc, i.id))
    return out


def get(store: Store, profile: str, incident_id: int) -> Incident:
    for incident in incidents(store, profile):
        if incident.id == incident_id:
            return incident
    raise IncidentError(f"profile {profile} has no incident {incident_id}")
