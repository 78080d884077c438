"""Removal requests, written for the person: deletion, reminder, complaint, address demand.

A :class:`Target` says who the request goes to and which listings it is
about (built from a checklist item and the broker catalogue by
:mod:`exposure.engine.request_log`). :func:`draft` writes the letter that
fits the person's :class:`~exposure.engine.request_rules.Choice` of law, in
our own words, and returns a :class:`Draft` that renders as plain text, an
``.eml`` message, and a ``mailto:`` link.

Data minimisation is a rule here, not a hope: a letter carries the person's
primary name and the listing URLs, nothing else from the profile (no phone,
address, birth date, other emails or usernames). The reply address is the
one the person chooses to send from, never written into the text. When the
broker is known to demand more (an ID scan, a date of birth, a phone call, a
fee, an account), :attr:`Draft.warnings` says so, to be shown before sending.

Everything that comes from a catalogue or a scraped page (organisation
names, listing URLs, addresses) is cleaned of control and bidi characters;
the ``mailto:`` link percent-encodes every part (``%0D%0A`` for line breaks)
and refuses an address that is not a plain ``local@domain``, so no header
can be injected through it. ``.eml`` headers go through the email package,
which refuses line breaks in headers.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from enum import StrEnum
from urllib.parse import quote

from exposure.engine.request_rules import AddressProgram, Choice, Jurisdiction, Right
from exposure.model import Profile, RequestKind
from exposure.textsafe import clean
from exposure.urls import is_web_url

# A plain address only: no quotes, comments, '%', '?', '&', ',' or whitespace.
_ADDRESS = re.compile(r"^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")
_DOB = re.compile(r"date of birth|birth ?date|\bdob\b|born on", re.I)


class Via(StrEnum):
    """How a request was sent."""

    EMAIL = "email"
    FORM = "form"
    POST = "post"
    PHONE = "phone"


def safe_address(address: str) -> str:
    """``address`` when it is a plain ``local@domain``, else ""."""
    address = address.strip()
    return address if _ADDRESS.match(address) and ".." not in address else ""


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` link with every part percent-encoded (RFC 6068), or "" for a bad address."""
    to = safe_address(address)
    if not to:
        return ""
    crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
    encoded = f"subject={quote(subject, safe='')}&body={quote(crlf, safe='')}"
    return f"mailto:{quote(to, safe='@')}?{encoded}"


def _one_line(text: str, limit: int = 200) -> str:
    return clean(text, limit=limit).replace("\n", " ").strip()


def _listing(url: str) -> str:
    """An http(s) URL up to its first space or control character (scraped: hostile)."""
    head = re.split(r"[\s\x00-\x1f\x7f]", url.strip(), maxsplit=1)[0]
    head = clean(head, limit=500)
    return head if is_web_url(head) and " " not in head else ""


def _wrap(body: str) -> str:
    """Fill each prose paragraph to 72 columns; list lines ("  - ...") stay as they are."""
    out = []
    for para in body.split("\n\n"):
        if para.lstrip().startswith("- ") or "\n  - " in para or para.startswith("  ("):
            out.append(para)
        else:
            out.append(textwrap.fill(" ".join(para.split()), width=72))
    return "\n\n".join(out).rstrip() + "\n"


@dataclass(frozen=True)
class Target:
    """Who a request goes to and which listings it names."""

    item_id: str
    organisation: str
    email: str = ""  # the privacy address, when the catalogue has one
    form_url: str = ""  # the opt-out page
    listings: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # the catalogue's opt_out.requires words
    notes: str = ""
    covers: tuple[str, ...] = ()  # other sites one request to this organisation covers

    def cleaned(self) -> Target:
        return Target(
            item_id=self.item_id,
            organisation=_one_line(self.organisation, 120) or "the site",
            email=safe_address(self.email),
            form_url=_listing(self.form_url),
            listings=tuple(u for u in (_listing(x) for x in self.listings) if u),
            requires=self.requires,
            notes=_one_line(self.notes, 600),
            covers=tuple(_one_line(c, 120) for c in self.covers if _one_line(c, 120)),
        )


@dataclass(frozen=True)
class Draft:
    kind: RequestKind
    item_id: str
    jurisdiction: str
    to_name: str
    to_email: str  # "" when there is no usable address
    subject: str
    body: str
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # how to send it, where to complain, caveats
    fields: tuple[str, ...] = ("name", "listing URLs")  # what of the profile it carries

    @property
    def mailto(self) -> str:
        return mailto(self.to_email, self.subject, self.body)

    def text(self) -> str:
        head = [f"To: {self.to_name}" + (f" <{self.to_email}>" if self.to_email else "")]
        head.append(f"Subject: {self.subject}")
        return "\n".join(head) + "\n\n" + self.body

    def eml(self, sender: str = "") -> bytes:
        """An unsent message (``X-Unsent: 1`` opens it as a draft in most mail programs)."""
        msg = EmailMessage(policy=SMTP)
        if self.to_email:
            msg["To"] = self.to_email
        if safe_address(sender):
            msg["From"] = sender
        msg["Subject"] = self.subject
        msg["X-Unsent"] = "1"
        msg.set_content(self.body)
        return msg.as_bytes()


def warnings_for(target: Target) -> tuple[str, ...]:
    """What the broker is known to demand beyond the letter, to say before sending."""
    out: list[str] = []
    requires = set(target.requires)
    name = target.organisation
    if "id" in requires:
        out.append(
            f"{name} is known to ask for a copy of an ID document. The letter does not include "
            "one; if they insist, cover everything but your name, and ask how long they keep it."
        )
    if _DOB.search(target.notes):
        out.append(
            f"{name} is known to ask for your date of birth. The letter leaves it out; "
            "give at most the year if they cannot find the listing without it."
        )
    if "fee" in requires:
        out.append(f"{name} asks for a fee. Privacy laws that give a right to delete make it free.")
    if "account" in requires:
        out.append(f"{name} asks you to open an account, which gives it more of your details.")
    if "phone-call" in requires:
        out.append(f"{name} verifies by phone: it will learn the number you use.")
    if "email-verification" in requires:
        out.append(f"{name} will email a confirmation link to the address you send from.")
    return tuple(out)


# --------------------------------------------------------------------------- letters


def _listings_block(target: Target) -> str:
    if not target.listings:
        return "  (search for the name below: I could not keep a link to the listing)"
    return "\n".join(f"  - {u}" for u in target.listings)


def _covers_line(target: Target) -> str:
    if not target.covers:
        return ""
    return (
        "\nThis request also covers the other sites you run that show my information: "
        + ", ".join(target.covers)
        + ".\n"
    )


_ASK = {
    Right.DELETE: (
        "delete the personal information you hold about me and to stop selling or sharing it"
    ),
    Right.ERASE: "erase the personal data you hold about me, and I object to its processing",
    Right.WITHDRAW_CONSENT: (
        "stop using, disclosing and publishing my personal information: I withdraw any consent "
        "to it, and ask you to destroy what you no longer need"
    ),
    Right.OPT_OUT: "remove my listing and stop publishing my personal information",
}


def _request_letter(target: Target, name: str, j: Jurisdiction) -> tuple[str, str]:
    if j.law is None:
        subject = f"Please remove my listing from {target.organisation}"
        legal = ""
        timing = "Please confirm when it is done."
    else:
        subject = f"Request to delete my personal information ({j.name} law)"
        legal = f" under {j.law.text}"
        timing = (
            f"The law gives you {j.deadline.describe()} from receipt to answer. Please confirm "
            "in writing when the information is deleted."
        )
    body = f"""To the privacy team of {target.organisation},

I am writing to ask you to {_ASK[j.right]}{legal}.

The listings concerned:
{_listings_block(target)}

The name on them: {name}.
{_covers_line(target)}
This is what you need to find the listings. Please do not ask for more
unless you cannot find them with it, and if you do, say why.

{timing} Please also make sure the information is not published again.

{name}
"""
    return subject, body


def _reminder_letter(
    target: Target, name: str, j: Jurisdiction, sent_on: date | None, due: date | None
) -> tuple[str, str]:
    when = sent_on.isoformat() if sent_on else "earlier"
    overdue = f" The answer was due by {due.isoformat()}." if due else ""
    complain = (
        f" If I do not hear from you, I will complain to {j.regulator.name}." if j.regulator else ""
    )
    subject = f"Reminder: my removal request of {when}"
    body = f"""To the privacy team of {target.organisation},

On {when} I asked you to remove my personal information.{overdue}
The listings are still online:
{_listings_block(target)}

The name on them: {name}.

Please remove them and confirm in writing.{complain}

{name}
"""
    return subject, body


def _complaint_letter(
    target: Target,
    name: str,
    j: Jurisdiction,
    sent_on: date | None,
    due: date | None,
    reminded_on: date | None,
) -> tuple[str, str]:
    assert j.regulator is not None and j.law is not None
    when = sent_on.isoformat() if sent_on else "(date)"
    reminder = f" I sent a reminder on {reminded_on.isoformat()}." if reminded_on else ""
    subject = f"Complaint: {target.organisation} did not answer my deletion request"
    body = f"""To {j.regulator.name},

I am complaining about {target.organisation}, which publishes my personal
information and has not acted on my request to delete it under
{j.law.text}.

I sent my request on {when}. The answer was due by {due.isoformat() if due else "(date)"}.{reminder}
The listings were still online at my last check:
{_listings_block(target)}

I ask you to look into this and to require {target.organisation} to delete
my information. I can send copies of my request and of the listings, with
the dates I saw them.

{name}
"""
    return subject, body


def _address_letter(target: Target, name: str, program: AddressProgram) -> tuple[str, str]:
    hours = program.deadline.days * 24 if program.deadline.days else 0
    within = f" within {hours} hours of receiving this demand" if hours else ""
    subject = f"Written demand under {program.law.text}: remove my home address and phone"
    body = f"""To {target.organisation},

I am a participant in {program.name}. I have a reasonable fear for my
safety. Under {program.law.text}, I demand that you remove my home address
and telephone number from public display on the internet{within}, and that
you do not publish them again.

The listings concerned:
{_listings_block(target)}

The name on them: {name}.

Please confirm in writing when they are removed.

{name}
"""
    return subject, body


@dataclass(frozen=True)
class History:
    """What was already sent for this item (for reminders and complaints)."""

    sent_on: date | None = None
    due: date | None = None
    reminded_on: date | None = None


def draft(
    kind: RequestKind,
    target: Target,
    profile: Profile,
    choice: Choice,
    *,
    program: AddressProgram | None = None,
    history: History | None = None,
) -> Draft:
    """The letter for ``kind``; UsageError-free: an impossible kind is explained in notes."""
    target = target.cleaned()
    j = choice.jurisdiction
    name = _one_line(profile.primary_name, 120) or "(your name)"
    past = history or History()
    notes: list[str] = []
    to_name, to_email = target.organisation, target.email
    if choice.note:
        notes.append(choice.note)
    if j.note:
        notes.append(j.note)
    if kind is RequestKind.ADDRESS_DEMAND and program is not None:
        subject, body = _address_letter(target, name, program)
        notes.append(f"{program.name}: {program.note} Source: {program.law.source}")
    elif kind is RequestKind.COMPLAINT and j.regulator is not None and j.law is not None:
        subject, body = _complaint_letter(target, name, j, past.sent_on, past.due, past.reminded_on)
        to_name, to_email = j.regulator.name, ""
        notes.append(f"File it on the regulator's complaint page: {j.regulator.complaint_url}")
    elif kind in (RequestKind.REMINDER, RequestKind.COMPLAINT):
        if kind is RequestKind.COMPLAINT:
            notes.append("No regulator to complain to under a plain opt-out: this is a reminder.")
            kind = RequestKind.REMINDER
        subject, body = _reminder_letter(target, name, j, past.sent_on, past.due)
    else:
        if kind is RequestKind.ADDRESS_DEMAND:
            notes.append("The profile has no address-confidentiality program: a normal request.")
        kind = RequestKind.REQUEST
        subject, body = _request_letter(target, name, j)
    if j.law is not None and kind is not RequestKind.ADDRESS_DEMAND:
        notes.append(f"Law: {j.law.text} — {j.law.source}")
        if j.deadline.statutory:
            notes.append(f"Deadline: {j.deadline.describe()} — {j.deadline.source}")
    if to_email == "" and kind is not RequestKind.COMPLAINT:
        if target.form_url:
            notes.append(
                f"No privacy email in our catalogue: paste the text into {target.form_url}"
            )
        else:
            notes.append("No privacy email in our catalogue: send it by post or the site's form.")
    return Draft(
        kind=kind,
        item_id=target.item_id,
        jurisdiction=j.id,
        to_name=to_name,
        to_email=to_email,
        subject=_one_line(subject, 200),
        body=_wrap(body),
        warnings=warnings_for(target) if kind is not RequestKind.COMPLAINT else (),
        notes=tuple(notes),
    )
