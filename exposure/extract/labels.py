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
