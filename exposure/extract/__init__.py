"""Person records from people-search result pages, without per-site selectors.

One module per concern:

* :mod:`~exposure.extract.page` decodes and parses a page, strips page
  furniture (ads, navigation, "people also search") and reads what the page
  says as a whole (no results, built only by JavaScript);
* :mod:`~exposure.extract.segment` finds the repeated blocks that are records;
* :mod:`~exposure.extract.blocks` reads one block into lines, links and name hints;
* :mod:`~exposure.extract.names` and :mod:`~exposure.extract.places` say what
  is a person's name and what is a place;
* :mod:`~exposure.extract.labels` holds the label words sites put before
  places, relatives and aliases;
* :mod:`~exposure.extract.fields` reads ages, phones, emails, places and
  relatives out of a record's text;
* :mod:`~exposure.extract.structured` reads schema.org microdata and JSON-LD
  inside records;
* :mod:`~exposure.extract.scripts` reads the people a page built by
  JavaScript holds only in its scripts (state blobs, ``__NEXT_DATA__``,
  JSON-LD lists), when the visible page has no records;
* :mod:`~exposure.extract.links` finds a record's own link;
* :mod:`~exposure.extract.records` puts it together (:func:`extract_records`).
"""

from exposure.extract.fields import fields_from_text
from exposure.extract.names import looks_like_name
from exposure.extract.page import (
    MAX_INPUT_BYTES,
    MAX_NODES,
    decode_html,
    page_looks_js_built,
    page_says_no_results,
)
from exposure.extract.records import Record, extract_records

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_NODES",
    "Record",
    "decode_html",
    "extract_records",
    "fields_from_text",
    "looks_like_name",
    "page_looks_js_built",
    "page_says_no_results",
]
