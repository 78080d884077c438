"""Bench (by hand): offline screenshots and the case-file export with the system Chromium.

    .venv/bin/python bench/casefile_bench.py [--captures 20]

Creates a throwaway EXPOSURE_HOME with one profile, N stored captures (a
people-search-like page each, with external images and a script that must
not run) and three incidents, then times: one cold rendering (a browser of
its own), N screenshots with one browser, and `casefile export` as PDF and
ZIP. Nothing leaves the machine; prints one line per number.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--captures", type=int, default=20)
    args = parser.parse_args()
    os.environ["EXPOSURE_HOME"] = tempfile.mkdtemp(prefix="exposure-casefile-bench-")

    from casefile_kit import record

    from exposure.casefile import incidents
    from exposure.casefile.export import export_casefile
    from exposure.casefile.incidents import Version
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore, build_profile
    from exposure.reports.headless import ORIGIN, Resource, render
    from exposure.reports.screenshot import shoot_profile

    profile = build_profile("bench", names=["Jane Doe"], addresses=["1 High St, Leeds LS1 4AP"])
    from exposure import paths

    ProfileStore(paths.current()).save(profile)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    with Store.open_current() as store:
        for i in range(args.captures):
            page = (
                f"<html><head><link rel=stylesheet href='https://cdn.example/{i}.css'></head>"
                f"<body><h1>Jane Doe, 43</h1><p>1 High St, Leeds — record {i}</p>"
                f"<img src='https://img.example/{i}.png'><script>alert({i})</script>"
                + "<p>relatives: John Doe, Mary Doe</p>" * 200
                + "</body></html>"
            ).encode()
            record(
                store,
                "bench",
                page,
                key=str(i),
                url=f"https://broker.example/r/{i}",
                when=start + timedelta(days=i),
            )
        for i in range(3):
            incidents.add(
                store, "bench", Version(1, start + timedelta(days=i, hours=5), f"incident {i}")
            )
        t = time.perf_counter()
        render({f"{ORIGIN}/": Resource(b"<p>x</p>")}, f"{ORIGIN}/", kind="png")
        print(f"cold rendering (start a browser, one page, stop): {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        shots = shoot_profile(store, "bench")
        took = time.perf_counter() - t
        ok = sum(1 for s in shots if s.status.value == "ok")
        print(
            f"{len(shots)} screenshots with one browser: {took:.2f} s "
            f"({took / max(len(shots), 1):.2f} s each, {ok} ok)"
        )
        out = Path(os.environ["EXPOSURE_HOME"])
        for name in ("case.pdf", "case.zip"):
            t = time.perf_counter()
            result = export_casefile(store, profile, out / name, threshold=0.0)
            print(
                f"casefile export {name}: {time.perf_counter() - t:.2f} s, "
                f"{result.record.size / 1024:.0f} KiB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
