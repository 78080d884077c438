"""The store's schema, numbered migrations, and the upgrade of rows written before them.

Migration 7 gave findings their typed facts (what a finding exposes, whose it
is, how severe, its remedy) and broker checks their opt-out. Rows written
before it kept those facts as keys of ``matched``; :func:`legacy_facts` reads
them once, during the upgrade, so nothing else ever reads those keys.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import msgspec

from exposure.model import (
    AccountAction,
    AskToRemove,
    BrokerOptOut,
    ChangePassword,
    ChildNotes,
    Exposes,
    FindingFacts,
    FindingKind,
    Remedy,
    ReplacePassword,
    Severity,
    Whose,
)

Migration = str | Callable[[sqlite3.Connection], None]

_SQL_MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE scans (
        id          INTEGER PRIMARY KEY,
        profile     TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        state       TEXT NOT NULL,          -- running | finished | interrupted | failed
        checkers    TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX scans_profile ON scans (profile, id);
    CREATE TABLE checks (
        id         INTEGER PRIMARY KEY,
        scan_id    INTEGER NOT NULL REFERENCES scans (id),
        checker    TEXT NOT NULL,
        source     TEXT NOT NULL,
        status     TEXT NOT NULL,
        url        TEXT NOT NULL DEFAULT '',
        detail     TEXT NOT NULL DEFAULT '',
        elapsed_ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX checks_scan ON checks (scan_id);
    CREATE TABLE findings (
        profile     TEXT NOT NULL,
        id          TEXT NOT NULL,
        checker     TEXT NOT NULL,
        source      TEXT NOT NULL,
        kind        TEXT NOT NULL,
        key         TEXT NOT NULL,
        title       TEXT NOT NULL DEFAULT '',
        url         TEXT NOT NULL DEFAULT '',
        confidence  REAL NOT NULL,
        reasons     TEXT NOT NULL DEFAULT '[]',
        matched     TEXT NOT NULL DEFAULT '{}',
        status      TEXT NOT NULL DEFAULT 'open',   -- open | gone | back
        first_seen  TEXT NOT NULL,
        last_seen   TEXT NOT NULL,
        first_scan  INTEGER NOT NULL,
        last_scan   INTEGER NOT NULL,
        capture_id  INTEGER,
        PRIMARY KEY (profile, id)
    );
    CREATE TABLE sightings (
        scan_id    INTEGER NOT NULL REFERENCES scans (id),
        profile    TEXT NOT NULL,
        finding_id TEXT NOT NULL,
        PRIMARY KEY (scan_id, finding_id)
    );
    CREATE TABLE evidence (
        sha256      TEXT PRIMARY KEY,
        path        TEXT NOT NULL,
        size        INTEGER NOT NULL,
        content_type TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE captures (
        id          INTEGER PRIMARY KEY,
        sha256      TEXT NOT NULL REFERENCES evidence (sha256),
        url         TEXT NOT NULL,
        final_url   TEXT NOT NULL,
        captured_at TEXT NOT NULL,
        scan_id     INTEGER,
        profile     TEXT NOT NULL,
        finding_id  TEXT NOT NULL
    );
    CREATE INDEX captures_finding ON captures (profile, finding_id);
    """,
    # 2: exposure score per scan, checklist state, the person's verdicts on findings
    """
    ALTER TABLE scans ADD COLUMN score REAL;
    CREATE TABLE checklist_state (
        profile    TEXT NOT NULL,
        item_id    TEXT NOT NULL,
        status     TEXT NOT NULL,          -- open | done | verified | relisted
        changed_at TEXT NOT NULL,
        PRIMARY KEY (profile, item_id)
    );
    CREATE TABLE verdicts (
        profile    TEXT NOT NULL,
        finding_id TEXT NOT NULL,
        verdict    TEXT NOT NULL,          -- me | not_me
        decided_at TEXT NOT NULL,
        PRIMARY KEY (profile, finding_id)
    );
    """,
    # 3: the case file: incident log (append-only versions), attachments, screenshots
    # of captures, and each case-file export's own hash
    """
    CREATE TABLE incidents (
        id          INTEGER PRIMARY KEY,
        profile     TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX incidents_profile ON incidents (profile, id);
    CREATE TABLE incident_versions (
        incident_id  INTEGER NOT NULL REFERENCES incidents (id),
        version      INTEGER NOT NULL,
        happened_at  TEXT NOT NULL,          -- ISO 8601 with the UTC offset as entered
        happened_utc TEXT NOT NULL,          -- the same moment in UTC, for ordering
        what         TEXT NOT NULL,
        places       TEXT NOT NULL DEFAULT '[]',
        who          TEXT NOT NULL DEFAULT '',
        witnesses    TEXT NOT NULL DEFAULT '[]',
        recorded_at  TEXT NOT NULL,
        PRIMARY KEY (incident_id, version)
    );
    CREATE TRIGGER incident_versions_no_update BEFORE UPDATE ON incident_versions
    BEGIN SELECT RAISE(ABORT, 'incident versions are append-only'); END;
    CREATE TRIGGER incident_versions_no_delete BEFORE DELETE ON incident_versions
    BEGIN SELECT RAISE(ABORT, 'incident versions are append-only'); END;
    CREATE TABLE incident_attachments (
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        sha256      TEXT NOT NULL REFERENCES evidence (sha256),
        name        TEXT NOT NULL,
        size        INTEGER NOT NULL,
        added_at    TEXT NOT NULL,
        version     INTEGER NOT NULL,
        PRIMARY KEY (incident_id, sha256)
    );
    CREATE TABLE screenshots (
        capture_id  INTEGER PRIMARY KEY REFERENCES captures (id),
        status      TEXT NOT NULL,           -- ok | failed
        sha256      TEXT REFERENCES evidence (sha256),
        detail      TEXT NOT NULL DEFAULT '',
        blocked     INTEGER NOT NULL DEFAULT 0,
        rendered_at TEXT NOT NULL
    );
    CREATE TABLE casefile_exports (
        id          INTEGER PRIMARY KEY,
        profile     TEXT NOT NULL,
        path        TEXT NOT NULL,
        format      TEXT NOT NULL,           -- pdf | zip
        sha256      TEXT NOT NULL,
        size        INTEGER NOT NULL,
        redacted    TEXT NOT NULL DEFAULT '[]',
        exported_at TEXT NOT NULL
    );
    """,
    # 4: coverage per scan and per checker (JSON, exposure.model.Coverage.to_dict)
    """
    ALTER TABLE scans ADD COLUMN coverage TEXT;
    """,
    # 5: removal requests: each draft, and when and how it was sent (never deleted)
    """
    CREATE TABLE requests (
        id           INTEGER PRIMARY KEY,
        profile      TEXT NOT NULL,
        item_id      TEXT NOT NULL,
        kind         TEXT NOT NULL,          -- request | address-demand | reminder | complaint
        jurisdiction TEXT NOT NULL,
        drafted_at   TEXT NOT NULL,
        recipient    TEXT NOT NULL DEFAULT '',
        subject      TEXT NOT NULL DEFAULT '',
        body         TEXT NOT NULL DEFAULT '',
        sent_on      TEXT,                   -- YYYY-MM-DD, as the person said
        via          TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX requests_item ON requests (profile, item_id, id);
    """,
    # 6: how each capture was obtained: fetched | rendered by browser | saved by you
    """
    ALTER TABLE captures ADD COLUMN method TEXT NOT NULL DEFAULT 'fetched';
    """,
)


def statements(script: str) -> Iterator[str]:
    """The statements of a migration script (a trigger's body holds semicolons too)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""
    if pending.strip(" \n;"):
        yield pending


def _typed_facts(db: sqlite3.Connection) -> None:
    """7: typed facts for findings, an opt-out for broker checks; old rows upgraded."""
    db.execute("ALTER TABLE findings ADD COLUMN facts TEXT")
    db.execute("ALTER TABLE checks ADD COLUMN opt_out TEXT")
    rows = db.execute("SELECT profile, id, checker, source, kind, matched FROM findings")
    for row in rows.fetchall():
        try:
            matched = json.loads(row[5])
        except ValueError:
            matched = {}
        facts = legacy_facts(row[2], row[3], row[4], matched if isinstance(matched, dict) else {})
        db.execute(
            "UPDATE findings SET facts = ? WHERE profile = ? AND id = ?",
            (encode(facts), row[0], row[1]),
        )
    # Before migration 7 only the brokers checker's sources were people-search sites.
    for (source,) in db.execute("SELECT DISTINCT source FROM checks WHERE checker = 'brokers'"):
        opt_out = BrokerOptOut(broker_id=source, broker_name=source, method="")
        db.execute(
            "UPDATE checks SET opt_out = ? WHERE checker = 'brokers' AND source = ?",
            (encode(opt_out), source),
        )


MIGRATIONS: tuple[Migration, ...] = (*_SQL_MIGRATIONS, _typed_facts)

_FACTS = msgspec.json.Decoder(FindingFacts)
_OPT_OUT = msgspec.json.Decoder(BrokerOptOut)


def encode(value: FindingFacts | BrokerOptOut) -> str:
    return msgspec.json.encode(value).decode("utf-8")


def decode_facts(text: str | None) -> FindingFacts:
    """A row's facts; an unreadable value (another tool wrote it) reads as none."""
    if not text:
        return FindingFacts()
    try:
        return _FACTS.decode(text)
    except msgspec.DecodeError:
        return FindingFacts()


def decode_opt_out(text: str | None) -> BrokerOptOut | None:
    if not text:
        return None
    try:
        return _OPT_OUT.decode(text)
    except msgspec.DecodeError:
        return None


def _text(m: Mapping[str, Any], key: str) -> str:
    value = m.get(key)
    return str(value) if value is not None else ""


def _legacy_exposes(m: Mapping[str, Any]) -> frozenset[Exposes]:
    out = {Exposes(x) for x in m.get("exposes") or () if x in set(Exposes)}
    for keys, what in (
        (("address", "home_address", "addresses"), Exposes.HOME_ADDRESS),
        (("phone", "phones"), Exposes.PHONE),
        (("email", "emails"), Exposes.EMAIL),
        (("age",), Exposes.AGE),
        (("relatives",), Exposes.RELATIVES),
        (("username",), Exposes.USERNAME),
    ):
        if any(m.get(k) for k in keys):
            out.add(what)
    return frozenset(out)


def _legacy_remedy(checker: str, source: str, kind: str, m: Mapping[str, Any]) -> Remedy | None:
    if kind == FindingKind.ACCOUNT and "own" in m:
        site = _text(m, "site") or source
        variant = bool(m.get("variant"))
        return AccountAction(site, _text(m, "username"), _text(m, "category"), variant)
    if kind == FindingKind.BREACH:
        classes = tuple(str(c) for c in m.get("data_classes") or ())
        return ChangePassword(
            breach=_text(m, "breach") or source,
            title=_text(m, "title"),
            date=_text(m, "breach_date"),
            domain=_text(m, "domain"),
            email=_text(m, "email"),
            data_classes=classes,
        )
    entry = m.get("catalogue_entry")
    if isinstance(entry, dict) and entry.get("catalogue") == "brokers" and entry.get("id"):
        return BrokerOptOut(broker_id=str(entry["id"]), broker_name=_text(entry, "name"), method="")
    if isinstance(entry, str) and entry:
        return BrokerOptOut(broker_id=entry, broker_name=entry, method="")
    if kind == FindingKind.PASSWORD:
        seen = m.get("count") or m.get("seen") or m.get("pwned_count") or 0
        breached = bool(m.get("breached")) or (isinstance(seen, int) and seen > 0)
        return ReplacePassword(breached, str(seen) if breached else "")
    if kind in (FindingKind.PERSON_RECORD, FindingKind.LINKED_RECORD) or checker == "brokers":
        info = m.get("opt_out")
        if not isinstance(info, dict):
            return None
        days = info.get("days")
        return BrokerOptOut(
            broker_id=_text(m, "broker_id") or source,
            broker_name=_text(m, "broker_name") or source,
            url=_text(info, "url"),
            method=_text(info, "method") if "method" in info else "web-form",
            requires=tuple(str(r) for r in info.get("requires") or ()),
            days=days if isinstance(days, int) else None,
            notes=_text(info, "notes"),
            email=_text(info, "email"),
            relists=bool(info.get("relists")),
        )
    return AskToRemove(_text(m, "domain") or source, "rdap" if checker == "rdap" else "")


def legacy_facts(checker: str, source: str, kind: str, m: Mapping[str, Any]) -> FindingFacts:
    """The typed facts of a finding stored before migration 7, from its ``matched`` keys."""
    whose = None
    if kind == FindingKind.ACCOUNT and "own" in m:
        whose = Whose.OWN if m["own"] else Whose.UNKNOWN
    child = ChildNotes(_text(m, "school"), _text(m, "town"), bool(m.get("child_platform")))
    return FindingFacts(
        exposes=_legacy_exposes(m),
        whose=whose,
        severity=Severity.HIGH if m.get("severity") == "high" else Severity.NORMAL,
        remedy=_legacy_remedy(checker, source, kind, m),
        child=child if child != ChildNotes() else None,
    )
