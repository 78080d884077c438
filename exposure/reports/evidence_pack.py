"""The evidence locker: export every capture of a profile as a verifiable zip.

A pack holds ``captures/<sha256>`` (each capture's bytes exactly as fetched),
``manifest.json`` and ``manifest.csv`` (one row per capture: finding id,
source, kind, URL, final URL, capture time, SHA-256, size), ``requests.json``
(every removal request drafted or sent, with its text and dates:
:mod:`exposure.reports.request_pack`) and a readable ``index.html``.
``manifest.json`` also lists the SHA-256 of ``manifest.csv``, ``requests.json``
and ``index.html``, so :func:`verify_pack` checks every file.

Safety: member names are built from hex digests only when writing. When
verifying, nothing is extracted to disk: members are read in memory, in
chunks, with size limits (a zip bomb is stopped as it inflates), and any name
that is absolute, contains ``..`` or a backslash, is a symlink, or appears
twice is reported as a problem.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from exposure.errors import UsageError
from exposure.model import iso, utcnow
from exposure.reports import check_output
from exposure.reports.request_pack import REQUESTS, request_entries, requests_html, requests_json
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.engine.store import Store

FORMAT = "exposure-evidence/1"
MANIFEST = "manifest.json"
CSV_NAME = "manifest.csv"
INDEX = "index.html"
CSV_FIELDS = (
    "finding_id",
    "source",
    "kind",
    "url",
    "final_url",
    "captured_at",
    "sha256",
    "size",
    "file",
    "method",
)
MAX_MEMBER = 64 * 1024 * 1024  # captures are capped at a few MiB when fetched
MAX_MANIFEST = 256 * 1024 * 1024
MAX_TOTAL = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 200_000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class PackError(UsageError):
    """The file is not a usable evidence pack (not a zip, no manifest...): exit 2."""


@dataclass
class ExportResult:
    path: Path
    captures: int  # manifest rows
    files: int  # distinct capture files
    problems: list[str] = field(default_factory=list)  # stored files missing or altered


@dataclass
class VerifyResult:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------- export


def capture_rows(store: Store, profile: str) -> list[dict[str, Any]]:
    """Every capture of the profile's findings, oldest first (the locker keeps them all)."""
    return store.captures(profile)


def _hash_file(path: Path, home: Path) -> tuple[str, bytes] | None:
    from exposure.engine import vault

    try:
        body = vault.read_blob(path, home=home)
    except (OSError, vault.SealedFileDamaged):
        return None
    return hashlib.sha256(body).hexdigest(), body


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` when it is a regular file really inside ``folder``, else None.

    The stored path comes from the database: a tampered row ("../../x") or a
    symlink planted in the locker must not put a file from elsewhere in a pack.
    """
    path = folder / relative
    try:
        real = path.resolve(strict=True)
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if path.is_symlink() or not real.is_relative_to(root) or not real.is_file():
        return None
    return real


def export_pack(store: Store, profile: str, output: Path) -> ExportResult:
    """Write the pack to ``output`` (0600). A missing folder is a UsageError (exit 2)."""
    target = check_output(output)
    problems: list[str] = []
    entries: list[dict[str, Any]] = []
    bodies: dict[str, bytes] = {}
    refused: set[str] = set()
    for row in capture_rows(store, profile):
        sha = str(row["sha256"])
        if not _HEX64.match(sha):
            problems.append(f"capture of {row['finding_id']} has a malformed hash, left out")
            continue
        if sha in refused:
            continue
        if sha not in bodies:
            where = _inside(store.evidence_dir, str(row["path"]))
            hashed = _hash_file(where, store.path.parent) if where is not None else None
            if hashed is None or hashed[0] != sha:
                refused.add(sha)
                why = (
                    "is missing from the evidence folder"
                    if hashed is None
                    else ("no longer matches its hash on disk")
                )
                problems.append(f"capture {sha} {why}, left out")
                continue
            bodies[sha] = hashed[1]
        entries.append(
            {
                "finding_id": row["finding_id"],
                "checker": row["checker"] or "",
                "source": row["source"] or "",
                "kind": row["kind"] or "",
                "title": row["title"] or "",
                "url": row["url"],
                "final_url": row["final_url"],
                "captured_at": row["captured_at"],
                "sha256": sha,
                "size": len(bodies[sha]),
                "file": f"captures/{sha}",
                "method": row.get("method") or "fetched",
            }
        )
    csv_text = _manifest_csv(entries)
    asked = request_entries(store, profile)
    requests = requests_json(asked)
    index = _index_html(profile, entries, requests_html(asked))
    manifest = {
        "format": FORMAT,
        "profile": profile,
        "exported_at": iso(utcnow()),
        "captures": entries,
        "files": {
            CSV_NAME: hashlib.sha256(csv_text.encode("utf-8")).hexdigest(),
            INDEX: hashlib.sha256(index.encode("utf-8")).hexdigest(),
            REQUESTS: hashlib.sha256(requests).hexdigest(),
        },
        "problems": problems,
    }
    members: list[tuple[str, bytes]] = [(f"captures/{sha}", body) for sha, body in bodies.items()]
    members += [
        (MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")),
        (CSV_NAME, csv_text.encode("utf-8")),
        (INDEX, index.encode("utf-8")),
        (REQUESTS, requests),
    ]
    _write_zip(target, members)
    return ExportResult(target, len(entries), len(bodies), problems)


def _write_zip(target: Path, members: list[tuple[str, bytes]]) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in members:
                info = zipfile.ZipInfo(name, date_time=utcnow().timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | 0o600) << 16
                zf.writestr(info, body)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


def _csv_cell(value: object) -> str:
    text = clean(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _manifest_csv(entries: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for e in entries:
        writer.writerow([_csv_cell(e[k]) for k in CSV_FIELDS])
    return buf.getvalue()


def _index_html(profile: str, entries: list[dict[str, Any]], requests: str = "") -> str:
    from exposure.reports.html import CSP, link, t

    rows = []
    for e in entries:
        rows.append(
            f"<tr><td>{t(e['captured_at'])}<br>{t(e['method'])}</td><td>{t(e['source'])}</td>"
            f"<td>{t(e['kind'])}</td>"
            f"<td>{link(e['url'])}<br>{link(e['final_url'])}</td>"
            f'<td><a href="captures/{escape(e["sha256"])}">{escape(e["sha256"])}</a></td>'
            f"<td>{int(e['size'])}</td></tr>"
        )
    body = "\n".join(rows) or '<tr><td colspan="6">No captures.</td></tr>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>Evidence — {t(profile)}</title><style>body{{font-family:sans-serif;"
        "margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:.3rem .5rem;vertical-align:top;font-size:.9rem}</style></head><body>"
        f"<h1>Evidence for {t(profile)}</h1><p>Each capture is the page or answer exactly as "
        "fetched, named by its SHA-256 (in <code>captures/</code>); the time is when it was "
        "fetched (UTC). Check the pack with <code>exposure evidence verify</code>.</p>"
        "<table><thead><tr><th>Captured (UTC)</th><th>Source</th><th>Kind</th>"
        "<th>URL / final URL</th><th>SHA-256</th><th>Bytes</th></tr></thead><tbody>\n"
        f"{body}\n</tbody></table>{requests}</body></html>\n"
    )


# --------------------------------------------------------------------------- verify


def unsafe_name(info: zipfile.ZipInfo) -> str | None:
    """Why a member name or type is unsafe, or None."""
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if "\\" in name or "\x00" in name:
        return "has a backslash or NUL in its name"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "has an absolute name"
    if ".." in PurePosixPath(name).parts:
        return "has '..' in its name"
    return None


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int], limit: int | None = None
) -> bytes:
    """A member's bytes, stopping as soon as it inflates past its limits."""
    limit = MAX_MEMBER if limit is None else limit
    if info.file_size > limit:
        raise ValueError(f"declares {info.file_size} bytes (over the {limit} limit)")
    chunks: list[bytes] = []
    size = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1024 * 1024)
            if not chunk:
                break
            size += len(chunk)
            budget[0] -= len(chunk)
            if size > limit or size > info.file_size or budget[0] < 0:
                raise ValueError("inflates past its declared size or the size limit")
            chunks.append(chunk)
    return b"".join(chunks)


def verify_pack(path: Path) -> VerifyResult:
    """Recompute every hash in the pack. Unusable packs raise :class:`PackError`."""
    if not path.is_file():
        raise PackError(f"{path}: no such file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackError(f"{path}: not a zip file ({exc})") from None
    result = VerifyResult()
    budget = [MAX_TOTAL]
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise PackError(f"{path}: {len(infos)} members, more than an evidence pack holds")
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            why = unsafe_name(info)
            if why:
                result.problems.append(f"{clean(info.filename, limit=200)}: {why}")
                continue
            if info.filename in by_name:
                result.problems.append(f"{clean(info.filename, limit=200)}: appears twice")
                continue
            by_name[info.filename] = info
        if MANIFEST not in by_name:
            raise PackError(f"{path}: no {MANIFEST} in it: not an exposure evidence pack")
        try:
            manifest = json.loads(_read_member(zf, by_name[MANIFEST], budget, MAX_MANIFEST))
        except (ValueError, zipfile.BadZipFile, RuntimeError) as exc:
            raise PackError(f"{path}: {MANIFEST} is unreadable ({exc})") from None
        if not isinstance(manifest, dict) or not isinstance(manifest.get("captures"), list):
            raise PackError(f"{path}: {MANIFEST} is not an exposure evidence manifest")
        expected: dict[str, str] = {}
        for entry in manifest["captures"]:
            sha = str(entry.get("sha256", "")) if isinstance(entry, dict) else ""
            if not _HEX64.match(sha):
                result.problems.append(f"{MANIFEST}: an entry has no valid sha256")
                continue
            expected[f"captures/{sha}"] = sha
        listed = manifest.get("files")
        files: dict[str, Any] = listed if isinstance(listed, dict) else {}
        for name in (CSV_NAME, INDEX, REQUESTS):
            if isinstance(files.get(name), str):
                expected[name] = files[name]
        expected.update(_casefile_files(manifest, result.problems))
        for name, sha in expected.items():
            member = by_name.get(name)
            if member is None:
                result.problems.append(f"{name}: missing from the pack")
                continue
            try:
                body = _read_member(zf, member, budget)
            except (ValueError, zipfile.BadZipFile, RuntimeError, OSError) as exc:
                result.problems.append(f"{name}: unreadable ({clean(exc, limit=200)})")
                continue
            result.checked += 1
            if hashlib.sha256(body).hexdigest() != sha:
                result.problems.append(f"{name}: SHA-256 does not match the manifest")
        for name in by_name:
            if name != MANIFEST and name not in expected:
                result.problems.append(f"{clean(name, limit=200)}: not listed in the manifest")
    return result


def _casefile_files(manifest: dict[str, Any], problems: list[str]) -> dict[str, str]:
    """A case-file ZIP (exposure/casefile) also lists its PDF, screenshots and attachments."""
    from exposure.casefile.manifest import is_casefile, listed_files

    return listed_files(manifest, problems) if is_casefile(manifest) else {}


def describe(result: VerifyResult) -> str:
    """Human lines for a verification (problems first)."""
    if result.ok:
        return f"OK: {result.checked} file(s) match their SHA-256"
    lines = [f"FAILED: {len(result.problems)} problem(s), {result.checked} file(s) checked"]
    lines += [f"  {p}" for p in result.problems]
    return "\n".join(lines)
