"""``exposure checklist`` for a common username: groups in text/md/json, and one verdict for all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import (
    AccountAction,
    Check,
    Exposes,
    Finding,
    FindingKind,
    Outcome,
    Whose,
)

SITES = [f"Site{n:02d}" for n in range(12)]


def seed(home: Path) -> None:
    """Twelve accounts under "jd" nobody knows as Jane's, and a listing of her home address."""
    assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "jd"]) == 0
    with Store(home / "exposure.db", home / "evidence") as store:
        summary = store.begin_scan("jane", ["sites", "brokers"])
        for site in SITES:
            store.record_check(summary.scan_id, Check("sites", site, Outcome.FOUND))
            store.record_finding(
                summary.scan_id,
                "jane",
                Finding(
                    checker="sites",
                    source=site,
                    kind=FindingKind.ACCOUNT,
                    key=f"{site.lower()}:jd",
                    url=f"https://{site.lower()}.example.test/u/jd",
                    confidence=0.7,
                    reasons=["x"],
                    matched={"site": site, "username": "jd"},
                    whose=Whose.UNKNOWN,
                    remedy=AccountAction(site=site, username="jd"),
                ),
            )
        store.record_check(summary.scan_id, Check("brokers", "spokeo", Outcome.FOUND))
        store.record_finding(
            summary.scan_id,
            "jane",
            Finding(
                checker="brokers",
                source="spokeo",
                kind=FindingKind.PERSON_RECORD,
                key="spokeo:1",
                url="https://www.spokeo.example/Jane-Doe/1",
                confidence=0.9,
                matched={"name": "Jane Doe"},
                exposes=frozenset({Exposes.HOME_ADDRESS}),
            ),
        )
        store.finish_scan(summary)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_json_extends_the_contract_with_groups_and_folded_members(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    doc = json.loads(run(capsys, "checklist", "--profile", "jane", "--format", "json"))
    for item in doc["items"]:  # the documented keys are all still there
        assert set(item) >= {"id", "title", "status", "priority", "finding_ids", "url", "steps"}
    by_id = {i["id"]: i for i in doc["items"]}
    group = by_id["accounts:jd"]
    assert group["group"] == "accounts" and len(group["finding_ids"]) == len(SITES)
    assert [m["id"].split(":")[0] for m in group["members"]] == ["impostor"] * len(SITES)
    assert not [i for i in doc["items"] if i["id"].startswith("impostor:")]
    groups = [g["id"] for g in doc["groups"]]
    assert groups.index("home") < groups.index("accounts") < groups.index("habits")
    home = next(g for g in doc["groups"] if g["id"] == "home")
    assert home["title"] == "Your home address and phone" and "broker:spokeo" in home["items"]
    assert doc["items"][0]["group"] == "home"  # the home address comes first


def test_text_and_markdown_show_the_groups_in_order(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    text = run(capsys, "checklist", "--profile", "jane")
    home = text.index("Your home address and phone (")
    accounts = text.index("Accounts (1 item(s), 1 to do)")
    assert home < text.index("[broker:spokeo]") < accounts < text.index("[accounts:jd]")
    assert text.count("[impostor:") == 0
    assert "12 accounts under your username" in text
    md = run(capsys, "checklist", "--profile", "jane", "--format", "md")
    assert md.index("## Your home address and phone (") < md.index("## Accounts (1)")


def test_not_mine_for_the_folded_item_through_the_cli(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    out = run(capsys, "checklist", "not-mine", "accounts:jd", "--profile", "jane")
    assert out.strip() == f"accounts:jd: {len(SITES)} account(s) marked not yours"
    text = run(capsys, "checklist", "--profile", "jane")
    assert "accounts:jd" not in text and "[broker:spokeo]" in text
    found = json.loads(run(capsys, "findings", "--profile", "jane", "--format", "json"))
    assert found  # the findings are kept, only marked
    assert main(["checklist", "mine", "broker:spokeo", "--profile", "jane"]) == 2
    assert "not an account item" in capsys.readouterr().err
    assert main(["checklist", "mine", "accounts:jd"]) == 2
    assert "needs --profile" in capsys.readouterr().err
