"""Text output of a scan gives the reason of every check that got no definite answer."""

from __future__ import annotations

from datetime import UTC, datetime

from exposure.cli.render import scan_text
from exposure.model import Check, Outcome, ScanSummary

MOMENT = datetime(2026, 3, 9, tzinfo=UTC)


def summary(*checks: Check) -> ScanSummary:
    return ScanSummary("jane", 1, MOMENT, MOMENT, "finished", checks=list(checks))


def test_skipped_checks_are_listed_with_their_reason() -> None:
    text = scan_text(
        summary(
            Check("brokers", "NoSearch", Outcome.SKIPPED, detail="no public search; check by hand"),
            Check("hibp", "HIBP", Outcome.SKIPPED, detail="no API key (EXPOSURE_HIBP_API_KEY)"),
            Check("sites", "Slow", Outcome.ERROR, detail="timed out after 20 s"),
            Check("sites", "Found", Outcome.FOUND),
        ),
        [],
        on_terminal=False,
    )
    skipped = text.split("Skipped — not asked, and why (2):")[1]
    assert "no public search; check by hand" in skipped
    assert "no API key (EXPOSURE_HIBP_API_KEY)" in skipped
    assert "timed out after 20 s" in text.split("Skipped")[0]  # errors stay in their own list


def test_no_skipped_section_when_nothing_was_skipped() -> None:
    text = scan_text(summary(Check("sites", "Found", Outcome.FOUND)), [], on_terminal=False)
    assert "Skipped" not in text


def test_on_a_terminal_each_list_shows_15_checks_and_counts_the_rest() -> None:
    blocked = [Check("sites", f"B{i}", Outcome.BLOCKED, detail=f"blocked {i}") for i in range(17)]
    skipped = [Check("sites", f"S{i}", Outcome.SKIPPED, detail=f"skip {i}") for i in range(16)]
    checks = [*blocked, *skipped]
    text = scan_text(summary(*checks), [], on_terminal=True)
    unsure, skipped_part = text.split("Skipped — not asked, and why (16):")
    assert "check these by hand (17):" in unsure
    assert "blocked 14" in unsure and "blocked 15" not in unsure
    assert "… and 2 more (use --format json for all)" in unsure
    assert "skip 14" in skipped_part and "skip 15" not in skipped_part
    assert "… and 1 more (use --format json for all)" in skipped_part
    whole = scan_text(summary(*checks), [], on_terminal=False)
    assert "blocked 16" in whole and "skip 15" in whole and "more (use" not in whole
