"""Self-check of a username-site catalogue: does each rule still tell accounts apart?

For every site, ask about the catalogue's own known account, which must read
``found``, and about a random made-up username, which must read ``absent``
(like Maigret's ``--self-check``). A site fails when its known account reads
absent (the rule is out of date) or when the made-up name reads found (the
site answers "found" for anyone). A site that blocked us or gave no definite
answer is *not checked*, never failed: that is about us, not the rule.

The results feed ``exposure sources check --write-disabled``, a list that
scans skip; the catalogue itself is never edited. Requests go through the
scan's HTTP client, so every politeness rule holds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from exposure.catalogues.sites import SiteDef
from exposure.checkers.base import ScanContext, Task, TaskResult
from exposure.checkers.sites import ask, made_up_username
from exposure.config import Config
from exposure.engine.scan import run_pool
from exposure.model import Outcome, Profile
from exposure.net.http import HttpClient, settings_from

CHECKER_ID = "sites"


class Health(StrEnum):
    OK = "ok"
    FAILED = "failed"
    UNCHECKED = "unchecked"  # blocked, error, or nothing to ask about


@dataclass(frozen=True)
class SiteHealth:
    site: str
    health: Health
    reason: str
    known: str | None = None
    known_outcome: Outcome | None = None
    made_up: str | None = None
    made_up_outcome: Outcome | None = None


def judge(site: SiteDef, known: Outcome | None, made_up: Outcome | None) -> tuple[Health, str]:
    """What the two answers say about the site's rule."""
    if known is None:
        return Health.UNCHECKED, "the catalogue names no known account to ask about"
    if known is Outcome.ABSENT:
        return Health.FAILED, "its known account reads absent: the rule is out of date"
    if known is not Outcome.FOUND:
        return Health.UNCHECKED, f"its known account got no definite answer ({known.value})"
    if made_up is Outcome.FOUND:
        return Health.FAILED, "it answers 'found' for any name"
    if made_up is Outcome.ABSENT:
        return Health.OK, "known account found, made-up name absent"
    what = made_up.value if made_up else "no made-up name fits its rules"
    return Health.UNCHECKED, f"the made-up name got no definite answer ({what})"


def check_one(ctx: ScanContext, site: SiteDef) -> SiteHealth:
    known = site.known[0] if site.known else None
    known_answer = ask(ctx, site, known) if known else None
    made_up = made_up_username(site)
    made_up_answer = None
    if known_answer is not None and known_answer.outcome is Outcome.FOUND and made_up:
        made_up_answer = ask(ctx, site, made_up)
    health, reason = judge(
        site,
        known_answer.outcome if known_answer else None,
        made_up_answer.outcome if made_up_answer else None,
    )
    if health is Health.UNCHECKED and known_answer is not None and known_answer.detail:
        detail = (made_up_answer or known_answer).detail
        reason = f"{reason}: {detail}"
    return SiteHealth(
        site=site.name,
        health=health,
        reason=reason,
        known=known,
        known_outcome=known_answer.outcome if known_answer else None,
        made_up=made_up,
        made_up_outcome=made_up_answer.outcome if made_up_answer else None,
    )


def self_check(
    sites: list[SiteDef],
    config: Config,
    *,
    workers: int | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[SiteHealth]:
    """Check every site, yielding results as they land (in any order)."""
    cancel = cancel or threading.Event()
    http = HttpClient(settings_from(config.http), cancel)
    ctx = ScanContext(profile=Profile(id="self-check"), config=config, http=http, cancel=cancel)
    results: dict[int, SiteHealth] = {}

    def run(index: int, site: SiteDef) -> TaskResult:
        results[index] = check_one(ctx, site)
        return TaskResult()

    tasks = [
        Task(checker=CHECKER_ID, source=s.name, run=partial(run, i, s)) for i, s in enumerate(sites)
    ]
    index_of = {id(task): i for i, task in enumerate(tasks)}
    try:
        for batch in run_pool(tasks, max(1, workers or config.concurrency), cancel):
            for task, outcome in batch:
                i = index_of[id(task)]
                if isinstance(outcome, BaseException):
                    reason = f"internal error: {type(outcome).__name__}"
                    yield SiteHealth(sites[i].name, Health.UNCHECKED, reason)
                else:
                    yield results.pop(i)
    finally:
        cancel.set()
        http.close()
