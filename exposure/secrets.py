"""API keys for checkers that need one: from the environment or the system keyring.

Keys never come from a profile file (profiles are personal data that people
share and back up); they come from ``EXPOSURE_<SERVICE>_API_KEY`` or from the
system keyring under the service name ``exposure``::

    keyring set exposure hibp

``keyring`` is an optional dependency and its backends can fail in many ways
(no D-Bus session, a locked wallet, a broken config): any failure means "no
key", and the checker that wanted it is skipped with a reason, never crashed.

Keys are secrets: :func:`redact` removes one from any text before it is shown,
logged or stored.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

KEYRING_SERVICE = "exposure"


def env_var(service: str) -> str:
    """``EXPOSURE_HIBP_API_KEY`` for ``hibp``."""
    return f"EXPOSURE_{service.upper().replace('-', '_')}_API_KEY"


def api_key(service: str, env: str | None = None) -> str | None:
    """The API key for ``service``: the environment first, then the keyring, else None.

    ``env`` names the variable when the service's conventional one is not
    ``EXPOSURE_<SERVICE>_API_KEY`` (``EXPOSURE_GITHUB_TOKEN``).
    """
    value = os.environ.get(env or env_var(service), "").strip()
    if value:
        return value
    return _from_keyring(service)


def _from_keyring(service: str) -> str | None:
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, service)
    except Exception as exc:  # no keyring, no backend, locked, misconfigured...
        log.info("no %s key from the system keyring (%s)", service, type(exc).__name__)
        return None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def how_to_set(service: str) -> str:
    """One line telling the person where a key for ``service`` goes."""
    return f"set {env_var(service)} or store it with `keyring set {KEYRING_SERVICE} {service}`"
