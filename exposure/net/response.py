"""An HTTP answer, and how its body is read: decoded, capped, on the clock.

Bodies are capped after decoding: the body is streamed in small decoded
chunks and cut at ``max_bytes``; a gzip bomb costs at most the cap. A body
over the cap is *truncated*, not refused (``Response.truncated``): the first
5 MiB of a huge results page are still evidence.
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict

from exposure.model import Capture
from exposure.net.blocks import detect_block
from exposure.net.watchdog import Watch

CHUNK = 16 * 1024  # decoded bytes per body read


@dataclass
class Response:
    """An HTTP answer, body already decoded and capped."""

    status: int
    headers: CaseInsensitiveDict[str]
    body: bytes
    url: str  # as requested
    final_url: str  # after redirects
    elapsed_ms: int = 0  # the whole request: every try, wait and redirect
    tries: int = 1
    truncated: bool = False  # the body was longer than max_bytes and was cut there
    # seconds a Retry-After asked for that were not waited (above the cap, or
    # longer than the deadline has left)
    retry_after: float | None = None
    _block: Any = field(default=False, init=False, repr=False, compare=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8 (bad bytes replaced)."""
        charset = requests.utils.get_encoding_from_headers(self.headers) or "utf-8"
        if charset.lower() == "iso-8859-1" and "charset" not in self.content_type.lower():
            charset = "utf-8"  # requests' RFC 2616 default for text/*; the web is UTF-8
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    @property
    def block_reason(self) -> str | None:
        """Why this answer looks like a WAF/captcha/rate-limit page, or None."""
        if self.status == 429 and self.retry_after is not None:
            return f"rate limited (HTTP 429); retry after {math.ceil(self.retry_after)}s"
        if self._block is False:
            self._block = detect_block(self.status, self.headers, self.body)
        return self._block

    def capture(self) -> Capture:
        return Capture(
            body=self.body, url=self.url, final_url=self.final_url, content_type=self.content_type
        )


def header_text(value: str) -> str:
    """A header as sent: servers put UTF-8 in headers that http.client reads as Latin-1."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def stub(resp: Any, url: str) -> Response:
    return Response(
        status=resp.status,
        headers=CaseInsensitiveDict(resp.headers),
        body=b"",
        url=url,
        final_url=url,
    )


def read_body(resp: Any, watch: Watch, max_bytes: int) -> tuple[bytes, bool]:
    """Read the decoded body in small chunks up to ``max_bytes``; True when cut."""
    chunks: list[bytes] = []
    total = 0
    for chunk in resp.stream(CHUNK, decode_content=True):
        if watch.fired or time.monotonic() >= watch.deadline:
            watch.check(time.monotonic())
            break
        room = max_bytes - total
        if len(chunk) > room:
            chunks.append(chunk[:room])
            return b"".join(chunks), True
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks), False


def retry_status(status: int) -> bool:
    return status == 429 or (500 <= status < 600 and status not in (501, 505))


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds asked for by ``Retry-After`` (delta-seconds or HTTP-date), or None."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
