"""Coverage: counted per checker, recorded per scan, and the rule for when silence misleads."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from exposure.cli import render
from exposure.engine.coverage import ProblemKind, problems
from exposure.engine.store import Store
from exposure.model import Check, Coverage, CoverageState, Outcome


def checks(checker: str, **counts: int) -> list[Check]:
    return [
        Check(checker, f"{status}{i}", Outcome(status), detail=f"why {status}")
        for status, n in counts.items()
        for i in range(n)
    ]


def test_coverage_counts_definite_answers_over_attempts_and_skips_are_not_attempts() -> None:
    cov = Coverage.from_checks(
        checks("sites", found=1, absent=2, blocked=1, error=4) + checks("hibp", skipped=2),
        left_out={"brokers": "it would send phone, marked private in config"},
    )
    assert (cov.definite, cov.attempted) == (3, 8)
    assert cov.ratio == pytest.approx(3 / 8)
    assert not cov.sufficient
    assert cov.reason() == "only 3 of 8 checks got an answer (38%, below the 50% needed)"
    states = {c.checker: c.state for c in cov.checkers}
    assert states == {
        "sites": CoverageState.PARTLY,
        "hibp": CoverageState.SKIPPED,
        "brokers": CoverageState.SKIPPED,
    }
    assert cov.checker("sites").reasons[0] == "why error"  # the commonest reason first
    assert cov.checker("hibp").why == "why skipped"
    assert cov.checker("brokers").why.endswith("marked private in config")


def test_nothing_attempted_is_unknown_not_complete() -> None:
    cov = Coverage.from_checks([], checkers=["sites"])
    assert cov.ratio is None and not cov.sufficient
    assert "nothing could be checked" in cov.reason()
    offline = Coverage.from_checks(checks("sites", error=5))
    assert "no source could be checked" in offline.reason()
    assert Coverage.from_checks(checks("sites", absent=5)).reason() == ""


def test_coverage_survives_its_json_form() -> None:
    cov = Coverage.from_checks(checks("sites", found=2, error=1), min_coverage=0.7)
    again = Coverage.from_dict(cov.to_dict())
    assert again == cov
    assert cov.to_dict()["checkers"][0]["state"] == "partly"


def test_problems_name_low_coverage_failed_and_newly_skipped_checkers() -> None:
    previous = Coverage.from_checks(checks("hibp", absent=1) + checks("sites", absent=9))
    now = Coverage.from_checks(
        checks("hibp", skipped=1) + checks("sites", absent=9) + checks("pgp", error=2)
    )
    found = {(p.kind, p.checker) for p in problems(now, previous)}
    assert found == {
        (ProblemKind.NEWLY_SKIPPED, "hibp"),
        (ProblemKind.CHECKER_FAILED, "pgp"),
    }
    [skipped] = [p for p in problems(now, previous) if p.checker == "hibp"]
    assert skipped.message("jane") == (
        "hibp ran in the previous scan of jane but was skipped now: why skipped"
    )
    # A checker that was skipped last time too is not news; a healthy scan has no problems.
    assert problems(now, now) == [p for p in problems(now, now) if p.checker == "pgp"]
    assert problems(previous, previous) == []
    low = problems(Coverage.from_checks(checks("sites", absent=1, error=9)))
    assert [p.kind for p in low] == [ProblemKind.LOW_COVERAGE]


def test_store_records_coverage_and_counts_it_for_older_scans(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite", tmp_path / "ev")
    summary = store.begin_scan("jane", ["sites"])
    for check in checks("sites", absent=1, error=3):
        store.record_check(summary.scan_id, check)
    store.finish_scan(summary)
    # A scan from before coverage was recorded: counted from its checks.
    counted = store.coverage(summary.scan_id)
    assert counted is not None and (counted.definite, counted.attempted) == (1, 4)
    recorded = Coverage.from_checks(store.checks(summary.scan_id), min_coverage=0.2)
    store.set_coverage(summary.scan_id, recorded)
    [again] = store.scans("jane")
    assert again.coverage == recorded and again.coverage.sufficient
    assert store.coverage(12345) is None


def test_table_is_cut_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://example.org/" + "a" * 400
    rows = [("x", url)]

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert url in render.table(rows, ("K", "URL"))
    monkeypatch.setattr("sys.stdout", Tty())
    monkeypatch.setattr(
        "shutil.get_terminal_size", lambda fallback=(0, 0): os.terminal_size((80, 24))
    )
    cut = render.table(rows, ("K", "URL"))
    assert url not in cut and "…" in cut and max(len(line) for line in cut.splitlines()) <= 80
