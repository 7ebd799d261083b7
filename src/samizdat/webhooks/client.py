"""POST to a webhook's URL, refusing private addresses at the moment of connecting.

Checking the address only when a webhook is saved leaves the DNS-rebinding gap: the
name resolves to a public address at save time and to 127.0.0.1 or 10.x when the
request is made. Here the name is resolved once, every address it gives is checked,
and the socket connects to the checked address itself (the Host header and TLS name
stay the URL's), so nothing can change between the check and the connection.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT = 5.0  # seconds for the whole exchange: a hanging endpoint blocks nothing long
MAX_BODY = 64 * 1024


class Refused(Exception):
    """The address may not be called (private, loopback, or not resolvable)."""


@dataclass
class Answer:
    status: int
    body: str


def allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if getattr(settings, "SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE", False):
        return True
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> str:
    """Return a permitted address for host; raise Refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"{host} does not resolve: {error}") from error
    for *_rest, sockaddr in infos:
        if not allowed(sockaddr[0]):
            # Any private answer refuses the name: a rebinding name may give both.
            raise Refused(
                f"{host} resolves to {sockaddr[0]}, a private or loopback address "
                "(SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE=on allows it)"
            )
    if not infos:
        raise Refused(f"{host} does not resolve")
    return infos[0][4][0]


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        address = resolve(self.host, self.port)
        self.sock = socket.create_connection((address, self.port), self.timeout)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        address = resolve(self.host, self.port)
        raw = socket.create_connection((address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(raw, server_hostname=self.host)


def check_url(url: str) -> None:
    """Raise Refused unless the URL is http(s) to a permitted address (saving a webhook)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("the URL must start with https:// or http://")
    resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST and return the answer; raise Refused, OSError or TimeoutError on failure."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("the URL must start with https:// or http://")
    kind = _CheckedHTTPSConnection if parts.scheme == "https" else _CheckedHTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    try:
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        chunks, size = [], 0
        while size < MAX_BODY:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no full answer within {TIMEOUT:.0f} s")
            chunk = response.read1(8192) if hasattr(response, "read1") else response.read(8192)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return Answer(response.status, b"".join(chunks)[:2000].decode("utf-8", "replace"))
    except TimeoutError as error:
        raise TimeoutError(f"no answer within {TIMEOUT:.0f} s") from error
    finally:
        connection.close()
