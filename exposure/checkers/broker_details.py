"""Detail pages for the brokers checker: a second look at records left unclear.

A record that carries the person's name but says too little of its place or
age (:func:`exposure.extract.detail.record_unclear`), or whose evidence is
split (her town, but an age years off hers: her with a wrong age, or a parent
or child of her name), and so stays under the threshold is looked at once
more on its own page: one polite request per
record, at most ``[checkers.brokers] detail_pages`` (3) records per broker per
scan, the most likely first. The record is then scored again, with the
page's other records, on what both pages show. The detail page's capture goes
with the finding (the evidence keeps both pages). A detail page that is
blocked, fails or does not show the person changes nothing but the reasons:
the results page's verdict stands.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from exposure.errors import ExposureError
from exposure.model import Capture, FindingKind
from exposure.urls import is_web_url

if TYPE_CHECKING:
    from exposure.catalogues.brokers import Broker
    from exposure.checkers.base import ScanContext
    from exposure.extract import Record
    from exposure.people.matching import ProfileMatcher, RecordMatch

DEFAULT_DETAIL_PAGES = 3


class DetailBudget:
    """How many detail pages each broker may still be asked for in this scan."""

    def __init__(self, per_broker: int = DEFAULT_DETAIL_PAGES) -> None:
        self.per_broker = max(0, per_broker)
        self._used: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, broker_id: str) -> bool:
        with self._lock:
            used = self._used.get(broker_id, 0)
            if used >= self.per_broker:
                return False
            self._used[broker_id] = used + 1
            return True


@dataclass
class Details:
    """The page's records and matches after the detail pages, and their captures."""

    records: list[Record]
    matches: list[RecordMatch]
    captures: dict[int, Capture] = field(default_factory=dict)  # record index -> detail page


def candidates(
    records: list[Record], matches: list[RecordMatch], threshold: float, search_url: str
) -> list[int]:
    """Indexes of the records worth a detail page, the most likely first."""
    from exposure.extract.detail import record_unclear

    host = urlsplit(search_url).hostname
    out = [
        i
        for i, (record, match) in enumerate(zip(records, matches, strict=True))
        if match.kind is FindingKind.PERSON_RECORD
        and match.carries_name
        and match.confidence < threshold
        and record.url
        and record.url != search_url
        and is_web_url(record.url)
        and urlsplit(record.url).hostname == host  # the broker's own page, no other site
        and (record_unclear(record) or match.split)
    ]
    return sorted(out, key=lambda i: -matches[i].confidence)


def read_details(
    ctx: ScanContext,
    broker: Broker,
    search_url: str,
    records: list[Record],
    matches: list[RecordMatch],
    scorer: ProfileMatcher,
    budget: DetailBudget,
    region: str,
) -> Details:
    """Follow the unclear records' own links (within ``budget``) and score again."""
    from exposure.extract.detail import merge_detail

    threshold = ctx.config.confidence_threshold
    chosen = [i for i in candidates(records, matches, threshold, search_url)]
    records = list(records)
    notes: dict[int, str] = {}
    captures: dict[int, Capture] = {}
    for i in chosen:
        if not budget.take(broker.id):
            break
        looked = _look(ctx, broker, records[i], region)
        if isinstance(looked, str):
            notes[i] = f"detail page not read ({looked}): judged on the results page alone"
            continue
        detail, capture = looked
        captures[i] = capture
        if detail is None:
            notes[i] = "detail page read; it does not show this person"
            continue
        records[i], added = merge_detail(records[i], detail)
        notes[i] = f"detail page read: it adds {added.describe()}"
    if not notes:
        return Details(records, matches)
    if captures:
        matches = scorer.score_many(records)
    for i, note in notes.items():
        matches[i].reasons.append(note)
    return Details(records, matches, captures)


def _look(
    ctx: ScanContext, broker: Broker, record: Record, region: str
) -> tuple[Record | None, Capture] | str:
    """The person on the record's own page and its capture, or why it could not be read."""
    from exposure.extract.detail import read_detail
    from exposure.net import http

    assert record.url is not None
    respect = ctx.checker_config("brokers").get("respect_robots")
    try:
        resp: Any = ctx.http.get(record.url, respect_robots=respect)
    except http.RobotsDisallowed:
        return "robots.txt disallows it"
    except (http.FetchError, ExposureError) as exc:
        return str(getattr(exc, "reason", None) or exc or type(exc).__name__)
    if resp.block_reason:
        return f"blocked: {resp.block_reason}"
    if not 200 <= resp.status < 300:
        return f"HTTP {resp.status}"
    page = str(resp.text) if "charset" in (resp.content_type or "").lower() else bytes(resp.body)
    try:
        detail = read_detail(
            page,
            resp.final_url or record.url,
            record.name,
            hints=broker.hints,
            default_region=region,
        )
    except Exception as exc:  # noqa: BLE001 - an extractor bug leaves the verdict as it was, said
        return f"extraction failed: {type(exc).__name__}"
    return detail, resp.capture()
