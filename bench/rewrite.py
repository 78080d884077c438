"""Point the Sherlock catalogue at the emulator, in Sherlock's form and in WhatsMyName's.

(a) ``sherlock-local.json``: the same entries, every URL (``url``,
    ``urlProbe``, ``urlMain``, ``errorUrl``) moved to ``http://127.0.X.Y:PORT``
    with its path kept; every other field (errorType, errorMsg, errorCode,
    regexCheck, request_method, request_payload, headers, isNSFW) is kept,
    except a ``Host`` header, which would only misroute the request.
(b) ``wmn.json``: the same catalogue in WhatsMyName form whose
    ``e_code``/``e_string`` and ``m_code``/``m_string`` the emulator's answers
    satisfy exactly, so ``exposure scan --sites wmn.json`` and Sherlock ask the
    same questions of the same addresses.

Run::

    python bench/rewrite.py --port PORT [SHERLOCK_DATA] [--out DIR]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import plan  # noqa: E402

URL_KEYS = ("url", "urlProbe", "urlMain", "errorUrl")
WMN_LICENSE = [
    "Copyright (C) 2015-2026 Micah Hoffman",
    "This work is licensed under the Creative Commons Attribution-ShareAlike",
    "4.0 International License. To view a copy of this license, visit",
    "http://creativecommons.org/licenses/by-sa/4.0/ or send a letter to",
    "Creative Commons, PO Box 1866, Mountain View, CA 94042, USA.",
]


def _headers(info: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in (info.get("headers") or {}).items() if k.lower() != "host"}


def sherlock_form(sites: list[plan.Site], port: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for site in sites:
        entry = copy.deepcopy(site.info)
        for key in URL_KEYS:
            if entry.get(key):
                entry[key] = plan.rewrite_url(entry[key], site.address, port)
        if "headers" in entry:
            entry["headers"] = _headers(entry)
            if not entry["headers"]:
                del entry["headers"]
        out[site.name] = entry
    return out


def wmn_form(sites: list[plan.Site], port: int) -> dict[str, Any]:
    entries = []
    for site in sites:
        probe = plan.rewrite_url(site.probe_template, site.address, port)
        pretty = plan.rewrite_url(site.info["url"], site.address, port)
        m_code = site.absent_status()
        entry: dict[str, Any] = {
            "name": site.name,
            "uri_check": probe.replace("{}", "{account}"),
            "e_code": 200,
            "e_string": plan.FOUND_MARK,
            "m_code": m_code,
            "m_string": "" if m_code in plan.BODILESS else plan.ABSENT_MARK,
            "known": [site.info["username_claimed"]],
            "cat": "bench",
        }
        if pretty != probe:
            entry["uri_pretty"] = pretty.replace("{}", "{account}")
        headers = _headers(site.info)
        if site.payload is not None:
            body = json.dumps(site.payload, separators=(",", ":"))
            entry["post_body"] = body.replace("{}", "{account}")
            headers.setdefault("Content-Type", "application/json")
        if headers:
            entry["headers"] = headers
        if site.info.get("isNSFW"):
            entry["cat"] = "xx NSFW xx"
        entries.append(entry)
    return {
        "license": WMN_LICENSE,
        "authors": ["exposure bench (generated from Sherlock's catalogue)"],
        "categories": ["bench", "xx NSFW xx"],
        "sites": entries,
    }


def write_all(
    data: Path, port: int, out: Path, seed: int = 1, fraction: float = 0.5
) -> tuple[Path, Path]:
    """Write both forms into ``out``; returns (sherlock json, wmn json)."""
    sites = plan.build_sites(plan.load_catalogue(data), seed, fraction)
    out.mkdir(parents=True, exist_ok=True)
    sherlock_path = out / "sherlock-local.json"
    wmn_path = out / "wmn.json"
    sherlock_path.write_text(json.dumps(sherlock_form(sites, port), indent=1), encoding="utf-8")
    wmn_path.write_text(json.dumps(wmn_form(sites, port), indent=1), encoding="utf-8")
    return sherlock_path, wmn_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=plan.DEFAULT_DATA)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", type=Path, default=Path("."))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fraction", type=float, default=0.5)
    args = ap.parse_args(argv)
    for path in write_all(args.data, args.port, args.out, args.seed, args.fraction):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
