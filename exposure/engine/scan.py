"""Run checkers for one profile, concurrently, recording everything as it lands.

:func:`run_scan` is a generator of progress events so that the CLI (a progress
bar) and the TUI (live tables, from a thread worker) can both drive it. The
work runs on a pool of daemon threads; results come back to the calling thread,
which alone writes to the store — each check and finding is committed the
moment it arrives, so a scan killed half-way keeps what finished and is marked
``interrupted``.

Cancellation: set the ``cancel`` event (the TUI's escape key), or interrupt the
generator (Ctrl-C raises KeyboardInterrupt in the CLI). Workers stop taking
new tasks and the HTTP client refuses new requests.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exposure import paths
from exposure.checkers.base import Checker, ScanContext, Task, TaskResult
from exposure.config import Config
from exposure.engine.shown_commands import shown
from exposure.engine.store import Store
from exposure.errors import UsageError
from exposure.model import Check, Coverage, Finding, Outcome, Profile, ScanSummary

if TYPE_CHECKING:
    from exposure.net.settings import HttpSettings

log = logging.getLogger(__name__)

ROBOTS_CACHE = "robots.json"  # in the cache folder: public robots.txt answers, a day at most


@dataclass(frozen=True)
class ScanOptions:
    concurrency: int | None = None  # None: config.concurrency
    timeout: float | None = None  # per-request read timeout override (seconds)
    sites_file: Path | None = None
    brokers_file: Path | None = None
    variants: bool = False  # also ask username sites about usernames made from the names
    # scan --browser: blocked or JavaScript-built pages are tried again in the browser
    browser: bool = False

    def context_options(self) -> dict[str, Any]:
        return {
            "sites_file": self.sites_file,
            "brokers_file": self.brokers_file,
            "variants": self.variants,
        }


@dataclass(frozen=True)
class ScanStarted:
    profile: str
    scan_id: int
    total: int
    checkers: tuple[str, ...]  # the checkers that run
    totals: dict[str, int] = field(default_factory=dict)  # tasks per running checker
    left_out: dict[str, str] = field(default_factory=dict)  # checker -> why it does not run


@dataclass(frozen=True)
class TaskFinished:
    """One task's checks and (stored) findings, with running totals."""

    checker: str
    source: str
    checks: tuple[Check, ...]
    findings: tuple[Finding, ...]
    done: int
    total: int
    counts: dict[Outcome, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanFinished:
    summary: ScanSummary


ScanEvent = ScanStarted | TaskFinished | ScanFinished

# Why a checker that ran made no checks (recorded in the scan's coverage).
NOTHING_TO_LOOK_UP = "nothing to look up: the profile has none of the fields it needs"

# Adjusts one task's result before the runner stores it (guardian mode weights a
# child's findings: engine/guardian.py). It runs in the worker thread: keep it pure.
ResultHook = Callable[[TaskResult], TaskResult]


def without_private(
    checkers: Iterable[Checker], ctx: ScanContext
) -> tuple[list[Checker], dict[str, str]]:
    """The checkers that may run, and why each other one may not.

    Checkers never see a private field (``ctx.profile`` has them emptied: see
    ScanContext), so they send what is left. Two kinds do not run at all, and
    the scan says so rather than "nothing to look up":

    * one whose only sends are private: with the whole profile it would send a
      private field, without it nothing. That is asked of the checker's own
      plan (``transmissions``) for the whole profile, on this machine; nothing
      is sent, and the plan is dropped.
    * one that declares it would send a private field even so (from somewhere
      other than the profile): the rule holds whatever a plug-in does.
    """
    private = set(ctx.config.private_fields)
    allowed: list[Checker] = []
    left_out: dict[str, str] = {}
    whole: ScanContext | None = None  # the context as if nothing were private
    for checker in checkers:
        sends = checker.transmissions(ctx)
        fields = sorted({t.field for t in sends} & private)
        if fields:
            left_out[checker.id] = f"it would send {', '.join(fields)}, marked private in config"
            continue
        if not sends and ctx.withheld:
            if whole is None:
                whole = _whole(ctx)
            fields = sorted({t.field for t in checker.transmissions(whole)} & private)
            if fields:
                left_out[checker.id] = (
                    f"nothing to look up: all it would send is {', '.join(fields)}, "
                    "marked private in config"
                )
                continue
        allowed.append(checker)
    return allowed, left_out


def _whole(ctx: ScanContext) -> ScanContext:
    """``ctx`` with nothing private: only for asking checkers what they would send."""
    return ScanContext(
        profile=ctx.match_profile,
        config=replace(ctx.config, private_fields=[]),
        http=ctx.http,
        cancel=ctx.cancel,
        options=ctx.options,
    )


class OffLoopback(UsageError):
    """A loopback-only folder (a kept demo) was asked to scan a real host (exit 2)."""


def refuse_off_loopback(checkers: Iterable[Checker], ctx: ScanContext) -> None:
    """With ``[http] loopback_only`` (always on in a demo folder), refuse to start a scan
    that would send anything to a host off this machine, and say what to do instead.

    The HTTP client refuses such requests too; this stops the scan before any is made,
    with one clear message instead of hundreds of failed checks.
    """
    if not ctx.config.http.loopback_only:
        return
    from exposure.net.private import loopback_host

    off = sorted(
        {
            (c.id, t.host)
            for c in checkers
            for t in c.transmissions(ctx)
            if not loopback_host(t.host)
        }
    )
    if not off:
        return
    checker_id, host = off[0]
    more = f" (and {len(off) - 1} more)" if len(off) > 1 else ""
    source = ctx.config.source
    folder = str(source.parent) if source else "this folder"
    again = shown("demo", "--home", folder) if source else shown("demo")
    raise OffLoopback(
        f"{folder} is loopback-only (a demo folder, fictional people): {checker_id} would "
        f"send to {host}{more}; nothing was sent. Run `{again}` to scan "
        "it against the demo web again, or unset EXPOSURE_HOME to audit yourself"
    )


def plan(checkers: Iterable[Checker], ctx: ScanContext) -> list[Task]:
    """Every task of every checker, interleaved by source.

    Tasks that ask the same source (one site, two usernames) are spread apart:
    next to each other, the second would only wait on the host's politeness
    gate while holding a worker. A checker's input error propagates (exit 2).
    """
    groups: dict[tuple[str, str], list[Task]] = {}
    for checker in checkers:
        for task in checker.tasks(ctx):
            groups.setdefault((task.checker, task.source), []).append(task)
    queues = list(groups.values())
    return [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]


def with_hooks(task: Task, hooks: Sequence[ResultHook]) -> Task:
    """``task`` whose result passes through each of ``hooks``; every other field kept."""
    if not hooks:
        return task
    inner = task.run

    def run() -> TaskResult:
        result = inner()
        for hook in hooks:
            result = hook(result)
        return result

    return replace(task, run=run)


def run_scan(
    profile: Profile,
    checkers: list[Checker],
    *,
    store: Store,
    config: Config,
    options: ScanOptions | None = None,
    cancel: threading.Event | None = None,
    hooks: Sequence[ResultHook] = (),
) -> Iterator[ScanEvent]:
    """Scan ``profile`` with ``checkers``; yields progress events, the last a ScanFinished.

    Checkers get the profile with config's private fields emptied (ScanContext).
    ``hooks`` adjust each task's result, in order, before it is stored: the
    caller passes what the profile needs (``guardian.result_hooks(profile)``
    weights a minor's findings); the runner knows nothing of guardian mode.
    """
    from exposure.net.browser import SharedBrowser
    from exposure.net.http import HttpClient, settings_from

    options = options or ScanOptions()
    cancel = cancel or threading.Event()
    http = HttpClient(_with_robots_cache(settings_from(config.http, options.timeout)), cancel)
    # The browser fetcher starts only if a page needs it.
    browser = SharedBrowser(http, enabled=options.browser, executable=config.browser.path or None)
    ctx = ScanContext(
        profile=profile,
        config=config,
        http=http,
        cancel=cancel,
        options={**options.context_options(), "browser": browser},
    )
    try:
        checkers, left_out = without_private(checkers, ctx)
        refuse_off_loopback(checkers, ctx)
        tasks = [with_hooks(task, hooks) for task in plan(checkers, ctx)]
        summary = store.begin_scan(profile.id, (c.id for c in checkers))
        totals = Counter(t.checker for t in tasks)
        yield ScanStarted(
            profile.id,
            summary.scan_id,
            len(tasks),
            tuple(c.id for c in checkers),
            totals={c.id: totals[c.id] for c in checkers},
            left_out=left_out,
        )
        counts: Counter[Outcome] = Counter()
        done = 0
        state = "interrupted"
        try:
            workers = (
                pool_size(tasks, config) if options.concurrency is None else options.concurrency
            )
            for batch in run_pool(tasks, max(1, workers), cancel):
                with store.batch():
                    recorded = [
                        (task, *_record(store, summary, task, result)) for task, result in batch
                    ]
                for task, checks, findings in recorded:
                    done += 1
                    summary.checks.extend(checks)
                    summary.findings.extend(findings)
                    counts.update(c.status for c in checks)
                    yield TaskFinished(
                        task.checker,
                        task.source,
                        tuple(checks),
                        tuple(findings),
                        done,
                        len(tasks),
                        dict(counts),
                    )
                if store.disk_full:  # keep what is answered; stop before losing more
                    cancel.set()
            if not cancel.is_set():
                state = "finished"
        finally:
            cancel.set()  # stop the workers whatever happened
            final = store.finish_scan(summary, state)
        idle = {c.id: NOTHING_TO_LOOK_UP for c in checkers if not totals[c.id]}
        coverage = Coverage.from_checks(
            final.checks,
            checkers=(c.id for c in checkers),
            left_out={**idle, **left_out},
            min_coverage=config.min_coverage,
        )
        store.set_coverage(final.scan_id, coverage)
        final = replace(
            final, coverage=coverage, score=_record_score(store, final, coverage, config)
        )
        yield ScanFinished(final)
    finally:
        browser.close()
        http.close()


def _record_score(
    store: Store, summary: ScanSummary, coverage: Coverage, config: Config
) -> float | None:
    """Store the exposure score as it stands after this scan (engine/score.py).

    None when too little was checked for a score to mean anything (the score
    is unknown, not 0). A failure here is logged and never fails the scan: the
    findings are kept.
    """
    if not coverage.sufficient:
        return None
    try:
        from exposure.engine.score import score_scan

        return score_scan(store, summary.profile, summary.scan_id, config.confidence_threshold)
    except Exception as exc:
        log.warning("could not compute the exposure score: %r", exc)
        return None


def _record(
    store: Store, summary: ScanSummary, task: Task, result: TaskResult | BaseException
) -> tuple[list[Check], list[Finding]]:
    if isinstance(result, BaseException):
        log.warning("%s/%s failed: %r", task.checker, task.source, result)
        reason = f"internal error: {type(result).__name__}: {result}".splitlines()[0]
        result = TaskResult(checks=[Check(task.checker, task.source, Outcome.ERROR, detail=reason)])
    for check in result.checks:
        store.record_check(summary.scan_id, check)
    stored = [store.record_finding(summary.scan_id, summary.profile, f) for f in result.findings]
    return result.checks, stored


def _with_robots_cache(settings: HttpSettings) -> HttpSettings:
    """Scans keep robots.txt answers in the cache folder for a day (RFC 9309)."""
    return replace(settings, robots_cache=str(paths.current().cache_dir / ROBOTS_CACHE))


def pool_size(tasks: list[Task], config: Config) -> int:
    """Threads for a scan: ``concurrency``, grown with the distinct hosts asked.

    With thousands of sites, in-flight requests should be bounded by the sites'
    own gates (``per_host_concurrency`` each), not by the pool; the pool grows
    to cover every host's gate, up to ``max_concurrency`` (a memory budget).
    """
    hosts = {t.host for t in tasks if t.host}
    wanted = max(config.concurrency, len(hosts) * config.http.per_host_concurrency)
    return max(1, min(wanted, max(config.concurrency, config.max_concurrency), len(tasks) or 1))


Completed = tuple[Task, TaskResult | BaseException]  # a task and what it returned or raised


def run_pool(tasks: list[Task], workers: int, cancel: threading.Event) -> Iterator[list[Completed]]:
    """Run ``tasks`` on daemon threads; yield the results that have completed, in batches.

    Daemon threads, not concurrent.futures: an interrupted scan must not wait
    at exit for requests still in flight. Batches let the caller record a burst
    of results in one transaction. A task that ends because the scan was
    cancelled yields nothing (it finished nothing).
    """
    from exposure.net.http import Cancelled

    todo: queue.SimpleQueue[Task] = queue.SimpleQueue()
    for task in tasks:
        todo.put(task)
    results: queue.SimpleQueue[tuple[Task, TaskResult | BaseException | None]] = queue.SimpleQueue()

    def work() -> None:
        while not cancel.is_set():
            try:
                task = todo.get_nowait()
            except queue.Empty:
                return
            outcome: TaskResult | BaseException | None
            try:
                outcome = task.run()
            except Cancelled:
                outcome = None
            except Exception as exc:
                outcome = exc
            results.put((task, outcome))

    for n in range(min(workers, len(tasks))):
        threading.Thread(target=work, name=f"exposure-scan-{n}", daemon=True).start()

    def drain() -> list[tuple[Task, TaskResult | BaseException | None]]:
        got: list[tuple[Task, TaskResult | BaseException | None]] = []
        while len(got) < 256:
            try:
                got.append(results.get_nowait())
            except queue.Empty:
                break
        return got

    remaining = len(tasks)
    while remaining and not cancel.is_set():
        try:
            first = results.get(timeout=0.1)
        except queue.Empty:
            continue
        batch = [first, *drain()]
        remaining -= len(batch)
        yield [(task, outcome) for task, outcome in batch if outcome is not None]
    # Results that completed before cancellation are still worth keeping.
    while batch := drain():
        yield [(task, outcome) for task, outcome in batch if outcome is not None]


def elapsed_ms(start: float) -> int:
    """Milliseconds since ``start`` (a ``time.monotonic()`` reading)."""
    return int((time.monotonic() - start) * 1000)
