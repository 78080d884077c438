"""The case-file ZIP's manifest, as ``exposure evidence verify`` reads it.

The manifest is the evidence pack's (``captures`` rows, each checked against
``captures/<sha256>``) plus ``files``: every other member (the PDF, the
screenshots, the attachments) with its SHA-256. :func:`listed_files` gives
verify those names to check, after refusing any name that is not one a case
file can hold, so a tampered manifest cannot point it at something else.
"""

from __future__ import annotations

import re
from typing import Any

FORMAT = "exposure-casefile/1"
PDF_NAME = "case.pdf"
_NAME = re.compile(r"^(case\.pdf|screenshots/[0-9a-f]{64}\.png|attachments/[0-9a-f]{64})$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def is_casefile(manifest: dict[str, Any]) -> bool:
    return manifest.get("format") == FORMAT


def listed_files(manifest: dict[str, Any], problems: list[str]) -> dict[str, str]:
    """member name -> expected SHA-256 for the non-capture files; odd entries go to problems."""
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        problems.append("manifest.json: the case file lists no files")
        return {}
    out: dict[str, str] = {}
    for name, sha in listed.items():
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append("manifest.json: lists a file name a case file cannot hold")
            continue
        if not isinstance(sha, str) or not _HEX64.match(sha):
            problems.append(f"manifest.json: {name} has no valid sha256")
            continue
        out[name] = sha
    if PDF_NAME not in out:
        problems.append(f"manifest.json: {PDF_NAME} is not listed")
    return out
