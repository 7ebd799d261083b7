"""POST to a webhook's URL, refusing private addresses at the moment of connecting."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from samizdat.core import safe_http
from samizdat.core.safe_http import Refused

__all__ = ["TIMEOUT", "Answer", "Refused", "check_url", "post"]

TIMEOUT = 5.0  # seconds for the whole exchange: a hanging endpoint blocks nothing long


@dataclass
class Answer:
    status: int
    body: str


def _allow_private() -> bool:
    return bool(getattr(settings, "SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE", False))


def check_url(url: str) -> None:
    """Raise Refused unless the URL is http(s) to a permitted address (saving a webhook)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("the URL must start with https:// or http://")
    try:
        safe_http.resolve(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), _allow_private()
        )
    except Refused as refused:
        raise Refused(f"{refused} (SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE=on allows it)") from refused


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST and return the answer; raise Refused, OSError or TimeoutError on failure."""
    answer = safe_http.request(
        "POST", url, body=body, headers=headers, timeout=TIMEOUT,
        allow_private=_allow_private(), cut=True,
    )  # fmt: skip
    return Answer(answer.status, answer.body[:2000].decode("utf-8", "replace"))
