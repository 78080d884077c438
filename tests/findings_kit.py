"""Findings for tests, written the short way: engine facts as the old ``matched`` keys.

``typed(finding)`` moves ``own``, ``exposes``, ``opt_out``, ``site``... into the
typed fields, with the same upgrade the store applies to rows written before
the typed contract (``exposure.engine.schema.legacy_facts``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from exposure.engine.schema import legacy_facts
from exposure.model import Capture, Finding, FindingKind


def typed(finding: Finding) -> Finding:
    facts = legacy_facts(finding.checker, finding.source, finding.kind, finding.matched)
    return replace(
        finding,
        exposes=facts.exposes,
        whose=facts.whose,
        severity=facts.severity,
        remedy=facts.remedy,
        child=facts.child,
    )


def broker_record(
    body: bytes = b"<html>Jane</html>", url: str = "https://b.test/r", **kw: Any
) -> Finding:
    """A people-search record of broker ``b`` (key ``k``, confidence 0.9) with its capture."""
    fields: dict[str, Any] = {
        "checker": "brokers",
        "source": "b",
        "kind": FindingKind.PERSON_RECORD,
        "key": "k",
        "url": url,
        "confidence": 0.9,
        "capture": Capture(body, url, url),
    }
    return Finding(**(fields | kw))
