"""``exposure checklist`` and the JustDeleteMe part of ``sources update``, through the CLI."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from exposure.catalogues.accounts import CACHE_NAME, DEFAULT_JDM_URL
from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import AccountAction, AskToRemove, Check, Finding, FindingKind, Outcome, Whose


def add_jane() -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "jd"]) == 0


def seed(home: Path, *, present: bool = True) -> None:
    """One scan: an old forum account of Jane's, and an unknown account under her username."""
    with Store(home / "exposure.db", home / "evidence") as store:
        summary = store.begin_scan("jane", ["sites"])
        for site in ("Oldforum", "Chirper"):
            store.record_check(
                summary.scan_id, Check("sites", site, Outcome.FOUND if present else Outcome.ABSENT)
            )
        if present:
            for site, own in (("Oldforum", True), ("Chirper", False)):
                store.record_finding(
                    summary.scan_id,
                    "jane",
                    Finding(
                        checker="sites",
                        source=site,
                        kind=FindingKind.ACCOUNT,
                        key=f"{site.lower()}:jd",
                        url=f"https://{site.lower()}.example.test/u/jd",
                        confidence=1.0 if own else 0.7,
                        reasons=["x"],
                        matched={"site": site, "username": "jd"},
                        whose=Whose.OWN if own else Whose.UNKNOWN,
                        remedy=AccountAction(site=site, username="jd"),
                    ),
                )
        store.finish_scan(summary)


def checklist_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    capsys.readouterr()
    assert main(["checklist", "--profile", "jane", "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract(exposure_home: Path, capsys) -> None:
    add_jane()
    seed(exposure_home)
    doc = checklist_json(capsys)
    assert doc["profile"] == "jane"
    by_id = {i["id"]: i for i in doc["items"]}
    for item in doc["items"]:
        assert set(item) >= {"id", "title", "status", "priority", "finding_ids", "url", "steps"}
        assert item["status"] in ("open", "done", "verified", "relisted")
        assert 1 <= item["priority"] <= 5
    assert by_id["account:oldforum"]["priority"] == 4
    [impostor] = [i for i in doc["items"] if i["id"].startswith("impostor:")]
    assert impostor["priority"] == 1 and len(impostor["finding_ids"]) == 1
    assert "baseline:password-manager" in by_id


def test_done_undo_and_verified_through_the_cli(exposure_home: Path, capsys) -> None:
    add_jane()
    seed(exposure_home)
    assert main(["checklist", "done", "account:oldforum", "--profile", "jane"]) == 0
    assert "account:oldforum: done" in capsys.readouterr().out
    by_id = {i["id"]: i for i in checklist_json(capsys)["items"]}
    assert by_id["account:oldforum"]["status"] == "done"
    assert by_id["account:oldforum"]["changed_at"].endswith("Z")

    assert main(["checklist", "--profile", "jane", "undo", "account:oldforum"]) == 0
    by_id = {i["id"]: i for i in checklist_json(capsys)["items"]}
    assert by_id["account:oldforum"]["status"] == "open"

    assert main(["checklist", "done", "account:oldforum", "--profile", "jane"]) == 0
    seed(exposure_home, present=False)  # the rescan no longer sees it
    by_id = {i["id"]: i for i in checklist_json(capsys)["items"]}
    assert by_id["account:oldforum"]["status"] == "verified"


def test_exit_statuses(exposure_home: Path, capsys) -> None:
    add_jane()
    capsys.readouterr()
    assert main(["checklist", "done", "broker:nope", "--profile", "jane"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no checklist item 'broker:nope'" in err
    assert main(["checklist", "done", "baseline:two-factor"]) == 2
    assert "needs --profile" in capsys.readouterr().err
    assert main(["checklist", "--profile", "ghost"]) == 2
    assert main(["checklist", "undo", "baseline:two-factor", "--profile", "ghost"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["checklist", "--format", "pdf"])
    assert exc.value.code == 2


def test_text_and_markdown_are_terminal_safe(exposure_home: Path, capsys) -> None:
    add_jane()
    with Store(exposure_home / "exposure.db", exposure_home / "evidence") as store:
        summary = store.begin_scan("jane", ["search"])
        store.record_check(summary.scan_id, Check("search", "S", Outcome.FOUND))
        store.record_finding(
            summary.scan_id,
            "jane",
            Finding(
                checker="search",
                source="S",
                kind=FindingKind.SEARCH_RESULT,
                key="k",
                url="https://evil.test/\x1b[2J",
                confidence=0.9,
                matched={"domain": "evil\x1b]0;pwned\x07.test"},
                remedy=AskToRemove(where="evil\x1b]0;pwned\x07.test"),
            ),
        )
        store.finish_scan(summary)
    capsys.readouterr()
    assert main(["checklist", "--profile", "jane"]) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\x07" not in text
    assert "[source:search:evil-0-pwned-test]" in text and "[ ] P3" in text
    assert "exposure checklist done ID" in text
    assert main(["checklist", "--profile", "jane", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Checklist for jane") and "\x1b" not in md


def test_every_profile_as_json_lines(exposure_home: Path, capsys) -> None:
    add_jane()
    assert main(["profile", "add", "john", "--name", "John Doe"]) == 0
    capsys.readouterr()
    assert main(["checklist", "--format", "json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(json.loads(line)["profile"] for line in lines) == ["jane", "john"]


# --------------------------------------------------------------------------- sources update


def test_default_jdm_url() -> None:
    assert DEFAULT_JDM_URL == (
        "https://raw.githubusercontent.com/jdm-contrib/jdm/master/_data/sites.json"
    )


def configure(home: Path, server: HTTPServer) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        "[http]\nmin_interval = 0.0\nretries = 0\ntimeout = 3.0\ndeadline = 5.0\n\n"
        f'[checkers.sites]\nupdate_url = "{server.url_for("/wmn.json")}"\n'
        f'jdm_url = "{server.url_for("/jdm.json")}"\n',
        encoding="utf-8",
    )


WMN = {
    "sites": [
        {
            "name": "A",
            "uri_check": "https://a.example.test/{account}",
            "e_code": 200,
            "e_string": "x",
            "m_code": 404,
            "m_string": "",
            "known": ["a"],
            "cat": "x",
        }
    ]
}
JDM = [
    {
        "name": "Oldforum",
        "url": "https://oldforum.example.test/delete-me",
        "difficulty": "medium",
        "domains": ["oldforum.example.test"],
        "notes": "Ask support",
    }
]


def test_sources_update_caches_justdeleteme_and_the_checklist_uses_it(
    httpserver: HTTPServer, exposure_home: Path, capsys
) -> None:
    httpserver.expect_request("/wmn.json").respond_with_json(WMN)
    httpserver.expect_request("/jdm.json").respond_with_json(JDM)
    configure(exposure_home, httpserver)
    assert main(["sources", "update"]) == 0
    assert "JustDeleteMe deletion links: 1 sites" in capsys.readouterr().out
    cached = exposure_home / "cache" / CACHE_NAME
    assert json.loads(cached.read_text()) == JDM
    assert stat.S_IMODE(os.stat(cached).st_mode) == 0o600

    add_jane()
    seed(exposure_home)
    item = {i["id"]: i for i in checklist_json(capsys)["items"]}["account:oldforum"]
    assert item["url"] == "https://oldforum.example.test/delete-me"
    assert any("medium" in s for s in item["steps"])
    assert any("Ask support" in s for s in item["steps"])


@pytest.mark.parametrize(("body", "status"), [(b"{nope", 200), (b"[]", 200), (b"x", 500)])
def test_bad_justdeleteme_answer_keeps_the_old_copy(
    httpserver: HTTPServer, exposure_home: Path, capsys, body: bytes, status: int
) -> None:
    httpserver.expect_request("/wmn.json").respond_with_json(WMN)
    httpserver.expect_request("/jdm.json").respond_with_data(body, status=status)
    configure(exposure_home, httpserver)
    cached = exposure_home / "cache" / CACHE_NAME
    cached.parent.mkdir(parents=True)
    cached.write_text("old copy")
    assert main(["sources", "update"]) == 0  # the username catalogue did update
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "deletion links not updated" in err
    assert cached.read_text() == "old copy"


# --------------------------------------------------------------------------- the full cycle, live

RESULTS = """<!DOCTYPE html><html><head><title>Jane Doe - results</title></head><body><main>
<h1>2 people named Jane Doe</h1><div class="results">
<div class="result-card"><h2 class="name"><a href="/record/jane-q-doe">Jane Q Doe</a></h2>
<p class="age">Age 43</p><p class="location">Lives in Austin, TX</p>
<p class="phone">(512) 555-0100</p><p class="relatives">Relatives: John Doe</p></div>
<div class="result-card"><h2 class="name"><a href="/record/jane-doe-2">Jane Doe</a></h2>
<p class="age">Age 71</p><p class="location">Lives in Seattle, WA</p>
<p class="phone">(206) 555-0188</p><p class="relatives">Relatives: Robert Doe</p></div>
</div></main></body></html>"""
NO_RESULTS = """<!DOCTYPE html><html><head><title>Search</title></head><body><main>
<h1>Search results</h1>
<p>We could not find any records matching Jane Doe.</p></main></body></html>"""


def test_open_done_verified_relisted_against_a_local_broker(
    httpserver: HTTPServer, exposure_home: Path, tmp_path: Path, capsys
) -> None:
    """Three real scans of a local people-search page that drops and restores a record."""
    from werkzeug import Request, Response

    listed = {"now": True}

    def answer(request: Request) -> Response:
        if request.path == "/robots.txt":
            return Response("", status=404)
        return Response(
            RESULTS if listed["now"] else NO_RESULTS, content_type="text/html; charset=utf-8"
        )

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    broker_toml = (
        '[[broker]]\nid = "finder"\nname = "Finder"\ncountry = "US"\n'
        f'url = "{base}/"\nsearch_url = "{base}/search?q={{full_name}}"\n'
        f'opt_out_url = "{base}/optout"\nrelists = true\n'
        'opt_out = { method = "web-form", requires = ["email-verification"], days = 3 }\n'
    )
    exposure_home.mkdir(parents=True, exist_ok=True)
    (exposure_home / "config.toml").write_text(
        "[http]\nretries = 0\nmin_interval = 0.0\ntimeout = 5.0\ndeadline = 10.0\n"
    )
    (exposure_home / "brokers.d").mkdir()
    (exposure_home / "brokers.d" / "finder.toml").write_text(broker_toml)  # for the checklist
    brokers = tmp_path / "brokers.toml"
    brokers.write_text(broker_toml)
    assert (
        main(
            [
                "profile",
                "add",
                "jane",
                "--name",
                "Jane Q Doe",
                "--location",
                "Austin, TX",
                "--phone",
                "+1 512 555 0100",
            ]
        )
        == 0
    )
    scan = [
        "scan",
        "--profile",
        "jane",
        "--only",
        "brokers",
        "--brokers",
        str(brokers),
        "--format",
        "json",
    ]

    def item() -> dict:
        items = {i["id"]: i for i in checklist_json(capsys)["items"]}
        return items["broker:finder"]

    assert main(scan) == 3  # scan 1: listed
    first = item()
    assert first["status"] == "open" and first["priority"] == 1
    assert first["url"] == f"{base}/optout"
    assert main(["checklist", "done", "broker:finder", "--profile", "jane"]) == 0

    listed["now"] = False
    assert main(scan) == 0  # scan 2: the record is gone
    second = item()
    assert second["status"] == "verified" and second["changed_at"]

    listed["now"] = True
    assert main(scan) in (0, 3)  # scan 3: re-listed
    third = item()
    assert third["status"] == "relisted"
    assert third["finding_ids"] == first["finding_ids"]
    with Store(exposure_home / "exposure.db", exposure_home / "evidence") as store:
        scores = [s for _, _, s in store.scores("jane")]
    assert len(scores) == 3 and scores[1] < scores[0] and scores[2] == scores[0]
