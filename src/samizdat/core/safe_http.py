"""HTTP to addresses outside the site, refusing private ones at the moment of connecting.

Checking an address only when it is entered leaves the DNS-rebinding gap: the name
resolves to a public address then, and to 127.0.0.1 or 10.x when the request is made.
Here the name is resolved once, every address it gives is checked, and the socket
connects to the checked address itself (the Host header and TLS name stay the URL's),
so nothing can change between the check and the connection. Used by webhooks and by
the importer's media download.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit


class Refused(Exception):
    """The address may not be called (private, loopback, or not resolvable)."""


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)
    url: str = ""


def allowed(address: str, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address)
    return allow_private or (ip.is_global and not ip.is_multicast)


def resolve(host: str, port: int, allow_private: bool) -> str:
    """Return a permitted address for host; raise Refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"{host} does not resolve: {error}") from error
    for *_rest, sockaddr in infos:
        if not allowed(sockaddr[0], allow_private):
            # Any private answer refuses the name: a rebinding name may give both.
            raise Refused(f"{host} resolves to {sockaddr[0]}, a private or loopback address")
    if not infos:
        raise Refused(f"{host} does not resolve")
    return infos[0][4][0]


def _connection(parts, timeout: float, allow_private: bool):
    host, port = parts.hostname, parts.port

    class Checked(http.client.HTTPConnection):
        def connect(self):
            address = resolve(self.host, self.port, allow_private)
            self.sock = socket.create_connection((address, self.port), self.timeout)

    class CheckedTLS(http.client.HTTPSConnection):
        def connect(self):
            address = resolve(self.host, self.port, allow_private)
            raw = socket.create_connection((address, self.port), self.timeout)
            self.sock = ssl.create_default_context().wrap_socket(raw, server_hostname=self.host)

    kind = CheckedTLS if parts.scheme == "https" else Checked
    return kind(host, port, timeout=timeout)


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
    max_bytes: int = 64 * 1024,
    allow_private: bool = False,
    redirects: int = 0,
    cut: bool = False,
) -> Answer:
    """Make one request (following up to ``redirects`` redirects); raise Refused,
    OSError, TimeoutError, or ValueError (a redirect loop, or a body over ``max_bytes``
    unless ``cut``, when the body is cut there)."""
    seen = set()
    deadline = time.monotonic() + timeout
    while True:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refused("the URL must start with https:// or http://")
        connection = _connection(parts, max(0.1, deadline - time.monotonic()), allow_private)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and redirects > 0:
                target = urljoin(url, response.getheader("Location", ""))
                if target in seen or len(seen) >= redirects:
                    raise ValueError(f"too many redirects, or a loop, from {url}")
                seen.add(url)
                url = target
                continue
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no full answer within {timeout:.0f} s")
                chunk = response.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    if cut:
                        chunks.append(chunk)
                        break
                    raise ValueError(f"larger than {max_bytes / 1024 / 1024:.1f} MB")
                chunks.append(chunk)
            return Answer(response.status, b"".join(chunks), dict(response.getheaders()), url)
        except TimeoutError as error:
            raise TimeoutError(f"no answer within {timeout:.0f} s") from error
        finally:
            connection.close()
