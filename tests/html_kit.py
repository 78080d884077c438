"""The start tags of an HTML text, for tests that look for anything that could run."""

from __future__ import annotations

from html.parser import HTMLParser

Tag = tuple[str, dict[str, str | None]]


class Tags(HTMLParser):
    """Collects every start (and self-closing) tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags_of(html_text: str) -> list[Tag]:
    parser = Tags()
    parser.feed(html_text)
    parser.close()
    return parser.tags
