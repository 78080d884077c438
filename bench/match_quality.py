"""Precision / recall of person_record findings on the labelled fixture pages.

Run by hand: ``/work/venv/bin/python bench/match_quality.py [--threshold 0.6] [--sweep]``.

For every page in tests/fixtures/brokers/labels.json we run the real pipeline
— :func:`exposure.extract.records.extract_records` then
:class:`exposure.people.matching.ProfileMatcher` for the page's profile — and compare
with the labels. A true record that extraction missed counts as a false
negative. Reported per layout group (dev = tuned on, held-out = not) and
overall, plus extraction recall (labelled records found) and furniture false
records (extracted records that are no labelled person). tests/test_matching.py
imports :func:`evaluate` to hold the dev numbers in CI.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "brokers"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    labelled: int = 0
    extracted_ok: int = 0
    furniture: int = 0
    linked_tp: int = 0
    linked_truth: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def extraction_recall(self) -> float:
        return self.extracted_ok / self.labelled if self.labelled else 1.0

    def add(self, other: Tally) -> None:
        for name in ("tp", "fp", "fn", "labelled", "extracted_ok", "furniture", "linked_tp",
                     "linked_truth"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


def _profiles(fixtures: Path = FIXTURES) -> dict[str, Any]:
    from exposure.model import Profile

    data = json.loads((fixtures / "profiles.json").read_text(encoding="utf-8"))
    return {p["id"]: Profile.from_dict(p) for p in data}


def _region(profile: Any) -> str:
    from exposure.people.profile import region_of_location

    for loc in profile.locations:
        code = region_of_location(loc)
        if code:
            return code
    return "US"


def evaluate(threshold: float | None = None, fixtures: Path | None = None) -> dict[str, Tally]:
    """Tallies per group ("dev", "heldout") and per layout ("layout:cards", ...).

    ``fixtures`` is another folder of pages with the same labels.json/profiles.json
    format (e.g. tests/fixtures/brokers_blind, group "blind"); default: the dev set."""
    from exposure.extract import extract_records
    from exposure.model import FindingKind
    from exposure.people.matching import DEFAULT_THRESHOLD, ProfileMatcher
    from exposure.people.names import fold

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    fixtures = FIXTURES if fixtures is None else Path(fixtures)
    meta = json.loads((fixtures / "labels.json").read_text(encoding="utf-8"))
    today = date.fromisoformat(meta["today"])
    profiles = _profiles(fixtures)
    matchers = {pid: ProfileMatcher(p, today=today) for pid, p in profiles.items()}
    out: dict[str, Tally] = {}
    for page, info in meta["pages"].items():
        profile = profiles[info["profile"]]
        records = extract_records(
            (fixtures / page).read_bytes(), info["base_url"], default_region=_region(profile)
        )
        matches = matchers[info["profile"]].score_many(records)
        tally = Tally()
        tally.labelled = len(info["records"])
        tally.linked_truth = sum(1 for r in info["records"] if r["truth"] == "linked")
        left = list(info["records"])
        for record, match in zip(records, matches, strict=True):
            label = _label_for(record, left, fold)
            if label is None:
                tally.furniture += 1
                tally.errors.append(f"{page}: furniture record {record.name!r}")
                truth = "other"
            else:
                left.remove(label)
                tally.extracted_ok += 1
                truth = label["truth"]
            predicted = match.kind == FindingKind.PERSON_RECORD and match.confidence >= threshold
            if predicted and truth == "person":
                tally.tp += 1
            elif predicted:
                tally.fp += 1
                tally.errors.append(f"{page}: FP {record.name!r} ({truth}) {match.reasons}")
            elif truth == "person":
                tally.fn += 1
                tally.errors.append(
                    f"{page}: FN {record.name!r} {match.confidence:.2f} {match.reasons}"
                )
            if truth == "linked" and match.kind == FindingKind.LINKED_RECORD:
                tally.linked_tp += 1
        # Labels no extracted record consumed: a missed true record is a false negative.
        tally.fn += sum(1 for label in left if label["truth"] == "person")
        tally.errors += [f"{page}: not extracted {label['name']!r}" for label in left]
        for group in (info["group"], f"layout:{info['layout']}", "overall"):
            out.setdefault(group, Tally()).add(tally)
    return out


def _label_for(record: Any, left: list[dict[str, Any]], fold: Any) -> dict[str, Any] | None:
    """The label of an extracted record: by the slug in its link (names repeat on a
    page: namesakes), else by name."""
    key = fold(record.name)
    named = [label for label in left if fold(label["name"]) == key]
    for label in named:
        slug = label.get("slug")
        if slug and record.url and re.search(re.escape(slug) + r"(?:$|[#?&/])", record.url):
            return label
    return named[0] if named else None


def _line(label: str, t: Tally) -> str:
    return (
        f"{label:<18} P {t.precision:5.3f}  R {t.recall:5.3f}  (tp {t.tp:3d} fp {t.fp:2d} "
        f"fn {t.fn:2d})  extraction {t.extracted_ok}/{t.labelled} = {t.extraction_recall:5.3f}"
        f"  furniture {t.furniture}  linked {t.linked_tp}/{t.linked_truth}"
    )


def main(argv: list[str] | None = None) -> int:
    from exposure.people.matching import DEFAULT_THRESHOLD

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="P/R at thresholds 0.40..0.90")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, metavar="DIR",
                        help="labelled pages folder (default: tests/fixtures/brokers)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.sweep:
        for step in range(40, 91, 2):
            res = evaluate(step / 100, args.fixtures)
            print(f"t={step / 100:.2f}  " + "   ".join(
                f"{g} P {res[g].precision:.3f} R {res[g].recall:.3f}"
                for g in ("dev", "heldout", "blind") if g in res))  # fmt: skip
        return 0
    res = evaluate(args.threshold, args.fixtures)
    print(f"person_record at threshold {args.threshold:.2f}")
    for key in ("dev", "heldout", "blind", "overall"):
        if key in res:
            print(_line(key, res[key]))
    for key in sorted(k for k in res if k.startswith("layout:")):
        print(_line("  " + key[7:], res[key]))
    if args.verbose:
        for err in res["overall"].errors:
            print("  ", err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
