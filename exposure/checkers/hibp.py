"""The ``hibp`` checker: is one of the person's emails in a known data breach?

Asks Have I Been Pwned v3 ``GET {base}/breachedaccount/{email}?truncateResponse=false``
once per profile email, with the person's own API key (HIBP's account search
needs one: https://haveibeenpwned.com/API/Key). Each breach is a finding with
confidence 1.0 — the email is matched exactly — whose reasons say which data
leaked, and whose evidence is the API answer as it came.

Honesty: 404 is HIBP's documented "in no breach" (absent); a refused key, a
rate limit that outlasts our retries, a server error, a timeout or an answer
that does not parse is ``blocked`` or ``error``, never ``absent``. Without a
key the check is ``skipped`` with the reason and where to get one.

The key travels only in the ``hibp-api-key`` header (the HTTP layer drops
headers on a redirect to another host); it never appears in a check, a
finding, evidence or a log line. HIBP limits requests per key (10 a minute on
the smallest plan), so requests are spaced ``[checkers.hibp] min_interval``
seconds apart (default 6) on top of the HTTP layer's per-host politeness.

The public breach catalogue (``GET {base}/breaches``, no key) is cached for a
week in the cache folder and fills in a breach's title, date and data classes
when an answer (a mirror's, or a truncated one) gives only its name; failing
to fetch it is never fatal.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from exposure import secrets
from exposure.checkers.api import ApiAnswer, base_url, call, with_status
from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.config import HttpUrl, Wait
from exposure.model import Capture, ChangePassword, Check, Exposes, Finding, FindingKind, Outcome
from exposure.textsafe import clean

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)

CHECKER_ID = "hibp"
SOURCE = "Have I Been Pwned"
DEFAULT_BASE = "https://haveibeenpwned.com/api/v3"
KEY_URL = "https://haveibeenpwned.com/API/Key"
BREACH_PAGE = "https://haveibeenpwned.com/Breach/{name}"
DEFAULT_MIN_INTERVAL = 6.0  # seconds between requests: HIBP's smallest plan allows 10 a minute
CATALOGUE_FILE = "hibp-breaches.json"
CATALOGUE_MAX_AGE = 7 * 24 * 3600.0  # seconds
CONFIDENCE = 1.0
_TAG = re.compile(r"<[^>]*>")


# --------------------------------------------------------------------------- pacing


def min_interval(ctx: ScanContext) -> float:
    value = ctx.checker_config(CHECKER_ID).get("min_interval", DEFAULT_MIN_INTERVAL)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return DEFAULT_MIN_INTERVAL
    return float(value)


# --------------------------------------------------------------------------- pure parts


def breach_url(name: str) -> str:
    """The human page of a breach on haveibeenpwned.com."""
    return BREACH_PAGE.format(name=quote(name, safe=""))


def plain(text: object, limit: int = 2000) -> str:
    """HIBP's HTML description as one line of terminal-safe text."""
    return clean(html.unescape(_TAG.sub("", str(text or ""))), limit=limit).strip()


def is_breach_list(data: Any) -> bool:
    """An answer of the documented shape: a list of objects, each with a string Name."""
    return isinstance(data, list) and all(
        isinstance(b, dict) and isinstance(b.get("Name"), str) and b["Name"].strip() for b in data
    )


def needs_context(breach: dict[str, Any]) -> bool:
    """A truncated record (only the name) that the breach catalogue can fill in."""
    return not (breach.get("Title") and breach.get("BreachDate") and breach.get("DataClasses"))


def enrich(breach: dict[str, Any], catalogue: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``breach`` with fields it lacks taken from the catalogue entry of the same name."""
    known = catalogue.get(str(breach.get("Name", "")).lower())
    if not known:
        return breach
    merged = dict(known)
    merged.update({k: v for k, v in breach.items() if v not in (None, "", [])})
    return merged


def breach_finding(email: str, breach: dict[str, Any], capture: Capture | None) -> Finding:
    """One finding for one breach record of ``email``. Pure: no I/O."""
    name = clean(breach["Name"], limit=200).strip()
    title = clean(breach.get("Title") or name, limit=200).strip() or name
    date = clean(breach.get("BreachDate") or "", limit=40).strip()
    domain = clean(breach.get("Domain") or "", limit=200).strip()
    raw_classes = breach.get("DataClasses")
    classes = (
        [clean(c, limit=100) for c in raw_classes if isinstance(c, str)]
        if isinstance(raw_classes, list)
        else []
    )
    verified = bool(breach.get("IsVerified", True))
    sensitive = bool(breach.get("IsSensitive", False))
    when = f" ({date})" if date else ""
    leaked = f": {', '.join(classes)}" if classes else ""
    reasons = [f"your email {email} is in the {title} breach{when}{leaked}"]
    if not verified:
        reasons.append("HIBP has not verified this breach")
    if breach.get("IsFabricated"):
        reasons.append("HIBP believes this breach is fabricated")
    if breach.get("IsSpamList"):
        reasons.append("a spam list: your address was collected, not an account breached")
    if sensitive:
        reasons.append("HIBP marks this breach as sensitive")
    matched: dict[str, Any] = {
        "email": email,
        "breach": name,
        "breach_date": date,
        "data_classes": classes,
        "domain": domain,
        "is_verified": verified,
        "is_sensitive": sensitive,
        "title": title,
    }
    description = plain(breach.get("Description"))
    if description:
        matched["description"] = description
    return Finding(
        checker=CHECKER_ID,
        source=source_for(email),
        kind=FindingKind.BREACH,
        key=f"{name.lower()}:{email.lower()}",
        url=breach_url(name),
        confidence=CONFIDENCE,
        reasons=reasons,
        matched=matched,
        title=f"{title} breach{when}: {email}",
        exposes=frozenset({Exposes.EMAIL}),
        remedy=ChangePassword(
            breach=name,
            title=title,
            date=date or "",
            domain=domain or "",
            email=email,
            data_classes=tuple(str(c) for c in classes),
        ),
        capture=capture,
    )


def source_for(email: str) -> str:
    """One source per email, so a blocked look at one email never marks another's findings gone."""
    return f"{SOURCE} ({email})"


def no_key_detail() -> str:
    return f"no Have I Been Pwned API key: {secrets.how_to_set(CHECKER_ID)} (get one at {KEY_URL})"


# --------------------------------------------------------------------------- the checker


def _emails(ctx: ScanContext) -> list[str]:
    seen: dict[str, str] = {}
    for e in ctx.profile.emails:
        if e and e.strip():
            seen.setdefault(e.strip().lower(), e.strip())
    return list(seen.values())


@dataclass
class HibpOptions:
    """``[checkers.hibp]``."""

    base_url: HttpUrl = ""
    min_interval: Wait = DEFAULT_MIN_INTERVAL  # seconds between calls (HIBP's rate limit)


class HibpChecker(Checker):
    id = CHECKER_ID
    title = "Have I Been Pwned"
    description = (
        "Asks Have I Been Pwned (with your API key) which known data breaches hold each of "
        "your email addresses, and what leaked with them."
    )
    lookup = (
        "Asks the Have I Been Pwned API which breaches list your email; a lookup sends no mail "
        "to you or anyone (HIBP's alerts are a separate sign-up)."
    )
    options = HibpOptions

    def __init__(self) -> None:
        self._catalogue: dict[str, dict[str, Any]] | None = None
        self._catalogue_lock = threading.Lock()

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        if not secrets.api_key(CHECKER_ID):
            return []  # without a key nothing is sent
        host = urlsplit(base_url(ctx, CHECKER_ID, DEFAULT_BASE)).hostname or ""
        return [Transmission("email", e, host) for e in _emails(ctx)]

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        emails = _emails(ctx)
        if not emails:
            why = (
                "email addresses are private in config"
                if "email" in ctx.withheld
                else "the profile has no email address"
            )
            return [_skip_task(why)]
        key = secrets.api_key(CHECKER_ID)
        if not key:
            return [_skip_task(no_key_detail())]
        # HIBP's published rate limit, kept by the HTTP client's gate for its host.
        ctx.http.pace(base_url(ctx, CHECKER_ID, DEFAULT_BASE), min_interval(ctx))
        return [
            Task(checker=self.id, source=source_for(e), run=partial(self.check_email, ctx, e, key))
            for e in emails
        ]

    # -- one email

    def check_email(self, ctx: ScanContext, email: str, key: str) -> TaskResult:
        """Ask HIBP about ``email``; one finding per breach."""
        base = base_url(ctx, CHECKER_ID, DEFAULT_BASE)
        url = f"{base}/breachedaccount/{quote(email, safe='')}?truncateResponse=false"
        answer = call(
            ctx,
            CHECKER_ID,
            source_for(email),
            url,
            headers={"hibp-api-key": key, "Accept": "application/json"},
            secret=key,  # an answer echoing the key has it cut out before anything reads it
        )
        data = answer.data
        capture = answer.response.capture() if answer.response is not None else None
        check = _explain(answer)
        if check.status is not Outcome.FOUND:
            return TaskResult(checks=[check])
        if not is_breach_list(data):
            return TaskResult(
                checks=[with_status(answer, Outcome.ERROR, "unexpected answer shape from HIBP")]
            )
        if not data:
            return TaskResult(checks=[with_status(answer, Outcome.ABSENT, "in no known breach")])
        if any(needs_context(b) for b in data):
            catalogue = self.catalogue(ctx, base)
            data = [enrich(b, catalogue) for b in data]
        findings = [breach_finding(email, b, capture) for b in data]
        detail = f"in {len(findings)} breach{'es' if len(findings) != 1 else ''}"
        return TaskResult(checks=[with_status(answer, Outcome.FOUND, detail)], findings=findings)

    # -- the public breach catalogue

    def catalogue(self, ctx: ScanContext, base: str) -> dict[str, dict[str, Any]]:
        """Breaches by lower-case name: the week-old cache, else fetched, else {}."""
        with self._catalogue_lock:
            if self._catalogue is None:
                self._catalogue = load_catalogue(ctx, base)
            return self._catalogue


def _skip_task(detail: str) -> Task:
    def run() -> TaskResult:
        return TaskResult(checks=[Check(CHECKER_ID, SOURCE, Outcome.SKIPPED, "", detail)])

    return Task(checker=CHECKER_ID, source=SOURCE, run=run)


def _hibp_message(answer: ApiAnswer) -> str:
    """HIBP's own explanation from an error body (``{"message": ...}``), made safe."""
    if answer.response is None:
        return ""
    try:
        body = json.loads(answer.response.body)
    except (ValueError, UnicodeDecodeError):
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str):
        return ""
    return clean(message, limit=200).strip()


def _explain(answer: ApiAnswer) -> Check:
    """The check with HIBP's meaning of each status (the answer is already key-free)."""
    status = answer.response.status if answer.response is not None else None
    check = answer.check
    detail = check.detail
    if status == 404:
        detail = "HTTP 404: in no known breach"
    elif status == 401:
        detail = "HTTP 401: API key refused (" + secrets.how_to_set(CHECKER_ID) + ")"
    elif status == 403:
        detail = "HTTP 403: HIBP refused the request (it wants a user agent)"
    message = _hibp_message(answer) if status in (401, 403, 429) else ""
    if message:
        detail += f" — {message}"
    return Check(check.checker, check.source, check.status, check.url, detail, check.elapsed_ms)


def cache_path() -> Path:
    from exposure import paths

    return paths.current().cache_dir / CATALOGUE_FILE


def _index(data: Any) -> dict[str, dict[str, Any]]:
    if not is_breach_list(data):
        return {}
    return {b["Name"].lower(): b for b in data}


def _read_cache(path: Path) -> dict[str, dict[str, Any]]:
    try:
        return _index(json.loads(path.read_bytes()))
    except (OSError, ValueError):
        return {}


def load_catalogue(ctx: ScanContext, base: str) -> dict[str, dict[str, Any]]:
    """The public breach list, from a cache younger than a week or from ``{base}/breaches``.

    A failed fetch falls back to a stale cache, then to nothing: context only.
    """
    from exposure.paths import write_private

    path = cache_path()
    fresh = path.exists() and time.time() - path.stat().st_mtime < CATALOGUE_MAX_AGE
    if fresh:
        cached = _read_cache(path)
        if cached:
            return cached
    answer = call(ctx, CHECKER_ID, SOURCE, f"{base}/breaches")  # no key: a public list
    if answer.usable and is_breach_list(answer.data) and answer.response is not None:
        try:
            write_private(path, answer.response.body)
        except OSError as exc:
            log.info("could not cache the HIBP breach list: %s", exc)
        return _index(answer.data)
    log.info("the HIBP breach list is unavailable: %s", answer.check.detail)
    return _read_cache(path) if path.exists() else {}
