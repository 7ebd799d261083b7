"""The proof-of-work challenge (ALTCHA), for a site under attack.

With ``SAMIZDAT_COMMENTS_CHALLENGE=on`` the comment form carries ALTCHA's widget, served
from this site's static files: the reader's browser fetches a signed challenge from
``/comments/challenge/`` and works out its answer (a second or two of hashing) while
the reader types. No request leaves the site. A bot posting a thousand comments must do
that work a thousand times.
"""

from __future__ import annotations

import base64
import json
import secrets
import time

import altcha
from django.core.cache import caches
from django.utils.crypto import salted_hmac

from samizdat.antispam.app_settings import app_settings

ALGORITHM = "PBKDF2/SHA-256"
#: The form field the widget fills with its answer.
FIELD = "altcha"


def _secret(purpose: str) -> str:
    return salted_hmac(f"samizdat.antispam.challenge.{purpose}", "").hexdigest()


def new_challenge() -> dict:
    """Return a signed challenge, as the widget expects it.

    The server picks the answer (a counter below ``SAMIZDAT_COMMENTS_CHALLENGE_WORK``)
    and signs the key it gives, so checking an answer costs one HMAC, not the work.
    """
    challenge = altcha.create_challenge(
        ALGORITHM,
        app_settings.CHALLENGE_COST,
        counter=secrets.randbelow(app_settings.CHALLENGE_WORK) + 1,
        expires_at=int(time.time()) + app_settings.CHALLENGE_SECONDS,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def judge(payload: str) -> str:
    """Say what an answer is: "missing", "expired", "forged", "replayed" or "solved"."""
    if not payload:
        return "missing"
    result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    if result.expired:
        return "expired"
    if not result.verified:
        return "forged"
    # An answer is good for one comment: remembered until its challenge expires.
    nonce = json.loads(base64.b64decode(payload))["challenge"]["parameters"]["nonce"]
    if not caches["ratelimits"].add(
        f"samizdat:altcha:{nonce}", 1, timeout=app_settings.CHALLENGE_SECONDS
    ):
        return "replayed"
    return "solved"
