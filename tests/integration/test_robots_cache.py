"""robots.txt answers kept between scans for a day (RFC 9309 section 2.4)."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from exposure.net.http import FetchError, HttpClient, RobotsDisallowed
from exposure.net.robots_disk import TTL_SECONDS, RobotsDisk
from exposure.net.settings import HttpSettings


def client(cache: Path) -> HttpClient:
    return HttpClient(
        HttpSettings(min_interval=0.0, retries=0, deadline=5.0, robots_cache=str(cache))
    )


def robots_hits(server: HTTPServer) -> int:
    return sum(1 for request, _ in server.log if request.path == "/robots.txt")


def test_a_second_client_within_a_day_does_not_ask_for_robots_again(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private\n"
    )
    httpserver.expect_request("/ok").respond_with_data("fine")
    cache = tmp_path / "robots.json"
    with client(cache) as first:
        assert first.request("GET", httpserver.url_for("/ok")).status == 200
    assert robots_hits(httpserver) == 1
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600
    with client(cache) as second:
        assert second.request("GET", httpserver.url_for("/ok")).status == 200
        with pytest.raises(RobotsDisallowed):  # the remembered rules still apply
            second.request("GET", httpserver.url_for("/private"))
    assert robots_hits(httpserver) == 1


def test_an_unreachable_robots_txt_is_not_remembered(httpserver: HTTPServer, tmp_path: Path):
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    cache = tmp_path / "robots.json"
    for _ in range(2):
        with client(cache) as c, pytest.raises(FetchError, match="robots.txt"):
            c.request("GET", httpserver.url_for("/ok"))
    assert robots_hits(httpserver) == 2


def test_a_stale_or_broken_cache_is_ignored(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/ok").respond_with_data("fine")
    cache = tmp_path / "robots.json"
    origin = httpserver.url_for("/").rstrip("/")
    old = {origin: {"at": time.time() - TTL_SECONDS - 5, "verdict": "allow", "text": ""}}
    cache.write_text(json.dumps(old), encoding="utf-8")
    with client(cache) as c:
        c.request("GET", httpserver.url_for("/ok"))
    assert robots_hits(httpserver) == 1  # the day-old answer was asked again
    cache.write_text("{broken", encoding="utf-8")
    assert RobotsDisk(cache).get(origin) is None
