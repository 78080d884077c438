"""Checklist items about no finding: sources the scans could not read, and good habits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from exposure.engine.advice import Advice, fill
from exposure.engine.checklist_items import MAX_LISTED, Inputs, known_opt_out
from exposure.engine.shown_commands import hand_commands, profile_commands
from exposure.model import BrokerOptOut, Check, ChecklistItem, Outcome, Profile


def check_items(
    inputs: Inputs, advice: Advice, existing: Mapping[str, ChecklistItem]
) -> list[ChecklistItem]:
    """Sources the last scans could not read or did not search: unknown is not absent.

    A broker gets its own item (with its search or opt-out link) when any of
    its searches was blocked or failed, or when it was only ``skipped`` (no
    public search, not enough details to search with, robots.txt). Other
    checkers' blocked or failed sources are listed in one item per checker.
    """
    out: list[ChecklistItem] = []
    brokers: dict[str, list[Check]] = defaultdict(list)
    recorded: dict[str, BrokerOptOut] = {}
    others: dict[str, list[Check]] = defaultdict(list)
    for c in inputs.checks:
        if c.opt_out is not None:
            brokers[c.opt_out.broker_id].append(c)
            recorded[c.opt_out.broker_id] = c.opt_out
        elif c.status in (Outcome.BLOCKED, Outcome.ERROR):
            others[c.checker].append(c)
    for broker_id, checks in sorted(brokers.items()):
        if f"broker:{broker_id}" in existing:
            continue  # the opt-out item covers it
        unsure = [c for c in checks if c.status in (Outcome.BLOCKED, Outcome.ERROR)]
        definite = any(c.status in (Outcome.FOUND, Outcome.ABSENT) for c in checks)
        skipped = [c for c in checks if c.status is Outcome.SKIPPED]
        if unsure:
            why, chosen = "blocked", unsure[0]
        elif skipped and not definite:
            why, chosen = "no_search", skipped[0]
        else:
            continue
        opt = known_opt_out(recorded[broker_id], inputs)
        name = opt.broker_name
        values: dict[str, object] = {
            "name": name,
            "reason": advice.text("check_broker", why, name=name),
            **hand_commands(inputs.profile.id, broker_id),
        }
        steps = advice.steps("check_broker", **values)
        if chosen.detail:
            steps.insert(1, f"Last scan: {chosen.status.value} — {chosen.detail}")
        if opt.url:
            steps.append(f"Opt-out page: {opt.url}")
        url = chosen.url or opt.url
        out.append(
            ChecklistItem(
                id=f"check:broker:{broker_id}",
                title=advice.text("check_broker", "title", **values),
                priority=3 if why == "blocked" else 4,
                url=url,
                steps=steps,
                category="check",
            )
        )
    for checker, checks in sorted(others.items()):
        pid = inputs.profile.id
        commands = profile_commands(pid)
        values = {"checker": checker, "count": len(checks), **commands}
        steps = advice.steps("check_sources", **values)
        for c in checks[:MAX_LISTED]:
            line = f"{c.source}: {c.status.value} ({c.detail}) {c.url}".strip()
            by_hand = hand_commands(pid, c.source)
            steps.append(
                f"{line} — `{by_hand['assist']}`, or with a page you saved: `{by_hand['import']}`"
            )
        if len(checks) > MAX_LISTED:
            more = commands["report_json"]
            steps.append(f"… and {len(checks) - MAX_LISTED} more (`{more}`, unknown_sources)")
        out.append(
            ChecklistItem(
                id=f"check:{checker}",
                title=advice.text("check_sources", "title", **values),
                priority=4,
                url=checks[0].url,
                steps=steps,
                category="check",
            )
        )
    return out


def baseline_items(profile: Profile, advice: Advice) -> list[ChecklistItem]:
    out = []
    commands = profile_commands(profile.id)
    for entry in advice.baseline():
        if entry.get("guardian_only") and not profile.guardian:
            continue
        out.append(
            ChecklistItem(
                id=f"baseline:{entry['id']}",
                title=str(entry["title"]),
                priority=5,
                url=str(entry.get("url", "")),
                steps=[fill(str(s), **commands) for s in entry["steps"]],
                category="guardian" if entry.get("guardian_only") else "baseline",
            )
        )
    return out
