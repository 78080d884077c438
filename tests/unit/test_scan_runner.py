"""The scan runner with fake checkers: concurrency, recording, cancellation."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.config import Config
from exposure.engine.scan import ScanFinished, ScanOptions, ScanStarted, TaskFinished, run_scan
from exposure.engine.store import Store
from exposure.model import Check, Finding, FindingKind, Outcome, Profile


class FakeChecker(Checker):
    id = "fake"
    title = "Fake"
    description = "answers from a table"

    def __init__(
        self, answers: dict[str, Outcome], delay: float = 0.0, gate: threading.Event | None = None
    ):
        self.answers = answers
        self.delay = delay
        self.gate = gate
        self.running = 0
        self.peak = 0
        self.lock = threading.Lock()

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        return [Transmission("username", u, "fake.example") for u in ctx.profile.usernames]

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        for source, outcome in self.answers.items():
            yield Task(self.id, source, lambda s=source, o=outcome: self._run(s, o))

    def _run(self, source: str, outcome: Outcome) -> TaskResult:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            if self.gate is not None and source != "first":
                self.gate.wait(5)
            time.sleep(self.delay)
            if source == "boom":
                raise RuntimeError("checker bug")
            findings = []
            if outcome is Outcome.FOUND:
                findings.append(
                    Finding(
                        self.id,
                        source,
                        FindingKind.ACCOUNT,
                        source,
                        f"https://{source}.example/jane",
                        0.9,
                        ["seen"],
                    )
                )
            return TaskResult([Check(self.id, source, outcome)], findings)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db.sqlite", tmp_path / "evidence")


JANE = Profile(id="jane", names=["Jane Doe"], usernames=["janedoe"])


def test_runs_concurrently_and_records_everything(store: Store) -> None:
    answers = {f"site{i}": Outcome.FOUND if i % 3 == 0 else Outcome.ABSENT for i in range(30)}
    checker = FakeChecker(answers, delay=0.05)
    start = time.monotonic()
    events = list(
        run_scan(JANE, [checker], store=store, config=Config(), options=ScanOptions(concurrency=10))
    )
    elapsed = time.monotonic() - start
    assert isinstance(events[0], ScanStarted) and events[0].total == 30
    assert isinstance(events[-1], ScanFinished)
    done = [e for e in events if isinstance(e, TaskFinished)]
    assert [e.done for e in done] == list(range(1, 31))
    assert 2 <= checker.peak <= 10
    assert elapsed < 30 * 0.05  # it really ran in parallel
    summary = events[-1].summary
    assert summary.state == "finished"
    assert len(store.checks(summary.scan_id)) == 30
    assert len(store.findings("jane")) == 10
    assert done[-1].counts == {Outcome.FOUND: 10, Outcome.ABSENT: 20}


def test_a_crashing_task_is_an_error_not_a_crash(store: Store) -> None:
    checker = FakeChecker({"ok": Outcome.ABSENT, "boom": Outcome.FOUND})
    events = list(run_scan(JANE, [checker], store=store, config=Config()))
    summary = events[-1].summary
    statuses = {c.source: c for c in store.checks(summary.scan_id)}
    assert statuses["boom"].status is Outcome.ERROR
    assert "checker bug" in statuses["boom"].detail
    assert statuses["ok"].status is Outcome.ABSENT


def test_cancel_stops_and_marks_interrupted(store: Store) -> None:
    gate = threading.Event()
    answers = {"first": Outcome.FOUND} | {f"slow{i}": Outcome.ABSENT for i in range(20)}
    checker = FakeChecker(answers, gate=gate)
    cancel = threading.Event()
    seen = []
    for event in run_scan(
        JANE,
        [checker],
        store=store,
        config=Config(),
        options=ScanOptions(concurrency=2),
        cancel=cancel,
    ):
        seen.append(event)
        if isinstance(event, TaskFinished):
            cancel.set()
            gate.set()
    summary = seen[-1].summary
    assert summary.state == "interrupted"
    recorded = store.checks(summary.scan_id)
    assert 1 <= len(recorded) < 21
    assert [f.source for f in store.findings("jane")] == ["first"]


def test_generator_closed_midway_marks_interrupted(store: Store) -> None:
    checker = FakeChecker({f"s{i}": Outcome.ABSENT for i in range(10)}, delay=0.01)
    events = run_scan(
        JANE, [checker], store=store, config=Config(), options=ScanOptions(concurrency=1)
    )
    started = next(events)
    next(events)
    events.close()  # what a KeyboardInterrupt in the consumer amounts to
    scans = store.scans("jane")
    assert [s.state for s in scans] == ["interrupted"]
    assert len(store.checks(started.scan_id)) >= 1


def test_plan_spreads_tasks_of_one_source_apart() -> None:
    from exposure.engine.scan import plan

    class TwoUsernames(FakeChecker):
        def tasks(self, ctx: ScanContext) -> Iterable[Task]:
            for source in ("a", "b", "c"):
                for _user in ("u1", "u2"):
                    yield Task(self.id, source, lambda: TaskResult())

    ctx = ScanContext(profile=JANE, config=Config(), http=None)  # type: ignore[arg-type]
    order = [t.source for t in plan([TwoUsernames({})], ctx)]
    assert order == ["a", "b", "c", "a", "b", "c"]


def test_a_checker_that_would_send_a_private_field_never_runs(store: Store) -> None:
    checker = FakeChecker({"site": Outcome.FOUND})
    config = Config(private_fields=["username"])
    events = list(run_scan(JANE, [checker], store=store, config=config))
    started = events[0]
    assert isinstance(started, ScanStarted)
    assert started.checkers == () and started.total == 0
    assert "username" in started.left_out["fake"]
    assert checker.peak == 0  # not one task ran
    assert store.checks(started.scan_id) == []


def test_scan_started_counts_tasks_per_checker(store: Store) -> None:
    checker = FakeChecker({"a": Outcome.ABSENT, "b": Outcome.ABSENT})
    started = next(iter(run_scan(JANE, [checker], store=store, config=Config())))
    assert started.totals == {"fake": 2} and started.left_out == {}


# --------------------------------------------------------------------------- private fields


class RecordingChecker(Checker):
    """Records every profile it is given: what it may send, and what it may compare."""

    id = "recorder"
    title = "Recorder"
    description = "records the profile it is given"

    def __init__(self) -> None:
        self.sendable: list[Profile] = []
        self.local: list[Profile] = []

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        self.sendable.append(ctx.profile)
        return [Transmission("name", n, "recorder.example") for n in ctx.profile.names]

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        self.sendable.append(ctx.profile)
        self.local.append(ctx.match_profile)
        return [Task(self.id, "source", TaskResult, host="recorder.example")]


MARY = Profile(
    id="mary",
    names=["Mary Major"],
    emails=["mary@example.org"],
    phones=["+15035550100"],
    usernames=["mmajor"],
)


def test_checkers_get_the_profile_without_its_private_fields(store: Store) -> None:
    checker = RecordingChecker()
    config = Config(private_fields=["phone", "email"])
    events = list(run_scan(MARY, [checker], store=store, config=config))
    assert isinstance(events[0], ScanStarted) and events[0].checkers == ("recorder",)
    assert checker.sendable  # asked what it sends, and for its tasks
    for seen in checker.sendable:
        assert seen.phones == [] and seen.emails == []
        assert seen.names == ["Mary Major"] and seen.usernames == ["mmajor"]
    # Comparing on this machine still has the whole profile.
    [local] = checker.local
    assert local.phones == ["+15035550100"] and local.emails == ["mary@example.org"]


def test_without_private_fields_checkers_see_them(store: Store) -> None:
    checker = RecordingChecker()
    list(run_scan(MARY, [checker], store=store, config=Config()))
    assert checker.sendable
    assert all(p.phones == ["+15035550100"] for p in checker.sendable)
    assert all(p.emails == ["mary@example.org"] for p in checker.sendable)


def test_sendable_profile_empties_each_private_field() -> None:
    from exposure.config import PROFILE_FIELDS
    from exposure.model.profile import FIELD_ATTRIBUTES, sendable_profile, withheld_fields

    assert set(FIELD_ATTRIBUTES) == set(PROFILE_FIELDS)
    full = Profile(
        id="p",
        names=["A B"],
        emails=["a@example.org"],
        phones=["+15035550100"],
        usernames=["ab"],
        locations=["Portland, OR"],
        addresses=["1 Main St, Portland, OR"],
        birth_date=date(1990, 1, 1),
        accounts=["https://example.org/ab"],
    )
    empty = sendable_profile(full, PROFILE_FIELDS)
    assert all(not getattr(empty, attr) for attr in FIELD_ATTRIBUTES.values())
    assert empty.id == "p" and empty.accounts == full.accounts
    assert full.phones == ["+15035550100"]  # the original is untouched
    assert withheld_fields(Profile(id="q", phones=["+1"]), ["phone", "email"]) == {"phone"}


# --------------------------------------------------------------------------- result hooks


def test_hooks_adjust_each_result_before_it_is_stored(store: Store) -> None:
    def retitle(result: TaskResult) -> TaskResult:
        return TaskResult(
            result.checks, [replace(f, reasons=[*f.reasons, "hooked"]) for f in result.findings]
        )

    checker = FakeChecker({"site": Outcome.FOUND})
    plain = list(run_scan(JANE, [checker], store=store, config=Config()))[-1]
    assert isinstance(plain, ScanFinished)
    assert [f.reasons for f in plain.summary.findings] == [["seen"]]
    hooked = list(run_scan(JANE, [checker], store=store, config=Config(), hooks=[retitle]))[-1]
    assert isinstance(hooked, ScanFinished)
    assert [f.reasons for f in hooked.summary.findings] == [["seen", "hooked"]]


def test_a_hooked_task_keeps_its_host() -> None:
    from exposure.engine.scan import with_hooks

    task = Task("c", "s", TaskResult, host="h.example")
    hooked = with_hooks(task, [lambda r: r])
    assert (hooked.checker, hooked.source, hooked.host) == ("c", "s", "h.example")
    assert isinstance(hooked.run(), TaskResult)
