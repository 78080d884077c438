"""``casefile export``: the case file as a PDF, or a ZIP with the PDF and every file.

The PDF is printed by the system Chromium from the HTML of
:mod:`exposure.casefile.document` (one renderer for screenshots and print).
The ZIP holds ``case.pdf``, ``captures/<sha256>`` (each capture as fetched),
``screenshots/<sha256>.png``, ``attachments/<sha256>`` and ``manifest.json``
(format ``exposure-casefile/1``, a superset of the evidence pack's), which
``exposure evidence verify`` checks file by file. A redacted export leaves
out the captures and screenshots (listed by hash as withheld).

Each export's own SHA-256, size and date are recorded in the store
(``casefile_exports``), so a copy handed over can be checked later
(:func:`exports`, :func:`match`).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure.casefile.locker import read_evidence
from exposure.casefile.manifest import FORMAT, PDF_NAME
from exposure.casefile.redact import Redactor
from exposure.engine import rows as col
from exposure.engine.store_errors import reading
from exposure.errors import ExposureError, UsageError
from exposure.model import Profile, iso, utcnow
from exposure.reports import check_output, write_private_file

if TYPE_CHECKING:
    from exposure.casefile.timeline import CaseData
    from exposure.engine.store import Store
    from exposure.reports.headless import Browser

FORMATS = ("pdf", "zip")


class CaseFileError(ExposureError):
    """The case file could not be printed (the browser failed): exit 1."""


@dataclass(frozen=True)
class ExportRecord:
    id: int
    profile: str
    path: str
    format: str
    sha256: str
    size: int
    redacted: tuple[str, ...]
    exported_at: datetime


@dataclass
class ExportResult:
    record: ExportRecord
    incidents: int
    findings: int
    screenshots_failed: int = 0
    problems: list[str] = field(default_factory=list)  # files left out (missing or altered)


def output_format(output: Path) -> str:
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"--output {output}: the case file is written as .pdf or .zip")
    return fmt


def _version() -> str:
    try:
        return version("exposure")
    except Exception:
        return "0"


def print_pdf(
    html: str, *, profile_id: str, generated: str, renderer: Browser, deadline: float
) -> bytes:
    from exposure.casefile.document import footer
    from exposure.reports.headless import ORIGIN, RenderFailed, Resource
    from exposure.reports.html import CSP

    entry = f"{ORIGIN}/case"
    try:
        done = renderer.render(
            {entry: Resource(html.encode("utf-8"), csp=CSP)},
            entry,
            kind="pdf",
            deadline=deadline,
            pdf_footer=footer(profile_id, generated),
        )
    except RenderFailed as exc:
        raise CaseFileError(f"the case file could not be printed: {exc}") from None
    return done.data


def _zip(data: CaseData, store: Store, pdf: bytes, redactor: Redactor) -> tuple[bytes, list[str]]:
    problems: list[str] = []
    members: dict[str, bytes] = {PDF_NAME: pdf}
    captures: list[dict[str, Any]] = []
    withheld: list[dict[str, Any]] = []
    shots: list[dict[str, Any]] = []
    by_finding = {e.finding.id: e.finding for e in data.findings}
    for ref in data.captures:
        finding = by_finding.get(ref.finding_id)
        row = {
            "finding_id": ref.finding_id,
            "source": finding.source if finding else "",
            "kind": finding.kind.value if finding else "",
            "url": redactor.apply(ref.url),
            "final_url": redactor.apply(ref.final_url),
            "captured_at": ref.captured_at,
            "sha256": ref.sha256,
        }
        if redactor.active:
            withheld.append(row)
            continue
        body = read_evidence(store, ref.path, ref.sha256)
        if body is None:
            problems.append(f"capture {ref.sha256} is missing or altered in the locker, left out")
            continue
        members[f"captures/{ref.sha256}"] = body
        captures.append({**row, "size": len(body), "file": f"captures/{ref.sha256}"})
        shot = data.shots.get(ref.capture_id)
        if shot is not None and shot.sha256:
            png = read_evidence(store, f"{shot.sha256[:2]}/{shot.sha256}", shot.sha256)
            if png is None:
                problems.append(f"screenshot {shot.sha256} is missing or altered, left out")
            else:
                name = f"screenshots/{shot.sha256}.png"
                members[name] = png
                shots.append({"capture": ref.sha256, "sha256": shot.sha256, "file": name})
    attachments: list[dict[str, Any]] = []
    for incident in data.incidents:
        for a in incident.attachments:
            body = read_evidence(store, a.path, a.sha256)
            if body is None:
                problems.append(f"attachment {a.sha256} ({a.name}) is missing or altered, left out")
                continue
            name = f"attachments/{a.sha256}"
            members[name] = body
            attachments.append(
                {
                    "incident": incident.id,
                    "name": redactor.apply(a.name),
                    "sha256": a.sha256,
                    "size": a.size,
                    "added_at": iso(a.added_at),
                    "file": name,
                }
            )
    manifest = {
        "format": FORMAT,
        "profile": data.profile.id,
        "exported_at": iso(data.generated_at),
        "redacted": list(redactor.fields),
        "captures": captures,
        "withheld_captures": withheld,
        "screenshots": shots,
        "attachments": attachments,
        "files": {
            name: hashlib.sha256(body).hexdigest()
            for name, body in members.items()
            if not name.startswith("captures/")
        },
        "problems": problems,
    }
    buf = io.BytesIO()
    stamp = data.generated_at.timetuple()[:6]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in [*members.items(), ("manifest.json", _json(manifest))]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            zf.writestr(info, body)
    return buf.getvalue(), problems


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def export_casefile(
    store: Store,
    profile: Profile,
    output: Path,
    *,
    threshold: float,
    redact: tuple[str, ...] = (),
    guardian: Profile | None = None,
    browser: str | Path | None = None,
    deadline: float = 30.0,
) -> ExportResult:
    """Write the case file to ``output`` (.pdf or .zip, 0600) and record its hash."""
    from exposure.casefile.document import render_html
    from exposure.casefile.timeline import gather
    from exposure.reports.headless import Browser
    from exposure.reports.screenshot import ScreenshotStatus, shoot_profile

    fmt = output_format(output)
    target = check_output(output)
    redactor = Redactor.for_profile(profile, redact)
    failed = 0
    with Browser(browser) as renderer:  # none: one line, before any work
        if not redactor.active:  # screenshots are left out of a redacted copy
            made = shoot_profile(store, profile.id, deadline=deadline, renderer=renderer)
            failed = sum(1 for s in made if s.status is not ScreenshotStatus.OK)
        data = gather(store, profile, threshold=threshold, guardian=guardian)
        html = render_html(
            data,
            redactor=redactor,
            read_png=lambda sha: read_evidence(store, f"{sha[:2]}/{sha}", sha),
            version=_version(),
        )
        pdf = print_pdf(
            html,
            profile_id=profile.id,
            generated=iso(data.generated_at) or "",
            renderer=renderer,
            deadline=max(deadline * 4, 60.0),
        )
    problems: list[str] = []
    if fmt == "pdf":
        body = pdf
    else:
        body, problems = _zip(data, store, pdf, redactor)
    write_private_file(target, body)
    record = _record(store, profile.id, target, fmt, body, redactor.fields)
    return ExportResult(record, len(data.incidents), len(data.findings), failed, problems)


def _record(
    store: Store, profile: str, target: Path, fmt: str, body: bytes, redacted: tuple[str, ...]
) -> ExportRecord:
    now = utcnow()
    sha = hashlib.sha256(body).hexdigest()
    with store.batch():
        cur = store.db.execute(
            "INSERT INTO casefile_exports (profile, path, format, sha256, size, redacted,"
            " exported_at) VALUES (?,?,?,?,?,?,?)",
            (profile, str(target.resolve()), fmt, sha, len(body), json.dumps(redacted), iso(now)),
        )
    assert cur.lastrowid is not None
    return ExportRecord(
        cur.lastrowid, profile, str(target.resolve()), fmt, sha, len(body), redacted, now
    )


def exports(store: Store, profile: str | None = None) -> list[ExportRecord]:
    """Recorded exports (of one profile, or all), oldest first."""
    sql = "SELECT * FROM casefile_exports"
    args: tuple[object, ...] = ()
    if profile is not None:
        sql += " WHERE profile = ?"
        args = (profile,)
    return [_export_record(store.path, r) for r in store.query(sql + " ORDER BY id", args)]


def _export_record(database: Path, r: sqlite3.Row) -> ExportRecord:
    with reading(database, "casefile_exports", f"id {r['id']}"):
        return ExportRecord(
            id=col.integer(r, "id") or 0,
            profile=col.required(r, "profile"),
            path=col.text(r, "path"),
            format=col.choice(r, "format", FORMATS),
            sha256=col.text(r, "sha256"),
            size=col.integer(r, "size", optional=True) or 0,
            redacted=tuple(col.strings(r, "redacted")),
            exported_at=col.time(r, "exported_at") or utcnow(),
        )


def match(store: Store, file: Path) -> list[ExportRecord]:
    """The recorded exports whose SHA-256 is that of ``file`` (empty: not one of ours)."""
    try:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
    return [r for r in exports(store) if r.sha256 == digest]
