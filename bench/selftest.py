"""Check the bench itself: the WhatsMyName form against the emulator, with a reference client.

A tiny WhatsMyName checker (requests in a thread pool, redirects off, found
iff ``e_code`` and ``e_string`` match, absent iff ``m_code`` and
``m_string`` match, anything else unknown) asks every site about both bench
usernames and compares with the emulator's truth.  It proves the generated
``wmn.json`` is decidable and exact, and its wall time at a given thread
count is a floor for what a WMN client can reach on this emulator.

    /tmp/benchvenv/bin/python bench/selftest.py [--threads 128]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import plan  # noqa: E402
import rewrite  # noqa: E402
import run_bench  # noqa: E402


def check(session: requests.Session, site: dict[str, Any], user: str) -> str:
    url = site["uri_check"].replace("{account}", user)
    headers = dict(site.get("headers", {}))
    try:
        if "post_body" in site:
            body = site["post_body"].replace("{account}", user)
            r = session.post(url, data=body, headers=headers, allow_redirects=False, timeout=10)
        else:
            r = session.get(url, headers=headers, allow_redirects=False, timeout=10)
    except requests.RequestException:
        return "error"
    if r.status_code == site["e_code"] and site["e_string"] in r.text:
        return "found"
    if r.status_code == site["m_code"] and site["m_string"] in r.text:
        return "absent"
    return "error"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=128)
    ap.add_argument("--data", type=Path, default=plan.DEFAULT_DATA)
    ap.add_argument("--latency", default="100-400")
    args = ap.parse_args(argv)
    args.seed, args.fraction = 1, 0.5
    work = Path(tempfile.mkdtemp(prefix="exposure-bench-selftest-"))
    emu, port = run_bench.start_emulator(args, work)
    try:
        _, wmn_path = rewrite.write_all(args.data, port, work)
        wmn = json.loads(wmn_path.read_text(encoding="utf-8"))
        truth = json.loads((work / "truth.json").read_text(encoding="utf-8"))
        session = requests.Session()
        session.trust_env = False
        adapter = requests.adapters.HTTPAdapter(pool_connections=600, pool_maxsize=4)
        session.mount("http://", adapter)
        jobs = [(s, u) for s in wmn["sites"] for u in plan.BENCH_USERS]
        start, cpu0 = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(args.threads) as pool:
            got = list(pool.map(lambda job: check(session, *job), jobs))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    finally:
        emu.terminate()
        emu.wait(timeout=10)
    bad = []
    for (site, user), answer in zip(jobs, got, strict=True):
        claimed = truth["sites"][site["name"]]["claimed"][user]
        if answer != ("found" if claimed else "absent"):
            bad.append(f"{site['name']}/{user}: {answer} (claimed={claimed})")
    print(
        f"{len(jobs)} checks, {args.threads} threads: {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU, {len(bad)} wrong"
    )
    for line in bad[:20]:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
