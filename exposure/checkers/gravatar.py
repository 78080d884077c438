"""The ``gravatar`` checker: does a public Gravatar profile hang off the person's email?

Gravatar keys profiles by the SHA-256 of the trimmed, lower-cased email, so
anyone who knows the email can read the profile: display name, location,
verified accounts and links, photos. That is a map from an email to an
identity, which is exactly what a harasser looks for.

``GET {base}/profiles/{sha256}`` (base ``https://api.gravatar.com/v3``):
404 means no profile (absent); any other failure is blocked or error through
:func:`exposure.checkers.api.call`. An optional key
(``EXPOSURE_GRAVATAR_API_KEY``) is sent as a Bearer token; without one the
API allows 100 requests an hour.
"""

from __future__ import annotations

import hashlib
from typing import Any

from exposure import secrets
from exposure.checkers import api
from exposure.checkers.base import ScanContext, TaskResult
from exposure.model import AskToRemove, Exposes, Finding, FindingKind, Outcome
from exposure.textsafe import clean
from exposure.urls import is_web_url

CHECKER_ID = "gravatar"
SOURCE = "Gravatar"
DEFAULT_BASE = "https://api.gravatar.com/v3"
KEY_SERVICE = "gravatar"
KEY_ENV = "EXPOSURE_GRAVATAR_API_KEY"
_PROFILE_KEYS = ("hash", "profile_url", "display_name", "avatar_url")
MAX_TEXT = 300


def email_hash(email: str) -> str:
    """Gravatar's key for an email: SHA-256 of it trimmed and lower-cased."""
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return clean(value, limit=MAX_TEXT).strip() if isinstance(value, str) else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _links(data: dict[str, Any]) -> list[str]:
    """Every public link of the profile: verified accounts, links, payment links."""
    found: list[str] = []
    for acc in _dicts(data.get("verified_accounts")):
        if acc.get("is_hidden") is True:
            continue
        found.append(_text(acc, "url"))
    found.extend(_text(link, "url") for link in _dicts(data.get("links")))
    payments = data.get("payments")
    if isinstance(payments, dict):
        found.extend(_text(link, "url") for link in _dicts(payments.get("links")))
    return list(dict.fromkeys(u for u in found if u and is_web_url(u)))


def _contact(data: dict[str, Any]) -> dict[str, str]:
    """Phones and email in ``contact_info`` (shown to authenticated callers only)."""
    info = data.get("contact_info")
    if not isinstance(info, dict):
        return {}
    keys = ("home_phone", "work_phone", "cell_phone", "email")
    return {k: v for k in keys if (v := _text(info, k))}


def read_profile(data: Any) -> dict[str, Any] | None:
    """What a profile answer exposes, or None when it is not a profile at all."""
    if not isinstance(data, dict) or not any(k in data for k in _PROFILE_KEYS):
        return None
    gallery = _dicts(data.get("gallery"))
    avatar = 1 if _text(data, "avatar_url") else 0
    return {
        "display_name": _text(data, "display_name"),
        "location": _text(data, "location"),
        "links": _links(data),
        "photos": len(gallery) + avatar,
        "profile_url": _text(data, "profile_url"),
        "job_title": _text(data, "job_title"),
        "company": _text(data, "company"),
        "contact": _contact(data),
    }


def _reasons(seen: dict[str, Any]) -> list[str]:
    reasons = ["a public Gravatar profile is tied to this email"]
    if seen["display_name"]:
        reasons.append(f"display name '{seen['display_name']}'")
    if seen["location"]:
        reasons.append(f"location '{seen['location']}'")
    if seen["job_title"] or seen["company"]:
        work = " at ".join(x for x in (seen["job_title"], seen["company"]) if x)
        reasons.append(f"work '{work}'")
    if seen["links"]:
        reasons.append(f"{len(seen['links'])} link(s) to other accounts and sites")
    if seen["photos"]:
        reasons.append(f"{seen['photos']} photo(s)")
    if seen["contact"]:
        reasons.append(f"contact details: {', '.join(sorted(seen['contact']))}")
    return reasons


class GravatarChecker(api.EmailApiChecker):
    id = CHECKER_ID
    default_base = DEFAULT_BASE
    title = "Gravatar"
    description = (
        "Looks up the public Gravatar profile anyone can find from your email "
        "(name, location, linked accounts, photos)."
    )
    lookup = (
        "Fetches the public Gravatar profile for your email's hash, as any page showing your "
        "avatar does; nobody is notified."
    )

    def lookups(self) -> list[tuple[str, api.Lookup]]:
        # The email leaves as a hash, but a hash of an email is the email to anyone
        # with a list: dry runs list it as the email.
        return [(SOURCE, check_email)]


def check_email(ctx: ScanContext, email: str) -> TaskResult:
    """Fetch the Gravatar profile of ``email`` and say what it exposes."""
    digest = email_hash(email)
    url = f"{api.base_url(ctx, CHECKER_ID, DEFAULT_BASE)}/profiles/{digest}"
    headers = {"Accept": "application/json"}
    key = secrets.api_key(KEY_SERVICE, KEY_ENV)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    answer = api.call(ctx, CHECKER_ID, SOURCE, url, headers=headers, secret=key)
    if answer.check.status is Outcome.ABSENT:
        return TaskResult([api.with_status(answer, Outcome.ABSENT, "no Gravatar profile")])
    refused = answer.refusal is api.Refusal.CREDENTIALS
    if refused and answer.response is not None:
        how = f"check {KEY_ENV}" if key else "the API refused us"
        detail = f"HTTP {answer.response.status}: {how}"
        return TaskResult([api.with_status(answer, Outcome.BLOCKED, detail)])
    if not answer.usable:
        return TaskResult([answer.check])
    seen = read_profile(answer.data)
    if seen is None:
        detail = "unexpected answer: not a Gravatar profile"
        return TaskResult([api.with_status(answer, Outcome.ERROR, detail)])
    profile_url = seen["profile_url"]
    if not is_web_url(profile_url):
        profile_url = f"https://gravatar.com/{digest}"
    matched = {
        "email": email,
        "display_name": seen["display_name"],
        "location": seen["location"],
        "links": seen["links"],
        "photos": seen["photos"],
        "profile_url": profile_url,
    }
    for extra in ("job_title", "company", "contact"):
        if seen[extra]:
            matched[extra] = seen[extra]
    finding = Finding(
        checker=CHECKER_ID,
        source=SOURCE,
        kind=FindingKind.PROFILE,
        key=email,
        url=profile_url,
        confidence=1.0,
        reasons=_reasons(seen),
        matched=matched,
        title=f"Gravatar profile for {email}",
        exposes=frozenset({Exposes.EMAIL}),
        remedy=AskToRemove(where=SOURCE, advice="profile"),
        capture=answer.response.capture() if answer.response else None,
    )
    check = api.with_status(answer, Outcome.FOUND, "a public profile")
    return TaskResult(checks=[check], findings=[finding])
