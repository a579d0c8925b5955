"""Posting a signed webhook body to a checked target: one request, no redirects, short timeouts, a short excerpt
of the answer kept. No ORM: services/webhook_delivery.py decides what an answer or an error means.

The connection goes to the address webhook_targets.resolve_target checked, not to whatever the name resolves
to a moment later, while the Host header, TLS server name and certificate check still use the name.
"""

import hashlib
import hmac
import http.client
import socket
import ssl
from dataclasses import dataclass

from assessment.services.webhook_targets import Target

EXCERPT_BYTES = 200
USER_AGENT = "DevOps-Maturity-Webhooks/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-DevOps-Maturity-Signature value: "sha256=" and the hex HMAC-SHA256 of "<timestamp>.<body>"."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str  # the start of the body, printable characters only


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.address = target.address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POSTs the body and returns the status and the start of the answer; a redirect is returned, not followed.

    Raises OSError (no connection, timeout, TLS failure) or http.client.HTTPException (not an HTTP answer).
    """
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        # Only the start is read: a receiver answering with a huge or endless body costs us nothing more.
        start = response.read(EXCERPT_BYTES)
        return Answer(status=response.status, excerpt=_printable(start.decode("utf-8", errors="replace")))
    finally:
        connection.close()


def _printable(text: str) -> str:
    return "".join(char if char.isprintable() else " " for char in text).strip()
