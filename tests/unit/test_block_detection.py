"""detect_block against 17 real challenge/block pages and our own hard negatives.

The real pages are read from ../shared/data/block-pages (never copied into the
project). 16 are blocks; ``cloudscraper_requested_page_success.html`` is the
control that must not be detected.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from exposure.net.http import HttpClient, HttpSettings, detect_block

BLOCK_PAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "block-pages"
CONTROL = "cloudscraper_requested_page_success.html"
PAGES = sorted(p.name for p in BLOCK_PAGES.glob("*.html")) if BLOCK_PAGES.is_dir() else []
BLOCKS = [name for name in PAGES if name != CONTROL]

VENDOR = {
    "akamai": "Akamai",
    "cloudscraper": "Cloudflare",
    "flaresolverr": "Cloudflare",
    "datadome": "DataDome",
    "incapsula": "Imperva/Incapsula",
    "perimeterx": "PerimeterX/HUMAN",
}

# Our own pages: ordinary answers that share words or scripts with block pages.
PROFILE_PAGE = b"""<!doctype html><html><head><title>Jane Doe (@janedoe) | Example</title>
<script>(function(){window.__CF$cv$params={r:'8a1b2c3d4e5f',t:'MTcwMDAwMDAwMA=='};
var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js';
document.head.appendChild(a);})();</script></head>
<body><header><a href="/">Example</a></header><main><h1>Jane Doe</h1>
<p>Photographer in Leeds. Joined March 2014. 212 followers, 180 following.</p>
<ul><li>Post: a walk by the canal</li><li>Post: new lens, who dis</li></ul>
<p>We are not a robot-free zone: we love robots.</p></main></body></html>"""

LOGIN_PAGE = b"""<!doctype html><html><head><title>Sign in | Example</title>
<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
<body><h1>Sign in to Example</h1><form method="post" action="/login">
<label>Email <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label>
<div class="g-recaptcha" data-sitekey="6LcExample"></div>
<button>Sign in</button></form><p>Forgot your password? <a href="/reset">Reset it</a>.</p>
</body></html>"""

HCAPTCHA_SIGNUP = b"""<html><head><title>Create account</title>
<script src="https://js.hcaptcha.com/1/api.js"></script></head><body>
<h1>Join Example</h1><form><input name="username"><div class="h-captcha"></div>
<button>Join</button></form><p>Already a member? Sign in.</p></body></html>"""

NOT_FOUND_PAGE = b"""<!doctype html><html><head><title>Page not found | Example</title></head>
<body><h1>404</h1><p>Sorry, this page isn't available. The link may be broken,
or the page may have been removed. Access to deleted profiles is denied.</p></body></html>"""

JSON_ANSWER = b'{"login": "janedoe", "id": 12345, "type": "User", "captcha": false}'

AKAMAI_CLASSIC = b"""<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>
<H1>Access Denied</H1>You don't have permission to access
"http&#58;&#47;&#47;shop&#46;example&#46;test&#47;" on this server.<P>
Reference&#32;&#35;18&#46;1234&#46;5678&#46;9abc
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;1234</P></BODY></HTML>"""


def _read(name: str) -> bytes:
    return (BLOCK_PAGES / name).read_bytes()


def test_the_real_pages_are_there() -> None:
    if not BLOCK_PAGES.is_dir():
        pytest.skip("../shared/data/block-pages is not beside the repo")
    assert len(PAGES) == 17 and CONTROL in PAGES and len(BLOCKS) == 16


@pytest.mark.parametrize("name", BLOCKS)
@pytest.mark.parametrize("status", [403, 503, 200])
def test_real_block_pages_are_detected(name: str, status: int) -> None:
    reason = detect_block(status, {"Content-Type": "text/html"}, _read(name))
    assert reason is not None, name
    assert reason.startswith(VENDOR[name.split("_")[0]]), reason
    assert reason.endswith(f"(HTTP {status})")
    assert len(reason) < 60


@pytest.mark.parametrize("status", [200, 403, 404, 503])
def test_control_page_is_not_a_block(status: int) -> None:
    if CONTROL not in PAGES:
        pytest.skip("control page missing")
    assert detect_block(status, {"Content-Type": "text/html"}, _read(CONTROL)) is None


@pytest.mark.parametrize(
    "body", [PROFILE_PAGE, LOGIN_PAGE, HCAPTCHA_SIGNUP, JSON_ANSWER], ids=lambda b: b[:20]
)
def test_ordinary_pages_are_not_blocks(body: bytes) -> None:
    assert detect_block(200, {"Server": "cloudflare", "X-DataDome": "protected"}, body) is None


def test_a_404_page_is_not_a_block() -> None:
    assert detect_block(404, {}, NOT_FOUND_PAGE) is None
    assert detect_block(404, {}, b"") is None


def test_weak_markers_count_on_a_refusal() -> None:
    assert detect_block(403, {}, LOGIN_PAGE) == "captcha (reCAPTCHA) (HTTP 403)"
    assert detect_block(503, {}, HCAPTCHA_SIGNUP) == "captcha (hCaptcha) (HTTP 503)"
    assert detect_block(403, {}, PROFILE_PAGE) == "Cloudflare challenge (HTTP 403)"
    turnstile = b'<script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script>'
    assert detect_block(403, {}, turnstile) == "captcha (Turnstile) (HTTP 403)"
    assert detect_block(200, {}, turnstile) is None


def test_headers_alone() -> None:
    assert detect_block(403, {"cf-mitigated": "challenge"}, b"") == (
        "Cloudflare challenge (HTTP 403)"
    )
    assert detect_block(200, {"CF-Mitigated": "challenge"}, b"") is not None
    assert detect_block(403, {"x-datadome": "protected"}, b"") == "DataDome block (HTTP 403)"
    assert detect_block(403, {"Set-Cookie": "datadome=abc; Path=/"}, b"<p>no</p>") is not None
    assert detect_block(200, {"Set-Cookie": "datadome=abc; Path=/"}, b"<p>hi</p>") is None


def test_rate_limit_and_plain_refusals() -> None:
    assert detect_block(429, {}, b"Too Many Requests") == "rate limited (HTTP 429)"
    assert detect_block(429, {}, b"") == "rate limited (HTTP 429)"
    # A vendor page on a 429 names the vendor.
    assert detect_block(429, {}, _read(BLOCKS[0])) is not None
    # A bare 403 without any marker is the checker's business, not a WAF page.
    assert detect_block(403, {}, b"<h1>Forbidden</h1>") is None
    assert detect_block(500, {}, b"oops") is None


def test_akamai_classic_access_denied() -> None:
    assert detect_block(403, {}, AKAMAI_CLASSIC) == "Akamai block (HTTP 403)"


def test_only_the_first_64_kib_are_read() -> None:
    late = b"<p>" + b"x" * (70 * 1024) + b"</p><script>cf_chl_opt={}</script>"
    assert detect_block(403, {}, late) is None
    early = b"<script>cf_chl_opt={}</script>" + b"x" * (70 * 1024)
    assert detect_block(403, {}, early) == "Cloudflare challenge (HTTP 403)"


def test_binary_and_odd_bodies_do_not_crash() -> None:
    assert detect_block(200, {}, bytes(range(256)) * 10) is None
    assert detect_block(200, {}, "Ünïcødé page ✓".encode()) is None


# Served over HTTP: the client exposes the verdict as Response.block_reason.


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("flaresolverr_cloudflare_init_v1.html", 403),
        ("cloudscraper_js_challenge_11_12_2019.html", 503),
        ("datadome_interstitial_liverpoolfc_hypersdk.html", 403),
        ("perimeterx_vendor_block_template_nodecore.mustache.html", 403),
        ("incapsula_request_unsuccessful_iframe_ziplokk1.html", 200),
        ("akamai_sec_cpt_challenge_fragment_hypersdk.html", 200),
    ],
)
def test_block_reason_over_http(httpserver: HTTPServer, name: str, status: int) -> None:
    if name not in PAGES:
        pytest.skip("page missing")
    httpserver.expect_request("/u/jane").respond_with_data(
        _read(name), status=status, content_type="text/html"
    )
    settings = HttpSettings(retries=0, min_interval=0.0, respect_robots=False)
    with HttpClient(settings) as client:
        response = client.get(httpserver.url_for("/u/jane"))
    assert response.status == status and response.tries == 1
    assert response.block_reason is not None
    assert response.block_reason.endswith(f"(HTTP {status})")


def test_no_block_reason_for_an_ordinary_page_over_http(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/login").respond_with_data(LOGIN_PAGE, content_type="text/html")
    settings = HttpSettings(retries=0, min_interval=0.0, respect_robots=False)
    with HttpClient(settings) as client:
        assert client.get(httpserver.url_for("/login")).block_reason is None
