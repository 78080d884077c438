"""The store's rows read back as model objects (every column through engine/rows.py).

An odd column is :class:`~exposure.engine.store_errors.DamagedRow`, naming
the database, table and row; a coverage written by nothing we know is "not
recorded", a capture method from a newer exposure the least we can say.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from exposure.engine import rows as col
from exposure.engine.schema import decode_facts, decode_opt_out
from exposure.engine.store_errors import reading
from exposure.model import (
    CaptureMethod,
    Check,
    Coverage,
    Evidence,
    Finding,
    FindingKind,
    Outcome,
    ScanSummary,
    utcnow,
)


def coverage_of(text: object) -> Coverage | None:
    if not text:
        return None
    try:
        return Coverage.from_dict(json.loads(text))  # type: ignore[arg-type]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # unreadable: treated as not recorded


def capture_method(text: str | None) -> CaptureMethod:
    try:
        return CaptureMethod(text or CaptureMethod.FETCHED)
    except ValueError:  # written by a newer exposure: say the least
        return CaptureMethod.FETCHED


def scan(path: Path, r: sqlite3.Row) -> ScanSummary:
    with reading(path, "scans", f"id {r['id']}"):
        return ScanSummary(
            profile=col.required(r, "profile"),
            scan_id=col.integer(r, "id") or 0,
            started_at=col.time(r, "started_at") or utcnow(),
            finished_at=col.time(r, "finished_at", optional=True),
            state=col.required(r, "state"),
            coverage=coverage_of(r["coverage"]),
            score=col.number(r, "score", optional=True),
        )


def check(path: Path, r: sqlite3.Row) -> Check:
    with reading(path, "checks", f"id {r['id']}"):
        return Check(
            checker=col.required(r, "checker"),
            source=col.required(r, "source"),
            status=col.member(r, "status", Outcome),
            url=col.text(r, "url"),
            detail=col.text(r, "detail"),
            elapsed_ms=col.integer(r, "elapsed_ms", optional=True) or 0,
            opt_out=decode_opt_out(col.blob_text(r, "opt_out")),
        )


def finding(path: Path, row: sqlite3.Row, scan_id: int | None) -> Finding:
    with reading(path, "captures", f"of finding {row['id']}"):
        evidence = None
        if row["ev_sha"]:
            evidence = Evidence(
                sha256=col.text(row, "ev_sha"),
                captured_at=col.time(row, "ev_at", optional=True) or utcnow(),
                url=col.text(row, "ev_url"),
                final_url=col.text(row, "ev_final"),
                path=col.text(row, "ev_path"),
                method=capture_method(col.text(row, "ev_method")),
            )
    with reading(path, "findings", f"id {row['id']}"):
        facts = decode_facts(col.blob_text(row, "facts"))
        return Finding(
            checker=col.required(row, "checker"),
            source=col.text(row, "source"),
            kind=col.member(row, "kind", FindingKind),
            key=col.text(row, "key"),
            url=col.text(row, "url"),
            confidence=col.number(row, "confidence") or 0.0,
            reasons=col.strings(row, "reasons"),
            matched=col.mapping(row, "matched"),
            title=col.text(row, "title"),
            exposes=facts.exposes,
            whose=facts.whose,
            severity=facts.severity,
            remedy=facts.remedy,
            child=facts.child,
            id=col.required(row, "id"),
            new=scan_id is not None and col.integer(row, "first_scan") == scan_id,
            first_seen=col.time(row, "first_seen", optional=True),
            last_seen=col.time(row, "last_seen", optional=True),
            status=col.required(row, "status"),
            evidence=evidence,
        )
