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

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from exposure.catalogues.sites import (
    FORMAT_WMN,
    Catalogue,
    SiteDef,
    build_request,
    load_catalogue,
    unfit_reason,
)
from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.model import Check, Finding, FindingKind, Outcome

if TYPE_CHECKING:
    from collections.abc import Mapping

CHECKER_ID = "sites"
OWN_CONFIDENCE = 1.0
UNKNOWN_OWNER_CONFIDENCE = 0.7
OWN_REASON = "one of your known accounts"
UNKNOWN_OWNER_REASON = "an account under your username — yours, or an impostor?"
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
    return sherlock_verdict(site, status, text)


# --------------------------------------------------------------------------- own accounts


def normalise_url(url: str) -> str:
    """A URL reduced for "is this the same profile?": no scheme, ``www.``, case or end slash."""
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = unquote(parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}".lower()


def is_own_account(profile_url: str, accounts: Iterable[str]) -> bool:
    target = normalise_url(profile_url)
    return any(normalise_url(a) == target for a in accounts if a and a.strip())


# --------------------------------------------------------------------------- the checker


def _usernames(ctx: ScanContext) -> list[str]:
    if "username" in ctx.config.private_fields:
        return []
    return list(dict.fromkeys(u.strip() for u in ctx.profile.usernames if u and u.strip()))


def _with_tries(detail: str, tries: int) -> str:
    return f"{detail} after {tries} tries" if tries > 1 else detail


class SitesChecker(Checker):
    id = CHECKER_ID
    title = "Username sites"
    description = (
        "Asks hundreds of sites whether an account exists under each of your usernames "
        "(WhatsMyName or Sherlock catalogue), so you can claim, lock down or report them."
    )

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

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        out: dict[tuple[str, str], Transmission] = {}
        sites = self.catalogue(ctx).sites
        for username in _usernames(ctx):
            for site in sites:
                if unfit_reason(site, username):
                    continue
                host = urlsplit(build_request(site, username).url).hostname or ""
                out.setdefault((username, host), Transmission("username", username, host))
        return list(out.values())

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        sites = self.catalogue(ctx).sites
        usernames = _usernames(ctx)
        return [
            Task(checker=self.id, source=site.name, run=partial(check_site, ctx, site, u))
            for site in sites
            for u in usernames
        ]


def check_site(ctx: ScanContext, site: SiteDef, username: str) -> TaskResult:
    """Ask ``site`` about ``username`` and record what the answer means."""
    from exposure.net import http

    req = build_request(site, username)
    why_not = unfit_reason(site, username)
    if why_not:
        return TaskResult(checks=[_check(site, Outcome.SKIPPED, req.profile_url, why_not)])
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
        detail = "robots.txt disallows this check"
        return TaskResult(checks=[_check(site, Outcome.SKIPPED, req.profile_url, detail)])
    except http.FetchError as exc:
        reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
        return TaskResult(checks=[_check(site, Outcome.ERROR, req.profile_url, str(reason))])

    tries = int(getattr(resp, "tries", 1) or 1)
    elapsed = int(getattr(resp, "elapsed_ms", 0) or 0)
    if resp.block_reason:
        detail = _with_tries(resp.block_reason, tries)
        return TaskResult(checks=[_check(site, Outcome.BLOCKED, req.profile_url, detail, elapsed)])
    v = verdict(site, resp.status, resp.headers, resp.text, resp.final_url)
    detail = v.detail
    if v.outcome is Outcome.ERROR and resp.truncated:
        detail += "; the page was cut at the size cap, so the text may lie beyond it"
    check = _check(site, v.outcome, req.profile_url, _with_tries(detail, tries), elapsed)
    if v.outcome is not Outcome.FOUND:
        return TaskResult(checks=[check])
    own = is_own_account(req.profile_url, ctx.profile.accounts)
    finding = Finding(
        checker=CHECKER_ID,
        source=site.name,
        kind=FindingKind.ACCOUNT,
        key=f"{site.name.lower()}:{username.lower()}",
        url=req.profile_url,
        confidence=OWN_CONFIDENCE if own else UNKNOWN_OWNER_CONFIDENCE,
        reasons=[OWN_REASON if own else UNKNOWN_OWNER_REASON],
        matched={"username": username, "site": site.name, "category": site.category, "own": own},
        title=f"{site.name} account '{username}'",
        capture=resp.capture(),
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
