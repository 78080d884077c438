"""Is a password good enough? Strength (zxcvbn) and a verdict after NIST SP 800-63B rev 4.

NIST's rules, as applied here:

* length over composition: at least 15 characters for a password that is the
  only factor, at least 8 when the account also has a second factor (MFA);
  no "one digit, one symbol" rules — they are not checked and never advised;
* a password seen in a breach corpus must be changed, whatever its length;
* a password that is easy to guess (zxcvbn score below 3, e.g. built from the
  person's own name or birth year) must be changed too.

The verdict is a pure function of counts and scores, so it is tested on a
table. Nothing here keeps the password: callers pass it in and drop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exposure.model import Profile

MIN_SINGLE_FACTOR = 15
MIN_WITH_MFA = 8
MIN_SCORE = 3  # zxcvbn 0..4; below 3 is guessable with modest effort
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters are rated

SCORE_WORDS = {
    0: "too guessable",
    1: "very guessable",
    2: "somewhat guessable",
    3: "safely unguessable",
    4: "very unguessable",
}


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    warning: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def words(self) -> str:
        return SCORE_WORDS.get(self.score, "unknown")


@dataclass(frozen=True)
class Verdict:
    """What to do about the password, in plain words."""

    change: bool  # True: change it (breached, weak or too short)
    breached: bool
    weak: bool
    too_short: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.breached:
            return "Change this password now: it is in breach data that attackers try first."
        if self.change:
            return "Change this password: " + "; ".join(self.reasons) + "."
        return "This password is fine: long enough, not guessable and not seen in breaches."


def user_inputs(profile: Profile | None) -> list[str]:
    """What an attacker who knows the person would try: names, emails, usernames, birth year."""
    if profile is None:
        return []
    words: list[str] = []
    for name in profile.names:
        parts = name.replace("-", " ").split()
        words.extend([name, "".join(parts), *parts])
    for email in profile.emails:
        local = email.split("@", 1)[0]
        words.extend([email, local, *local.replace("_", ".").replace("-", ".").split(".")])
    words.extend(profile.usernames)
    if profile.birth_date:
        b = profile.birth_date
        words.extend(
            [
                str(b.year),
                f"{b.year % 100:02d}",
                f"{b.day:02d}{b.month:02d}{b.year}",
                f"{b.month:02d}{b.day:02d}{b.year}",
                b.strftime("%Y%m%d"),
            ]
        )
    seen: dict[str, None] = {}
    for w in words:
        w = w.strip().lower()
        if len(w) >= 2:
            seen.setdefault(w, None)
    return list(seen)


def strength(password: str, inputs: list[str] | None = None) -> Strength:
    """zxcvbn's score and feedback (only the feedback text is kept, not its match details)."""
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=list(inputs or []))
    feedback = result.get("feedback") or {}
    return Strength(
        score=int(result.get("score", 0)),
        warning=str(feedback.get("warning") or ""),
        suggestions=tuple(str(s) for s in feedback.get("suggestions") or ()),
    )


def verdict(length: int, seen: int, score: int, *, mfa: bool = False) -> Verdict:
    """The NIST SP 800-63B rev 4 verdict for a password of ``length`` characters.

    ``seen`` is how often it was seen in breaches, ``score`` zxcvbn's 0..4,
    ``mfa`` whether the account also has a second factor.
    """
    minimum = MIN_WITH_MFA if mfa else MIN_SINGLE_FACTOR
    breached = seen > 0
    weak = score < MIN_SCORE
    too_short = length < minimum
    reasons: list[str] = []
    if breached:
        reasons.append(f"it was seen {seen:,} time{'s' if seen != 1 else ''} in breaches")
    if weak:
        reasons.append("it is easy to guess")
    if too_short:
        if mfa or length < MIN_WITH_MFA:
            reasons.append(f"it is shorter than {minimum} characters")
        else:
            reasons.append(
                f"it is shorter than {MIN_SINGLE_FACTOR} characters, the minimum for a password "
                f"used without a second factor ({MIN_WITH_MFA} is enough only with MFA)"
            )
    return Verdict(
        change=breached or weak or too_short,
        breached=breached,
        weak=weak,
        too_short=too_short,
        reasons=reasons,
    )


def coarse_count(seen: int) -> str:
    """A count safe to store: exact below 100, else its order of magnitude.

    A large exact count (52,256,179) names one password in the breach corpus;
    "at least 10,000,000" names many passwords.
    """
    if seen < 100:
        return f"{seen:,}"
    magnitude = 10 ** (len(str(seen)) - 1)
    return f"at least {magnitude:,}"
