"""Avatars for guests: drawn here by default, so no third party learns who reads what.

A guest's avatar is keyed by an HMAC of their email (with SECRET_KEY), not by the bare
MD5 that Gravatar uses, so the key in a page cannot be matched back to an address.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from samizdat.identity.app_settings import app_settings

PALETTE = ["#8a1c1c", "#1c5d8a", "#2f7a3b", "#7a4d1c", "#5a2f7a", "#1c7a72", "#7a1c5d",
           "#44505c"]  # fmt: skip


def avatar_key(email: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), "sha256")
    return digest.hexdigest()[:32]


def guest_avatar_url(email: str, name: str, size: int = 48) -> str:
    """Return the avatar URL for a guest: local by default, Gravatar if configured."""
    if app_settings.AVATARS == "gravatar" and email:
        digest = hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()
        return f"https://secure.gravatar.com/avatar/{digest}?" + urlencode(
            {"s": size * 2, "d": "identicon", "r": "g"}
        )
    initial = (name.strip()[:1] or "?").upper()
    return (
        reverse("identity:avatar", args=[avatar_key(email or name)])
        + "?"
        + urlencode({"i": initial})
    )


def avatar_svg(key: str, initial: str) -> str:
    """Draw a round badge with the initial on a colour chosen by the key."""
    colour = PALETTE[int(key[:8], 16) % len(PALETTE)] if key else PALETTE[-1]
    letter = escape((initial or "?")[:1].upper())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">'
        f'<circle cx="24" cy="24" r="24" fill="{colour}"/>'
        '<text x="24" y="31" text-anchor="middle" font-family="Georgia,serif" font-size="22" '
        f'fill="#fff">{letter}</text></svg>'
    )
