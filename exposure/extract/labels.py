"""The label words sites print before places, relatives and aliases.

One copy of each: the text scan (:mod:`~exposure.extract.fields`), block
reading and segmenting all use these. A broker's hints may add its own words.
"""

from __future__ import annotations

import re

_RELATIVE_LABEL = re.compile(
    r"\b(?:relatives?|related\s+to|associated\s+(?:persons?|people|with)|associates?|"
    r"known\s+associates|possible\s+relatives|family(?:\s+members)?|may\s+be\s+related|"
    r"related(?=\s*:)|"
    r"(?:other\s+)?occupants|household(?:\s+members)?|co-?residents|lives\s+with)\b",
    re.I,
)


_PLACE_LABEL = re.compile(
    r"\b(?:lives?\s+in|living\s+in|resides\s+in|current(?:ly)?(?:\s+(?:city|location|address))?|"
    r"locations?|city|town|previous(?:ly)?(?:\s+(?:lived\s+in|in|at|locations?|cities|towns))?|"
    r"formerly(?:\s+(?:of|in|at))?|past\s+(?:locations?|"
    r"cities|places)|(?:used\s+to\s+live|also\s+lived|has\s+lived|lived)\s+in|places?|"
    r"address(?:es)?\s+history|locations?)\s*[:\-]?\s*",
    re.I,
)
_PAST_LABEL = re.compile(
    r"previous|past|formerly|used\s+to|also\s+lived|has\s+lived|lived\s+in|history", re.I
)

_ALIAS_LABEL = re.compile(
    r"\b(?:a\.?k\.?a\.?|also\s+(?:known|seen)\s+as|known\s+as|aliases|alias|other\s+names?)\b",
    re.I,
)


def is_field_label(line: str) -> bool:
    """A line that only labels one field of a record ("Has lived in:", "Related to:",
    "Known as:"): a block that starts with one is a row of a record, not a record."""
    text = line.strip()
    if not text.endswith(":") or len(text) > 40:
        return False
    body = text.rstrip(": ")
    return any(
        (m := label.search(body)) is not None
        and m.start() == 0
        and len(m.group(0).strip()) >= len(body) - 1
        for label in (_PLACE_LABEL, _RELATIVE_LABEL, _ALIAS_LABEL)
    )
