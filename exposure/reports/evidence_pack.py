"""The evidence locker: export every capture of a profile as a verifiable zip.

A pack holds ``captures/<sha256>.<ext>`` (each capture's bytes exactly as
fetched; the extension says its type, :func:`capture_extension`),
``manifest.json`` and ``manifest.csv`` (one row per capture: finding id,
source, kind, URL, final URL, capture time, SHA-256, size), ``requests.json``
(every removal request drafted or sent, with its text and dates:
:mod:`exposure.reports.request_pack`) and a readable ``index.html``.
``manifest.json`` also lists the SHA-256 of ``manifest.csv``, ``requests.json``
and ``index.html``, so :func:`verify_pack` checks every file.

A capture whose file is gone from the locker (or no longer matches its hash)
is never left out silently: export names each one and writes nothing
(:class:`MissingCaptures`, exit 1) unless it is allowed to; then the
manifest's ``missing`` lists them, and :func:`verify_pack` reports them.

Safety: member names are built from hex digests only when writing. When
verifying, nothing is extracted to disk: the zip's end record is read first
and an index that declares too many entries or bytes is refused before
:mod:`zipfile` parses it (:func:`check_index`); members are read in memory, in
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
import struct
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

from exposure.errors import ExposureError, UsageError
from exposure.model import iso, utcnow
from exposure.reports import check_output
from exposure.reports.capture_types import capture_extension
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
MAX_DIRECTORY = 32 * 1024 * 1024  # the zip index (central directory) of MAX_MEMBERS entries
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CAPTURE_FILE = re.compile(r"^captures/([0-9a-f]{64})(?:\.[a-z0-9]{1,5})?$")


class PackError(UsageError):
    """The file is not a usable evidence pack (not a zip, no manifest...): exit 2."""


@dataclass(frozen=True)
class MissingCapture:
    """A capture the store records whose file could not be put in the pack."""

    sha256: str
    finding_id: str
    url: str
    captured_at: str
    why: str  # "is missing from the evidence folder", "no longer matches its hash on disk"...

    def line(self) -> str:
        return clean(
            f"capture {self.sha256} of finding {self.finding_id} ({self.url}) {self.why}",
            limit=500,
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "sha256": self.sha256,
            "finding_id": self.finding_id,
            "url": self.url,
            "captured_at": self.captured_at,
            "why": self.why,
        }


class MissingCaptures(ExposureError):
    """Export refused: captures are missing from the locker (exit 1); nothing was written."""

    def __init__(self, missing: list[MissingCapture]) -> None:
        self.missing = missing
        super().__init__(
            f"{len(missing)} capture(s) missing from the evidence folder, no pack written; "
            "--allow-missing writes it without them (its manifest lists them)"
        )


@dataclass
class ExportResult:
    path: Path
    captures: int  # manifest rows
    files: int  # distinct capture files
    missing: list[MissingCapture] = field(default_factory=list)  # left out, in the manifest

    @property
    def problems(self) -> list[str]:
        return [m.line() for m in self.missing]


@dataclass
class VerifyResult:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # captures the manifest says were left out

    @property
    def ok(self) -> bool:
        return not self.problems and not self.missing


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


def export_pack(
    store: Store, profile: str, output: Path, *, allow_missing: bool = False
) -> ExportResult:
    """Write the pack to ``output`` (0600). A missing folder is a UsageError (exit 2).

    A capture that cannot be packed raises :class:`MissingCaptures` and writes
    nothing, unless ``allow_missing``: then the pack is written without it and
    its manifest lists it under ``missing``.
    """
    target = check_output(output)
    missing: list[MissingCapture] = []
    entries: list[dict[str, Any]] = []
    bodies: dict[str, bytes] = {}
    files: dict[str, str] = {}  # sha256 -> member name
    refused: dict[str, str] = {}  # sha256 -> why
    for row in capture_rows(store, profile):
        sha = str(row["sha256"])
        why = refused.get(sha, "")
        if not why and not _HEX64.match(sha):
            why = "has a malformed hash"
        if not why and sha not in bodies:
            where = _inside(store.evidence_dir, str(row["path"]))
            hashed = _hash_file(where, store.path.parent) if where is not None else None
            if hashed is None:
                why = "is missing from the evidence folder"
            elif hashed[0] != sha:
                why = "no longer matches its hash on disk"
            else:
                bodies[sha] = hashed[1]
                ext = capture_extension(str(row.get("content_type") or ""), hashed[1])
                files[sha] = f"captures/{sha}.{ext}"
        if why:
            refused[sha] = why
            missing.append(
                MissingCapture(
                    sha256=clean(sha, limit=80),
                    finding_id=str(row["finding_id"]),
                    url=str(row["url"] or ""),
                    captured_at=str(row["captured_at"] or ""),
                    why=why,
                )
            )
            continue
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
                "file": files[sha],
                "method": row.get("method") or "fetched",
            }
        )
    if missing and not allow_missing:
        raise MissingCaptures(missing)
    csv_text = _manifest_csv(entries)
    asked = request_entries(store, profile)
    requests = requests_json(asked)
    index = _index_html(profile, entries, missing, requests_html(asked))
    manifest = {
        "format": FORMAT,
        "profile": profile,
        "exported_at": iso(utcnow()),
        "captures": entries,
        "missing": [m.to_dict() for m in missing],
        "files": {
            CSV_NAME: hashlib.sha256(csv_text.encode("utf-8")).hexdigest(),
            INDEX: hashlib.sha256(index.encode("utf-8")).hexdigest(),
            REQUESTS: hashlib.sha256(requests).hexdigest(),
        },
    }
    members: list[tuple[str, bytes]] = [(files[sha], body) for sha, body in bodies.items()]
    members += [
        (MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")),
        (CSV_NAME, csv_text.encode("utf-8")),
        (INDEX, index.encode("utf-8")),
        (REQUESTS, requests),
    ]
    _write_zip(target, members)
    return ExportResult(target, len(entries), len(bodies), missing)


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


_INDEX_STYLE = (
    "body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;font-size:.9rem}"
)


def _index_html(
    profile: str,
    entries: list[dict[str, Any]],
    missing: list[MissingCapture],
    requests: str = "",
) -> str:
    from exposure.reports.html import head, link, t

    rows = []
    for e in entries:
        rows.append(
            f"<tr><td>{t(e['captured_at'])}<br>{t(e['method'])}</td><td>{t(e['source'])}</td>"
            f"<td>{t(e['kind'])}</td>"
            f"<td>{link(e['url'])}<br>{link(e['final_url'])}</td>"
            f'<td><a href="{escape(e["file"])}">{escape(e["sha256"])}</a></td>'
            f"<td>{int(e['size'])}</td></tr>"
        )
    body = "\n".join(rows) or '<tr><td colspan="6">No captures.</td></tr>'
    gaps = ""
    if missing:
        gaps = (
            f"<h2>Missing at export ({len(missing)})</h2><p>The store records these captures, "
            "but their files were not in the evidence folder as captured, so they are not in "
            "this pack.</p><ul>" + "".join(f"<li>{t(m.line())}</li>" for m in missing) + "</ul>"
        )
    return (
        head(f"Evidence — {profile}", _INDEX_STYLE)
        + f"<h1>Evidence for {t(profile)}</h1><p>Each capture is the page or answer exactly as "
        "fetched, named by its SHA-256 (in <code>captures/</code>, with an extension for its "
        "type); the time is when it was fetched (UTC). Check the pack with "
        "<code>exposure evidence verify</code>.</p>"
        "<table><thead><tr><th>Captured (UTC)</th><th>Source</th><th>Kind</th>"
        "<th>URL / final URL</th><th>SHA-256</th><th>Bytes</th></tr></thead><tbody>\n"
        f"{body}\n</tbody></table>{gaps}{requests}</body></html>\n"
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


_END = struct.Struct("<4s4H2LH")  # end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


def check_index(path: Path, fh: BinaryIO) -> None:
    """Refuse a zip whose index declares more entries or bytes than a pack holds.

    Read from the end records (the ZIP64 one too, where :mod:`zipfile` reads
    it: just before its locator) before :mod:`zipfile` parses anything, so a
    huge central directory costs neither memory nor time. A file without an
    end record is left for :mod:`zipfile` to call not a zip.
    """
    size = fh.seek(0, os.SEEK_END)
    start = max(0, size - (_END.size + 0xFFFF))  # the record, then a comment of up to 64 KiB
    fh.seek(start)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        return
    _, _, _, _, entries, dir_size, dir_offset, _ = _END.unpack_from(tail, at)
    if entries == 0xFFFF or 0xFFFFFFFF in (dir_size, dir_offset):
        locator_at = start + at - _ZIP64_LOCATOR.size
        record_at = locator_at - _ZIP64_END.size
        if record_at >= 0:
            fh.seek(record_at)
            raw = fh.read(_ZIP64_END.size + _ZIP64_LOCATOR.size)
            if raw[_ZIP64_END.size : _ZIP64_END.size + 4] == b"PK\x06\x07" and raw[:4] == (
                b"PK\x06\x06"
            ):
                record = _ZIP64_END.unpack_from(raw)
                entries, dir_size = max(record[6], record[7]), record[8]
    if entries > MAX_MEMBERS:
        raise PackError(
            f"{path}: its zip index declares {entries} entries, more than an evidence pack "
            f"holds ({MAX_MEMBERS}); not read"
        )
    if dir_size > min(MAX_DIRECTORY, size):
        over = "more than the file holds" if dir_size > size else f"over {MAX_DIRECTORY}"
        raise PackError(f"{path}: its zip index declares {dir_size} bytes, {over}; not read")
    fh.seek(0)


def verify_pack(path: Path) -> VerifyResult:
    """Recompute every hash in the pack. Unusable packs raise :class:`PackError`."""
    if not path.is_file():
        raise PackError(f"{path}: no such file")
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise PackError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with fh:
        check_index(path, fh)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError) as exc:
            raise PackError(f"{path}: not a zip file ({exc})") from None
        with zf:
            return _verify(path, zf)


def _verify(path: Path, zf: zipfile.ZipFile) -> VerifyResult:
    result = VerifyResult()
    budget = [MAX_TOTAL]
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
    expected = _capture_files(manifest["captures"], result.problems)
    listed = manifest.get("files")
    files: dict[str, Any] = listed if isinstance(listed, dict) else {}
    for name in (CSV_NAME, INDEX, REQUESTS):
        if isinstance(files.get(name), str):
            expected[name] = files[name]
    expected.update(_casefile_files(manifest, result.problems))
    result.missing = _recorded_gaps(manifest)
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


def _capture_files(entries: list[Any], problems: list[str]) -> dict[str, str]:
    """member name -> SHA-256 for the manifest's captures; odd entries go to problems.

    A capture's file is ``captures/<its sha256>`` with an optional extension
    (``file``; packs from before extensions have none): a manifest cannot
    point a capture at another member.
    """
    out: dict[str, str] = {}
    for entry in entries:
        sha = str(entry.get("sha256", "")) if isinstance(entry, dict) else ""
        if not _HEX64.match(sha):
            problems.append(f"{MANIFEST}: an entry has no valid sha256")
            continue
        assert isinstance(entry, dict)
        name = entry.get("file", f"captures/{sha}")
        named = _CAPTURE_FILE.match(name) if isinstance(name, str) else None
        if named is None or named.group(1) != sha:
            problems.append(f"{MANIFEST}: capture {sha} names a file a pack cannot hold")
            continue
        out[name] = sha
    return out


def _recorded_gaps(manifest: dict[str, Any]) -> list[str]:
    """What the manifest says was left out at export: ``missing`` captures, ``problems``."""
    out: list[str] = []
    missing = manifest.get("missing")
    for gap in missing if isinstance(missing, list) else []:
        if isinstance(gap, dict):
            sha, fid = gap.get("sha256", "?"), gap.get("finding_id", "?")
            url, why = gap.get("url", ""), gap.get("why", "was missing")
            out.append(clean(f"capture {sha} of finding {fid} ({url}) {why}", limit=500))
        else:
            out.append(f"{MANIFEST}: a missing capture it cannot describe")
    problems = manifest.get("problems")  # case files, and packs from before `missing`
    for problem in problems if isinstance(problems, list) else []:
        out.append(clean(problem, limit=500))
    return out


def _casefile_files(manifest: dict[str, Any], problems: list[str]) -> dict[str, str]:
    """A case-file ZIP (exposure/casefile) also lists its PDF, screenshots and attachments."""
    from exposure.casefile.manifest import is_casefile, listed_files

    return listed_files(manifest, problems) if is_casefile(manifest) else {}


def describe(result: VerifyResult) -> str:
    """Human lines for a verification (problems first, then what export left out)."""
    if result.ok:
        return f"OK: {result.checked} file(s) match their SHA-256"
    if result.problems:
        lines = [f"FAILED: {len(result.problems)} problem(s), {result.checked} file(s) checked"]
        lines += [f"  {p}" for p in result.problems]
    else:
        lines = [
            f"INCOMPLETE: {result.checked} file(s) match their SHA-256, but the pack lacks "
            f"{len(result.missing)} capture(s) that were missing at export"
        ]
    if result.missing:
        lines.append(f"  missing at export ({len(result.missing)}):")
        lines += [f"  {m}" for m in result.missing]
    return "\n".join(lines)
