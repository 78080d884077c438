"""The score in words: what it means, what a removal did, what saturation hides."""

from __future__ import annotations

from pathlib import Path

from exposure.engine.score import score_scan
from exposure.engine.score_story import ScoreStory, score_story
from exposure.engine.store import Store
from exposure.model import BrokerOptOut, Check, Exposes, Finding, FindingKind, Outcome


def record(broker_id: str, name: str) -> Finding:
    return Finding(
        checker="brokers",
        source=broker_id,
        kind=FindingKind.PERSON_RECORD,
        key=f"{broker_id}:jane",
        url=f"https://{broker_id}.example/jane",
        confidence=0.9,
        exposes=frozenset({Exposes.HOME_ADDRESS, Exposes.PHONE, Exposes.AGE}),
        remedy=BrokerOptOut(broker_id, name),
    )


def account(site: str) -> Finding:
    return Finding(
        checker="sites",
        source=site,
        kind=FindingKind.ACCOUNT,
        key=f"{site}:jane",
        url=f"https://{site}.example/jane",
        confidence=0.8,
        exposes=frozenset({Exposes.USERNAME}),
    )


def scan(store: Store, found: list[Finding], absent: list[tuple[str, str]]) -> None:
    summary = store.begin_scan("jane", ["brokers", "sites"])
    for f in found:
        store.record_check(summary.scan_id, Check(f.checker, f.source, Outcome.FOUND))
        store.record_finding(summary.scan_id, "jane", f)
    for checker, source in absent:
        store.record_check(summary.scan_id, Check(checker, source, Outcome.ABSENT))
    store.finish_scan(summary)
    score_scan(store, "jane", summary.scan_id)


def test_a_removal_is_named_with_the_points_it_took_off(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db", tmp_path / "ev")
    scan(store, [record("spokeo", "Spokeo"), account("github")], [])
    scan(store, [account("github")], [("brokers", "spokeo")])
    story = score_story(store, "jane")
    assert story.score is not None and story.previous is not None
    assert story.previous > story.score
    drop = round(story.previous - story.score)
    assert story.change_line() == (
        f"▼ {drop} since the scan before; −{drop} since Spokeo no longer shows you"
    )
    assert story.counts == {FindingKind.ACCOUNT: 1}
    assert story.underneath_line() == ""  # far from saturated


def test_a_blocked_source_is_not_called_a_removal(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db", tmp_path / "ev")
    scan(store, [record("spokeo", "Spokeo")], [])
    summary = store.begin_scan("jane", ["brokers"])
    store.record_check(summary.scan_id, Check("brokers", "spokeo", Outcome.BLOCKED))
    store.finish_scan(summary)
    score_scan(store, "jane", summary.scan_id)
    story = score_story(store, "jane")
    assert story.removed_from == ()
    assert story.change_line() == "= 0 since the scan before"


def test_a_saturated_score_still_shows_progress_underneath(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db", tmp_path / "ev")
    brokers = [record(f"b{i}", f"Broker {i}") for i in range(12)]
    scan(store, brokers + [account("github")], [])
    scan(store, brokers[1:] + [account("github")], [("brokers", "b0")])
    story = score_story(store, "jane")
    assert story.saturated and story.score is not None and story.score >= 90
    # The removal shows even where the number barely moves.
    assert "Broker 0 no longer shows you" in story.change_line()
    assert story.removed_weight > 15
    assert story.underneath_line().startswith("11 people-search records, 1 account (weight ")


def test_no_scored_scan_tells_nothing() -> None:
    story = ScoreStory(score=None, previous=None, weight=0.0)
    assert (story.change_line(), story.underneath_line()) == ("", "")


def test_every_report_format_tells_what_the_removal_did(tmp_path: Path) -> None:
    from exposure import reports
    from exposure.people.profile import build_profile

    store = Store(tmp_path / "x.db", tmp_path / "ev")
    scan(store, [record("spokeo", "Spokeo <b>"), account("github")], [])
    scan(store, [account("github")], [("brokers", "spokeo")])
    data = reports.gather(store, build_profile("jane", names=["Jane Doe"]))
    for fmt in ("html", "md", "json"):
        text = reports.render(data, fmt)
        assert "since the scan before" in text, fmt
        assert "no longer shows you" in text, fmt
    html = reports.render(data, "html")
    assert "Spokeo &lt;b&gt; no longer shows you" in html
