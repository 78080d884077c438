"""Findings for tests, written the short way: engine facts as the old ``matched`` keys.

``typed(finding)`` moves ``own``, ``exposes``, ``opt_out``, ``site``... into the
typed fields, with the same upgrade the store applies to rows written before
the typed contract (``exposure.engine.schema.legacy_facts``).
"""

from __future__ import annotations

from dataclasses import replace

from exposure.engine.schema import legacy_facts
from exposure.model import Finding


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
