"""The dashboard says what the score means and what a removal did to it."""

from __future__ import annotations

from textual.widgets import Static
from tui_data import NOW, Clock, seed

from exposure import paths
from exposure.engine.score import score_scan
from exposure.engine.store import Store
from exposure.model import Check, Outcome


def remove_the_people_search_record(clock: Clock) -> None:
    """A third scan: the people-search site now says she is not there."""
    where = paths.current()
    with Store(where.database, where.evidence_dir) as store:
        scan = store.begin_scan("jane", ["brokers"])
        store.record_check(scan.scan_id, Check("brokers", "PeopleFinderz", Outcome.ABSENT))
        store.finish_scan(scan)
        score_scan(store, "jane", scan.scan_id)
    clock.moment = NOW


async def test_the_dashboard_names_what_a_removal_took_off(make_app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    seed(clock)
    remove_the_people_search_record(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        stats = app.screen.query_one("#summary-stats", Static)
        text = " ".join(
            strip.text.strip() for strip in stats.render_lines(stats.region.reset_offset)
        )
        assert "/ 100 (0–100, higher = more exposed)" in text
        assert "since PeopleFinderz no longer shows you" in text, text
        label = str(app.screen.query_one("#trend-label").render())
        assert "higher = more exposed" in label
