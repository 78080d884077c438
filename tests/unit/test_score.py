"""The exposure score: its formula's properties, and that a scan stores it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from findings_kit import typed

from exposure.checkers.base import Checker, Task, TaskResult
from exposure.config import Config
from exposure.engine import score as sc
from exposure.engine.scan import ScanFinished, run_scan
from exposure.engine.store import Store
from exposure.model import Check, Finding, FindingKind, Outcome, Profile


def finding(
    kind: FindingKind = FindingKind.PERSON_RECORD,
    confidence: float = 1.0,
    key: str = "k",
    **matched: object,
) -> Finding:
    return typed(
        Finding(
            checker="brokers",
            source="b",
            kind=kind,
            key=key,
            url="https://b.test/",
            confidence=confidence,
            matched=dict(matched),
        )
    )


def test_nothing_found_is_zero() -> None:
    assert sc.exposure_score([]) == 0.0


def test_what_is_exposed_orders_the_weight() -> None:
    weights = [
        sc.finding_weight(finding(exposes=[field]))
        for field in ("home_address", "phone", "email", "username")
    ]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == 4


def test_formula_matches_the_documentation() -> None:
    f = finding(exposes=["home_address", "phone", "email"])
    assert sc.finding_weight(f) == 4 + 10 + 6 + 3
    assert sc.exposure_score([f]) == round(100 * (1 - math.exp(-23 / sc.K)), 1)


def test_confidence_scales_and_saturation_caps() -> None:
    sure = finding(exposes=["phone"])
    unsure = finding(exposes=["phone"], confidence=0.5)
    assert sc.finding_weight(unsure) == pytest.approx(sc.finding_weight(sure) / 2)
    many = [finding(key=str(i), exposes=["home_address", "phone"]) for i in range(200)]
    assert 99.0 < sc.exposure_score(many) <= 100.0
    growing = [sc.exposure_score(many[:n]) for n in range(1, 6)]
    assert growing == sorted(growing) and growing[0] < growing[-1]


def test_kinds_and_matched_shapes_of_other_checkers() -> None:
    impostor = finding(FindingKind.ACCOUNT, own=False, username="jd")
    own = finding(FindingKind.ACCOUNT, own=True, username="jd")
    assert sc.finding_weight(impostor) > sc.finding_weight(own)
    leak = finding(FindingKind.BREACH, email="a@x.test", data_classes=["Passwords"])
    no_pw = finding(FindingKind.BREACH, email="a@x.test", data_classes=["Email addresses"])
    assert sc.finding_weight(leak) > sc.finding_weight(no_pw)
    assert finding(phones=["+1555"], emails=[], address="1 Main St").exposes == {
        "phone",
        "home_address",
    }
    assert finding(exposes=["nonsense", 3]).exposes == set()


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db.sqlite", tmp_path / "evidence")


def test_score_scan_counts_current_findings_only(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        first = store.begin_scan("jane", ["brokers"])
        store.record_check(first.scan_id, Check("brokers", "b", Outcome.FOUND))
        store.record_check(first.scan_id, Check("brokers", "c", Outcome.FOUND))
        kept = store.record_finding(first.scan_id, "jane", finding(key="1", exposes=["phone"]))
        store.record_finding(
            first.scan_id,
            "jane",
            typed(
                Finding(
                    checker="brokers",
                    source="c",
                    kind=FindingKind.PERSON_RECORD,
                    key="2",
                    url="https://c.test/",
                    confidence=1.0,
                    matched={"exposes": ["home_address"]},
                )
            ),
        )
        store.finish_scan(first)
        s1 = sc.score_scan(store, "jane", first.scan_id)

        second = store.begin_scan("jane", ["brokers"])
        store.record_check(second.scan_id, Check("brokers", "b", Outcome.FOUND))
        store.record_finding(second.scan_id, "jane", finding(key="1", exposes=["phone"]))
        store.record_check(second.scan_id, Check("brokers", "c", Outcome.ABSENT))  # gone
        store.finish_scan(second)
        s2 = sc.score_scan(store, "jane", second.scan_id)
        assert 0 < s2 < s1

        store.set_verdict("jane", kept.id, "not_me")
        assert sc.exposure_score(sc.current_findings(store, "jane")) == 0.0
        assert [round(s, 1) for _, _, s in store.scores("jane")] == [s1, s2]


class _OneRecord(Checker):
    id = "brokers"
    title = "fake brokers"
    description = "one record, no network"

    def transmissions(self, ctx):  # type: ignore[no-untyped-def]
        return []

    def tasks(self, ctx):  # type: ignore[no-untyped-def]
        def run() -> TaskResult:
            return TaskResult(
                checks=[Check("brokers", "b", Outcome.FOUND)],
                findings=[finding(exposes=["home_address"])],
            )

        return [Task("brokers", "b", run)]


def test_a_finished_scan_stores_its_score(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        events = list(
            run_scan(
                Profile(id="jane", names=["Jane Doe"]), [_OneRecord()], store=store, config=Config()
            )
        )
        assert isinstance(events[-1], ScanFinished)
        [(scan_id, _, value)] = store.scores("jane")
        assert scan_id == events[-1].summary.scan_id
        assert value == sc.exposure_score([finding(exposes=["home_address"])]) > 0
