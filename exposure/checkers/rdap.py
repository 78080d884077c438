"""The ``rdap`` checker: does the registration of the person's own domain show who they are?

Someone with ``jane@janedoe.name`` probably owns ``janedoe.name``, and a
domain registration may publish the registrant's name, street address and
phone to anyone (WHOIS, now RDAP). Most gTLD registries redact it since GDPR;
many ccTLDs and older registrations do not.

``GET {base}/domain/{domain}`` (base ``https://rdap.org``, which redirects to
the registry's own RDAP server; the HTTP layer follows redirects) answers an
RFC 9083 domain object. Contacts are entities with the roles registrant,
administrative and technical, each with a jCard (RFC 7095) ``vcardArray``.

Only domains the person plausibly owns are asked about: a domain whose
registered domain is a big mail provider (gmail.com, hotmail.*, ...) is
skipped, since its registration says nothing about them. More can be listed
under ``[checkers.rdap] skip_domains``.

Redacted data is not a finding: values such as "REDACTED FOR PRIVACY" or
"Data Protected", privacy-proxy registrants, remarks about redaction and the
RFC 9537 ``redacted`` member all count as redaction, and the check is
``absent`` with the reason "registration data is redacted". A 404 is
``skipped``: the person's mail domain exists, so it means a registry without
RDAP (unknown), never "absent".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from exposure.checkers import api
from exposure.checkers.base import Checker, ScanContext, Task, TaskResult, Transmission
from exposure.config import HttpUrl
from exposure.model import AskToRemove, Check, Exposes, Finding, FindingKind, Outcome
from exposure.textsafe import clean

CHECKER_ID = "rdap"
SOURCE = "RDAP"
DEFAULT_BASE = "https://rdap.org"
ROLES = ("registrant", "administrative", "technical")
NAME_MATCH = 0.85
UNMATCHED_CONFIDENCE = 0.8
MAX_TEXT = 300

# Free and ISP mail providers: an address there says nothing about who owns the domain.
_FREE_MAIL = """
    gmail.com googlemail.com outlook.com hotmail.com live.com msn.com passport.com
    yahoo.com ymail.com rocketmail.com aol.com aim.com icloud.com me.com mac.com
    proton.me protonmail.com protonmail.ch pm.me tutanota.com tutanota.de tuta.io tuta.com
    gmx.com gmx.net gmx.de web.de t-online.de freenet.de posteo.de mailbox.org
    mail.com email.com usa.com zoho.com zohomail.com fastmail.com fastmail.fm hey.com
    hushmail.com disroot.org riseup.net mail.ru bk.ru inbox.ru list.ru rambler.ru
    yandex.com yandex.ru ya.ru ukr.net qq.com 163.com 126.com sina.com naver.com daum.net
    rediffmail.com libero.it virgilio.it tiscali.it orange.fr wanadoo.fr free.fr laposte.net
    sfr.fr seznam.cz wp.pl o2.pl interia.pl onet.pl btinternet.com btopenworld.com
    sky.com talktalk.net virginmedia.com ntlworld.com blueyonder.co.uk comcast.net
    xfinity.com verizon.net att.net sbcglobal.net bellsouth.net cox.net charter.net
    spectrum.net earthlink.net optonline.net frontier.com windstream.net centurylink.net
    shaw.ca rogers.com sympatico.ca telus.net videotron.ca bigpond.com optusnet.com.au
    xtra.co.nz telenet.be skynet.be ziggo.nl kpnmail.nl bluewin.ch
"""
FREE_MAIL_DOMAINS = frozenset(_FREE_MAIL.split())
# Providers with a domain in many countries (hotmail.co.uk, yahoo.fr, gmx.at...).
FREE_MAIL_BRANDS = frozenset(
    {"hotmail", "outlook", "live", "yahoo", "ymail", "gmx", "yandex", "aol", "googlemail"}
)

_REDACTION_MARKERS = (
    "redacted",
    "data protected",
    "privacy",
    "not disclosed",
    "non-public",
    "withheld",
    "gdpr",
    "masked",
    "statutory masking",
    "domains by proxy",
    "whoisguard",
    "identity protect",
    "protected by",
    "hidden upon user request",
    "please query the rdds",
    "contact the registrar",
    "not available",
)
# RFC 9537 "redacted" name types, per role, e.g. "Registrant Name", "Tech Phone".
_ROLE_WORDS = {
    "registrant": ("registrant",),
    "administrative": ("admin", "administrative"),
    "technical": ("tech", "technical"),
}
_FIELD_WORDS = {
    "name": ("name",),
    "address": ("street", "address", "city", "postal code"),
    "phone": ("phone", "phone ext"),
    "email": ("email",),
}


def is_redacted(value: str) -> bool:
    """True when ``value`` is a redaction or privacy-service placeholder."""
    text = value.strip().lower()
    return any(marker in text for marker in _REDACTION_MARKERS)


# --------------------------------------------------------------------------- domains


def registered_domain(domain: str) -> str:
    """The registrable part of ``domain`` (``mail.janedoe.co.uk`` -> ``janedoe.co.uk``)."""
    from exposure.net.http import host_key

    return host_key(f"http://{domain}/")


def skip_reason(domain: str, extra: Iterable[str] = ()) -> str | None:
    """Why ``domain`` is not worth an RDAP look-up, or None."""
    domain = domain.strip().lower().rstrip(".")
    if not domain or "." not in domain or domain.startswith("["):
        return f"'{domain}' is not a domain name"
    try:
        domain.encode("idna")
    except UnicodeError:
        return f"'{domain}' is not a valid domain name"
    registered = registered_domain(domain)
    skipped = FREE_MAIL_DOMAINS | {d.strip().lower() for d in extra if d.strip()}
    if domain in skipped or registered in skipped or registered.split(".")[0] in FREE_MAIL_BRANDS:
        return f"{registered or domain} is a mail provider, not a domain of yours"
    return None


def email_domains(emails: Iterable[str]) -> list[str]:
    """The distinct domains of the emails, lower-cased, in order."""
    out = []
    for email in emails:
        if "@" in (email or ""):
            out.append(email.rsplit("@", 1)[1].strip().lower().rstrip("."))
    return list(dict.fromkeys(d for d in out if d))


# --------------------------------------------------------------------------- jCard


@dataclass
class Contact:
    role: str
    name: str = ""
    organisation: str = ""
    address: str = ""
    street: str = ""
    phone: str = ""
    email: str = ""
    redacted: list[str] = field(default_factory=list)  # fields seen redacted

    @property
    def exposed(self) -> bool:
        """Something that identifies or locates a person: a name, a street, a phone."""
        return bool(self.name or self.street or self.phone)

    @property
    def exposes(self) -> frozenset[Exposes]:
        shown = ((self.address, Exposes.HOME_ADDRESS), (self.phone, Exposes.PHONE))
        return frozenset(e for value, e in (*shown, (self.email, Exposes.EMAIL)) if value)

    def to_dict(self) -> dict[str, str]:
        out = {"role": self.role, "name": self.name, "address": self.address}
        out.update(phone=self.phone, email=self.email)
        if self.organisation:
            out["organisation"] = self.organisation
        return out


class RdapFormatError(ValueError):
    """The answer is not an RDAP domain object we can read."""


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if isinstance(v, str | int))
    return clean(value, limit=MAX_TEXT).strip() if isinstance(value, str | int) else ""


def _props(vcard: Any) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """``(name, params, value)`` of each jCard property; raises on a broken card."""
    if not (isinstance(vcard, list) and len(vcard) >= 2 and isinstance(vcard[1], list)):
        raise RdapFormatError("a contact's vcardArray is not a jCard")
    for prop in vcard[1]:
        if not (isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[0], str)):
            continue
        params = prop[1] if isinstance(prop[1], dict) else {}
        value = prop[3] if len(prop) == 4 else prop[3:]
        yield prop[0].lower(), params, value


def _address(params: dict[str, Any], value: Any) -> tuple[str, str]:
    """(whole address, street part) of a jCard ``adr``, redacted parts left out.

    A ``label`` parameter is the formatted address; when the structured value
    has no street, a multi-line label's first line is taken as the street.
    """
    parts: list[str] = []
    street = ""
    if isinstance(value, list):
        for i, comp in enumerate(value[:7]):
            text = _text(comp)
            if text and not is_redacted(text):
                parts.append(text)
                street = text if i == 2 else street
    raw_label = params.get("label")
    label = _text(raw_label)
    if label and not is_redacted(label):
        if not street and isinstance(raw_label, str) and "\n" in raw_label.strip():
            street = _text(raw_label.strip().splitlines()[0])
        return label, street
    return ", ".join(parts), street


def _phone(value: Any) -> str:
    text = _text(value)
    if text.lower().startswith("tel:"):
        text = text[4:]
    return text.split(";", 1)[0].strip()


def read_contact(entity: dict[str, Any], role: str) -> Contact:
    """The fields of one contact entity; redacted values are noted, not kept."""
    contact = Contact(role)
    proxied = False  # a privacy service stands in for the registrant
    vcard = entity.get("vcardArray")
    if vcard is None:
        return contact
    for name, params, value in _props(vcard):
        if name == "fn":
            text = _text(value)
            if is_redacted(text):
                contact.redacted.append("name")
            else:
                contact.name = text
        elif name == "org":
            text = _text(value)
            if is_redacted(text):
                proxied = True
            else:
                contact.organisation = text
        elif name == "adr" and not contact.address:
            whole, street = _address(params, value)
            raw = " ".join(_text(c) for c in value) if isinstance(value, list) else _text(value)
            if is_redacted(raw) or is_redacted(_text(params.get("label"))):
                contact.redacted.append("address")
            contact.address, contact.street = whole, street
        elif name == "tel" and not contact.phone:
            text = _phone(value)
            if is_redacted(text):
                contact.redacted.append("phone")
            else:
                contact.phone = text
        elif name == "email" and not contact.email:
            text = _text(value)
            if is_redacted(text) or "@" not in text:
                contact.redacted.append("email")
            else:
                contact.email = text
    if proxied:  # its name, street and phone are the service's, not the person's
        contact.redacted.append("organisation")
        contact.name = contact.address = contact.street = contact.phone = contact.email = ""
    return contact


def _entities(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 5 or not isinstance(node, dict):
        return
    entities = node.get("entities", [])
    if not isinstance(entities, list):
        raise RdapFormatError("'entities' is not a list")
    for entity in entities:
        if isinstance(entity, dict):
            yield entity
            yield from _entities(entity, depth + 1)


def _remarks_redacted(node: dict[str, Any]) -> bool:
    remarks = node.get("remarks")
    if not isinstance(remarks, list):
        return False
    for remark in remarks:
        if not isinstance(remark, dict):
            continue
        texts = [_text(remark.get("title"))]
        desc = remark.get("description")
        if isinstance(desc, list):
            texts.extend(_text(d) for d in desc)
        if any("redact" in t.lower() or "privacy" in t.lower() for t in texts):
            return True
    return False


def _rfc9537_redacted(data: dict[str, Any]) -> set[str]:
    """Lower-cased name types of the RFC 9537 ``redacted`` member ("registrant name")."""
    out: set[str] = set()
    items = data.get("redacted")
    if not isinstance(items, list):
        return out
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, dict):
            text = _text(name.get("type") or name.get("description"))
            if text:
                out.add(" ".join(text.lower().split()))
    return out


def _apply_rfc9537(contact: Contact, redacted: set[str]) -> None:
    """Drop fields the registry declares redacted (their values are placeholders)."""
    for fld, words in _FIELD_WORDS.items():
        declared = any(f"{r} {w}" in redacted for r in _ROLE_WORDS[contact.role] for w in words)
        if not declared:
            continue
        contact.redacted.append(fld)
        if fld == "name":
            contact.name = ""
        elif fld == "address":
            contact.address = contact.street = ""
        elif fld == "phone":
            contact.phone = ""
        else:
            contact.email = ""


@dataclass
class Registration:
    contacts: list[Contact]
    redaction_seen: bool


def read_registration(data: Any) -> Registration:
    """Contacts of an RDAP domain object. Raises :class:`RdapFormatError`."""
    if not isinstance(data, dict):
        raise RdapFormatError("the answer is not a JSON object")
    kind = data.get("objectClassName")
    if kind is not None and kind != "domain":
        raise RdapFormatError(f"not a domain object ({_text(kind)})")
    if kind is None and "ldhName" not in data and "entities" not in data:
        raise RdapFormatError("not an RDAP domain object")
    declared = _rfc9537_redacted(data)
    redaction = bool(declared) or _remarks_redacted(data)
    contacts: list[Contact] = []
    for entity in _entities(data):
        roles = entity.get("roles")
        if not isinstance(roles, list):
            continue
        for role in ROLES:
            if role not in roles:
                continue
            contact = read_contact(entity, role)
            _apply_rfc9537(contact, declared)
            if contact.redacted or _remarks_redacted(entity):
                redaction = True
            contacts.append(contact)
    contacts.sort(key=lambda c: ROLES.index(c.role))
    return Registration(contacts, redaction)


# --------------------------------------------------------------------------- the checker


def _domains(ctx: ScanContext) -> list[str]:
    return email_domains(ctx.profile.emails)


def _extra_skips(ctx: ScanContext) -> list[str]:
    value = ctx.checker_config(CHECKER_ID).get("skip_domains") or []
    return [str(v) for v in value] if isinstance(value, list) else []


@dataclass
class RdapOptions:
    """``[checkers.rdap]``."""

    base_url: HttpUrl = ""
    skip_domains: list[str] = field(default_factory=list)  # domains never asked about


class RdapChecker(Checker):
    id = CHECKER_ID
    title = "Domain registration (RDAP)"
    description = (
        "Reads the public registration (RDAP, the successor of WHOIS) of domains your emails "
        "are at, to see whether it shows your name, address or phone."
    )
    lookup = (
        "Reads the public RDAP record of your email's domain from its registry; the registrant "
        "is not told."
    )
    options = RdapOptions

    def _lookups(self, ctx: ScanContext) -> tuple[list[str], dict[str, str]]:
        """(registered domains to ask about, skipped email domain -> why)."""
        ask: list[str] = []
        skipped: dict[str, str] = {}
        extra = _extra_skips(ctx)
        for domain in _domains(ctx):
            why = skip_reason(domain, extra)
            if why:
                skipped[domain] = why
            else:
                ask.append(registered_domain(domain) or domain)
        return list(dict.fromkeys(ask)), skipped

    def transmissions(self, ctx: ScanContext) -> list[Transmission]:
        host = urlsplit(api.base_url(ctx, CHECKER_ID, DEFAULT_BASE)).hostname or ""
        ask, _ = self._lookups(ctx)
        # Only the domain leaves, but it is the part of the email that points at the person.
        return [Transmission("email", domain, host) for domain in ask]

    def tasks(self, ctx: ScanContext) -> Iterable[Task]:
        ask, skipped = self._lookups(ctx)
        tasks = [Task(self.id, SOURCE, partial(check_domain, ctx, d)) for d in ask]
        for domain, why in skipped.items():
            check = Check(CHECKER_ID, SOURCE, Outcome.SKIPPED, "", f"{domain}: {why}")
            tasks.append(Task(self.id, SOURCE, partial(TaskResult, [check])))
        return tasks


def _name_match(ctx: ScanContext, name: str) -> tuple[float, str]:
    from exposure.people.names import compare_names

    best = max(
        (compare_names(mine, name) for mine in ctx.match_profile.names if mine.strip()),
        key=lambda m: m.score,
        default=None,
    )
    return (best.score, best.reason) if best else (0.0, "")


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def check_domain(ctx: ScanContext, domain: str) -> TaskResult:
    """Ask RDAP about ``domain`` and report unredacted contact data."""
    base = api.base_url(ctx, CHECKER_ID, DEFAULT_BASE)
    url = f"{base}/domain/{domain.encode('idna').decode('ascii')}"
    headers = {"Accept": "application/rdap+json, application/json"}
    answer = api.call(ctx, CHECKER_ID, SOURCE, url, headers=headers)
    if answer.check.status is Outcome.ABSENT:
        # The person's mail domain exists, so a 404 mostly means its registry has no
        # RDAP service: unknown, not absent.
        detail = (
            f"{domain}: no RDAP record (its registry may not offer RDAP); "
            "look it up in the registry's WHOIS by hand"
        )
        return TaskResult([api.with_status(answer, Outcome.SKIPPED, detail)])
    if not answer.usable:
        return TaskResult([answer.check])
    try:
        reg = read_registration(answer.data)
    except RdapFormatError as exc:
        detail = f"{domain}: could not read the registration data ({exc})"
        return TaskResult([api.with_status(answer, Outcome.ERROR, detail)])
    exposed = [c for c in reg.contacts if c.exposed]
    if not exposed:
        why = "registration data is redacted" if reg.redaction_seen else "no contact published"
        return TaskResult([api.with_status(answer, Outcome.ABSENT, f"{domain}: {why}")])

    main = exposed[0]
    reasons = [f"the {main.role} contact of {domain} is public"]
    shown = [f for f in ("name", "address", "phone", "email") if getattr(main, f)]
    reasons.append(f"it shows: {', '.join(shown)}")
    confidence = UNMATCHED_CONFIDENCE
    score, why = _name_match(ctx, main.name) if main.name else (0.0, "")
    own_phones = {_digits(p) for p in ctx.match_profile.phones}
    if main.name and score >= NAME_MATCH:
        confidence = 1.0
        reasons.append(why)
    elif main.phone and _digits(main.phone) in own_phones:
        confidence = 1.0
        reasons.append("the phone is yours")
    elif main.name:
        reasons.append(
            f"the name '{main.name}' does not match yours ({why or 'no name in your profile'}):"
            " it may be registered by someone else for you"
        )
    else:
        reasons.append("no name to compare with yours")
    final = answer.response.final_url if answer.response else url
    finding = Finding(
        checker=CHECKER_ID,
        source=SOURCE,
        kind=FindingKind.PROFILE,
        key=domain,
        url=final,
        confidence=confidence,
        reasons=reasons,
        matched={
            "domain": domain,
            "name": main.name,
            "address": main.address,
            "phone": main.phone,
            "email": main.email,
            "role": main.role,
            "contacts": [c.to_dict() for c in exposed],
        },
        title=f"Registration data of {domain}",
        exposes=main.exposes,
        remedy=AskToRemove(where=domain, advice="rdap"),
        capture=answer.response.capture() if answer.response else None,
    )
    detail = f"{domain}: {main.role} contact is public"
    return TaskResult([api.with_status(answer, Outcome.FOUND, detail)], [finding])
