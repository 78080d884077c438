"""Test data for the TUI tests: a fixed clock, seeded profiles and findings, a fake web.

Imported by conftest.py and the tests (tests/tui is on sys.path under pytest's
default import mode).
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from findings_kit import typed
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure import paths
from exposure.checkers.base import Checker, Registry, ScanContext, Task, TaskResult, Transmission
from exposure.checkers.sites import SitesChecker
from exposure.engine.scan import ScanOptions
from exposure.engine.store import Store
from exposure.model import BrokerOptOut, Capture, Check, Finding, FindingKind, Outcome
from exposure.people.profile import ProfileStore, build_profile

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
BLOCK_PAGE = "<html><head><title>Just a moment...</title></head><body>cf-chl</body></html>"


class Clock:
    """A settable clock standing in for exposure.engine.store.utcnow."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock(T0)
    monkeypatch.setattr("exposure.engine.store.utcnow", fixed)
    return fixed


def sites_registry() -> Registry:
    """Only the username-site checker, so tests do not depend on other checkers."""
    return Registry(checkers={"sites": SitesChecker}, broken={})


@pytest.fixture
def make_app() -> Callable[..., object]:
    from exposure.tui.app import ExposureApp

    def build(sites_file: Path | None = None, **kw: object) -> ExposureApp:
        kw.setdefault("registry", sites_registry())
        kw.setdefault("clock", lambda: NOW)
        options = ScanOptions(concurrency=1, sites_file=sites_file)
        return ExposureApp(scan_options=options, **kw)  # type: ignore[arg-type]

    return build


def add_profile(profile_id: str = "jane", **fields: object) -> None:
    fields.setdefault("names", ["Jane Doe"])
    fields.setdefault("usernames", ["janedoe"])
    profile = build_profile(profile_id, **fields)  # type: ignore[arg-type]
    ProfileStore(paths.current()).save(profile)


def finding(source: str, kind: FindingKind, confidence: float, title: str, **kw: object) -> Finding:
    return typed(
        Finding(
            checker=str(kw.pop("checker", "brokers")),
            source=source,
            kind=kind,
            key=f"{source}:{title}",
            url=str(kw.pop("url", f"https://{source.lower()}.example/r/1")),
            confidence=confidence,
            title=title,
            reasons=list(kw.pop("reasons", ["name 0.97 (Jane Q Doe ~ Jane Doe)", "city 1.00"])),
            matched=dict(kw.pop("matched", {"name": "Jane Q Doe", "location": "Leeds"})),
            capture=Capture(
                body=f"<html>{title}</html>".encode(),
                url="https://x.example/a",
                final_url="https://x.example/b",
                captured_at=T0,
            ),
        )
    )


def seed(clock: Clock, extra: list[Finding] | None = None) -> None:
    """Jane (and her child Sam) with two scans: fixed times, fixed data."""
    add_profile("jane", locations=["Leeds, West Yorkshire, UK"])
    add_profile("sam", names=["Sam Doe"], usernames=["samd"], guardian="jane")
    where = paths.current()
    first = [
        finding("PeopleFinderz", FindingKind.PERSON_RECORD, 0.93, "Jane Q Doe, 43, Leeds"),
        finding(
            "GitHub",
            FindingKind.ACCOUNT,
            0.7,
            "GitHub account 'janedoe'",
            checker="sites",
            reasons=["an account under your username"],
        ),
    ]
    second = [
        *first,
        finding("Records4U", FindingKind.LINKED_RECORD, 0.81, "J. Doe, phone match"),
        finding("Pastebin", FindingKind.SEARCH_RESULT, 0.45, "weak match"),
        *(extra or []),
    ]
    with Store(where.database, where.evidence_dir) as store:
        for moment, found, score in ((T0, first, 40.0), (T1, second, 55.0)):
            clock.moment = moment
            scan = store.begin_scan("jane", ["brokers", "sites"])
            for f in found:
                store.record_check(scan.scan_id, Check(f.checker, f.source, Outcome.FOUND))
                store.record_finding(scan.scan_id, "jane", f)
            store.record_check(
                scan.scan_id,
                Check(
                    "brokers",
                    "WalledPeople",
                    Outcome.BLOCKED,
                    detail="HTTP 403 (access refused)",
                    opt_out=BrokerOptOut("WalledPeople", "WalledPeople", method=""),
                ),
            )
            store.finish_scan(scan)
            store.set_score(scan.scan_id, score)
    clock.moment = NOW


def site(name: str, base: str) -> dict[str, object]:
    return {
        "name": name,
        "uri_check": f"{base}/{name.lower()}/{{account}}",
        "e_code": 200,
        "e_string": "profile of",
        "m_code": 404,
        "m_string": "no such user",
        "known": ["someone"],
        "cat": "social",
    }


@pytest.fixture
def fake_web(httpserver: HTTPServer, tmp_path: Path) -> Iterator[Path]:
    """A WhatsMyName-format sites file: janedoe found, missing, blocked, and an odd answer."""

    def answer(request: Request) -> Response:
        path = request.path
        if path == "/robots.txt":
            return Response("", status=404)
        if path.startswith("/found/"):
            return Response(f"<h1>profile of {path.rsplit('/', 1)[-1]}</h1>", status=200)
        if path.startswith("/missing/"):
            return Response("<p>no such user</p>", status=404)
        if path.startswith("/walled/"):
            return Response(BLOCK_PAGE, status=403)
        return Response("<p>something odd</p>", status=200)

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    sites = tmp_path / "sites.json"
    sites.write_text(
        json.dumps({"sites": [site(n, base) for n in ("Found", "Missing", "Walled", "Odd")]})
    )
    yield sites


@pytest.fixture
def slow_sites(httpserver: HTTPServer, tmp_path: Path) -> Iterator[Path]:
    """A sites file of 30 sites whose every answer takes 0.3 s: a scan that is still running."""

    def slow(request: Request) -> Response:
        time.sleep(0.3)
        return Response("<p>no such user</p>", status=404)

    httpserver.expect_request("").respond_with_handler(slow)
    base = httpserver.url_for("").rstrip("/")
    sites = tmp_path / "many.json"
    sites.write_text(json.dumps({"sites": [site(f"S{n}", base) for n in range(30)]}))
    yield sites
    # Requests the server had already accepted finish after a cancel (the slow
    # handler sleeps 0.3 s): let them land here, not in the next test's log.
    time.sleep(0.5)
    httpserver.clear_log()


def later(moment: datetime, days: int = 1) -> datetime:
    return moment + timedelta(days=days)


class ScriptedChecker(Checker):
    """A checker with fixed answers and fixed addresses (no network: snapshots stay the same).

    One of each outcome: found, absent, blocked, error and skipped, each with
    its reason, so the scan screen's "not checked, and why" has all of them.
    """

    id: ClassVar[str] = "scripted"
    title: ClassVar[str] = "Scripted sources"
    description: ClassVar[str] = "fixed answers for the TUI tests"
    answers: ClassVar[tuple[tuple[str, Outcome, str, str], ...]] = (
        ("Found", Outcome.FOUND, "", "https://found.example/janedoe"),
        ("Missing", Outcome.ABSENT, "", "https://missing.example/janedoe"),
        (
            "Walled",
            Outcome.BLOCKED,
            "HTTP 403 (access refused); check by hand",
            "https://walled.example/janedoe",
        ),
        ("Slow", Outcome.ERROR, "timed out after 20 s", "https://slow.example/janedoe"),
        (
            "NoSearch",
            Outcome.SKIPPED,
            "no public search; check by hand",
            "https://nosearch.example/opt-out",
        ),
    )

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        host = [(s.lower() + ".example") for s, *_ in self.answers if s != "NoSearch"]
        out = [Transmission("username", u, h) for u in ctx.profile.usernames for h in host]
        out += [Transmission("name", n, "walled.example") for n in ctx.profile.names]
        return out

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        for source, outcome, detail, url in self.answers:
            yield Task(
                self.id, source, functools.partial(self._answer, source, outcome, detail, url)
            )

    def _answer(self, source: str, outcome: Outcome, detail: str, url: str) -> TaskResult:
        check = Check(self.id, source, outcome, url=url, detail=detail)
        found = []
        if outcome is Outcome.FOUND:
            found.append(
                finding(
                    source,
                    FindingKind.ACCOUNT,
                    0.9,
                    f"{source} account 'janedoe'",
                    checker=self.id,
                    url=url,
                )
            )
        return TaskResult(checks=[check], findings=found)


class OfflineChecker(ScriptedChecker):
    """Every source fails, as when the network is down: coverage 0, the score unknown."""

    id: ClassVar[str] = "offline"
    answers: ClassVar[tuple[tuple[str, Outcome, str, str], ...]] = tuple(
        (
            f"Site{n}",
            Outcome.ERROR,
            "connection refused (network down?)",
            f"https://site{n}.example/janedoe",
        )
        for n in range(4)
    )


def scripted_registry(*checkers: type[Checker]) -> Registry:
    chosen = checkers or (ScriptedChecker,)
    return Registry(checkers={c.id: c for c in chosen}, broken={})
