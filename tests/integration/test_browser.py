"""The browser fetcher (exposure.net.browser) against loopback pages, with the system Chromium.

Skipped, saying why, where the browser extra or a system Chromium is missing;
CI installs both (.ci/run).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from browserweb import BrowserWeb

from exposure.model import CaptureMethod
from exposure.net.browser import BrowserFetcher, browser_missing
from exposure.net.http import FetchError, HttpClient, HttpSettings, RobotsDisallowed

MISSING = browser_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture
def web() -> Iterator[BrowserWeb]:
    server = BrowserWeb()
    yield server
    server.close()


def settings(**over: object) -> HttpSettings:
    base: dict[str, object] = dict(retries=0, backoff=0.0, min_interval=0.0, deadline=10.0)
    base.update(over)
    return HttpSettings(**base)  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[BrowserFetcher]:
    http = HttpClient(settings())
    browser = BrowserFetcher(http)
    yield browser
    browser.close()
    http.close()


def test_records_built_by_javascript_are_in_the_rendered_dom(
    web: BrowserWeb, fetcher: BrowserFetcher
) -> None:
    plain = fetcher.http.get(f"{web.base}/js/search?q=Jane+Doe")
    assert b"Jane Q Doe" not in plain.body  # the shell has no records
    page = fetcher.render(f"{web.base}/js/search?q=Jane+Doe")
    assert page.status == 200
    assert b"Jane Q Doe" in page.body and b"result-card" in page.body
    assert web.hits["/api/people"] == 1  # the browser's fetch went through the HTTP client
    capture = page.capture()
    assert capture.method is CaptureMethod.RENDERED
    assert capture.body == page.body and len(capture.sha256) == 64
    assert page.block_reason is None


def test_a_js_challenge_that_sets_a_cookie_and_reloads_passes(
    web: BrowserWeb, fetcher: BrowserFetcher
) -> None:
    plain = fetcher.http.get(f"{web.base}/challenge/search")
    assert plain.block_reason is not None  # plain HTTP: blocked
    page = fetcher.render(f"{web.base}/challenge/search")
    assert page.block_reason is None, page.body[:300]
    assert page.status == 200
    assert b"Jane Q Doe" in page.body
    assert web.hits["/challenge/search"] >= 3  # plain, challenge, reload with the cookie


def test_a_challenge_still_there_after_rendering_stays_blocked(
    web: BrowserWeb, fetcher: BrowserFetcher
) -> None:
    page = fetcher.render(f"{web.base}/assisted/search")  # nobody solves it
    assert page.status == 403
    assert page.block_reason is not None and "Cloudflare" in page.block_reason


def test_navigation_to_another_host_is_refused(web: BrowserWeb, fetcher: BrowserFetcher) -> None:
    with pytest.raises(FetchError, match="navigation off the source's host refused"):
        fetcher.render(f"{web.base}/away/search")
    assert web.hits["/elsewhere"] == 0


def test_a_page_that_never_settles_is_cut_at_the_deadline(web: BrowserWeb) -> None:
    http = HttpClient(settings(deadline=2.0))
    with BrowserFetcher(http) as browser, pytest.raises(FetchError, match="never settled"):
        browser.render(f"{web.base}/forever/search")
    http.close()


def test_popups_are_closed_and_downloads_never_saved(
    web: BrowserWeb, fetcher: BrowserFetcher
) -> None:
    page = fetcher.render(f"{web.base}/popup/search")
    assert b"Jane Q Doe" in page.body
    assert "popup closed" in page.refused
    assert not any(fetcher.profile_dir.rglob("x.bin"))


def test_robots_txt_is_kept(web: BrowserWeb, fetcher: BrowserFetcher) -> None:
    with pytest.raises(RobotsDisallowed):
        fetcher.render(f"{web.base}/forbidden/search")
    assert web.hits["/forbidden/search"] == 0
    page = fetcher.render(f"{web.base}/forbidden/search", respect_robots=False)
    assert b"Jane Q Doe" in page.body


def test_a_public_page_may_not_reach_a_private_address() -> None:
    # 127.0.0.2 stands in for a public site; 127.0.0.1 is "the person's router".
    public = BrowserWeb(host="127.0.0.2")
    private = BrowserWeb(host="127.0.0.1")
    http = HttpClient(settings(public_test_networks=("127.0.0.2/32",)))
    try:
        with BrowserFetcher(http) as browser:
            page = browser.render(f"{public.base}/peek/search?to={private.base}/secret")
        assert b"router admin secret" not in page.body
        assert private.hits["/secret"] == 0
        assert any("private address refused" in r for r in page.refused)
    finally:
        http.close()
        public.close()
        private.close()


def test_the_rendered_dom_is_capped(web: BrowserWeb) -> None:
    http = HttpClient(settings(max_bytes=300))
    with BrowserFetcher(http) as browser:
        page = browser.render(f"{web.base}/js/search")
    http.close()
    assert page.truncated and len(page.body) == 300


def test_cancel_stops_a_render(web: BrowserWeb) -> None:
    from exposure.net.http import Cancelled

    cancel = threading.Event()
    http = HttpClient(settings(deadline=20.0), cancel)
    with BrowserFetcher(http) as browser:
        threading.Timer(0.8, cancel.set).start()
        with pytest.raises(Cancelled):
            browser.render(f"{web.base}/forever/search")
    http.close()


def test_the_temporary_profile_is_wiped(web: BrowserWeb) -> None:
    http = HttpClient(settings())
    browser = BrowserFetcher(http)
    browser.render(f"{web.base}/static/?page=results.html")
    folder = browser.profile_dir
    assert folder.is_dir()
    browser.close()
    http.close()
    assert not folder.exists()
