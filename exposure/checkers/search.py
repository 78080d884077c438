"""The ``search`` checker: search the web for yourself, through an engine you configured.

"Search for yourself" is the first advice given to anyone who is harassed:
see what a stranger sees. This checker sends a bounded set of queries — the
quoted name with each place, each email, each phone in its common written
forms, each username — to a search engine the person chose::

    [checkers.search]
    engine = "searxng"                       # a SearXNG instance (self-hosted is best)
    base_url = "https://searx.example.org"   # GET {base}/search?q=...&format=json
    # engine = "brave"                       # Brave Search API, key in EXPOSURE_BRAVE_API_KEY
    # max_queries = 12

Nothing is sent when no engine is configured (one ``skipped`` check says how
to set one up). Each result's title, snippet and URL are scored against the
profile (:class:`exposure.people.matching.ProfileMatcher`); an exact email, phone or
username in the text is strong evidence on its own. Results about the person
are grouped by registered domain: one ``search_result`` finding per domain
(key = the domain), linked to the broker or site catalogue entry of that
domain when there is one, so the checklist can point at the opt-out.

Grouping needs every query's results, so the tasks (one per query) share a
collector and the last one to finish reports the findings. An interrupted
scan keeps the per-query checks but not the grouped findings.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote_plus, urlsplit

from msgspec import Meta

from exposure import secrets
from exposure.checkers import api
from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.config import HttpUrl
from exposure.model import (
    AskToRemove,
    BrokerOptOut,
    Capture,
    Check,
    Finding,
    FindingKind,
    Outcome,
    Profile,
    Remedy,
)
from exposure.textsafe import clean
from exposure.urls import is_web_url

log = logging.getLogger(__name__)

CHECKER_ID = "search"
MAX_QUERIES = 12
MAX_RESULTS_PER_DOMAIN = 20
MIN_RESULT_CONFIDENCE = 0.5  # below this a result is not about the person
EMAIL_CONFIDENCE = 0.95
PHONE_CONFIDENCE = 0.9
USERNAME_CONFIDENCE = 0.8
MAX_TEXT = 500
BRAVE_DEFAULT = "https://api.search.brave.com"
BRAVE_KEY_ENV = "EXPOSURE_BRAVE_API_KEY"
BRAVE_HOW = (
    f"get a Brave Search API key at https://api-dashboard.search.brave.com/ "
    f"(free plan available) and set {BRAVE_KEY_ENV}"
)
NO_ENGINE_HOW = (
    'set [checkers.search] engine = "searxng" with base_url = "https://your.searxng.instance" '
    f'(its settings.yml must allow the json format), or engine = "brave" with {BRAVE_KEY_ENV}'
)
SEARXNG_JSON_FIX = (
    "enable the json format in the instance's settings.yml (search: formats: [html, json])"
)
ENGINES = {"searxng": "SearXNG", "brave": "Brave Search"}
_TAGS = re.compile(r"<[^>]{0,200}>")


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Query:
    text: str
    sends: tuple[tuple[str, str], ...]  # (profile field, value) pairs the query reveals

    @property
    def fields(self) -> set[str]:
        return {f for f, _ in self.sends}


def phone_forms(e164: str, default_region: str = "US") -> list[str]:
    """Common written forms of a phone: national "(512) 555-0100", "512-555-0100", E.164."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, default_region)
    except phonenumbers.NumberParseException:
        return [e164]
    fmt = phonenumbers.PhoneNumberFormat
    national = phonenumbers.format_number(number, fmt.NATIONAL)
    international = phonenumbers.format_number(number, fmt.INTERNATIONAL)
    bare = international.split(" ", 1)[1] if " " in international else ""
    forms = [national, bare, phonenumbers.format_number(number, fmt.E164)]
    return list(dict.fromkeys(f for f in forms if f))


def _place(location: str) -> str:
    from exposure.people.profile import parse_location

    try:
        return parse_location(location).city or location.strip()
    except Exception:  # a place we cannot split is still a place to search with
        return location.strip()


def build_queries(profile: Profile, limit: int = MAX_QUERIES, region: str = "US") -> list[Query]:
    """The queries for ``profile``: round-robin over kinds, at most ``limit``."""
    names = list(dict.fromkeys(n.strip() for n in profile.names if n and n.strip()))[:3]
    places = list(dict.fromkeys(_place(loc) for loc in profile.locations if loc.strip()))
    by_name: list[Query] = []
    for name in names:
        if places:
            by_name.extend(
                Query(f'"{name}" {place}', (("name", name), ("location", place)))
                for place in places
            )
        else:
            by_name.append(Query(f'"{name}"', (("name", name),)))
    by_email = [
        Query(f'"{e.strip()}"', (("email", e.strip()),))
        for e in dict.fromkeys(e.strip().lower() for e in profile.emails if e.strip())
    ]
    by_phone = [
        Query(" OR ".join(f'"{f}"' for f in phone_forms(p, region)), (("phone", p),))
        for p in dict.fromkeys(p.strip() for p in profile.phones if p.strip())
    ]
    by_user = [
        Query(f'"{u}"', (("username", u),))
        for u in dict.fromkeys(u.strip() for u in profile.usernames if u.strip())
    ]
    groups = [by_name, by_email, by_phone, by_user]
    out: list[Query] = []
    depth = 0
    while len(out) < limit and any(depth < len(g) for g in groups):
        out.extend(g[depth] for g in groups if depth < len(g))
        depth += 1
    return out[:limit]


# --------------------------------------------------------------------------- scoring


@dataclass
class Scored:
    url: str
    title: str
    confidence: float
    reasons: list[str]


def _strip_html(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    return clean(html.unescape(_TAGS.sub("", text)), limit=MAX_TEXT).strip()


def _web_url(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return clean(value.strip()) if is_web_url(value.strip()) else ""


def exact_hits(
    profile: Profile, text: str, url: str, region: str = "US"
) -> list[tuple[float, str, str]]:
    """(confidence, reason, value) for each email, phone or username written out in a result."""
    hits: list[tuple[float, str, str]] = []
    lowered = f"{text}\n{url}".lower()
    for email in profile.emails:
        e = email.strip().lower()
        if e and e in lowered:
            hits.append((EMAIL_CONFIDENCE, f"your email {e} appears", e))
    if profile.phones:
        import phonenumbers

        own = {p.strip() for p in profile.phones}
        try:
            found = {
                phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                for m in phonenumbers.PhoneNumberMatcher(text, region)
            }
        except Exception:  # phonenumbers on odd text: no phone evidence, never a crash
            found = set()
        hits.extend((PHONE_CONFIDENCE, f"your phone {p} appears", p) for p in sorted(own & found))
    for username in profile.usernames:
        u = username.strip()
        if u and re.search(rf"(?<![\w.-]){re.escape(u)}(?![\w-])", f"{text}\n{url}", re.I):
            hits.append((USERNAME_CONFIDENCE, f"your username {u} appears", u))
    return hits


def _matcher(profile: Profile) -> Callable[[str, str], tuple[float, list[str]]]:
    """``exposure.people.matching.ProfileMatcher(profile).score_text`` as (confidence, reasons)."""
    from exposure.people.matching import ProfileMatcher

    matcher = ProfileMatcher(profile)

    def score(text: str, url: str) -> tuple[float, list[str]]:
        match = matcher.score_text(text, url)
        return match.confidence, list(match.reasons)

    return score


def score_result(
    profile: Profile,
    url: str,
    title: str,
    snippet: str,
    matcher: Callable[[str, str], tuple[float, list[str]]],
    region: str = "US",
) -> Scored:
    text = f"{title}\n{snippet}"
    confidence, reasons = matcher(text, url)
    for conf, reason, value in exact_hits(profile, text, url, region):
        confidence = max(confidence, conf)
        if not any(value.lower() in r.lower() for r in reasons):  # the matcher said it already
            reasons.append(reason)
    return Scored(url, title, min(1.0, confidence), list(dict.fromkeys(reasons)))


# --------------------------------------------------------------------------- engines


@dataclass(frozen=True)
class Engine:
    id: str
    label: str
    base: str
    key: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.base).hostname or ""

    def url(self, query: str) -> str:
        q = quote_plus(query)
        if self.id == "brave":
            return f"{self.base}/res/v1/web/search?q={q}&count=20"
        return f"{self.base}/search?q={q}&format=json"

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.id == "brave" and self.key:
            headers["X-Subscription-Token"] = self.key
        return headers


def configured_engine(ctx: ScanContext) -> Engine | str:
    """The engine to use, or why there is none (a "skipped" reason)."""
    cfg = ctx.checker_config(CHECKER_ID)
    name = str(cfg.get("engine") or "").strip().lower()
    if not name:
        return f"no search engine configured: {NO_ENGINE_HOW}"
    if name not in ENGINES:
        return f"unknown search engine {clean(name, limit=40)!r}: use searxng or brave"
    if name == "brave":
        key = secrets.api_key("brave", BRAVE_KEY_ENV)
        if not key:
            return f"no Brave Search API key: {BRAVE_HOW}"
        return Engine("brave", ENGINES[name], api.base_url(ctx, CHECKER_ID, BRAVE_DEFAULT), key)
    base = str(cfg.get("base_url") or "").strip().rstrip("/")
    if not base:
        return 'searxng needs the instance: set [checkers.search] base_url = "https://..."'
    return Engine("searxng", ENGINES[name], base)


@dataclass
class Hit:
    url: str
    title: str
    snippet: str


class EngineAnswerError(ValueError):
    pass


def read_results(engine: Engine, data: Any) -> tuple[list[Hit], str]:
    """The results of one answer and a note (e.g. engines that failed upstream)."""
    if not isinstance(data, dict):
        raise EngineAnswerError("the answer is not a JSON object")
    note = ""
    if engine.id == "brave":
        if data.get("type") == "ErrorResponse":
            err = data.get("error")
            detail = _strip_html(err.get("detail")) if isinstance(err, dict) else ""
            raise EngineAnswerError(f"Brave answered with an error: {detail or 'no detail'}")
        if not any(k in data for k in ("web", "query", "type")):
            raise EngineAnswerError("not a Brave Search answer")
        web = data.get("web", {})  # Brave leaves "web" out when nothing was found
        raw = web.get("results", []) if isinstance(web, dict) else None
        if not isinstance(raw, list):
            raise EngineAnswerError("'web.results' is not a list")
        items = [(r.get("url"), r.get("title"), r.get("description")) for r in _dicts(raw)]
    else:
        raw = data.get("results")
        if not isinstance(raw, list):
            raise EngineAnswerError("no 'results' list in the answer")
        items = [(r.get("url"), r.get("title"), r.get("content")) for r in _dicts(raw)]
        broken = data.get("unresponsive_engines")
        if isinstance(broken, list) and broken:
            names = [
                ": ".join(_strip_html(x) for x in b[:2]) if isinstance(b, list) else _strip_html(b)
                for b in broken[:5]
            ]
            note = f"engines that did not answer: {', '.join(n for n in names if n)}"
    hits = [
        Hit(url, _strip_html(title), _strip_html(snippet))
        for url, title, snippet in ((_web_url(u), t, s) for u, t, s in items)
        if url
    ]
    return hits, note


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# --------------------------------------------------------------------------- catalogue links


@dataclass(frozen=True)
class CatalogueEntry:
    """What a catalogue says about a domain: shown in ``matched``; a broker's opt-out."""

    shown: dict[str, str]
    opt_out: BrokerOptOut | None = None


def catalogue_index(ctx: ScanContext) -> dict[str, CatalogueEntry]:
    """Registered domain -> broker or site catalogue entry. Never raises."""
    from exposure.net.http import host_key

    index: dict[str, CatalogueEntry] = {}
    try:
        from exposure.catalogues.sites import load_catalogue

        sites_file = ctx.options.get("sites_file")
        for site in load_catalogue(sites_file).sites:
            domain = host_key(site.profile_url.replace("{account}", "x"))
            if domain:
                shown = {"catalogue": "sites", "name": site.name}
                index.setdefault(domain, CatalogueEntry(shown))
    except Exception as exc:
        log.info("search: no site catalogue (%s)", type(exc).__name__)
    try:
        from exposure.catalogues.brokers import load_brokers

        brokers_file = ctx.options.get("brokers_file")
        for broker in load_brokers(brokers_file).brokers:
            shown = {"catalogue": "brokers", "id": broker.id, "name": broker.name}
            entry = CatalogueEntry(shown, broker.remedy())
            for url in (broker.url, broker.search_url):
                domain = host_key(url.replace("{", "").replace("}", "")) if url else ""
                if domain:
                    index[domain] = entry  # a broker is the more useful link
    except Exception as exc:
        log.info("search: no broker catalogue (%s)", type(exc).__name__)
    return index


# --------------------------------------------------------------------------- grouping


@dataclass
class DomainGroup:
    domain: str
    results: list[Scored] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    best: Scored | None = None
    capture: Capture | None = None


class Collector:
    """Results of every query; the last task to finish turns them into findings."""

    def __init__(self, ctx: ScanContext, engine: Engine, pending: int) -> None:
        self.ctx = ctx
        self.engine = engine
        self.pending = pending
        self.groups: dict[str, DomainGroup] = {}
        self._lock = threading.Lock()
        self._matcher: Callable[[str, str], tuple[float, list[str]]] | None = None

    def matcher(self) -> Callable[[str, str], tuple[float, list[str]]]:
        """The profile matcher, built once for all queries."""
        with self._lock:
            if self._matcher is None:
                self._matcher = _matcher(self.ctx.match_profile)
            return self._matcher

    def add(self, query: str, scored: list[Scored], capture: Capture | None) -> None:
        from exposure.net.http import host_key

        with self._lock:
            for item in scored:
                domain = host_key(item.url)
                if not domain:
                    continue
                group = self.groups.setdefault(domain, DomainGroup(domain))
                if query not in group.queries:
                    group.queries.append(query)
                if all(r.url != item.url for r in group.results):
                    group.results.append(item)
                if group.best is None or item.confidence > group.best.confidence:
                    group.best, group.capture = item, capture

    def done(self) -> list[Finding] | None:
        """Count one task as finished; the last one gets the findings."""
        with self._lock:
            self.pending -= 1
            if self.pending > 0:
                return None
            groups = list(self.groups.values())
        return self._findings(groups)

    def _findings(self, groups: list[DomainGroup]) -> list[Finding]:
        index = catalogue_index(self.ctx) if groups else {}
        findings = []
        for group in sorted(groups, key=lambda g: g.domain):
            best = group.best
            if best is None:
                continue
            results = sorted(group.results, key=lambda r: -r.confidence)[:MAX_RESULTS_PER_DOMAIN]
            reasons = [
                *best.reasons,
                f"{len(group.results)} result(s) on {group.domain} "
                f"from {len(group.queries)} search(es) on {self.engine.label}",
            ]
            matched: dict[str, Any] = {
                "domain": group.domain,
                "results": [{"url": r.url, "title": r.title} for r in results],
                "queries": group.queries,
            }
            entry = index.get(group.domain)
            remedy: Remedy = AskToRemove(where=group.domain, advice="search_result")
            if entry:
                matched["catalogue_entry"] = entry.shown
                reasons.append(f"{group.domain} is in the {entry.shown['catalogue']} catalogue")
                remedy = entry.opt_out or remedy  # a result on a broker joins its opt-out
            findings.append(
                Finding(
                    checker=CHECKER_ID,
                    source=group.domain,
                    kind=FindingKind.SEARCH_RESULT,
                    key=group.domain,
                    url=best.url,
                    confidence=best.confidence,
                    reasons=reasons,
                    matched=matched,
                    title=best.title or f"Search results on {group.domain}",
                    capture=group.capture,
                    remedy=remedy,
                )
            )
        return findings


# --------------------------------------------------------------------------- the checker


def _limit(ctx: ScanContext) -> int:
    value = ctx.checker_config(CHECKER_ID).get("max_queries", MAX_QUERIES)
    return value if isinstance(value, int) and 0 < value <= 50 else MAX_QUERIES


@dataclass
class SearchOptions:
    """``[checkers.search]``."""

    engine: str = ""  # searxng | brave (anything else: skipped with the reason)
    base_url: HttpUrl = ""
    max_queries: Annotated[int, Meta(ge=1)] = MAX_QUERIES


class SearchChecker(Checker):
    id = CHECKER_ID
    title = "Web search"
    description = (
        "Searches the web for your name with your places, your emails, phones and usernames "
        "through a search engine you configure (SearXNG or Brave Search)."
    )
    lookup = (
        "Sends search queries to the search engine you configured (SearXNG or Brave); the "
        "engine sees the query, nobody named in it is told."
    )
    options = SearchOptions

    def _queries(self, ctx: ScanContext) -> list[Query]:
        return build_queries(ctx.profile, _limit(ctx), ctx.config.default_region)

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        engine = configured_engine(ctx)
        if not isinstance(engine, Engine):
            return []  # nothing is sent without an engine
        out = {
            (f, v): Transmission(f, v, engine.host) for q in self._queries(ctx) for f, v in q.sends
        }
        return list(out.values())

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        engine = configured_engine(ctx)
        if not isinstance(engine, Engine):
            status = Outcome.ERROR if engine.startswith("unknown") else Outcome.SKIPPED
            check = Check(CHECKER_ID, "Search", status, "", engine)
            return [Task(self.id, "Search", partial(TaskResult, [check]))]
        queries = self._queries(ctx)
        collector = Collector(ctx, engine, len(queries))
        return [
            Task(self.id, engine.label, partial(run_query, ctx, engine, q, collector))
            for q in queries
        ]


def _refine_refusal(engine: Engine, answer: api.ApiAnswer) -> Check:
    resp = answer.response
    if resp is None or answer.check.status is not Outcome.BLOCKED:
        return answer.check
    if answer.refusal is not api.Refusal.CREDENTIALS:
        return answer.check  # a WAF page or a rate limit says so itself
    if engine.id == "searxng" and resp.status == 403:
        detail = f"HTTP 403: the instance refused the JSON format: {SEARXNG_JSON_FIX}"
        return api.with_status(answer, Outcome.BLOCKED, detail)
    if engine.id == "brave":
        detail = f"HTTP {resp.status}: the Brave Search API refused the key ({BRAVE_KEY_ENV})"
        return api.with_status(answer, Outcome.BLOCKED, detail)
    return answer.check


def run_query(ctx: ScanContext, engine: Engine, query: Query, collector: Collector) -> TaskResult:
    """Run one query, score its results, and (if last) report the grouped findings."""
    check = Check(CHECKER_ID, engine.label, Outcome.ERROR, "", "not run")
    try:
        check = _one_query(ctx, engine, query, collector)
    finally:
        findings = collector.done()
    return TaskResult([check], findings or [])


def _one_query(ctx: ScanContext, engine: Engine, query: Query, collector: Collector) -> Check:
    answer = api.call(
        ctx,
        CHECKER_ID,
        engine.label,
        engine.url(query.text),
        headers=engine.headers(),
        absent_statuses=(),
        secret=engine.key,
    )
    if engine.id == "brave" and answer.response is not None and answer.response.status == 422:
        message = _strip_html(answer.response.text)[:200]
        return api.with_status(
            answer, Outcome.ERROR, f"Brave refused the query (HTTP 422) {message}"
        )
    if not answer.usable:
        return _refine_refusal(engine, answer)
    try:
        hits, note = read_results(engine, answer.data)
    except EngineAnswerError as exc:
        return api.with_status(answer, Outcome.ERROR, f"unexpected answer: {exc}")
    if not hits and note:
        return api.with_status(answer, Outcome.BLOCKED, f"no results; {note}")
    matcher = collector.matcher()
    region = ctx.config.default_region
    scored = [
        score_result(ctx.match_profile, h.url, h.title, h.snippet, matcher, region) for h in hits
    ]
    about = [s for s in scored if s.confidence >= MIN_RESULT_CONFIDENCE]
    capture = answer.response.capture() if answer.response else None
    collector.add(query.text, about, capture)
    detail = f"{len(hits)} result(s), {len(about)} about you" + (f"; {note}" if note else "")
    return api.with_status(answer, Outcome.FOUND if about else Outcome.ABSENT, detail)
