"""The private-address guard: where a public page must not send us.

A redirect from a public host to a loopback, private, link-local,
unique-local or unspecified address is refused: a scraped page must not
steer us at the person's router, a local admin panel or a cloud metadata
endpoint. "Private" is everything ``ipaddress`` does not call global (so
carrier-grade NAT and Tailscale's 100.64.0.0/10 too), decided offline for
literals, and on the address the name resolves to otherwise, which is then
the address connected to.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Any

_IPV4_SHORTHAND = re.compile(r"[0-9a-fx.]+")


@dataclass(frozen=True)
class AddressCheck:
    """The guard's decision for one host, and the address it decided on.

    ``address`` is what the name resolved to when it was checked (None for a
    literal, an unresolved name, or one looked up by a proxy): the connection
    must go there, so a second look-up (DNS rebinding) cannot switch it.
    """

    private: bool
    address: str | None = None


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address, IPv4 shorthand included, or None for a name.

    ``127.1``, ``2130706433``, ``0x7f000001`` and ``0177.0.0.1`` are all
    127.0.0.1 to a resolver (``inet_aton``) and to most proxies, so they are
    read the same way here, without a look-up.
    """
    name = (host or "").strip().strip("[]").rstrip(".").lower()
    try:
        return ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        pass
    if name and _IPV4_SHORTHAND.fullmatch(name):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return None


def _private_ip(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, public: tuple[Any, ...]
) -> bool:
    """Not globally routable: loopback, RFC 1918, CGNAT (100.64/10), link-local, ..."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address.version == net.version and address in net for net in public):
        return False
    return not address.is_global


def check_address(host: str, *, resolve: bool = True, public: tuple[str, ...] = ()) -> AddressCheck:
    """Whether ``host`` is (or, with ``resolve``, resolves to) a non-global address.

    ``host`` is an IP literal (IPv6 with or without brackets, with or without a
    zone, IPv4 in any ``inet_aton`` shorthand) or a name. ``localhost`` and
    ``*.localhost`` are private without a look-up. A name that does not resolve
    is not private (the request itself will fail). A name with any private
    address is private. ``public`` lists networks to treat as public anyway
    (tests only: ``public_test_networks``).
    """
    nets = tuple(ipaddress.ip_network(n, strict=False) for n in public)
    name = (host or "").strip().strip("[]").rstrip(".").lower()
    if not name:
        return AddressCheck(False)
    literal = literal_address(name)
    if literal is not None:
        return AddressCheck(_private_ip(literal, nets))
    if name == "localhost" or name.endswith(".localhost"):
        return AddressCheck(True)
    if not resolve:
        return AddressCheck(False)
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return AddressCheck(False)
    first: str | None = None
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        except ValueError:
            continue
        if _private_ip(address, nets):
            return AddressCheck(True, str(address))
        first = first or str(address)
    return AddressCheck(False, first)


def private_address(host: str, *, resolve: bool = True, public: tuple[str, ...] = ()) -> bool:
    """True when ``host`` is (or resolves to) a non-global address: see :func:`check_address`."""
    return check_address(host, resolve=resolve, public=public).private


def loopback_host(host: str) -> bool:
    """True for a loopback IP literal (127.0.0.0/8, ::1, IPv4 shorthand) or ``localhost``.

    Never resolves a name: a name that might point at 127.0.0.1 is still refused.
    """
    name = (host or "").strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = literal_address(name)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback
