"""Checks by hand (``exposure import``): the checklist, coverage and nothing half-recorded.

A broker on loopback answers with a challenge (blocked); the person saves the
results page from their own browser and imports it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserweb import BrowserWeb, fixture

from exposure.cli import main


@pytest.fixture
def web() -> Iterator[BrowserWeb]:
    server = BrowserWeb()
    yield server
    server.close()


@pytest.fixture
def blocked(web: BrowserWeb, tmp_path: Path) -> Path:
    """Jane, scanned once against a broker whose search is a challenge page."""
    file = tmp_path / "brokers.toml"
    file.write_text(
        '[[broker]]\nid = "peoplefinderz"\nname = "PeopleFinderz"\ncountry = "US"\n'
        f'search_url = "{web.base}/assisted/search?q={{full_name}}"\n'
        f'opt_out_url = "{web.base}/optout"\n'
    )
    argv = ["profile", "add", "jane", "--name", "Jane Q Doe", "--location", "Austin, TX"]
    assert main([*argv, "--phone", "+15125550100", "--username", "janeqdoe"]) == 0
    main(["scan", "--profile", "jane", "--only", "brokers", "--brokers", str(file), "--quiet"])
    return file


def as_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    capsys.readouterr()
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def checklist_ids(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    items = as_json(capsys, ["checklist", "--profile", "jane"])
    if isinstance(items, dict):
        items = items.get("items") or items.get("checklist") or []
    return {i["id"]: i for i in items}


def saved_results(tmp_path: Path, name: str = "results.html") -> Path:
    file = tmp_path / name
    file.write_text(fixture("results.html"), encoding="utf-8")
    return file


def test_a_blocked_broker_offers_both_ways_with_the_exact_commands(
    blocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = checklist_ids(capsys)["check:broker:peoplefinderz"]
    steps = "\n".join(item["steps"])
    assert "`exposure assist --profile jane --source peoplefinderz`" in steps
    assert "`exposure import --profile jane --source peoplefinderz FILE`" in steps


def test_an_import_checks_the_source_for_the_checklist_and_coverage(
    blocked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = as_json(capsys, ["report", "--profile", "jane"])["coverage"]
    assert before["checked"] == 0 and before["attempted"] >= 1
    argv = ["import", "--profile", "jane", "--source", "peoplefinderz", "--brokers", str(blocked)]
    doc = as_json(capsys, [*argv, str(saved_results(tmp_path))])
    [check] = doc["checks"]
    assert check["status"] == "found"
    assert check["detail"].startswith("saved by you: ")
    items = checklist_ids(capsys)
    assert "check:broker:peoplefinderz" not in items
    assert "broker:peoplefinderz" in items  # the listing's opt-out item, from the import
    after = as_json(capsys, ["report", "--profile", "jane"])["coverage"]
    assert after["checked"] == 1 and after["attempted"] == 1  # its blocked checks replaced
    assert after["sufficient"] is True


def test_bad_files_are_one_line_and_nothing_is_recorded(
    blocked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.html"
    big.write_text(fixture("results.html") + " " * (6 << 20))
    text = tmp_path / "notes.html"
    text.write_text("just my notes")
    hostile = tmp_path / "page.mhtml"
    hostile.write_bytes(b'Content-Type: multipart/related; boundary="B"\r\n\r\n--B--\r\n')
    scans = len(as_json(capsys, ["report", "--profile", "jane"])["scores"])
    before = checklist_ids(capsys)
    for file in (big, text, hostile, tmp_path / "missing.html"):
        capsys.readouterr()
        argv = ["import", "--profile", "jane", "--source", "peoplefinderz", str(file)]
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("exposure: error: ") and "\n" not in err, err
    assert checklist_ids(capsys).keys() == before.keys()
    assert len(as_json(capsys, ["report", "--profile", "jane"])["scores"]) == scans
    found = as_json(capsys, ["findings", "--profile", "jane", "--min-confidence", "0"])
    assert found["findings"] == []


def test_a_saved_challenge_page_is_said_and_not_recorded(
    blocked: Path, web: BrowserWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import requests

    page = tmp_path / "challenge.html"
    page.write_bytes(requests.get(f"{web.base}/assisted/search", timeout=5).content)
    capsys.readouterr()
    argv = ["import", "--profile", "jane", "--source", "peoplefinderz", "--brokers", str(blocked)]
    assert main([*argv, str(page)]) == 1
    err = capsys.readouterr().err
    assert "blocked" in err and "nothing recorded" in err
    assert "check:broker:peoplefinderz" in checklist_ids(capsys)


def test_a_source_of_your_own_is_read_like_a_broker(
    blocked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import", "--profile", "jane", "--source", "my local paper"]
    doc = as_json(capsys, [*argv, str(saved_results(tmp_path, "paper.htm"))])
    assert doc["checks"][0]["source"] == "my local paper"
    assert any("Jane Q Doe" in f["title"] for f in doc["findings"])


def test_a_saved_account_page_is_read_with_the_sites_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = tmp_path / "sites.json"
    sites.write_text(
        json.dumps(
            {
                "sites": [
                    {
                        "name": "Chirper",
                        "uri_check": "http://127.0.0.1:9/u/{account}",
                        "e_code": 200,
                        "e_string": "Followers",
                        "m_code": 404,
                        "m_string": "This account doesn't exist",
                        "cat": "social",
                    }
                ]
            }
        )
    )
    assert main(["profile", "add", "sam", "--name", "Sam Roe", "--username", "samroe"]) == 0
    page = tmp_path / "profile.html"
    page.write_text("<html><body><h1>@samroe</h1><p>12 Followers</p></body></html>")
    argv = ["import", "--profile", "sam", "--source", "chirper", "--sites", str(sites)]
    doc = as_json(capsys, [*argv, str(page)])
    assert doc["checks"][0]["status"] == "found"
    [finding] = doc["findings"]
    assert finding["kind"] == "account" and "samroe" in finding["title"]
    assert finding["evidence"]["method"] == "saved by you"
    gone = tmp_path / "gone.html"
    gone.write_text("<html><body><p>This account doesn't exist</p></body></html>")
    doc = as_json(capsys, [*argv, str(gone)])
    assert doc["checks"][0]["status"] == "absent" and doc["findings"] == []
