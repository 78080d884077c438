"""How fast ProfileMatcher.score_many scores extracted records (one core).

Run by hand: ``/work/venv/bin/python bench/match_speed.py [--records 100000]``.

The records are synthetic and shaped like a big scan's: mostly strangers,
~2% sharing the person's surname (namesakes and relatives, who get the full
comparison), some carrying phones, emails and street addresses (checked on
every record for linked records). Target: 100,000 records in under 1 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date


def make_records(n: int, seed: int = 7) -> list:
    from exposure.extract import Record

    rng = random.Random(seed)
    given = [
        "Aaron",
        "Beatrice",
        "Carlos",
        "Dolores",
        "Ethan",
        "Fiona",
        "Gregory",
        "Helena",
        "Isaac",
        "Judith",
        "Kevin",
    ]
    given += ["Lorraine", "Marcus", "Nadia", "Jane", "John", "Mary"]
    family = [
        "Abernathy",
        "Bustamante",
        "Castellanos",
        "Delacroix",
        "Eriksen",
        "Fairbanks",
        "Gallagher",
    ]
    family += ["Holloway", "Ishikawa", "Jablonski", "Kettering", "Lindqvist"]
    cities = ["Phoenix, AZ", "Reno, NV", "Omaha, NE", "Austin, TX", "Tulsa, OK", "Dallas, TX"]
    out = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.01:
            name = rng.choice(["Jane Doe", "Jane Q. Doe", "DOE, JANE", "Janie Doe"])
        elif roll < 0.02:
            name = f"{rng.choice(given)} Doe"
        else:
            # Unique-ish names: a suffix defeats caches, as a real crawl would.
            name = f"{rng.choice(given)} {rng.choice('ABCDEFGH')}. {rng.choice(family)}{i % 997}"
        rec = Record(
            name=name,
            age=rng.randrange(20, 90) if rng.random() < 0.8 else None,
            places=[rng.choice(cities)],
        )
        if rng.random() < 0.4:
            rec.phones = [f"+1512555{rng.randrange(10000):04d}"]
        if rng.random() < 0.05:
            rec.emails = [f"user{i}@example.test"]
        if rng.random() < 0.1:
            rec.addresses = [f"{rng.randrange(1, 9999)} Oak Street, Austin, TX"]
        out.append(rec)
    return out


def main(argv: list[str] | None = None) -> int:
    from exposure.model import FindingKind, Profile
    from exposure.people.matching import DEFAULT_THRESHOLD, ProfileMatcher

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    profile = Profile(
        id="jane",
        names=["Jane Quinn Doe", "Jane Smith"],
        emails=["jane.q.doe@gmail.com"],
        phones=["+15125550147"],
        locations=["Austin, TX", "Dallas, TX"],
        addresses=["4812 Maple Avenue, Austin, TX 78745"],
        birth_date=date(1983, 5, 14),
    )
    records = make_records(args.records)
    best = float("inf")
    for _ in range(args.repeat):
        matcher = ProfileMatcher(profile, today=date(2026, 6, 1))  # cold caches each round
        start = time.perf_counter()
        matches = matcher.score_many(records)
        best = min(best, time.perf_counter() - start)
    persons = sum(
        1
        for m in matches
        if m.kind == FindingKind.PERSON_RECORD and m.confidence >= DEFAULT_THRESHOLD
    )
    linked = sum(1 for m in matches if m.kind == FindingKind.LINKED_RECORD)
    rate = len(records) / best
    print(
        f"scored {len(records):,} records in {best:.3f} s (best of {args.repeat}, one core): "
        f"{rate:,.0f} records/s; {persons} person_record >= {DEFAULT_THRESHOLD}, {linked} linked"
    )
    return 0 if best < 1.0 or len(records) < 100_000 else 1


if __name__ == "__main__":
    sys.exit(main())
