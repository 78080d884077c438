"""Security: the auditor must not become an exposure, and scraped text stays inert.

These tests play the attacker's part: pages and catalogues carrying terminal
escapes, Rich markup and script; evidence packs with hostile member names; a
server that echoes every request header back into the page it returns. And
they check the auditor's own footprint after a realistic run: every personal
file 0600 in 0700 folders, no API key, password or password hash anywhere on
disk, in the output or in what we export.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from findings_kit import broker_record
from html_kit import tags_of
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Capture, Check, Finding, FindingKind, Outcome

# --------------------------------------------------------------------------- hostile text

MARKUP = "[bold red]x[/]"
TITLE_ESC = "\x1b]0;title\x07"
CLEAR_ESC = "\x1b[2J"
HOSTILE = f"{MARKUP}{TITLE_ESC}{CLEAR_ESC}\x9b31m\u202eevil"
RAW_BYTES = ("\x1b", "\x07", "\x9b", "\u202e")


def assert_inert(text: str) -> None:
    """No escape byte, bell, 8-bit CSI or bidi override in what we printed."""
    for raw in RAW_BYTES:
        assert raw not in text, (raw, text[:400])


def assert_inert_html(text: str) -> None:
    for tag, attrs in tags_of(text):
        assert tag not in ("script", "iframe", "object", "embed", "base", "form"), tag
        for key, value in attrs.items():
            assert not key.lower().startswith("on"), (tag, key)
            if key.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                link = (value or "").strip().lower()
                assert not link.startswith(("javascript:", "data:", "vbscript:", "file:")), link
    assert_inert(text)


def seed_hostile(home: Path) -> None:
    """A profile and findings whose every scraped field is hostile."""
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    with Store(home / "exposure.db", home / "evidence") as store:
        summary = store.begin_scan("jane", ["brokers", "sites"])
        store.record_check(summary.scan_id, Check("brokers", HOSTILE, Outcome.FOUND))
        store.record_check(
            summary.scan_id,
            Check(
                "sites", HOSTILE, Outcome.BLOCKED, url=f"https://x.test/{CLEAR_ESC}", detail=HOSTILE
            ),
        )
        for n, url in enumerate(
            (
                "javascript:alert(1)",
                "data:text/html,<script>alert(2)</script>",
                f"https://b.test/{HOSTILE}",
            )
        ):
            store.record_finding(
                summary.scan_id,
                "jane",
                Finding(
                    checker="brokers",
                    source=HOSTILE,
                    kind=FindingKind.PERSON_RECORD,
                    key=f"r{n}",
                    url=url,
                    confidence=0.95,
                    reasons=[HOSTILE, '<img src=x onerror="alert(3)">'],
                    matched={"name": HOSTILE, "exposes": ["home_address"]},
                    title=f"=HYPERLINK(1){HOSTILE}",
                    capture=Capture(
                        f"<script>alert(4)</script>{HOSTILE}".encode(),
                        "data:text/html,<script>alert(5)</script>",
                        "javascript:alert(6)",
                    ),
                ),
            )
        store.finish_scan(summary)


# --------------------------------------------------------------------------- terminal


def test_scan_text_output_shows_hostile_site_text_literally(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def answer(request: Request) -> Response:
        if request.path.startswith("/found/"):
            return Response(f"<h1>profile of janedoe</h1>{HOSTILE}", status=200)
        return Response(f"<p>{HOSTILE}</p>", status=200)  # matches no rule: an error

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    rule = {"e_code": 200, "e_string": "profile of", "m_code": 404, "m_string": "no such user"}
    catalogue = {
        "sites": [
            {"name": f"Found{HOSTILE}", "uri_check": f"{base}/found/{{account}}", **rule},
            {"name": f"Odd{HOSTILE}", "uri_check": f"{base}/odd/{{account}}", **rule},
        ]
    }
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps(catalogue))
    assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe"]) == 0
    capsys.readouterr()
    status = main(["scan", "--profile", "jane", "--only", "sites", "--sites", str(sites)])
    out, err = capsys.readouterr()
    assert status == 3
    assert_inert(out + err)
    assert MARKUP in out  # Rich markup is shown as the text it is, not rendered
    assert "Found[bold red]x[/]" in out and "Odd[bold red]x[/]" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["findings", "--profile", "jane"],
        ["findings", "--profile", "jane", "--format", "csv"],
        ["checklist", "--profile", "jane"],
        ["checklist", "--profile", "jane", "--format", "md"],
        ["report", "--profile", "jane", "--format", "md"],
        ["report", "--profile", "jane", "--format", "csv"],
    ],
)
def test_stored_hostile_text_is_printed_inert(
    exposure_home: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    seed_hostile(exposure_home)
    capsys.readouterr()
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert_inert(out + err)
    assert "x[/]" in out  # the markup survives as literal text
    if "csv" in argv:
        for line in out.splitlines()[1:]:
            for cell in line.split(","):
                assert not cell.lstrip('"').startswith(("=", "+", "-", "@")), cell


def test_json_output_escapes_every_control(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON is for programs, but a person may still `cat` it: no raw control bytes."""
    seed_hostile(exposure_home)
    capsys.readouterr()
    assert main(["findings", "--profile", "jane", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    json.loads(out)


def test_sources_list_and_validate_show_hostile_catalogue_text_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = {"e_code": 200, "e_string": "a", "m_code": 404, "m_string": "b"}
    catalogue = {
        "sites": [
            {
                "name": f"S{HOSTILE}",
                "uri_check": "https://s.test/{account}",
                "cat": HOSTILE,
                **rule,
            },
            {
                "name": f"T{HOSTILE}",
                "uri_check": "https://t.test/{account}",
                "valid": False,
                **rule,
            },
        ]
    }
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps(catalogue))
    for argv in (["sources", "list", "--sites", str(sites)], ["sources", "validate", str(sites)]):
        capsys.readouterr()
        assert main(argv) == 0
        out, err = capsys.readouterr()
        assert_inert(out + err)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"sites": [{"name": HOSTILE, "uri_check": HOSTILE}]}))
    capsys.readouterr()
    assert main(["sources", "validate", str(broken)]) == 2
    out, err = capsys.readouterr()
    assert_inert(out + err)
    assert len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------- HTML


def test_html_report_and_pack_index_are_inert(exposure_home: Path, tmp_path: Path) -> None:
    seed_hostile(exposure_home)
    report = tmp_path / "report.html"
    pack = tmp_path / "pack.zip"
    assert main(["report", "--profile", "jane", "--format", "html", "--output", str(report)]) == 0
    assert main(["evidence", "export", "--profile", "jane", "--output", str(pack)]) == 0
    html_report = report.read_text(encoding="utf-8")
    assert_inert_html(html_report)
    assert "x[/]" in html_report and "&lt;img" in html_report  # shown as text
    with zipfile.ZipFile(pack) as zf:
        index = zf.read("index.html").decode("utf-8")
    assert_inert_html(index)
    assert "&lt;script&gt;" in index  # the hostile capture URL is shown, escaped, not linked


# --------------------------------------------------------------------------- evidence


def test_export_refuses_a_stored_evidence_path_outside_the_locker(
    exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tampered database must not smuggle files from elsewhere into a pack."""
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    body = b"<html>Jane Doe</html>"
    with Store(exposure_home / "exposure.db", exposure_home / "evidence") as store:
        summary = store.begin_scan("jane", ["brokers"])
        store.record_finding(summary.scan_id, "jane", broker_record(body, "https://b.test/"))
        store.finish_scan(summary)
    secret = tmp_path / "outside.txt"
    secret.write_bytes(body)  # same bytes, same hash: only the path gives it away
    sha = hashlib.sha256(body).hexdigest()
    stored = exposure_home / "evidence" / sha[:2] / sha
    stored.unlink()

    with sqlite3.connect(exposure_home / "exposure.db") as db:
        db.execute(
            "UPDATE evidence SET path = ? WHERE sha256 = ?",
            (os.path.relpath(secret, exposure_home / "evidence"), sha),
        )
    pack = tmp_path / "pack.zip"
    capsys.readouterr()
    export = ["evidence", "export", "--profile", "jane", "--output", str(pack)]
    assert main(export) == 1 and not pack.exists()
    assert sha in capsys.readouterr().err
    assert main([*export, "--allow-missing"]) == 0
    with zipfile.ZipFile(pack) as zf:
        assert not [n for n in zf.namelist() if n.startswith("captures/")]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["captures"] == [] and manifest["missing"][0]["sha256"] == sha

    # A symlink inside the locker that points outside is refused as well.
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.symlink_to(secret)
    with sqlite3.connect(exposure_home / "exposure.db") as db:
        db.execute("UPDATE evidence SET path = ? WHERE sha256 = ?", (f"{sha[:2]}/{sha}", sha))
    main(["evidence", "export", "--profile", "jane", "--output", str(pack)])
    with zipfile.ZipFile(pack) as zf:
        assert f"captures/{sha}" not in zf.namelist()


@pytest.mark.parametrize(
    "name", ["captures/./../x", "captures/", "./manifest.json", "captures/a\x00b"]
)
def test_verify_names_odd_member_names(
    exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """Members the exporter never writes (beyond the traversal cases of
    tests/test_evidence_pack.py) make the pack fail verification."""
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    pack = tmp_path / "pack.zip"
    assert main(["evidence", "export", "--profile", "jane", "--output", str(pack)]) == 0
    with zipfile.ZipFile(pack, "a") as zf:
        zf.writestr(zipfile.ZipInfo(name), b"payload")
    capsys.readouterr()
    assert main(["evidence", "verify", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out
    assert_inert(out)
    assert not (tmp_path.parent / "x").exists()


# --------------------------------------------------------------------------- catalogues


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://x.test/{account}",
        "data:text/html,{account}",
        "//x.test/{account}",
        "http:///{account}",
    ],
)
def test_site_catalogue_accepts_only_http_urls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    rule = {"e_code": 200, "e_string": "a", "m_code": 404, "m_string": "b"}
    wmn = tmp_path / "wmn.json"
    wmn.write_text(json.dumps({"sites": [{"name": "S", "uri_check": url, **rule}]}))
    sherlock = tmp_path / "sherlock.json"
    sherlock.write_text(
        json.dumps({"S": {"url": url.replace("{account}", "{}"), "errorType": "status_code"}})
    )
    pretty = tmp_path / "pretty.json"
    pretty.write_text(
        json.dumps(
            {
                "sites": [
                    {
                        "name": "S",
                        "uri_check": "https://s.test/{account}",
                        "uri_pretty": url,
                        **rule,
                    }
                ]
            }
        )
    )
    for file in (wmn, sherlock, pretty):
        capsys.readouterr()
        assert main(["sources", "validate", str(file)]) == 2, file
        err = capsys.readouterr().err
        assert "http(s)" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("search_url", "file:///etc/{full_name}"),
        ("search_url", "javascript:alert('{full_name}')"),
        ("search_url", "ftp://b.test/{full_name}"),
        ("search_url", "data:text/html,{full_name}"),
        ("opt_out_url", "javascript:alert(1)"),
        ("opt_out_url", "file:///etc/passwd"),
        ("url", "data:text/html,x"),
        ("phone_search_url", "ftp://b.test/{phone}"),
        ("email_search_url", "file:///{email}"),
    ],
)
def test_brokers_file_accepts_only_http_urls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, url: str
) -> None:
    entry = {
        "id": "b",
        "name": "B",
        "search_url": "https://b.test/s?q={full_name}",
        "opt_out_url": "https://b.test/optout",
        "opt_out": {"method": "web-form"},
        key: url,
    }
    brokers = tmp_path / "brokers.json"
    brokers.write_text(json.dumps({"brokers": [entry]}))
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    for argv in (
        ["scan", "--profile", "jane", "--only", "brokers", "--brokers", str(brokers)],
        ["scan", "--profile", "jane", "--only", "brokers", "--brokers", str(brokers), "--dry-run"],
    ):
        capsys.readouterr()
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert "http(s)" in err and len(err.strip().splitlines()) == 1
        assert out == ""


# --------------------------------------------------------------------------- keys in transit


@pytest.mark.parametrize("header", ["hibp-api-key", "Authorization", "X-Subscription-Token"])
def test_key_headers_do_not_follow_a_redirect_to_another_host(
    httpserver: HTTPServer, header: str
) -> None:
    """An API that redirects elsewhere must not hand our key to the other host."""
    from exposure.config import HttpConfig
    from exposure.net.http import HttpClient, settings_from

    port = httpserver.port
    httpserver.expect_request("/api").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.1:{port}/elsewhere"}
    )
    httpserver.expect_request("/elsewhere").respond_with_data("{}")
    client = HttpClient(settings_from(HttpConfig(retries=0, min_interval=0.0)))
    try:
        response = client.request(
            "GET",
            f"http://localhost:{port}/api",
            headers={header: "SECRET-KEY"},
            respect_robots=False,
        )
    finally:
        client.close()
    assert response.status == 200
    first, second = (request for request, _ in httpserver.log)
    assert first.headers.get(header) == "SECRET-KEY"  # sent to the API itself
    assert second.path == "/elsewhere" and header not in second.headers


# --------------------------------------------------------------------------- dry run


def test_dry_run_sends_nothing_and_lists_every_field_per_host(
    httpserver: HTTPServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    exposure_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    httpserver.expect_request("").respond_with_data("should never be asked", status=500)
    base = httpserver.url_for("").rstrip("/")
    local = urlsplit(base).hostname
    write_config(exposure_home, base)
    for var, value in KEYS.items():
        monkeypatch.setenv(var, value)
    sites, brokers = write_catalogues(tmp_path, base)
    assert main(["profile", "add", "jane", *PROFILE_ARGS]) == 0
    capsys.readouterr()
    argv = [
        "scan",
        "--profile",
        "jane",
        "--sites",
        str(sites),
        "--brokers",
        str(brokers),
        "--dry-run",
    ]
    assert main([*argv, "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert httpserver.log == []  # nothing was sent, not even robots.txt
    sends = plan["sends"]
    assert set(sends) >= {"sites", "brokers", "hibp", "github", "gravatar", "search", "pgp", "rdap"}
    fields_by_checker = {
        checker: {v.split("=", 1)[0] for values in hosts.values() for v in values}
        for checker, hosts in sends.items()
    }
    assert fields_by_checker["sites"] == {"username"}
    assert fields_by_checker["brokers"] == {"name", "city"}
    for checker in ("hibp", "github", "gravatar", "pgp", "rdap"):
        assert fields_by_checker[checker] == {"email"}, checker
    assert "name" in fields_by_checker["search"] and "email" in fields_by_checker["search"]
    for checker, hosts in sends.items():
        for host in hosts:
            assert host == local, (checker, host)  # the configured host, no other
    # The text form names each host and each value that would go there.
    assert f"{local}  <-  " in text and "email=jane.doe@example.test" in text
    assert "username=janedoe" in text and "name=Jane Doe" in text
    for value in KEYS.values():  # keys are not "profile fields": never listed
        assert value not in text and value not in json.dumps(plan)


# --------------------------------------------------------------------------- a realistic run

KEYS = {
    "EXPOSURE_HIBP_API_KEY": "hibpKEY-1f2e3d4c5b6a-SECRET",
    "EXPOSURE_GITHUB_TOKEN": "ghp_TOKEN9a8b7c6d5e4f3SECRET",
    "EXPOSURE_BRAVE_API_KEY": "braveKEY-0a1b2c3d4e5f-SECRET",
    "EXPOSURE_GRAVATAR_API_KEY": "gravKEY-6f5e4d3c2b1a-SECRET",
}
PASSWORD = "Tr0ub4dor&3-correct-horse-Ω"
PASSWORD_SHA1 = hashlib.sha1(PASSWORD.encode("utf-8")).hexdigest().upper()
PROFILE_ARGS = [
    "--name",
    "Jane Doe",
    "--email",
    "jane.doe@example.test",
    "--username",
    "janedoe",
    "--location",
    "Austin, TX",
    "--birth-date",
    "1983-04-05",
    "--phone",
    "+1 512 555 0142",
]
CARD = (
    "<div class='card'><h2><a href='/brokers/p/{n}'>Jane Doe</a></h2><p>Age 43</p>"
    "<p>Lives in Austin, TX</p><p>(512) 555-0142</p><p class='echo'>{echo}</p></div>"
)


def write_config(home: Path, base: str) -> None:
    """The person's own config file (written 0644, as an editor would)."""
    home.mkdir(parents=True, exist_ok=True)
    lines = [
        "[http]",
        "retries = 0",
        "backoff = 0.01",
        "min_interval = 0.0",
        "timeout = 5.0",
        "deadline = 10.0",
        "",
        "[checkers.hibp]",
        f'base_url = "{base}/hibp"',
        "min_interval = 0",
        "",
        "[checkers.github]",
        f'base_url = "{base}/github"',
        "",
        "[checkers.gravatar]",
        f'base_url = "{base}/gravatar"',
        "",
        "[checkers.pgp]",
        f'base_url = "{base}/pgp"',
        "",
        "[checkers.rdap]",
        f'base_url = "{base}/rdap"',
        "",
        "[checkers.search]",
        'engine = "brave"',
        f'base_url = "{base}/brave"',
        "",
        "[checkers.pwned_passwords]",
        f'base_url = "{base}/pwned"',
        "",
    ]
    path = home / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o644)


def write_catalogues(tmp_path: Path, base: str) -> tuple[Path, Path]:
    sites = tmp_path / "sites.json"
    rule = {"e_code": 200, "e_string": "profile of", "m_code": 404, "m_string": "no such user"}
    sites.write_text(
        json.dumps(
            {
                "sites": [
                    {"name": "Found", "uri_check": f"{base}/sites/found/{{account}}", **rule},
                    {"name": "Missing", "uri_check": f"{base}/sites/missing/{{account}}", **rule},
                ]
            }
        )
    )
    brokers = tmp_path / "brokers.toml"
    brokers.write_text(
        '[[broker]]\nid = "finder"\nname = "Finder"\ncountry = "US"\n'
        f'search_url = "{base}/brokers/search?q={{full_name}}&where={{city}}"\n'
        f'opt_out_url = "{base}/brokers/optout"\n'
        'opt_out = { method = "web-form", requires = ["email"], days = 3 }\n'
    )
    return sites, brokers


def echo(request: Request) -> str:
    """Everything the request carried, as a careless server might print it back."""
    headers = "; ".join(f"{k}: {v}" for k, v in request.headers.items())
    return f"{request.method} {unquote(request.full_path)} | {headers}"


def answer(request: Request) -> Response:
    """A plausible answer for every source, each echoing the request back."""
    path, said = request.path, echo(request)
    as_json = "application/json"
    if path == "/robots.txt":
        return Response("", status=404)
    if path.startswith("/hibp/breachedaccount/") or path == "/hibp/breaches":
        breach = {
            "Name": "Echoed",
            "Title": "Echoed",
            "Domain": "echoed.test",
            "BreachDate": "2020-01-01",
            "AddedDate": "2020-02-01T00:00:00Z",
            "PwnCount": 1000,
            "Description": said,
            "DataClasses": ["Email addresses", "Passwords"],
            "IsVerified": True,
            "IsSensitive": False,
        }
        return Response(json.dumps([breach]), content_type=as_json)
    if path == "/github/search/commits":
        item = {
            "repository": {"full_name": "jane/echo", "html_url": "https://gh.test/jane/echo"},
            "commit": {
                "author": {"name": "Jane Doe", "email": "jane.doe@example.test"},
                "message": said,
            },
            "html_url": "https://gh.test/jane/echo/commit/1",
        }
        return Response(
            json.dumps({"total_count": 1, "items": [item], "echo": said}), content_type=as_json
        )
    if path == "/github/search/users":
        item = {"login": "janedoe", "html_url": "https://gh.test/janedoe", "bio": said}
        return Response(json.dumps({"total_count": 1, "items": [item]}), content_type=as_json)
    if path.startswith("/gravatar/profiles/"):
        doc = {
            "hash": path.rsplit("/", 1)[-1],
            "profile_url": "https://grav.test/jane",
            "display_name": "Jane Doe",
            "avatar_url": "https://grav.test/a.png",
            "location": "Austin, TX",
            "description": said,
            "job_title": said[:200],
        }
        return Response(json.dumps(doc), content_type=as_json)
    if path == "/brave/res/v1/web/search":
        result = {
            "url": "https://people.test/jane-doe",
            "title": "Jane Doe, Austin TX",
            "description": f"Jane Doe jane.doe@example.test age 43 Austin, TX {said}",
        }
        return Response(
            json.dumps({"type": "search", "web": {"results": [result]}}), content_type=as_json
        )
    if path.startswith("/sites/found/"):
        return Response(f"<h1>profile of janedoe</h1><p>{said}</p>", content_type="text/html")
    if path.startswith("/sites/missing/"):
        return Response(f"<p>no such user</p><p>{said}</p>", status=404)
    if path == "/brokers/search":
        cards = "".join(CARD.format(n=n, echo=said) for n in range(2))
        return Response(f"<html><body>{cards}</body></html>", content_type="text/html")
    if path.startswith("/pwned/range/"):
        prefix = path.rsplit("/", 1)[-1].upper()
        lines = [f"{'0' * 35}:0", f"{'A' * 35}:3"]
        if PASSWORD_SHA1.startswith(prefix):
            lines.append(f"{PASSWORD_SHA1[5:]}:42")
        return Response("\r\n".join(lines) + f"\r\n{'F' * 35}:0", content_type="text/plain")
    return Response(json.dumps({"message": said}), status=404, content_type=as_json)


@dataclass
class Run:
    home: Path
    out_dir: Path
    server: HTTPServer
    outputs: list[tuple[list[str], bytes, bytes]] = field(default_factory=list)


def _cli(run: Run, env: dict[str, str], *argv: str, stdin: bytes = b"") -> tuple[int, bytes]:
    proc = subprocess.run(
        [sys.executable, "-m", "exposure.cli", "-v", *argv],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    run.outputs.append((list(argv), proc.stdout, proc.stderr))
    return proc.returncode, proc.stdout


@pytest.fixture(scope="module")
def realistic_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """profile add, a full scan with every key set, a password check, checklist done,
    reports in every format and an evidence export — as a person would, one process
    per command, against a loopback server that echoes every request back."""
    root = tmp_path_factory.mktemp("realistic")
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("").respond_with_handler(answer)
    server.start()
    try:
        run = Run(home=root / "home", out_dir=root / "out", server=server)
        run.out_dir.mkdir()
        base = server.url_for("").rstrip("/")
        env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
        env.update(KEYS)
        env.update(
            EXPOSURE_HOME=str(run.home),
            NO_PROXY="127.0.0.1,localhost",
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        write_config(run.home, base)
        sites, brokers = write_catalogues(root, base)
        assert _cli(run, env, "profile", "add", "jane", *PROFILE_ARGS)[0] == 0
        status, _ = _cli(
            run, env, "scan", "--profile", "jane", "--sites", str(sites), "--brokers", str(brokers)
        )
        assert status == 3, run.outputs[-1]
        status, _ = _cli(
            run,
            env,
            "password",
            "check",
            "--profile",
            "jane",
            stdin=(PASSWORD + "\n").encode("utf-8"),
        )
        assert status == 3, run.outputs[-1]  # seen 42 times: change it
        status, out = _cli(run, env, "checklist", "--profile", "jane", "--format", "json")
        items = json.loads(out)["items"]
        assert status == 0 and items
        assert _cli(run, env, "checklist", "done", items[0]["id"], "--profile", "jane")[0] == 0
        for fmt in ("html", "md", "json", "csv"):
            target = run.out_dir / f"report.{fmt}"
            assert (
                _cli(
                    run,
                    env,
                    "report",
                    "--profile",
                    "jane",
                    "--format",
                    fmt,
                    "--output",
                    str(target),
                )[0]
                == 0
            ), run.outputs[-1]
        pack = run.out_dir / "pack.zip"
        assert (
            _cli(run, env, "evidence", "export", "--profile", "jane", "--output", str(pack))[0] == 0
        ), run.outputs[-1]
        assert _cli(run, env, "evidence", "verify", str(pack))[0] == 0
        for argv in (
            ["findings", "--format", "csv"],
            ["findings"],
            ["checklist"],
            [
                "scan",
                "--profile",
                "jane",
                "--format",
                "json",
                "--sites",
                str(sites),
                "--brokers",
                str(brokers),
            ],
        ):
            _cli(run, env, *argv)
        yield run
    finally:
        server.clear()
        server.stop()


@pytest.mark.slow
def test_realistic_run_found_things(realistic_run: Run) -> None:
    """The run below really exercised every keyed checker (else the next tests prove little)."""
    asked = {entry[0].path.split("/")[1] for entry in realistic_run.server.log}
    assert {"hibp", "github", "gravatar", "brave", "sites", "brokers", "pwned"} <= asked
    findings = json.loads(
        next(
            out for argv, out, _ in realistic_run.outputs if argv[:1] == ["scan"] and "json" in argv
        )
    )["findings"]
    checkers = {f["checker"] for f in findings}
    assert {"hibp", "github", "gravatar", "sites", "brokers"} <= checkers, checkers
    assert any(f.get("evidence") for f in findings)


def test_personal_files_are_0600_in_0700_folders(realistic_run: Run) -> None:
    """Every folder under $EXPOSURE_HOME is 0700 and every file 0600.

    The one exception is config.toml: the person writes it (here 0644, as an
    editor with umask 022 would); it holds settings and base URLs, never a key
    or profile data, and exposure never rewrites it.
    """
    home = realistic_run.home
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    bad: list[str] = []
    count = 0
    for root, dirs, files in os.walk(home):
        for name in dirs:
            mode = stat.S_IMODE((Path(root) / name).lstat().st_mode)
            if mode != 0o700:
                bad.append(f"{Path(root, name).relative_to(home)}/ {oct(mode)}")
        for name in files:
            path = Path(root) / name
            if path == home / "config.toml":
                continue
            count += 1
            info = path.lstat()
            assert stat.S_ISREG(info.st_mode), path  # no symlinks, sockets or fifos
            if stat.S_IMODE(info.st_mode) != 0o600:
                bad.append(f"{path.relative_to(home)} {oct(stat.S_IMODE(info.st_mode))}")
    assert not bad, bad
    assert count >= 5  # profile, database, evidence captures, caches...
    for output in realistic_run.out_dir.iterdir():  # reports and the pack, wherever written
        assert stat.S_IMODE(output.stat().st_mode) == 0o600, output


def _secrets() -> dict[str, bytes]:
    found = {name: value.encode() for name, value in KEYS.items()}
    found["password"] = PASSWORD.encode("utf-8")
    for case in (str.upper, str.lower):
        found[f"sha1 {case.__name__}"] = case(PASSWORD_SHA1).encode()
        found[f"sha1 suffix {case.__name__}"] = case(PASSWORD_SHA1[5:]).encode()
    return found


def _places_to_search(run: Run) -> Iterator[tuple[str, bytes]]:
    for root, _dirs, files in os.walk(run.home):
        for name in files:
            path = Path(root) / name
            yield str(path.relative_to(run.home)), path.read_bytes()
    for output in run.out_dir.iterdir():
        body = output.read_bytes()
        yield output.name, body
        if output.suffix == ".zip":
            with zipfile.ZipFile(output) as zf:
                for member in zf.namelist():
                    yield f"{output.name}:{member}", zf.read(member)
    for argv, out, err in run.outputs:
        yield f"stdout of {' '.join(argv[:3])}", out
        yield f"stderr of {' '.join(argv[:3])}", err


def test_no_key_password_or_hash_is_kept_or_shown(realistic_run: Run) -> None:
    secrets = _secrets()
    leaks = [
        f"{what} in {where}"
        for where, body in _places_to_search(realistic_run)
        for what, secret in secrets.items()
        if secret in body
    ]
    assert not leaks, "\n".join(leaks)
    # The database did record the password result, without the password.
    db = (realistic_run.home / "exposure.db").read_bytes()
    assert b"a password you checked on" in db


def test_keys_go_only_to_their_own_api(realistic_run: Run) -> None:
    owner = {
        "EXPOSURE_HIBP_API_KEY": "hibp",
        "EXPOSURE_GITHUB_TOKEN": "github",
        "EXPOSURE_BRAVE_API_KEY": "brave",
        "EXPOSURE_GRAVATAR_API_KEY": "gravatar",
    }
    for request, _response in realistic_run.server.log:
        sent = (request.full_path + "\n" + str(request.headers)).encode()
        prefix = request.path.split("/")[1]
        for var, value in KEYS.items():
            if owner[var] != prefix:
                assert value.encode() not in sent, (var, request.path)
        if prefix == "pwned":
            tail = request.path.rsplit("/", 1)[-1]
            assert len(tail) == 5  # only the first 5 hex characters of the SHA-1 leave
            assert PASSWORD_SHA1[5:].encode() not in sent.upper()
    hibp = [r for r, _ in realistic_run.server.log if r.path.startswith("/hibp/breachedaccount")]
    assert hibp and all(
        r.headers.get("hibp-api-key") == KEYS["EXPOSURE_HIBP_API_KEY"] for r in hibp
    )
