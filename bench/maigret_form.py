"""The bench catalogue in Maigret's form, and Maigret's answers read back.

``maigret_form`` writes the same entries as ``sherlock-local.json`` as a
Maigret database whose rules the emulator's answers meet exactly (Sherlock's
``status_code`` / ``message`` / ``response_url`` map one to one onto Maigret's
``checkType``; ``errorMsg`` becomes ``absenceStrs``). Both Maigret itself and
``exposure scan --sites maigret.json`` read it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import plan

UNCLAIMED = "noonewouldeverusethis7"


def _maigret_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("{}", "{username}")
    if isinstance(value, dict):
        return {k: _maigret_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_maigret_text(v) for v in value]
    return value


def maigret_form(sites: list[plan.Site], port: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for site in sites:
        info = site.info
        entry: dict[str, Any] = {
            "url": _maigret_text(plan.rewrite_url(info["url"], site.address, port)),
            "urlMain": plan.rewrite_url(info.get("urlMain") or "/", site.address, port),
            "checkType": site.error_type,
            "usernameClaimed": info["username_claimed"],
            "usernameUnclaimed": UNCLAIMED,
            "tags": ["bench"],
        }
        if info.get("urlProbe"):
            entry["urlProbe"] = _maigret_text(
                plan.rewrite_url(info["urlProbe"], site.address, port)
            )
        if site.error_type == "message":
            entry["absenceStrs"] = site.error_messages()
        if info.get("regexCheck"):
            entry["regexCheck"] = info["regexCheck"]
        headers = {k: v for k, v in (info.get("headers") or {}).items() if k.lower() != "host"}
        if headers:
            entry["headers"] = headers
        if info.get("request_method"):
            entry["requestMethod"] = str(info["request_method"]).upper()
        if site.payload is not None:
            entry["requestPayload"] = _maigret_text(site.payload)
        out[site.name] = entry
    return {"sites": out, "engines": {}, "tags": ["bench"]}


def write(sites: list[plan.Site], port: int, out: Path) -> Path:
    path = out / "maigret.json"
    path.write_text(json.dumps(maigret_form(sites, port), indent=1), encoding="utf-8")
    return path


def maigret_answers(folder: Path, users: list[str], names: list[str]) -> dict[tuple[str, str], str]:
    """(site, user) -> found | absent, from Maigret's ``-J ndjson`` reports.

    Maigret's report lists the sites where it found an account; every other
    site it was asked about is read as absent (it does not report errors there).
    """
    out: dict[tuple[str, str], str] = {(n, u): "absent" for n in names for u in users}
    for user in users:
        for path in folder.glob(f"report_{user}_ndjson.json"):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    doc = json.loads(line)
                except ValueError:
                    continue
                status = doc.get("status") if isinstance(doc.get("status"), dict) else {}
                name = status.get("site_name") or doc.get("sitename")
                claimed = str(status.get("status", "")).lower() == "claimed"
                if name and claimed:
                    out[(str(name), user)] = "found"
    return out
