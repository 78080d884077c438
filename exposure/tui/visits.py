"""When the person last looked at each profile's findings.

"New since your last visit" needs a remembered time per profile. It is a small
JSON file (``tui-visits.json`` in the data folder), written 0600 like every
file that could say something about the person. A damaged file is treated as
empty: losing it only makes old findings look new once.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from exposure.engine import vault
from exposure.model import iso

FILE_NAME = "tui-visits.json"


class Visits:
    """profile id -> the last time its findings were shown."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(vault.read_text(self.path, home=self.path.parent))
        except (OSError, ValueError, vault.SealedFileDamaged):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

    def last(self, profile_id: str) -> datetime | None:
        text = self._load().get(profile_id)
        if not text:
            return None
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None

    def record(self, profile_id: str, moment: datetime) -> None:
        data = self._load()
        data[profile_id] = iso(moment) or ""
        vault.write_blob(
            self.path, json.dumps(data, indent=2, sort_keys=True) + "\n", home=self.path.parent
        )
