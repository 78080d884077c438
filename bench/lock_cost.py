"""What the lock costs: a 481-site scan and opening the TUI, plain home against locked home.

Run by hand (never by CI or pytest); everything stays on loopback. It starts
``emulator.py`` (the 481 Sherlock sites, one 127.0.X.Y address each, 100-400 ms
per answer; see README.md), writes the WhatsMyName catalogue, and makes three
throwaway homes with profile ``bench``:

* ``plain``: not locked;
* ``locked``: ``lock init`` with the default scrypt (64 MiB), opened for each
  command with ``EXPOSURE_PASSPHRASE``, so every command derives the key once;
* ``session``: the same locked home opened by an ``exposure unlock`` session
  (the key read from the RAM folder, no key derivation).

For N rounds, in an order that rotates each round, it times
``exposure scan --profile bench --only sites --sites wmn.json --format json``
(wall, CPU and peak RSS of the process, from ``os.wait4``), and the TUI's start:
a headless ``ExposureApp`` from process start until its dashboard is mounted
and has listed the profile (after the scans, so the dashboard reads a real
history). Prints the medians and writes ``bench/lock_cost.json``.

    .venv/bin/python bench/lock_cost.py --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import plan  # noqa: E402
import rewrite  # noqa: E402
from run_bench import clean_env, start_emulator, timed  # noqa: E402

PASSPHRASE = "bench passphrase for the lock cost"
MODES = ("plain", "locked", "session")

TUI_START = """
from exposure.cli import passphrase
passphrase.install()
from exposure.tui.app import ExposureApp

async def ready(pilot):
    await pilot.pause()  # the dashboard mounted and listed the profile
    pilot.app.exit(0)

ExposureApp("bench").run(headless=True, auto_pilot=ready)
"""


def exposure_bin() -> str:
    return str(Path(sys.executable).with_name("exposure"))


def make_home(work: Path, mode: str, env: dict[str, str]) -> dict[str, str]:
    home = work / f"home-{mode}"
    home.mkdir(mode=0o700)
    (home / "config.toml").write_text("", encoding="utf-8")
    env = {**env, "EXPOSURE_HOME": str(home)}
    add = [exposure_bin(), "profile", "add", "bench"]
    for user in plan.BENCH_USERS:
        add += ["--username", user]
    subprocess.run(add, env=env, check=True, stdout=subprocess.DEVNULL)
    if mode == "plain":
        return env
    subprocess.run(
        [exposure_bin(), "lock", "init"],
        env=env, input=PASSPHRASE + "\n", text=True, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    if mode == "locked":
        return {**env, "EXPOSURE_PASSPHRASE": PASSPHRASE}
    runtime = work / f"runtime-{mode}"
    runtime.mkdir(mode=0o700)
    env = {**env, "XDG_RUNTIME_DIR": str(runtime)}
    subprocess.run(
        [exposure_bin(), "unlock", "--minutes", "240"],
        env=env, input=PASSPHRASE + "\n", text=True, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return env


def tui_start(env: dict[str, str], work: Path) -> tuple[float, float]:
    """(wall, CPU) seconds from process start until the TUI's dashboard is ready (headless)."""
    out = work / "tui.out"
    wall, rc, _rss, cpu = timed([sys.executable, "-c", TUI_START], env, work, out)
    if rc != 0:
        raise SystemExit(f"the TUI did not start: {out.read_text()[-500:]}")
    return wall, cpu


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tui-runs", type=int, default=5, help="TUI starts per mode per round")
    ap.add_argument("--data", type=Path, default=plan.DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fraction", type=float, default=0.5)
    ap.add_argument("--latency", default="100-400")
    ap.add_argument("--results", type=Path, default=HERE / "lock_cost.json")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="exposure-lockcost-"))
    emu, port = start_emulator(args, work)
    try:
        _sherlock, wmn = rewrite.write_all(args.data, port, work, args.seed, args.fraction)
        base = clean_env(PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
        base.pop("EXPOSURE_PASSPHRASE", None)
        envs = {mode: make_home(work, mode, base) for mode in MODES}
        scans: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
        tui: dict[str, list[tuple[float, float]]] = {m: [] for m in MODES}
        for r in range(args.rounds):
            order = MODES[r % 3 :] + MODES[: r % 3]
            for mode in order:
                cmd = [exposure_bin(), "scan", "--profile", "bench", "--only", "sites"]
                cmd += ["--sites", str(wmn), "--format", "json"]
                out = work / f"scan-{mode}-{r}.json"
                wall, rc, rss, cpu = timed(cmd, envs[mode], work, out)
                if rc not in (0, 3):
                    raise SystemExit(f"{mode} scan exited {rc}: {out.read_text()[-500:]}")
                scans[mode].append({"wall": wall, "cpu": cpu, "rss_mb": rss})
                print(f"round {r + 1} {mode:<8} scan {wall:6.2f} s  cpu {cpu:5.2f} s", flush=True)
            for mode in order:
                for _ in range(args.tui_runs):
                    tui[mode].append(tui_start(envs[mode], work))
        summary: dict[str, Any] = {"rounds": args.rounds, "sites": 481, "modes": {}}
        for mode in MODES:
            summary["modes"][mode] = {
                "scan_wall_s": median([s["wall"] for s in scans[mode]]),
                "scan_cpu_s": median([s["cpu"] for s in scans[mode]]),
                "scan_rss_mb": median([s["rss_mb"] for s in scans[mode]]),
                "tui_start_s": median([t[0] for t in tui[mode]]),
                "tui_start_cpu_s": median([t[1] for t in tui[mode]]),
            }
        plain = summary["modes"]["plain"]
        print()
        print(
            f"{'mode':<9}{'scan wall':>10}{'scan cpu':>10}{'rss MB':>8}"
            f"{'TUI start':>11}{'TUI cpu':>9}"
        )
        for mode, row in summary["modes"].items():
            print(
                f"{mode:<9}{row['scan_wall_s']:>9.2f}s{row['scan_cpu_s']:>9.2f}s"
                f"{row['scan_rss_mb']:>8.0f}{row['tui_start_s']:>10.3f}s"
                f"{row['tui_start_cpu_s']:>8.3f}s"
            )
        for mode in ("locked", "session"):
            row = summary["modes"][mode]
            print(
                f"{mode} vs plain: scan {row['scan_wall_s'] - plain['scan_wall_s']:+.2f} s wall, "
                f"{row['scan_cpu_s'] - plain['scan_cpu_s']:+.2f} s cpu; "
                f"TUI start {row['tui_start_s'] - plain['tui_start_s']:+.3f} s wall, "
                f"{row['tui_start_cpu_s'] - plain['tui_start_cpu_s']:+.3f} s cpu"
            )
        args.results.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    finally:
        emu.terminate()
        emu.wait(timeout=10)
        if os.environ.get("KEEP") is None:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
