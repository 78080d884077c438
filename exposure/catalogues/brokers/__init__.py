"""The people-search broker catalogue: loading, validation and URL filling.

Each broker says where a person can be searched for (``search_url`` and
optionally ``phone_search_url`` / ``email_search_url``, with placeholders)
and, when known, how to get out (``opt_out_url`` and an ``opt_out`` table).
``id``, ``name`` and ``search_url`` are enough: a person adding a site they
found needs nothing else, and without an opt-out the checklist says to find
the opt-out on the site. An optional ``hints`` table helps extraction on a
site whose layout defeats the generic reader (:mod:`exposure.extract.hints`:
record selector, field selectors or attributes, label words, no-results
text); a broken hint is a one-line error naming the broker and the field. The bundled
catalogue is ``data/brokers.toml``; a person adds or replaces brokers with
``$EXPOSURE_HOME/brokers.d/*.toml`` (same id = replaced), and ``--brokers
FILE`` (TOML or JSON) replaces the whole catalogue for one run.

A file that cannot be used (not TOML/JSON, wrong shape, an entry without id
or name, a URL that is not http(s), an unknown placeholder, a
duplicate id...) raises :class:`~exposure.errors.CheckerInputError`
with ONE line naming the file and the entry, so a scan stops with exit status
2 instead of quietly searching half a catalogue.

Data only: no HTTP and no bs4, so loading stays fast. The work is in three
modules, and every public name is importable from here:

- :mod:`.model`: what a broker is (:class:`Broker`, :class:`OptOut`,
  :class:`BrokerCatalogue`), the placeholders a search URL may use, and the
  words an opt-out may name.
- :mod:`.load`: reading and validating catalogue files (:func:`load_brokers`,
  :func:`parse_brokers`): every check that turns a bad file into one line.
- :mod:`.urls`: filling search URLs from a profile (:func:`fill_urls`,
  :func:`broker_urls`) and whether a broker is worth asking
  (:func:`out_of_area`).
"""

from __future__ import annotations

from collections.abc import Sequence

from exposure.catalogues.brokers.load import (
    default_path,
    default_user_dir,
    load_brokers,
    parse_brokers,
)
from exposure.catalogues.brokers.model import (
    METHODS,
    NAME_KEYS,
    PLACE_KEYS,
    PLACEHOLDER_FIELD,
    PLACEHOLDERS,
    REQUIREMENTS,
    Broker,
    BrokerCatalogue,
    FilledUrl,
    OptOut,
    Render,
    SkipReason,
    template_keys,
)
from exposure.catalogues.brokers.urls import (
    MAX_URLS,
    broker_urls,
    fill_url,
    fill_urls,
    hand_check_url,
    out_of_area,
)

__all__: Sequence[str] = (
    "MAX_URLS",
    "METHODS",
    "NAME_KEYS",
    "PLACEHOLDERS",
    "PLACEHOLDER_FIELD",
    "PLACE_KEYS",
    "REQUIREMENTS",
    "Broker",
    "BrokerCatalogue",
    "FilledUrl",
    "OptOut",
    "Render",
    "SkipReason",
    "broker_urls",
    "default_path",
    "default_user_dir",
    "fill_url",
    "fill_urls",
    "hand_check_url",
    "load_brokers",
    "out_of_area",
    "parse_brokers",
    "template_keys",
)
