"""Make scraped text safe to show on a terminal.

Text from the web may carry terminal escape sequences, other control
characters and bidirectional overrides that disguise what is shown. Everything
we print that came from outside goes through :func:`clean`.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Invisible characters that change nothing a reader should see: bidi embeddings,
# overrides, isolates and marks, zero-width characters, the soft hyphen, the word
# joiner and invisible operators, the Mongolian vowel separator, the BOM and the
# Unicode tag characters (which can smuggle hidden text).
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\U000e0000-\U000e007f"
)
# C0 and C1 controls (tab and newline handled separately), DEL, and the invisibles.
CONTROL_CHARS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
# Any control character at all, newline and tab included: for validating input.
ANY_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
# What JSON output escapes although json.dumps(ensure_ascii=False) passes it raw.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_INVISIBLE}]")
_ESCAPE_SEQ = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: object, *, keep_newlines: bool = False, limit: int | None = None) -> str:
    """``text`` without escape sequences or control characters, optionally shortened."""
    out = _ESCAPE_SEQ.sub("", str(text))
    out = CONTROL_CHARS.sub("", out)
    out = out.replace("\t", " ")
    if not keep_newlines:
        out = out.replace("\r", " ").replace("\n", " ")
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 0)] + "…"
    return out


def _json_escape(match: re.Match[str]) -> str:
    return json.dumps(match.group(0))[1:-1]  # "\u202e", or a surrogate pair for tags


def json_text(document: object, **kwargs: Any) -> str:
    """``document`` as JSON for output: readable UTF-8, but never a raw control.

    ``json.dumps(ensure_ascii=False)`` escapes C0 controls only; DEL, C1
    controls, bidi overrides and other invisible characters would reach the
    terminal raw. They are written as ``\\uXXXX`` escapes instead (valid JSON,
    the same string once parsed).
    """
    kwargs.setdefault("ensure_ascii", False)
    return _JSON_UNSAFE.sub(_json_escape, json.dumps(document, **kwargs))
