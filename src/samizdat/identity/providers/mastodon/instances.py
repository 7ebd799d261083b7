"""Finding a reader's Mastodon server, and registering samizdat with it on first use."""

from __future__ import annotations

import ipaddress
import re
import socket

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.db import IntegrityError

from samizdat.identity.app_settings import app_settings
from samizdat.identity.models import MastodonInstance

SCOPES = "read:accounts"
_HOST_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class InstanceError(Exception):
    """The server named by the reader cannot be used; the message says why."""


def normalize_domain(value: str) -> str:
    """Return the host of "mastodon.social", "https://mastodon.social/" or "@me@host"."""
    value = (value or "").strip().lower()
    if value.count("@") >= 1 and "://" not in value:
        value = value.rsplit("@", 1)[1]
    value = re.sub(r"^https?://", "", value).split("/", 1)[0]
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        pass
    else:
        raise InstanceError("Type the name of your Mastodon server, such as mastodon.social.")
    if not _HOST_RE.match(value) or value.endswith((".local", ".localhost", ".internal")):
        raise InstanceError("Type the name of your Mastodon server, such as mastodon.social.")
    return value


def instance_url(domain: str, path: str) -> str:
    url = f"https://{domain}{path}"
    if app_settings.TEST_PROVIDER_URLS:
        from samizdat.identity.testing import rewrite

        url = rewrite(url, app_settings.TEST_PROVIDER_URLS)
    return url


def check_public(domain: str) -> None:
    """Refuse a server name that resolves to this machine or a private network.

    The reader chooses the name and samizdat then makes requests to it: without this,
    a reader could make the site call its own internal services.
    """
    try:
        infos = socket.getaddrinfo(domain, 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise InstanceError(f"{domain} could not be found; check the name.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise InstanceError(f"{domain} is not a public Mastodon server.")


def get_or_register(domain: str, redirect_uri: str, website: str) -> MastodonInstance:
    """Return samizdat's credentials on the server, registering the app if needed."""
    known = MastodonInstance.objects.filter(domain=domain).first()
    if known is not None and known.redirect_uri == redirect_uri:
        return known
    if not app_settings.TEST_PROVIDER_URLS:
        check_public(domain)
    try:
        with get_adapter().get_requests_session() as session:
            response = session.post(
                instance_url(domain, "/api/v1/apps"),
                data={
                    "client_name": settings.SAMIZDAT_SITE_NAME,
                    "redirect_uris": redirect_uri,
                    "scopes": SCOPES,
                    "website": website,
                },
                timeout=10,
            )
            response.raise_for_status()
            data = response.json()
        client_id, secret = str(data["client_id"]), str(data["client_secret"])
    except Exception as exc:
        raise InstanceError(
            f"{domain} did not answer as a Mastodon server; check the name and try again."
        ) from exc
    try:
        instance, _ = MastodonInstance.objects.update_or_create(
            domain=domain,
            defaults={
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uri": redirect_uri,
            },
        )
    except IntegrityError:  # Registered by a concurrent login a moment ago.
        instance = MastodonInstance.objects.get(domain=domain)
    return instance
