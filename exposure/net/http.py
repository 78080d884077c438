"""One polite HTTP client for every checker.

Public API (other modules code against exactly this):

    settings_from(config: HttpConfig, timeout: float | None = None) -> HttpSettings
    HttpClient(settings: HttpSettings, cancel: threading.Event | None = None)
        .request(method, url, *, headers=None, data=None, allow_redirects=True,
                 respect_robots=None) -> Response
            # an HTTP answer of any status -> Response (retries on 429/5xx done inside;
            # the last answer is returned when retries run out)
            # no answer at all -> raises FetchError(failure, reason)  (timeout, DNS, ...)
            # robots.txt forbids it -> raises RobotsDisallowed(reason)
            # cancel event set -> raises Cancelled
        .get(url, **kw) -> Response
        .pace(url, interval)   # an API's own rate limit: slow that host's gate down
        .close()
    Response: status, headers (case-insensitive), body: bytes (decoded, capped),
              url (requested), final_url, elapsed_ms, tries, truncated, .text (str),
              .block_reason (str|None), .capture() -> exposure.model.Capture
    detect_block(status: int, headers: Mapping[str, str], body: bytes) -> str | None
    host_key(url: str) -> str   # registered domain, or the IP address for IP/loopback hosts
    private_address(host: str, *, resolve=True, public=()) -> bool   # loopback/private/...?
    make_session(settings) -> requests.Session   # the one session factory
    FetchError.failure: Failure   # an enum: decide on it, never on the wording

Where each job lives:

    client.py    HttpClient: hops, redirects, retries, proxies
    gates.py     host_key and the per-host gate (concurrency, interval)
    private.py   the private-address guard for redirects
    robots.py    robots.txt, once per origin
    watchdog.py  deadlines that hold: sockets of an overrun try are shut down
    response.py  Response, and reading a body decoded and capped
    blocks.py    detect_block: WAF/challenge/captcha pages
    session.py   the one requests.Session factory
    settings.py  HttpSettings from [http] config
    errors.py    FetchError/Failure, RobotsDisallowed, Cancelled
"""

from exposure.net.blocks import detect_block
from exposure.net.client import MAX_REDIRECTS, HttpClient
from exposure.net.errors import Cancelled, Failure, FetchError, RobotsDisallowed
from exposure.net.gates import host_key
from exposure.net.private import check_address, private_address
from exposure.net.response import Response
from exposure.net.session import make_session
from exposure.net.settings import HttpSettings, settings_from

__all__ = [
    "MAX_REDIRECTS",
    "Cancelled",
    "Failure",
    "FetchError",
    "HttpClient",
    "HttpSettings",
    "Response",
    "RobotsDisallowed",
    "check_address",
    "detect_block",
    "host_key",
    "make_session",
    "private_address",
    "settings_from",
]
