"""What the matcher says about one record, and the fields a finding keeps.

A :class:`RecordMatch` is the kind (her own record, or another person's record
showing her phone, email or street), the confidence, the reasons and the
matched fields (escaped for display). :func:`linked_match` builds the second
kind: "your phone appears in another person's record".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exposure.extract import Record
from exposure.model import FindingKind
from exposure.textsafe import clean

__all__ = ["LINKED_WEIGHTS", "RecordMatch", "exposed_by", "linked_match", "matched_fields"]

# How sure a record showing her phone, email or street is a listing of her
# details, when the record is someone else's.
LINKED_WEIGHTS = {"phone": 0.9, "email": 0.9, "home_address": 0.8}


@dataclass
class RecordMatch:
    """How a record relates to the profile: kind, confidence 0..1 and why."""

    kind: FindingKind | None
    confidence: float
    reasons: list[str] = field(default_factory=list)
    matched: dict[str, Any] = field(default_factory=dict)
    # The record carries the person's name (whatever the rest says): a page with
    # such a record is never "absent", even when no record reaches the threshold.
    carries_name: bool = False
    weight: float = 0.0  # Fellegi–Sunter evidence, log2 odds (person records)
    corroborated: bool = False  # her city, phone, email or street, not just name/age/region
    # Her name and her town, but an age that contradicts hers: her with a wrong
    # age, or someone of her name in her town (a parent or child). The evidence
    # is split, so the brokers checker looks at the record's own page.
    split: bool = False


def linked_match(
    record: Record,
    phones: list[str],
    emails: list[str],
    streets: list[str],
    name_reason: str,
) -> RecordMatch:
    exposes: list[str] = []
    miss = 1.0
    reasons: list[str] = []
    shown = clean(" ".join(record.name.split()), limit=80)
    for values, what, label in (
        (phones, "phone", "your phone"),
        (emails, "email", "your email"),
        (streets, "home_address", "your street address"),
    ):
        if values:
            exposes.append(what)
            miss *= 1.0 - LINKED_WEIGHTS[what]
            reasons.append(
                f"{label} {clean(values[0], limit=80)} appears in another person's record ({shown})"
            )
    if name_reason:
        reasons.append(name_reason)
    matched = matched_fields(record, None, phones, emails, streets)
    matched["exposes"] = exposes
    return RecordMatch(FindingKind.LINKED_RECORD, round(1.0 - miss, 4), reasons, matched)


def matched_fields(
    record: Record,
    place: str | None,
    phones: list[str],
    emails: list[str],
    streets: list[str],
) -> dict[str, Any]:
    return {
        "name": clean(" ".join(record.name.split()), limit=200),
        "location": place or (clean(record.places[0], limit=120) if record.places else None),
        "age": record.age,
        "birth_year": record.birth_year,
        "age_range": list(record.age_range) if record.age_range else None,
        "phones": phones,
        "emails": [clean(e, limit=200) for e in emails],
        "addresses": streets,
        "relatives": [clean(r, limit=120) for r in record.relatives[:20]],
    }


def exposed_by(record: Record) -> list[str]:
    out = []
    if record.addresses:
        out.append("home_address")
    if record.phones:
        out.append("phone")
    if record.emails:
        out.append("email")
    if record.relatives:
        out.append("relatives")
    if record.age is not None or record.birth_year is not None or record.age_range:
        out.append("age")
    return out
