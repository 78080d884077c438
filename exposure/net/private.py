"""The private-address guard: where a public page must not send us.

A redirect from a public host to a loopback, private, link-local,
unique-local or unspecified address is refused: a scraped page must not
steer us at the person's router, a local admin panel or a cloud metadata
endpoint.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

# Where a public page must not send us: loopback, RFC 1918, link-local (169.254/16,
# fe80::/10), unique-local (fc00::/7), "this network"/unspecified (0.0.0.0/8, ::).
PRIVATE_NETWORKS: tuple[str, ...] = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
)
_PRIVATE = tuple(ipaddress.ip_network(n) for n in PRIVATE_NETWORKS)


def _private_ip(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, public: tuple[Any, ...]
) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address.version == net.version and address in net for net in public):
        return False
    return any(address.version == net.version and address in net for net in _PRIVATE)


def private_address(host: str, *, resolve: bool = True, public: tuple[str, ...] = ()) -> bool:
    """True when ``host`` is (or, with ``resolve``, resolves to) a non-public address.

    ``host`` is an IP literal (IPv6 with or without brackets, with or without a
    zone) or a name. ``localhost`` and ``*.localhost`` are private without a
    look-up. A name that does not resolve is not private (the request itself
    will fail). A name with any private address is private. ``public`` lists
    networks to treat as public anyway (tests only: ``public_test_networks``).
    """
    nets = tuple(ipaddress.ip_network(n, strict=False) for n in public)
    name = (host or "").strip().strip("[]").rstrip(".").lower()
    if not name:
        return False
    try:
        return _private_ip(ipaddress.ip_address(name.split("%", 1)[0]), nets)
    except ValueError:
        pass
    if name == "localhost" or name.endswith(".localhost"):
        return True
    if not resolve:
        return False
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        except ValueError:
            continue
        if _private_ip(address, nets):
            return True
    return False
