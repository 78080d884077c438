"""A loopback emulator of the whole Sherlock catalogue, for the speed bench.

Every site gets its own address 127.0.X.Y (so per-host limits behave as on
the internet) on one shared port, and answers after a seeded 100-400 ms
latency the way Sherlock's ``errorType`` says a claimed or absent account
looks (see ``plan.py``).  One asyncio loop serves them all; it only sleeps
and writes small pages, so it is never the bottleneck.

Run::

    python bench/emulator.py [SHERLOCK_DATA] [--port 0] [--seed 1] [--truth truth.json]

It prints ``READY <port>`` on stdout once every address listens.  A control
address 127.0.0.1:<port> answers ``GET /__stats`` (requests seen, by client
User-Agent) and ``POST /__reset``.  SIGTERM or SIGINT stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import socket
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import plan  # noqa: E402

REASONS = {200: "OK", 204: "No Content", 302: "Found", 404: "Not Found", 400: "Bad Request"}


class Emulator:
    """Holds the sites by address and answers one HTTP/1.1 request at a time per connection."""

    def __init__(self, sites: list[plan.Site], seed: int, low_ms: float, high_ms: float):
        self.by_address = {s.address: s for s in sites}
        self.seed = seed
        self.low_ms = low_ms
        self.high_ms = high_ms
        self.stats: Counter[str] = Counter()
        self.started = time.time()

    # -- decisions -------------------------------------------------------------
    def answer(
        self, site: plan.Site, method: str, target: str, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        path = unquote(target.split("#", 1)[0])
        if path == "/robots.txt":
            return 404, {"Content-Type": "text/plain"}, b"no robots here\n"
        if path == plan.NOT_FOUND_PATH:
            return 200, {}, plan.absent_page(site)
        is_api = site.payload is not None and path.lower() == unquote(site.probe_path).lower()
        if path == "/" and not is_api:  # an API probe may live at "/" (Anilist's GraphQL)
            return 200, {}, plan.home_page(site)
        user = self.claimed_user(site, method, path, body)
        if user is not None:
            return 200, {}, plan.found_page(site, user)
        status = site.absent_status()
        headers = {}
        if status == 302:
            headers["Location"] = plan.NOT_FOUND_PATH
        return status, headers, b"" if status in plan.BODILESS else plan.absent_page(site)

    def claimed_user(self, site: plan.Site, method: str, path: str, body: bytes) -> str | None:
        """The claimed username this request asks for, or None (absent).

        Sites compare usernames case-insensitively, so the match does too.
        """
        probe = unquote(site.probe_path).lower()
        path = path.lower()
        payload = site.payload
        if payload is None:
            for user in site.claimed:
                if probe.replace("{}", user) == path:
                    return user
            return None
        if probe != path:
            return None
        try:
            parsed = _lower(json.loads(body.decode("utf-8") or "null"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        for user in site.claimed:
            if _lower(plan.interpolate(payload, user)) == parsed:
                return user
        return None

    # -- transport -------------------------------------------------------------
    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("sockname")[0]
        site = self.by_address.get(address)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                try:
                    method, target, version = lines[0].split(" ", 2)
                except ValueError:
                    return
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(length) if length else b""
                keep = version.upper() == "HTTP/1.1" and headers.get("connection", "") != "close"
                if site is None:
                    status, extra, page = self.control(method, target)
                else:
                    status, extra, page = self.answer(site, method.upper(), target, body)
                    agent = headers.get("user-agent", "?").split("/", 1)[0][:40]
                    self.stats[f"{agent} {'robots' if target == '/robots.txt' else 'probe'}"] += 1
                    delay = plan.latency_ms(self.seed, site.name, target, self.low_ms, self.high_ms)
                    await asyncio.sleep(delay / 1000)
                out = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
                out.append("Content-Type: " + extra.pop("Content-Type", "text/html; charset=utf-8"))
                out.extend(f"{k}: {v}" for k, v in extra.items())
                if status not in plan.BODILESS:
                    out.append(f"Content-Length: {len(page)}")
                out.append("Connection: " + ("keep-alive" if keep else "close"))
                data = ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")
                if method.upper() != "HEAD" and status not in plan.BODILESS:
                    data += page
                writer.write(data)
                await writer.drain()
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:  # shutting down with keep-alive connections open
            return
        finally:
            writer.close()

    def control(self, method: str, target: str) -> tuple[int, dict[str, str], bytes]:
        if target == "/__stats":
            return 200, {"Content-Type": "application/json"}, json.dumps(self.stats).encode()
        if target == "/__reset" and method.upper() == "POST":
            self.stats.clear()
            return 200, {"Content-Type": "application/json"}, b"{}"
        return 404, {}, b"control: /__stats, POST /__reset\n"


def _lower(obj: object) -> object:
    return json.loads(json.dumps(obj).lower())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.1.1", 0))
        return s.getsockname()[1]


async def serve(emu: Emulator, port: int, on_bound, stop: asyncio.Event) -> int:
    """Bind every site address (and the control address) on one port, then call ``on_bound``."""
    for attempt in range(20):
        chosen = port or free_port()
        servers: list[asyncio.base_events.Server] = []
        try:
            for address in ["127.0.0.1", *emu.by_address]:
                servers.append(
                    await asyncio.start_server(
                        emu.handle, address, chosen, backlog=1024, reuse_address=True
                    )
                )
        except OSError:
            for s in servers:
                s.close()
            if port or attempt == 19:
                raise
            continue
        on_bound(chosen)
        print(f"READY {chosen}", flush=True)
        await stop.wait()
        for s in servers:
            s.close()
        return chosen
    raise RuntimeError("no free port")


def write_truth(path: Path, sites: list[plan.Site], seed: int, port: int) -> None:
    truth = {
        "seed": seed,
        "port": port,
        "usernames": list(plan.BENCH_USERS),
        "sites": {
            s.name: {
                "address": s.address,
                "error_type": s.error_type,
                "claimed": {u: s.is_claimed(u) for u in plan.BENCH_USERS},
            }
            for s in sites
        },
    }
    path.write_text(json.dumps(truth, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=plan.DEFAULT_DATA)
    ap.add_argument("--port", type=int, default=0, help="0 = pick a free one")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fraction", type=float, default=0.5, help="share of sites claiming the user")
    ap.add_argument("--latency", default="100-400", help="milliseconds, LOW-HIGH")
    ap.add_argument("--truth", type=Path, default=Path("truth.json"))
    args = ap.parse_args(argv)
    low, high = (float(x) for x in args.latency.split("-"))

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    sites = plan.build_sites(plan.load_catalogue(args.data), args.seed, args.fraction)
    for s in sites:
        plan.check_pages(s)
    emu = Emulator(sites, args.seed, low, high)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(
            emu, args.port, lambda port: write_truth(args.truth, sites, args.seed, port), stop
        )

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
