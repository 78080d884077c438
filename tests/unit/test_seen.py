"""One rule for what the person sees and what is news to them (engine/seen.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from findings_kit import broker_record

from exposure.engine import seen
from exposure.engine.store import Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_shown_is_threshold_plus_verdicts() -> None:
    low, high = broker_record(confidence=0.3), broker_record(confidence=0.8)
    assert not seen.shown(low, None, 0.6)
    assert seen.shown(low, seen.ME, 0.6)  # confirmed: kept whatever its score
    assert seen.shown(high, None, 0.6)
    assert not seen.shown(high, seen.NOT_ME, 0.6)  # rejected: never shown again


def test_the_store_applies_the_same_rule(tmp_path: Path) -> None:
    """Store.findings gives exactly the findings ``seen.shown`` keeps, for every verdict."""
    with Store(tmp_path / "exposure.db", tmp_path / "evidence") as store:
        scan = store.begin_scan("jane", ["brokers"])
        stored = [
            store.record_finding(scan.scan_id, "jane", broker_record(key=f"k{n}", confidence=c))
            for n, c in enumerate((0.3, 0.3, 0.8, 0.8, 0.6))
        ]
        verdicts = {stored[0].id: seen.ME, stored[2].id: seen.NOT_ME}
        for fid, verdict in verdicts.items():
            store.set_verdict("jane", fid, verdict)
        for threshold in (0.0, 0.5, 0.6, 0.9):
            expected = {f.id for f in stored if seen.shown(f, verdicts.get(f.id), threshold)}
            got = {f.id for f in store.findings("jane", min_confidence=threshold)}
            assert got == expected, threshold
        # at the threshold: the confirmed low one, the unmarked high one, the one at 0.6
        at = {f.id for f in store.findings("jane", min_confidence=0.6)}
        assert at == {stored[0].id, stored[3].id, stored[4].id}
        rejected_too = {f.id for f in store.findings("jane", include_rejected=True)}
        assert stored[2].id in rejected_too


def test_new_or_back() -> None:
    f = broker_record()
    assert not seen.new_or_back(f)
    assert seen.new_or_back(replace(f, new=True))
    assert seen.new_or_back(replace(f, status="back"))
    assert not seen.new_or_back(replace(f, status="gone"))


def test_arrived_since_a_visit() -> None:
    visit = T0 + timedelta(days=2)
    old = replace(broker_record(), first_seen=T0, last_seen=T0 + timedelta(days=3))
    assert not seen.arrived_since(old, visit)  # seen again, but never gone
    assert seen.arrived_since(replace(old, status="back"), visit)  # came back after the visit
    assert not seen.arrived_since(replace(old, status="back", last_seen=T0), visit)
    assert seen.arrived_since(replace(old, first_seen=visit + timedelta(hours=1)), visit)
