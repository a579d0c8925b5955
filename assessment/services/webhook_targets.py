"""Where outbound webhooks may go: http(s) URLs whose host resolves to public addresses only.

Checked when a subscription is saved and again before every attempt, because a name's addresses can change
in between (DNS rebinding); the attempt then connects to the very address that was checked, never resolving
the name a second time. Internal targets (loopback, private, link-local, the cloud metadata address) are
refused unless settings.WEBHOOK_ALLOW_PRIVATE_TARGETS says this installation trusts its admins with them.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

MAX_URL_LENGTH = 500
# NAT64 (RFC 6052) puts an IPv4 address in the last 32 bits, which a gateway then reaches: read that one.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Exception):
    """The URL is not somewhere we send webhooks; `message` (lazy: read it in the reader's language) says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TargetUnresolved(TargetRefused):
    """The host name did not resolve: maybe for good, maybe only for now (a delivery tries again later)."""


@dataclass(frozen=True)
class Target:
    scheme: str  # "http" or "https"
    host: str  # as written: for the Host header, TLS server name and certificate check
    port: int
    path: str  # path and query, at least "/"
    address: str  # the checked address to connect to


def split_target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL without credentials; TargetRefused otherwise."""
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefused(_("The URL is too long."))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise TargetRefused(_("This is not a valid URL.")) from None
    if parts.scheme not in {"http", "https"}:
        raise TargetRefused(_("Only http:// and https:// URLs can receive webhooks."))
    if not parts.hostname:
        raise TargetRefused(_("The URL names no host."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefused(_("Put no user name or password in the URL: receivers check the signature instead."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def is_public_address(address: str) -> bool:
    """Whether an IP address is reachable on the public internet (not loopback, private, link-local, reserved,
    shared or multicast), looking through IPv4 addresses embedded in IPv6 ones."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope ("fe80::1%eth0") is no part of it
    if ip.version == 6 and ip in _NAT64:
        ip = ipaddress.ip_address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast


def resolve_target(url: str, *, allow_private: bool) -> Target:
    """The URL's target with the address to connect to; TargetRefused when it is not an allowed destination.

    Every address the name resolves to must be allowed: otherwise a name with one public and one internal
    record would reach the internal one some of the time.
    """
    scheme, host, port, path = split_target(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetUnresolved(_("The host name could not be resolved.")) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise TargetUnresolved(_("The host name could not be resolved."))
    if not allow_private and not all(is_public_address(address) for address in addresses):
        raise TargetRefused(
            _("The URL points to a private, loopback or link-local address; webhooks only go to public addresses.")
        )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
