"""A loopback web of pages that plain HTTP cannot read, for the browser tests.

One threaded ``http.server`` on 127.0.0.1 (or another loopback address). The
first path segment picks the behaviour:

==================  ===========================================================
``js``              an app shell; its script fetches ``/api/people`` (JSON) and
                    builds the result cards from it
``api``             the JSON those cards are built from
``challenge``       503 "Just a moment..." whose script sets a cookie and
                    reloads; with the cookie, the results page
``assisted``        a challenge the script cannot pass: it polls ``/solved`` and
                    only sets the cookie once the person (``solve()``) solved it
``away``            a page whose script navigates to another host
``forever``         a page whose DOM changes every 100 ms, for ever
``popup``           opens a popup and starts a download, then shows results
``peek``            fetches a private address (``?to=``) from its script
``static``          ``?page=NAME``: a fixture page from broker_pages, as it is
``robots.txt``      disallows ``/forbidden/``
==================  ===========================================================

``hits`` counts requests per path, so tests can say what was (not) fetched.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGES = Path(__file__).resolve().parent / "fixtures" / "broker_pages"

PEOPLE = [
    {
        "name": "Jane Q Doe",
        "age": 43,
        "city": "Austin, TX",
        "phone": "(512) 555-0100",
        "link": "/record/jane-q-doe-austin-tx",
    },
    {
        "name": "Jane Doe",
        "age": 71,
        "city": "Portland, OR",
        "phone": "(503) 555-0199",
        "link": "/record/jane-doe-portland-or",
    },
]

APP_SHELL = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>PeopleFinderz</title></head>
<body><div id="root"></div>
<noscript>Please enable JavaScript to use this site.</noscript>
<script>
fetch('/api/people' + location.search).then(r => r.json()).then(people => {
  const root = document.getElementById('root');
  const list = document.createElement('ul');
  list.className = 'results';
  for (const p of people) {
    const li = document.createElement('li');
    li.className = 'result-card';
    li.innerHTML = '<h2><a href="' + p.link + '">' + p.name + '</a></h2>'
      + '<p>Age ' + p.age + '</p><p>Lives in ' + p.city + '</p><p>Phone ' + p.phone + '</p>';
    list.appendChild(li);
  }
  root.appendChild(list);
});
</script></body></html>"""

CHALLENGE = """<!DOCTYPE html>
<html><head><title>Just a moment...</title></head>
<body><p>Checking your browser before accessing the site.</p>
<script>
setTimeout(function () { document.cookie = 'passed=1; path=/'; location.reload(); }, 200);
</script></body></html>"""

ASSISTED = """<!DOCTYPE html>
<html><head><title>Just a moment...</title></head>
<body><p>Verify you are human.</p>
<script>
setInterval(function () {
  fetch('/solved').then(r => r.text()).then(t => {
    if (t === 'yes') { document.cookie = 'passed=1; path=/'; location.reload(); }
  });
}, 150);
</script></body></html>"""

FOREVER = """<!DOCTYPE html>
<html><head><title>Live</title></head><body><p id="t">0</p>
<script>let n = 0; setInterval(() => { document.getElementById('t').textContent = ++n; }, 100);
</script></body></html>"""


def fixture(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


class BrowserWeb:
    """Serves the table above on ``host``; ``other`` is what ``away`` navigates to."""

    def __init__(self, host: str = "127.0.0.1", other: str = "127.0.0.2") -> None:
        self.hits: Counter[str] = Counter()
        self.solved = threading.Event()
        self.other = other
        web = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                web.hits[urlsplit(self.path).path] += 1
                status, ctype, body, extra = web.answer(self.path, self.headers.get("Cookie", ""))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def solve(self) -> None:
        """The person solved the assisted challenge."""
        self.solved.set()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, cookie: str) -> tuple[int, str, str, dict[str, str]]:
        html = "text/html; charset=utf-8"
        parts = urlsplit(path)
        first = parts.path.strip("/").split("/", 1)[0]
        query = parse_qs(parts.query)
        passed = "passed=1" in cookie
        if parts.path == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nDisallow: /forbidden/\n", {}
        if first == "js" or first == "forbidden":
            return 200, html, APP_SHELL, {}
        if first == "api":
            return 200, "application/json", json.dumps(PEOPLE), {}
        if first == "challenge":
            if passed:
                return 200, html, fixture("results.html"), {}
            return 503, html, CHALLENGE, {}
        if first == "assisted":
            if passed:
                return 200, html, fixture("results.html"), {}
            return 403, html, ASSISTED, {}
        if first == "solved":
            return 200, "text/plain", "yes" if self.solved.is_set() else "no", {}
        if first == "away":
            port = self.server.server_address[1]
            script = f"<script>location.href = 'http://{self.other}:{port}/elsewhere';</script>"
            return 200, html, f"<html><body><p>Redirecting</p>{script}</body></html>", {}
        if first == "forever":
            return 200, html, FOREVER, {}
        if first == "popup":
            script = (
                "<script>window.open('/popup-window');"
                "const a = document.createElement('a'); a.href = '/download'; a.download = 'x.bin';"
                "document.body.appendChild(a); a.click();</script>"
            )
            page = fixture("results.html").replace("</body>", script + "</body>")
            return 200, html, page, {}
        if first == "download":
            return (
                200,
                "application/octet-stream",
                "MZ" + "x" * 1000,
                {"Content-Disposition": 'attachment; filename="x.bin"'},
            )
        if first == "peek":
            target = query.get("to", ["http://127.0.0.1:9/"])[0]
            script = (
                f"<script>fetch({json.dumps(target)}).then(r => r.text())"
                ".then(t => document.body.insertAdjacentHTML('beforeend', '<pre>' + t + '</pre>'))"
                "</script>"
            )
            return 200, html, f"<html><body><p>Peek</p>{script}</body></html>", {}
        if first == "secret":
            return 200, "text/plain", "router admin secret", {}
        if first == "static":
            return 200, html, fixture(query.get("page", ["results.html"])[0]), {}
        return 404, html, "<html><body><h1>Not found</h1></body></html>", {}
