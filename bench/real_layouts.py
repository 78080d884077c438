"""Precision / recall of the brokers checker on the real-layouts page set.

Run by hand (never by CI)::

    .venv/bin/python bench/real_layouts.py                     # 8 sites, 40 people, no hints
    .venv/bin/python bench/real_layouts.py --hints             # catalogue hints for known sites
    .venv/bin/python bench/real_layouts.py --seed 7 --sites spokeo,whitepages
    .venv/bin/python bench/real_layouts.py --speed             # extraction + matching ms/KB

The page set is ``../shared/data/brokers/real-layouts`` (see its README): its
``realpages.py`` builds the pages for N synthetic FEBRL people and serves them
on loopback. This bench builds a set in a temporary folder, serves it, and
runs the real brokers checker (fetch, extraction, matching, detail pages) for
every person against a catalogue with one entry per site holding only ``id``,
``name`` and ``search_url`` (``--hints``: plus the ``hints`` table of the
bundled catalogue entry with the same id). Findings at or above the
confidence threshold go to a JSONL file in the shape of ``exposure scan
--format json``, which ``realpages.py score`` reads: a finding is right only
when its URL is the person's own record link.

``--speed`` times extraction plus matching alone (no HTTP) on every page of
the set, on one core, and prints milliseconds per KB of page.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
LAYOUTS = REPO.parent / "shared" / "data" / "brokers" / "real-layouts"
if not LAYOUTS.exists():  # a worktree under /work/wt/<name>
    LAYOUTS = Path("/work/shared/data/brokers/real-layouts")


def realpages() -> Any:
    spec = importlib.util.spec_from_file_location("realpages", LAYOUTS / "realpages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int) -> None:
    for _ in range(200):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise SystemExit(f"server on port {port} did not start")


def toml_value(value: Any) -> str:
    """``value`` (a string, list or table from the catalogue) as a TOML inline value."""
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))  # a JSON string is a TOML basic string


def catalogue_text(sites: list[str], port: int, hints: bool, opt_out: bool = False) -> str:
    bundled: dict[str, dict[str, Any]] = {}
    if hints:
        data = tomllib.loads((REPO / "data" / "brokers.toml").read_text(encoding="utf-8"))
        bundled = {b["id"]: b for b in data.get("broker", [])}
    out = []
    for site in sites:
        out.append("[[broker]]")
        out.append(f'id = "{site}"')
        out.append(f'name = "{site}"')
        out.append(f'search_url = "http://127.0.0.1:{port}/{site}/search?q={{full_name}}"')
        if opt_out:  # what catalogues before minimal entries required
            out.append(f'opt_out_url = "http://127.0.0.1:{port}/{site}/optout"')
            out.append('opt_out = { method = "web-form" }')
        hint = bundled.get(site, {}).get("hints")
        if hint:
            out.append(f"hints = {toml_value(hint)}")
        out.append("")
    return "\n".join(out)


def profile_of(entry: dict[str, Any], relatives: bool) -> Any:
    from exposure.people.profile import build_profile

    return build_profile(
        entry["id"],
        names=[entry["name"]],
        locations=[entry["location"]],
        addresses=[entry["address"]],
        birth_date=entry["birth_date"],
    )


def run_checker(
    out: Path, sites: list[str], hints: bool, jsonl: Path, opt_out: bool = False
) -> dict[str, int]:
    from exposure.checkers.base import ScanContext
    from exposure.checkers.brokers import BrokersChecker
    from exposure.config import Config
    from exposure.net.http import HttpClient, settings_from

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(LAYOUTS / "realpages.py"), "serve", str(out), str(port)],
        stdout=subprocess.DEVNULL,
    )
    statuses: dict[str, int] = {}
    try:
        wait_port(port)
        brokers = out / "brokers.toml"
        brokers.write_text(catalogue_text(sites, port, hints, opt_out), encoding="utf-8")
        profiles = json.loads((out / "profiles.json").read_text())
        config = Config()
        config.http.min_interval = 0.0
        config.http.retries = 0
        checker = BrokersChecker()
        with jsonl.open("w") as fh:
            for entry in profiles:
                ctx = ScanContext(
                    profile=profile_of(entry, False),
                    config=config,
                    http=HttpClient(settings_from(config.http)),
                    options={"brokers_file": str(brokers)},
                )
                findings = []
                for task in checker.tasks(ctx):
                    result = task.run()
                    for check in result.checks:
                        statuses[check.status.value] = statuses.get(check.status.value, 0) + 1
                    findings.extend(
                        {"kind": f.kind.value, "source": f.source, "url": f.url}
                        for f in result.findings
                        if f.confidence >= config.confidence_threshold
                    )
                fh.write(json.dumps({"profile": entry["id"], "findings": findings}) + "\n")
    finally:
        server.terminate()
        server.wait()
    return statuses


def speed(out: Path) -> None:
    from exposure.extract import extract_records
    from exposure.people.matching import ProfileMatcher

    pages = json.loads((out / "pages.json").read_text())
    profiles = {
        p["id"]: profile_of(p, False) for p in json.loads((out / "profiles.json").read_text())
    }
    matchers = {pid: ProfileMatcher(p) for pid, p in profiles.items()}
    size = sum(len(html.encode()) for html in pages.values())
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for key, html in pages.items():
            pid = key.split("/")[1]
            records = extract_records(html, "http://127.0.0.1/x")
            matchers[pid].score_many(records)
        best = min(best, time.process_time() - start)
    print(
        f"{len(pages)} pages, {size / 1024:.0f} KB: {best:.2f} s CPU, "
        f"{best * 1000 / (size / 1024):.3f} ms/KB (best of 3)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sites", default="", help="comma-separated (default: all eight)")
    parser.add_argument("--hints", action="store_true", help="use the catalogue's hints")
    parser.add_argument("--speed", action="store_true", help="time extraction + matching")
    parser.add_argument("--opt-out", action="store_true", help="give every entry an opt-out")
    parser.add_argument("--keep", help="build the set in this folder and keep it")
    args = parser.parse_args()
    rp = realpages()
    sites = args.sites.split(",") if args.sites else rp.sites()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.keep or tmp)
        with contextlib.redirect_stdout(sys.stderr):
            rp.build(str(out), args.people, sites, args.seed)
        if args.speed:
            speed(out)
            return 0
        jsonl = out / "findings.jsonl"
        start = time.perf_counter()
        statuses = run_checker(out, sites, args.hints, jsonl, args.opt_out)
        took = time.perf_counter() - start
        print(f"checks: {json.dumps(statuses, sort_keys=True)}  ({took:.1f} s)")
        rp.score(str(out), str(jsonl))
    return 0


if __name__ == "__main__":
    sys.exit(main())
