"""Shared plumbing for checkers that call a JSON (or text) API.

Every API checker needs the same honest mapping from an HTTP answer to a
check status: 404 means "nothing there" (absent) only where the API documents
it; a refused key, a rate limit, a server error, a timeout or an answer that
does not parse is ``blocked`` or ``error`` with a reason — never ``absent``.
This module does that mapping once, so a checker module holds only what is
particular to its API.
"""

from __future__ import annotations

import dataclasses
import json
import time
from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from exposure.checkers.base import ApiOptions, Checker, Task, TaskResult, Transmission
from exposure.model import Check, Outcome
from exposure.textsafe import clean

if TYPE_CHECKING:
    from exposure.checkers.base import ScanContext
    from exposure.net.http import Response

    # What an email API checker asks about one email: (ctx, email) -> TaskResult.
    Lookup = Callable[[ScanContext, str], TaskResult]


def base_url(ctx: ScanContext, checker_id: str, default: str) -> str:
    """The API's base URL: ``[checkers.<id>] base_url`` in config, else ``default``."""
    configured = ctx.checker_config(checker_id).get("base_url")
    return str(configured or default).rstrip("/")


def api_host(ctx: ScanContext, checker_id: str, default: str) -> str:
    """The host name the API's base URL points at (for ``scan --dry-run``)."""
    return urlsplit(base_url(ctx, checker_id, default)).hostname or ""


def profile_emails(ctx: ScanContext) -> list[str]:
    """The profile's emails, trimmed, lower-cased, each once (what a checker would send;
    none when they are private in config: the runner's profile holds none then)."""
    return list(dict.fromkeys(e.strip().lower() for e in ctx.profile.emails if e and e.strip()))


class Refusal(StrEnum):
    """Why an API answered ``blocked``, for checkers that explain it their own way."""

    CREDENTIALS = "credentials"  # HTTP 401/403: the key is missing or wrong
    RATE_LIMIT = "rate_limit"  # HTTP 429
    BOT_WALL = "bot_wall"  # a challenge or WAF page (the client's block detection)


@dataclass
class ApiAnswer:
    """What one API call gave: the check to record and, when usable, the answer."""

    check: Check
    response: Response | None = None
    data: Any = None  # parsed JSON (or text when ``parse_json`` is False)
    refusal: Refusal | None = None  # set when the check is blocked

    @property
    def usable(self) -> bool:
        return self.check.status is Outcome.FOUND


def call(
    ctx: ScanContext,
    checker_id: str,
    source: str,
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    absent_statuses: tuple[int, ...] = (404,),
    parse_json: bool = True,
    shown_url: str | None = None,
    secret: str | None = None,
) -> ApiAnswer:
    """Call an API and classify the answer.

    ``FOUND`` here means "a usable answer came back" — the checker then decides
    from ``data`` whether it found something about the person (and may turn the
    check into ``absent``). ``shown_url`` replaces ``url`` in the recorded check
    when the real URL holds something that must not be stored (an API key).
    ``secret`` (the key or token sent in a header) is cut out of the answer's
    body before anything reads it: a server that echoes request headers back
    must not put the key into findings or stored evidence.
    """
    from exposure.net.http import FetchError, RobotsDisallowed

    started = time.monotonic()
    recorded_url = shown_url if shown_url is not None else url

    def check(status: Outcome, detail: str) -> Check:
        elapsed = int((time.monotonic() - started) * 1000)
        return Check(checker_id, source, status, recorded_url, detail, elapsed)

    try:
        response = ctx.http.request(method, url, headers=dict(headers or {}), respect_robots=False)
    except FetchError as exc:
        return ApiAnswer(check(Outcome.ERROR, str(exc)))
    except RobotsDisallowed as exc:  # not expected for APIs, but never a crash
        return ApiAnswer(check(Outcome.SKIPPED, str(exc)))
    if secret and secret.encode("utf-8") in response.body:
        body = response.body.replace(secret.encode("utf-8"), b"[redacted]")
        response = dataclasses.replace(response, body=body)

    status = response.status
    tries = f" after {response.tries} tries" if response.tries > 1 else ""
    retry_after = clean(response.headers.get("Retry-After") or "", limit=40).strip()
    if status == 429 and retry_after and response.retry_after is None:
        unit = "s" if retry_after.isdigit() else ""
        tries += f"; the API asks to retry after {retry_after}{unit}"
    if status in absent_statuses:
        return ApiAnswer(check(Outcome.ABSENT, f"HTTP {status}: nothing there"), response)
    if response.block_reason:
        blocked = check(Outcome.BLOCKED, response.block_reason + tries)
        return ApiAnswer(blocked, response, refusal=Refusal.BOT_WALL)
    if status == 429:
        blocked = check(Outcome.BLOCKED, f"HTTP 429 (rate limited){tries}")
        return ApiAnswer(blocked, response, refusal=Refusal.RATE_LIMIT)
    if status in (401, 403):
        blocked = check(
            Outcome.BLOCKED, f"HTTP {status}: the API refused us (key missing or wrong?)"
        )
        return ApiAnswer(blocked, response, refusal=Refusal.CREDENTIALS)
    if status >= 500:
        return ApiAnswer(check(Outcome.ERROR, f"HTTP {status} from the API{tries}"), response)
    if not 200 <= status < 300:
        return ApiAnswer(check(Outcome.ERROR, f"unexpected answer: HTTP {status}"), response)
    if response.truncated:
        return ApiAnswer(check(Outcome.ERROR, "answer too large (cut at the size cap)"), response)
    if not parse_json:
        return ApiAnswer(check(Outcome.FOUND, f"HTTP {status}"), response, response.text)
    try:
        data = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return ApiAnswer(check(Outcome.ERROR, "the API answered with malformed JSON"), response)
    return ApiAnswer(check(Outcome.FOUND, f"HTTP {status}"), response, data)


class EmailApiChecker(Checker):
    """A checker that asks one API a question or two about each of the profile's emails.

    Subclasses set ``default_base`` and list their ``lookups``: (source, function
    of (ctx, email) -> TaskResult). Transmissions and one task per email and
    lookup come from here (private emails never reach it: see ScanContext).
    """

    default_base: ClassVar[str]
    options = ApiOptions

    @abstractmethod
    def lookups(self) -> list[tuple[str, Lookup]]:
        """What to ask about each email: (source, lookup function)."""

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        host = api_host(ctx, self.id, self.default_base)
        return [Transmission("email", email, host) for email in profile_emails(ctx)]

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        return [
            Task(self.id, source, partial(lookup, ctx, email))
            for email in profile_emails(ctx)
            for source, lookup in self.lookups()
        ]


def with_status(answer: ApiAnswer, status: Outcome, detail: str) -> Check:
    """The answer's check with a new status and detail (e.g. found → absent)."""
    c = answer.check
    return Check(c.checker, c.source, status, c.url, detail, c.elapsed_ms)
