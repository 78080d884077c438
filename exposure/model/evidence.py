"""Captures as fetched and the evidence they become once stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from exposure.model.clock import iso, utcnow


class CaptureMethod(StrEnum):
    """How a capture was obtained; reports and the evidence pack say it."""

    FETCHED = "fetched"  # the HTTP client's answer, as it came
    RENDERED = "rendered by browser"  # the DOM after the page's JavaScript ran
    SAVED = "saved by you"  # a page the person saved from their own browser and imported
    ASSISTED = "read in a browser window with you"  # assisted mode: the person solved its check


@dataclass(frozen=True)
class Capture:
    """A page or API answer exactly as fetched, before it is stored as evidence."""

    body: bytes
    url: str
    final_url: str
    captured_at: datetime = field(default_factory=utcnow)
    content_type: str = ""
    method: CaptureMethod = CaptureMethod.FETCHED

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class Evidence:
    """A stored capture: content-addressed file plus its hash and time."""

    sha256: str
    captured_at: datetime
    url: str
    final_url: str
    path: str  # relative to the evidence folder
    method: CaptureMethod = CaptureMethod.FETCHED

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "captured_at": iso(self.captured_at),
            "url": self.url,
            "final_url": self.final_url,
            "path": self.path,
            "method": self.method.value,
        }
