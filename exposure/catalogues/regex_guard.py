"""Catalogue regexes, bounded: a hostile ``regexCheck`` cannot hang a scan.

Patterns come from catalogue files anyone can edit or ship, and Python's
``re`` can backtrack for ever on one such as ``^(a|aa)+$`` while holding the
GIL, so not even Ctrl-C gets through. Patterns are therefore compiled with
the ``regex`` module (``re``'s syntax, plus a per-match ``timeout`` and
``concurrent`` matching that releases the GIL), and capped in length.

Import cost: ``regex`` adds about 25 ms, paid only when a catalogue with a
pattern is loaded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

MAX_PATTERN_CHARS = 1000  # longer patterns are refused when the catalogue loads
MAX_SUBJECT_CHARS = 1000  # a username longer than this never matches
MATCH_TIMEOUT = 0.02  # seconds per match (regex checks its clock now and then: ~0.1 s real)


class PatternError(ValueError):
    """The pattern is unusable: too long, or not a valid regular expression."""


class PatternTimeout(Exception):
    """Matching took longer than the guard allows (the pattern backtracks)."""


@dataclass
class BoundedPattern:
    """A compiled pattern whose every match is bounded in time.

    Once a match has timed out the pattern is known to be hostile: later
    searches raise :class:`PatternTimeout` at once instead of spending the
    timeout again for every username.
    """

    source: str
    _compiled: Any = field(repr=False)
    timed_out: bool = False

    def search(self, text: str) -> bool:
        """True when the pattern is found in ``text``; raises PatternTimeout."""
        if self.timed_out:
            raise PatternTimeout(self.source)
        if len(text) > MAX_SUBJECT_CHARS:
            return False
        try:
            return self._compiled.search(text, timeout=MATCH_TIMEOUT, concurrent=True) is not None
        except TimeoutError:
            self.timed_out = True
            raise PatternTimeout(self.source) from None


@functools.lru_cache(maxsize=4096)
def compile_bounded(pattern: str) -> BoundedPattern:
    """Compile a catalogue's pattern, or raise :class:`PatternError` saying why not.

    One :class:`BoundedPattern` per pattern text: a catalogue that repeats a
    hostile pattern for many sites pays its timeout once.
    """
    import regex  # lazy: most commands never load a catalogue with patterns

    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError(f"longer than {MAX_PATTERN_CHARS} characters")
    try:
        compiled = regex.compile(pattern, regex.VERSION0)
    except (regex.error, RecursionError, OverflowError, ValueError) as exc:
        raise PatternError(str(exc)) from None
    return BoundedPattern(pattern, compiled)
