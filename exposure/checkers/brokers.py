"""The ``brokers`` checker: is the person listed on people-search sites?

For every broker of the catalogue (:mod:`exposure.catalogues.brokers`) that has
a public search, it fills the search URL(s) from the profile, fetches each
result page politely (robots.txt respected unless ``[checkers.brokers]
respect_robots = false``), extracts the person records on it generically
(:mod:`exposure.extract.records`) and scores each against the profile
(:mod:`exposure.people.matching`).

How a page is read — honesty first, unknown is never absent:

* a WAF/captcha/rate-limit page, a 401/403 or a login wall -> ``blocked``,
  with the search URL so the person can look by hand;
* no answer at all, a 5xx, or any other unexpected status -> ``error``;
* the page says there are no results -> ``absent``;
* records, but none about the person -> ``absent`` ("12 records, none of
  them you");
* a record with the person's name but no town or only a wide age band is
  looked at once more on its own page (:mod:`exposure.checkers.broker_details`,
  at most ``detail_pages`` per broker per scan) and scored again;
* records about the person -> ``found``, one finding per record
  (``person_record``, or ``linked_record`` when it is someone else's record
  showing the person's phone, email or address);
* neither records nor a "no results" message -> ``error`` "page layout not
  understood": we could not read it, so we do not claim anything.

Brokers without a public search (paywalled funnels, marketing brokers) give
a ``skipped`` check pointing at their opt-out page: check by hand. A
one-country broker is not asked at all about a person with no place or phone
in its country (their name would be sent abroad for nothing).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit, urlunsplit

import msgspec

from exposure.catalogues.brokers import (
    Broker,
    BrokerCatalogue,
    Render,
    SkipReason,
    broker_urls,
    hand_check_url,
    load_brokers,
    out_of_area,
)
from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.checkers.broker_details import DEFAULT_DETAIL_PAGES, DetailBudget, read_details
from exposure.errors import ExposureError
from exposure.model import Capture, Check, Exposes, Finding, FindingKind, Outcome
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.extract import Record
    from exposure.people.matching import ProfileMatcher, RecordMatch

CHECKER_ID = "brokers"
# Findings at or above this are stored (and can be confirmed or rejected later);
# the CLI shows only those at or above the configured confidence threshold.
STORE_FLOOR = 0.3
LAYOUT_NOT_UNDERSTOOD = "page layout not understood"
# A JavaScript-built page read without a browser: unknown, and a browser may read it.
NEEDS_JAVASCRIPT = (
    f"page needs JavaScript ({LAYOUT_NOT_UNDERSTOOD} without a browser; scan --browser renders it)"
)
_LOGIN_WORDS = ("login", "log-in", "signin", "sign-in", "sign_in", "register", "signup")
_EXPOSES_WORDS = {
    "home_address": "address",
    "phone": "phone",
    "email": "email",
    "relatives": "relatives",
    "age": "age",
}


@dataclass
class BrokersOptions:
    """``[checkers.brokers]``."""

    respect_robots: bool | None = None  # None: [http] respect_robots
    # Records left unclear (name, no town or no age) looked at on their own page,
    # per broker per scan; 0 never follows a record's link.
    detail_pages: Annotated[int, msgspec.Meta(ge=0, le=20)] = DEFAULT_DETAIL_PAGES


class BrokersChecker(Checker):
    id = CHECKER_ID
    title = "People-search sites"
    description = (
        "Searches people-search sites and data brokers for your name, places, phone and "
        "email, keeps the pages that list you, and links each one to its opt-out."
    )
    lookup = (
        "Loads each people-search site's public search page for your name and city, as any "
        "visitor would; the site is not told who is asking and messages no one."
    )
    options = BrokersOptions

    def __init__(self) -> None:
        self._catalogue: BrokerCatalogue | None = None
        self._catalogue_key: Any = object()
        self._lock = threading.Lock()

    def catalogue(self, ctx: ScanContext) -> BrokerCatalogue:
        """The catalogue for this scan (``--brokers`` file, else bundled + brokers.d), once."""
        chosen = ctx.options.get("brokers_file")
        key = str(chosen) if chosen else None
        with self._lock:
            if self._catalogue is None or key != self._catalogue_key:
                self._catalogue = load_brokers(Path(chosen) if chosen else None)
                self._catalogue_key = key
            return self._catalogue

    def _brokers(self, ctx: ScanContext) -> list[Broker]:
        """The brokers worth asking about this person (out-of-area ones left out)."""
        region = ctx.config.default_region
        return [b for b in self.catalogue(ctx) if out_of_area(b, ctx.profile, region) is None]

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        out: dict[tuple[str, str, str], Transmission] = {}
        for broker in self._brokers(ctx):
            for _kind, filled in broker_urls(broker, ctx.profile, ctx.withheld):
                if isinstance(filled, SkipReason):
                    continue
                for item in filled:
                    host = urlsplit(item.url).hostname or ""
                    for field, value in item.sends:
                        out.setdefault((field, value, host), Transmission(field, value, host))
        return list(out.values())

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        pages = ctx.checker_config(CHECKER_ID).get("detail_pages", DEFAULT_DETAIL_PAGES)
        matcher = _PerScan(ctx, DetailBudget(int(pages)))
        tasks: list[Task] = []
        for broker in self._brokers(ctx):
            if not broker.searchable:
                detail = f"no public search; check by hand: {hand_check_url(broker)}"
                tasks.append(_skip_task(broker, broker.url, detail))
                continue
            # ``withheld`` only words a skip ("needs your phone, which is private"):
            # the private values are not in ctx.profile at all.
            plans = broker_urls(broker, ctx.profile, ctx.withheld)
            runnable = [f for _k, f in plans if not isinstance(f, SkipReason)]
            if not runnable:
                # Nothing to search with: say why (the name search's reason first).
                why = "; ".join(dict.fromkeys(str(f) for _k, f in plans))
                detail = f"search skipped: {why}; check by hand: {broker.url}"
                tasks.append(_skip_task(broker, broker.url, detail))
                continue
            # A phone or email search the profile cannot fill is simply not made
            # when another search of the same broker runs.
            for filled in runnable:
                for item in filled:
                    run = partial(check_search, ctx, broker, item.url, matcher)
                    tasks.append(Task(checker=CHECKER_ID, source=broker.id, run=run))
        return tasks


def _skip_task(broker: Broker, url: str, detail: str) -> Task:
    check = _check(broker, Outcome.SKIPPED, url, detail)
    return Task(checker=CHECKER_ID, source=broker.id, run=lambda: TaskResult(checks=[check]))


class _PerScan:
    """What a scan's searches share: one :class:`ProfileMatcher`, built on first
    use by whichever thread needs it, and the detail-page budget (None: no
    detail pages, as for a page the person saved)."""

    def __init__(self, ctx: ScanContext, details: DetailBudget | None = None) -> None:
        self._ctx = ctx
        self.details = details
        self._lock = threading.Lock()
        self._matcher: ProfileMatcher | None = None

    def get(self) -> ProfileMatcher:
        with self._lock:
            if self._matcher is None:
                from exposure.people.matching import ProfileMatcher

                # The whole profile: a record showing her private phone is hers.
                self._matcher = ProfileMatcher(self._ctx.match_profile)
            return self._matcher


# --------------------------------------------------------------------------- one search


def check_search(
    ctx: ScanContext, broker: Broker, url: str, matcher: _PerScan | ProfileMatcher
) -> TaskResult:
    """Fetch one search URL of ``broker`` and say what it shows about the person.

    A broker with ``render = "browser"`` is read in the browser. Otherwise the
    page is fetched over plain HTTP, and with ``scan --browser`` a page that
    came back blocked or built by JavaScript is tried again in the browser.
    """
    browser = ctx.options.get("browser")
    if broker.render is Render.BROWSER:
        if browser is None or browser.missing:
            why = browser.missing if browser is not None else "no browser in this run"
            detail = f"this site needs a browser: {why}; check by hand"
            return TaskResult(checks=[_check(broker, Outcome.ERROR, url, detail)])
        return _search(ctx, broker, url, matcher, browser).result
    reading = _search(ctx, broker, url, matcher, None)
    if reading.wants_browser and browser is not None and browser.enabled:
        if browser.missing:
            check = reading.result.checks[0]
            check.detail = f"{check.detail} (no browser: {browser.missing})"
            return reading.result
        return _search(ctx, broker, url, matcher, browser).result
    return reading.result


def check_saved(ctx: ScanContext, broker: Broker, resp: Any) -> TaskResult:
    """A results page the person saved (``exposure import``), read as a fetched one is."""
    by = f"{resp.capture().method.value}: "
    return read_answer(ctx, broker, resp.url, resp, _PerScan(ctx), by).result


@dataclass
class _Reading:
    result: TaskResult
    wants_browser: bool = False  # blocked, or built by JavaScript: a browser may read it


def _search(
    ctx: ScanContext,
    broker: Broker,
    url: str,
    matcher: _PerScan | ProfileMatcher,
    browser: Any | None,
) -> _Reading:
    """One look at ``url``: over plain HTTP, or rendered in ``browser``."""
    from exposure.net import http

    respect = ctx.checker_config(CHECKER_ID).get("respect_robots")
    by = "rendered by browser: " if browser is not None else ""
    try:
        if browser is not None:
            resp = browser.render(url, respect_robots=respect)
        else:
            resp = ctx.http.get(url, respect_robots=respect)
    except http.RobotsDisallowed as exc:
        reason = str(getattr(exc, "reason", "") or exc)
        detail = f"robots.txt disallows automated searches here; check by hand ({reason})"
        return _Reading(TaskResult(checks=[_check(broker, Outcome.SKIPPED, url, detail)]))
    except (http.FetchError, ExposureError) as exc:
        reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
        return _Reading(TaskResult(checks=[_check(broker, Outcome.ERROR, url, f"{by}{reason}")]))

    return read_answer(ctx, broker, url, resp, matcher, by)


def read_answer(
    ctx: ScanContext,
    broker: Broker,
    url: str,
    resp: Any,
    matcher: _PerScan | ProfileMatcher,
    by: str = "",
) -> _Reading:
    """What one answer for ``url`` says: fetched, rendered, or saved by the person.

    ``by`` starts every check's detail ("rendered by browser: ", "saved by you: ").
    """
    elapsed = int(getattr(resp, "elapsed_ms", 0) or 0)
    tries = int(getattr(resp, "tries", 1) or 1)

    def done(status: Outcome, detail: str, findings: list[Finding] | None = None) -> TaskResult:
        if tries > 1 and status in (Outcome.BLOCKED, Outcome.ERROR):
            detail = f"{detail} after {tries} tries"
        return TaskResult(
            checks=[_check(broker, status, url, by + detail, elapsed)], findings=findings or []
        )

    if resp.block_reason:
        return _Reading(done(Outcome.BLOCKED, f"{resp.block_reason}; check by hand"), True)
    wall = _login_wall(resp.status, url, resp.final_url)
    if wall:
        return _Reading(done(Outcome.BLOCKED, f"{wall}; check by hand"))
    page = _page_input(resp)
    if resp.status in (404, 410):
        from exposure.extract import page_says_no_results

        if page_says_no_results(page, broker.no_results):
            return _Reading(done(Outcome.ABSENT, f"HTTP {resp.status}: the site says no results"))
        return _Reading(done(Outcome.ERROR, f"unexpected answer: HTTP {resp.status}"))
    if not 200 <= resp.status < 300:
        return _Reading(done(Outcome.ERROR, f"unexpected answer: HTTP {resp.status}"))
    return read_page(ctx, broker, url, resp, page, matcher, done)


def _page_input(resp: Any) -> str | bytes:
    """Text when the server declared a charset, else bytes for the extractor to sniff."""
    if "charset" in (resp.content_type or "").lower():
        return str(resp.text)
    return bytes(resp.body)


def _login_wall(status: int, url: str, final_url: str) -> str | None:
    if status in (401, 407):
        return f"login required (HTTP {status})"
    if status == 403:
        return "access refused (HTTP 403)"
    if final_url and final_url != url:
        path = urlsplit(final_url).path.lower()
        if any(word in path for word in _LOGIN_WORDS):
            return "redirected to a login page"
    return None


def read_page(
    ctx: ScanContext,
    broker: Broker,
    url: str,
    resp: Any,
    page: str | bytes,
    matcher: _PerScan | ProfileMatcher,
    done: Callable[..., TaskResult],
) -> _Reading:
    """What a results page says about the person (fetched, rendered, or saved by them)."""
    from exposure.extract import extract_records, page_looks_js_built, page_says_no_results

    if page_says_no_results(page, broker.no_results):
        return _Reading(done(Outcome.ABSENT, "the site says no results"))
    region = broker.country if len(broker.country) == 2 else ctx.config.default_region
    base = resp.final_url or url
    try:
        records = extract_records(page, base, hints=broker.hints, default_region=region or "US")
    except Exception as exc:  # noqa: BLE001 - an extractor bug is this check's error, shown
        detail = f"{LAYOUT_NOT_UNDERSTOOD} (extraction failed: {_why(exc)})"
        return _Reading(done(Outcome.ERROR, detail))
    if not records:
        if page_looks_js_built(page):
            return _Reading(done(Outcome.ERROR, NEEDS_JAVASCRIPT), wants_browser=True)
        detail = f"{LAYOUT_NOT_UNDERSTOOD} (no records, no 'no results' text)"
        return _Reading(done(Outcome.ERROR, detail))
    scorer = matcher.get() if isinstance(matcher, _PerScan) else matcher
    matches = scorer.score_many(records)
    details: dict[int, Capture] = {}
    budget = matcher.details if isinstance(matcher, _PerScan) else None
    if budget is not None and budget.per_broker:
        read = read_details(ctx, broker, base, records, matches, scorer, budget, region or "US")
        records, matches, details = read.records, read.matches, read.captures
    capture = resp.capture()
    threshold = ctx.config.confidence_threshold
    best: dict[str, Finding] = {}
    for i, (record, match) in enumerate(zip(records, matches, strict=False)):
        if match.kind is None:
            continue
        if match.confidence < STORE_FLOOR and not match.carries_name:
            continue
        finding = _finding(broker, url, record, match, capture, threshold)
        if i in details:
            finding.related = (details[i],)
        if finding.key not in best or finding.confidence > best[finding.key].confidence:
            best[finding.key] = finding
    findings = sorted(best.values(), key=lambda f: -f.confidence)
    count = _records_word(len(records))
    likely = [f for f in findings if f.confidence >= threshold]
    if likely:
        return _Reading(done(Outcome.FOUND, f"{count}, {len(likely)} about you", findings))
    named = sum(1 for m in matches if m.carries_name)
    if named:
        # Possible is not absent: records under their name are kept for the person to judge.
        detail = (
            f"{_records_word(named)} with your name; none matched your place or age — look at them"
        )
        return _Reading(done(Outcome.FOUND, detail, findings))
    n = len(findings)
    weak = f" ({n} weak match{'es' if n != 1 else ''} kept for review)" if n else ""
    return _Reading(done(Outcome.ABSENT, f"{count}, none with your name{weak}", findings))


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _records_word(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


# --------------------------------------------------------------------------- findings


def record_key(broker: Broker, record: Record) -> str:
    """What makes a record the same across rescans: its link, else its name and places."""
    if record.url:
        parts = urlsplit(record.url)
        return (
            f"{broker.id}:{urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ''))}"
        )
    from exposure.people.names import fold

    material = "\x1f".join([fold(record.name), *sorted(fold(p) for p in record.places)])
    return f"{broker.id}:#{hashlib.sha256(material.encode('utf-8')).hexdigest()[:16]}"


def _title(broker: Broker, record: Record, kind: FindingKind, exposes: list[str]) -> str:
    place = record.places[0] if record.places else ""
    who = clean(f"{record.name}, {place}" if place else record.name, limit=80)
    title = f"{broker.name} record '{who}'"
    if kind is FindingKind.LINKED_RECORD:
        words = [_EXPOSES_WORDS.get(e, e) for e in exposes]
        title += f" shows your {', '.join(words)}" if words else " mentions you"
    return clean(title, limit=160)


def _finding(
    broker: Broker,
    search_url: str,
    record: Record,
    match: RecordMatch,
    capture: Any,
    threshold: float = 0.6,
) -> Finding:
    kind = match.kind if match.kind is not None else FindingKind.PERSON_RECORD
    matched = dict(match.matched)
    reasons = list(match.reasons)
    if match.confidence < threshold:
        # A possible listing: shown by `findings --all` and the TUI, for the person to judge.
        matched["below_threshold"] = True
        reasons.append(
            f"below the threshold ({match.confidence:.2f} < {threshold:.2f}): look at it"
        )
    matched.setdefault("search_url", search_url)
    exposes = [str(e) for e in matched.get("exposes") or ()]
    return Finding(
        checker=CHECKER_ID,
        source=broker.id,
        kind=kind,
        key=record_key(broker, record),
        url=record.url or search_url,
        confidence=float(match.confidence),
        reasons=[clean(r, limit=300) for r in reasons],
        matched=matched,
        title=_title(broker, record, kind, exposes),
        capture=capture,
        exposes=exposed_by(matched),
        # How to get it removed, as the catalogue of this scan said: the checklist
        # needs it even when the scan used a one-off --brokers file.
        remedy=broker.remedy(),
    )


def exposed_by(matched: dict[str, Any]) -> frozenset[Exposes]:
    """What a matched record shows: what matching says, and the details it kept."""
    out = {Exposes(e) for e in matched.get("exposes") or () if e in set(Exposes)}
    for key, what in (
        ("addresses", Exposes.HOME_ADDRESS),
        ("phones", Exposes.PHONE),
        ("emails", Exposes.EMAIL),
        ("age", Exposes.AGE),
        ("relatives", Exposes.RELATIVES),
    ):
        if matched.get(key):
            out.add(what)
    return frozenset(out)


def _check(broker: Broker, status: Outcome, url: str, detail: str, elapsed: int = 0) -> Check:
    return Check(
        checker=CHECKER_ID,
        source=broker.id,
        status=status,
        url=url,
        detail=detail,
        elapsed_ms=elapsed,
        opt_out=broker.remedy(),
    )
