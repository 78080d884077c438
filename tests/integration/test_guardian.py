"""Guardian mode: child weighting, guardian scans, the guardian report, ages."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.cli import main
from exposure.config import Config
from exposure.engine import guardian
from exposure.errors import UsageError
from exposure.model import (
    AccountAction,
    Capture,
    Check,
    Finding,
    FindingKind,
    Outcome,
    Profile,
    Severity,
)

TODAY = date(2026, 6, 1)


def child(**extra: object) -> Profile:
    data: dict[str, object] = {
        "id": "sam",
        "names": ["Sam Example"],
        "usernames": ["sam_plays"],
        "locations": ["Exampleville, OR"],
        "birth_date": date(2015, 3, 10),
        "guardian": "robin",
    }
    data.update(extra)
    return Profile(**data)  # type: ignore[arg-type]


def account(category: str, body: str = "") -> Finding:
    return Finding(
        checker="sites",
        source="PixelPlay",
        kind=FindingKind.ACCOUNT,
        key="pixelplay:sam",
        url="http://127.0.0.1/pixelplay/sam",
        confidence=0.7,
        reasons=["an account"],
        matched={"username": "sam_plays", "site": "PixelPlay", "category": category},
        remedy=AccountAction(site="PixelPlay", username="sam_plays", category=category),
        capture=Capture(body=body.encode(), url="u", final_url="u") if body else None,
    )


# --------------------------------------------------------------------------- weighting


@pytest.mark.parametrize("category", ["gaming", "video", "chat"])
def test_child_platforms_are_flagged_and_boosted(category: str) -> None:
    out = guardian.adjust_finding(child(), account(category))
    assert out.child is not None and out.child.child_platform is True
    assert out.confidence == pytest.approx(0.85)
    assert any(category in r for r in out.reasons)


def test_other_platforms_are_left_alone() -> None:
    before = account("coding")
    assert guardian.adjust_finding(child(), before) is before


def test_school_next_to_the_name_is_high_severity() -> None:
    page = (
        "<html><body><div class='card'><h2>Sam Example</h2><p>Age 11</p>"
        "<p>Lives in Exampleville, OR</p><p>Exampleville Elementary School</p></div>"
        "</body></html>"
    )
    record = Finding(
        checker="brokers",
        source="findpeople",
        kind=FindingKind.PERSON_RECORD,
        key="k",
        url="u",
        confidence=0.6,
        reasons=["name 1.00"],
        capture=Capture(body=page.encode(), url="u", final_url="u"),
    )
    out = guardian.adjust_finding(child(), record)
    assert out.child is not None
    assert out.child.school == "Exampleville Elementary School"
    assert out.child.town == "Exampleville"
    assert out.severity is Severity.HIGH
    assert out.confidence == pytest.approx(0.85)


def test_school_far_from_the_name_or_of_someone_else_does_not_count() -> None:
    filler = "lorem ipsum " * 40
    text = f"Sam Example, age 11. {filler} Alex Sample attends Fictionburg Academy."
    assert guardian.near_name(child(locations=[]), text) == guardian.NearName()
    # "primary" alone (a primary phone) and a plant nursery are not schools
    text = "Sam Example. Primary phone (503) 555-0100. Garden nursery nearby."
    assert guardian.near_name(child(locations=[]), text).school == ""


def test_hostile_text_in_the_school_phrase_is_cleaned() -> None:
    text = "Sam Example goes to Evil\x1b[31m Academy"
    near = guardian.near_name(child(), text)
    assert "\x1b" not in near.school


def test_adults_and_non_children_are_not_weighted() -> None:
    from exposure.checkers.sites import SitesChecker

    checkers: list[Checker] = [SitesChecker()]
    assert guardian.child_checkers(child(birth_date=date(2000, 1, 1)), checkers) is checkers
    assert guardian.child_checkers(child(guardian=None), checkers) is checkers
    [wrapped] = guardian.child_checkers(child(birth_date=None), checkers)  # unknown age: a child
    assert isinstance(wrapped, guardian.ChildScan) and wrapped.id == "sites"


class _GamingAccount(Checker):
    """One task, on one host, finding the child's account on a gaming site."""

    id = "sites"
    title = "Sites"
    description = "a gaming account"

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        return []

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        result = TaskResult([Check(self.id, "PixelPlay", Outcome.FOUND)], [account("gaming")])
        return [Task(self.id, "PixelPlay", lambda: result, host="pixelplay.example")]


def test_the_runner_weights_a_minor_only_through_the_hook(tmp_path: Path) -> None:
    from exposure.engine.scan import ScanFinished, run_scan
    from exposure.engine.store import Store

    kid = child(birth_date=None)  # unknown age: a child

    def scan(**kwargs: Any) -> Finding:
        with Store(tmp_path / "db.sqlite", tmp_path / "evidence") as store:
            last = list(run_scan(kid, [_GamingAccount()], store=store, config=Config(), **kwargs))
        assert isinstance(last[-1], ScanFinished)
        [finding] = last[-1].summary.findings
        return finding

    plain = scan()  # the runner itself knows nothing of guardian mode
    assert plain.child is None and plain.confidence == 0.7
    weighted = scan(hooks=guardian.result_hooks(kid))
    assert weighted.child is not None and weighted.child.child_platform
    assert weighted.confidence == pytest.approx(0.7 + guardian.PLATFORM_BOOST)
    assert guardian.result_hooks(child(birth_date=date(2000, 1, 1))) == []
    assert guardian.result_hooks(child(guardian=None)) == []


def test_child_scan_tasks_keep_their_host() -> None:
    ctx = ScanContext(profile=child(), config=Config(), http=None)  # type: ignore[arg-type]
    [task] = guardian.ChildScan(_GamingAccount(), child(birth_date=None)).tasks(ctx)
    assert (task.checker, task.source, task.host) == ("sites", "PixelPlay", "pixelplay.example")
    [finding] = task.run().findings
    assert finding.child is not None and finding.child.child_platform


def test_ages_and_coming_of_age() -> None:
    assert guardian.age(child(), TODAY) == 11
    assert guardian.coming_of_age_note(child(), TODAY) is None
    note = guardian.coming_of_age_note(child(birth_date=date(2008, 6, 1)), TODAY)
    assert note is not None and "18" in note and "--clear-guardian" in note
    assert guardian.coming_of_age_note(child(birth_date=date(2008, 6, 2)), TODAY) is None


def test_grouped_puts_children_under_their_guardian() -> None:
    people = [
        Profile("alex"),
        Profile("kid", guardian="robin"),
        Profile("robin"),
        Profile("orphan", guardian="gone"),
    ]
    order = [(p.id, depth) for p, depth in guardian.grouped(people)]
    assert order == [("alex", 0), ("robin", 0), ("kid", 1), ("orphan", 0)]


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def sites(httpserver: HTTPServer, tmp_path: Path) -> Path:
    def answer(request: Request) -> Response:
        user = request.path.rsplit("/", 1)[-1]
        if request.path.startswith("/game/") and user == "sam_plays":
            return Response(
                "<h1>profile of sam_plays</h1><p>Sam Example, Exampleville Elementary School</p>",
                status=200,
            )
        if request.path.startswith("/code/") and user == "robin_example":
            return Response("<h1>profile of robin_example</h1>", status=200)
        return Response("no such user", status=404)

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    rule = {
        "e_code": 200,
        "e_string": "profile of",
        "m_code": 404,
        "m_string": "no such user",
        "known": ["x"],
    }
    path = tmp_path / "sites.json"
    path.write_text(
        json.dumps(
            {
                "sites": [
                    {
                        "name": "PixelPlay",
                        "uri_check": f"{base}/game/{{account}}",
                        "cat": "gaming",
                        **rule,
                    },
                    {
                        "name": "CodeShelf",
                        "uri_check": f"{base}/code/{{account}}",
                        "cat": "coding",
                        **rule,
                    },
                ]
            }
        )
    )
    return path


def family(*kid_extra: str) -> None:
    assert (
        main(["profile", "add", "robin", "--name", "Robin Example", "--username", "robin_example"])
        == 0
    )
    assert (
        main(
            [
                "profile",
                "add",
                "sam",
                "--name",
                "Sam Example",
                "--username",
                "sam_plays",
                "--location",
                "Exampleville, OR",
                "--guardian",
                "robin",
                *kid_extra,
            ]
        )
        == 0
    )


def test_guardian_scan_scans_only_the_children(
    sites: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    family("--birth-date", "2015-03-10")
    capsys.readouterr()
    status = main(
        [
            "scan",
            "--guardian",
            "robin",
            "--only",
            "sites",
            "--sites",
            str(sites),
            "--format",
            "json",
        ]
    )
    assert status == 3
    lines = capsys.readouterr().out.strip().splitlines()
    [doc] = [json.loads(line) for line in lines]  # JSON Lines: one compact document each
    assert doc["profile"] == "sam"
    [finding] = doc["findings"]
    assert finding["source"] == "PixelPlay"
    assert finding["matched"]["child_platform"] is True
    assert finding["matched"]["school"] == "Exampleville Elementary School"
    assert finding["confidence"] == 1.0


def test_unknown_guardian_and_childless_guardian_exit_2(
    sites: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    family()
    capsys.readouterr()
    assert main(["scan", "--guardian", "nobody", "--sites", str(sites)]) == 2
    assert "unknown guardian 'nobody'" in capsys.readouterr().err
    assert main(["scan", "--guardian", "sam", "--sites", str(sites)]) == 2
    assert "nobody's guardian" in capsys.readouterr().err
    assert main(["guardian", "report", "nobody"]) == 2


def test_child_who_turned_18_is_flagged_everywhere(
    sites: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    family("--birth-date", "2001-01-01")
    capsys.readouterr()
    assert (
        main(
            [
                "scan",
                "--guardian",
                "robin",
                "--only",
                "sites",
                "--sites",
                str(sites),
                "--format",
                "json",
            ]
        )
        == 3
    )
    captured = capsys.readouterr()
    assert "profile sam is" in captured.err and "their profile is their own" in captured.err
    [finding] = json.loads(captured.out)["findings"]
    assert "child_platform" not in finding["matched"]  # an adult's scan is not weighted
    assert main(["profile", "list"]) == 0
    out = capsys.readouterr().out
    assert "note: profile sam is" in out
    assert main(["guardian", "report", "robin", "--format", "json"]) == 0
    [kid] = json.loads(capsys.readouterr().out)["children"]
    assert kid["adult"] is True and kid["note"]


def test_profile_list_groups_children_with_ages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "add", "alex", "--name", "Alex Sample"]) == 0
    family("--birth-date", "2015-03-10")
    assert main(["profile", "add", "zed", "--name", "Zed Sample"]) == 0
    capsys.readouterr()
    assert main(["profile", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["alex", "robin", "sam", "zed"]
    assert rows[2]["age"] == guardian.age(child(), date.today())
    assert main(["profile", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "AGE" in lines[0] and lines[3].startswith("sam")


def test_guardian_report_formats(
    sites: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    family("--birth-date", "2015-03-10")
    assert (
        main(["scan", "--guardian", "robin", "--only", "sites", "--sites", str(sites), "--quiet"])
        == 3
    )
    capsys.readouterr()
    assert main(["guardian", "report", "robin", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["guardian"] == "robin"
    [kid] = data["children"]
    assert kid["profile"] == "sam" and kid["age"] == guardian.age(child(), date.today())
    [unknown] = kid["accounts"]["unknown"]
    assert unknown["severity"] == "high" and unknown["matched"]["child_platform"]
    assert kid["accounts"]["known"] == []
    assert any("PixelPlay" in p and "impostor" in p for p in kid["talk_about"])
    assert len(data["advice"]) == 6

    assert main(["guardian", "report", "robin"]) == 0
    md = capsys.readouterr().out
    assert "## Sam Example (age" in md and "**HIGH**" in md
    assert "Checklist for parents" in md and "authorities" in md

    target = tmp_path / "guardian.html"
    assert main(["guardian", "report", "robin", "--format", "html", "--output", str(target)]) == 0
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Sam Example" in page
    assert target.stat().st_mode & 0o777 == 0o600

    # `exposure report --guardian` is the same report.
    capsys.readouterr()
    assert main(["report", "--guardian", "robin", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["guardian"] == "robin"
    assert main(["report", "--guardian", "robin", "--format", "csv"]) == 2
    assert main(["report", "--guardian", "nobody", "--format", "md"]) == 2


def test_guardian_report_escapes_hostile_text(capsys: pytest.CaptureFixture[str]) -> None:
    from exposure.engine.store import Store

    family()
    with Store.open_current() as store:
        scan = store.begin_scan("sam", ["sites"])
        evil = Finding(
            checker="sites",
            source="<script>alert(1)</script>",
            kind=FindingKind.ACCOUNT,
            key="x",
            url="javascript:alert(1)",
            confidence=0.9,
            reasons=["\x1b[2J<b>bold</b>"],
            matched={"site": "<img src=x>", "username": "sam"},
            remedy=AccountAction(site="<img src=x>", username="sam"),
        )
        store.record_finding(scan.scan_id, "sam", evil)
        store.finish_scan(scan)
        page = guardian.guardian_report(store, "robin", "html")
        md = guardian.guardian_report(store, "robin", "md")
    assert "<script>alert" not in page and "<img src=x>" not in page
    assert 'href="javascript:' not in page
    assert "\x1b" not in page and "\x1b" not in md
    with pytest.raises(UsageError, match="unknown report format"):
        guardian.guardian_report(Store.open_current(), "robin", "pdf")
