"""``exposure sources list|validate|update`` through the real CLI entry point."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import exposure.net.http
from exposure.cli import main
from exposure.cli.commands.sources import CACHE_NAME, DEFAULT_UPDATE_URL

needs_http = pytest.mark.skipif(
    not hasattr(exposure.net.http, "HttpClient"),
    reason="exposure.net.http.HttpClient not implemented",
)


def wmn_doc(*names: str, **extra: Any) -> dict[str, Any]:
    sites = []
    for i, name in enumerate(names):
        site = {
            "name": name,
            "uri_check": f"https://s{i}.example.test/u/{{account}}",
            "e_code": 200,
            "e_string": "profile",
            "m_code": 404,
            "m_string": "",
            "known": ["alice"],
            "cat": "coding" if i % 2 else "social",
        }
        site.update(extra)
        sites.append(site)
    return {"license": [], "authors": ["x"], "categories": ["social", "coding"], "sites": sites}


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def cache_file(home: Path) -> Path:
    return home / "cache" / CACHE_NAME


def configure(home: Path, url: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f"[http]\nmin_interval = 0.0\nretries = 0\ntimeout = 3.0\ndeadline = 5.0\n\n"
        f'[checkers.sites]\nupdate_url = "{url}"\n'
        # JustDeleteMe's list comes from the same local server: never the internet.
        f'jdm_url = "{url.rsplit("/", 1)[0]}/jdm-sites.json"\n',
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- validate


def test_validate_reports_format_counts_and_skips(tmp_path: Path, capsys) -> None:
    doc = wmn_doc("One", "Two", "Three")
    doc["sites"][1]["valid"] = False
    path = write_json(tmp_path / "w.json", doc)
    assert main(["sources", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: WhatsMyName catalogue, 2 sites loaded, 1 skipped" in out
    assert "skipped Two: marked not valid" in out


def test_validate_sherlock_json(tmp_path: Path, capsys) -> None:
    path = write_json(
        tmp_path / "s.json",
        {
            "A": {"url": "https://a.example.test/{}", "errorType": "status_code"},
            "B": {"url": "https://b.example.test/{}", "errorType": "magic"},
        },
    )
    assert main(["sources", "validate", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "sherlock" and doc["sites"] == 1
    assert doc["skipped"] == [{"name": "B", "reason": "unknown errorType 'magic'"}]


@pytest.mark.parametrize(
    "content",
    [
        "{nope",
        '{"sites": [{"name": "Bad", "uri_check": "file:///etc/passwd"}]}',
        '{"weird": true}',
    ],
)
def test_validate_broken_file_exits_2_with_one_line(tmp_path: Path, capsys, content) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert main(["sources", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and err.startswith("exposure: error:")


def test_validate_missing_file_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["sources", "validate", str(tmp_path / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_validate_cleans_hostile_text(tmp_path: Path, capsys) -> None:
    doc = wmn_doc("Evil\x1b[31mRed\x07", "Fine")
    doc["sites"][0]["valid"] = False
    path = write_json(tmp_path / "w.json", doc)
    assert main(["sources", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "EvilRed" in out


# --------------------------------------------------------------------------- list


def test_list_shows_chosen_file_and_cached_copy(tmp_path: Path, exposure_home: Path, capsys):
    chosen = write_json(tmp_path / "mine.json", wmn_doc("A", "B", "C"))
    cached = cache_file(exposure_home)
    cached.parent.mkdir(parents=True)
    write_json(cached, wmn_doc("X", "Y"))
    assert main(["sources", "list", "--sites", str(chosen), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    first, second = doc["catalogues"]
    assert first["label"] == "file" and first["sites"] == 3
    assert first["categories"] == {"social": 2, "coding": 1}
    assert second["label"] == "cached" and second["sites"] == 2 and second["format"] == "wmn"
    assert second["updated_at"].endswith("Z")

    assert main(["sources", "list", "--sites", str(chosen)]) == 0
    text = capsys.readouterr().out
    assert "WhatsMyName: 3 sites" in text and "social 2, coding 1" in text
    assert "cached" in text and str(cached) in text


def test_list_bundled_catalogue(capsys) -> None:
    from exposure.catalogues.sites import default_path

    if not default_path().exists():
        pytest.skip("data/sites.json is not written yet")
    assert main(["sources", "list", "--format", "json"]) == 0
    (bundled,) = json.loads(capsys.readouterr().out)["catalogues"]
    assert bundled["label"] == "bundled" and bundled["sites"] >= 160
    assert sum(bundled["categories"].values()) == bundled["sites"]


def test_list_with_broken_sites_file_exits_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["sources", "list", "--sites", str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err


def test_list_reports_a_broken_cache(tmp_path: Path, exposure_home: Path, capsys) -> None:
    chosen = write_json(tmp_path / "mine.json", wmn_doc("A"))
    cached = cache_file(exposure_home)
    cached.parent.mkdir(parents=True)
    cached.write_text("garbage", encoding="utf-8")
    assert main(["sources", "list", "--sites", str(chosen)]) == 1
    assert "cached   unusable:" in capsys.readouterr().out


# --------------------------------------------------------------------------- update


def test_default_update_url_is_whatsmyname_main() -> None:
    assert DEFAULT_UPDATE_URL == (
        "https://raw.githubusercontent.com/WebBreacher/WhatsMyName/main/wmn-data.json"
    )


@needs_http
def test_update_saves_a_good_file(httpserver: HTTPServer, exposure_home: Path, capsys) -> None:
    body = json.dumps(wmn_doc("A", "B")).encode()
    httpserver.expect_request("/wmn-data.json").respond_with_data(body)
    configure(exposure_home, httpserver.url_for("/wmn-data.json"))
    assert main(["sources", "update"]) == 0
    target = cache_file(exposure_home)
    assert target.read_bytes() == body
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert "2 sites" in capsys.readouterr().out
    paths = [req.path for req, _ in httpserver.log]
    assert paths == ["/wmn-data.json", "/jdm-sites.json"]  # no robots.txt


@needs_http
@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        (b"{broken", 200, "rejected"),
        (
            json.dumps({"sites": [{"name": "X", "uri_check": "ftp://x/{account}"}]}).encode(),
            200,
            "rejected",
        ),
        (
            json.dumps({"A": {"url": "https://a.test/{}", "errorType": "status_code"}}).encode(),
            200,
            "not a WhatsMyName catalogue",
        ),
        (b"gone", 404, "HTTP 404"),
    ],
)
def test_update_rejects_bad_answers_and_keeps_the_old_cache(
    httpserver: HTTPServer, exposure_home: Path, capsys, body: bytes, status: int, needle: str
) -> None:
    old = cache_file(exposure_home)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old copy")
    httpserver.expect_request("/wmn-data.json").respond_with_data(body, status=status)
    configure(exposure_home, httpserver.url_for("/wmn-data.json"))
    assert main(["sources", "update"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err
    assert old.read_bytes() == b"old copy"
    assert [p.name for p in old.parent.iterdir()] == [CACHE_NAME]  # no temp files left


@needs_http
def test_update_offline_is_one_line_exit_1(exposure_home: Path, capsys) -> None:
    configure(exposure_home, "http://127.0.0.1:9/wmn-data.json")
    assert main(["sources", "update"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("exposure: error: could not download http://127.0.0.1:9/wmn-data.json")
    assert not cache_file(exposure_home).exists()


def test_update_with_broken_config_exits_2(exposure_home: Path, capsys) -> None:
    exposure_home.mkdir(parents=True)
    (exposure_home / "config.toml").write_text("nonsense = [", encoding="utf-8")
    assert main(["sources", "update"]) == 2
    assert "config.toml" in capsys.readouterr().err
