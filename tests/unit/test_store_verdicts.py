"""The person's verdicts on findings: "not me" is never reported again, "me" is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.engine.store import Store
from exposure.model import Check, Finding, FindingKind, Outcome


def make_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data" / "exposure.db", tmp_path / "data" / "evidence")


def record(source: str, confidence: float = 0.7) -> Finding:
    return Finding(
        checker="brokers",
        source=source,
        kind=FindingKind.PERSON_RECORD,
        key=f"{source}:1",
        url=f"https://{source}.example/r/1",
        confidence=confidence,
        reasons=["name 0.9"],
    )


def scan(store: Store, *findings: Finding) -> int:
    summary = store.begin_scan("jane", ["brokers"])
    for finding in findings:
        store.record_finding(summary.scan_id, "jane", finding)
        store.record_check(summary.scan_id, Check("brokers", finding.source, Outcome.FOUND))
    store.finish_scan(summary)
    return summary.scan_id


def ids(findings: list[Finding]) -> set[str]:
    return {f.source for f in findings}


def test_not_me_is_excluded_by_default_and_across_rescans(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    scan(store, record("alpha"), record("beta"))
    beta = record("beta").stable_id("jane")
    store.set_verdict("jane", beta, "not_me")
    assert ids(store.findings("jane")) == {"alpha"}
    assert ids(store.findings("jane", include_rejected=True)) == {"alpha", "beta"}

    # The same record seen again in a later scan is still not reported.
    later = scan(store, record("alpha"), record("beta"))
    assert ids(store.findings("jane", scan_id=later)) == {"alpha"}
    # Forgetting the verdict brings it back.
    store.set_verdict("jane", beta, None)
    assert ids(store.findings("jane", scan_id=later)) == {"alpha", "beta"}


def test_confirmed_finding_is_kept_below_the_threshold(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    scan(store, record("weak", confidence=0.3), record("other", confidence=0.3))
    assert store.findings("jane", min_confidence=0.6) == []
    store.set_verdict("jane", record("weak").stable_id("jane"), "me")
    assert ids(store.findings("jane", min_confidence=0.6)) == {"weak"}
    assert store.verdicts("jane") == {record("weak").stable_id("jane"): "me"}


def test_verdicts_are_per_profile(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    scan(store, record("alpha"))
    fid = record("alpha").stable_id("jane")
    store.set_verdict("someone-else", fid, "not_me")
    assert ids(store.findings("jane")) == {"alpha"}


def test_bad_verdict_is_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with pytest.raises(ValueError):
        store.set_verdict("jane", "abc", "maybe")
