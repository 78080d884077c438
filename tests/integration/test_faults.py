"""Fault injection: a scan against sites that misbehave in every way we know of.

Each site of a WhatsMyName catalogue points at one path of our fault server
(tests/faultweb.py). The scan runs in a subprocess so its wall time, its peak
RSS (``os.wait4``) and its exit status are the real ones. Honesty rule 1 is the
point: a site that hung, reset, rate-limited us for good, challenged us or
sent garbage is ``blocked`` or ``error`` with a reason — never ``absent``,
and never ``found`` unless a retry really got the page.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from faultweb import (
    ABSENT_TEXT,
    BOMB_INFLATED,
    FOUND_TEXT,
    WAF_PAGES,
    WAF_VENDOR_NAMES,
    FaultWeb,
    gzip_bomb,
    gzip_inflated_size,
)

from exposure.catalogues.sites import parse_catalogue
from exposure.checkers.base import ScanContext
from exposure.checkers.sites import check_site
from exposure.cli import main
from exposure.config import Config
from exposure.model import Outcome, Profile
from exposure.net.http import (
    FetchError,
    HttpClient,
    HttpSettings,
    private_address,
)

MB = 1000 * 1000
TIMEOUT = 5  # --timeout for the scan: read timeout 5 s
# The wall-time bound of the fault scan, worked out:
#   --timeout 5 scales the default deadline (30 s at timeout 10) to 15 s per try.
#   The slowest fault is the drip (a byte every 0.5 s never trips the 5 s read
#   timeout), so it ends at the 15 s deadline; a timeout is not retried, but even
#   if it were, [http] retries = 1 makes it 2 x 15 s + 0.2 s backoff = 30.2 s.
#   Every other fault ends sooner (hang: 5 s read timeout; 429: one 1 s wait;
#   503/reset: one 0.2 s backoff) and runs in parallel (concurrency 32, 32 per host).
#   Interpreter start, catalogue and database take well under 5 s: 35 s, so 40 s.
SCAN_BOUND = 40.0
RSS_BOUND = 250 * MB
DRIP_DEADLINE = 15  # seconds, see above

FAST_HTTP = """
concurrency = 32

[http]
retries = 1
backoff = 0.2
per_host_concurrency = 32
min_interval = 0.0
"""

# Rules. DEFAULT is the usual shape. WAF_RULE reads any 403 as "no account" (as some
# real catalogue entries do) and ANY_200 reads any 200 as "account": only block
# detection stands between a challenge page and a wrong "absent"/"found" there.
DEFAULT = {"e_code": 200, "e_string": FOUND_TEXT, "m_code": 404, "m_string": ABSENT_TEXT}
CUT_AT_CAP = r"HTTP 200 without the expected text; the page was cut at the size cap"
WAF_RULE = {"e_code": 200, "e_string": FOUND_TEXT, "m_code": 403, "m_string": ""}
ANY_200 = {"e_code": 200, "e_string": "", "m_code": 404, "m_string": ABSENT_TEXT}


@dataclass(frozen=True)
class Site:
    name: str
    path: str  # the fault server's first path segment
    rule: dict[str, object]
    status: str  # the outcome we demand
    detail: str  # a regex the check's detail must match


SITES: tuple[Site, ...] = (
    Site("Found", "found", DEFAULT, "found", r"^HTTP 200 with the account's text$"),
    Site("Absent", "absent", DEFAULT, "absent", r"^HTTP 404 with the no-account text$"),
    Site("RateLimited", "ratelimit", DEFAULT, "found", r"after 2 tries$"),
    Site("Hang", "hang", DEFAULT, "error", rf"^timed out after {TIMEOUT}s$"),
    Site("Reset", "reset", DEFAULT, "error", r"^connection reset$"),
    Site("Unavailable", "unavailable", DEFAULT, "error", r"HTTP 503.*after 2 tries$"),
    *(
        Site(WAF_VENDOR_NAMES[v], f"waf-{v}", WAF_RULE, "blocked", rf"^{WAF_VENDOR_NAMES[v]}")
        for v in sorted(WAF_PAGES)
    ),
    Site("Captcha", "captcha", ANY_200, "blocked", r"^captcha \(HTTP 200\)$"),
    # WhatsMyName never follows redirects: the 302 itself is an answer no rule explains.
    Site("Loop", "loop", DEFAULT, "error", r"HTTP 302"),
    Site("ToFile", "to-file", DEFAULT, "error", r"HTTP 302"),
    Site("ToJavascript", "to-javascript", DEFAULT, "error", r"HTTP 302"),
    Site("Huge", "huge", DEFAULT, "error", CUT_AT_CAP),
    Site("Drip", "drip", DEFAULT, "error", rf"^timed out after {DRIP_DEADLINE}s$"),
    Site("GzipBomb", "gzip-bomb", DEFAULT, "error", CUT_AT_CAP),
    Site("BadUtf8", "bad-utf8", DEFAULT, "error", r"HTTP 200 without the expected text"),
    Site("BadJson", "bad-json", DEFAULT, "error", r"HTTP 200 without the expected text"),
    Site("Nested", "nested", DEFAULT, "error", r"HTTP 200 without the expected text"),
)


@pytest.fixture
def web(shared_data: Path) -> Iterator[FaultWeb]:
    gzip_bomb()  # built (or found in tmp) before any clock starts
    with FaultWeb() as server:
        yield server


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def wmn_catalogue(web: FaultWeb, sites: tuple[Site, ...], folder: Path) -> Path:
    entries = [
        {
            "name": s.name,
            "uri_check": web.url(f"{s.path}/{{account}}"),
            "cat": "misc",
            "known": ["someone"],
            **s.rule,
        }
        for s in sites
    ]
    path = folder / "fault-sites.json"
    path.write_text(json.dumps({"sites": entries}), encoding="utf-8")
    return path


@dataclass
class Measured:
    status: int
    wall: float
    peak_rss: int  # bytes
    stdout: str
    stderr: str


# The child reports its own peak RSS (VmHWM) as it exits. wait4's ru_maxrss is no
# good here: Linux folds the pre-exec high-water mark of the forked child -- a
# copy of this whole pytest process -- into it.
_REPORT_HWM = (
    "import atexit, os, runpy, sys\n"
    "def _hwm():\n"
    "    with open('/proc/self/status') as st, open(os.environ['HWM_FILE'], 'w') as out:\n"
    "        out.write(next(l for l in st if l.startswith('VmHWM')).split()[1])\n"
    "atexit.register(_hwm)\n"
    "sys.argv = ['exposure', *sys.argv[1:]]\n"
    "runpy.run_module('exposure.cli', run_name='__main__')\n"
)


def run_measured(argv: list[str], *, kill_after: float) -> Measured:
    """Run ``argv``; its exit status, wall time and peak RSS (VmHWM, from the child itself)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        hwm_file = Path(tmp) / "hwm"
        env = dict(os.environ, HWM_FILE=str(hwm_file))
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > kill_after:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        out.seek(0)
        err.seek(0)
        hwm_kib = int(hwm_file.read_text()) if hwm_file.exists() else usage.ru_maxrss
        return Measured(
            status=proc.returncode,
            wall=wall,
            peak_rss=hwm_kib * 1024,  # KiB on Linux
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def exposure_argv(*args: str) -> list[str]:
    return [sys.executable, "-c", _REPORT_HWM, *args]


def add_jane(*extra: str) -> None:
    assert (
        main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe", *extra]) == 0
    )


# ----------------------------------------------------------------------- the fault scan


def test_the_fault_server_serves_what_it_claims(web: FaultWeb) -> None:
    """The bomb really is one (small file, >= 1 GB inflated); real WAF pages are served."""
    bomb = gzip_bomb()
    assert bomb.stat().st_size < 8 * MB
    assert gzip_inflated_size(bomb) == BOMB_INFLATED >= 1000 * MB
    with HttpClient(HttpSettings(respect_robots=False, retries=0)) as client:
        for vendor, page in WAF_PAGES.items():
            answer = client.get(web.url(f"waf-{vendor}/x"))
            assert answer.status == 403
            assert (
                answer.body
                == (
                    Path(__file__).parents[2].parent / "shared" / "data" / "block-pages" / page
                ).read_bytes()
            )


def test_every_fault_is_blocked_or_error_never_absent(
    web: FaultWeb, exposure_home: Path, tmp_path: Path
) -> None:
    write_config(exposure_home, FAST_HTTP)
    add_jane()
    catalogue = wmn_catalogue(web, SITES, tmp_path)

    run = run_measured(
        exposure_argv(
            "scan",
            "--profile",
            "jane",
            "--only",
            "sites",
            "--sites",
            str(catalogue),
            "--timeout",
            str(TIMEOUT),
            "--format",
            "json",
        ),
        kill_after=90,
    )

    assert "Traceback" not in run.stderr, run.stderr
    assert run.wall < SCAN_BOUND, f"the scan took {run.wall:.1f}s (bound {SCAN_BOUND}s)"
    assert run.peak_rss < RSS_BOUND, f"peak RSS {run.peak_rss / MB:.0f} MB"
    assert run.status == 3, (run.status, run.stderr)  # new findings
    doc = json.loads(run.stdout)
    checks = {c["source"]: c for c in doc["checks"]}
    assert set(checks) == {s.name for s in SITES}
    wrong = []
    for site in SITES:
        check = checks[site.name]
        if check["status"] != site.status or not re.search(site.detail, check["detail"]):
            wrong.append((site.name, check["status"], check["detail"]))
    assert not wrong, wrong
    faulty = [s for s in SITES if s.name not in ("Found", "Absent", "RateLimited")]
    for site in faulty:
        assert checks[site.name]["status"] in ("blocked", "error")
        assert checks[site.name]["detail"].strip()
    assert {f["source"] for f in doc["findings"]} == {"Found", "RateLimited"}
    assert all(f["new"] for f in doc["findings"])
    assert web.hits["ratelimit"] == 2  # the 429, then the page
    assert web.hits["unavailable"] == 2 and web.hits["reset"] == 2  # one retry each
    assert web.hits["hang"] == 1 and web.hits["drip"] == 1  # timeouts are not retried
    print(f"fault scan: {run.wall:.1f}s wall, peak RSS {run.peak_rss / MB:.0f} MB")


def test_followed_redirects_that_loop_or_leave_http_are_errors(
    web: FaultWeb, exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sherlock 'message' rules follow redirects: a loop or a file:/javascript: target."""
    write_config(exposure_home, FAST_HTTP)
    add_jane()
    sites = {
        "Loop": {"url": web.url("loop/{}"), "errorType": "message", "errorMsg": ABSENT_TEXT},
        "ToFile": {"url": web.url("to-file/{}"), "errorType": "message", "errorMsg": ABSENT_TEXT},
        "ToJavascript": {
            "url": web.url("to-javascript/{}"),
            "errorType": "message",
            "errorMsg": ABSENT_TEXT,
        },
        # Sherlock reads a 403 as "no account" here; the real challenge page says otherwise.
        "Cloudflare": {
            "url": web.url("waf-cloudflare/{}"),
            "errorType": "status_code",
            "errorCode": 403,
        },
        "Found": {
            "url": web.url("claims-janedoe/{}"),
            "errorType": "message",
            "errorMsg": ABSENT_TEXT,
        },
    }
    catalogue = tmp_path / "sherlock.json"
    catalogue.write_text(json.dumps(sites), encoding="utf-8")
    capsys.readouterr()
    status = main(
        [
            "scan",
            "--profile",
            "jane",
            "--only",
            "sites",
            "--sites",
            str(catalogue),
            "--timeout",
            str(TIMEOUT),
            "--format",
            "json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    checks = {c["source"]: (c["status"], c["detail"]) for c in doc["checks"]}
    assert checks["Loop"] == ("error", "too many redirects")
    assert checks["ToFile"] == ("error", "redirect to an unsupported URL scheme")
    assert checks["ToJavascript"] == ("error", "redirect to an unsupported URL scheme")
    assert checks["Cloudflare"][0] == "blocked" and "Cloudflare" in checks["Cloudflare"][1]
    assert checks["Found"][0] == "found"
    assert status == 3
    assert web.hits["loop"] + web.hits["loop2"] == 11  # the first try and 10 redirects


# ---------------------------------------------------------------- people-search faults

BROKER_FAULTS = (
    "hang",
    "reset",
    "unavailable",
    "waf-datadome",
    "waf-akamai",
    "captcha",
    "loop",
    "to-file",
    "huge",
    "gzip-bomb",
    "bad-utf8",
    "bad-json",
    "nested",
)


def test_broker_pages_that_misbehave_are_never_absent(
    web: FaultWeb, exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The brokers checker parses what it gets (lxml on a megabyte of nested divs, a
    gzip bomb's first 5 MiB, invalid UTF-8...): each is blocked or error, with a reason."""
    write_config(exposure_home, FAST_HTTP)
    assert (
        main(["profile", "add", "jane", "--name", "Jane Q Doe", "--location", "Austin, TX, US"])
        == 0
    )
    tables = []
    for fault in BROKER_FAULTS:
        ident = fault.replace("-", "")
        tables.append(
            "\n".join(
                [
                    "[[broker]]",
                    f'id = "{ident}"',
                    f'name = "{ident}"',
                    f'url = "{web.base}/"',
                    f'search_url = "{web.url(fault)}/{{full_name}}"',
                    f'opt_out_url = "{web.base}/optout"',
                    'opt_out = { method = "web-form", requires = ["email"], days = 3 }',
                ]
            )
        )
    brokers = tmp_path / "brokers.toml"
    brokers.write_text("\n\n".join(tables) + "\n", encoding="utf-8")
    capsys.readouterr()
    started = time.monotonic()
    status = main(
        [
            "scan",
            "--profile",
            "jane",
            "--only",
            "brokers",
            "--brokers",
            str(brokers),
            "--timeout",
            "2",
            "--format",
            "json",
        ]
    )
    # --timeout 2: read timeout 2 s, deadline 30 x 2/10 = 6 s (no fault here drips).
    assert time.monotonic() - started < 20
    doc = json.loads(capsys.readouterr().out)
    checks = {c["source"]: (c["status"], c["detail"]) for c in doc["checks"]}
    assert len(checks) == len(BROKER_FAULTS)
    for source, (outcome, detail) in checks.items():
        assert outcome in ("blocked", "error"), (source, outcome, detail)
        assert detail.strip(), source
    for vendor in ("DataDome", "Akamai"):
        assert any(o == "blocked" and vendor in d for o, d in checks.values()), vendor
    assert doc["findings"] == [] and status == 1  # nothing answered: the scan failed


# ------------------------------------------------------------------------- API faults


def test_api_faults_are_errors(
    web: FaultWeb,
    exposure_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Malformed JSON, a permanent 503, a reset and a WAF page from APIs: error/blocked."""
    monkeypatch.setenv("EXPOSURE_HIBP_API_KEY", "fake-test-key-0000")
    write_config(
        exposure_home,
        FAST_HTTP
        + f"""
[checkers.gravatar]
base_url = "{web.url("bad-json")}"

[checkers.hibp]
base_url = "{web.url("bad-json")}"
min_interval = 0

[checkers.pgp]
base_url = "{web.url("unavailable")}"

[checkers.github]
base_url = "{web.url("waf-cloudflare")}"
""",
    )
    add_jane("--email", "jane@example.org")
    capsys.readouterr()
    status = main(
        [
            "scan",
            "--profile",
            "jane",
            "--only",
            "gravatar,hibp,pgp,github",
            "--timeout",
            str(TIMEOUT),
            "--format",
            "json",
        ]
    )
    out = capsys.readouterr()
    doc = json.loads(out.out)
    by_checker: dict[str, list[tuple[str, str]]] = {}
    for c in doc["checks"]:
        by_checker.setdefault(c["checker"], []).append((c["status"], c["detail"]))
    assert by_checker["gravatar"] == [("error", "the API answered with malformed JSON")]
    assert [s for s, _ in by_checker["hibp"]] == ["error"]
    assert "malformed JSON" in by_checker["hibp"][0][1]
    assert by_checker["pgp"] and all(s == "error" for s, _ in by_checker["pgp"])
    assert all(re.search(r"HTTP 503.*after 2 tries", d) for _, d in by_checker["pgp"])
    assert by_checker["github"] and all(s == "blocked" for s, _ in by_checker["github"])
    assert all("Cloudflare" in d for _, d in by_checker["github"])
    assert "fake-test-key" not in out.out + out.err
    assert doc["findings"] == [] and status == 1  # nothing answered: the scan failed


# ---------------------------------------------------------------- private redirects


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("172.31.255.255", True),
        ("172.32.0.1", False),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("0.0.0.0", True),
        ("::1", True),
        ("[::1]", True),
        ("::", True),
        ("fe80::1%eth0", True),
        ("fd00::5", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:10.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("admin.localhost", True),
        ("8.8.8.8", False),
        ("93.184.215.14", False),
        ("2606:4700::1111", False),
        ("100.64.0.1", True),  # carrier-grade NAT, Tailscale: not global
        ("100.127.255.254", True),
        ("192.0.2.1", True),  # documentation (TEST-NET-1): not global
        ("198.18.0.1", True),  # benchmarking
        ("240.0.0.1", True),  # reserved
        ("2001:db8::1", True),  # IPv6 documentation
        ("127.1", True),  # IPv4 shorthand, read as a resolver (and a proxy) would
        ("2130706433", True),
        ("0x7f000001", True),
        ("0177.0.0.1", True),
        ("0x7f.1", True),
        ("10.1", True),
        ("1.1", False),  # 1.0.0.1: public
        ("100.128.0.1", False),
        ("", False),
    ],
)
def test_private_address_classification(host: str, private: bool) -> None:
    assert private_address(host, resolve=False) is private


def test_private_address_resolves_names(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(name: str, *args: object, **kw: object) -> list[tuple[object, ...]]:
        table = {
            "intranet.example": ["93.184.215.14", "192.168.0.10"],  # any private one counts
            "public.example": ["93.184.215.14", "2606:4700::1111"],
            "cgnat.example": ["100.64.3.4"],
            "v6local.example": ["fd12::1"],
        }
        if name not in table:
            raise socket.gaierror(socket.EAI_NONAME, "no such name")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0)) for a in table[name]]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    assert private_address("intranet.example") is True
    assert private_address("v6local.example") is True
    assert private_address("cgnat.example") is True
    assert private_address("public.example") is False
    assert private_address("nxdomain.example") is False  # the request itself will fail
    assert private_address("intranet.example", resolve=False) is False  # behind a proxy
    assert private_address("127.0.0.2", public=("127.0.0.2/32",)) is False
    for literal in ("169.254.169.254", "fc00::1", "10.1.2.3", "[::ffff:192.168.1.1]"):
        assert private_address(literal, resolve=False) is True


@pytest.fixture
def public_and_private() -> Iterator[tuple[FaultWeb, FaultWeb]]:
    """A 'public' site on 127.0.0.2 (so marked for the client) and a private one on 127.0.0.1."""
    with FaultWeb("127.0.0.2") as public, FaultWeb("127.0.0.1") as private:
        yield public, private


def _client(**changes: object) -> HttpClient:
    settings = HttpSettings(
        respect_robots=False,
        retries=0,
        min_interval=0.0,
        connect_timeout=2,
        read_timeout=2,
        deadline=5,
        public_test_networks=("127.0.0.2/32",),
    )
    return HttpClient(replace(settings, **changes))  # type: ignore[arg-type]


def test_public_site_redirecting_to_a_private_address_is_refused(
    public_and_private: tuple[FaultWeb, FaultWeb],
) -> None:
    public, private = public_and_private
    with _client() as client:
        for target in (
            private.url("found/jane"),
            f"http://localhost:{private.port}/found/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:1/x",
            "http://10.0.0.1/admin",
        ):
            with pytest.raises(FetchError, match="^redirect to a private address refused$"):
                client.get(public.url(f"redirect?to={target}"))
        # public -> public is followed, and so is private -> private
        assert client.get(public.url(f"redirect?to={public.url('found/a')}")).status == 200
        assert client.get(private.url(f"redirect?to={private.url('found/b')}")).status == 200
        # a relative redirect on the public site stays public
        assert client.get(public.url("redirect?to=/found/c")).status == 200
    assert private.hits.get("found") == 1  # the refused redirects never reached it
    with _client(allow_private_redirects=True) as client:
        answer = client.get(public.url(f"redirect?to={private.url('found/jane')}"))
        assert answer.status == 200 and answer.final_url == private.url("found/jane")


def test_without_the_test_knob_loopback_is_private(
    public_and_private: tuple[FaultWeb, FaultWeb],
) -> None:
    """Nothing in config can mark a network public: with the default, 127.0.0.2 is private."""
    public, private = public_and_private
    with _client(public_test_networks=()) as client:
        answer = client.get(public.url(f"redirect?to={private.url('found/jane')}"))
        assert answer.status == 200  # private -> private: a local mirror may redirect locally


def test_a_refused_private_redirect_is_an_error_check(
    public_and_private: tuple[FaultWeb, FaultWeb],
) -> None:
    """Through the sites checker: the check is an error naming the reason, never absent."""
    public, private = public_and_private
    to = private.url("found/{}")
    catalogue = parse_catalogue(
        json.dumps(
            {
                "Sneaky": {
                    "url": public.url(f"redirect?to={to}"),
                    "errorType": "message",
                    "errorMsg": ABSENT_TEXT,
                }
            }
        ),
        "test",
    )
    site = catalogue.sites[0]
    with _client() as client:
        ctx = ScanContext(
            profile=Profile(id="jane", names=["Jane Doe"], usernames=["jane"]),
            config=Config(),
            http=client,
        )
        result = check_site(ctx, site, "jane")
    assert [(c.status, c.detail) for c in result.checks] == [
        (Outcome.ERROR, "redirect to a private address refused")
    ]
    assert result.findings == []


def test_config_allows_private_redirects_only_when_asked(exposure_home: Path) -> None:
    from exposure.config import load
    from exposure.net.http import settings_from

    assert settings_from(load(exposure_home / "config.toml").http).allow_private_redirects is False
    write_config(exposure_home, "[http]\nallow_private_redirects = true\n")
    assert settings_from(load(exposure_home / "config.toml").http).allow_private_redirects is True
    write_config(exposure_home, "[http]\npublic_test_networks = ['127.0.0.2/32']\n")
    from exposure.config import ConfigError

    with pytest.raises(ConfigError, match="unknown key"):
        load(exposure_home / "config.toml")


@pytest.mark.timeout(30)
def test_deadline_holds_when_the_answer_ends_with_the_connection(web: FaultWeb) -> None:
    """Regression: with "Connection: close", http.client hands the socket to the response
    (the connection's ``sock`` becomes None); the watchdog must still cut a dripping body."""
    settings = HttpSettings(respect_robots=False, retries=1, deadline=1.0, read_timeout=5.0)
    started = time.monotonic()
    with HttpClient(settings) as client, pytest.raises(FetchError, match="^timed out after 1s$"):
        client.get(web.url("drip/jane"))
    assert time.monotonic() - started < 3.0
