"""What a scan could not check, and why: shown on the scan screen when a scan ends.

Every ``skipped``, ``blocked`` and ``error`` check keeps its reason. Sources
that were blocked, failed, or skipped with a page to look at are listed as
"check by hand", with the address to open, so nothing unchecked reads as
"nothing there".
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from exposure.engine.score import score_words
from exposure.model import Check, Coverage, Outcome
from exposure.tui.safe import literal

UNSURE = (Outcome.BLOCKED, Outcome.ERROR, Outcome.SKIPPED)


def by_hand(checks: Sequence[Check]) -> list[Check]:
    """Sources a person should look at themselves: blocked, failed, or skipped with a page."""
    out = []
    for c in checks:
        if (
            c.status in (Outcome.BLOCKED, Outcome.ERROR)
            or c.status is Outcome.SKIPPED
            and (c.url or c.opt_out is not None)
        ):
            out.append(c)
    return out


def coverage_text(coverage: Coverage | None, score: float | None) -> Text:
    """``Coverage: checked 3 of 10 checks (30%) — not an all-clear`` and the score, or unknown."""
    text = Text()
    if coverage is None:
        return text
    text.append("Coverage: ", style="bold")
    text.append(coverage.line())
    if not coverage.sufficient:
        text.append(" — not an all-clear", style="bold")
    text.append("\nScore: ", style="bold")
    text.append(literal(score_words(score, coverage)))
    return text


def unchecked_text(checks: Sequence[Check], *, limit: int | None = None) -> Text:
    """Each check without a definite answer and its reason, then the ones to check by hand."""
    text = Text()
    unsure = [c for c in checks if c.status in UNSURE]
    if not unsure:
        return text
    text.append(f"Not checked ({len(unsure)}), and why:\n", style="bold")
    shown = unsure if limit is None else unsure[:limit]
    for c in shown:
        text.append("  ")
        text.append(literal(c.source, limit=30))
        text.append(f"  {c.status.value}: ", style="bold")
        text.append(literal(c.detail or "no reason was given", limit=200))
        text.append("\n")
    if len(unsure) > len(shown):
        text.append(f"  … {len(unsure) - len(shown)} more (exposure scan --format json)\n")
    hand = by_hand(checks)
    if hand:
        text.append(f"Check these by hand ({len(hand)}): blocked or failed is not 'absent'\n")
        for c in hand if limit is None else hand[:limit]:
            text.append("  • ")
            text.append(literal(c.source, limit=30))
            link = c.url or (c.opt_out.url if c.opt_out is not None else "")
            if link:
                text.append("  ")
                text.append(literal(link, limit=120))
            text.append("\n")
        if limit is not None and len(hand) > limit:
            text.append(f"  … {len(hand) - limit} more\n")
    text.rstrip()
    return text
