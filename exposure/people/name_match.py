"""Her names as a matcher screens and scores them.

:class:`NameForms` holds the forms of the profile's names that pages print —
family-name forms ("O'Neill", "O Neill", "ONeill"), given names and their
nicknames, the full-name variants — and answers three questions about a name
from a page: could it be hers at all (:meth:`NameForms.gate`, vectorised over a
whole page), how close is it (:meth:`NameForms.score`, with rescues for one
slip in a long word and for misplaced spaces), and does it share only her
family name or only her given name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from exposure.people.names import compare_names, fold, given_variants, name_variants, parse_name
from exposure.textsafe import clean

__all__ = ["GATE_CUTOFF", "NameForms"]

GATE_CUTOFF = 75  # rapidfuzz ratio (0..100) of a record word to a family-name form


class NameForms:
    """The forms of the profile's ``names`` (cleaned, primary first)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self._cache: dict[str, tuple[float, str]] = {}
        self.families: set[str] = set()
        self.given_forms: set[str] = set()  # her given names and their nicknames
        self.variants: set[str] = set()
        for name in self.names:
            parts = parse_name(name)
            for family in (parts.family, f"{parts.middle} {parts.family}".strip()):
                folded = fold(family)
                if folded:
                    self.families.update({folded, folded.replace(" ", "")})
                    self.families.update(folded.split())
            if parts.given:
                self.given_forms |= {fold(g) for g in given_variants(parts.given)}
            self.variants |= name_variants(name)
        # Pages print "O'Neill" as "O Neill" and "ONeill": the last part alone also screens.
        for family in list(self.families):
            self.families.update(w for w in re.split(r"[\s'’-]+", family) if len(w) >= 3)
        for name in self.names:
            parts = parse_name(name)
            tail = re.split(r"['’]", parts.family)[-1]
            if len(tail) >= 3:
                self.families.add(fold(tail))
        self.families = {f for f in self.families if len(f) >= 2 and " " not in f}
        long_forms = sorted((f for f in self.families if len(f) >= 5), key=len, reverse=True)
        self._squeezed_family = (
            re.compile("|".join(map(re.escape, long_forms)), re.I).search if long_forms else None
        )

    def gate(self, names: Sequence[str]) -> list[bool]:
        """Which record names could be the person's: one of their words is close to
        one of the profile's family-name forms (typos included).

        Vectorised: the words of all names are collected with one regex pass,
        compared with the family forms by rapidfuzz in C++ (``process.extract``),
        and the names are then screened with one compiled regex of the near words.
        """
        from rapidfuzz import fuzz, process, utils

        if not self.families or not names:
            return [False] * len(names)
        ascii_names = [n.isascii() for n in names]
        texts = [n if ok else fold(n) for n, ok in zip(names, ascii_names, strict=True)]
        # One C call lower-cases and splits every name at once.
        vocabulary = list(set(utils.default_process("\n".join(texts)).split()))
        near: set[str] = set()
        for family in self.families:
            hits = process.extract(
                family,
                vocabulary,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=GATE_CUTOFF,
                limit=None,
            )
            near.update(token for token, _score, _ in hits)
        # A plain substring screen (word boundaries cost more than the rare extra
        # candidate, which compare_names then rejects).
        search = (
            re.compile("|".join(map(re.escape, sorted(near, key=len, reverse=True))), re.I).search
            if near
            else None
        )
        # Her family name with a space slipped into it ("Golds Worthy"): the
        # name without its spaces holds it.
        squeezed = self._squeezed_family
        return [
            (search is not None and search(text) is not None)
            or (squeezed is not None and squeezed(text.replace(" ", "")) is not None)
            for text in texts
        ]

    def score(self, seen: str) -> tuple[float, str]:
        """Best score of ``seen`` against the profile's names (primary and aliases)."""
        cached = self._cache.get(seen)
        if cached is not None:
            return cached
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[seen] = result = self._name_score(seen)
        return result

    def _name_score(self, seen: str) -> tuple[float, str]:
        best = (0.0, f"name 0.00 (no match for {clean(seen, limit=80)})")
        for name in self.names:
            result = compare_names(name, seen)
            if result.score > best[0]:
                best = (result.score, result.reason)
        if best[0] < 0.8:
            typo = self._typo_rescue(seen)
            if typo > best[0]:
                shown = clean(" ".join(seen.split()), limit=80)
                best = (typo, f"name {typo:.2f} ({self.names[0]} ~ {shown}, typo)")
        return best

    def _typo_rescue(self, seen: str) -> float:
        """One slip (transposition, deletion, substitution) inside a long name word
        ("Pirya" for "Priya") that the structural comparison penalises too hard."""
        from rapidfuzz.distance import OSA

        folded = fold(seen).replace(",", " ")
        tokens = folded.split()
        respaced = self._respaced(tokens)
        orders = [tokens, [*tokens[1:], tokens[0]]] if len(tokens) >= 2 else [tokens]
        if len(tokens) > 2:
            # "Tians L Whiet", "Whiet, Tians Lee": given and family name only.
            orders += [[tokens[0], tokens[-1]], [tokens[1], tokens[0]]]
        best = 0.0
        for variant in self.variants:
            want = variant.split()
            if len(want) > 2:
                want = [want[0], want[-1]]
            for got in orders:
                if len(got) != len(want) or len(got) < 2:
                    continue
                diffs = [(a, b) for a, b in zip(want, got, strict=True) if a != b]
                if not 1 <= len(diffs) <= 2 or any(OSA.distance(a, b) > 1 for a, b in diffs):
                    continue
                lengths = sorted(min(len(a), len(b)) for a, b in diffs)
                if len(diffs) == 1 and lengths[0] >= 5:
                    best = max(best, 0.85)  # "Pirya" for "Priya"
                elif len(diffs) == 2 and lengths[0] >= 4:
                    best = max(best, 0.8)  # "Tians Whiet" for "Tiana White"
                elif len(diffs) == 2 and lengths[0] >= 3 and lengths[1] >= 6:
                    # "Amf Tiggeuan" for "Amy Tiggeman": a slip in a short given
                    # name alone is another name (Amy, Ami), but beside a slip in a
                    # long family name it is one typist's record. Weak: it counts
                    # only with her place and age.
                    best = max(best, 0.65)
        return max(best, respaced)

    def _respaced(self, tokens: list[str]) -> float:
        """Her name with the spaces in other places ("Mia Kam P" for "Mia Kamp",
        "Ssha Un Campbell" for "Shaun Campbell"): the letters agree (0.9) or one
        slip apart in a long name (0.8) once the spaces are dropped."""
        from rapidfuzz.distance import OSA

        squeezed = "".join(tokens)
        if len(squeezed) < 7 or len(tokens) < 2:
            return 0.0
        if not self.gate([" ".join(tokens)])[0]:
            # Screened out on its own (the page-wide screen is looser): a name's
            # score never depends on the other names on the page.
            return 0.0
        best = 0.0
        for variant in self.variants:
            want = variant.split()
            if len(want) < 2 or want == tokens:
                continue
            target = "".join(want)
            if squeezed == target:
                return 0.9
            if (
                len(target) >= 10
                and len(want) != len(tokens)
                and OSA.distance(squeezed, target, score_cutoff=1) <= 1
            ):
                best = 0.8
        return best

    def given_near(self, name: str) -> bool:
        """The first word of ``name`` is one of her given names or their nicknames."""
        first = name.split(maxsplit=1)[0] if name.strip() else ""
        return fold(first) in self.given_forms

    def family_near(self, family: str) -> bool:
        """One of her family-name forms, or one slip from it ("Maso" for "Mason")."""
        if family in self.families:
            return True
        from rapidfuzz.distance import OSA

        # Two slips only in a long name ("Fitzaptick" for "Fitzpatrick").
        return len(family) >= 4 and any(
            len(mine) >= 4
            and OSA.distance(family, mine) <= (2 if min(len(family), len(mine)) >= 9 else 1)
            for mine in self.families
        )
