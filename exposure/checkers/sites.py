"""The ``sites`` checker: does an account under the person's username exist?

For every (site, username) pair it asks the site's check URL and reads the
answer with the catalogue's rules (see :mod:`exposure.catalogues.sites`). The
reading is a pure function, :func:`verdict`, over the status, headers, text and
final URL, so the rules are tested on tables, without HTTP.

Honesty: a rule that does not clearly say "found" or "absent" gives ``error``
(or ``blocked`` for 401/403/429 answers), never a guess. An account found is
a finding with confidence 1.0 when its profile URL is one of the person's
known accounts, and 0.7 otherwise: it may be theirs, or an impostor's.
"""

from __future__ import annotations

import secrets
import string
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

from msgspec import Meta

from exposure.catalogues.sites import (
    FORMAT_MAIGRET,
    FORMAT_WMN,
    Catalogue,
    SiteDef,
    build_request,
    load_catalogue,
    unfit_reason,
    weak_rule,
)
from exposure.checkers.base import (
    Checker,
    CheckerInputError,
    ScanContext,
    Task,
    TaskResult,
    Transmission,
)
from exposure.config import HttpUrl
from exposure.model import AccountAction, Check, Exposes, Finding, FindingKind, Outcome, Whose
from exposure.people.own_accounts import is_own_account

if TYPE_CHECKING:
    from collections.abc import Mapping

CHECKER_ID = "sites"
OWN_CONFIDENCE = 1.0
UNKNOWN_OWNER_CONFIDENCE = 0.7
VARIANT_CONFIDENCE = 0.6  # at the default threshold: reported, below a known username
OWN_REASON = "one of your known accounts"
UNKNOWN_OWNER_REASON = "an account under your username — yours, or an impostor?"
VARIANT_REASON = (
    "an account under {variant!r}, a username made from your name — "
    "it may be you, or an impostor using your name"
)
ANY_NAME_DETAIL = "this site answers 'found' for any name"
_REFUSED = {401: "access refused", 403: "access refused", 407: "access refused"}


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    detail: str


# --------------------------------------------------------------------------- pure verdicts


def _unread(status: int, why: str = "") -> Verdict:
    """An answer no rule explains: blocked for refusals and rate limits, else error."""
    if status == 429:
        return Verdict(Outcome.BLOCKED, "HTTP 429 (rate limited)")
    if status in _REFUSED:
        return Verdict(Outcome.BLOCKED, f"HTTP {status} ({_REFUSED[status]})")
    return Verdict(Outcome.ERROR, f"unexpected answer: HTTP {status}{why}")


def _not_ok(status: int, absent_detail: str) -> Verdict:
    """A non-2xx answer under Sherlock's rules: a redirect or a 4xx means no account."""
    if 300 <= status < 500 and status != 429 and status not in _REFUSED:
        return Verdict(Outcome.ABSENT, absent_detail)
    return _unread(status)


def wmn_verdict(site: SiteDef, status: int, text: str) -> Verdict:
    """WhatsMyName: found iff e_code and e_string; absent iff m_code and m_string."""
    if status == site.e_code and (site.e_string or "") in text:
        return Verdict(Outcome.FOUND, f"HTTP {status} with the account's text")
    if status == site.m_code and (site.m_string or "") in text:
        return Verdict(Outcome.ABSENT, f"HTTP {status} with the no-account text")
    if status in (site.e_code, site.m_code):
        return _unread(status, " without the expected text")
    return _unread(status)


def _sherlock_rule(kind: str, site: SiteDef, status: int, text: str) -> Verdict:
    ok = 200 <= status < 300
    if kind == "message":
        if any(msg in text for msg in site.error_msgs):
            return Verdict(Outcome.ABSENT, f"HTTP {status}: the page says there is no such account")
        if ok:
            return Verdict(Outcome.FOUND, f"HTTP {status} without the no-account message")
        return _unread(status)
    if kind == "status_code":
        if status in site.error_codes:
            return Verdict(Outcome.ABSENT, f"HTTP {status}: the no-account status")
        if ok:
            return Verdict(Outcome.FOUND, f"HTTP {status}")
        if not site.error_codes or status in (404, 410):
            return _not_ok(status, f"HTTP {status}")
        return _unread(status)
    # response_url: redirects are not followed, so a redirect is the "no account" signal.
    if ok:
        return Verdict(Outcome.FOUND, f"HTTP {status}, not redirected")
    return _not_ok(status, f"HTTP {status}: redirected away (no such account)")


def sherlock_verdict(site: SiteDef, status: int, text: str) -> Verdict:
    """Sherlock: every rule of ``errorType``; any "absent" wins, all "found" is found."""
    verdicts = [_sherlock_rule(kind, site, status, text) for kind in site.error_types]
    for v in verdicts:
        if v.outcome is Outcome.ABSENT:
            return v
    for v in verdicts:
        if v.outcome is not Outcome.FOUND:
            return v
    return verdicts[0]


def _maigret_text_rule(site: SiteDef, status: int, text: str) -> Verdict:
    """checkType ``message``: the no-account text wins; else the account's text must be there.

    Maigret reads "no presence string" as "no account" even when the page has
    none of the strings it knows; we do that only when the entry gives no
    absence strings to look for. With both lists and neither on the page, the
    page is not one we understand: error.
    """
    if any(s in text for s in site.absence_strs):
        return Verdict(Outcome.ABSENT, f"HTTP {status}: the page says there is no such account")
    if site.presence_strs:
        if any(s in text for s in site.presence_strs):
            return Verdict(Outcome.FOUND, f"HTTP {status} with the account's text")
        if site.absence_strs:
            return _unread(status, " with neither the account's nor the no-account text")
        return Verdict(Outcome.ABSENT, f"HTTP {status} without the account's text")
    if 200 <= status < 300:
        return Verdict(Outcome.FOUND, f"HTTP {status} without the no-account text")
    return _not_ok(status, f"HTTP {status}")


def maigret_verdict(site: SiteDef, status: int, text: str) -> Verdict:
    """Maigret: its error strings and refusals first, then the entry's checkType."""
    for needle, meaning in site.error_strings:
        if needle in text:
            return Verdict(Outcome.ERROR, f"HTTP {status}: the site says {meaning!r}")
    if status == 403 and site.ignore_403:
        return Verdict(Outcome.ABSENT, "HTTP 403 (this site's no-account answer)")
    if status in _REFUSED or status == 429 or status >= 500:
        return _unread(status)
    kind = site.error_types[0] if site.error_types else "status_code"
    if kind == "message":
        return _maigret_text_rule(site, status, text)
    ok = 200 <= status < 300
    presence_missing = site.presence_strs and not any(s in text for s in site.presence_strs)
    if kind == "response_url" and ok and presence_missing:
        return _unread(status, " without the account's text")
    by_status = kind == "status_code"
    if ok:
        return Verdict(Outcome.FOUND, f"HTTP {status}" + ("" if by_status else ", not redirected"))
    return _not_ok(status, f"HTTP {status}" + ("" if by_status else ": redirected away"))


def verdict(
    site: SiteDef,
    status: int,
    headers: Mapping[str, str] | None = None,
    text: str = "",
    final_url: str = "",
) -> Verdict:
    """What one answer says about one account on ``site``. Pure: no I/O.

    ``headers`` and ``final_url`` are part of the signature so rules may use
    them; redirects are not followed where a rule depends on them, so today's
    rules read only the status and the text.
    """
    if site.format == FORMAT_WMN:
        return wmn_verdict(site, status, text)
    if site.format == FORMAT_MAIGRET:
        return maigret_verdict(site, status, text)
    return sherlock_verdict(site, status, text)


# --------------------------------------------------------------------------- asking a site


@dataclass(frozen=True)
class Answer:
    """What one site said about one username, read with the site's rule."""

    outcome: Outcome
    detail: str
    url: str
    elapsed_ms: int = 0
    response: Any = None  # the net.http Response, for the evidence capture


def ask(ctx: ScanContext, site: SiteDef, username: str) -> Answer:
    """Ask ``site`` about ``username``: one polite request through the scan's client."""
    from exposure.net import http

    req = build_request(site, username)
    why_not = unfit_reason(site, username)
    if why_not:
        return Answer(Outcome.SKIPPED, why_not, req.profile_url)
    respect = ctx.checker_config(CHECKER_ID).get("respect_robots")
    try:
        resp = ctx.http.request(
            req.method,
            req.url,
            headers=req.headers or None,
            data=req.data,
            allow_redirects=req.allow_redirects,
            respect_robots=respect,
        )
    except http.RobotsDisallowed:
        return Answer(Outcome.SKIPPED, "robots.txt disallows this check", req.profile_url)
    except http.FetchError as exc:
        reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
        return Answer(Outcome.ERROR, str(reason), req.profile_url)
    tries = int(getattr(resp, "tries", 1) or 1)
    elapsed = int(getattr(resp, "elapsed_ms", 0) or 0)
    if resp.block_reason:
        detail = _with_tries(resp.block_reason, tries)
        return Answer(Outcome.BLOCKED, detail, req.profile_url, elapsed)
    v = verdict(site, resp.status, resp.headers, resp.text, resp.final_url)
    detail = v.detail
    if v.outcome is Outcome.ERROR and resp.truncated:
        detail += "; the page was cut at the size cap, so the text may lie beyond it"
    return Answer(v.outcome, _with_tries(detail, tries), req.profile_url, elapsed, resp)


def made_up_username(site: SiteDef) -> str | None:
    """A username no one has (random), shaped to fit the site's rules, or None if none fits."""
    rand = secrets.SystemRandom()
    lower = string.ascii_lowercase
    shapes = (
        lambda: "zq" + "".join(rand.choice(lower + string.digits) for _ in range(12)),
        lambda: "zq" + "".join(rand.choice(lower) for _ in range(12)),
        lambda: "zq" + "".join(rand.choice(lower) for _ in range(6)),
        lambda: "Zq" + "".join(rand.choice(lower) for _ in range(4)),
    )
    for shape in shapes:
        name = shape()
        if unfit_reason(site, name) is None:
            return name
    return None


# --------------------------------------------------------------------------- false-found guard


class GuardMode(StrEnum):
    WEAK = "weak"  # sites whose "found" rule is weak (the default)
    ALWAYS = "always"
    OFF = "off"


@dataclass(frozen=True)
class GuardResult:
    any_name_found: bool | None  # None: the made-up name got no definite answer
    detail: str


class FalseFoundGuard:
    """Once per scan and site: does the site also say "found" for a name that can't exist?

    Sites that answer "found" for anyone are the main source of false
    accounts in every username tool. For a site whose rule is weak (see
    :func:`exposure.catalogues.sites.weak_rule`), a "found" is kept only when a
    random, made-up username on the same site reads "absent".

    Config (``[checkers.sites]``): ``false_found_guard = "weak" | "always" |
    "off"`` and ``false_found_guard_sites = { "Site name" = "off", ... }``.
    """

    def __init__(self, mode: GuardMode, per_site: Mapping[str, GuardMode]) -> None:
        self.mode = mode
        self.per_site = {k.lower(): v for k, v in per_site.items()}
        self._results: dict[str, GuardResult] = {}
        self._site_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        # The person's own names asked of each site in this scan: in flight, and read absent.
        self._changed = threading.Condition(self._lock)
        self._in_flight: dict[str, int] = {}
        self._absent: dict[str, str] = {}

    def asking(self, site: SiteDef) -> None:
        """A name of the person's is about to be asked of ``site``."""
        with self._lock:
            key = site.name.lower()
            self._in_flight[key] = self._in_flight.get(key, 0) + 1

    def answered(self, site: SiteDef, username: str, outcome: Outcome) -> None:
        with self._changed:
            key = site.name.lower()
            self._in_flight[key] = self._in_flight.get(key, 1) - 1
            if outcome is Outcome.ABSENT:
                self._absent.setdefault(key, username)
            self._changed.notify_all()

    def _another_name_absent(self, ctx: ScanContext, key: str) -> str | None:
        """A name of the person's that this site read absent, waiting for those in flight.

        A site that said "absent" for one name in this scan does tell names
        apart, so a made-up name need not be asked. The wait is for requests
        already sent, bounded by the client's deadline and by cancellation.
        """
        limit = time.monotonic() + ctx.http.settings.deadline
        with self._changed:
            while self._in_flight.get(key, 0) > 0 and key not in self._absent:
                if ctx.cancel.is_set() or time.monotonic() > limit:
                    break
                self._changed.wait(0.1)
            return self._absent.get(key)

    @classmethod
    def from_config(cls, options: Mapping[str, Any]) -> FalseFoundGuard:
        def mode_of(value: Any, key: str) -> GuardMode:
            try:
                return GuardMode(value)
            except ValueError:
                choices = ", ".join(m.value for m in GuardMode)
                raise CheckerInputError(
                    f"config [checkers.sites] {key}: {str(value)[:40]!r} is not one of {choices}"
                ) from None

        mode = mode_of(options.get("false_found_guard", GuardMode.WEAK.value), "false_found_guard")
        raw = options.get("false_found_guard_sites") or {}
        if not isinstance(raw, dict):
            raise CheckerInputError(
                "config [checkers.sites] false_found_guard_sites: expected a table of site = mode"
            )
        per_site = {
            str(k): mode_of(v, f"false_found_guard_sites.{str(k)[:40]}") for k, v in raw.items()
        }
        return cls(mode, per_site)

    def applies(self, site: SiteDef) -> str | None:
        """Why this site's "found" needs the guard (the reason), or None."""
        mode = self.per_site.get(site.name.lower(), self.mode)
        if mode is GuardMode.OFF:
            return None
        weak = weak_rule(site)
        if mode is GuardMode.ALWAYS:
            return weak or "the guard is on for every site"
        return weak

    def result(self, ctx: ScanContext, site: SiteDef) -> GuardResult:
        key = site.name.lower()
        with self._lock:
            site_lock = self._site_locks.setdefault(key, threading.Lock())
        with site_lock:  # two usernames found at once ask only once
            if key not in self._results:
                other = self._another_name_absent(ctx, key)
                if other is not None:
                    return GuardResult(False, f"another of your names ({other}) reads absent")
                self._results[key] = self._probe(ctx, site)
            return self._results[key]

    @staticmethod
    def _probe(ctx: ScanContext, site: SiteDef) -> GuardResult:
        name = made_up_username(site)
        if name is None:
            return GuardResult(None, "no made-up name fits this site's rules")
        answer = ask(ctx, site, name)
        if answer.outcome is Outcome.FOUND:
            return GuardResult(True, f"a made-up name ({name}) also reads found")
        if answer.outcome is Outcome.ABSENT:
            return GuardResult(False, f"a made-up name ({name}) reads absent")
        return GuardResult(None, f"a made-up name ({name}) got no answer: {answer.detail}")


# --------------------------------------------------------------------------- the checker


@dataclass(frozen=True)
class Candidate:
    """A username to ask about; ``variant`` when it was made from the person's names."""

    username: str
    variant: bool = False


def _usernames(ctx: ScanContext) -> list[str]:
    return list(dict.fromkeys(u.strip() for u in ctx.profile.usernames if u and u.strip()))


def _candidates(ctx: ScanContext) -> list[Candidate]:
    own = _usernames(ctx)
    out = [Candidate(u) for u in own]
    if ctx.options.get("variants"):
        from exposure.people.usernames import username_variants

        raw_cap = ctx.checker_config(CHECKER_ID).get("variants_cap")
        if raw_cap is not None and (isinstance(raw_cap, bool) or not isinstance(raw_cap, int)):
            raise CheckerInputError("config [checkers.sites] variants_cap: expected a whole number")
        cap = None if raw_cap is None else max(0, raw_cap)
        taken = {u.lower() for u in own}
        for v in username_variants(ctx.profile, cap=cap):
            if v.lower() not in taken:
                out.append(Candidate(v, variant=True))
    return out


def _with_tries(detail: str, tries: int) -> str:
    return f"{detail} after {tries} tries" if tries > 1 else detail


def _disabled_names(ctx: ScanContext) -> set[str]:
    """Sites a self-check wrote off (``sources check --write-disabled``): scans skip them."""
    from exposure.catalogues.disabled import load_disabled

    return load_disabled(ctx.checker_config(CHECKER_ID).get("disabled_file"))


@dataclass
class SitesOptions:
    """``[checkers.sites]``."""

    respect_robots: bool | None = None  # None: [http] respect_robots
    variants_cap: Annotated[int, Meta(ge=0)] | None = None  # usernames made from names
    disabled_file: str = ""
    false_found_guard: str = GuardMode.WEAK.value
    false_found_guard_sites: dict[str, str] = field(default_factory=dict)
    update_url: HttpUrl = ""  # exposure sources update
    maigret_url: HttpUrl = ""
    jdm_url: HttpUrl = ""


class SitesChecker(Checker):
    id = CHECKER_ID
    title = "Username sites"
    description = (
        "Asks hundreds of sites whether an account exists under each of your usernames "
        "(WhatsMyName, Sherlock or Maigret catalogue), so you can claim, lock down or "
        "report them. Passive: it reads public profile pages and notifies no one."
    )
    lookup = (
        "Loads public profile pages (or a site's public 'is this name taken' API) for your "
        "usernames, as any visitor would; it never submits a sign-in, sign-up or "
        "password-reset form, so no site messages anyone."
    )
    options = SitesOptions

    def __init__(self) -> None:
        self._catalogue: Catalogue | None = None
        self._catalogue_key: Any = object()

    def catalogue(self, ctx: ScanContext) -> Catalogue:
        """The catalogue for this scan (``--sites`` file or the bundled one), loaded once."""
        chosen = ctx.options.get("sites_file")
        key = str(chosen) if chosen else None
        if self._catalogue is None or key != self._catalogue_key:
            self._catalogue = load_catalogue(Path(chosen) if chosen else None)
            self._catalogue_key = key
        return self._catalogue

    def sites(self, ctx: ScanContext) -> list[SiteDef]:
        disabled = _disabled_names(ctx)
        return [s for s in self.catalogue(ctx).sites if s.name.lower() not in disabled]

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        out: dict[tuple[str, str], Transmission] = {}
        sites = self.sites(ctx)
        for cand in _candidates(ctx):
            field_name = "name" if cand.variant else "username"
            for site in sites:
                if unfit_reason(site, cand.username):
                    continue
                host = urlsplit(build_request(site, cand.username).url).hostname or ""
                out.setdefault((cand.username, host), Transmission(field_name, cand.username, host))
        return list(out.values())

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        sites = self.sites(ctx)
        candidates = _candidates(ctx)
        guard = FalseFoundGuard.from_config(ctx.checker_config(CHECKER_ID))
        return [
            Task(
                checker=self.id,
                source=site.name,
                run=partial(check_site, ctx, site, c, guard),
                host=urlsplit(site.check_url).hostname,
            )
            for site in sites
            for c in candidates
        ]


def check_site(
    ctx: ScanContext,
    site: SiteDef,
    candidate: Candidate | str,
    guard: FalseFoundGuard | None = None,
    saved: Answer | None = None,
) -> TaskResult:
    """Ask ``site`` about a username (or read ``saved``, a page the person saved) and
    record what the answer means."""
    cand = Candidate(candidate) if isinstance(candidate, str) else candidate
    if guard is not None:
        guard.asking(site)
    outcome = Outcome.ERROR  # what the guard hears if asking raised (cancelled)
    try:
        answer = saved or ask(ctx, site, cand.username)
        outcome = answer.outcome
    finally:
        if guard is not None:
            guard.answered(site, cand.username, outcome)
    detail = answer.detail
    if answer.outcome is Outcome.FOUND and guard is not None:
        why = guard.applies(site)
        if why:
            result = guard.result(ctx, site)
            if result.any_name_found:
                detail = f"{ANY_NAME_DETAIL} ({result.detail}; {why})"
                check = _check(site, Outcome.ERROR, answer.url, detail, answer.elapsed_ms)
                return TaskResult(checks=[check])
            detail = f"{detail}; guard: {result.detail}"
    check = _check(site, answer.outcome, answer.url, detail, answer.elapsed_ms)
    if answer.outcome is not Outcome.FOUND:
        return TaskResult(checks=[check])
    own = is_own_account(answer.url, ctx.match_profile.accounts)
    username = cand.username
    if own:
        confidence, reason = OWN_CONFIDENCE, OWN_REASON
    elif cand.variant:
        confidence, reason = VARIANT_CONFIDENCE, VARIANT_REASON.format(variant=username)
    else:
        confidence, reason = UNKNOWN_OWNER_CONFIDENCE, UNKNOWN_OWNER_REASON
    matched: dict[str, Any] = {
        "username": username,
        "site": site.name,
        "category": site.category,
    }
    if cand.variant:
        matched["variant"] = True
    finding = Finding(
        checker=CHECKER_ID,
        source=site.name,
        kind=FindingKind.ACCOUNT,
        key=f"{site.name.lower()}:{username.lower()}",
        url=answer.url,
        confidence=confidence,
        reasons=[reason],
        matched=matched,
        title=f"{site.name} account '{username}'"
        + (" (made from your name)" if cand.variant else ""),
        capture=answer.response.capture() if answer.response is not None else None,
        exposes=frozenset({Exposes.USERNAME}),
        whose=Whose.OWN if own else Whose.UNKNOWN,
        remedy=AccountAction(site.name, username, site.category, variant=cand.variant),
    )
    return TaskResult(checks=[check], findings=[finding])


def _check(site: SiteDef, status: Outcome, url: str, detail: str, elapsed: int = 0) -> Check:
    return Check(
        checker=CHECKER_ID,
        source=site.name,
        status=status,
        url=url,
        detail=detail,
        elapsed_ms=elapsed,
    )
