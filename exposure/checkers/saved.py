"""Read a page the person saved (or that assisted mode read) as its checker reads a fetched one.

``exposure import`` and ``exposure assist`` end here. The source ``ID`` is:

* a catalogued broker (its id): the page goes through the brokers checker's
  own reading (:func:`exposure.checkers.brokers.check_saved` →
  ``read_answer``: block detection, "no results", extraction, matching), so
  a saved page gives the same findings as the same page fetched;
* a catalogued username site (its name): the site's rule reads the page's
  text for the profile's username (:func:`saved_verdict`; a rule that needs
  the HTTP status gives ``error``), then the sites checker's own
  :func:`~exposure.checkers.sites.check_site` makes the check and finding;
* any other name: a source the person adds themselves, read as a broker
  with no catalogue entry (generic extraction and matching).

Public API:

    PageAnswer(Response): a page as the person's browser had it
    resolve_source(ctx, source_id) -> Source
    page_url(ctx, source, username=None) -> str   # where the person looks (assist)
    check_page(ctx, source, answer, username=None) -> TaskResult
    saved_verdict(site, text) -> Verdict
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from requests.structures import CaseInsensitiveDict

from exposure.errors import UsageError
from exposure.model import Capture, CaptureMethod, Outcome, utcnow
from exposure.net.response import Response

if TYPE_CHECKING:
    from exposure.catalogues.brokers import Broker
    from exposure.catalogues.sites import SiteDef
    from exposure.checkers.base import ScanContext, TaskResult
    from exposure.checkers.sites import Verdict


@dataclass
class PageAnswer(Response):
    """A page the person's browser had: ``body`` is its HTML; ``raw`` is the evidence kept.

    For an import, ``raw`` is the saved file itself (its hash is the file's own)
    and ``captured_at`` the import time.
    """

    raw: bytes = b""
    raw_type: str = "text/html; charset=utf-8"
    method: CaptureMethod = CaptureMethod.SAVED
    captured_at: datetime = field(default_factory=utcnow)

    @classmethod
    def of(cls, html: str, url: str, **kw: Any) -> PageAnswer:
        headers = CaseInsensitiveDict({"Content-Type": "text/html; charset=utf-8"})
        body = html.encode("utf-8")
        raw = kw.pop("raw", None) or body
        status = kw.pop("status", 200)
        return cls(status=status, headers=headers, body=body, url=url, final_url=url, raw=raw, **kw)

    def capture(self) -> Capture:
        kept = super().capture()
        return replace(
            kept,
            body=self.raw,
            content_type=self.raw_type,
            method=self.method,
            captured_at=self.captured_at,
        )


@dataclass(frozen=True)
class Source:
    """What ``--source ID`` names: a broker (catalogued or the person's own) or a site."""

    checker: str  # "brokers" or "sites"
    broker: Broker | None = None
    site: SiteDef | None = None

    @property
    def id(self) -> str:
        return self.broker.id if self.broker is not None else self.site.name if self.site else ""

    @property
    def url(self) -> str:
        if self.broker is not None:
            return self.broker.search_url or self.broker.url
        return self.site.profile_url if self.site is not None else ""


def resolve_source(ctx: ScanContext, source_id: str) -> Source:
    """The broker or site ``source_id`` names; any other name is a user-added source."""
    from exposure.catalogues.brokers import Broker
    from exposure.checkers.brokers import BrokersChecker
    from exposure.checkers.sites import SitesChecker

    wanted = source_id.strip()
    if not wanted or not wanted.isprintable() or len(wanted) > 80:
        raise UsageError("--source: give a broker id, a site name, or a short name of your own")
    broker = BrokersChecker().catalogue(ctx).get(wanted)
    if broker is not None:
        return Source("brokers", broker=broker)
    for site in SitesChecker().sites(ctx):
        if site.name.lower() == wanted.lower():
            return Source("sites", site=site)
    own = Broker(
        id=wanted,
        name=wanted,
        country="",
        url="",
        search_url=None,
        phone_search_url=None,
        email_search_url=None,
    )
    return Source("brokers", broker=own)


def page_url(ctx: ScanContext, source: Source, username: str | None = None) -> str:
    """Where the person looks: the broker's first search for the profile, the account page."""
    from exposure.catalogues.brokers import SkipReason, broker_urls, hand_check_url
    from exposure.catalogues.sites import build_request

    if source.broker is not None:
        for _kind, filled in broker_urls(source.broker, ctx.profile):
            if not isinstance(filled, SkipReason) and filled:
                return filled[0].url
        return hand_check_url(source.broker)
    assert source.site is not None
    return build_request(
        source.site, _username(ctx, source.site, None, username).username
    ).profile_url


def check_page(
    ctx: ScanContext, source: Source, answer: PageAnswer, username: str | None = None
) -> TaskResult:
    """The checks and findings ``answer`` makes for ``source``, as its checker reads pages."""
    from exposure.checkers.brokers import check_saved

    if source.broker is not None:
        return check_saved(ctx, source.broker, answer)
    assert source.site is not None
    return _site_page(ctx, source.site, answer, username)


def _site_page(
    ctx: ScanContext, site: SiteDef, answer: PageAnswer, username: str | None
) -> TaskResult:
    from exposure.catalogues.sites import build_request
    from exposure.checkers.sites import Answer, check_site

    cand = _username(ctx, site, answer.url, username)
    profile_url = build_request(site, cand.username).profile_url
    by = f"{answer.method.value}: "
    if answer.block_reason:
        saved = Answer(Outcome.BLOCKED, f"{by}{answer.block_reason}", profile_url)
    else:
        v = saved_verdict(site, answer.text)
        saved = Answer(v.outcome, f"{by}{v.detail}", profile_url, 0, answer)
    return check_site(ctx, site, cand, None, saved)


def _username(ctx: ScanContext, site: SiteDef, url: str | None, username: str | None) -> Any:
    """The username a page of ``site`` is about: given, at its address, or the only one."""
    from exposure.catalogues.sites import build_request
    from exposure.checkers.sites import Candidate, _candidates
    from exposure.people.own_accounts import normalise_url

    candidates = _candidates(ctx)
    if username:
        chosen = [c for c in candidates if c.username.lower() == username.lower()]
        chosen = chosen or [Candidate(username)]
    else:
        at = normalise_url(url) if url else ""
        chosen = [
            c
            for c in candidates
            if at and at in {normalise_url(u) for u in _site_urls(build_request, site, c.username)}
        ]
        if not chosen and len(candidates) == 1:
            chosen = candidates
    if len(chosen) != 1:
        names = ", ".join(c.username for c in candidates) or "none in the profile"
        raise UsageError(
            f"which username is this {site.name} page for? say --username (the profile's: {names})"
        )
    return chosen[0]


def _site_urls(build: Any, site: SiteDef, username: str) -> list[str]:
    req = build(site, username)
    return [req.profile_url, req.url]


def saved_verdict(site: SiteDef, text: str) -> Verdict:
    """What a saved page says by its text alone (it keeps no HTTP status or redirect).

    The site's own presence and absence texts decide; a rule that reads only
    the status or a redirect cannot tell from a saved page: error, never a guess.
    """
    from exposure.catalogues.sites import FORMAT_MAIGRET, FORMAT_WMN
    from exposure.checkers.sites import Verdict

    message_rule = "message" in site.error_types
    if site.format == FORMAT_WMN:
        present, absent = [site.e_string or ""], [site.m_string or ""]
    elif site.format == FORMAT_MAIGRET:
        present, absent = list(site.presence_strs), list(site.absence_strs)
    else:
        present, absent = [], list(site.error_msgs) if message_rule else []
    if any(s and s in text for s in absent):
        return Verdict(Outcome.ABSENT, "the page says there is no such account")
    if any(s and s in text for s in present):
        return Verdict(Outcome.FOUND, "the page has the account's text")
    if site.format not in (FORMAT_WMN, FORMAT_MAIGRET) and message_rule and absent:
        return Verdict(Outcome.FOUND, "the page has no no-account message")
    return Verdict(
        Outcome.ERROR,
        "this site's rule reads what a saved page does not keep (the HTTP status or a "
        "redirect); look at the page yourself",
    )
