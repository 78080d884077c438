"""The broker catalogue's ``render`` key: plain HTTP (default) or the browser."""

from __future__ import annotations

import pytest

from exposure.catalogues.brokers import Render, parse_brokers
from exposure.checkers.base import CheckerInputError

ENTRY = """
[[broker]]
id = "appsite"
name = "AppSite"
search_url = "https://appsite.example/search?q={full_name}"
"""


def test_render_defaults_to_http_and_accepts_browser() -> None:
    [plain] = parse_brokers(ENTRY, "b.toml")
    assert plain.render is Render.HTTP
    [shown] = parse_brokers(ENTRY + 'render = "browser"\n', "b.toml")
    assert shown.render is Render.BROWSER


@pytest.mark.parametrize("value", ['"chrome"', "true", '""'])
def test_a_bad_render_value_is_one_line_naming_the_entry(value: str) -> None:
    if value == '""':
        [broker] = parse_brokers(ENTRY + f"render = {value}\n", "b.toml")
        assert broker.render is Render.HTTP  # empty means the default
        return
    with pytest.raises(CheckerInputError) as err:
        parse_brokers(ENTRY + f"render = {value}\n", "b.toml")
    message = str(err.value)
    assert "\n" not in message and "appsite" in message and "render" in message
