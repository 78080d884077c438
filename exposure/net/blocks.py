"""Block detection: WAF, challenge, captcha and rate-limit pages.

``detect_block`` recognises them so checkers report ``blocked``, never
``absent``. Strong markers count at any status; weak ones (a captcha widget,
a vendor script that is also injected into ordinary pages) only with
403/429/503.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from requests.structures import CaseInsensitiveDict

BLOCK_SCAN_BYTES = 64 * 1024  # detect_block looks at the start of the body only

# (vendor, kind, pattern): a pattern is a lower-case substring of the body's start.
# STRONG markers only appear on challenge/block pages, so they count at any status.
_STRONG: tuple[tuple[str, str, str], ...] = (
    ("Cloudflare", "challenge", "<title>just a moment...</title>"),
    ("Cloudflare", "challenge", "attention required! | cloudflare"),
    ("Cloudflare", "challenge", "please wait... | cloudflare"),
    ("Cloudflare", "challenge", "cf_chl_opt"),
    ("Cloudflare", "challenge", "cf-browser-verification"),
    ("Cloudflare", "challenge", "cf_chl_jschl_tk__"),
    ("Cloudflare", "challenge", "cf_chl_captcha_tk__"),
    ("Cloudflare", "challenge", "cf_chl_managed_tk__"),
    ("Cloudflare", "challenge", "cf-chl-widget"),
    ("Cloudflare", "block", "sorry, you have been blocked"),
    ("Akamai", "challenge", "sec-cpt-if"),
    ("Akamai", "challenge", "/_sec/cp_challenge/"),
    ("DataDome", "captcha", "captcha-delivery.com"),
    ("PerimeterX/HUMAN", "captcha", "px-captcha"),
    ("PerimeterX/HUMAN", "captcha", "press & hold"),
    ("Imperva/Incapsula", "block", "incapsula incident id"),
    ("Imperva/Incapsula", "challenge", "content.incapsula.com/jstest.html"),
    ("Imperva/Incapsula", "challenge", '"___utmvc"'),
)
# WEAK markers also turn up on ordinary pages (a login form's reCAPTCHA, a vendor's
# sensor script), so they count only on a refusal: 403, 429 or 503.
_WEAK: tuple[tuple[str, str, str], ...] = (
    ("Cloudflare", "challenge", "/cdn-cgi/challenge-platform/"),
    ("Cloudflare", "challenge", "/cdn-cgi/bm/cv/"),
    ("Cloudflare", "challenge", "__cf$cv$params"),
    ("Cloudflare", "block", "cloudflare ray id"),
    ("DataDome", "captcha", "datadome"),
    ("PerimeterX/HUMAN", "captcha", "_pxappid"),
    ("PerimeterX/HUMAN", "captcha", "please verify you are a human"),
    ("Imperva/Incapsula", "block", "_incapsula_resource"),
    ("Imperva/Incapsula", "block", "incapsula"),
    ("Akamai", "block", "errors.edgesuite.net"),
    ("", "captcha (Turnstile)", "challenges.cloudflare.com/turnstile"),
    ("", "captcha (hCaptcha)", "hcaptcha.com"),
    ("", "captcha (reCAPTCHA)", "g-recaptcha"),
    ("", "captcha (reCAPTCHA)", "recaptcha/api.js"),
)
_REFUSALS = frozenset({403, 429, 503})
_CAPTCHA_WIDGET = ("hcaptcha.com", "g-recaptcha", "recaptcha/api.js", "turnstile")
_CHALLENGE_WORDS = (
    "additional security check is required",
    "verify you are a human",
    "verify you are human",
    "are you a robot",
    "unusual traffic from your",
    "complete the security check",
)
_TAGS = re.compile(rb"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def _label(vendor: str, kind: str, status: int) -> str:
    name = f"{vendor} {kind}" if vendor else kind
    return f"{name} (HTTP {status})"


def _visible_text(head: bytes) -> bytes:
    return b"".join(_TAGS.sub(b" ", head).split())


def detect_block(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """Why this answer is a WAF/challenge/captcha/rate-limit page, or None.

    Looks at the status, a few headers and the first 64 KiB of the body.
    Strong markers (a Cloudflare "Just a moment..." title, DataDome's
    captcha-delivery.com, PerimeterX's px-captcha, an Incapsula incident ID,
    ...) count at any status; weak ones (a bare reCAPTCHA widget, a vendor
    sensor script) only on a 403/429/503, so a 200 login page with a captcha
    widget is not "blocked". A plain 429 is always "rate limited".
    """
    hdrs = CaseInsensitiveDict(headers or {})
    refusal = status in _REFUSALS
    if (hdrs.get("cf-mitigated") or "").strip().lower() == "challenge":
        return _label("Cloudflare", "challenge", status)
    head = (body or b"")[:BLOCK_SCAN_BYTES]
    text = html.unescape(head.decode("latin-1")).lower()  # Akamai writes "Reference&#32;&#35;"
    for vendor, kind, marker in _STRONG:
        if marker in text:
            return _label(vendor, kind, status)
    if "access denied" in text and "reference #" in text and "edgesuite" in text:
        return _label("Akamai", "block", status)
    if "request unsuccessful" in text and "incapsula" in text:
        return _label("Imperva/Incapsula", "block", status)
    if any(w in text for w in _CAPTCHA_WIDGET) and any(w in text for w in _CHALLENGE_WORDS):
        vendor = "Imperva/Incapsula" if "incapsula" in text else ""
        return _label(vendor, "captcha", status)
    weak = next(((v, k) for v, k, m in _WEAK if m in text), None)
    if weak and not refusal and weak[0] == "Cloudflare" and len(_visible_text(head)) < 64:
        # A page that is nothing but Cloudflare's bot-management script (Bot Fight Mode).
        return _label(*weak, status)
    if refusal:
        if weak:
            return _label(*weak, status)
        if hdrs.get("x-datadome") or "datadome=" in (hdrs.get("set-cookie") or "").lower():
            return _label("DataDome", "block", status)
    if status == 429:
        return "rate limited (HTTP 429)"
    return None
