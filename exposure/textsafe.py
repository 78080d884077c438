"""Make scraped text safe to show on a terminal.

Text from the web may carry terminal escape sequences, other control
characters and bidirectional overrides that disguise what is shown. Everything
we print that came from outside goes through :func:`clean`.
"""

from __future__ import annotations

import re

# C0 and C1 controls (tab and newline handled separately), DEL, and the Unicode
# bidi embedding/override/isolate marks and zero-width format characters.
CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)
# Any control character at all, newline and tab included: for validating input.
ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
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
