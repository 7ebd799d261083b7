"""The signed tokens in mail links: what each link may do, and for how long."""

from __future__ import annotations

from django.core import signing

from samizdat.notifications.app_settings import app_settings

_SALT = "samizdat.notifications."
#: Links that stay good for as long as the mail is kept: unsubscribing and managing.
LASTING = ("unsubscribe", "manage")


class BadLink(Exception):
    """The link was forged, damaged or has expired; ``expired`` says which."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "not valid")
        self.expired = expired


def make(purpose: str, **data) -> str:
    return signing.dumps(data, salt=_SALT + purpose, compress=True)


def read(purpose: str, token: str, *, max_age_days: float | None = None, **fields) -> dict:
    """Return the token's ``fields``, each made by its type (``e=str, c=int``); raise
    BadLink for a forged, damaged or expired token, or one without them."""
    if max_age_days is None and purpose not in LASTING:
        max_age_days = app_settings.LINK_DAYS
    try:
        data = signing.loads(
            token,
            salt=_SALT + purpose,
            max_age=None if max_age_days is None else max_age_days * 86400,
        )
    except signing.SignatureExpired as error:
        raise BadLink(expired=True) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink() from error
    if not isinstance(data, dict):
        raise BadLink()
    try:
        return {name: kind(data[name]) for name, kind in fields.items()}
    except (KeyError, TypeError, ValueError) as error:
        raise BadLink() from error
