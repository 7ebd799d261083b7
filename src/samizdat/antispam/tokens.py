"""The form token: a signed time, fetched by the form's script when the reader starts."""

from __future__ import annotations

import time

from django.core import signing

FIELD = "form_token"
_SALT = "samizdat.antispam.form"


def new_token() -> str:
    return signing.dumps(round(time.time(), 1), salt=_SALT)


def age(token: str) -> float | None:
    """Return how many seconds ago the token was made, or None if it is not ours."""
    try:
        made = float(signing.loads(token, salt=_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return max(0.0, time.time() - made)
