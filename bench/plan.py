"""The bench's one source of truth: which site lives where and who is claimed on it.

The emulator, the catalogue rewriter and the bench runner all import this
module, so the address of a site, the path its profile probe takes, the
usernames it claims and the pages it answers with can never disagree between
them.

Semantics follow Sherlock (``sherlock_project/sherlock.py``):

* ``status_code``: a 2xx answer is a claimed account; any other status (the
  site's ``errorCode`` if it has one, else 404) is an absent one.
* ``message``: the body of an absent account's page holds one of ``errorMsg``.
* ``response_url``: Sherlock turns redirects off; 2xx is claimed, a redirect
  (302 here) is absent.

Every page also carries a fixed marker (``FOUND_MARK`` / ``ABSENT_MARK``), so
the same answers satisfy WhatsMyName's ``e_code``/``e_string`` and
``m_code``/``m_string`` exactly.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "sites" / "sherlock-data.json"

# The bench usernames: the first is claimed on a seeded subset of the sites, the
# second nowhere.  Both fit every site's regexCheck but ResearchGate's.
CLAIMED_USER = "kestrelbench"
ABSENT_USER = "nobodyhere"
BENCH_USERS = (CLAIMED_USER, ABSENT_USER)

FOUND_MARK = '<meta name="bench" content="profile-exists">'
ABSENT_MARK = '<meta name="bench" content="no-such-profile">'
NOT_FOUND_PATH = "/~bench/notfound"
SUB_PREFIX = "/~sub/"  # where a username that lived in the host name goes
BODILESS = {204, 304}

# Sherlock's WAF fingerprints: no page of ours may contain them.
WAF_HINTS = (
    "challenge-running",
    'id="challenge-error-text"',
    "AwsWafIntegration",
    "perimeterxIdentifiers",
)


@dataclass
class Site:
    """One catalogue entry as the emulator serves it."""

    name: str
    index: int
    address: str
    info: dict[str, Any]
    claimed: frozenset[str] = field(default_factory=frozenset)  # lower-case usernames

    @property
    def error_type(self) -> str:
        return str(self.info["errorType"])

    @property
    def probe_template(self) -> str:
        return str(self.info.get("urlProbe") or self.info["url"])

    @property
    def probe_path(self) -> str:
        """Request target of the probe with ``{}`` where the username goes (no fragment)."""
        return local_path(self.probe_template).split("#", 1)[0]

    @property
    def method(self) -> str:
        method = self.info.get("request_method")
        if method:
            return str(method).upper()
        return "HEAD" if self.error_type == "status_code" else "GET"

    @property
    def payload(self) -> Any:
        return self.info.get("request_payload")

    def is_claimed(self, username: str) -> bool:
        return username.lower() in self.claimed

    def absent_status(self) -> int:
        if self.error_type == "status_code":
            codes = self.info.get("errorCode")
            if isinstance(codes, list):
                codes = codes[0] if codes else None
            return int(codes) if codes is not None else 404
        if self.error_type == "response_url":
            return 302
        return 200

    def error_messages(self) -> list[str]:
        msgs = self.info.get("errorMsg") or []
        return [msgs] if isinstance(msgs, str) else [str(m) for m in msgs]


def address_for(index: int) -> str:
    """127.0.X.Y with X from 1 and Y in 1..254: one loopback address per site."""
    return f"127.0.{1 + index // 254}.{1 + index % 254}"


def local_path(url: str) -> str:
    """The part of a catalogue URL the emulator sees: path and query.

    A username in the host name (``https://{}.blogspot.com``) moves into the
    path (``/~sub/{}/``) because the emulated site is reached by address.
    """
    m = re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?([^/?#]*)(.*)$", url)
    host, rest = (m.group(1), m.group(2)) if m else ("", url)
    if rest.startswith(("?", "#")) or not rest:
        rest = "/" + rest
    if "{}" in host:
        rest = SUB_PREFIX + "{}" + rest
    return rest


def rewrite_url(url: str, address: str, port: int) -> str:
    return f"http://{address}:{port}{local_path(url)}"


def interpolate(obj: Any, username: str) -> Any:
    """Sherlock's ``interpolate_string``: put the username in every ``{}``."""
    if isinstance(obj, str):
        return obj.replace("{}", username)
    if isinstance(obj, dict):
        return {k: interpolate(v, username) for k, v in obj.items()}
    if isinstance(obj, list):
        return [interpolate(v, username) for v in obj]
    return obj


def load_catalogue(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("$")}


def fits(info: dict[str, Any], username: str) -> bool:
    """Would Sherlock query this site for ``username`` at all (its regexCheck)?"""
    regex = info.get("regexCheck")
    return not regex or re.search(regex, username) is not None


def build_sites(
    catalogue: dict[str, dict[str, Any]], seed: int = 1, fraction: float = 0.5
) -> list[Site]:
    """Address every site and decide, seeded, where ``CLAIMED_USER`` exists.

    A site also claims its own ``username_claimed`` (the catalogue's known
    account), so ``known`` in the WhatsMyName form is true on the emulator.
    """
    rng = random.Random(seed)
    sites = []
    for index, (name, info) in enumerate(catalogue.items()):
        claimed = {str(info.get("username_claimed", "")).lower()} - {""}
        if rng.random() < fraction and fits(info, CLAIMED_USER):
            claimed.add(CLAIMED_USER)
        sites.append(Site(name, index, address_for(index), info, frozenset(claimed)))
    return sites


def latency_ms(seed: int, site: str, target: str, low: float, high: float) -> float:
    """Seeded latency of one answer: the same request waits as long for either tool."""
    digest = hashlib.blake2b(f"{seed}\0{site}\0{target}".encode(), digest_size=8).digest()
    return low + (high - low) * (int.from_bytes(digest, "big") / 2**64)


def found_page(site: Site, username: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>profile of {username}</title>{FOUND_MARK}</head>"
        # no <body> tag: Medium's errorMsg is "<body"
        f"<main><h1>{username}</h1><p>Member of {site.name} (bench emulator).</p>"
        "</main></html>"
    ).encode()


def absent_page(site: Site) -> bytes:
    msgs = site.error_messages()
    said = msgs[0] if msgs else "No such profile"
    return (
        f"<!doctype html><html><head><title>{site.name}</title>{ABSENT_MARK}</head>"
        f"<body><p>{said}</p></body></html>"
    ).encode()


def home_page(site: Site) -> bytes:
    return f"<!doctype html><html><head><title>{site.name}</title></head></html>".encode()


def check_pages(site: Site) -> None:
    """Fail loudly if our pages would fool Sherlock's or WhatsMyName's checks."""
    found = found_page(site, CLAIMED_USER).decode()
    absent = absent_page(site).decode()
    for msg in site.error_messages():
        if msg in found:
            raise ValueError(f"{site.name}: errorMsg {msg!r} is in the found page")
    if site.error_type == "message" and not any(m in absent for m in site.error_messages()):
        raise ValueError(f"{site.name}: absent page lacks every errorMsg")
    for page in (found, absent):
        if any(h in page for h in WAF_HINTS):
            raise ValueError(f"{site.name}: a page trips Sherlock's WAF check")
    if ABSENT_MARK in found or FOUND_MARK in absent:
        raise ValueError(f"{site.name}: markers overlap")
